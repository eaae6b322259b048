"""The seed article comes out exactly as its expected JSON says."""

import json

from boilercut import clean
from tests.conftest import assert_contract


def test_seed_article_exact(seeds_dir):
    text = (seeds_dir / "korea-herald-envoy.txt").read_text(encoding="utf-8")
    expected = json.loads((seeds_dir / "korea-herald-envoy.expected.json").read_text(encoding="utf-8"))
    result = clean(text)
    assert result.body == expected["body"]
    for field, value in expected["metadata"].items():
        assert result.metadata[field] == value, field
    # removed_lines lists the lines dropped outright; the others went to metadata.
    assert [r.text for r in result.removals if not r.metadata] == expected["removed_lines"]
    assert_contract(text, result)


def test_seed_reasons(seeds_dir):
    text = (seeds_dir / "korea-herald-envoy.txt").read_text(encoding="utf-8")
    reasons = [(r.filter, r.reason) for r in clean(text).removals]
    assert reasons == [
        ("navigation", "nav-phrase"), ("title", "title"), ("captions", "caption-duplicate"),
        ("captions", "caption"), ("byline", "byline"), ("navigation", "nav-phrase"),
        ("navigation", "nav-phrase"), ("navigation", "nav-phrase"), ("stray", "foreign-script"),
    ]
