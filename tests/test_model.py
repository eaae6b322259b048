"""The learned line model: arbitration in the pipeline, explanations, the threshold, the file."""

import json

import numpy as np
import pytest

from boilercut import Decision, FilterError, Pipeline, clean, drop
from boilercut.document import Document, split_lines
from boilercut.features import SHAPE, _classes, feature_names, matrix
from boilercut.model import ARBITRATED, KEEP, LineModel, ModelError, Trees, is_final, load
from tests.conftest import assert_contract

MENU_AND_ARTICLE = (
    "Northpoint\nEastmere\nKelby Marsh\nRowan Hill\nSaltash Bay\n\n"
    "Harbour ferry returns after winter repairs\n\n"
    "The ferry to the islands runs again from Monday after four months in dry dock, the port "
    "authority said on Friday.\n\n"
    "Engineers replaced both engines and repainted the hull, which had rusted through in two "
    "places during the autumn storms.\n\n"
    "The first boat leaves the north pier at seven in the morning and the last returns at nine "
    "in the evening.\n\n"
    "Tickets can be bought on board by card.\n"
)


def rules():
    return Pipeline.default().without("model")


def with_threshold(threshold):
    return Pipeline.from_config({"options": {"model": {"threshold": threshold}}})


def test_default_pipeline_ends_with_the_model():
    assert Pipeline.default().names[-1] == "model"


def test_confirmed_rule_removals_keep_the_rule_reason_and_gain_a_score():
    result = clean(MENU_AND_ARTICLE)
    assert_contract(MENU_AND_ARTICLE, result)
    menu = [r for r in result.removals if r.reason == "nav-menu"]
    assert menu, result.explain()
    assert all(r.filter == "navigation" and LineModel().threshold <= r.score <= 1 for r in menu)
    assert all("p=" in r.describe() for r in menu)


def test_threshold_one_overrules_every_structural_guess_and_reports_it():
    result = with_threshold(1.0).run(MENU_AND_ARTICLE)
    assert_contract(MENU_AND_ARTICLE, result)
    assert not [r for r in result.removals if r.reason in ARBITRATED or r.filter == "model"]
    overruled = [r for r in result.overruled if r.reason == "nav-menu"]
    assert overruled and all(r.text in result.body for r in overruled)
    assert all(r.score is not None and r.evidence for r in overruled)
    verbose = result.explain(verbose=True)
    assert "kept\tline 1\tnavigation\tnav-menu\tp=" in verbose
    assert "kept" not in result.explain()
    assert result.to_dict()["overruled"][0]["reason"] == "nav-menu"


def test_threshold_zero_removes_every_line_but_the_protected_ones():
    result = with_threshold(0.0).run(MENU_AND_ARTICLE)
    # On its own the model never removes a sentence inside the article core.
    assert result.body.split("\n\n") == [p for p in MENU_AND_ARTICLE.strip().split("\n\n")[2:]]


def test_the_models_own_removals_carry_score_and_evidence():
    result = Pipeline([LineModel(threshold=0.0)]).run(MENU_AND_ARTICLE)
    by_model = [r for r in result.removals if r.reason == "model"]
    assert len(by_model) == 6 and all(r.filter == "model" for r in by_model)
    assert all(r.evidence and isinstance(r.score, float) for r in by_model)
    data = json.loads(json.dumps(result.to_dict()))
    removal = next(r for r in data["removals"] if r["reason"] == "model")
    assert set(removal["evidence"]) <= set(load().names) and "score" in removal


def test_lower_thresholds_remove_a_superset():
    previous = None
    for threshold in (0.9, 0.7, 0.5, 0.3, 0.1):
        removed = {r.start for r in with_threshold(threshold).run(MENU_AND_ARTICLE).removals}
        assert previous is None or removed >= previous
        previous = removed


