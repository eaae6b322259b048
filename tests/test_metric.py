"""The benchmark metric on small texts whose scores are computed by hand."""

from collections import Counter

import pytest

from bench.metric import (
    aggregate,
    line_scores,
    reader_text,
    score_document,
    shingle_match,
    shingles,
    tokenize,
)


def test_tokens_are_unicode_words_with_case_kept():
    assert tokenize("Hello, hello! Weizsäcker's 2019—Москва_1") == [
        "Hello", "hello", "Weizsäcker", "s", "2019", "Москва_1",
    ]


def test_four_token_windows():
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})


@pytest.mark.parametrize(
    "text, shingle", [("a", ("a",)), ("a b", ("a", "b")), ("a, b. c", ("a", "b", "c"))]
)
def test_one_to_three_tokens_make_one_shingle(text, shingle):
    assert shingles(text) == Counter({shingle: 1})


@pytest.mark.parametrize("text", ["", "  \n ", "— !?"])
def test_no_tokens_no_shingles(text):
    assert shingles(text) == Counter()


def test_identical_texts_score_one():
    text = "The quick brown fox jumps over the lazy dog."
    score = score_document(text, text, text)
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert aggregate([score]).f1 == 1.0


def test_disjoint_texts_score_zero():
    score = score_document("one two three four five", "six seven eight nine ten")
    assert (score.precision, score.recall) == (0.0, 0.0)
    assert aggregate([score]).f1 == 0.0


def test_short_text_is_one_shingle_so_a_longer_output_misses_it():
    # gold ("a","b","c") vs output ("a","b","c","d"): no shared shingle.
    match = shingle_match("a b c", "a b c d")
    assert (match.tp, match.fp, match.fn) == (0.0, 0.5, 0.5)


def test_counts_are_normalised_per_document():
    # gold: abcd, bcde; output: abcd -> tp 1, fp 0, fn 1 of 2.
    match = shingle_match("a b c d e", "a b c d")
    assert (match.tp, match.fp, match.fn) == (0.5, 0.0, 0.5)
    assert (match.precision, match.recall) == (1.0, 0.5)


def test_repeated_gold_shingles_count_as_a_multiset():
    # gold: abcd, bcda, cdab, dabc, abcd (abcd twice); output: abcd once.
    match = shingle_match("a b c d a b c d", "a b c d")
    assert match.tp == pytest.approx(1 / 5) and match.fn == pytest.approx(4 / 5)
    assert match.recall == pytest.approx(0.2)  # a set would give 1/4


def test_repeated_output_shingles_count_as_a_multiset():
    # output: abcd, bcdx, cdxa, dxab, xabc, abcd; only one abcd is in the gold.
    match = shingle_match("a b c d", "a b c d x a b c d")
    assert match.precision == pytest.approx(1 / 6)
    assert match.recall == 1.0


def test_each_document_weighs_the_same():
    long_text = " ".join(f"w{i}" for i in range(1000))
    perfect = score_document(long_text, long_text)
    lost = score_document("", "the short gold body here")
    scores = aggregate([perfect, lost])
    assert scores.recall == 0.5  # pooling the shingles would give 997/999


def test_f1_is_taken_from_mean_precision_and_mean_recall():
    first = score_document("a b c d", "a b c d e")  # P 1, R 1/2
    second = score_document("a b c d e", "a b c d")  # P 1/2, R 1
    assert (first.precision, first.recall, second.precision, second.recall) == (1.0, 0.5, 0.5, 1.0)
    scores = aggregate([first, second])
    assert scores.f1 == pytest.approx(0.75)  # the mean of the two F1s is 2/3


def test_both_empty_is_perfect():
    score = score_document("", "")
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_empty_output_scores_zero_and_stays_in_the_means():
    scores = aggregate([score_document("a b c d", "a b c d"), score_document("", "a b c d")])
    assert (scores.precision, scores.recall) == (0.5, 0.5)


def test_output_without_gold_scores_zero():
    score = score_document("a b c d", "")
    assert (score.precision, score.recall) == (0.0, 0.0)


SOURCE = "Menu\nTitle of the story\n  Body one.\nBody two.\n\nFooter links"
GOLD = "Body one.\n\nBody two."


def test_line_scores_over_the_gold_lines_of_the_input():
    assert line_scores("Menu\n  Body one.  ", GOLD, SOURCE) == (0.5, 0.5)
    assert line_scores("Body one.\n\nBody two.", GOLD, SOURCE) == (1.0, 1.0)


def test_line_recall_only_counts_gold_lines_the_input_holds():
    assert line_scores("Body one.", "Body one.\nNot in the input.", SOURCE) == (1.0, 1.0)


def test_line_recall_without_source_is_over_all_gold_lines():
    assert line_scores("Body one.", "Body one.\nNot in the input.") == (1.0, 0.5)


def test_a_gold_line_kept_twice_counts_once():
    assert line_scores("Body one.\nBody one.", "Body one.", "Body one.\nBody one.") == (0.5, 1.0)


def test_documents_lines_cannot_judge_are_left_out_of_the_line_means():
    judged = score_document("Body one.", "Body one.", "Body one.")
    unjudged = score_document("Body one. Body two.", "Body one.\nBody two.", "Body one. Body two.")
    assert (unjudged.line_precision, unjudged.line_recall) == (None, None)
    scores = aggregate([judged, unjudged])
    assert (scores.line_precision, scores.line_recall, scores.n_line_docs) == (1.0, 1.0, 1)


def test_aggregate_needs_documents():
    with pytest.raises(ValueError):
        aggregate([])


def test_reader_text_drops_what_a_reader_does_not_see():
    markdown = ('[Home](/) and [a (b)](https://x.org/a_(b) "T") ![Logo](/l.png)\n'
                "mail <me@x.org> or see <https://x.org/p> and https://x.org/q?r=1 www.x.org/s")
    assert reader_text(markdown) == "[Home] and [a (b)] ![Logo]\nmail  or see  and  "


def test_markdown_scores_on_reader_text():
    from bench.data import Doc
    from bench.quality import score

    markdown = "[one two](https://x.org/a/b/c/d) three four"
    doc = Doc("d", "", "en", "one two three four", None, {"markdown": markdown, "page": markdown})
    assert score(doc.inputs["markdown"], doc, "markdown").precision == 1.0
    assert score(doc.inputs["markdown"], doc, "page").precision < 1.0


def test_train_runs_load_the_variants_the_fold_models_are_fitted_on():
    from bench.quality import fitting_variants

    assert fitting_variants(["markdown"]) == ["article", "markdown", "page", "recall"]
