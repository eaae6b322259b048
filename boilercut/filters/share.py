"""Share and social debris: share/print/email labels and bars of network names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import regex

from boilercut.document import Document
from boilercut.markdown import is_share_links
from boilercut.phrases import alternation, matcher, words
from boilercut.result import drop


# "0 shares", "197 Shares", "2.3k views": widget counters (comment counts are the comments filter's).
_COUNTER = regex.compile(r"^\d[\d,.]*\s*[km]?\s+(?:shares?|likes?|views?|reads?|reactions?)$")


@cache
def _network_bar() -> tuple[regex.Pattern, tuple[str, ...]]:
    """The bar pattern, and the network names a bar's key must start with (a cheap test first)."""
    names = words("share", "networks")
    bar = regex.compile(rf"^(?:(?:{alternation(names)})[\s\W\d]*){{2,}}$")
    return bar, tuple(name.casefold() for name in names)


@dataclass(frozen=True)
class Share:
    """Share labels ("Share this article", "Tweet", "Print"), bars of network names and counters.

    In markdown, a line of links to social networks alone (share and follow icons)
    goes too: anywhere when its text is three words or fewer, else outside the core.
    """

    name: ClassVar[str] = "share"

    def __call__(self, doc: Document):
        phrases = matcher("share")
        bar, networks = _network_bar()
        out = []
        first, last = doc.core
        for pos, line in enumerate(doc.lines):
            reason = phrases.match(line.key, outside_core=pos < first or pos > last)
            if reason is None and line.units <= 16 and line.key.startswith(networks) \
                    and bar.match(line.key):
                reason = "share-networks"
            if reason is None and line.key[:1].isdigit() and _COUNTER.match(line.key):
                reason = "share-count"
            if reason is None and line.markup is not None and is_share_links(line) and (
                    line.units <= 3 or pos < first or pos > last):
                reason = "share-networks"
            if reason:
                out.append(drop(line, reason))
        return out
