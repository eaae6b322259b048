"""The document model: the input split into lines, each with its offsets and features.

Lines end at "\\n", "\\r\\n" or a lone "\\r" (old Mac files, stray carriage
returns), as browsers read them, and trailing whitespace is trimmed; offsets stay
exact. ``str.splitlines()`` would also break on form feeds, ``\\u2028`` and friends
and so corrupt offsets. A body never holds a lone "\\r", so cleaning it again
splits it the same way. Blank lines carry no text: they only separate paragraphs.
In plain text, the lines of a hard-wrapped paragraph are one :class:`Line` (see
:func:`wrapped_runs`). Every feature a filter needs is computed once per line, here,
and shared by all filters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

import unicodedata

import regex

if TYPE_CHECKING:
    from boilercut.markdown import Markup

# A "unit" is a word, or two CJK characters (CJK text has no spaces between words).
_UNIT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]{1,2}|\w+")
_WORD = regex.compile(r"\w+")
# In ASCII, \w is a letter, a digit or "_": every other byte becomes a space.
_ASCII_WORD_BYTES = bytes(b if b < 128 and (chr(b).isalnum() or b == 0x5F) else 0x20
                          for b in range(256))
_LETTER = regex.compile(r"\p{L}")
#: A line end where a lone "\r" is one too (see :func:`raw_lines`).
_LINE_END = regex.compile(r"\r\n|\r|\n")
_CLOSERS = "\"'”’»)]}›」』）】"
_OPENERS = "\"'“‘«([{‹「『（【¿¡"
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
    input (the first of a hard-wrapped paragraph's, which are one line, see
    :func:`wrapped_runs`); ``paragraph`` counts blank-line separated blocks. ``text``
    is the line as it came (the body is made of it); ``visible`` is what a reader
    sees of it, from which the features come and which filters match: ``text``
    itself for plain text, the line without its markup for markdown, whose
    ``markup`` (see :mod:`boilercut.markdown`) is None for plain text.

    A line is read-only (but for its feature caches): filters decide about
    lines, they never edit them, so a filter that assigns ``line.text`` fails
    with an AttributeError (a fault naming it) instead of putting its own text
    into the body.
    """

    __slots__ = ("index", "number", "paragraph", "start", "end", "text", "visible", "markup",
                 "key", "units", "has_letters", "ends_sentence", "is_prose", "_scripts", "shape")

    def __init__(self, index: int, number: int, paragraph: int, start: int, text: str,
                 visible: str | None = None, markup: Markup | None = None):
        set_ = object.__setattr__
        set_(self, "index", index)
        set_(self, "number", number)
        set_(self, "paragraph", paragraph)
        set_(self, "start", start)
        set_(self, "end", start + len(text))
        set_(self, "text", text)
        set_(self, "markup", markup)
        text = text if visible is None else visible
        set_(self, "visible", text)
        set_(self, "key", line_key(text))
        units = len(split_words(text) if text.isascii() else _UNIT.findall(text))
        set_(self, "units", units)
        set_(self, "has_letters", _LETTER.search(text) is not None)
        stripped = text.rstrip().rstrip(_CLOSERS)
        ends_sentence = bool(stripped) and stripped[-1] in _SENTENCE_END
        set_(self, "ends_sentence", ends_sentence)
        # A markdown line that is mostly link text is a link (a teaser, a menu entry), not prose.
        set_(self, "is_prose", ((ends_sentence and units >= PROSE_MIN_UNITS)
                                or units >= LONG_LINE_UNITS)
             and (markup is None or not markup.is_link(text)))
        set_(self, "_scripts", None)  # Counter[str], counted on first use
        #: The line model's shape features (see :func:`boilercut.features.shapes`), once computed.
        set_(self, "shape", None)

    def __setattr__(self, name: str, value) -> None:
        if name not in _LINE_CACHES:
            raise AttributeError(f"Line.{name} is read-only: a filter decides about lines, "
                                 "it does not edit them")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Line.{name} is read-only")

    @property
    def scripts(self) -> Counter[str]:
        """Letters per script group (see :mod:`boilercut.scripts`), counted on first use."""
        if self._scripts is None:
            from boilercut.scripts import script_counts
            self._scripts = script_counts(self.visible)
        return self._scripts

    def renumbered(self, index: int) -> Line:
        """This line at another position (same text, offsets and features)."""
        line = Line.__new__(Line)
        for slot in Line.__slots__:
            object.__setattr__(line, slot, getattr(self, slot))
        object.__setattr__(line, "index", index)
        return line

    @property
    def is_label(self) -> bool:
        """Short and not a sentence: the shape of menu items, headings and labels."""
        return self.units <= 4 and not self.ends_sentence

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.text!r})"


