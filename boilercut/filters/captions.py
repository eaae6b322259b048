"""Photo captions and credits: duplicated captions, captions at the top, credit lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import ClassVar, NamedTuple

import regex

from boilercut.document import _UNIT, Document, Line, line_key, split_words
from boilercut.filters.dates import date_text
from boilercut.phrases import alternation, words
from boilercut.result import Decision, drop, move

# Only the end of a line can hold its credit; looking at a bounded tail keeps this linear.
_TAIL = 160
_TAIL_WORDS = 12
# Only the start of a line can hold a caption label ("Above: ...").
_HEAD = 80
_TOKEN = regex.compile(r"\w+")


class Credit(NamedTuple):
    """A photo credit found at the end of a line: its ``value``, where its clause
    (label and brackets included) ``start``s in the line, and whether a credit
    label ("Photo:", "Credit...") introduced it."""

    value: str
    start: int
    labelled: bool = False


@dataclass(frozen=True)
class _Patterns:
    parenthesised: regex.Pattern
    labelled: regex.Pattern
    agency_tail: regex.Pattern
    credit_word: regex.Pattern
    label_word: regex.Pattern
    #: Caption labels ("above", "im bild"), case-folded.
    caption_labels: frozenset[str]
    labels: frozenset[str]
    #: The longest word of each label: a tail without one holds no labelled credit.
    label_words: frozenset[str]
    #: The last word of each agency: a tail whose last word ends otherwise has no agency credit.
    agency_ends: tuple[str, ...]


@cache
def _patterns() -> _Patterns:
    labels = words("captions", "credit-label")
    agencies = words("captions", "agency")
    label, agency = alternation(labels), alternation(agencies)
    name = r"[^\s().:;!?（）][^().:;!?（）]{0,58}[^\s().:;!?（）]|\w{2}"
    after_sentence = r"(?:^|(?<=[.!?。]\s{0,3})|(?<=\s[|–—-]\s))"
    flags = regex.IGNORECASE
    return _Patterns(
        # "(Yonhap)", "(AP Photo/Jane Doe)", "(Photo: Reuters)", "(Getty Images)"
        regex.compile(rf"[(（]\s*(?P<credit>(?:(?:{label})\s*[:：/]?\s*)?(?:{name}))\s*[)）]\s*$", flags),
        # "Photo: Reuters", "Image credit: WeWork", "Credit...Jane Doe/Outlet", "Foto: dpa"
        regex.compile(rf"{after_sentence}\W*(?:{label})\s*(?:[:：/|=]|\.{{2,}}|…|\.(?=\s))\s*(?P<credit>{name})\W*$",
                      flags),
        # "... on Monday. Getty Images", "Jane Doe/Hindustan Times/Getty Images", "... © Reuters"
        regex.compile(rf"{after_sentence}(?:(?:©|\(c\))\s*)?(?P<credit>(?:[^/|.!?()©]{{1,40}}\s*[/|]\s*){{0,3}}"
                      rf"(?:{agency}))\W*$",
                      flags),
        regex.compile(rf"(?:^|/)\s*(?:{label}|{agency})(?!\w)", flags),
        regex.compile(label, flags),
        frozenset(w.casefold() for w in words("captions", "caption-label")),
        frozenset(line_key(w) for w in labels),
        frozenset(max(_TOKEN.findall(w.casefold()), key=len) for w in labels if _TOKEN.search(w)),
        # An agency with no word character ends in "": every tail then passes the test.
        tuple({(_TOKEN.findall(w.casefold()) or [""])[-1] for w in agencies}),
    )


@lru_cache(maxsize=8192)
def credit_of(text: str) -> Credit | None:
    """The photo credit ending ``text`` ("Yonhap" for "... (Yonhap)"), or None.

    A bracketed tail is a credit only when it names an agency or a credit label
    or has a slash ("AP Photo/Jane Doe"): "(2019)" or "(left)" is not one.
    """
    patterns = _patterns()
    offset = max(0, len(text) - _TAIL)
    tail = text[offset:]
    # Cheap tests first: each pattern runs only on a tail that has what it needs.
    last_words = split_words(tail.casefold())[-_TAIL_WORDS:]
    if tail.rstrip().endswith((")", "）")):
        found = patterns.parenthesised.search(tail)
        if found and ("/" in found["credit"] or patterns.credit_word.search(found["credit"])):
            labelled = "/" in found["credit"] or patterns.label_word.search(found["credit"]) is not None
            return Credit(found["credit"], offset + found.start(), labelled)
    if not patterns.label_words.isdisjoint(last_words):
        found = patterns.labelled.search(tail)
        if found:
            return Credit(found["credit"], offset + found.start(), True)
    if last_words and last_words[-1].endswith(patterns.agency_ends):
        found = patterns.agency_tail.search(tail)
        if found:
            return Credit(found["credit"], offset + found.start())
    return None


_LEADING_NON_WORD = regex.compile(r"\W*")
_COLON = regex.compile(r"[:：]")


def has_caption_label(head: str) -> bool:
    """``head`` starts with a caption label and a colon, then text ("Above: ...").

    A set lookup of the words before the first colon: a regex alternation of
    every language's labels cost 13 to 130 µs a line, and markdown lines, whose
    link targets hold colons, made it the slowest step of the pipeline."""
    start = _LEADING_NON_WORD.match(head).end()
    colon = _COLON.search(head, start)
    if colon is None or not head[colon.end():].strip():
        return False
    return head[start:colon.start()].rstrip().casefold() in _patterns().caption_labels


def is_credit_line(text: str, credit: Credit) -> bool:
    """True when ``text`` is nothing but its credit and perhaps a label ("Photo: Reuters")."""
    rest = line_key(text[:text.rindex(credit.value)])
    return not rest or rest in _patterns().labels


def _base_key(line: Line) -> str:
    """The line's key without its credit, to pair an alt text with its captioned copy."""
    credit = credit_of(line.visible)
    return line_key(line.visible[:credit.start]) if credit else line.key


