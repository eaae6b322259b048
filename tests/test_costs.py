"""bench.costs: each rule's removals split into gold and debris tokens, per group of pages."""

from boilercut import Pipeline

from bench.costs import labels_by_offset, report, tally
from bench.data import Doc

GOLD = "The council voted on Tuesday to close the old bridge for repairs next spring."
TEXT = ("Back To Top\n\nThe council voted on Tuesday to close the old bridge for repairs next "
        "spring.\r\nBack to top\n")


def doc(page_type: str) -> Doc:
    return Doc("d", "", "en", GOLD, None, {"page": TEXT}, page_type=page_type)


def test_line_labels_are_keyed_by_offset_with_token_counts():
    labels = labels_by_offset(TEXT, GOLD)
    body = TEXT.index("The council")
    assert labels == {0: (False, 3), body: (True, 14), TEXT.index("Back to top"): (False, 3)}


def test_removals_are_tallied_per_group_and_overall():
    pipeline = Pipeline.default().without("model")
    tallies, totals = tally([doc("news"), doc("news")], "page", lambda d: pipeline,
                            lambda d: d.page_type)
    phrase = tallies["news", "navigation", "nav-phrase"]
    assert (phrase.lines, phrase.gold_lines, phrase.gold_tokens, phrase.debris_tokens) == (4, 0, 0, 12)
    assert tallies["all", "navigation", "nav-phrase"] == phrase
    assert (totals["news"].gold, totals["news"].debris) == (28, 12)
    table = report(tallies, totals, "news", top=5)
    assert "| navigation | nav-phrase | 4     | 0.00       | 0.0000         | 1.0000" in table


def test_the_cross_validated_costs_fit_on_every_training_variant(monkeypatch):
    """--model --variants recall: the fold models still learn from page, article and recall."""
    import bench.costs
    import bench.crossval
    from bench.train import TRAIN_VARIANTS

    loaded = []

    def load_set(name, variants):
        loaded.append(list(variants))
        return [Doc("d", "", "en", GOLD, None, dict.fromkeys(variants, TEXT), page_type="news")]

    monkeypatch.setattr(bench.costs, "load_set", load_set)
    monkeypatch.setattr(bench.crossval, "fold_models", lambda docs: {0: None})
    monkeypatch.setattr(bench.crossval, "fold_of", lambda doc: 0)
    monkeypatch.setattr("bench.quality.model_pipeline",
                        lambda path: Pipeline.default().without("model"))
    bench.costs.main(["--set", "dev", "--variants", "recall", "--model"])
    assert loaded == [sorted({"recall", *TRAIN_VARIANTS})]
