"""Fit the byline scorer (``boilercut/models/authors.json``) on train; score it by grouped CV.

Run from the repository root::

    python -m bench.authors            # cross-validated figures, then refit on all of train
    python -m bench.authors --cv-only  # figures only, the shipped weights untouched

Every train page with a gold author gives its byline candidates (see
:mod:`boilercut.authorship`) from the page and markdown variants; a candidate is
positive when its names, joined with "; ", equal the gold after normalisation.
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

WEIGHTS = Path(__file__).resolve().parents[1] / "boilercut" / "models" / "authors.json"
VARIANTS = ("page", "markdown")


def collect(docs, variants: Sequence[str] = VARIANTS) -> list[tuple]:
    """``(doc, variant, candidates, labels)`` for every page with a gold author."""
    rows = []
    for doc in docs:
        if not doc.author:
            continue
        gold = normal(doc.author)
        for variant in variants:
            text = doc.inputs[variant]
            found = candidates(Document(text, split_lines(text)))
            rows.append((doc, variant, found, [normal("; ".join(c.names)) == gold for c in found]))
    return rows


def cross_validate(rows) -> dict[str, dict[str, float]]:
    """Token F1 of the chosen candidate's names per variant, and how often the gold was a candidate."""
    out: dict[str, dict[str, float]] = {}
    for fold in range(FOLDS):
        weights = fit([r for r in rows if fold_of(r[0]) != fold])
        for doc, variant, found, labels in (r for r in rows if fold_of(r[0]) == fold):
            scored = [(score(c, weights), c) for c in found]
            p, chosen = max(scored, key=lambda pair: pair[0], default=(0.0, None))
            names = "; ".join(chosen.names) if chosen and p >= 0.3 and chosen.evidence else ""
            figures = out.setdefault(variant, {"pages": 0, "exact": 0, "token_f1": 0, "reachable": 0})
            figures["pages"] += 1
            figures["reachable"] += any(labels)
            figures["exact"] += normal(names) == normal(doc.author)
            figures["token_f1"] += token_f1(names, doc.author)
    return {v: {k: (n / f["pages"] if k != "pages" else n) for k, n in f.items()} for v, f in out.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.authors", description=__doc__.split("\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="do not rewrite the shipped weights")
    args = parser.parse_args(argv)
    rows = collect(load_set("train", VARIANTS))
    for variant, f in cross_validate(rows).items():
        print(f"{variant}: {f['pages']} pages, chosen byline exact {f['exact']:.3f}, token F1 "
              f"{f['token_f1']:.3f}, gold among the candidates {f['reachable']:.3f} (grouped {FOLDS}-fold CV)")
    if not args.cv_only:
        weights = fit(rows)
        WEIGHTS.write_text(json.dumps({"features": FEATURES, "weights": weights}, indent=1) + "\n",
                           encoding="utf-8")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
