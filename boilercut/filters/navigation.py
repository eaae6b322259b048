"""Navigation debris: back-to-top and skip links, menus, breadcrumbs, pagination."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import regex

from boilercut.document import Document, Line
from boilercut.filters.captions import credit_of
from boilercut.filters.dates import starts_with_date
from boilercut.markdown import is_link_line
from boilercut.phrases import alternation, matcher, phrases_of
from boilercut.result import drop

@cache
def _pagination() -> regex.Pattern:
    """Page numbers: "1 2 3 4 Next", "« 1 2 … 9 »", "Page 2 of 5", "2/5" (keys have edge
    symbols stripped). One number alone is no pagination: it needs a second number
    or a page word."""
    page = alternation(phrases_of("navigation", "exact", "pagination") + ["page", "seite", "página",
                                                                          "pagina", "страница", "strona"])
    number = r"\d{1,4}(?!\d)"
    joiner = r"\s*(?:of|/|von|de|di|van|из|z|\||…|\.{2,3}|·)?\s*"
    return regex.compile(
        rf"^(?:(?:{page})\s*)*(?:{number}(?:{joiner}{number})+|(?<=\w\s*){number})(?:\s*(?:{page}))*$",
        regex.IGNORECASE)


# "Home > World > Asia", "Home / News / Politics": short segments joined by a separator.
_CRUMB_SEPARATOR = regex.compile(r"\s+[>›»/|·]\s+|\s*[›»]\s*")
_WORDED = regex.compile(r"\p{L}")
# Everything but punctuation and symbols: what is left is a line's punctuation pattern.
_PUNCTUATION = regex.compile(r"[\p{L}\p{N}\s]+")
_LIST_ITEM = regex.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪●◦‣*+-])\s")
_HAS_DIGIT = regex.compile(r"\d")


def is_pagination(key: str) -> bool:
    """A line key of page numbers: "1 2 3 4 5", "page 2 of 5"."""
    return _HAS_DIGIT.search(key, 0, 12) is not None and _pagination().match(key) is not None


def is_breadcrumb(text: str) -> bool:
    """Two to six short worded segments joined by separators; a table row
    ("| 1 | Kyle Busch | 5040 |") has numeric cells and edge bars, and is not one."""
    stripped = text.strip()
    if stripped.startswith("|") or stripped.endswith("|"):
        return False
    parts = [p for p in _CRUMB_SEPARATOR.split(stripped) if p.strip()]
    return 2 <= len(parts) <= 6 and all(
        len(p.split()) <= 4 and _WORDED.search(p) and not _HAS_DIGIT.search(p) for p in parts)


@dataclass(frozen=True)
class Navigation:
    """Navigation debris: site labels anywhere; menus, link lists and breadcrumbs outside the article.

    Unambiguous labels ("Back to top", "Most popular", "Latest news") go wherever
    they stand. Generic labels ("Home", "World"), runs of short label lines
    (menus) and runs of headline-like lines (lists of links to other stories) go
    only outside the article core, where a short line is a link, not a
    subheading. The headline nearest above the article stays for the title filter.
    In markdown, a line mostly of link text, or images alone, goes outside the
    core on its own (``link``): markup says what plain text only guesses.
    """

    name: ClassVar[str] = "navigation"
    #: How many lines (counting debris already removed between them) make a menu or link list.
    menu_run: int = 3
    #: Longest line (in words) in a link list below the article.
    max_link_units: int = 30

    def __call__(self, doc: Document):
        phrases = matcher("navigation")
        reasons: dict[int, str] = {}
        first, last = doc.core
        for pos, line in enumerate(doc.lines):
            outside = pos < first or pos > last
            reason = phrases.match(line.key, outside_core=outside)
            if reason is None and is_pagination(line.key):
                reason = "pagination"
            if reason is None and outside and line.units <= 12 and is_breadcrumb(line.visible):
                reason = "breadcrumb"
            if reason is None and outside and line.markup is not None and is_link_line(line):
                reason = "link"
            if reason:
                reasons[pos] = reason
        self._runs(doc, reasons)
        return [drop(doc.lines[pos], reason) for pos, reason in sorted(reasons.items())]

    def _runs(self, doc: Document, reasons: dict[int, str]) -> None:
        """Mark runs of label lines (``nav-menu``) and of headline-like lines
        (``link-list``) outside the core. Removed lines between two members were
        debris too: they join the run and count towards its length. A line ending
        in a colon introduces a list of the article's own and ends any run; so
        does a run of lines most of which open with a number or a date (a schedule,
        a ranking). Above
        the article, headlines go only three or more together, and the last of
        them stays: it may be the title."""
        first, _ = doc.core
        run: list[int] = []
        listing = False  # inside a list that a "...:" line introduced, up to the next prose
        for pos, line in enumerate([*doc.lines, None]):
            if pos > 0:
                previous = doc.lines[pos - 1]
                listing = _introduces(previous) or (listing and not previous.is_prose)
            if line is not None and doc.outside_core(pos) and not listing and (
                    pos in reasons or _is_link(line, self.max_link_units)):
                run.append(pos)
                continue
            if run and doc.lines[run[-1]].index - doc.lines[run[0]].index + 1 >= self.menu_run:
                headlines = [p for p in run if p not in reasons and not doc.lines[p].is_label]
                if is_data_list([doc.lines[p] for p in headlines]):
                    headlines = []
                if run[-1] < first:  # above the article: the last headline may be the title
                    headlines = headlines[:-1] if len(headlines) >= self.menu_run else []
                for p in run:
                    if doc.lines[p].is_label:
                        reasons.setdefault(p, "nav-menu")
                    elif p in headlines:
                        reasons[p] = "link-list"
            run = []


def is_data_list(lines: list[Line]) -> bool:
    """Most items open with a number or a date (a schedule, a ranking) or share one
    pattern of two or more marks ("England (Group A): 10th appearance"): the article's own
    data, not links to other stories, whose headlines vary."""
    if not lines:
        return False
    dated = sum(starts_with_date(line.visible) for line in lines)
    shapes = Counter(_PUNCTUATION.sub("", line.visible) for line in lines)
    shared = max((n for shape, n in shapes.items() if len(shape) >= 2), default=0)
    return max(dated, shared) * 5 >= len(lines) * 3


def _introduces(line: Line) -> bool:
    """A line ending in a colon ("Tour dates:") introduces a list of the article's own."""
    return line.visible.rstrip().endswith((":", "："))


def is_list_item(line: Line) -> bool:
    """A numbered or bulleted item ("1. ...", "• ..."): in markdown, an item that is
    not mostly a link (a menu entry is a link, see :func:`boilercut.markdown.is_item`)."""
    if line.markup is not None:
        from boilercut.markdown import is_item

        return is_item(line)
    return _LIST_ITEM.match(line.visible) is not None


def _is_link(line: Line, max_units: int) -> bool:
    """Shaped like a link: a label or a headline. List items ("1. ...", "• ...")
    are body lists, and lines ending in a photo credit ("Photo: Reuters") are
    captions or credits, not links."""
    if is_list_item(line):
        return False
    return (line.is_label or (not line.ends_sentence and line.units <= max_units)) and (
        credit_of(line.visible) is None)
