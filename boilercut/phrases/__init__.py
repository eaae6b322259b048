"""Phrase tables: one TOML file per language in this folder, merged and compiled once.

Every table has the same shape (see ``en.toml``): ``[CATEGORY.KIND]`` maps a
reason code to a list of phrases. Kinds:

- ``exact``: the whole line is the phrase (after :func:`boilercut.document.line_key`:
  case folded, edge punctuation and symbols stripped);
- ``edge``: like ``exact``, but only outside the article core (generic labels
  such as "Home" that could also be a subheading);
- ``prefix``: the line starts with the phrase, then a separator (``:``, ``|``,
  ``»``, a dash) and more text ("Read more: ...");
- ``lead``: a short line (up to ``LEAD_MAX_UNITS`` words) starts with the phrase
  and goes on with a name ("More from Sportsnet");
- ``contains``: the phrase occurs anywhere in the line (up to ``MAX_CONTAINS_CHARS``
  long), on word boundaries.

Other tables (``[byline]``, ``[dates]``, ``[captions]``) are plain word lists
that the filters assemble into their own patterns. All languages are merged:
a label is debris whatever language the article is in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import regex

from boilercut.document import line_key, split_words

KINDS = ("exact", "edge", "prefix", "lead", "contains")
LEAD_MAX_UNITS = 7
# What separates a prefix label from its text: "Read more: ...", "Related | ...",
# "Read more - ...", "Read more... ...". Dashes and slashes need a space before
# them, so that "more-or-less" is not "more" + separator.
SEPARATOR = r"(?:\s*[:|»›>•·…：]|\s+[/–—-]|\.{2,})\s*"


@cache
def tables() -> dict[str, dict]:
    """All language tables, keyed by language code (the file name)."""
    found = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found[entry.name.removesuffix(".toml")] = tomllib.loads(entry.read_text("utf-8"))
    return found


def words(category: str, name: str) -> list[str]:
    """A plain list (``[category] name = [...]``) merged over all languages, de-duplicated."""
    merged: dict[str, None] = {}
    for table in tables().values():
        for phrase in table.get(category, {}).get(name, ()):
            merged.setdefault(phrase, None)
    return list(merged)


def phrases_of(category: str, kind: str, reason: str) -> list[str]:
    """The phrases of one reason code, over all languages."""
    return [phrase for r, phrase in _entries(category, kind) if r == reason]


def _entries(category: str, kind: str) -> list[tuple[str, str]]:
    """``(reason, phrase)`` pairs of one category and kind, over all languages."""
    pairs = []
    for table in tables().values():
        for reason, phrases in table.get(category, {}).get(kind, {}).items():
            pairs.extend((reason, phrase) for phrase in phrases)
    return pairs


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, with word boundaries on
    cased-script edges (CJK has no spaces, so no boundary there)."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = regex.escape(phrase)
        if phrase[:1].lower() != phrase[:1].upper():
            escaped = r"(?<!\w)" + escaped
        if phrase[-1:].lower() != phrase[-1:].upper():
            escaped += r"(?!\w)"
        parts.append(escaped)
    return "|".join(parts) or r"(?!)"


_TOKEN = regex.compile(r"\w+")
# Phrases are looked for inside lines up to this long: debris lines are short, and
# the bound keeps a 10 MB line from costing more than one pass.
MAX_CONTAINS_CHARS = 2000
# Line keys whose matches each category remembers (a bounded LRU: memory stays flat).
CACHE_SIZE = 1 << 15


_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _by_words(text: str) -> bool:
    """True for phrases matched word by word: cased scripts without CJK or Hangul, whose
    words take particles and neighbours without spaces ("ではcookieを使用", "쿠키를")."""
    return any(ch.lower() != ch.upper() for ch in text) and not _UNSPACED.search(text)


@lru_cache(maxsize=1024)
def _words(key: str) -> list[str]:
    """The words of a line key; every category's ``contains`` index asks for them."""
    return split_words(key)


