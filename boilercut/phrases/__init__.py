"""Phrase tables: one TOML file per language in this folder, merged and compiled once.

Every table has the same shape (see ``en.toml``): ``[CATEGORY.KIND]`` maps a
reason code to a list of phrases. Kinds:

- ``exact``: the whole line is the phrase (after :func:`boilercut.document.line_key`:
  case folded, edge punctuation and symbols stripped);
- ``edge``: like ``exact``, but only outside the article core (generic labels
  such as "Home" that could also be a subheading);
- ``prefix``: the line starts with the phrase, then a separator (``:``, ``|``,
  ``»``, a dash) and more text ("Read more: ...");
- ``contains``: the phrase occurs anywhere in the line, on word boundaries.

Other tables (``[byline]``, ``[dates]``, ``[captions]``) are plain word lists
that the filters assemble into their own patterns. All languages are merged:
a label is debris whatever language the article is in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources

import regex

from boilercut.document import line_key

KINDS = ("exact", "edge", "prefix", "contains")
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


class PhraseMatcher:
    """Matches line keys against one category's phrase lists and answers a reason code."""

    def __init__(self, category: str):
        self.exact: dict[str, str] = {}
        self.edge: dict[str, str] = {}
        for kind, table in (("exact", self.exact), ("edge", self.edge)):
            for reason, phrase in _entries(category, kind):
                table.setdefault(line_key(phrase), reason)
        self.prefix = self._compile(category, "prefix", lambda g: rf"^(?:{g}){SEPARATOR}\S")
        self.contains = self._compile(category, "contains", lambda g: g)

    @staticmethod
    def _compile(category: str, kind: str, template):
        by_reason: dict[str, list[str]] = {}
        for reason, phrase in _entries(category, kind):
            by_reason.setdefault(reason, []).append(line_key(phrase))
        if not by_reason:
            return None
        groups = "|".join(f"(?P<r{i}>{alternation(p)})" for i, p in enumerate(by_reason.values()))
        return regex.compile(template(groups)), list(by_reason)

    def match(self, key: str, *, outside_core: bool = False) -> str | None:
        """The reason code for a line key, or None."""
        reason = self.exact.get(key)
        if reason is None and outside_core:
            reason = self.edge.get(key)
        for compiled in (self.prefix, self.contains):
            if reason is None and compiled is not None:
                pattern, reasons = compiled
                found = pattern.search(key)
                if found:
                    reason = reasons[int(found.lastgroup[1:])]
        return reason


@cache
def matcher(category: str) -> PhraseMatcher:
    """The compiled matcher of a category, built on first use."""
    return PhraseMatcher(category)
