"""The headline at the top of the article, and its repeats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from boilercut.document import Document, Line, line_key
from boilercut.filters.captions import credit_of
from boilercut.result import drop, move

# "Headline | Site name", "Headline - Site": a repeat of the title with the site appended.
_SITE_SEPARATORS = frozenset("|–—-｜")
_SITE_SUFFIX = regex.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$|\s*[|｜]\s*[^|｜]{1,60}$")


def is_title_shaped(line: Line, *, min_units: int, max_units: int) -> bool:
    """A headline: a few words, no sentence end, no credit (that would be a caption)."""
    stripped = line.visible.rstrip()
    return (min_units <= line.units <= max_units and not stripped.endswith((".", "。", ":", ","))
            and credit_of(line.visible) is None)


@dataclass(frozen=True)
class Title:
    """The headline at the top of the article, to ``title``; its repeats go too.

    The headline is the title-shaped line before the article core, once
    navigation and bylines have left, possibly standing there twice (the page
    title with the site's name, then the headline). When the caller knows the
    page title (``hints["title"]``, as ``clean_html`` does), the line equal to it
    is the title. Its copies anywhere leave too; the one without a site name
    ("Headline | Site") goes to ``title``.

    In markdown, a level-1 heading (``# Headline``) above the article is the
    title, whatever other title-shaped lines stand there, unless two differ.

    Where other title-shaped lines stand above the article too (a kicker, a
    subheading, a list the article opens with), the headline is not known for
    sure and nothing is taken: a wrong guess would lose a line of the article,
    and cleaning the output again would take the next one.
    """

    name: ClassVar[str] = "title"
    min_units: int = 3
    max_units: int = 40

    def __call__(self, doc: Document):
        first, _ = doc.core
        top = doc.lines[:first]
        candidates = [line for line in top if is_title_shaped(
            line, min_units=self.min_units, max_units=self.max_units)]
        hint = line_key(_SITE_SUFFIX.sub("", doc.hints.get("title") or ""))
        title = next((line for line in top if hint and _bare_key(line) == hint), None)
        headings = [line for line in candidates if _is_main_heading(line)]
        if title is None and headings and all(_bare_key(h) == _bare_key(headings[0])
                                              for h in headings):
            title = headings[0]
        if title is None:
            if not candidates or any(_bare_key(c) != _bare_key(candidates[0]) for c in candidates):
                return []
            title = candidates[0]
        # Of the copies, the one without a site name is the headline.
        copies = [line for line in doc.lines if _bare_key(line) == _bare_key(title)]
        headline = min(copies, key=lambda line: len(line.visible))
        out = []
        for line in copies:
            if line is headline:
                out.append(move(line, "title", ("title", line.visible.strip())))
            else:
                out.append(drop(line, "title-repeat"))
        return out


def _is_main_heading(line: Line) -> bool:
    """A markdown level-1 heading."""
    return line.markup is not None and line.markup.kind == "heading" and line.markup.level == 1


def _bare_key(line: Line) -> str:
    """The line's key without a trailing site name ("Headline | Site" -> "headline")."""
    if _SITE_SEPARATORS.isdisjoint(line.visible):
        return line.key  # no separator, no site name: the pattern cannot match
    return line_key(_SITE_SUFFIX.sub("", line.visible))