class _ContainsIndex:
    """Phrases found anywhere in a line. Phrases of cased scripts are matched as word
    n-grams (a set lookup per n-gram: no regex scan, word boundaries for free);
    CJK and symbol phrases, which have no spaces, as substrings.

    Each word phrase is looked up by its anchor, its longest word ("subscribe" in
    "subscribe to our newsletter"): prose is full of "to" and "our" but seldom has
    an anchor, so most lines are settled by one set test in C.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        # anchor word -> [(phrase words, anchor position in them, order, reason)]
        self.by_anchor: dict[str, list[tuple[list[str], int, int, str]]] = {}
        self.substrings: list[tuple[str, str]] = []
        for order, (reason, phrase) in enumerate(pairs):
            key = line_key(phrase)
            if _by_words(key):
                tokens = _TOKEN.findall(key)
                anchor = max(range(len(tokens)), key=lambda i: len(tokens[i]))
                self.by_anchor.setdefault(tokens[anchor], []).append((tokens, anchor, order, reason))
            elif key:
                self.substrings.append((key, reason))
        self.anchors = frozenset(self.by_anchor)
        # One scan in C finds whether any substring phrase occurs; the loop only names it.
        self.any_substring = regex.compile("|".join(regex.escape(p) for p, _ in self.substrings)
                                           ) if self.substrings else None
        # Substring phrases are CJK or symbols: when none is ASCII, an ASCII key needs no scan.
        self.ascii_substrings = any(p.isascii() for p, _ in self.substrings)

    def search(self, key: str) -> str | None:
        """The reason of the phrase starting first in ``key`` (the longest one there,
        then the first listed), or of the first substring phrase in it; None."""
        if self.by_anchor:
            tokens = _words(key)
            if not self.anchors.isdisjoint(tokens):
                found = None
                for i, token in enumerate(tokens):
                    for words, anchor, order, reason in self.by_anchor.get(token, ()):
                        start = i - anchor
                        if start >= 0 and tokens[start:start + len(words)] == words:
                            rank = (start, -len(words), order)
                            if found is None or rank < found[0]:
                                found = (rank, reason)
                if found is not None:
                    return found[1]
        if self.any_substring is not None and (self.ascii_substrings or not key.isascii()) \
                and self.any_substring.search(key):
            for phrase, reason in self.substrings:
                if phrase in key:
                    return reason
        return None


class PhraseMatcher:
    """Matches line keys against one category's phrase lists and answers a reason code."""

    def __init__(self, category: str):
        self.exact: dict[str, str] = {}
        self.edge: dict[str, str] = {}
        for kind, table in (("exact", self.exact), ("edge", self.edge)):
            for reason, phrase in _entries(category, kind):
                table.setdefault(line_key(phrase), reason)
        by_reason: dict[str, list[str]] = {}
        for reason, phrase in _entries(category, "prefix"):
            by_reason.setdefault(reason, []).append(line_key(phrase))
        self.prefix_reasons = list(by_reason)
        self.prefix_chars = max((len(p) for ps in by_reason.values() for p in ps), default=0) + 8
        groups = "|".join(f"(?P<r{i}>{alternation(p)})" for i, p in enumerate(by_reason.values()))
        self.prefix = regex.compile(rf"(?:{groups}){SEPARATOR}\S") if groups else None
        self.prefix_starts = tuple(p for ps in by_reason.values() for p in ps)
        self.contains = _ContainsIndex(_entries(category, "contains"))
        self.lead = [(line_key(phrase) + " ", reason) for reason, phrase in _entries(category, "lead")]
        self.lead_starts = tuple(phrase for phrase, _ in self.lead)

        # Boilerplate repeats across pages and passes: remember what each key matched.
        self._anywhere = lru_cache(maxsize=CACHE_SIZE)(self._match_anywhere)

    def match(self, key: str, *, outside_core: bool = False) -> str | None:
        """The reason code for a line key, or None."""
        reason = self.exact.get(key)
        if reason is None and outside_core:
            reason = self.edge.get(key)
        return reason if reason is not None else self._anywhere(key)

    def _match_anywhere(self, key: str) -> str | None:
        """The ``lead``, ``prefix`` and ``contains`` kinds, which hold wherever the line stands."""
        if key.startswith(self.lead_starts) and len(_TOKEN.findall(key)) <= LEAD_MAX_UNITS:
            return next(r for phrase, r in self.lead if key.startswith(phrase))
        if self.prefix is not None and key.startswith(self.prefix_starts):
            found = self.prefix.match(key[:self.prefix_chars])
            if found:
                return self.prefix_reasons[int(found.lastgroup[1:])]
        if len(key) <= MAX_CONTAINS_CHARS:
            return self.contains.search(key)
        return None


@cache
def matcher(category: str) -> PhraseMatcher:
    """The compiled matcher of a category, built on first use."""
    return PhraseMatcher(category)
