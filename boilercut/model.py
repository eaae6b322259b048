"""The learned line model: the last word on every line the rules did not move to metadata.

The rules propose; the model decides. It sees every line of a pass with the
features of :mod:`boilercut.features` (shape, context, document, and which rule
proposed to remove it) and gives each line the probability that it is debris.
A line goes when that probability reaches ``threshold``:

- a rule's proposal it agrees with keeps the rule's filter and reason, and
  gains the model's score;
- a line no rule proposed goes with reason ``model``, its score and the
  features that weighed most;
- a proposal it disagrees with is overruled: the line stays, and
  ``Result.overruled`` (``explain(verbose=True)``) says which rule wanted it gone.

The model arbitrates only the rules' structural guesses, the reasons in
:data:`ARBITRATED`: removals decided by a line's shape, position or run
(menus, link lists, breadcrumbs, the page tail, comment sections), and lines
of figures without words (a share count under an article, a price on a product page).
Every other removal has unambiguous evidence (a listed phrase, a byline, a
caption, a credit, a date, a duplicate, a custom filter's own reason), is
final, and keeps its reason; the model's features still see it.

The weights are a small JSON file shipped with the package
(``boilercut/models/line.json``), read with the standard library and numpy on
first use; ``python -m bench.train`` rebuilds it byte for byte. The model is
a set of gradient-boosted trees or a logistic regression, whichever the file
holds (:class:`Trees`, :class:`Linear`); contributions per feature come from
the trees' paths (Saabas) or the coefficients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import numpy as np

from boilercut import features
from boilercut.document import Document
from boilercut.result import KEEP, STRUCTURAL, Decision, Removal

FORMAT = "boilercut-line-model"
VERSION = 1
#: How many features an explanation names.
EVIDENCE = 3
#: Rows the trees walk at once: a walk holds a few (rows x trees) arrays, about 7 KB a
#: row with 200 trees, so a 100,000-line document walked whole would take 700 MB.
WALK_ROWS = 2048
#: Reasons the model confirms or overrules: the rules' structural guesses, and lines of
#: figures without words (a share count, or a price). Measured on train, their lines
#: are debris 38% (``comments``: forums) to 94% (``breadcrumb``) of the time, and far
#: less on clean input (see the README).
ARBITRATED = STRUCTURAL | {"figures"}


class ModelError(ValueError):
    """A model file is missing, unreadable or does not match this version's features."""


