"""bench.compare: the learner comparison's line-token proxy of the body metric."""

import numpy as np
import pytest

from bench.compare import best_threshold, out_of_fold, proxy_f1
from bench.train import Dataset


def data() -> Dataset:
    # page 0: two gold lines (weights 0.5, 0.3) and one debris line (0.2); page 1: all debris.
    return Dataset(x=np.zeros((4, 1)), y=np.array([0, 0, 1, 1]), w=np.array([0.5, 0.3, 0.2, 1.0]),
                   page=np.array([0, 0, 0, 1]), names=["proposed"])


def test_the_proxy_is_the_mean_over_pages_of_the_kept_gold_tokens_f1():
    d = data()
    kept_all = proxy_f1(d, np.zeros(4, bool), np.array([0]))
    assert kept_all == pytest.approx(2 * 0.8 * 1.0 / 1.8)
    assert proxy_f1(d, np.array([False, False, True, True]), np.array([0])) == 1.0
    losing = proxy_f1(d, np.array([True, False, True, True]), np.array([0]))
    assert losing == pytest.approx(2 * 1.0 * 0.375 / 1.375)
    # a page without gold kept nothing: F1 0 when it keeps debris.
    assert proxy_f1(d, np.zeros(4, bool), np.array([1])) == 0.0


def test_the_best_threshold_removes_the_debris_and_keeps_the_gold():
    d = data()
    p = np.array([0.1, 0.5, 0.9, 0.9])
    threshold, f1 = best_threshold(d, p, {"page": np.array([0])})
    assert 0.5 < threshold <= 0.9 and f1 == {"page": 1.0}


def test_every_row_is_predicted_by_a_model_fitted_without_its_fold():
    d = data()
    folds = np.array([0, 1, 2, 3])
    seen = []

    class Constant:
        def __init__(self, rows):
            self.rows = rows

        def predict_proba(self, x):
            return np.column_stack([np.zeros(len(x)), np.full(len(x), self.rows)])

    def fit(subset):
        seen.append(len(subset.y))
        return Constant(len(subset.y))

    p = out_of_fold(d, folds, fit)
    assert seen == [3, 3, 3, 3, 4]  # fold 4 holds no row: it is fitted on all of them
    assert p.tolist() == [3, 3, 3, 3]
