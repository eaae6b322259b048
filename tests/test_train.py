"""Training the line model: labels, determinism, and numpy inference equal to LightGBM's."""

import json

import numpy as np
import pytest

from bench.data import train_dir
from bench.labels import line_labels

pytest.importorskip("lightgbm", reason="training needs the train extra: pip install -e '.[train]'")


@pytest.fixture(scope="module")
def pages():
    if not (train_dir() / "manifest.jsonl.gz").is_file():
        pytest.skip(f"train set not found at {train_dir()}; set BOILERCUT_SHARED")
    from bench import train
    from bench.data import load_set

    return train.collect(load_set("train", train.TRAIN_VARIANTS)[:40])


def test_labels_follow_the_metric_rule():
    gold = "The ferry runs again from Monday after repairs. Tickets on board.\n\nA caption here."
    assert line_labels(["The ferry runs again from Monday", "Tickets on", "Menu", "--",
                        "A caption here.", "A caption here."], gold) == [
        True, True, False, None, True, False]


def test_training_is_deterministic(pages):
    from bench import train

    first, second = train.build(pages), train.build(pages)
    assert first == second
    spec = json.loads(first)
    assert spec["format"] == "boilercut-line-model" and spec["model"]["kind"] == "trees"


def test_numpy_trees_give_lightgbm_margins(pages, tmp_path):
    from bench import train
    from boilercut.model import load

    filters, reasons = train.vocabulary(pages)
    data = train.dataset(pages, filters, reasons)
    fitted = train.fit_trees(data, {**train.PARAMS, "n_estimators": 20})
    path = tmp_path / "m.json"
    path.write_text(train.model_file(train.trees_spec(fitted), filters, reasons, {}))
    ours = load(path).scorer.margin(data.x[:500].astype(np.float64))
    theirs = fitted.predict(data.x[:500], raw_score=True)
    assert np.allclose(ours, theirs, atol=1e-4)