#: The attributes of a :class:`Line` that may be set after it is made: caches of its features.
_LINE_CACHES = frozenset({"_scripts", "shape"})


def raw_lines(text: str) -> list[tuple[str, int]]:
    """``text``'s physical lines with the length of the line end after each: "\\n",
    "\\r\\n" and a lone "\\r" all end a line (as browsers and Python's universal
    newlines read them). A "\\r" before "\\n" stays at the end of its line."""
    if "\r" not in text or text.count("\r") == text.count("\r\n"):
        return [(raw, 1) for raw in text.split("\n")]
    out, pos = [], 0
    for end in _LINE_END.finditer(text):
        out.append((text[pos:end.start()], end.end() - end.start()))
        pos = end.end()
    out.append((text[pos:], 0))
    return out


def count_lines(text: str) -> int:
    """How many physical lines :func:`raw_lines` finds in ``text``, without splitting it."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def split_lines(text: str, markdown: bool = False) -> list[Line]:
    """Split ``text`` into non-blank :class:`Line` objects with exact offsets (line ends
    as :func:`raw_lines` reads them); with ``markdown``, each with its visible text and
    markup. In plain text, a hard-wrapped paragraph is one line (see :func:`wrapped_runs`)."""
    physical = raw_lines(text)
    views = None
    if markdown:
        from boilercut.markdown import read

        views = read("\n".join(raw for raw, _ in physical))
    lines: list[Line] = []
    long_unbroken: list[int] = []  # long enough to be wrapped, and only "\n" after it
    paragraph = 0
    in_paragraph = False
    pos = 0
    for number, (raw, end) in enumerate(physical, start=1):
        trimmed = raw.rstrip()
        if trimmed.strip():
            lines.append(Line(len(lines), number, paragraph, pos, trimmed, *views[number - 1])
                         if views else Line(len(lines), number, paragraph, pos, trimmed))
            if len(raw) >= MIN_WRAP_WIDTH and end == 1 and len(trimmed) == len(raw) and (
                    text.startswith("\n", pos + len(raw))):
                long_unbroken.append(len(lines) - 1)
            in_paragraph = True
        elif in_paragraph:
            paragraph += 1
            in_paragraph = False
        pos += len(raw) + end
    spans = wrapped_runs(lines, long_unbroken) if views is None and long_unbroken else {}
    if not spans:
        return lines
    joined: list[Line] = []
    i = 0
    while i < len(lines):
        line, last = lines[i], spans.get(i, i)
        if last > i or line.index != len(joined):
            line = Line(len(joined), line.number, line.paragraph, line.start,
                        text[line.start:lines[last].end])
        joined.append(line)
        i = last + 1
    return joined


#: A hard-wrapped line is 30 to 100 characters long: wrap widths are 60 to 80.
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 30, 100
#: A wrapped paragraph spans at least this many physical lines.
MIN_WRAPPED_LINES = 3
_NO_WRAP, _WRAP_AT_SPACE, _WRAP_IN_SENTENCE = 0, 1, 2


def wrapped_runs(lines: Sequence[Line], long_unbroken: Sequence[int]) -> dict[int, int]:
    """Hard-wrapped paragraphs (a ``<pre>`` block, a plain-text mail, text taken with
    its source's line breaks): first line -> last line of each run to read as one.

    Line by line, such a paragraph looks like a menu or a list of headlines (short
    lines without a sentence end); whole, it is prose. A line may run on into the
    next when only "\n" parts them, it is 30 to 100 characters long
    (``long_unbroken``: the positions of those, in order), it does not end with a
    colon (a list follows) and the next opens with a letter, after any opening quote
    or bracket (and not a URL). A run of such lines is a wrapped paragraph when each
    line but the last would have had no room for the next one's first word (within
    that word of the run's longest line, as greedy wrapping leaves it), it has
    :data:`MIN_WRAPPED_LINES` lines or more (a headline over a byline, "... by Jane
    Roe", stays two lines), its last line ends a sentence, and at least once a line breaks inside a sentence: no sentence end, and
    the next opens in lower case. A list of even items opening in lower case
    ("kubectl create service ...") rarely ends with a full stop. Scripts without case
    never show a lower-case run-on, so they never run on: a missed wrap keeps the
    lines as they are.
    """
    spans: dict[int, int] = {}
    chain: list[int] = []  # positions of a run of lines that may run on, and its last line
    kinds: list[int] = []  # the kind of break after each position of the chain but the last
    for k in [*long_unbroken, None]:
        kind = _NO_WRAP if k is None or k + 1 >= len(lines) else _break_kind(lines[k], lines[k + 1])
        if kind != _NO_WRAP and chain and chain[-1] == k:
            chain.append(k + 1)
            kinds.append(kind)
            continue
        if chain:
            _close(lines, chain, kinds, spans)
        chain, kinds = ([k, k + 1], [kind]) if kind != _NO_WRAP else ([], [])
    return spans


def _close(lines: Sequence[Line], chain: list[int], kinds: list[int], spans: dict[int, int]) -> None:
    """Split ``chain`` where a line had room for the next one's first word; keep the
    pieces that make a wrapped paragraph."""
    width = max(len(lines[i].text) for i in chain)
    start = 0
    for n, i in enumerate(chain):
        if i == chain[-1] or len(lines[i].text) + 1 + len(_first_word(lines[i + 1])) <= width:
            if (n - start + 1 >= MIN_WRAPPED_LINES and _WRAP_IN_SENTENCE in kinds[start:n]
                    and lines[i].ends_sentence):
                spans[chain[start]] = i
            start = n + 1


def _break_kind(line: Line, following: Line) -> int:
    """How ``line`` breaks into ``following``, as far as the two lines alone tell."""
    text = line.text
    if following.number != line.number + 1 or len(text) > MAX_WRAP_WIDTH:
        return _NO_WRAP
    last = text[-1]
    if last in _CLOSERS:
        last = text.rstrip(_CLOSERS)[-1:]
    word = _first_word(following)
    letter = word.lstrip(_OPENERS)[:1]
    if last in (":", "：") or not letter.isalpha() or "://" in word or word.startswith("www."):
        return _NO_WRAP
    return _WRAP_IN_SENTENCE if letter.islower() and last not in _SENTENCE_END else _WRAP_AT_SPACE


def _first_word(line: Line) -> str:
    return line.text.split(None, 1)[0]


_EMPTY: Mapping[str, str] = MappingProxyType({})
_EMPTY_BREAKS: Mapping[int, str] = MappingProxyType({})


#: Date or byline lines inside the core from which they are read as parts of records.
RECORDS = 5


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

    def records(self, positions: Iterable[int], minimum: int) -> set[int]:
        """The ``positions`` inside the core, when at least ``minimum`` of them are.

        Many date or byline lines inside the core make it a run of dated or signed
        records (forum posts, comments, the entries of a listing): there such a
        line is part of its record, not the page's own date or byline.
        """
        inside = {pos for pos in positions if not self.outside_core(pos)}
        return inside if len(inside) >= minimum else set()

    @property
    def dominant_script(self) -> str:
        """The script that most letters of the document belong to (see :mod:`boilercut.scripts`)."""
        if self._script is None:
            from boilercut.scripts import dominant_script
            self._script = dominant_script("\n".join(line.visible for line in self.lines),
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
