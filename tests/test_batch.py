"""Batch functions: records and Arrow batches in, the same rows out with results, in order."""

import json
import pickle
import subprocess
import sys

import pytest

from boilercut import Pipeline, clean, drop
from boilercut.batch import (ARROW_COLUMNS, chunked, clean_batch, clean_chunks, clean_record,
                             map_ordered, resolve_jobs)
from boilercut.cli import main
from boilercut.result import METADATA_FIELDS

SENTENCE = "The council voted on Monday to close the old bridge for repairs until spring."
ARTICLE = f"Back To Top\n\nBy Jane Smith\n\n{SENTENCE}\n\nAdvertisement\n"
OTHER = "Share on Facebook\n\nThe mayor said the bridge would reopen in April after the repairs.\n"


def explode(doc):
    """A custom filter that fails on one document."""
    if "explode" in doc.text:
        raise ValueError("boom")
    return []


def shouting(doc):
    return [drop(line, "all-caps") for line in doc.lines if line.text.isupper()]


# --- records -------------------------------------------------------------------


def test_clean_batch_adds_the_result_and_keeps_the_record():
    records = [{"id": 1, "text": ARTICLE, "url": "u"}, {"id": 2, "text": OTHER}]
    out = clean_batch(records)
    assert [r["id"] for r in out] == [1, 2]
    assert out[0]["url"] == "u" and out[0]["text"] == ARTICLE
    assert out[0]["boilercut"] == clean(ARTICLE).to_dict()
    assert out[1]["boilercut"]["body"] == clean(OTHER).body
    assert "boilercut" not in records[0]  # inputs are not modified


