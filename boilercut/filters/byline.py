"""Bylines ("By X and Y", "Von X", "X 기자") with emails, wire credits and end markers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import ClassVar, NamedTuple

import regex

from boilercut.document import RECORDS, Document, Line, line_key
from boilercut.phrases import alternation, words
from boilercut.result import Decision, drop, move

EMAIL = regex.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Where the name list of a byline ends: a separator, a date, an email, "on Monday".
# Each alternative that opens with spaces starts only where a run of spaces starts
# ((?<!\s)), so a long run of spaces is scanned once, not from each of its positions.
_NAMES_END = regex.compile(
    r"(?<!\s)\s*[|;()\[\]<>–—·•⋅/／]|(?<!\s)\s+-\s*|(?<!\s)\s*-\s+"
    r"|(?<!\s)\s+(?:on|am|le|el|il|op|em|в|w)\s+|(?<!\s)\s+\d|\d|(?<!\s)\s*[\w.+-]{1,64}@")
# A serial comma before the last name ("A, B, and C") is one separator, not a comma and a word.
_NAME_SPLIT = regex.compile(r"(?<!\s)\s*,\s*(?:and|und|et|y|e|en|и|i|oraz)\s+|(?<!\s)\s*(?:,|&|、|·)\s*"
                            r"|(?<!\s)\s+(?:and|und|et|y|e|en|и|i|oraz)\s+")
# A name: capitalised words (with particles such as "van", "de"), or 2–5 CJK/Hangul characters.
_NAME = regex.compile(
    r"(?:\p{Lu}[\p{L}\p{M}'’.-]*|(?:van|von|de|der|den|da|di|del|della|du|le|la|bin|al|ten|ter|y)"
    r"(?=\s))(?:\s+(?:\p{Lu}[\p{L}\p{M}'’.-]*|(?:van|von|de|der|den|da|di|del|della|du|le|la|bin|al|"
    r"ten|ter|y)(?=\s+\p{Lu}))){0,5}"
    r"|[\p{Hangul}\p{Han}\p{Hiragana}\p{Katakana}]{2,6}(?:\s[\p{Hangul}\p{Han}]{1,4})?")


# How to reach the author, at the end of an article: "Follow Jane Roe on Twitter @jroe",
# "Email Jane at jroe@example.org", "Jane Roe may be reached at ...". Keys are case-folded.
_CONTACT_STARTS = ("follow", "email", "e-mail", "write to", "contact", "reach")
_CONTACT = regex.compile(
    rf"^(?:{'|'.join(map(regex.escape, _CONTACT_STARTS))})\s[^@]{{1,60}}?\s(?:on (?:twitter|x|facebook"
    r"|instagram|linkedin|threads|bluesky|mastodon)|at\s\S{0,64}@)|\s(?:may|can) be (?:reached|contacted|emailed) at\s")


def _may_be_contact(key: str) -> bool:
    """What every :data:`_CONTACT` match has: one of its opening words, or " be "."""
    return key.startswith(_CONTACT_STARTS) or " be " in key


class _Patterns(NamedTuple):
    prefixed: regex.Pattern
    suffixed: regex.Pattern
    bare_prefix: regex.Pattern
    role_tail: regex.Pattern
    #: A byline label inside a line, before a capitalised word ("... 2017 by Erin Spain").
    inline: regex.Pattern
    wire: frozenset[str]
    end: frozenset[str]
    #: The prefixes as plain strings and the suffixes as one search: cheap tests first.
    prefixes: tuple[str, ...]
    suffix_hint: regex.Pattern


@cache
def _patterns() -> _Patterns:
    prefix = alternation(words("byline", "prefix"))
    suffix = alternation(words("byline", "suffix"))
    roles = alternation(words("byline", "roles"))
    return _Patterns(
        regex.compile(rf"^\W*(?:{prefix})\s*[:：/／]?\s*(?P<rest>\S.*)$", regex.IGNORECASE),
        regex.compile(rf"^\W*(?P<names>\S.{{0,60}}?)\s*(?:{suffix})(?!\w)(?P<rest>.*)$"),
        regex.compile(rf"^\W*(?:{prefix})\W*$", regex.IGNORECASE),
        # Possessive runs of spaces: a long run of spaces cannot be split between repeats.
        regex.compile(rf"(?:(?:^|(?<!\s)\s++)(?:{roles}))+\s*+$", regex.IGNORECASE),
        regex.compile(rf"(?<!\w)(?i:{prefix})(?:\s*+[:：/／])?\s++(?P<rest>\p{{Lu}}.*)$"),
        frozenset(w.casefold() for w in words("byline", "wire")),
        frozenset(w.casefold() for w in words("byline", "end")),
        tuple(w.casefold() for w in words("byline", "prefix")),
        regex.compile(alternation(words("byline", "suffix"))),
    )


@lru_cache(maxsize=4096)
def names_in(text: str) -> tuple[str, ...]:
    """Author names at the start of ``text``, as substrings of it; () when it is not a name list."""
    role_tail = _patterns().role_tail
    head = _NAMES_END.split(text, maxsplit=1)[0]
    date_follows = text[len(head):].lstrip()[:1].isdigit()
    parts = _NAME_SPLIT.split(head.strip())
    names = []
    for i, part in enumerate(parts):
        part = _before_date_words(role_tail.sub("", part), date_follows and i == len(parts) - 1).strip(" .,")
        if not part:
            continue
        if not _NAME.fullmatch(part) or ".com" in part.casefold():
            break
        names.append(part)
    return tuple(names)


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[float, ...]:
    from pathlib import Path

    from boilercut.authorship import read_weights

    return read_weights(Path(path).read_text(encoding="utf-8"))


def _before_date_words(part: str, date_follows: bool = False) -> str:
    """``part`` up to the first word that opens a date: a date label ("Jane Roe Updated",
    "Jane Roe Last updated" -> "Jane Roe"; "Posted March" -> ""), or a month or weekday
    name ("Jane Roe Mar"). A month name standing alone after a first name is a surname
    ("Tom May"), unless the date's number follows (``date_follows``: "Sarah July 5"); one
    opening the part is a first name ("June Carter") unless the part is all calendar
    words ("Sun Dec"). A name given twice in a row is given once."""
    from boilercut.filters.dates import calendar_words, date_labels

    words = part.split()
    half = len(words) // 2
    if half >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])  # "Colin Gray Colin Gray": a name and its link text
    folded = [word.casefold().strip(".,:") for word in words]
    calendar, labels = calendar_words(), date_labels()
    if all(word in calendar for word in folded):
        return ""
    for i, word in enumerate(folded):
        if any(" ".join(folded[i:i + n]) in labels for n in (1, 2, 3)):
            return " ".join(words[:i])
        if i and word in calendar and (i > 1 or i + 1 < len(words) or date_follows):
            return " ".join(words[:i])
    return part


@dataclass(frozen=True)
class Byline:
    """Bylines with their emails, author contact lines, bare wire credits ("Associated Press") and "(END)" markers.

    A byline is a prefix ("By", "Von", "Par", "Автор:") followed by capitalised
    names, or names followed by a suffix ("기자"); "By" alone on a line takes the
    name on the next line. "By the numbers" or "By Monday, the company had ..."
    is body: the words after the prefix must be names and the line no sentence.
    A line equal to the page's author (``hints["author"]``, from ``clean_html``)
    is a byline; "Follow Jane Roe on Twitter", "Email Jane at ..." and "... may
    be reached at ..." lines are ``author-contact``. Many bylines inside the
    core sign its records ("Posted by: Ann | May 4, 2012" over each comment)
    and stay with them.
    """

    name: ClassVar[str] = "byline"
    #: Longest line (in words) read as a byline.
    max_units: int = 30
    #: The byline scorer's probability a line of names needs: 0.2 takes the gold byline on
    #: 0.334 of train's pages with an author and names someone on 0.052 of those without
    #: (0.3: 0.298 and 0.041), by grouped CV (``python -m bench.authors --cv-only``).
    threshold: float = 0.2
    #: Another weights file for the scorer (``python -m bench.authors`` writes the shipped one).
    weights: str | None = None
    #: Bylines inside the core from which they are read as the signatures of records
    #: (comments, forum posts, listing entries) and stay (:meth:`Document.records`).
    records: int = RECORDS

    def __call__(self, doc: Document):
        patterns = _patterns()
        author = line_key(doc.hints.get("author") or "")
        out: list[Decision] = []
        taken: set[int] = set()
        lines = doc.lines
        for pos, line in enumerate(lines):
            if pos in taken or line.units > self.max_units:
                continue
            outside = doc.outside_core(pos)
            decision = None
            prefixed = line.key.startswith(patterns.prefixes)
            if line.key in patterns.end and line.units <= 2:
                decision = drop(line, "end-marker")
            elif line.units <= self.max_units and _may_be_contact(line.key) and _CONTACT.search(line.key):
                decision = move(line, "author-contact", *[("emails", e) for e in EMAIL.findall(line.visible)])
            elif author and line.key == author:
                decision = move(line, "byline", ("authors", line.visible.strip()))
            elif line.key in patterns.wire:
                decision = move(line, "wire-credit", ("credits", _inner(line)))
            elif prefixed and patterns.bare_prefix.match(line.visible) and pos + 1 < len(lines):
                following = lines[pos + 1]
                names = names_in(following.visible)
                if names and following.units <= 12:
                    out.append(drop(line, "byline"))
                    out.append(_byline(following, names))
                    taken.add(pos + 1)
                    continue
            elif not (line.ends_sentence and line.units > 10 and not outside):
                names = _byline_names(line.visible, prefixed)
                if names:
                    decision = _byline(line, names)
                elif names is None and outside and "@" in line.visible and EMAIL.fullmatch(_inner(line)):
                    decision = move(line, "byline", ("emails", _inner(line)))
            if decision:
                out.append(decision)
        kept = doc.records((d.line for d in out if d.reason == "byline"), self.records)
        return self._authors(doc, [d for d in out if d.line not in kept])

    def _authors(self, doc: Document, decisions: list[Decision]) -> list[Decision]:
        """Keep the names of one byline only: the byline scorer's choice (see
        :mod:`boilercut.authorship`), else the first byline the rules found. The
        other bylines still leave the body, without their names (a related
        article's byline, a comment's author). Wire services' names go to ``credits``."""
        from boilercut import authorship

        by_line = {d.line: d for d in decisions}
        hint = line_key(doc.hints.get("author") or "")
        chosen = next((line.index for line in doc.lines if hint and line.key == hint), None)
        if chosen is None and not doc.found.get("authors"):
            weights = _load(self.weights) if self.weights else None
            scored = [(authorship.score(c, weights), c) for c in authorship.candidates(doc)]
            p, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
            if best is not None and p >= self.threshold and best.evidence:
                chosen = best.line.index
                if chosen not in by_line:
                    by_line[chosen] = _byline(best.line, list(best.names))
                else:
                    kept = [(f, v) for f, v in by_line[chosen].metadata if f != "authors"]
                    by_line[chosen] = move(best.line, by_line[chosen].reason, *kept,
                                           *(("authors", n) for n in best.names))
            elif not doc.found.get("authors"):
                chosen = next((d.line for d in decisions if any(f == "authors" for f, _ in d.metadata)), None)
        wire = _patterns().wire
        out, seen = [], set()
        for index in sorted(by_line):
            decision = by_line[index]
            pairs = []
            for field, value in decision.metadata:
                if field == "authors":
                    if index != chosen or value.casefold() in seen:
                        continue
                    seen.add(value.casefold())
                    if value.casefold() in wire:
                        field = "credits"
                pairs.append((field, value))
            out.append(move(decision.line, decision.reason, *pairs))
        return out


@lru_cache(maxsize=4096)
def _byline_names(text: str, prefixed: bool) -> tuple[str, ...] | None:
    """The names of a "By ..." or "... 기자" line; None when the line has neither shape."""
    patterns = _patterns()
    match = (prefixed and patterns.prefixed.match(text)) or (
        patterns.suffix_hint.search(text) and patterns.suffixed.match(text))
    if not match:
        return None
    return names_in(match.groupdict().get("names") or match["rest"])


_EDGES = regex.compile(r"^[\W_]+|[\W_]+$")


def _inner(line: Line) -> str:
    """The line's text without edge punctuation, as a verbatim substring."""
    return _EDGES.sub("", line.visible) or line.visible


def _byline(line: Line, names: list[str]) -> Decision:
    """The byline's names, emails and date ("By Jane Doe | March 3, 2024") as metadata."""
    from boilercut.filters.dates import date_text

    pairs = [("authors", n) for n in names]
    pairs += [("emails", e) for e in EMAIL.findall(line.visible)]
    date = date_text(line, strict=True)
    pairs += [("dates", date)] if date else []
    return move(line, "byline", *pairs)
