"""Fit the headline scorer (``boilercut/models/title.json``) on train; score it by grouped CV.

Run from the repository root::

    python -m bench.title            # cross-validated figures, then refit on all of train
    python -m bench.title --cv-only  # figures only, the shipped weights untouched

Every train page with a gold title gives its candidates (see
:mod:`boilercut.headline`) from the page and markdown variants; a candidate is
positive when its value equals the gold title after normalisation
(:func:`bench.metadata.normal`). A logistic regression (scikit-learn, the
``train`` extra) is fitted on standardised features; the weights are written
back in raw feature space so that the package needs no numpy to apply them.
Figures come from 5 folds grouped by site (:mod:`bench.crossval`): each page is
scored with weights fitted on the other folds' sites.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from bench.crossval import FOLDS, fold_of
from bench.data import load_set
from bench.metadata import normal
from boilercut.document import Document, split_lines
from boilercut.headline import FEATURES, candidates, score

WEIGHTS = Path(__file__).resolve().parents[1] / "boilercut" / "models" / "title.json"
VARIANTS = ("page", "markdown")
#: Regularisation strength (scikit-learn's C), chosen by the grouped CV below.
C = 1.0


def collect(docs, variants: Sequence[str] = VARIANTS) -> list[tuple]:
    """``(doc, variant, candidates, labels)`` for every page with a gold title."""
    rows = []
    for doc in docs:
        if not doc.title:
            continue
        gold = normal(doc.title)
        for variant in variants:
            text = doc.inputs[variant]
            found = candidates(Document(text, split_lines(text)))
            rows.append((doc, variant, found, [normal(c.value) == gold for c in found]))
    return rows


def fit(rows) -> tuple[float, ...]:
    """Logistic-regression weights (raw feature space, bias first) fitted on ``rows``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([c.features for _, _, found, _ in rows for c in found])
    y = np.array([label for _, _, _, labels in rows for label in labels])
    mean, scale = x[:, 1:].mean(axis=0), x[:, 1:].std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000).fit((x[:, 1:] - mean) / scale, y)
    coef = model.coef_[0] / scale
    bias = model.intercept_[0] - float((coef * mean).sum())
    return (round(bias, 6), *(round(float(w), 6) for w in coef))


def best(found, weights):
    """The top-scoring candidate with its probability, or (None, 0.0)."""
    scored = [(score(c, weights), c) for c in found]
    return max(scored, key=lambda pair: pair[0], default=(0.0, None))[::-1]


def cross_validate(rows) -> dict[str, dict[str, float]]:
    """Exact match of the chosen candidate per variant, and how often the gold was a candidate."""
    out: dict[str, dict[str, float]] = {}
    for fold in range(FOLDS):
        weights = fit([r for r in rows if fold_of(r[0]) != fold])
        for doc, variant, found, labels in (r for r in rows if fold_of(r[0]) == fold):
            chosen, _ = best(found, weights)
            figures = out.setdefault(variant, {"pages": 0, "exact": 0, "reachable": 0})
            figures["pages"] += 1
            figures["reachable"] += any(labels)
            figures["exact"] += chosen is not None and normal(chosen.value) == normal(doc.title)
    return {v: {k: (n / f["pages"] if k != "pages" else n) for k, n in f.items()} for v, f in out.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.title", description=__doc__.split("\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="do not rewrite the shipped weights")
    args = parser.parse_args(argv)
    rows = collect(load_set("train", VARIANTS))
    for variant, figures in cross_validate(rows).items():
        print(f"{variant}: {figures['pages']} pages, top candidate exact {figures['exact']:.3f}, "
              f"gold among the candidates {figures['reachable']:.3f} (grouped {FOLDS}-fold CV)")
    if not args.cv_only:
        weights = fit(rows)
        WEIGHTS.write_text(json.dumps({"features": FEATURES, "weights": weights}, indent=1) + "\n",
                           encoding="utf-8")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
