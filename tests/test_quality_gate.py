"""Quality gate: boilercut's F1 may not fall below the pinned floors, on dev and on train.

The floors live in bench/floors.json: ``f1`` for dev (the shipped model), ``train_cv_f1``
for train, where the line model is scored by cross-validation grouped by site (each fold's
model is trained as ``python -m bench.train`` trains the shipped one, on the other sites).
Raise a floor when boilercut improves; lowering one is a decision to state in the commit
that does it.
"""

import json
from pathlib import Path

import pytest

from bench.data import ALL_VARIANTS, dev_dir, load_docs, train_dir
from bench.quality import boilercut_f1, train_cv_f1

FLOORS_FILE = Path(__file__).resolve().parents[1] / "bench" / "floors.json"
FLOORS = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
TOLERANCE = 0.002


@pytest.fixture(scope="module")
def docs():
    if not (dev_dir() / "manifest.jsonl").is_file():
        pytest.skip(f"dev set not found at {dev_dir()}; set BOILERCUT_SHARED to its shared/")
    return load_docs(variants=ALL_VARIANTS)


@pytest.fixture(scope="module")
def train_f1():
    if not (train_dir() / "manifest.jsonl.gz").is_file():
        pytest.skip(f"train set not found at {train_dir()}; set BOILERCUT_SHARED to its shared/")
    pytest.importorskip("lightgbm", reason="cross-validation trains models: pip install -e '.[train]'")
    return train_cv_f1(ALL_VARIANTS)


@pytest.mark.parametrize("variant", ALL_VARIANTS)
def test_f1_stays_above_floor(docs, variant):
    measured, floor = boilercut_f1(docs, variant), FLOORS["f1"][variant]
    assert measured >= floor - TOLERANCE, (
        f"{variant}: F1 {measured:.4f} is below the floor {floor:.4f} (tolerance {TOLERANCE}); "
        "find the lost gold with `python -m bench.quality --no-baselines --worst 10`"
    )


@pytest.mark.parametrize("variant", ALL_VARIANTS)
def test_train_cross_validated_f1_stays_above_floor(train_f1, variant):
    measured, floor = train_f1[variant], FLOORS["train_cv_f1"][variant]
    assert measured >= floor - TOLERANCE, (
        f"train {variant}: cross-validated F1 {measured:.4f} is below the floor {floor:.4f}; "
        "see `python -m bench.quality --set train`"
    )
