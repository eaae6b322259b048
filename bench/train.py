"""Train the line model on ``shared/data/train`` and write ``boilercut/models/line.json``.

Run from the repository root (needs ``pip install -e '.[train]'``)::

    python -m bench.train                    # rebuild the shipped model, byte for byte
    python -m bench.train --out m.json --limit 200   # a quick model on 200 pages
    python -m bench.compare                  # the learner comparison, grouped by site

Rows are the lines of every train page's ``page``, ``article`` and ``recall``
variants as the line model sees them in a pipeline's first pass: every line,
with the rules' proposals. Lines the rules move to metadata (title, byline,
captions, credits, dates) are the rules' call and are left out; so are lines
without a token (the metric cannot see them). Labels follow the dev metric's
line rule (:mod:`bench.labels`). A line weighs its tokens' share of the
page, so that each page counts the same, as in the metric.

Deterministic: pages in manifest order, one thread, fixed seeds, and the
file written with sorted keys and rounded numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.data import Doc, load_set
from bench.labels import GoldIndex
from bench.metric import tokenize
from boilercut import Pipeline, features
from boilercut.document import Document
from boilercut.model import FORMAT, VERSION, is_final
from boilercut.result import Removal

MODEL_FILE = Path(__file__).resolve().parents[1] / "boilercut" / "models" / "line.json"
TRAIN_VARIANTS = ("page", "article", "recall")
SEED = 20261201
#: A reason the rules give at least this often in the training rows gets its own column.
MIN_REASON_COUNT = 200
#: The learner that ships, chosen by ``python -m bench.compare`` (see the README).
PARAMS = {"n_estimators": 200, "num_leaves": 15, "max_depth": 5, "learning_rate": 0.1,
          "min_child_samples": 50, "subsample": 0.8, "subsample_freq": 1,
          "colsample_bytree": 0.8, "reg_lambda": 1.0}


class _Recorder:
    """An arbiter that records the first pass's document and proposals and lets the
    rules' decisions stand: the line model's view, captured for training."""

    def __init__(self):
        self.seen: tuple[Document, dict[int, Removal]] | None = None

    def __call__(self, doc):
        return []

    def arbitrate(self, doc: Document, proposals: dict[int, Removal]):
        if self.seen is None:
            self.seen = (doc, dict(proposals))
        from boilercut.result import Decision
        return [Decision(i, r.reason, r.metadata) for i, r in proposals.items()]


@dataclass
class Page:
    """One page's first-pass view: its lines, the rules' proposals, labels and weights."""

    doc: Doc
    variant: str
    view: Document
    proposals: dict[int, tuple[str, str]]
    labels: np.ndarray  # 1 debris, 0 gold, -1 unlabelled (no token, or moved to metadata)
    weights: np.ndarray


def first_pass(text: str, rules: Pipeline) -> tuple[Document, dict[int, Removal]]:
    """The document and proposals the line model would see in the first pass."""
    recorder = _Recorder()
    rules.insert(recorder, name="model").run(text)
    if recorder.seen is None:  # no line at all
        return Document(text, []), {}
    return recorder.seen


def collect(docs: Sequence[Doc], variants: Sequence[str] = TRAIN_VARIANTS) -> list[Page]:
    """Every page's first-pass view, labelled against its gold."""
    rules = Pipeline.default().without("model")
    pages = []
    for n, doc in enumerate(docs):
        if n % 500 == 0:
            _progress(f"collect: page {n} of {len(docs)}")
        gold = GoldIndex(doc.gold)
        for variant in variants:
            view, proposals = first_pass(doc.inputs[variant], rules)
            labels, weights = [], []
            for pos, label in enumerate(gold.labels([line.text for line in view.lines])):
                proposal = proposals.get(pos)
                if label is None or (proposal is not None and is_final(proposal.reason,
                                                                        proposal.metadata)):
                    labels.append(-1)
                    weights.append(0.0)
                else:
                    labels.append(0 if label else 1)
                    weights.append(float(len(tokenize(view.lines[pos].text))))
            weights_arr = np.asarray(weights)
            total = weights_arr.sum()
            pages.append(Page(doc, variant, view,
                              {i: (r.filter, r.reason) for i, r in proposals.items()},
                              np.asarray(labels, dtype=np.int8),
                              weights_arr / total if total else weights_arr))
    return pages