class Linear:
    """A logistic regression on standardised features."""

    def __init__(self, spec: Mapping):
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])

    def margin(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.intercept

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per-feature contributions to the margin of each row (coefficient times value)."""
        return ((x - self.mean) / self.scale) * self.coef


class Trees:
    """Gradient-boosted regression trees, all walked at once with numpy.

    Each tree is stored as flat arrays: ``feature`` (-1 at a leaf), ``threshold``,
    ``left``, ``right`` and ``value`` (a leaf's output; at an inner node the
    mean output below it, for Saabas contributions). A row goes left when its
    value is at most the threshold, as LightGBM does.
    """

    def __init__(self, spec: Mapping):
        trees = spec["trees"]
        sizes = [len(t["feature"]) for t in trees]
        offsets = np.cumsum([0, *sizes[:-1]])
        self.roots = offsets.astype(np.int32)
        self.feature = np.concatenate([t["feature"] for t in trees]).astype(np.int32)
        self.threshold = np.concatenate([t["threshold"] for t in trees]).astype(np.float64)
        left = np.concatenate([np.asarray(t["left"]) + o for t, o in zip(trees, offsets)])
        right = np.concatenate([np.asarray(t["right"]) + o for t, o in zip(trees, offsets)])
        self.value = np.concatenate([t["value"] for t in trees]).astype(np.float64)
        self.base = float(spec.get("base", 0.0))
        self.depth = int(spec["depth"])
        leaf = self.feature < 0
        # A leaf loops on itself, so every row can take the same number of steps.
        left[leaf] = right[leaf] = np.flatnonzero(leaf)
        #: children[2 * node] goes left, children[2 * node + 1] right.
        self.children = np.column_stack([left, right]).ravel().astype(np.int32)
        self.split = np.where(leaf, 0, self.feature).astype(np.int32)

    def _walk(self, x: np.ndarray) -> list[np.ndarray]:
        """The node of every (row, tree) after each step, root first."""
        width = x.shape[1]
        flat = x.ravel()
        base = (np.arange(len(x), dtype=np.int32) * width)[:, None]
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        path = [node]
        for _ in range(self.depth):
            right = flat[base + self.split[node]] > self.threshold[node]
            node = self.children[2 * node + right]
            path.append(node)
        return path

    def margin(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(x), dtype=np.float64)
        for start in range(0, len(x), WALK_ROWS):
            rows = x[start:start + WALK_ROWS]
            out[start:start + len(rows)] = self.value[self._walk(rows)[-1]].sum(axis=1)
        return out + self.base

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Saabas contributions: each split credits its feature with the change in value."""
        out = np.zeros(x.shape, dtype=np.float64)
        for start in range(0, len(x), WALK_ROWS):
            path = self._walk(x[start:start + WALK_ROWS])
            rows = np.repeat(np.arange(start, start + len(path[0])), len(self.roots))
            for parent, child in zip(path, path[1:]):
                moved = (parent != child).ravel()
                gain = (self.value[child] - self.value[parent]).ravel()
                np.add.at(out, (rows[moved], self.feature[parent].ravel()[moved]), gain[moved])
        return out


@dataclass(frozen=True)
class Model:
    """A trained model with the feature vocabulary it was trained with."""

    names: tuple[str, ...]
    filters: tuple[str, ...]
    reasons: tuple[str, ...]
    scorer: Linear | Trees
    info: Mapping

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.scorer.margin(x)))

    def evidence(self, x: np.ndarray, n: int = EVIDENCE) -> list[tuple[tuple[str, float], ...]]:
        """The ``n`` features that pushed each row's margin most, with their contributions."""
        contributions = self.scorer.contributions(x)
        out = []
        for row in contributions:
            top = np.argsort(-np.abs(row), kind="stable")[:n]
            out.append(tuple((self.names[i], float(row[i])) for i in top if row[i] != 0))
        return out


def load(path: str | Path | None = None) -> Model:
    """Read a model file (the shipped one when ``path`` is None), cached by path."""
    return _load(str(path) if path is not None else None)


@lru_cache(maxsize=8)
def _load(path: str | None) -> Model:
    try:
        if path is None:
            raw = resources.files("boilercut.models").joinpath("line.json").read_text("utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        spec = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read line model {path or 'line.json'}: {exc}") from None
    if spec.get("format") != FORMAT or spec.get("version") != VERSION:
        raise ModelError(f"{path or 'line.json'} is not a {FORMAT} file of version {VERSION}")
    filters, reasons = tuple(spec["filters"]), tuple(spec["reasons"])
    names = tuple(features.feature_names(filters, reasons))
    if tuple(spec["features"]) != names:
        raise ModelError(f"{path or 'line.json'} was trained with other features than this "
                         "version computes; rebuild it with python -m bench.train")
    scorer = Trees(spec["model"]) if spec["model"]["kind"] == "trees" else Linear(spec["model"])
    return Model(names, filters, reasons, scorer, spec.get("info", {}))