def test_final_decisions_stand_whatever_the_threshold():
    text = "Advertisement\n\n" + MENU_AND_ARTICLE + "\nBy Mara Quell\n"
    for threshold in (0.0, 1.0):
        result = with_threshold(threshold).run(text)
        reasons = {r.reason for r in result.removals}
        assert {"advertisement", "title"} <= reasons
        assert result.metadata["title"] == "Harbour ferry returns after winter repairs"
    assert is_final("nav-phrase") and is_final("nav-menu", (("authors", "x"),))
    assert not is_final("nav-menu")
    # A line of symbols is debris wherever it stands; a line of figures may be a price.
    assert is_final("no-letters") and not is_final("figures")


def test_a_line_of_figures_is_the_models_call():
    text = MENU_AND_ARTICLE + "\n42\n"
    ruled = rules().run(text)
    assert ("stray", "figures") in {(r.filter, r.reason) for r in ruled.removals}
    kept = with_threshold(1.0).run(text)
    assert "42" in kept.body.splitlines()
    assert ("stray", "figures") in {(r.filter, r.reason) for r in kept.overruled}


def test_disabling_the_model_gives_the_rules_alone():
    result = Pipeline.from_config({"disable": ["model"]}).run(MENU_AND_ARTICLE)
    assert result.to_dict() == rules().run(MENU_AND_ARTICLE).to_dict()
    assert all(r.score is None for r in result.removals) and not result.overruled


def test_model_alone_is_a_plain_filter():
    doc = Document(MENU_AND_ARTICLE, split_lines(MENU_AND_ARTICLE))
    decisions = LineModel(threshold=0.0)(doc)
    assert [d.line for d in decisions] == list(range(6))  # the menu and the headline
    assert all(d.reason == "model" for d in decisions)


def test_the_model_never_removes_the_articles_own_list():
    text = ("The band will play six cities this summer, their first tour since they re-formed "
            "last year after a decade apart, the promoter said on Monday.\n\n"
            "Tickets go on sale on Friday at nine in the morning, at the venues and online.\n\n"
            "The tour dates:\nJune 9 – Harbour Hall, Portsmouth\nJune 12 – The Forge, Bristol\n"
            "June 14 – Corn Exchange, Cambridge\n")
    result = with_threshold(0.0).run(text)
    assert "June 14 – Corn Exchange, Cambridge" in result.body


def test_the_model_never_removes_an_item_of_a_data_list_on_its_own():
    # No colon introduces the list: most of its short lines open with a quantity.
    items = ["250 g soft butter", "200 g sugar", "1 sachet vanilla sugar", "5 eggs", "400 g flour",
             "Cinnamon and icing sugar to dust"]
    text = ("My grandmother baked this cake every Sunday for the whole family, and the recipe "
            "has not changed since.\n\nIngredients for one tray\n" + "\n".join(items) + "\n\n"
            "Beat the butter and sugar until fluffy, then stir in the eggs one at a time.\n\n"
            "Spread the batter on a greased tray and bake for forty minutes.\n")
    kept = with_threshold(0.0).run(text).body.split("\n")
    assert all(item in kept for item in items)
    # Without the quantities the run is no data list: at threshold 0 the model takes it.
    words = ["Soft butter", "White sugar", "Vanilla sugar", "Fresh eggs", "Plain flour", items[-1]]
    for item, word in zip(items, words):
        text = text.replace(item, word)
    kept = with_threshold(0.0).run(text).body.split("\n")
    assert not any(word in kept for word in words)


def test_the_model_never_removes_a_row_of_a_markdown_table_in_the_article_on_its_own():
    rows = ["| Charging time | 1.5 hours |", "| Range | 40 km |", "| Weight | 12 kg |"]
    text = ("The city council tested the new electric ferry on the river for a full week in March.\n\n"
            "| Specification | Value |\n|---|---|\n" + "\n".join(rows) + "\n\n"
            "Engineers said the ferry met every target they had set for it before the trial began.\n")
    kept = with_threshold(0.0).run(text).body.split("\n")
    assert all(row in kept for row in rows)


