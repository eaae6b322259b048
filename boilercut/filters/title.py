"""The headline at the top of the article, and its repeats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from boilercut.document import Document, Line, line_key
from boilercut.filters.captions import credit_of
from boilercut.result import drop, move

# "Headline | Site name", "Headline - Site": a repeat of the title with the site appended.
_SITE_SUFFIX = regex.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$|\s*[|｜]\s*[^|｜]{1,60}$")


def is_title_shaped(line: Line, *, min_units: int, max_units: int) -> bool:
    """A headline: a few words, no sentence end, no credit (that would be a caption)."""
    stripped = line.text.rstrip()
    return (min_units <= line.units <= max_units and not stripped.endswith((".", "。", ":", ","))
            and credit_of(line.text) is None)


@dataclass(frozen=True)
class Title:
    """The headline at the top of the article, to ``title``; its repeats go too.

    The headline is the first title-shaped line before the article core, once
    navigation and bylines have left.

    When the caller knows the page title (``hints["title"]``, as ``clean_html``
    does), a line equal to it is the title wherever it stands before the core.
    """

    name: ClassVar[str] = "title"
    min_units: int = 3
    max_units: int = 40

    def __call__(self, doc: Document):
        first, _ = doc.core
        top = doc.lines[:first]
        if not top:
            return []
        hint = line_key(doc.hints.get("title") or "")
        title = next((line for line in top if hint and line.key == hint), None)
        if title is None:
            title = next((line for line in top if is_title_shaped(
                line, min_units=self.min_units, max_units=self.max_units)), None)
        if title is None:
            return []
        out = [move(title, "title", ("title", title.text.strip()))]
        for line in top:
            if line is not title and (line.key == title.key
                                      or line_key(_SITE_SUFFIX.sub("", line.text)) == title.key):
                out.append(drop(line, "title-repeat"))
        return out
