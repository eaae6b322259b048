"""The document model: the input split into lines, each with its offsets and features.

Lines are split on "\\n" only (a trailing "\\r" and other trailing whitespace are
trimmed); ``str.splitlines()`` would also break on form feeds, ``\\u2028`` and
friends and so corrupt offsets. Blank lines carry no text: they only separate
paragraphs. Every feature a filter needs is computed once per line, here, and
shared by all filters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import unicodedata

import regex

# A "unit" is a word, or two CJK characters (CJK text has no spaces between words).
_UNIT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]{1,2}|\w+")
_WORD = regex.compile(r"\w+")
# In ASCII, \w is a letter, a digit or "_": every other byte becomes a space.
_ASCII_WORD_BYTES = bytes(b if b < 128 and (chr(b).isalnum() or b == 0x5F) else 0x20
                          for b in range(256))
_LETTER = regex.compile(r"\p{L}")
_CLOSERS = "\"'”’»)]}›」』）】"
_SENTENCE_END = frozenset(".!?…。！？")
# A line this long is running text even without a sentence end (headlines are shorter).
LONG_LINE_UNITS = 25
PROSE_MIN_UNITS = 6


def split_words(text: str) -> list[str]:
    """The ``\\w+`` runs of ``text``. ASCII text (two lines in three) is split with
    a byte table in C, several times faster than the regex."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split()
    return _WORD.findall(text)


def line_key(text: str) -> str:
    """Case-folded text with edge punctuation removed and inner whitespace collapsed.

    Stripped from both ends: bullets, arrows, pipes, quotes, brackets, emoji,
    separators and punctuation of any script (Unicode categories P, S, Z).
    """
    if text.isascii():  # two lines in three: one str.strip in C
        return " ".join(text.strip(_ASCII_EDGE_JUNK).split()).casefold()
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return " ".join(text[start:end].split()).casefold()


def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZ"


_ASCII_EDGE_JUNK = "".join(c for c in map(chr, range(128)) if _is_edge_junk(c))


class Line:
    """One non-blank input line with the features the filters share.

    ``index`` is the line's position among the document's non-blank lines and is
    what decisions refer to; ``number`` is its 1-based physical line number in the
    input; ``paragraph`` counts blank-line separated blocks.
    """

    __slots__ = ("index", "number", "paragraph", "start", "end", "text", "key",
                 "units", "has_letters", "ends_sentence", "is_prose", "_scripts", "shape")

    def __init__(self, index: int, number: int, paragraph: int, start: int, text: str):
        self.index = index
        self.number = number
        self.paragraph = paragraph
        self.start = start
        self.end = start + len(text)
        self.text = text
        self.key = line_key(text)
        self.units = len(split_words(text) if text.isascii() else _UNIT.findall(text))
        self.has_letters = _LETTER.search(text) is not None
        stripped = text.rstrip().rstrip(_CLOSERS)
        self.ends_sentence = bool(stripped) and stripped[-1] in _SENTENCE_END
        self.is_prose = (self.ends_sentence and self.units >= PROSE_MIN_UNITS) or (
            self.units >= LONG_LINE_UNITS)
        self._scripts: Counter[str] | None = None
        #: The line model's shape features (see :func:`boilercut.features.shapes`), once computed.
        self.shape: tuple[float, ...] | None = None

    @property
    def scripts(self) -> Counter[str]:
        """Letters per script group (see :mod:`boilercut.scripts`), counted on first use."""
        if self._scripts is None:
            from boilercut.scripts import script_counts
            self._scripts = script_counts(self.text)
        return self._scripts

    def renumbered(self, index: int) -> Line:
        """This line at another position (same text, offsets and features)."""
        line = Line.__new__(Line)
        for slot in Line.__slots__:
            setattr(line, slot, getattr(self, slot))
        line.index = index
        return line

    @property
    def is_label(self) -> bool:
        """Short and not a sentence: the shape of menu items, headings and labels."""
        return self.units <= 4 and not self.ends_sentence

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text!r})"


