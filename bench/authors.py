"""Fit the byline scorer (``boilercut/models/authors.json``) on train; score it by grouped CV.

Run from the repository root::

    python -m bench.authors            # cross-validated figures, then refit on all of train
    python -m bench.authors --cv-only  # figures only, the shipped weights untouched

Every WCXB page of train gives its byline candidates (see
:mod:`boilercut.authorship`) from the page and markdown variants; a candidate is
positive when its names, joined with "; ", equal the gold after normalisation.
WCXB pages without a gold author (611: services, products, listings, and 145
articles) give negatives only: a scorer fitted on pages with an author alone
learns that some line is always the byline, and takes "Light Mode" on a shop page.
The logistic regression is fitted as the headline scorer's (:func:`bench.title.fit`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from bench.crossval import FOLDS, fold_of
from bench.data import load_set
from bench.metadata import normal, token_f1
from bench.title import fit
from boilercut.authorship import FEATURES, candidates, score
from boilercut.document import Document, split_lines
from boilercut.filters.byline import Byline

WEIGHTS = Path(__file__).resolve().parents[1] / "boilercut" / "models" / "authors.json"
VARIANTS = ("page", "markdown")


def document_of(text: str) -> Document:
    """``text`` split into lines as the pipeline reads it: markdown when it looks like markdown.
    (The headline scorer, :mod:`bench.title`, is fitted on markdown read as plain text: read
    as markdown, its pipeline title F1 on the markdown variant fell from 0.702 to 0.693.)"""
    from boilercut.markdown import detect

    return Document(text, split_lines(text, detect(text) == "markdown"))


def has_author_gold(doc) -> bool:
    """The page says who wrote it, or that nobody is named: WCXB gives ``author`` where the
    page names one, so its pages without it are known to have none (WCXB pages have a title)."""
    return bool(doc.author) or doc.title is not None


def collect(docs, variants: Sequence[str] = VARIANTS) -> list[tuple]:
    """``(doc, variant, candidates, labels)`` for every page with author gold (an empty
    gold author labels every candidate negative)."""
    rows = []
    for doc in docs:
        if not has_author_gold(doc):
            continue
        gold = normal(doc.author)
        for variant in variants:
            text = doc.inputs[variant]
            found = candidates(document_of(text))
            rows.append((doc, variant, found, [normal("; ".join(c.names)) == gold for c in found]))
    return rows


def cross_validate(rows) -> dict[str, dict[str, float]]:
    """Per variant, over the pages with a gold author: token F1 of the chosen candidate's names
    and how often the gold was a candidate; over the pages without: how often names are chosen."""
    out: dict[str, dict[str, float]] = {}
    authorless: dict[str, list[int]] = {}
    for fold in range(FOLDS):
        weights = fit([r for r in rows if fold_of(r[0]) != fold])
        for doc, variant, found, labels in (r for r in rows if fold_of(r[0]) == fold):
            scored = [(score(c, weights), c) for c in found]
            p, chosen = max(scored, key=lambda pair: pair[0], default=(0.0, None))
            names = "; ".join(chosen.names) if chosen and p >= Byline.threshold and chosen.evidence else ""
            if not doc.author:
                authorless.setdefault(variant, []).append(bool(names))
                continue
            figures = out.setdefault(variant, {"pages": 0, "exact": 0, "token_f1": 0, "reachable": 0})
            figures["pages"] += 1
            figures["reachable"] += any(labels)
            figures["exact"] += normal(names) == normal(doc.author)
            figures["token_f1"] += token_f1(names, doc.author)
    result = {v: {k: (n / f["pages"] if k != "pages" else n) for k, n in f.items()} for v, f in out.items()}
    for variant, given in authorless.items():
        result[variant].update(authorless_pages=len(given), authorless_given=sum(given) / len(given))
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.authors", description=__doc__.split("\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="do not rewrite the shipped weights")
    args = parser.parse_args(argv)
    rows = collect(load_set("train", VARIANTS))
    for variant, f in cross_validate(rows).items():
        print(f"{variant}: {f['pages']} pages, chosen byline exact {f['exact']:.3f}, token F1 "
              f"{f['token_f1']:.3f}, gold among the candidates {f['reachable']:.3f}; names given on "
              f"{f.get('authorless_given', 0):.3f} of {f.get('authorless_pages', 0)} pages without "
              f"an author (grouped {FOLDS}-fold CV)")
    if not args.cv_only:
        weights = fit(rows)
        WEIGHTS.write_text(json.dumps({"features": FEATURES, "weights": weights}, indent=1) + "\n",
                           encoding="utf-8")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