def vocabulary(pages: Sequence[Page]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The proposing filters (pipeline order) and the reasons frequent enough for a column."""
    filters = tuple(n for n in Pipeline.default().names if n != "model")
    counts = Counter(reason for page in pages for _, reason in page.proposals.values())
    reasons = tuple(sorted(r for r, c in counts.items() if c >= MIN_REASON_COUNT))
    return filters, reasons


def reason_shares(pages: Sequence[Page]) -> dict[str, list]:
    """Per reason given at least :data:`MIN_REASON_COUNT` times: how often, and the
    token-weighted share of its labelled lines that are debris (a diagnostic of the rules)."""
    debris, total, count = Counter(), Counter(), Counter()
    for page in pages:
        for pos, (_, reason) in page.proposals.items():
            count[reason] += 1
            if page.labels[pos] >= 0:
                total[reason] += page.weights[pos]
                debris[reason] += page.weights[pos] * page.labels[pos]
    return {r: [count[r], round(debris[r] / total[r], 3)] for r in sorted(total)
            if count[r] >= MIN_REASON_COUNT and total[r]}


@dataclass
class Dataset:
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray
    page: np.ndarray  # row -> index in pages
    names: list[str]


def dataset(pages: Sequence[Page], filters: Sequence[str], reasons: Sequence[str]) -> Dataset:
    """The labelled rows of ``pages`` as one matrix: every line the model decides on
    (the final removals are the rules' call, see :func:`boilercut.model.is_final`)."""
    xs, ys, ws, idx = [], [], [], []
    for i, page in enumerate(pages):
        if not page.view.lines:
            continue
        x = features.matrix(page.view, page.proposals, filters, reasons)
        keep = page.labels >= 0
        xs.append(x[keep])
        ys.append(page.labels[keep])
        ws.append(page.weights[keep])
        idx.append(np.full(int(keep.sum()), i))
    return Dataset(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(idx),
                   features.feature_names(filters, reasons))


def fit_trees(data: Dataset, params: dict | None = None):
    """A LightGBM classifier on ``data`` (one thread, fixed seed)."""
    import lightgbm

    model = lightgbm.LGBMClassifier(**(params or PARAMS), random_state=SEED, n_jobs=1,
                                    deterministic=True, force_row_wise=True, verbose=-1)
    model.fit(data.x, data.y, sample_weight=unit_mean(data.w))
    return model


def unit_mean(weights: np.ndarray) -> np.ndarray:
    """``weights`` scaled to a mean of 1 (the learners' regularisation expects row-sized weights)."""
    return weights * len(weights) / max(weights.sum(), 1e-12)


def trees_spec(model) -> dict:
    """A fitted LightGBM model as the flat arrays :class:`boilercut.model.Trees` reads."""
    dump = model.booster_.dump_model()
    trees, depth = [], 0
    for info in dump["tree_info"]:
        feature, threshold, left, right, value = [], [], [], [], []

        def visit(node, level):
            nonlocal depth
            depth = max(depth, level)
            at = len(feature)
            for column in (feature, threshold, left, right, value):
                column.append(0)
            if "leaf_index" in node or "split_index" not in node:
                feature[at], threshold[at] = -1, 0.0
                value[at] = _round(node.get("leaf_value", 0.0))
                left[at] = right[at] = at
                return at
            feature[at] = node["split_feature"]
            threshold[at] = float(node["threshold"])  # exact: a rounded one could flip a row
            value[at] = _round(node["internal_value"])
            left[at] = visit(node["left_child"], level + 1)
            right[at] = visit(node["right_child"], level + 1)
            return at

        visit(info["tree_structure"], 0)
        trees.append({"feature": feature, "threshold": threshold, "left": left,
                      "right": right, "value": value})
    return {"kind": "trees", "depth": depth, "base": 0.0, "trees": trees}


def _round(value: float) -> float:
    return float(f"{value:.7g}")


def model_file(spec: dict, filters, reasons, info: dict) -> str:
    """The model file's text: sorted keys and rounded numbers, stable across runs."""
    document = {"format": FORMAT, "version": VERSION, "features":
                features.feature_names(filters, reasons), "filters": list(filters),
                "reasons": list(reasons), "model": spec, "info": info}
    return json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n"


def build(pages: Sequence[Page]) -> str:
    """Fit the shipped learner on ``pages`` and return the model file's text."""
    filters, reasons = vocabulary(pages)
    data = dataset(pages, filters, reasons)
    _progress(f"train: {len(data.y)} rows, {data.x.shape[1]} features, "
              f"{len({p.doc.id for p in pages})} pages")
    info = {"learner": "LightGBM gradient-boosted trees", "params": PARAMS,
            "pages": len({p.doc.id for p in pages}), "rows": int(len(data.y)),
            "variants": sorted({p.variant for p in pages}), "seed": SEED,
            "reason_count_and_debris_share": reason_shares(pages)}
    return model_file(trees_spec(fit_trees(data)), filters, reasons, info)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N pages only")
    args = parser.parse_args(argv)
    docs = load_set("train", TRAIN_VARIANTS)
    if args.limit:
        docs = docs[:args.limit]
    text = build(collect(docs))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    _progress(f"wrote {args.out}")


if __name__ == "__main__":
    main()
