"""Stray tokens: short lines in a script foreign to the article, and lines without letters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from boilercut.document import Document
from boilercut.filters.navigation import is_pagination
from boilercut.result import drop


@dataclass(frozen=True)
class Stray:
    """Stray tokens: short lines foreign to the article's script, and lines without letters.

    A short non-sentence line with no letter of the article's script is a widget
    leftover (a lone Hangul word under an English article, a lone Latin label in
    a Japanese one); so is a line with no letters at all (lone symbols, digits,
    separators).

    The same Hangul word under a Korean article is body: the test is the
    document's dominant script, not a fixed list.
    """

    name: ClassVar[str] = "stray"
    #: Longest line (in words; two CJK characters make one) counted as a stray token.
    max_units: int = 3

    def __call__(self, doc: Document):
        out = []
        dominant = None
        for line in doc.lines:
            if not line.has_letters:
                if not is_pagination(line.key):  # page numbers are navigation's
                    out.append(drop(line, "no-letters"))
            elif line.units <= self.max_units and not line.ends_sentence:
                dominant = dominant or doc.dominant_script
                if not line.scripts[dominant]:
                    out.append(drop(line, "foreign-script"))
        return out
