"""Hand-written headline / byline / date layouts in nine languages (tests/data/metadata_layouts.json).

Each case is a scraped page with the article's published date (or none), dates that
must not be taken for it (a comment's timestamp, a related article's date), and
must-not-extract cases: a related article's headline is no title, a commenter, a
photo credit or a "By the numbers" section title is no author. The published date
must be right on at least 90% of the cases that have one; the figures are printed
(``pytest -s``) with the title and authors accuracy, which are measured, not gated.
"""

import datetime
import json
from pathlib import Path

import pytest

from boilercut import clean
from tests.conftest import assert_contract

CASES = json.loads((Path(__file__).parent / "data" / "metadata_layouts.json").read_text(encoding="utf-8"))
DATE_TARGET = 0.90


def test_the_layouts_are_broad():
    assert len(CASES) >= 40
    assert len({case["lang"] for case in CASES}) >= 8


@pytest.fixture(scope="module")
def results():
    return {case["id"]: clean(case["input"]) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_nothing_forbidden_is_extracted(case, results):
    result = results[case["id"]]
    assert_contract(case["input"], result)
    published = result.published.isoformat() if result.published else None
    assert published not in case["forbidden_dates"], "a comment or related-article date was taken"
    if case["published"] is None:
        assert published is None
    assert result.metadata["title"] != case["not_title"]
    assert not any(author in bad for author in result.metadata["authors"] for bad in case["not_authors"])


def test_published_date_accuracy(results):
    dated = [case for case in CASES if case["published"]]
    right = [case for case in dated if results[case["id"]].published == datetime.date.fromisoformat(case["published"])]
    titled = [case for case in CASES if case["title"]]
    titles = sum(results[c["id"]].metadata["title"] == c["title"] for c in titled)
    bylined = [case for case in CASES if case["authors"]]
    authors = sum(results[c["id"]].metadata["authors"] == c["authors"] for c in bylined)
    accuracy = len(right) / len(dated)
    print(f"\nmetadata layouts: published date {len(right)}/{len(dated)} = {accuracy:.3f}; "
          f"title {titles}/{len(titled)}; authors {authors}/{len(bylined)}")
    wrong = sorted(set(c["id"] for c in dated) - set(c["id"] for c in right))
    assert accuracy >= DATE_TARGET, f"published date right on {accuracy:.3f}; wrong: {wrong}"
