"""Footer debris: copyright lines and imprint/privacy/terms/contact links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from boilercut.document import Document, Line
from boilercut.phrases import matcher
from boilercut.result import drop

# A line that opens with a copyright sign or word: "© 2021 Example Media", "Copyright 2020 ...".
_COPYRIGHT_START = regex.compile(r"^\W*(?:©|ⓒ|\(c\)\s*\d|copyright\s*(?:©|\(c\)|\d{4}))",
                                 regex.IGNORECASE)


def _may_be_copyright(line: Line) -> bool:
    """A cheap test before the pattern."""
    head = line.visible[:12]
    return "©" in head or "ⓒ" in head or line.key.startswith(("copyright", "c)"))


@dataclass(frozen=True)
class Footer:
    """Copyright notices ("© 2021 ...", "All rights reserved") and legal/contact link labels.

    Inside the article core a copyright line must be short: a paragraph about
    copyright law is body.
    """

    name: ClassVar[str] = "footer"
    #: Longest line (in words) a copyright notice may have inside the core.
    max_units_in_core: int = 20

    def __call__(self, doc: Document):
        phrases = matcher("footer")
        out = []
        for pos, line in enumerate(doc.lines):
            outside = doc.outside_core(pos)
            reason = phrases.match(line.key, outside_core=outside)
            if reason is None and _may_be_copyright(line) and _COPYRIGHT_START.match(line.visible):
                reason = "copyright"
            if reason == "copyright" and not outside and line.units > self.max_units_in_core:
                reason = None
            if reason:
                out.append(drop(line, reason))
        return out
