"""boilercut.datatrove: the cleaning step in a small local datatrove pipeline.

CI installs the ``datatrove`` extra (in ``all``) and runs this file; with CI set,
a missing datatrove fails here instead of skipping.
"""

import json
import os

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("datatrove", reason="datatrove not installed (boilercut[datatrove])")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from boilercut import Pipeline, clean  # noqa: E402
from boilercut.datatrove import BoilercutCleaner  # noqa: E402

ARTICLE = ("Back To Top\n\nHarbour ferry returns after winter repairs\n\nBy Lena Ostrova\n\n"
           "The harbour ferry returned to service on Monday after four months in dry dock.\n\n"
           "Advertisement\n\nEngineers replaced both engines and rebuilt the passenger deck.\n\n"
           "Share this article")
ONLY_DEBRIS = "Share this article\n\nAdvertisement\n\nMOST POPULAR"


def run_pipeline(tmp_path, step, records):
    """Run JSONL reader -> step -> JSONL writer in tmp_path; the records written and the
    step's stats."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "crawl.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    LocalPipelineExecutor([JsonlReader(str(tmp_path / "in")), step,
                           JsonlWriter(str(tmp_path / "out"), compression=None)],
                          tasks=1, logging_dir=str(tmp_path / "logs")).run()
    written = [json.loads(line) for path in sorted((tmp_path / "out").glob("*.jsonl"))
               for line in path.read_text().splitlines()]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    ours = [s["stats"] for s in stats if "boilercut" in s["name"]]
    assert len(ours) == 1
    return written, ours[0]


def test_a_local_pipeline_cleans_records_drops_short_ones_and_counts(tmp_path):
    records = [{"id": "1", "text": ARTICLE, "url": "https://a.example/1"},
               {"id": "2", "text": ONLY_DEBRIS, "url": "https://a.example/2"}]
    written, stats = run_pipeline(tmp_path, BoilercutCleaner(min_body_chars=40), records)
    expected = clean(ARTICLE)
    assert [r["id"] for r in written] == ["1"]
    assert written[0]["text"] == expected.body
    assert written[0]["metadata"]["url"] == "https://a.example/1"
    assert written[0]["metadata"]["boilercut"] == expected.metadata
    assert written[0]["metadata"]["boilercut"]["authors"] == ["Lena Ostrova"]
    assert stats["total"] == 2 and stats["forwarded"] == 1
    assert stats["dropped"] == stats["dropped_too_short"] == 1
    removed = len(expected.removals) + len(clean(ONLY_DEBRIS).removals)
    assert stats["removed_lines"]["total"] == removed
    assert stats["removed_lines_share"] == 2 and stats["removed_lines_byline"] == 1
    assert stats["doc_len"]["total"] == len(expected.body)


def test_removals_and_a_failing_filter(tmp_path):
    def explodes(doc):
        if "EXPLODE" in doc.text:
            raise ValueError("boom")
        return []

    pipeline = Pipeline.default().without("share", "model").insert(explodes, name="explodes")
    records = [{"id": "1", "text": ARTICLE}, {"id": "2", "text": "EXPLODE\n\n" + ARTICLE}]
    written, stats = run_pipeline(tmp_path, BoilercutCleaner(pipeline=pipeline, removals=True),
                                  records)
    # share (and the line model, which would take the label itself) is left out
    assert written[0]["text"].endswith("Share this article")
    reasons = {(r["filter"], r["reason"]) for r in written[0]["metadata"]["boilercut"]["removals"]}
    assert ("navigation", "nav-phrase") in reasons
    # A failing filter leaves its document uncleaned, with the fault, and is counted.
    assert written[1]["text"].startswith("EXPLODE\n\nBack To Top")
    assert written[1]["metadata"]["boilercut"]["errors"] == [
        {"kind": "filter", "message": "filter 'explodes': raised ValueError: boom",
         "filter": "explodes"}]
    assert stats["filter_errors"] == 1 and stats["forwarded"] == 2


def test_a_profile_is_loaded_in_the_step(tmp_path):
    profile = tmp_path / "boilercut.toml"
    profile.write_text('disable = ["share", "model"]\n')
    written, _ = run_pipeline(tmp_path, BoilercutCleaner(profile=str(profile)),
                              [{"id": "1", "text": ARTICLE}])
    assert written[0]["text"].endswith("Share this article")
    with pytest.raises(ValueError, match="a profile or a pipeline"):
        BoilercutCleaner(profile=str(profile), pipeline=Pipeline.default())
