"""Line labels from a gold body, with the dev metric's rule.

A line belongs to the gold when at least half of its 4-gram shingles occur in
the gold; a line of one to three tokens belongs when its tokens occur
contiguously in the gold. Lines are a multiset, as in the metric: the k-th copy
of a repeated line (a caption given twice) belongs only when the gold holds
its tokens k times. A line without tokens has no label (None): the shingle
metric cannot see it, so it teaches nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bench.metric import SHINGLE_SIZE, tokenize


class GoldIndex:
    """The gold's 4-gram shingles and its 1- to 3-token runs, for fast line lookups."""

    def __init__(self, gold: str):
        tokens = tokenize(gold)
        self.joined = f" {' '.join(tokens)} "
        self.shingles = {tuple(tokens[i:i + SHINGLE_SIZE])
                         for i in range(len(tokens) - SHINGLE_SIZE + 1)}
        self.short = {tuple(tokens[i:i + n]) for n in range(1, SHINGLE_SIZE)
                      for i in range(len(tokens) - n + 1)}

    def label(self, text: str) -> bool | None:
        """Whether the line ``text`` belongs to the gold (None: no tokens)."""
        tokens = tokenize(text)
        if not tokens:
            return None
        if len(tokens) < SHINGLE_SIZE:
            return tuple(tokens) in self.short
        grams = [tuple(tokens[i:i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1)]
        return 2 * sum(gram in self.shingles for gram in grams) >= len(grams)


    def labels(self, texts: Iterable[str]) -> list[bool | None]:
        """The label of each line of a document, repeated lines counted as a multiset."""
        seen: Counter[tuple[str, ...]] = Counter()
        out = []
        for text in texts:
            label = self.label(text)
            tokens = tuple(tokenize(text))
            seen[tokens] += 1
            if label and seen[tokens] > 1:
                label = self.joined.count(f" {' '.join(tokens)} ") >= seen[tokens]
            out.append(label)
        return out


def line_labels(texts: Iterable[str], gold: str) -> list[bool | None]:
    """The label of each line in ``texts`` against ``gold``."""
    return GoldIndex(gold).labels(texts)
