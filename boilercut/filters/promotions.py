"""Promotions: ads, related-article links, newsletter and paywall prompts, cookie and comment forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from boilercut.document import Document
from boilercut.phrases import matcher
from boilercut.result import drop


#: Longest line (in words) taken as a listed headline.
MAX_LINK_UNITS = 30
#: Reasons of headers that a list of links or labels follows.
LIST_HEADERS = frozenset({"related-header", "recirculation", "tags"})


@dataclass(frozen=True)
class Promotions:
    """Ads, "Read more: ..." links, related-article lists, sign-up, paywall, cookie and comment prompts.

    A related-articles header ("You may also like") takes the headlines listed
    under it along.
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
        """The headlines listed under a related header are links too (``related-list``;
        ``related-link`` is a "Read more: ..." line found by its phrase): the rest of its
        paragraph or, when the header stands alone, the lines after it outside the
        core; up to a sentence ending in a full stop, a line too long for a
        headline, or a navigation label."""
        navigation = matcher("navigation")
        lines = doc.lines
        for pos in [p for p, r in reasons.items() if r in LIST_HEADERS]:
            paragraph = lines[pos].paragraph
            alone = pos + 1 < len(lines) and lines[pos + 1].paragraph != paragraph
            for nxt in range(pos + 1, len(lines)):
                line = lines[nxt]
                if nxt in reasons:
                    continue
                if line.paragraph != paragraph and not (alone and doc.outside_core(nxt)):
                    break
                if (line.visible.rstrip().endswith((".", "。")) or line.units > MAX_LINK_UNITS
                        or navigation.match(line.key)):
                    break
                reasons[nxt] = "related-list"