def split_lines(text: str) -> list[Line]:
    """Split ``text`` on "\\n" into non-blank :class:`Line` objects with exact offsets."""
    lines: list[Line] = []
    paragraph = 0
    in_paragraph = False
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        trimmed = raw.rstrip()
        if trimmed.strip():
            lines.append(Line(len(lines), number, paragraph, pos, trimmed))
            in_paragraph = True
        elif in_paragraph:
            paragraph += 1
            in_paragraph = False
        pos += len(raw) + 1
    return lines


_EMPTY: Mapping[str, str] = MappingProxyType({})
_EMPTY_BREAKS: Mapping[int, str] = MappingProxyType({})


class Document:
    """What a filter sees: the lines still kept, in input order, plus context.

    ``lines`` holds only lines no earlier filter removed. ``hints`` carries
    metadata known from outside the text (for example a page's ``<title>``).
    Derived views (the article core, the dominant script) are computed on first
    use and cached.
    """

    __slots__ = ("text", "lines", "hints", "breaks", "found", "_core", "_script")

    def __init__(self, text: str, lines: Sequence[Line], hints: Mapping[str, str] = _EMPTY,
                 breaks: Mapping[int, str] = _EMPTY_BREAKS, found: Mapping[str, object] = _EMPTY):
        self.text = text
        self.lines = lines
        self.hints = hints
        #: Removed lines that ended a section (see :data:`SECTION_BREAKS`): index -> reason.
        self.breaks = breaks
        #: Metadata earlier passes of the pipeline found (a title found stays the title).
        self.found = found
        self._core: tuple[int, int] | None = None
        self._script: str | None = None

    @property
    def core(self) -> tuple[int, int]:
        """``(first, last)`` positions in ``lines`` of the article core, inclusive.

        The core is the run of lines with the most running text: prose lines
        score their length, other lines cost a little, and the best-scoring
        contiguous run wins (Kadane's algorithm, linear). The run cannot cross a
        section break (a removed related-articles header, comment form, menu,
        footer): what follows one is another section of the page. Debris lives
        outside the core; short lines inside it (subheadings, list items,
        quotes) are body. A document without prose (a poem, a list) is all
        core: with no article to tell it from, no line is judged by position.
        """
        if self._core is None:
            first, last = _best_run([_score(line) for line in self.lines], self._break_before())
            self._core = (first, last) if last >= 0 else (0, len(self.lines) - 1)
        return self._core

    def outside_core(self, position: int) -> bool:
        first, last = self.core
        return position < first or position > last

    @property
    def dominant_script(self) -> str:
        """The script that most letters of the document belong to (see :mod:`boilercut.scripts`)."""
        if self._script is None:
            from boilercut.scripts import dominant_script
            self._script = dominant_script("\n".join(line.text for line in self.lines),
                                           lambda: [line.scripts for line in self.lines])
        return self._script


    def _break_before(self) -> list[bool]:
        """For each position, whether a section break lies between it and the line before."""
        flags = [False] * len(self.lines)
        if self.breaks:
            breaks = sorted(self.breaks)
            k = 0
            for pos, line in enumerate(self.lines):
                while k < len(breaks) and breaks[k] < line.index:
                    flags[pos] = pos > 0
                    k += 1
        return flags


#: Reasons whose removed lines end a section of the page: the article core does
#: not run across them. An ad slot or an inline "Read more:" link does not end
#: the article, so their reasons are not here.
SECTION_BREAKS = frozenset({"related-header", "recirculation", "tags", "comment-form",
                            "comments", "copyright", "footer-link", "nav-menu", "link-list"})


def _score(line: Line) -> int:
    """Sentences count their length; long lines without a sentence end (teasers,
    headline-and-summary links) half of it; anything else costs a little."""
    if not line.is_prose:
        return -2
    units = min(line.units, 60)
    return units if line.ends_sentence else units // 2


def _best_run(scores: list[int], breaks: list[bool]) -> tuple[int, int]:
    best, best_span = 0, (0, -1)
    total, start = 0, 0
    for i, score in enumerate(scores):
        if total <= 0 or breaks[i]:
            total, start = score, i
        else:
            total += score
        if total > best:
            best, best_span = total, (start, i)
    return best_span
