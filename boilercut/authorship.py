"""Byline candidates, the evidence each has in the text, and their learned score.

A candidate is a short line that names people: a "By ..." line (see
:mod:`boilercut.filters.byline`), the line after a bare "By" / "Written by"
label, a byline label after a date ("Posted on May 3, 2017 by Erin Spain"),
names followed by the line's own date ("Tom Talbot October 14, 2025", a forum's
"DaleJack May 4, 2022, 3:47pm"), a line of full names alone ("Maya Okafor",
"Jane Roe and Tom Lee", "Jane Roe, Science Editor"), or markdown author links
(``[Jane Roe](/author/jane-roe)``); a markdown line is read by its visible text.
Its features describe where it stands (above the article or in it, beside a date
or a headline-like line) and what else the page says about the names (repeated in
an author box, in the page title). A logistic regression fitted on train (``python
-m bench.authors``, on pages with an author and, as negatives, pages without one;
scored by cross-validation grouped by site) gives the probability that the
candidate is the article's byline; its weights are ``boilercut/models/authors.json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from boilercut.document import Document, Line

_LINK = regex.compile(r"\[([^\]\[]{2,80})\]\(([^()\s]{0,300})\)")
_DIGIT = regex.compile(r"\d")
_AUTHOR_URL = regex.compile(r"author|autor|auteur|profile|people|staff|writer|journalist|/by/|/user",
                            regex.IGNORECASE)
#: Lines around the article's start where a byline is looked for, and lines beside a candidate.
ABOVE, INTO, NEAR = 40, 6, 2
MAX_UNITS = 30
#: Longest line of names alone (no "By", no link), in units.
MAX_BARE_UNITS = 8

#: What may stand between names and the date after them: separators, and a handle in
#: brackets of at most MAX_HANDLE characters ("raoul (raoul) May 3, 2024").
_SEPARATORS = " \t•·|,-–—/"
MAX_HANDLE = 40

FEATURES = ("bias", "prefixed", "after_label", "bare", "link", "author_link", "names_log",
            "units_log", "covered", "above_core", "in_core", "date_near", "headline_before",
            "elsewhere", "in_page_title", "labels_around", "single_words", "upper", "rank",
            "inline", "dated")


@dataclass(frozen=True)
class Candidate:
    """A possible byline: its ``line``, the ``names`` in it (substrings), and features."""

    line: Line
    position: int
    names: tuple[str, ...]
    features: tuple[float, ...]
    #: Evidence beyond a line of capitalised words (a "By" prefix, an author link, a date beside it).
    evidence: bool


def _names(line: Line, previous: Line | None) -> tuple[tuple[str, ...], str]:
    """The names of ``line`` and how it shows them: prefixed, after_label, link, inline,
    dated, bare, or ''."""
    from boilercut.filters.byline import _byline_names, _patterns, names_in

    patterns = _patterns()
    prefixed = line.key.startswith(patterns.prefixes)
    links = ([m for m in _LINK.finditer(line.text) if not m.group(1).startswith("!")]
             if "](" in line.text else [])
    linked = tuple(n for m in links for n in names_in(m.group(1)) if n == m.group(1).strip())
    if linked and (prefixed or any(_AUTHOR_URL.search(m.group(2)) for m in links)):
        # "By [Jane Roe](/author/jane-roe)Published: ...": the link text is the name
        return linked, "prefixed" if prefixed else "link"
    text = line.visible
    names = _byline_names(text, prefixed)
    if names:
        return names, "prefixed"
    if previous is not None and patterns.bare_prefix.match(previous.visible):
        names = names_in(text)
        if names:
            return names, "after_label"
    if linked:
        return linked, "link"
    if line.ends_sentence or _is_labelled_credit(text):
        return (), ""
    # Both forms below need a date, and every date a digit: most lines skip them.
    has_digit = _DIGIT.search(text) is not None
    names = _inline_names(text) if has_digit or prefixed else ()
    if names:
        return names, "inline"
    names = names_in(text) if has_digit or line.units <= MAX_BARE_UNITS else ()
    if names and has_digit and _date_follows(text, names[-1]):
        return names, "dated"
    if names and line.units <= MAX_BARE_UNITS and all(" " in n or "\u3000" in n for n in names):
        return names, "bare"
    return (), ""


def _inline_names(text: str) -> tuple[str, ...]:
    """The names after a byline label inside the line, when a date stands before the label
    ("Posted on May 3, 2017 by Erin Spain") or the label repeats one ("Written by by Jane Roe");
    not a headline with "by" in it ("Why Acme Saw $3M Growth by Improving Their Website")."""
    from boilercut.filters.byline import _patterns, names_in
    from boilercut.filters.dates import date_in

    patterns = _patterns()
    for match in patterns.inline.finditer(text):
        head = text[:match.start()].strip()
        if patterns.bare_prefix.match(head) or date_in(head, strict=False):
            names = names_in(match["rest"])
            if names:
                return names
    return ()


def _date_follows(text: str, last_name: str) -> bool:
    """A date follows the names, with at most a separator or a handle in brackets between
    ("Tom Talbot October 14, 2025", "Jane Roe • Oct 20", "raoul (raoul) May 3, 2024, 8:45am 1")."""
    from boilercut.filters.dates import opens_with_date

    at = text.find(last_name)
    rest = text[at + len(last_name):].lstrip(_SEPARATORS) if at >= 0 else ""
    if rest.startswith("(") and ")" in rest[:MAX_HANDLE]:
        rest = rest[rest.index(")") + 1:].lstrip(_SEPARATORS)
    return opens_with_date(rest)


def _is_labelled_credit(text: str) -> bool:
    """A photo credit with its label ("Fot. Piotr Zieliński / PAP"): the photographer is no author."""
    from boilercut.filters.captions import credit_of

    credit = credit_of(text)
    return credit is not None and credit.labelled


def candidates(doc: Document) -> list[Candidate]:
    """Every byline candidate near the start of the article, with its features."""
    from boilercut.filters.dates import date_text

    lines = doc.lines
    if not lines:
        return []
    first, _ = doc.core
    start, end = max(0, first - ABOVE), min(len(lines), first + INTO)
    head = lines[0].text.casefold()
    text = doc.text
    raw = []
    for pos in range(start, end):
        line = lines[pos]
        if line.units > MAX_UNITS or line.is_prose:
            continue
        names, how = _names(line, lines[pos - 1] if pos else None)
        names = tuple(n for n in names if n in line.text)  # metadata is verbatim input
        if not names:
            continue
        around = [lines[p] for p in range(max(0, pos - NEAR), min(len(lines), pos + NEAR + 1)) if p != pos]
        dated = any(o.units <= 16 and date_text(o, strict=False) is not None for o in around)
        if not dated:  # "By Jane Roe | March 3, 2021": the date on the byline's own line
            dated = date_text(line, strict=False) is not None
        before = lines[pos - 1] if pos else None
        headline = before is not None and 4 <= before.units <= 30 and not before.ends_sentence
        covered = sum(len(n) for n in names) / max(1, len(line.key))
        links = [m.group(2) for m in _LINK.finditer(line.text)]
        feats = [
            1.0, float(how == "prefixed"), float(how == "after_label"), float(how == "bare"),
            float(how == "link"), float(any(_AUTHOR_URL.search(url) for url in links)),
            math.log(len(names)), math.log(max(1, line.units)), min(1.0, covered),
            math.log1p(max(0, first - pos)), math.log1p(max(0, pos - first + 1)), float(dated),
            float(headline), math.log1p(sum(text.count(n) for n in names) - len(names)),
            float(pos > 0 and any(n.casefold() in head for n in names)),
            sum(o.units <= 3 for o in around) / max(1, len(around)),
            float(any(" " not in n for n in names)), float(any(n.isupper() for n in names)),
        ]
        evidence = how != "bare" or dated or headline
        raw.append((line, pos, names, feats, how, evidence))
    out = [Candidate(line, pos, names, (*feats, math.log1p(rank), float(how == "inline"),
                                        float(how == "dated")), evidence)
           for rank, (line, pos, names, feats, how, evidence) in enumerate(raw)]
    return out


def read_weights(text: str) -> tuple[float, ...]:
    """The weights of a scorer file, checked against :data:`FEATURES`."""
    data = json.loads(text)
    if tuple(data.get("features", ())) != FEATURES or len(data.get("weights", ())) != len(FEATURES):
        raise ValueError("the byline scorer's weights do not match boilercut.authorship.FEATURES; "
                         "refit them with python -m bench.authors")
    return tuple(float(w) for w in data["weights"])


@cache
def _weights() -> tuple[float, ...]:
    return read_weights(resources.files("boilercut.models").joinpath("authors.json").read_text("utf-8"))


def score(candidate: Candidate, weights: tuple[float, ...] | None = None) -> float:
    """The probability that ``candidate`` is the article's byline."""
    z = sum(w * x for w, x in zip(weights or _weights(), candidate.features))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