def test_clean_batch_matches_the_cli_jsonl_output(tmp_path):
    records = [{"id": 1, "text": ARTICLE}, {"id": 2, "text": OTHER, "lang": "en"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["--jsonl", str(src), "-o", str(tmp_path / "out.jsonl")]) == 0
    cli = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert clean_batch(records) == cli


def test_bad_records_are_reported_and_the_batch_goes_on():
    records = [{"text": ARTICLE}, {"text": None}, {"text": 42}, {"body": "x"}, ["not", "a", "dict"],
               {"text": b"bytes"}, {"text": OTHER}]
    out = clean_batch(records)
    assert len(out) == len(records)
    errors = [r["boilercut"].get("error") for r in out]
    assert errors == [None, "'text' is null", "'text' is not a string (got int)", "'text' missing",
                      "not a record (got list)", "'text' is not a string (got bytes)", None]
    assert out[-1]["boilercut"]["body"] == clean(OTHER).body
    assert out[4] == {"boilercut": {"error": "not a record (got list)"}}


def test_a_failing_filter_fails_its_record_only():
    pipeline = Pipeline.default().insert(explode)
    out = clean_batch([{"text": ARTICLE}, {"text": "explode\n\n" + SENTENCE}], pipeline=pipeline)
    assert out[0]["boilercut"]["body"] == SENTENCE
    assert out[1]["boilercut"] == {"error": "filter 'explode': raised ValueError: boom"}


def test_column_key_and_pipeline_options():
    pipeline = Pipeline([])  # no filters: the body is the input's paragraphs
    out = clean_batch([{"content": ARTICLE}], column="content", key="bc", pipeline=pipeline)
    assert out[0]["bc"] == clean(ARTICLE, pipeline=pipeline).to_dict()
    assert out[0]["bc"]["body"].startswith("Back To Top")
    assert clean_record({"content": ARTICLE}, column="content") == clean(ARTICLE).to_dict()


def test_empty_batch():
    assert clean_batch([]) == []


# --- Arrow ----------------------------------------------------------------------


@pytest.fixture
def pa():
    return pytest.importorskip("pyarrow")


def expected_row(text):
    result = clean(text)
    return {"body": result.body, **result.metadata, "published_date": result.published,
            "removals": [r.to_dict() for r in result.removals], "error": None}


def rows_of(batch):
    rows = batch.to_pylist()
    for row in rows:
        if row["removals"] is not None:
            row["removals"] = json.loads(row["removals"])
    return rows


def test_clean_arrow_schema_and_values(pa):
    from boilercut.batch import clean_arrow

    batch = pa.RecordBatch.from_pydict({"id": [1, 2], "text": [ARTICLE, OTHER]})
    out = clean_arrow(batch)
    assert isinstance(out, pa.RecordBatch)
    assert out.schema.names == ["id", "text", *ARROW_COLUMNS]
    assert str(out.schema.field("authors").type) == "list<item: string>"
    assert out.schema.field("removals").type == pa.string()
    rows = rows_of(out)
    assert rows[0] == {"id": 1, "text": ARTICLE, **expected_row(ARTICLE)}
    assert rows[1] == {"id": 2, "text": OTHER, **expected_row(OTHER)}
    assert rows[0]["authors"] == ["Jane Smith"]


def test_clean_arrow_gives_the_published_date_as_date32_and_its_raw_text(pa):
    import datetime

    from boilercut.batch import clean_arrow

    text = "By Jane Smith | 12 de marzo de 2024\n\n" + OTHER
    out = clean_arrow(pa.RecordBatch.from_pydict({"text": [text, OTHER]}))
    assert out.schema.field("published_date").type == pa.date32()
    assert out.schema.field("published").type == pa.string()
    assert out.column("published").to_pylist() == ["12 de marzo de 2024", None]
    assert out.column("published_date").to_pylist() == [datetime.date(2024, 3, 12), None]


def test_clean_arrow_schema_does_not_depend_on_the_data(pa):
    from boilercut.batch import arrow_schema, clean_arrow

    schema = pa.schema([("text", pa.string())])
    good = clean_arrow(pa.RecordBatch.from_pydict({"text": [ARTICLE]}, schema=schema))
    bad = clean_arrow(pa.RecordBatch.from_pydict({"text": [None]}, schema=schema))
    empty = clean_arrow(pa.RecordBatch.from_pydict({"text": []}, schema=schema))
    assert good.schema == bad.schema == empty.schema == arrow_schema(schema)
    assert empty.num_rows == 0


def test_clean_arrow_bad_rows(pa):
    from boilercut.batch import clean_arrow

    batch = pa.RecordBatch.from_pydict({"text": [ARTICLE, None, "", OTHER]})
    rows = rows_of(clean_arrow(batch))
    assert rows[1]["error"] == "'text' is null"
    assert all(rows[1][name] is None for name in ARROW_COLUMNS if name != "error")
    assert rows[2] == {"text": "", **expected_row("")}  # empty text is fine: empty body
    assert rows[3]["body"] == clean(OTHER).body
    ints = rows_of(clean_arrow(pa.RecordBatch.from_pydict({"text": [1, None]})))
    assert [r["error"] for r in ints] == ["'text' is not a string (got int)", "'text' is null"]
    binary = rows_of(clean_arrow(pa.RecordBatch.from_pydict({"text": pa.array([b"x"], pa.binary())})))
    assert binary[0]["error"] == "'text' is not a string (got bytes)"


def test_clean_arrow_failing_filter(pa):
    from boilercut.batch import clean_arrow

    pipeline = Pipeline.default().insert(explode)
    batch = pa.RecordBatch.from_pydict({"text": ["explode\n\n" + SENTENCE, ARTICLE]})
    rows = rows_of(clean_arrow(batch, pipeline=pipeline))
    assert rows[0]["error"] == "filter 'explode': raised ValueError: boom"
    assert rows[1]["body"] == SENTENCE


def test_clean_arrow_table_in_table_out(pa):
    from boilercut.batch import clean_arrow

    table = pa.Table.from_batches([
        pa.RecordBatch.from_pydict({"text": pa.array([ARTICLE], pa.large_string())}),
        pa.RecordBatch.from_pydict({"text": pa.array([OTHER, None], pa.large_string())}),
    ])
    out = clean_arrow(table)
    assert isinstance(out, pa.Table) and out.num_rows == 3
    assert out.column("body").to_pylist() == [clean(ARTICLE).body, clean(OTHER).body, None]


def test_clean_arrow_column_prefix_and_clashes(pa):
    from boilercut.batch import clean_arrow

    batch = pa.RecordBatch.from_pydict({"content": [ARTICLE], "title": ["Page title"]})
    with pytest.raises(ValueError, match="'title'.*prefix="):
        clean_arrow(batch, column="content")
    out = clean_arrow(batch, column="content", prefix="bc_")
    assert out.schema.names == ["content", "title", *("bc_" + n for n in ARROW_COLUMNS)]
    assert out.column("bc_body").to_pylist() == [SENTENCE]
    assert out.column("title").to_pylist() == ["Page title"]
    with pytest.raises(KeyError, match="no column 'text'.*content, title"):
        clean_arrow(batch)


def test_clean_arrow_keeps_schema_metadata(pa):
    from boilercut.batch import clean_arrow

    schema = pa.schema([("text", pa.string())], metadata={"source": "crawl-7"})
    out = clean_arrow(pa.RecordBatch.from_pydict({"text": [ARTICLE]}, schema=schema))
    assert out.schema.metadata == {b"source": b"crawl-7"}


# --- worker processes ------------------------------------------------------------


def square(chunk):
    return [x * x for x in chunk]


def fail_on_three(chunk):
    if 3 in chunk:
        raise ValueError("three")
    return chunk


def test_map_ordered_keeps_order_in_processes():
    chunks = list(chunked(range(100), 7))
    assert [x for out in map_ordered(square, chunks, jobs=2) for x in out] == \
        [x * x for x in range(100)]
    assert list(map_ordered(square, chunks, jobs=1)) == [square(c) for c in chunks]


def test_map_ordered_reads_ahead_a_bounded_window():
    taken = []

    def source():
        for i in range(50):
            taken.append(i)
            yield [i]

    results = map_ordered(square, source(), jobs=2, window=3)
    first = next(results)
    assert first == [0]
    assert len(taken) <= 3  # not the whole input
    assert [r[0] for r in results] == [i * i for i in range(1, 50)]


def test_map_ordered_raises_a_worker_error():
    with pytest.raises(ValueError, match="three"):
        list(map_ordered(fail_on_three, [[1], [2], [3], [4]], jobs=2))


def test_map_ordered_checks_arguments():
    with pytest.raises(ValueError):
        map_ordered(square, [], jobs=-1)
    with pytest.raises(ValueError):
        map_ordered(square, [], jobs=2, window=0)
    assert resolve_jobs(0) >= 1 and resolve_jobs(3) == 3
    with pytest.raises(ValueError):
        list(chunked([1], 0))


def test_clean_chunks_in_two_processes_equals_clean_batch():
    records = [{"id": i, "text": (ARTICLE, OTHER, None)[i % 3]} for i in range(30)]
    pipeline = Pipeline.default().insert(shouting, before="title")
    out = [r for chunk in clean_chunks(chunked(records, 4), jobs=2, pipeline=pipeline) for r in chunk]
    assert out == clean_batch(records, pipeline=pipeline)
    renamed = [{"content": r["text"]} for r in records[:5]]
    for in_process in (True, False):
        out = [r for chunk in clean_chunks(chunked(renamed, 2), jobs=1, column="content", key="bc",
                                           in_process=in_process) for r in chunk]
        assert out == clean_batch(renamed, column="content", key="bc")


# --- pickling and imports ----------------------------------------------------------


def test_pipelines_pickle():
    for pipeline in (Pipeline.default(), Pipeline.default().insert(shouting),
                     Pipeline.from_config({"options": {"navigation": {"menu_run": 4}}})):
        copy = pickle.loads(pickle.dumps(pipeline))
        assert copy.names == pipeline.names
        assert clean(ARTICLE, pipeline=copy).to_dict() == clean(ARTICLE, pipeline=pipeline).to_dict()


def test_batch_modules_import_no_engine():
    code = ("import sys, boilercut.batch, boilercut.ray; "
            "print(sorted({'pyarrow', 'ray', 'pandas', 'trafilatura'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- pages ------------------------------------------------------------------------

PAGE = ("<html><head><title>Bridge closes for repairs</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        "<h1>Bridge closes for repairs</h1>"
        f"<p>{SENTENCE}</p><p>The mayor said the bridge would reopen in April after the "
        "repairs, and that ferries would run every twenty minutes in the meantime.</p>"
        "<p>Advertisement</p></article></body></html>")


@pytest.fixture
def clean_html():
    pytest.importorskip("trafilatura")
    import boilercut

    if not hasattr(boilercut, "clean_html"):
        pytest.skip("boilercut.clean_html is not there")
    return boilercut.clean_html


def test_records_with_html_and_no_text_are_pages(clean_html):
    records = [{"html": PAGE, "url": "https://example.org/a"}, {"html": PAGE.encode()},
               {"html": None}, {"text": ARTICLE, "html": "<p>ignored</p>"}]
    out = clean_batch(records)
    expected = clean_html(PAGE, url="https://example.org/a").to_dict()
    assert out[0]["boilercut"] == expected
    assert SENTENCE in out[0]["boilercut"]["body"]
    assert out[1]["boilercut"]["body"] == expected["body"]
    assert out[2]["boilercut"] == {"error": "'html' is null"}
    assert out[3]["boilercut"] == clean(ARTICLE).to_dict()  # the text column wins
    assert clean_batch([{"html": PAGE}], html_column=None)[0]["boilercut"] == {"error": "'text' missing"}


def test_clean_arrow_on_pages(clean_html, pa):
    from boilercut.batch import ARROW_HTML_COLUMNS, arrow_schema, clean_arrow

    batch = pa.RecordBatch.from_pydict({"url": ["https://example.org/a", None],
                                        "html": [PAGE, None]})
    out = clean_arrow(batch)
    assert out.schema == arrow_schema(batch.schema, html=True)
    assert out.schema.names == ["url", "html", *ARROW_HTML_COLUMNS]
    rows = rows_of(out)
    expected = clean_html(PAGE, url="https://example.org/a")
    assert rows[0]["body"] == expected.body and rows[0]["error"] is None
    page = json.loads(rows[0]["page"])
    assert page == {k: v for k, v in expected.metadata.items()
                    if k not in METADATA_FIELDS}
    assert rows[1]["error"] == "'html' is null" and rows[1]["page"] is None


# --- site profiles -----------------------------------------------------------------

SITE_PAGES = [f"Home | News\nComments ({n})\n{text}\nSign up to our newsletter"
              for n, text in enumerate([SENTENCE, OTHER.split("\n\n")[1].strip(),
                                        "Schools in the north of the city reopen next week."])]


def site_records():
    records = [{"url": f"https://www.a.example/{n}", "text": t} for n, t in enumerate(SITE_PAGES)]
    return [*records, {"url": "https://b.example/", "text": SITE_PAGES[0]}]


def test_clean_batch_with_site_profiles():
    from boilercut.sites import learn_sites, site_of

    records = site_records()
    sites = learn_sites((site_of(r["url"]), r["text"]) for r in records)
    out = clean_batch(records, sites=sites)
    assert out[0]["boilercut"]["body"] == SENTENCE
    assert out[0]["boilercut"]["site"] == "site profile of 2 other pages"
    assert {r["reason"] for r in out[0]["boilercut"]["removals"]} == {
        "seen on 2 of 2 pages of this site"}
    assert out[3]["boilercut"]["site"].startswith("no site profile: 0 other pages")
    assert "site" not in {r["filter"] for r in out[3]["boilercut"]["removals"]}
    no_url = clean_batch([{"text": SITE_PAGES[0]}], sites=sites)[0]["boilercut"]
    assert no_url["site"] == "no site profile: the page has no site (no URL or group field)"
    by_field = clean_batch([{**r, "site": "a"} for r in records[:3]], group_by="site",
                           sites=learn_sites(("a", r["text"]) for r in records[:3]))
    assert [r["boilercut"]["body"] for r in by_field] == [r["boilercut"]["body"] for r in out[:3]]
    assert clean_record({"html": "<p>x</p>"}, sites=sites) == {
        "error": "site profiles clean text, not pages ('html')"}
    in_pool = [r for chunk in clean_chunks([records[:2], records[2:]], jobs=2, sites=sites)
               for r in chunk]
    assert in_pool == out


def test_clean_arrow_with_site_profiles(pa):
    from boilercut.batch import clean_arrow
    from boilercut.sites import learn_sites, site_of

    records = site_records()
    sites = learn_sites((site_of(r["url"]), r["text"]) for r in records)
    table = pa.table({"url": [r["url"] for r in records], "text": [r["text"] for r in records]})
    out = clean_arrow(table, sites=sites).to_pylist()
    expected = clean_batch(records, sites=sites)
    assert [r["body"] for r in out] == [r["boilercut"]["body"] for r in expected]
    assert out[0]["body"] == SENTENCE
    with pytest.raises(ValueError, match="no column 'site'"):
        clean_arrow(table, sites=sites, group_by="site")
