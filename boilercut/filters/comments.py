"""Reader comments: the section from its header or first "Name says:" line to the end."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import regex

from boilercut.document import Document
from boilercut.phrases import alternation, words
from boilercut.result import drop


@cache
def _patterns():
    nouns = alternation(words("comments", "noun"))
    verbs = alternation(words("comments", "verb"))
    return (
        # "34 Comments", "34 responses to “Headline”", "Comments (34)"
        regex.compile(rf"^\W*(?:\d{{1,6}}\s+(?:{nouns})(?!\w)|(?:{nouns})\s*[(\[]\d{{1,6}}[)\]]\s*$)",
                      regex.IGNORECASE),
        # "jane_doe says:", "Milan on September 12, 2018 at 4:47 pm said:"
        regex.compile(rf"^\S.{{0,80}}?\s(?:{verbs})\s*:\s*$", regex.IGNORECASE),
    )


@dataclass(frozen=True)
class Comments:
    """Reader comments: from the comment count header or the first "Name says:" line to the end.

    Comments come after the article and run to the foot of the page. A header
    ("34 Comments", "12 responses to ...") starts the section when at least one
    "says:" line follows it; without a header, two "says:" lines are needed.
    The section must follow running text, so an article quoting one reader is
    left alone.
    """

    name: ClassVar[str] = "comments"
    #: Words of running text that must come before the comment section.
    min_article_units: int = 50

    def __call__(self, doc: Document):
        header, says = _patterns()
        lines = doc.lines
        says_at = [pos for pos, line in enumerate(lines) if line.units <= 20 and says.match(line.visible)]
        if not says_at:
            return []
        start = says_at[0]
        for pos in range(says_at[0] - 1, max(-1, says_at[0] - 6), -1):
            if header.match(lines[pos].visible):
                start = pos
                break
        else:
            if len(says_at) < 2:
                return []
        if sum(line.units for line in lines[:start] if line.is_prose) < self.min_article_units:
            return []
        return [drop(line, "comments") for line in lines[start:]]
