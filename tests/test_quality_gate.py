"""Quality gate: boilercut's F1 on the dev set may not fall below the pinned floors.

The floors live in bench/floors.json. Raise a floor when boilercut improves;
lowering one is a decision to state in the commit that does it.
"""

import json
from pathlib import Path

import pytest

from bench.data import VARIANTS, dev_dir, load_docs
from bench.quality import boilercut_f1

FLOORS_FILE = Path(__file__).resolve().parents[1] / "bench" / "floors.json"
FLOORS = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))["f1"]
TOLERANCE = 0.002


@pytest.fixture(scope="module")
def docs():
    if not (dev_dir() / "manifest.jsonl").is_file():
        pytest.skip(f"dev set not found at {dev_dir()}; set BOILERCUT_SHARED to its shared/")
    return load_docs()


@pytest.mark.parametrize("variant", VARIANTS)
def test_f1_stays_above_floor(docs, variant):
    measured, floor = boilercut_f1(docs, variant), FLOORS[variant]
    assert measured >= floor - TOLERANCE, (
        f"{variant}: F1 {measured:.4f} is below the floor {floor:.4f} (tolerance {TOLERANCE}); "
        "find the lost gold with `python -m bench.quality --no-baselines --worst 10`"
    )