@dataclass(frozen=True)
class LineModel:
    """The learned line model: weighs every line with the rules' proposals as evidence.

    Removes a line when its probability of being debris reaches ``threshold``
    (reason ``model``, or the proposing rule's reason when one proposed it),
    keeps a proposed line below it (reported in ``Result.overruled``), and
    never overrules a removal with unambiguous evidence (a reason outside
    :data:`ARBITRATED`, or one that moved text to metadata). On its own it
    never removes a sentence inside the article core or an item of the
    article's own list (:func:`protected`). A lower threshold
    removes more (precision), a higher one keeps more (recall).
    """

    name: ClassVar[str] = "model"
    #: Probability of debris from which a line is removed (0 to 1).
    threshold: float = field(default=0.7, metadata={"range": (0.0, 1.0)})
    #: A model file to use instead of the shipped one (``python -m bench.train`` writes one).
    weights: str | None = None

    def __post_init__(self):
        if not isinstance(self.threshold, (int, float)) or not 0.0 <= self.threshold <= 1.0:
            raise TypeError(f"threshold must be a number from 0 to 1, not {self.threshold!r}")

    def __call__(self, doc: Document) -> list[Decision]:
        """On its own (no rules before it): the lines the model finds debris."""
        return [d for d in self.arbitrate(doc, {}) if d.reason != KEEP]

    def arbitrate(self, doc: Document, proposals: Mapping[int, Removal]) -> list[Decision]:
        """The pass's removals, given every line of it and the rules' proposals."""
        if not doc.lines:
            return []
        model = load(self.weights)
        x = features.matrix(doc, {i: (r.filter, r.reason) for i, r in proposals.items()},
                            model.filters, model.reasons)
        final = {pos for pos, r in proposals.items() if is_final(r.reason, r.metadata)}
        guarded = set(protected(doc, x, model.names))
        # Only the lines the model can move are scored: not a final removal, and
        # proposed by a rule or free for the model to remove (the trees are the cost).
        scored = [pos for pos in range(len(doc.lines))
                  if pos not in final and (pos in proposals or pos not in guarded)]
        p = np.zeros(len(doc.lines))
        if scored:
            p[scored] = model.probabilities(x[scored])
        remove = np.zeros(len(doc.lines), dtype=bool)
        remove[scored] = p[scored] >= self.threshold
        # The model's own calls (its removals, the proposals it overrules) are explained;
        # a proposal it confirms keeps the rule's reason and gains the score.
        explain = [pos for pos in range(len(doc.lines))
                   if pos not in final and remove[pos] != (pos in proposals)]
        evidence = dict(zip(explain, model.evidence(x[explain]))) if explain else {}
        out = []
        for pos, line in enumerate(doc.lines):
            proposal = proposals.get(pos)
            if pos in final:
                out.append(Decision(line.index, proposal.reason, proposal.metadata))
            elif remove[pos] or proposal is not None:
                reason = (proposal.reason if proposal else "model") if remove[pos] else KEEP
                out.append(Decision(line.index, reason, score=float(p[pos]),
                                    evidence=evidence.get(pos, ())))
        return out


def protected(doc: Document, x: np.ndarray, names: Sequence[str]) -> list[int]:
    """Lines the model may keep but never removes on its own: sentences inside the
    article core, and the article's own lists, which the rules keep too: a line ending
    in a colon and the items after it, up to the next sentence; numbered or bulleted
    items; a run of short lines most of which open with a number or a date (a recipe's
    ingredients, a schedule, a ranking: see :func:`~boilercut.filters.navigation.is_data_list`);
    the rows of a markdown table or the code of a fence inside the core (a table of
    specifications, a code sample: constructs, not lines to judge one by one)."""
    from boilercut.filters.navigation import Navigation, is_data_list, is_list_item

    in_core = x[:, names.index("in_core")] > 0
    inside = in_core & (x[:, names.index("prose")] > 0)
    out = [int(pos) for pos in np.flatnonzero(inside)]
    listing = False
    run: list[int] = []  # the run of short lines the line belongs to
    for pos, line in enumerate([*doc.lines, None]):
        if line is not None and not line.is_prose:
            run.append(pos)
        else:
            if len(run) >= Navigation.menu_run and is_data_list([doc.lines[p] for p in run]):
                out += run
            run = []
        if line is None:
            break
        if in_core[pos] and _in_construct(line):
            out.append(pos)
        if pos:
            previous = doc.lines[pos - 1].visible.rstrip()
            listing = previous.endswith((":", "：")) or (listing and not doc.lines[pos - 1].is_prose)
        if listing or is_list_item(line) or line.visible.rstrip().endswith((":", "：")):
            out.append(pos)
    return out


def _in_construct(line) -> bool:
    """A row of a markdown table or a line of a code fence."""
    return line.markup is not None and line.markup.kind in ("table", "table-header", "fence")


def is_final(reason: str, metadata: Sequence = ()) -> bool:
    """Whether a rule's removal stands whatever the model says."""
    return bool(metadata) or reason not in ARBITRATED


def describe(model: Model | None = None) -> Sequence[str]:
    """What the model file says about itself (learner, training data, scores)."""
    model = model or load()
    return [f"{key}: {value}" for key, value in model.info.items()]
