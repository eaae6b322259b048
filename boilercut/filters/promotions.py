"""Promotions: ads, related-article links, newsletter and paywall prompts, cookie and comment forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from boilercut.document import Document
from boilercut.phrases import matcher
from boilercut.result import drop


@dataclass(frozen=True)
class Promotions:
    """Ads, "Read more: ..." links, related-article lists, sign-up, paywall, cookie and comment prompts.

    A related-articles header ("You may also like") outside the article core
    takes the label lines after it with it: they are the linked headlines.
    """

    name: ClassVar[str] = "promotions"
    #: Longest line (in words) that a phrase match may remove: a long line that
    #: merely mentions "newsletter" or "read more" is body.
    max_units: int = 40

    def __call__(self, doc: Document):
        phrases = matcher("promotions")
        reasons: dict[int, str] = {}
        for pos, line in enumerate(doc.lines):
            if line.units > self.max_units:
                continue
            reason = phrases.match(line.key, outside_core=doc.outside_core(pos))
            if reason:
                reasons[pos] = reason
        self._related_lists(doc, reasons)
        return [drop(doc.lines[pos], reason) for pos, reason in sorted(reasons.items())]

    @staticmethod
    def _related_lists(doc: Document, reasons: dict[int, str]) -> None:
        """Headlines listed under a related header outside the core are links too."""
        first, last = doc.core
        for pos in [p for p, r in reasons.items() if r == "related-header" and p > last]:
            for nxt in range(pos + 1, len(doc.lines)):
                if nxt in reasons:
                    continue
                if doc.lines[nxt].is_prose and doc.lines[nxt].ends_sentence:
                    break
                reasons[nxt] = "related-link"
