"""Dates: "Published: ...", "Updated ...", "Veröffentlicht am ...", and lines that are only a date."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import ClassVar

import regex

from boilercut.document import RECORDS, Document, Line
from boilercut.phrases import words
from boilercut.result import move

_TOKEN = regex.compile(r"\w+")
# Segments of a date-and-byline line: "Name - Nov 19, 2019", "... / CBS News", "... by Name".
# (?<!\s): a separator's spaces are matched from the start of their run only (linear).
_SEGMENT_BREAK = regex.compile(r"(?<!\s)\s+(?:[|/·•–—-]+|by|von|par|por|di|door)\s+|(?<!\s)\s*[|｜]\s*",
                               regex.IGNORECASE)
# Numbers, ordinals (1st, 3rd, 2e), French times (11h00), and CJK/Korean dates written
# with unit characters.
# Without month names, numbers make a date only with a year: "2021-03-03", not "1 2 3 4 5".
_DIGIT = regex.compile(r"\d")
#: Longest date read at the start of a text, in words ("Monday, May 4, 2022, 3:47pm").
MAX_DATE_TOKENS = 6
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMERIC = regex.compile(r"\d+(?:st|nd|rd|th|er|e|o|a|º|ª|am|pm)?|\d{1,2}h(?:\d{2})?|\d[\d年月日时時分秒点點号號钟鐘前后後년월일시간분초전후]*")


@cache
def _vocabulary():
    def folded(name):
        return frozenset(w.casefold() for w in words("dates", name) for w in w.split())
    return (folded("label"), folded("connector"), folded("month") | folded("weekday"),
            folded("relative"), folded("duration"))


@dataclass(frozen=True)
class Dates:
    """Lines that are only a date or time, with an optional label ("Published:", "입력").

    Every word of the line must belong to a date: a number, a month or weekday
    name, a time word ("ago", "GMT"), a label or a connector. Inside the article
    core the line must also have a label or three date words, so that a
    subheading such as "March 2021" in a timeline stays.

    A core with ``records`` date lines or more is a run of dated records (forum
    posts, comments, the entries of a listing), and a record's date is part of
    it: those dates stay in the body (:meth:`Document.records`). Dates outside
    the core still go.
    """

    name: ClassVar[str] = "dates"
    #: Longest line (in words) read as a date line.
    max_units: int = 16
    #: Date lines inside the core from which they are read as the dates of records.
    records: int = RECORDS

    def __call__(self, doc: Document):
        found = {}
        for pos, line in enumerate(doc.lines):
            if line.units <= self.max_units:
                value = date_text(line, strict=not doc.outside_core(pos))
                if value:
                    found[pos] = value
        kept = doc.records(found, self.records)
        return [move(doc.lines[pos], "date", ("dates", value))
                for pos, value in found.items() if pos not in kept]


@cache
def date_labels() -> frozenset[str]:
    """Date labels of every language that may follow a byline's names ("Updated",
    "Last updated", "Publié"); one-word labels of under six letters ("on", "first",
    "stand") could be names and are left out."""
    labels = {label.casefold() for label in words("dates", "label")}
    return frozenset(w for w in labels if " " in w or len(w) >= 6)


def calendar_words() -> frozenset[str]:
    """Month and weekday names of every language (case-folded)."""
    return _vocabulary()[2]


def opens_with_date(text: str) -> bool:
    """``text`` opens with a date of two words or more, whatever follows it ("May 4, 2022,
    3:47pm 1", "December 9, 2024 0 Comments", "2 years ago #1"; not "6a Battery")."""
    if not starts_with_date(text):
        return False
    tokens = text.split()[:MAX_DATE_TOKENS]
    return any(_date_of(" ".join(tokens[:n]), False) for n in range(len(tokens), 1, -1))


def starts_with_date(text: str) -> bool:
    """The line opens with a number or a month or weekday name ("June 9 -- ...", "3. März")."""
    first = _TOKEN.search(text)
    if first is None:
        return False
    word = first.group().casefold()
    return word[0].isdigit() or word in _vocabulary()[2]


def date_text(line: Line, *, strict: bool) -> str | None:
    """The date part of a date line (a verbatim substring), or None for any other line.

    A date needs a number and, with it, a month/weekday/time word, a label, or
    two more numbers and a year ("2021.03.03"): a lone "24" is no date, and
    units of time need another date word, a label or a connector ("3 hours
    ago", "il y a 3 heures"; not the duration "1.5 hours" or the price
    "$20/month"). A line
    of short segments ("Chris Davies - Nov 19, 2019, 10:31 pm CST", "Monday
    November 18, 2019 7:45 am PST by Joe Rossignol") is a date line when one
    segment is a full date and the others are names, handles or outlets.
    """
    return date_in(line.visible, strict=strict)


def date_in(text: str, *, strict: bool) -> str | None:
    """:func:`date_text` of a text that is no :class:`Line` ("Posted on December 20, 2025")."""
    if _DIGIT.search(text) is None:  # every date has a number, and every number a digit
        return None
    return _date_of(text, strict)


@lru_cache(maxsize=4096)
def _date_of(text: str, strict: bool) -> str | None:
    span = _date_span(text, 0, len(text), strict=strict)
    if span is None and _SEGMENT_BREAK.search(text):
        edges = [0, *(i for m in _SEGMENT_BREAK.finditer(text) for i in m.span()), len(text)]
        segments = list(zip(edges[::2], edges[1::2]))
        spans = [_date_span(text, a, b, strict=True) for a, b in segments]
        dated = [sp for sp in spans if sp]
        others = [text[a:b] for (a, b), sp in zip(segments, spans) if not sp]
        if len(dated) == 1 and all(_is_name_like(o) for o in others):
            span = dated[0]
    return text[span[0]:span[1]] if span else None


def _is_name_like(segment: str) -> bool:
    """A byline or outlet segment: a few words, no sentence."""
    words = _TOKEN.findall(segment)
    return len(words) <= 6 and not segment.rstrip().endswith((".", "!", "?"))


def _date_span(text: str, start: int, end: int, *, strict: bool) -> tuple[int, int] | None:
    labels, connectors, calendar, relative, durations = _vocabulary()
    tokens = list(_TOKEN.finditer(text, start, end))
    first = None
    has_label = joined = False
    numbers = named = units = 0
    for token in tokens:
        word = token.group().casefold()
        if word in labels or word in connectors:
            has_label |= word in labels
            joined |= word in connectors
            continue
        if _NUMERIC.fullmatch(word):
            numbers += 1
            named += not word.isdigit()
        elif word in calendar or word in relative or word in durations:
            if first is None and has_label and word not in calendar:
                continue  # part of the label: "Mis à jour le", "Last updated"
            named += 1
            units += word in durations
        else:
            return None
        if first is None:
            first = token
    if first is None or not numbers or not (named or has_label or (numbers >= 3 and _YEAR.search(text, start, end))):
        return None
    if units == named and units and not (has_label or joined):
        return None  # a duration ("1.5 hours", "$20/month"), not "3 hours ago" or "il y a 3 heures"
    if strict and not has_label and numbers + named < 3:
        return None
    return first.start(), tokens[-1].end()