def test_threshold_is_validated():
    with pytest.raises(TypeError, match="threshold"):
        LineModel(threshold=1.5)


def test_a_custom_arbiter_settles_the_pass():
    class KeepAll:
        def __call__(self, doc):
            return []

        def arbitrate(self, doc, proposals):
            return [Decision(i, KEEP) for i in proposals]

    result = rules().insert(KeepAll(), name="keep-all").run(MENU_AND_ARTICLE)
    assert {r.reason for r in result.removals} <= {"title"}
    assert {r.reason for r in result.overruled} >= {"nav-menu"}


def test_an_arbiter_returning_nonsense_is_reported():
    class Broken:
        def __call__(self, doc):
            return []

        def arbitrate(self, doc, proposals):
            return [drop(10_000, "x")]

    with pytest.raises(FilterError, match="broken"):
        rules().insert(Broken(), name="broken").run(MENU_AND_ARTICLE)


def test_feature_matrix_has_one_named_column_per_feature_and_a_row_per_line():
    lines = split_lines(MENU_AND_ARTICLE)
    doc = Document(MENU_AND_ARTICLE, lines)
    names = feature_names(["navigation"], ["nav-menu"])
    x = matrix(doc, {0: ("navigation", "nav-menu")}, ["navigation"], ["nav-menu"])
    assert x.shape == (len(lines), len(names)) and x.dtype == np.float32
    assert x[0, names.index("filter:navigation")] == 1 and x[1, names.index("reason:nav-menu")] == 0
    assert x[0, names.index("proposed")] == 1 and x[1, names.index("prev_proposed")] == 1
    assert all(len(line.shape) == len(SHAPE) for line in lines)


def test_document_features_say_how_much_the_rules_propose():
    lines = split_lines(MENU_AND_ARTICLE)
    doc = Document(MENU_AND_ARTICLE, lines)
    names = feature_names([], [])
    x = matrix(doc, {0: ("navigation", "nav-menu"), 1: ("navigation", "nav-menu")}, [], [])
    share, units = x[:, names.index("doc_proposed_share")], x[:, names.index("doc_proposed_units_share")]
    assert np.allclose(share, 2 / len(lines))  # the same for every line of the document
    total = sum(len(line.text.split()) for line in lines)
    assert np.allclose(units, 2 / total)  # "Northpoint", "Eastmere": one unit each
    none = matrix(doc, {}, [], [])
    assert not none[:, names.index("doc_proposed_share")].any()


def test_character_classes_follow_unicode_categories():
    import unicodedata

    table = _classes()
    for char, expected in (("a", 1), ("Ä", 2), ("я", 1), ("漢", 1), ("7", 3), ("٣", 3), ("!", 4),
                           ("«", 4), ("€", 4), (" ", 0), ("\t", 0)):
        assert table[ord(char)] == expected, (char, unicodedata.category(char))


def test_tree_contributions_add_up_to_the_margin():
    model = load()
    x = matrix(Document(MENU_AND_ARTICLE, split_lines(MENU_AND_ARTICLE)), {}, model.filters,
               model.reasons).astype(np.float64)
    scorer = model.scorer
    assert isinstance(scorer, Trees)
    expected = scorer.value[scorer.roots].sum() + scorer.base
    assert np.allclose(scorer.contributions(x).sum(axis=1) + expected, scorer.margin(x))


def test_a_model_file_of_other_features_is_refused(tmp_path):
    from importlib import resources

    spec = json.loads(resources.files("boilercut.models").joinpath("line.json").read_text())
    spec["features"] = spec["features"][:-1]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec))
    with pytest.raises(ModelError, match="other features"):
        load(bad)
    (tmp_path / "junk.json").write_text("{}")
    with pytest.raises(ModelError, match="not a boilercut-line-model"):
        load(tmp_path / "junk.json")
    with pytest.raises(ModelError, match="cannot read"):
        load(tmp_path / "missing.json")
