"""Stray tokens: short lines in a script foreign to the article, lines without letters, markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from boilercut.document import Document
from boilercut.filters.navigation import _HAS_DIGIT, is_pagination
from boilercut.result import drop


# HTML tags, escaped tags and CMS shortcodes that leaked into the text.
# The negated classes stop each attempt at the next bracket, so a scan is linear.
_MARKUP = regex.compile(r"</?[a-z][a-z0-9]{0,15}(?:\s[^<>\n]{0,300})?/?>"
                        r"|&(?:amp;){0,3}lt;/?[a-zA-Z][^&<>\n]{0,300}(?:&(?:amp;){0,3}gt;)?"
                        r"|\[/?[a-z_]{2,20}(?:\s[^\[\]\n]{0,300})?\]")


def is_markup(text: str) -> bool:
    """Markup makes up a third of the line or more: code, not prose."""
    if "<" not in text and "&" not in text and "[" not in text:
        return False
    covered = sum(len(m.group()) for m in _MARKUP.finditer(text) if _is_tag_like(m.group()))
    return covered * 3 >= len(text.strip())


def _is_tag_like(found: str) -> bool:
    """"<p>", "</div>", '<img src="x">' are tags; "<the palace: tale of jang noksu>"
    (a title in angle brackets, as Korean and Japanese texts write them) is not."""
    return " " not in found or "=" in found


@dataclass(frozen=True)
class Stray:
    """Stray tokens: short lines foreign to the article's script, lines without letters, markup.

    A short non-sentence line with no letter of the article's script is a widget
    leftover (a lone Hangul word under an English article, a lone Latin label in
    a Japanese one); so is a line with no letters at all: lone symbols and
    separators (``no-letters``), or figures ("0", "4.5", "$19.99", ``figures``), which
    are a share count under an article but a price or a score on a product or
    data page, so the line model weighs them (:data:`boilercut.model.ARBITRATED`).
    A line that is a third or more HTML tags or shortcodes is leaked markup.

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
            if is_markup(line.visible):
                out.append(drop(line, "markup"))
            elif not line.has_letters:
                if not is_pagination(line.key):  # page numbers are navigation's
                    out.append(drop(line, "figures" if _HAS_DIGIT.search(line.visible) else "no-letters"))
            elif line.units <= self.max_units and not line.ends_sentence:
                dominant = dominant or doc.dominant_script
                if not line.scripts[dominant]:
                    out.append(drop(line, "foreign-script"))
        return out
