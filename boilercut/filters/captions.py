"""Photo captions and credits: duplicated captions, captions at the top, credit lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import regex

from boilercut.document import Document, Line, line_key
from boilercut.phrases import alternation, words
from boilercut.result import Decision, move

# Only the end of a line can hold its credit; looking at a bounded tail keeps this linear.
_TAIL = 160


@cache
def _patterns():
    label = alternation(words("captions", "credit-label"))
    agency = alternation(words("captions", "agency"))
    caption_label = alternation(words("captions", "caption-label"))
    name = r"[^\s().:;!?][^().:;!?]{0,58}[^\s().:;!?]"
    return (
        # "(Yonhap)", "(AP Photo/Jane Doe)", "(Photo: Reuters)", "(Getty Images)"
        regex.compile(rf"\(\s*(?P<credit>(?:(?:{label})\s*[:：/]?\s*)?{name}|\w{{2}})\s*\)\s*$",
                      regex.IGNORECASE),
        # "Photo: Reuters", "Image credit: WeWork", "Credit...Jane Doe/Outlet", "Foto: dpa"
        regex.compile(rf"(?:^|(?<=[.!?。]\s{{0,3}})|\s[|/–—-]\s)\W*(?:{label})\s*(?:[:：/|]|\.{{2,}}|…|\s(?=\p{{Lu}}))"
                      rf"\s*(?P<credit>{name}|\w{{2}})\W*$", regex.IGNORECASE),
        # "... on Monday. Getty Images"
        regex.compile(rf"(?:^|(?<=[.!?。]\s{{0,3}}))(?P<credit>{agency})\W*$", regex.IGNORECASE),
        regex.compile(rf"^\W*(?:{caption_label})\s*[:：]\s*\S", regex.IGNORECASE),
        frozenset(w.casefold() for w in words("captions", "agency")),
        frozenset(line_key(w) for w in words("captions", "credit-label")),
    )


def credit_of(text: str) -> str | None:
    """The photo credit ending ``text`` ("Yonhap" for "... (Yonhap)"), or None."""
    parenthesised, labelled, agency_tail, _, agencies, _ = _patterns()
    tail = text[-_TAIL:]
    found = parenthesised.search(tail)
    if found:
        credit = found["credit"]
        folded = credit.casefold()
        if folded in agencies or labelled.match(credit) or "/" in credit or any(
                a in folded for a in ("photo", "foto", "image", "getty", "credit", "фото", "사진", "写真", "图片")):
            return credit
    found = labelled.search(tail) or agency_tail.search(tail)
    return found["credit"] if found else None


def is_credit_line(text: str, credit: str) -> bool:
    """True when ``text`` is nothing but ``credit`` and perhaps its label ("Photo: Reuters")."""
    rest = line_key(text[:text.rindex(credit)])
    return not rest or rest in _patterns()[5]


def _base_key(line: Line) -> str:
    """The line's key without its credit, to pair an alt text with its captioned copy."""
    credit = credit_of(line.text)
    text = line.text
    if credit:
        text = text[:text.rindex(credit)]
    return line_key(text)


@dataclass(frozen=True)
class Captions:
    """Photo captions and credits, moved to metadata.

    - A line repeated exactly or nearly within a few lines (image alt text, then
      the figcaption with its credit) leaves the body; the fuller copy goes to
      ``captions`` and its credit to ``credits``.
    - A single line at the top of the article that ends in a credit, or a
      labelled caption ("Above: ..."), is a caption too.
    - A credit line on its own ("Photo: Reuters") goes to ``credits``.

    Two copies of a long sentence paragraph with no credit are a duplicated
    paragraph, not a caption, and stay.
    """

    name: ClassVar[str] = "captions"
    #: How many lines apart two copies of a caption may stand.
    window: int = 3
    #: Longest caption, in words.
    max_units: int = 80

    def __call__(self, doc: Document):
        decisions: dict[int, Decision] = {}
        self._duplicates(doc, decisions)
        caption_label = _patterns()[3]
        first, _ = doc.core
        for pos, line in enumerate(doc.lines):
            if pos in decisions or line.units > self.max_units:
                continue
            credit = credit_of(line.text)
            if credit is not None and is_credit_line(line.text, credit):
                decisions[pos] = move(line, "credit", ("credits", credit))
            elif caption_label.match(line.text) or (credit and pos <= first):
                decisions[pos] = _caption(line, credit)
        return [decisions[pos] for pos in sorted(decisions)]

    def _duplicates(self, doc: Document, decisions: dict[int, Decision]) -> None:
        recent: dict[str, int] = {}
        for pos, line in enumerate(doc.lines):
            if line.units < 3 or line.units > self.max_units:
                continue
            key = _base_key(line)
            earlier = recent.get(key)
            recent[key] = pos
            if earlier is None or pos - earlier > self.window or earlier in decisions:
                continue
            first, second = doc.lines[earlier], line
            credit = credit_of(first.text) or credit_of(second.text)
            duplicated_paragraph = (credit is None and first.ends_sentence and second.ends_sentence
                                    and not doc.outside_core(earlier))
            if duplicated_paragraph:
                continue
            fuller, other = (second, first) if len(second.text) >= len(first.text) else (first, second)
            decisions[earlier if other is first else pos] = move(other, "caption-duplicate")
            decisions[earlier if fuller is first else pos] = _caption(fuller, credit_of(fuller.text))


def _caption(line: Line, credit: str | None) -> Decision:
    pairs = [("captions", line.text.strip())]
    if credit:
        pairs.append(("credits", credit))
    return move(line, "caption", *pairs)
