"""Learner comparison for the line model, cross-validated by site.

    python -m bench.compare                          # trees, linear model, neural net
    python -m bench.compare --learners trees         # the shipped learner only (about 3 minutes)

The rows are the training rows of :mod:`bench.train` (every line the model decides
on, of the ``page``, ``article`` and ``recall`` variants). Each row is predicted by a
model fitted on the other folds' sites (:mod:`bench.crossval`). Per learner the
table gives the weighted AUC and log loss of those predictions, and per variant a
line-token proxy of the body metric at the learner's best threshold: for each
page, precision and recall of the gold tokens among the lines kept (a line goes
when its probability of debris reaches the threshold), F1 averaged over pages.
The rows ``input unchanged`` and ``rules alone`` (every structural proposal
taken) give the same proxy without a model. Lines the rules move to metadata are
not rows, so the proxy is not the body F1; it ranks learners on the lines they
decide.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

import numpy as np

from bench.crossval import FOLDS, fold_of
from bench.data import load_set
from bench.quality import markdown_table
from bench.train import (SEED, TRAIN_VARIANTS, Dataset, _progress, collect, dataset, fit_trees,
                         unit_mean, vocabulary)

#: Thresholds the proxy F1 is searched over.
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.3, 0.96, 0.05))
#: Rows the neural net is fitted on per fold (drawn by weight): it is the slowest learner.
NET_ROWS = 250_000


def _linear(data: Dataset):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(data.x, data.y, logisticregression__sample_weight=unit_mean(data.w))
    return model


def _net(data: Dataset):
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(SEED)
    rows = rng.choice(len(data.y), size=min(NET_ROWS, len(data.y)), p=data.w / data.w.sum())
    model = make_pipeline(StandardScaler(), MLPClassifier(
        hidden_layer_sizes=(64, 32), early_stopping=True, random_state=SEED, max_iter=200))
    model.fit(data.x[rows], data.y[rows])
    return model


#: name -> (table label, fit function); every fitted model has ``predict_proba``.
LEARNERS: dict[str, tuple[str, Callable[[Dataset], object]]] = {
    "trees": ("gradient-boosted trees (LightGBM, the shipped parameters)", fit_trees),
    "linear": ("logistic regression (standardised)", _linear),
    "net": (f"small neural net (64-32, {NET_ROWS // 1000}k rows drawn by weight)", _net),
}


def _subset(data: Dataset, rows: np.ndarray) -> Dataset:
    return Dataset(data.x[rows], data.y[rows], data.w[rows], data.page[rows], data.names)


def out_of_fold(data: Dataset, folds: np.ndarray, fit: Callable[[Dataset], object]) -> np.ndarray:
    """Each row's probability of debris from the model fitted on the other folds."""
    p = np.zeros(len(data.y))
    for fold in range(FOLDS):
        held = folds == fold
        model = fit(_subset(data, np.flatnonzero(~held)))
        p[held] = model.predict_proba(data.x[held])[:, 1]
    return p


def proxy_f1(data: Dataset, removed: np.ndarray, pages: np.ndarray) -> float:
    """Mean over ``pages`` of the token F1 of the gold lines kept (rows not ``removed``)."""
    gold = data.w * (data.y == 0)
    kept = data.w * ~removed
    n = int(data.page.max()) + 1
    gold_total = np.bincount(data.page, gold, n)[pages]
    kept_total = np.bincount(data.page, kept, n)[pages]
    gold_kept = np.bincount(data.page, gold * ~removed, n)[pages]
    precision = np.divide(gold_kept, kept_total, out=np.zeros(len(pages)), where=kept_total > 0)
    recall = np.divide(gold_kept, gold_total, out=np.ones(len(pages)), where=gold_total > 0)
    f1 = np.divide(2 * precision * recall, precision + recall,
                   out=np.zeros(len(pages)), where=precision + recall > 0)
    return float(f1.mean())


def best_threshold(data: Dataset, p: np.ndarray, pages: dict[str, np.ndarray]) -> tuple[float, dict]:
    """The threshold with the best proxy F1 summed over variants, and its F1 per variant."""
    scored = {t: {v: proxy_f1(data, p >= t, idx) for v, idx in pages.items()} for t in THRESHOLDS}
    best = max(scored, key=lambda t: sum(scored[t].values()))
    return best, scored[best]


def weighted_scores(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Weighted ROC AUC and log loss."""
    from sklearn.metrics import log_loss, roc_auc_score

    return (float(roc_auc_score(y, p, sample_weight=w)),
            float(log_loss(y, np.clip(p, 1e-7, 1 - 1e-7), sample_weight=w)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n")[0])
    parser.add_argument("--learners", nargs="+", choices=sorted(LEARNERS), default=list(LEARNERS))
    parser.add_argument("--limit", type=int, default=0, help="the first N train pages only")
    args = parser.parse_args(argv)

    docs = load_set("train", TRAIN_VARIANTS)
    if args.limit:
        docs = docs[:args.limit]
    collected = collect(docs)
    data = dataset(collected, *vocabulary(collected))
    folds = np.array([fold_of(collected[i].doc) for i in data.page])
    with_rows = np.unique(data.page)
    pages = {v: with_rows[[collected[i].variant == v for i in with_rows]] for v in TRAIN_VARIANTS}
    proposed = data.x[:, data.names.index("proposed")] > 0

    header = ["learner", "weighted AUC", "log loss", "threshold",
              *(f"{v} proxy F1" for v in TRAIN_VARIANTS), "CV time"]
    rows = [["input unchanged", "", "", "",
             *(f"{proxy_f1(data, np.zeros(len(data.y), bool), pages[v]):.3f}" for v in TRAIN_VARIANTS), ""],
            ["rules alone", "", "", "",
             *(f"{proxy_f1(data, proposed, pages[v]):.3f}" for v in TRAIN_VARIANTS), ""]]
    for name in args.learners:
        label, fit = LEARNERS[name]
        _progress(f"compare: {label}, {FOLDS} folds")
        started = time.perf_counter()
        p = out_of_fold(data, folds, fit)
        seconds = time.perf_counter() - started
        auc, loss = weighted_scores(data.y, p, data.w)
        threshold, f1 = best_threshold(data, p, pages)
        rows.append([label, f"{auc:.3f}", f"{loss:.3f}", f"{threshold:.2f}",
                     *(f"{f1[v]:.3f}" for v in TRAIN_VARIANTS), f"{seconds:.0f} s"])
    print(f"{len(data.y)} rows of {len(with_rows)} page variants, {data.x.shape[1]} features\n")
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
