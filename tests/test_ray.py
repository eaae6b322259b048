"""Ray Data: a local two-CPU Ray cleans ~1,000 records read from Parquet, as clean() does.

Skipped where Ray is not installed; CI installs the ``ray`` extra, so it runs there.
"""

import json
import os
from pathlib import Path

import pytest

# Set before Ray is imported: Ray reads it once. Off, Ray keeps 127.0.0.1 as the
# node address (else it swaps in the machine's outward IP) and binds every
# server to it; the fixture checks that it did.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from bench.data import dev_dir, load_docs  # noqa: E402
from boilercut import clean  # noqa: E402
from boilercut.batch import ARROW_COLUMNS  # noqa: E402
from boilercut.ray import clean_dataset  # noqa: E402

RECORDS = 1000
FILES = 4  # several files, so that both CPUs get blocks
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-ferry.txt"


@pytest.fixture(scope="module")
def local_ray():
    """A private local Ray: 2 CPUs, no dashboard, every server on 127.0.0.1."""
    saved = {k: os.environ.get(k) for k in ("RAY_USAGE_STATS_ENABLED", "RAY_ADDRESS")}
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"   # no usage report, no prompt
    os.environ.pop("RAY_ADDRESS", None)          # never join a cluster by accident
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             object_store_memory=256 * 2**20, log_to_driver=False, configure_logging=False)
    try:
        assert ray.get_runtime_context().gcs_address.startswith("127.0.0.1:")
        yield ray
    finally:
        ray.shutdown()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _texts() -> list[str]:
    """Real scraped texts (dev set: article and recall variants) when shared/ is there,
    else variations of the bundled example."""
    if (dev_dir() / "manifest.jsonl").is_file():
        docs = load_docs(variants=("article", "recall"))
        return [doc.inputs[v] for doc in docs for v in ("article", "recall")]
    example = EXAMPLE.read_text(encoding="utf-8")
    return [example.replace("Monday", day) for day in ("Monday", "Tuesday", "Friday")]


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory):
    texts = _texts()
    rows = [texts[i % len(texts)] for i in range(RECORDS)]
    for i in range(0, RECORDS, 100):  # a few bad rows: they must not fail the job
        rows[i] = None
    root = tmp_path_factory.mktemp("crawl")
    per_file = RECORDS // FILES
    for n in range(FILES):
        ids = list(range(n * per_file, (n + 1) * per_file))
        table = pa.table({"id": pa.array(ids, pa.int64()),
                          "text": pa.array([rows[i] for i in ids], pa.string())})
        pq.write_table(table, root / f"part-{n}.parquet")
    return root, rows


def test_clean_dataset_matches_clean(local_ray, parquet_dir):
    root, rows = parquet_dir
    ds = clean_dataset(local_ray.data.read_parquet(str(root)), column="text")
    out = ds.take_all()
    assert sorted(r["id"] for r in out) == list(range(RECORDS))
    assert list(out[0]) == ["id", "text", *ARROW_COLUMNS]
    expected_for = {}  # the records repeat texts: clean each text once here
    for row in out:
        text = rows[row["id"]]
        assert row["text"] == text
        if text is None:
            assert row["error"] == "'text' is null" and row["body"] is None
            continue
        if text not in expected_for:
            expected_for[text] = clean(text)
        expected = expected_for[text]
        assert row["error"] is None
        assert row["body"] == expected.body
        for name, value in expected.metadata.items():
            assert row[name] == value, (row["id"], name)
        assert json.loads(row["removals"]) == [r.to_dict() for r in expected.removals]


def _site_rows() -> list[dict]:
    """Pages of three sites: a template around each text, with a changing number."""
    texts = _texts()[:60]
    return [{"id": i, "url": f"https://www.site{i % 3}.example/{i}",
             "text": f"Site {i % 3} | Home | News\nComments ({i})\n{text}\nFollow site {i % 3}"}
            for i, text in enumerate(texts)]


def test_learn_sites_dataset_merges_blocks_into_the_profiles_of_the_whole(local_ray):
    from boilercut.ray import learn_sites_dataset
    from boilercut.sites import learn_sites, site_of

    rows = _site_rows()
    ds = local_ray.data.from_items(rows).repartition(4)
    learned = learn_sites_dataset(ds)
    whole = learn_sites((site_of(r["url"]), r["text"]) for r in rows)
    assert list(learned) == list(whole) == ["site0.example", "site1.example", "site2.example"]
    for site in whole:
        assert learned.get(site).lines == whole.get(site).lines
        assert learned.get(site).documents == whole.get(site).documents


def test_clean_dataset_with_sites_matches_clean_arrow(local_ray):
    from boilercut.batch import clean_arrow
    from boilercut.sites import learn_sites, site_of

    rows = _site_rows()
    sites = learn_sites((site_of(r["url"]), r["text"]) for r in rows)
    ds = clean_dataset(local_ray.data.from_items(rows), sites=sites, batch_size=16)
    out = sorted(ds.take_all(), key=lambda r: r["id"])
    expected = clean_arrow(pa.Table.from_pylist(rows), sites=sites).to_pylist()
    assert [r["body"] for r in out] == [r["body"] for r in expected]
    assert [r["removals"] for r in out] == [r["removals"] for r in expected]
    assert any("pages of this site" in r["removals"] for r in out)
