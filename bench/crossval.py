"""Cross-validation grouped by site: every figure of the line model on train comes from here.

Pages are split into :data:`FOLDS` folds by their group (the page's domain, or
its source when it has none; see :attr:`bench.data.Doc.group`), so no site is
in both the pages a model is fitted on and the pages it is scored on. The fold
of a group is a fixed hash of its name: the split is the same in every run and
on every machine. Each fold's model is trained exactly as ``python -m
bench.train`` trains the shipped one, on the other folds' pages.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from bench.data import Doc

FOLDS = 5


def fold_of(doc: Doc) -> int:
    """The fold of ``doc``'s group (stable across runs and machines)."""
    return zlib.crc32(doc.group.encode("utf-8")) % FOLDS


def fold_models(docs: Sequence[Doc], folder: Path | None = None) -> dict[int, Path]:
    """Train one model per fold on the pages of the other folds; return their files."""
    from bench import train

    folder = folder or Path(tempfile.mkdtemp(prefix="boilercut-cv-"))
    pages = train.collect(docs)
    paths = {}
    for fold in range(FOLDS):
        fitted = [page for page in pages if fold_of(page.doc) != fold]
        train._progress(f"cross-validation: fitting fold {fold + 1} of {FOLDS} "
                        f"on {len({p.doc.id for p in fitted})} pages")
        paths[fold] = folder / f"fold{fold}.json"
        paths[fold].write_text(train.build(fitted), encoding="utf-8")
    return paths
