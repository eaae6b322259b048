"""Headline candidates, the evidence each has in the text, and their learned score.

Any title-shaped line above the article (and the first lines of it) is a
candidate, a question or an exclamation among them even when it reads as a
sentence, and so is each segment of a "Headline | Section | Site" line. Each
candidate gets a few features that describe the evidence the text holds for
it: the page title repeating it in a longer form, a byline or a date right
after it, heading markup, its words in the article. A logistic regression
fitted on train (``python -m bench.title``, scored by cross-validation grouped
by site) turns them into the probability that the candidate is the headline;
its weights are ``boilercut/models/title.json``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from boilercut.document import Document, Line, line_key, split_words

# "Headline | Site", "Headline - Section - Site", "Site: Headline" (spaces around a dash).
# (?<!\s): a run of spaces is matched from its start only (linear on long runs).
SEPARATOR = regex.compile(r"(?<!\s)\s++[|–—\-·•]\s+|(?<!\s)\s*+[|｜]\s*")
#: The characters :data:`SEPARATOR` needs: a line without them is one part.
SEPARATOR_CHARS = frozenset("|–—-·•｜")
# Markdown heading marks and emphasis around a line: "# Headline", "**Headline**".
# The closing marks are stripped without a regex: "\s*...$" would be tried from every
# position of a long run of spaces (quadratic).
_OPENING_MARKUP = regex.compile(r"^\s*(?:#{1,6}\s+)?(?:\*\*|__)?\s*")
_HEADING = regex.compile(r"^\s*(#{1,6})\s+\S")
_LINK = regex.compile(r"\]\(|https?://")
#: Candidates looked at below the start of the article core (a headline after the byline).
BELOW_CORE = 3
#: Level-1 headings looked at further down.
HEADINGS = 3
#: Longest candidate, in units.
MAX_UNITS = 40
#: Lines after (and before) a candidate where its byline or date may stand.
NEAR = 3
#: Longest question or exclamation that may be a headline, in units.
ASKS_UNITS = 16
_SENTENCE_INSIDE = regex.compile(r"[.!?。！？]\s")

FEATURES = ("bias", "above_core", "in_core", "log_units", "short", "repeated", "in_page_title",
            "segment", "segment_first", "segment_last", "byline_near", "date_near", "heading1",
            "heading", "question", "colon", "capitals", "in_article", "labels_around",
            "link", "credit", "first_line", "whole", "segment_elsewhere", "rank")


@dataclass(frozen=True)
class Candidate:
    """A possible headline: ``value`` (a substring of ``line``'s text) and its features."""

    line: Line
    position: int
    value: str
    key: str
    features: tuple[float, ...]
    #: Evidence beyond shape and position (a repeat, the page title, a byline, markup).
    evidence: bool


def _value_and_key(text: str) -> tuple[str, str]:
    value = _OPENING_MARKUP.sub("", text, count=1).rstrip().rstrip("#").rstrip()
    if value.endswith(("**", "__")):
        value = value[:-2].rstrip()
    return value, line_key(value)


def parts(text: str) -> list[str]:
    """The parts of a "Headline | Site" line, as substrings of it (empty parts left out)."""
    if SEPARATOR_CHARS.isdisjoint(text):
        return [text.strip()] if line_key(text) else []
    parts, pos = [], 0
    for match in SEPARATOR.finditer(text):
        parts.append(text[pos:match.start()])
        pos = match.end()
    parts.append(text[pos:])
    return [p.strip() for p in parts if line_key(p)]


def candidates(doc: Document) -> list[Candidate]:
    """Every headline candidate of ``doc`` with its features, in line order."""
    from boilercut.filters.byline import _byline_names, names_in
    from boilercut.filters.captions import credit_of
    from boilercut.filters.dates import date_text

    lines = doc.lines
    if not lines:
        return []
    first, last = doc.core
    end = min(len(lines), first + BELOW_CORE)
    article = set(split_words(" ".join(line.text for line in lines[first:last + 1][:40]).casefold()))
    keys = Counter(_value_and_key(line.text)[1] for line in lines)
    page_title = lines[0].key
    title_parts = {line_key(part) for part in parts(lines[0].text)}

    def is_byline(line: Line) -> bool:
        """A "By ..." line, or a short line of full names ("Jane Roe and Tom Lee")."""
        if line.units > 12:
            return False
        if _byline_names(line.text, True):
            return True
        names = names_in(line.text) if line.units <= 6 and not line.ends_sentence else ()
        return bool(names) and all(" " in name for name in names)

    memo: dict[tuple[int, int], bool] = {}

    def near(pos: int, kind: int, test) -> float:
        """Whether a line within NEAR lines of ``pos`` passes ``test`` (memoised per kind)."""
        for p in range(max(0, pos - NEAR), min(len(lines), pos + NEAR + 1)):
            if p != pos:
                if (kind, p) not in memo:
                    memo[kind, p] = test(lines[p])
                if memo[kind, p]:
                    return 1.0
        return 0.0

    def labels_around(pos: int) -> float:
        around = [lines[p] for p in range(pos - NEAR, pos + NEAR + 1) if p != pos and 0 <= p < len(lines)]
        return sum(line.units <= 3 for line in around) / max(1, len(around))

    # Level-1 headings anywhere (markdown input): the first few are candidates too.
    headings = [pos for pos in range(end, len(lines)) if lines[pos].text.startswith("# ")][:HEADINGS]
    out: list[Candidate] = []
    raw = []
    for pos in [*range(end), *headings]:
        line = lines[pos]
        if not line.has_letters or line.units > MAX_UNITS or (line.is_prose and not _asks(line)):
            continue
        segments = parts(line.text)
        forms = [(line.text, None)]
        if len(segments) > 1:
            forms += [(seg, i) for i, seg in enumerate(segments)]
        elsewhere = float(len(segments) > 1 and any(keys.get(line_key(seg), 0) for seg in segments))
        heading = _HEADING.match(line.text)
        shared = (
            math.log1p(max(0, first - pos)), math.log1p(max(0, pos - first + 1)),
        )
        by = near(pos, 0, is_byline)
        dated = near(pos, 1, lambda other: other.units <= 16 and date_text(other, strict=False) is not None)
        labels = labels_around(pos)
        link = float(bool(_LINK.search(line.text)))
        credit = float(credit_of(line.text) is not None)
        for text, index in forms:
            value, key = _value_and_key(text)
            if not key or len(key) < 2:
                continue
            words = split_words(key)
            units = max(1, len(words))
            repeated = float(keys.get(key, 0) > (1 if index is None else 0))
            in_title = float(pos > 0 and page_title != key and len(key) >= 8 and (
                key in title_parts or page_title.startswith(key[:60])))
            capitals = sum(w[:1].isupper() for w in split_words(value)) / units
            seen = sum(w in article for w in words if len(w) > 3) / max(1, sum(len(w) > 3 for w in words))
            feats = [
                1.0, *shared, math.log(units), float(units <= 2), repeated, in_title,
                float(index is not None), float(index == 0), float(index is not None and index == len(segments) - 1),
                by, dated, float(bool(heading) and len(heading.group(1)) == 1), float(bool(heading)),
                float(value.rstrip().endswith(("?", "？"))), float(":" in value), capitals,
                seen, labels, link, credit, float(pos == 0),
                float(index is None and len(segments) > 1), elsewhere,
            ]
            evidence = bool(repeated or in_title or by or dated or heading or elsewhere)
            raw.append((line, pos, value, key, feats, evidence))
    # Rank: how many candidates stand between this one and the article core.
    for rank, (line, pos, value, key, feats, evidence) in enumerate(reversed(raw)):
        out.append(Candidate(line, pos, value, key, (*feats, math.log1p(rank)), evidence))
    out.reverse()
    return out


def _asks(line: Line) -> bool:
    """One short question or exclamation ("Do forums still have a role?", "MLS is Back!"):
    a headline may read as a sentence, but not as a paragraph (:data:`ASKS_UNITS` units
    at most, no sentence before the last)."""
    text = line.visible.rstrip()
    return (line.units <= ASKS_UNITS and text.endswith(("?", "!", "？", "！"))
            and _SENTENCE_INSIDE.search(text, 0, len(text) - 1) is None)


def read_weights(text: str) -> tuple[float, ...]:
    """The weights of a scorer file, checked against :data:`FEATURES`."""
    data = json.loads(text)
    if tuple(data.get("features", ())) != FEATURES or len(data.get("weights", ())) != len(FEATURES):
        raise ValueError("the headline scorer's weights do not match boilercut.headline.FEATURES; "
                         "refit them with python -m bench.title")
    return tuple(float(w) for w in data["weights"])


@cache
def _weights() -> tuple[float, ...]:
    return read_weights(resources.files("boilercut.models").joinpath("title.json").read_text("utf-8"))


def score(candidate: Candidate, weights: tuple[float, ...] | None = None) -> float:
    """The probability that ``candidate`` is the headline."""
    z = sum(w * x for w, x in zip(weights or _weights(), candidate.features))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
