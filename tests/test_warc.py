"""WARC input: which records are pages, damaged files, and ``boilercut --warc``.

The WARC files are built here, from the pages in tests/data/html, with
warcio's writer and, for records warcio would not write (a malformed HTTP
status line), by hand.
"""

import gzip
import io
import json
from pathlib import Path

import pytest

pytest.importorskip("warcio", reason="warcio not installed (pip install 'boilercut[warc]')")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from boilercut.cli import main  # noqa: E402
from boilercut.warc import Skipped, WarcError, WarcPage, read_warc  # noqa: E402
from tests.conftest import needs_trafilatura  # noqa: E402

DATA = Path(__file__).parent / "data" / "html"
FERRY = (DATA / "harbour-ferry.html").read_bytes()
TOUR = (DATA / "tour-dates.html").read_text(encoding="utf-8")
TOUR_CP1252 = TOUR.replace("–", "-").replace('<meta charset="utf-8">', "").replace(
    "Bristol", "Bristol café").encode("cp1252")



def http(status: str, content_type: str | None, *extra) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] if content_type else []
    return StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")


def raw_record(kind: str, url: str, block: bytes, record_id: str) -> bytes:
    """One record written by hand (warcio's writer checks what it writes)."""
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
            f"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {url}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return head + block + b"\r\n\r\n"


