"""The page below the article: everything after a footer, comment section or
"more stories" module that ends the article core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from boilercut.document import Document
from boilercut.result import drop

#: Section breaks after which nothing of the article comes: a related box or a
#: link list can stand in the middle of an article, these do not.
TERMINAL_BREAKS = frozenset({"recirculation", "comments", "comment-form", "copyright",
                             "footer-link"})


@dataclass(frozen=True)
class Tail:
    """Everything below the article once a footer, a comment section or a "more stories"
    module has ended it.

    The article core stops at section breaks; when the first line after the
    core follows a terminal break (a "You may also like" or "More from ..."
    header, comments, a comment form, a copyright line, footer links), the rest
    of the page is not the article: teasers with their summaries, author
    pages, sign-up boxes. A related box or a link list can sit inside an
    article, so they do not end it here. A tail with three sentence lines in a
    row is running text (the article itself, when the core went to a block of
    teasers) and stays.
    """

    name: ClassVar[str] = "tail"
    #: Sentence lines in a row that make the tail look like an article: then it stays.
    article_run: int = 3

    def __call__(self, doc: Document):
        _, last = doc.core
        if last + 1 >= len(doc.lines) or not doc.breaks:
            return []
        end, after = doc.lines[last].index, doc.lines[last + 1].index
        if not any(end < index < after and reason in TERMINAL_BREAKS
                   for index, reason in doc.breaks.items()):
            return []
        tail = doc.lines[last + 1:]
        if _has_article_run(tail, self.article_run):
            return []
        return [drop(line, "page-tail") for line in tail]


def _has_article_run(lines, length: int) -> bool:
    """``length`` sentence paragraphs in a row: running text, not teasers or a bio."""
    run = 0
    for line in lines:
        run = run + 1 if line.is_prose and line.ends_sentence else 0
        if run >= length:
            return True
    return False
