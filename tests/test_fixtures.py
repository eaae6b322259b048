"""Every case in fixtures/: the expected body, metadata and reason codes, and the contract."""

import json
from pathlib import Path

import pytest

from boilercut import clean
from tests.conftest import assert_contract

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures").glob("*.json"))


def test_fixture_set_is_broad():
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in FIXTURES]
    assert len(cases) >= 40
    assert len({case["lang"] for case in cases}) >= 10
    assert sum(case["kind"] == "must-keep" for case in cases) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path):
    case = json.loads(path.read_text(encoding="utf-8"))
    result = clean(case["input"])
    assert_contract(case["input"], result)
    assert result.body == case["body"], case["comment"]
    for field, expected in case["metadata"].items():
        assert result.metadata[field] == expected, field
    assert [r.reason for r in result.removals] == case["reasons"]
    # A rule's removal that the line model overruled stays in the body and is reported.
    assert [r.reason for r in result.overruled] == case.get("overruled", [])