def build_warc(*, gzipped: bool = True, broken: bool = True) -> bytes:
    """A crawl of mixed records; the HTML pages are the ferry (utf-8, with its request),
    the tour (cp1252, charset in the HTTP header) and an empty page."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)

    def response(url, payload, headers, **kw):
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                           http_headers=headers, **kw)
        writer.write_record(record)
        return record

    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "tests"}))
    writer.write_record(writer.create_warc_record(
        "https://gazette.example/news/harbour-ferry", "request", payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders("GET /news/harbour-ferry HTTP/1.1",
                                      [("Host", "gazette.example")], is_http_request=True)))
    response("https://gazette.example/news/harbour-ferry", FERRY,
             http("200 OK", "text/html; charset=utf-8"))
    response("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64),
             http("200 OK", "image/png"))
    response("https://music.example/lanterns", TOUR_CP1252,
             http("200 OK", "text/html; charset=windows-1252"))
    response("https://gazette.example/missing", b"<html><body><p>Not found</p></body></html>",
             http("404 Not Found", "text/html"))
    response("https://gazette.example/empty", b"<html><head></head><body></body></html>",
             http("200 OK", "text/html"))
    writer.write_record(writer.create_revisit_record(
        "https://gazette.example/news/harbour-ferry", digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="https://gazette.example/news/harbour-ferry", refers_to_date="2024-05-01T09:00:00Z",
        http_headers=http("200 OK", "text/html")))
    writer.write_record(writer.create_warc_record(
        "https://gazette.example/news/harbour-ferry", "metadata",
        payload=io.BytesIO(b"fetchTimeMs: 120\r\n"), warc_content_type="application/warc-fields"))
    data = out.getvalue()
    if broken:
        bad = raw_record("response", "https://broken.example/",
                         b"this is no HTTP status line\r\n\r\n<html><p>x</p></html>",
                         "00000000-0000-0000-0000-000000000001")
        data += gzip.compress(bad) if gzipped else bad
    return data


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_records_are_sorted_into_pages_and_skips():
    items = list(read_warc(io.BytesIO(build_warc())))
    kinds = [(type(i).__name__, i.url, getattr(i, "reason", None)) for i in items]
    assert kinds == [
        ("Skipped", None, "warcinfo record"),
        ("Skipped", "https://gazette.example/news/harbour-ferry", "request record"),
        ("WarcPage", "https://gazette.example/news/harbour-ferry", None),
        ("Skipped", "https://gazette.example/logo.png", "not HTML (image/png)"),
        ("WarcPage", "https://music.example/lanterns", None),
        ("Skipped", "https://gazette.example/missing", "HTTP status 404"),
        ("WarcPage", "https://gazette.example/empty", None),
        ("Skipped", "https://gazette.example/news/harbour-ferry", "revisit record"),
        ("Skipped", "https://gazette.example/news/harbour-ferry", "metadata record"),
        ("Skipped", "https://broken.example/",
         "malformed HTTP status line 'this is no HTTP status line'"),
    ]
    assert [i.broken for i in items if isinstance(i, Skipped)] == [False] * 6 + [True]
    ferry, tour, _ = [i for i in items if isinstance(i, WarcPage)]
    assert ferry.html == FERRY and ferry.charset == "utf-8" and tour.charset == "windows-1252"
    assert ferry.record_id.startswith("<urn:uuid:") and ferry.date.startswith("20")


@pytest.mark.parametrize("gzipped", [True, False])
def test_truncated_warc_keeps_the_records_before_the_damage(gzipped):
    data = build_warc(gzipped=gzipped, broken=False)
    assert len(list(read_warc(io.BytesIO(data)))) == 9
    cut = len(data) - 300  # inside one of the last records
    seen = []
    with pytest.raises(WarcError) as info:
        for item in read_warc(io.BytesIO(data[:cut])):
            seen.append(item)
    assert info.value.records == len(seen) and 2 <= len(seen) < 9
    assert "truncated" in str(info.value) or "corrupt" in str(info.value)


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"<html>not a warc</html>", "not a WARC file"),
    (gzip.compress(b"hello, gzip but not WARC"), "not a WARC file"),
    (b"\x1f\x8b\x08garbage", "not a WARC file"),
])
def test_not_a_warc(data, message):
    with pytest.raises(WarcError, match=message):
        list(read_warc(io.BytesIO(data)))


def test_junk_after_the_last_record_is_an_error():
    data = build_warc(gzipped=False, broken=False) + b"junk junk junk\r\n"
    with pytest.raises(WarcError, match="corrupt WARC after 9 records"):
        list(read_warc(io.BytesIO(data)))


# --- command line ---------------------------------------------------------------


@needs_trafilatura
def test_cli_warc_mixed_records(cwd, capsys):
    (cwd / "crawl.warc.gz").write_bytes(build_warc())
    assert main(["crawl.warc.gz"]) == 1  # the broken record fails the run
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in records] == ["https://gazette.example/news/harbour-ferry",
                                          "https://music.example/lanterns",
                                          "https://gazette.example/empty"]
    ferry, tour, empty = records
    assert set(ferry) == {"source", "url", "record_id", "date", "boilercut"}
    assert ferry["source"] == "crawl.warc.gz" and ferry["record_id"].startswith("<urn:uuid:")
    assert ferry["boilercut"]["body"].startswith("The harbour ferry returned to service")
    assert ferry["boilercut"]["metadata"]["page"]["sitename"] == "The Harbour Gazette"
    assert "June 12 - The Forge, Bristol café" in tour["boilercut"]["body"]
    assert tour["boilercut"]["metadata"]["page"]["encoding"] == "cp1252"
    assert empty["boilercut"]["body"] == ""
    lines = err.splitlines()
    assert ("boilercut: crawl.warc.gz: record <urn:uuid:00000000-0000-0000-0000-000000000001>: "
            "malformed HTTP status line 'this is no HTTP status line'") in lines
    assert ("boilercut: crawl.warc.gz: 10 records: 3 cleaned, 7 skipped (1 warcinfo record, "
            "1 request record, 1 not HTML (image/png), 1 HTTP status 404, 1 revisit record, "
            "1 metadata record, 1 broken)") in lines


@needs_trafilatura
def test_cli_warc_option_output_file_and_directory(cwd, capsys):
    (cwd / "crawl.bin").write_bytes(build_warc(broken=False, gzipped=False))
    assert main(["--warc", "--quiet", "crawl.bin", "-o", "out.jsonl"]) == 0
    assert capsys.readouterr() == ("", "")
    assert len((cwd / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    crawls = cwd / "crawls"
    crawls.mkdir()
    (crawls / "a.warc.gz").write_bytes(build_warc(broken=False))
    (crawls / "b.warc").write_bytes(build_warc(broken=False, gzipped=False))
    (crawls / "notes.txt").write_text("not a crawl")
    assert main(["--warc", "crawls", "-o", "clean"]) == 0
    assert sorted(p.name for p in (cwd / "clean").iterdir()) == ["a.jsonl", "b.jsonl"]


@needs_trafilatura
def test_cli_truncated_warc_keeps_what_was_read(cwd, capsys):
    data = build_warc(broken=False)
    (cwd / "cut.warc.gz").write_bytes(data[:-300])
    assert main(["cut.warc.gz", "-o", "cut.jsonl"]) == 1
    err = capsys.readouterr().err
    assert any(line.startswith("boilercut: cut.warc.gz: truncated") for line in err.splitlines())
    assert len((cwd / "cut.jsonl").read_text(encoding="utf-8").splitlines()) == 3


@needs_trafilatura
def test_cli_bad_warc_inputs(cwd, capsys):
    (cwd / "text.warc").write_text("plain text, no WARC")
    assert main(["text.warc", "missing.warc.gz"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines()
              if line.startswith("boilercut: ") and "records:" not in line]
    assert errors[:2] == [
        "boilercut: text.warc: not a WARC file (no WARC/1.x header at the start)",
        "boilercut: missing.warc.gz: no such file",
    ]


@needs_trafilatura
def test_cli_warc_from_stdin(capsys, monkeypatch):
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(build_warc(broken=False))))
    assert main(["--warc", "--quiet"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["source"] for r in records] == ["-"] * 3


@pytest.mark.parametrize("gzipped", [True, False])
def test_any_cut_gives_whole_records_or_a_warc_error(gzipped):
    data = build_warc(gzipped=gzipped)
    complete = list(read_warc(io.BytesIO(data)))
    for cut in range(1, len(data)):  # every byte: the record dates move the offsets
        seen = []
        try:
            for item in read_warc(io.BytesIO(data[:cut])):
                seen.append(item)
        except WarcError as exc:
            assert exc.records == len(seen)
        assert seen == complete[:len(seen)], cut


def test_a_header_cut_inside_the_content_length_line_is_truncation_not_a_record():
    record = raw_record("response", "https://gazette.example/a", b"HTTP/1.1 200 OK\r\n\r\n<p>x</p>",
                        "00000000-0000-0000-0000-000000000002")
    cut = record.index(b"Content-Length:") + len(b"Content-Length: ")
    for data in (record[:cut] + b"\r\n\r\n", gzip.compress(record[:cut])):
        with pytest.raises(WarcError) as caught:
            list(read_warc(io.BytesIO(data)))
        assert caught.value.records == 0