@dataclass(frozen=True)
class Captions:
    """Photo captions and credits, moved to metadata.

    - A line repeated exactly or nearly within a few lines (image alt text, then
      the figcaption with its credit) leaves the body; the fuller copy goes to
      ``captions`` and its credit to ``credits``.
    - A single line at the top of the article that ends in a credit, a line
      anywhere that ends in a labelled credit ("... Photo: Jane Roe/Outlet"), and
      a labelled caption ("Above: ...") are captions too.
    - A credit line on its own ("Photo: Reuters") goes to ``credits``; the line
      before it is its caption when the two make up a paragraph; a bare label
      ("Photo:") takes the short line after it as the credit.

    Two copies of a long sentence paragraph with no credit are a duplicated
    paragraph, not a caption, and stay. So do the copies of a line that is no
    description (:func:`describes`): a timestamp ("2 days ago") or a price
    ("From $29.00") repeated a few lines apart is the same field of neighbouring
    records (the entries of a listing), not an image's alt text and caption.
    """

    name: ClassVar[str] = "captions"
    #: How many lines apart two copies of a caption may stand.
    window: int = 3
    #: Longest caption, in words.
    max_units: int = 80

    def __call__(self, doc: Document):
        decisions: dict[int, Decision] = {}
        self._duplicates(doc, decisions)
        patterns = _patterns()
        first, _ = doc.core
        lines = doc.lines
        for pos, line in enumerate(lines):
            if pos in decisions or line.units > self.max_units:
                continue
            credit = credit_of(line.visible)
            following = lines[pos + 1] if pos + 1 < len(lines) else None
            if credit is not None and is_credit_line(line.visible, credit):
                decisions[pos] = move(line, "credit", ("credits", credit.value))
                previous = lines[pos - 1] if pos else None
                if (previous and pos - 1 not in decisions and _paragraph_of_two(lines, pos - 1)
                        and previous.units <= self.max_units):
                    decisions[pos - 1] = _caption(previous, None)
            elif line.key in patterns.labels and following and following.paragraph == line.paragraph \
                    and following.units <= 8 and credit_of(following.visible) is None:
                decisions[pos] = drop(line, "credit")
                decisions[pos + 1] = move(following, "credit", ("credits", following.visible.strip()))
            elif (has_caption_label(line.visible[:_HEAD])
                  or (credit and (pos <= first or credit.labelled))):
                decisions[pos] = _caption(line, credit)
        return [decisions[pos] for pos in sorted(decisions)]

    def _duplicates(self, doc: Document, decisions: dict[int, Decision]) -> None:
        recent: dict[str, int] = {}
        for pos, line in enumerate(doc.lines):
            if line.units < 3 or line.units > self.max_units or line.visible.lstrip().startswith("|"):
                continue  # too short or long for a caption, or a table row (headers repeat)
            key = _base_key(line)
            earlier = recent.get(key)
            recent[key] = pos
            if earlier is None or pos - earlier > self.window or earlier in decisions \
                    or not describes(line):
                continue
            first, second = doc.lines[earlier], line
            credit = credit_of(first.visible) or credit_of(second.visible)
            duplicated_paragraph = (credit is None and first.ends_sentence and second.ends_sentence
                                    and not doc.outside_core(earlier))
            if duplicated_paragraph:
                continue
            fuller, other = (second, first) if len(second.visible) >= len(first.visible) else (first, second)
            decisions[earlier if other is first else pos] = move(other, "caption-duplicate")
            decisions[earlier if fuller is first else pos] = _caption(fuller, credit_of(fuller.visible))


def describes(line: Line) -> bool:
    """A caption describes in words: two or more of them (units as :class:`Line` counts
    them, holding a letter), and it is not a date line."""
    worded = 0
    for unit in _UNIT.finditer(line.visible):
        worded += any(char.isalpha() for char in unit.group())
        if worded == 2:
            return date_text(line, strict=False) is None
    return False


def _paragraph_of_two(lines, pos: int) -> bool:
    """``lines[pos]`` and the next line make up a whole paragraph: a caption with its credit."""
    paragraph = lines[pos].paragraph
    return (lines[pos + 1].paragraph == paragraph
            and (pos == 0 or lines[pos - 1].paragraph != paragraph)
            and (pos + 2 >= len(lines) or lines[pos + 2].paragraph != paragraph))


def _caption(line: Line, credit: Credit | None) -> Decision:
    pairs = [("captions", line.visible.strip())]
    if credit:
        pairs.append(("credits", credit.value))
    return move(line, "caption", *pairs)
