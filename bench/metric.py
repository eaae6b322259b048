"""Scores for extracted article text against a gold body.

The shingle score follows the article-extraction-benchmark (scrapinghub,
``evaluate.py``) so that figures are comparable with its published table:
4-gram shingles over ``\\w+`` tokens, matched as multisets, counts normalised
per document so every document weighs the same, precision and recall averaged
over documents and F1 taken from the two means.

One deliberate difference: a document whose output is empty while its gold is
not scores precision 0 and stays in the mean (``evaluate.py`` leaves it out of
the precision mean, which rewards a cleaner that drops everything).

The line figures are diagnostics on top: they say which whole lines were kept
or lost, in the terms a line-level cleaner works in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """Return the ``\\w+`` tokens of ``text`` (Unicode word characters, case kept)."""
    return _TOKEN.findall(text)


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Return the multiset of ``n``-token shingles of ``text``.

    A text with 1 to ``n - 1`` tokens is one shingle of all its tokens, so short
    texts still count; a text without tokens has no shingles.
    """
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def precision_score(tp: float, fp: float, fn: float) -> float:
    """tp / (tp + fp); 1 when nothing was wrong or missing, 0 for an empty output."""
    if fp == fn == 0:
        return 1.0
    if tp + fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    """tp / (tp + fn); 1 when nothing was wrong or missing, 0 for an empty gold."""
    if fp == fn == 0:
        return 1.0
    if tp + fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of ``precision`` and ``recall`` (0 when both are 0)."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Match:
    """Shingle counts of one document, normalised to sum to 1 (all 0 if no shingles)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        return precision_score(self.tp, self.fp, self.fn)

    @property
    def recall(self) -> float:
        return recall_score(self.tp, self.fp, self.fn)


def shingle_match(gold: str, output: str, n: int = SHINGLE_SIZE) -> Match:
    """Match the shingles of ``output`` against those of ``gold`` as multisets."""
    gold_shingles, output_shingles = shingles(gold, n), shingles(output, n)
    tp = sum((gold_shingles & output_shingles).values())
    fp = sum(output_shingles.values()) - tp
    fn = sum(gold_shingles.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return Match(0.0, 0.0, 0.0)
    return Match(tp / total, fp / total, fn / total)


# What a reader does not see in markdown: the ``](target "title")`` of links and
# images (the target may hold one level of parentheses), autolinks and bare URLs.
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_BARE_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+\.\S+")


def reader_text(markdown: str) -> str:
    """The text a reader sees of ``markdown``, for scoring: link and image targets,
    autolinks and bare URLs dropped, line breaks kept (so line figures still apply).
    The same view of the input and the output keeps scores comparable with plain text."""
    text = _LINK_TARGET.sub("]", markdown)
    return _BARE_URL.sub("", _AUTOLINK.sub("", text))


def lines(text: str) -> Counter[str]:
    """Return the multiset of stripped, non-blank lines of ``text`` (split on "\\n")."""
    return Counter(line.strip() for line in text.split("\n") if line.strip())


def line_scores(output: str, gold: str, source: str | None = None) -> tuple[float, float] | None:
    """Line precision and recall of ``output``, or None where lines cannot judge.

    Precision is the share of output lines that are gold lines; recall is the
    share of the gold lines present in ``source`` (the cleaner's input) that the
    output kept. Without ``source`` (an extractor that read the HTML) recall is
    over all gold lines. Lines are compared stripped and counted as multisets: a
    gold line kept twice counts once. Returns None when ``source`` holds no gold
    line verbatim (e.g. the gold splits a line the input joins): there is no
    line to keep, so the document is left out of the line means.
    """
    gold_lines, output_lines = lines(gold), lines(output)
    reachable = gold_lines if source is None else gold_lines & lines(source)
    if not reachable:
        return None
    kept = sum((output_lines & reachable).values())
    correct = sum((output_lines & gold_lines).values())
    wrong = sum(output_lines.values()) - correct
    missed = sum(reachable.values()) - kept
    return precision_score(correct, wrong, missed), recall_score(kept, wrong, missed)


@dataclass(frozen=True)
class DocScore:
    """Scores of one document; line figures are None where lines cannot judge."""

    precision: float
    recall: float
    line_precision: float | None
    line_recall: float | None


def score_document(output: str, gold: str, source: str | None = None) -> DocScore:
    """Score one cleaned document; ``source`` is the input it was cleaned from."""
    match = shingle_match(gold, output)
    by_line = line_scores(output, gold, source)
    line_p, line_r = by_line if by_line is not None else (None, None)
    return DocScore(match.precision, match.recall, line_p, line_r)


@dataclass(frozen=True)
class Scores:
    """Scores over a set of documents: means of per-document figures."""

    precision: float
    recall: float
    f1: float
    line_precision: float
    line_recall: float
    n_docs: int
    n_line_docs: int


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def aggregate(docs: Sequence[DocScore]) -> Scores:
    """Average per-document scores; F1 is computed from the mean P and mean R."""
    if not docs:
        raise ValueError("no documents to aggregate")
    precision = _mean(d.precision for d in docs)
    recall = _mean(d.recall for d in docs)
    judged = [d for d in docs if d.line_precision is not None]
    return Scores(
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
        line_precision=_mean(d.line_precision for d in judged),
        line_recall=_mean(d.line_recall for d in judged),
        n_docs=len(docs),
        n_line_docs=len(judged),
    )
