"""The article's published date: which removed date line it is, and that date as a ``datetime.date``.

The Dates and Byline filters take every date line out of the body, the
article's and the others alike: comment timestamps, the dates of a related
list, a sidebar's. Which one is the article's is decided once the pipeline is
done, from where each date stood relative to the cleaned body: the article's
date sits in the header just above the body (or at its top, or right below
it); comment and related-list dates sit below the body, after the section
break that ended it, or far above it, in a sidebar.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import cache

import regex

from boilercut.phrases import words

#: How many non-blank input lines may stand between the date and the body's first
#: line (headline, byline, share buttons, an image and its caption).
HEADER_LINES = 12
#: How many non-blank input lines may stand between the body's last line and a date below it.
FOOTER_LINES = 3
#: A line this long (in characters) is a paragraph of the article, not its header.
PARAGRAPH_CHARS = 60
#: Removal reasons after which what follows is not the article (comments, related lists).
_ENDS_ARTICLE = frozenset({"comments", "comment-form", "recirculation", "related-header",
                           "copyright", "footer-link", "tags"})

# Month names by their stems, in the languages of the phrase tables; a word is the
# month of the longest stem it starts with ("juillet" -> "juil", "marca" -> "mar").
_MONTH_STEMS = {
    1: "jan jän janv ene gen sty янв",
    2: "feb fév fev lut фев",
    3: "mar mär mrz maa mrt мар",
    4: "apr avr abr kwi апр",
    5: "may mai mag maj mei май мая мае",
    6: "jun juin giu cze июн",
    7: "jul juil lug lip июл",
    8: "aug août aout ago sie авг",
    9: "sep set wrz сен",
    10: "oct okt ott out paź окт",
    11: "nov lis ноя",
    12: "dec déc dez dic gru дек",
}
_STEMS = sorted(((stem, month) for month, stems in _MONTH_STEMS.items() for stem in stems.split()),
                key=lambda pair: -len(pair[0]))
# A time of day ("10:30", "10.30 Uhr" is not matched: dots are date separators) and a
# CJK/Korean date written with unit characters ("2024年3月12日", "2024년 3월 12일").
_TIME = regex.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)")
_UNIT_DATE = regex.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_NUMERIC_DATE = regex.compile(r"(?<!\d)(\d{1,4})([./-])\s?(\d{1,2})\2\s?(\d{2,4})(?!\d)")
_WORD = regex.compile(r"\p{L}+|\d+")


def parse_date(text: str, lang: str | None = None) -> datetime.date | None:
    """The calendar date written in ``text`` (day, month and year), or None.

    Reads "March 12, 2024", "12. März 2024", "12 de marzo de 2024", "2024-03-12",
    "12.03.2024", "2024年3月12日". A slashed date whose order is ambiguous
    ("03/04/2024") is month first only when ``lang`` is ``"en"``; without a
    language it is not guessed. Relative dates ("3 hours ago") give None.
    """
    text = _TIME.sub(" ", text)
    found = _UNIT_DATE.search(text)
    if found:
        return _date(*map(int, found.groups()))
    found = _NUMERIC_DATE.search(text)
    if found:
        a, sep, b, c = found.groups()
        a, b, c = int(a), int(b), int(c)
        if len(found.group(1)) == 4:
            return _date(a, b, c)
        year = c if c >= 100 else 2000 + c
        if sep == ".":  # day first wherever dots separate
            return _date(year, b, a)
        if a <= 12 and b <= 12 and a != b:
            return _date(year, a, b) if lang == "en" else None
        return _date(year, a, b) if a <= 12 < b else _date(year, b, a)
    month = day = year = None
    for word in _WORD.findall(text):
        if word.isdigit():
            number = int(word)
            if len(word) == 4 and 1900 <= number <= 2099 and year is None:
                year = number
            elif 1 <= number <= 31 and len(word) <= 2 and day is None:
                day = number
        elif month is None and word.casefold() in _month_words():
            month = _month(word.casefold())
    if month and day and year:
        return _date(year, month, day)
    return None


@cache
def _month_words() -> frozenset[str]:
    """Month names and abbreviations of every phrase table: weekdays ("martes") are no months."""
    return frozenset(w.casefold() for w in words("dates", "month"))


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    return next((month for stem, month in _STEMS if word.startswith(stem)), None)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def choose(text: str, dates: Sequence[tuple[int, str]], body: tuple[int, int] | None,
           breaks: Sequence[tuple[int, str]], lang: str | None = None,
           title: int | None = None) -> str | None:
    """The raw text of the article's date among ``dates`` (``(offset, raw)`` of removed date lines).

    ``body`` is the input span of the cleaned body (first line's start, last
    line's end), ``breaks`` the ``(offset, reason)`` of the other removals. The
    date is, in order of preference: the first of the header's dates (a date
    line at most :data:`HEADER_LINES` lines above the body, with the dates on
    the lines right above it; "Published ... / Updated ..." gives the first); the first date
    inside the body's span; a date right below the body with no comment or
    related section from the body's start to it. Before these, when the headline was found
    (``title``, its line's offset), a date between it and the first paragraph
    under it: a kept sidebar above the article must not pass for its header.
    Only dates :func:`parse_date` reads count.
    """
    readable = sorted((start, raw) for start, raw in dates if parse_date(raw, lang))
    if not readable:
        return None
    if body is None:
        return readable[0][1]
    if title is not None:  # the header: from the headline to the first paragraph under it
        header_end = _first_paragraph(text, title)
        near = [(s, raw) for s, raw in readable if title < s < header_end]
        if near:
            return near[0][1]
    first, last = body
    above = [(s, raw) for s, raw in readable if s < first and _lines_between(text, s, first) <= HEADER_LINES]
    if above:
        block = [above[-1]]
        for s, raw in reversed(above[:-1]):
            if _lines_between(text, s, block[0][0]) > 0:
                break
            block.insert(0, (s, raw))
        return block[0][1]
    inside = [raw for s, raw in readable if first <= s < last and _lines_between(text, first, s) <= 2]
    if inside:
        return inside[0]
    # No comment or related section between the article and the date: not below the
    # body's last line only, a related headline the body kept may stand there.
    below = [(s, raw) for s, raw in readable if s >= last and _lines_between(text, last, s) <= FOOTER_LINES
             and not any(first <= b < s and reason in _ENDS_ARTICLE for b, reason in breaks)]
    return below[0][1] if below else None


def _first_paragraph(text: str, start: int) -> int:
    """The offset of the first paragraph-length line (60 characters or more) after ``start``."""
    pos = text.find("\n", start)
    while pos != -1:
        end = text.find("\n", pos + 1)
        line = text[pos + 1:end if end != -1 else len(text)]
        if len(line.strip()) >= PARAGRAPH_CHARS:
            return pos + 1
        pos = end
    return len(text)


def _lines_between(text: str, start: int, end: int) -> int:
    """Non-blank lines that start strictly between offsets ``start`` and ``end``."""
    segment = text[start:end].split("\n")[1:]
    return sum(1 for line in segment if line.strip())
