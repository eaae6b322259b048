"""Hostile input and faults (issue 15): deep markup, filters that edit lines, byte
orders and line ends, NUL bytes in JSON Lines, implausible charsets, non-standard
JSON, special output files, bad options, full disks, permissions, interrupts."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from boilercut import FilterError, Pipeline, clean
from boilercut.cli import main
from tests.conftest import needs_trafilatura

SENTENCE = "Café owners welcomed the decision to close the road on summer weekends."
ARTICLE = f"Back To Top\n\n{SENTENCE}\n\nMOST POPULAR\n"


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- 1. markup nested past the parser's depth limit --------------------------------

DEEP_PAGES = {
    "div x 100k": "<div>" * 100_000 + f"<p>{SENTENCE}</p>" + "</div>" * 100_000,
    "b x 100k in a p": "<p>" + "<b>" * 100_000 + SENTENCE + "</b>" * 100_000 + "</p>",
    "10k unclosed div span": "<div><span>" * 10_000 + f"<p>{SENTENCE}</p>",
}


@needs_trafilatura
@pytest.mark.parametrize("name", DEEP_PAGES)
def test_deeply_nested_page_is_reported_not_emptied(cwd, capsys, name):
    (cwd / "deep.html").write_text(f"<html><body>{DEEP_PAGES[name]}</body></html>")
    status = main(["deep.html", "-o", "out.txt"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("boilercut: deep.html: markup nested deeper than the HTML parser reads")
    assert not (cwd / "out.txt").exists()


@needs_trafilatura
def test_nesting_within_the_limit_still_gives_the_text(cwd, capsys):
    (cwd / "ok.html").write_text("<html><body>" + "<div>" * 200 + f"<p>{SENTENCE}</p>"
                                 + "</div>" * 200 + "</body></html>")
    assert main(["ok.html"]) == 0
    assert SENTENCE in capsys.readouterr().out


# --- 2. a filter that edits a line in place --------------------------------------------

def rewrites(doc):
    doc.lines[0].text = "INVENTED TEXT"
    return []


def test_a_filter_cannot_edit_a_line_and_is_named():
    pipeline = Pipeline.default().insert(rewrites, name="rewriter")
    with pytest.raises(FilterError, match="rewriter.*read-only") as info:
        clean(ARTICLE, pipeline=pipeline)
    assert info.value.filter == "rewriter"
    kept = clean(ARTICLE, pipeline=pipeline, on_error="keep")
    assert "INVENTED" not in kept.body and SENTENCE in kept.body


# --- 3. --encoding utf-16 (or utf-32) without a BOM ------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
def test_utf16_and_utf32_without_bom_take_the_byte_order_of_their_nul_bytes(cwd, capsys, codec):
    (cwd / "in.txt").write_bytes(ARTICLE.encode(codec))
    assert main(["in.txt", "--encoding", codec[:6]]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


# --- 4. CR-only line ends ------------------------------------------------------------

def test_cr_only_line_ends_are_line_ends_with_exact_offsets():
    text = ARTICLE.replace("\n", "\r")
    result = clean(text)
    assert result.body == SENTENCE
    assert {r.text for r in result.removals} == {"Back To Top", "MOST POPULAR"}
    for removal in result.removals:
        assert text[removal.start:removal.end] == removal.text


def test_a_lone_cr_inside_lf_text_ends_a_line_so_the_body_cleans_the_same_again():
    second = "The council will review the closures next spring after a survey of traders."
    text = f"Back To Top\n\r{SENTENCE}\r{second}\r\nMOST POPULAR\n"
    result = clean(text)
    assert result.body == f"{SENTENCE}\n{second}"
    assert [text[r.start:r.end] for r in result.removals] == ["Back To Top", "MOST POPULAR"]
    assert [r.line for r in result.removals] == [1, 5]
    assert clean(result.body).body == result.body


# --- 5. NUL bytes in JSON Lines: judged per record ----------------------------------------

@pytest.mark.parametrize("bad_line", [1, 2, 9])
def test_a_nul_byte_in_a_jsonl_record_fails_that_record_only(cwd, capsys, bad_line):
    lines = [json.dumps({"id": i, "text": ARTICLE}).encode() for i in range(1, 11)]
    lines[bad_line - 1] = b'{"id": 0, "text": "a NUL \x00 here"}'
    (cwd / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    assert main(["in.jsonl", "-o", "out.jsonl"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"boilercut: in.jsonl:{bad_line}: invalid JSON")
    assert err.count("\n") == 1
    ids = [json.loads(line)["id"] for line in (cwd / "out.jsonl").read_text().splitlines()]
    assert ids == [i for i in range(1, 11) if i != bad_line]


# --- 6. implausible declared charsets --------------------------------------------------

PAGE = ("<html><body><article><p>" + SENTENCE + " They said the change would bring more "
        "people to the shops.</p></article></body></html>")


@needs_trafilatura
@pytest.mark.parametrize("declaration", [
    '<?xml version="1.0" encoding="cp500"?>\n', '<meta charset="cp500">',
    '<meta http-equiv="Content-Type" content="text/html; charset=cp037">'])
def test_a_declared_ebcdic_charset_is_distrusted(declaration):
    from boilercut.html import clean_html, decode_html

    data = (declaration + PAGE).encode("cp1252")
    text, codec = decode_html(data)
    assert SENTENCE in text and codec != "cp500"
    assert SENTENCE in clean_html(data).body
    assert SENTENCE in clean_html(PAGE.encode("cp1252"), charset="cp500").body


# --- 7. JSONL output is standard JSON, and never overwrites an input field ----------------

def test_nan_and_infinity_are_written_as_null_with_a_warning(cwd, capsys):
    (cwd / "in.jsonl").write_text(
        '{"text": "%s", "a": NaN, "b": [Infinity, -Infinity], "c": 1e400, "d": 1.5}\n' % SENTENCE)
    assert main(["in.jsonl", "-o", "out.jsonl"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("boilercut: in.jsonl:1: -Infinity, 1e400 (out of range), Infinity, NaN "
                          "is not JSON: written as null")
    line = (cwd / "out.jsonl").read_text()
    record = json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the output"))
    assert (record["a"], record["b"], record["c"], record["d"]) == (None, [None, None], None, 1.5)


def test_a_record_with_the_output_field_is_refused_not_overwritten(cwd, capsys):
    (cwd / "in.jsonl").write_text(json.dumps({"text": SENTENCE, "boilercut": "mine"}) + "\n"
                                  + json.dumps({"text": SENTENCE}) + "\n")
    assert main(["in.jsonl", "-o", "out.jsonl", "--errors-to", "errors.jsonl"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: in.jsonl:1: the record already has a 'boilercut' field, which the output "
        "would overwrite; rename it first\n")
    assert len((cwd / "out.jsonl").read_text().splitlines()) == 1
    assert json.loads((cwd / "errors.jsonl").read_text())["raw"] == json.dumps(
        {"text": SENTENCE, "boilercut": "mine"})


# --- 8. -o naming a FIFO or a device ----------------------------------------------------

@pytest.mark.parametrize("via_symlink", [False, True])
def test_output_to_a_fifo_writes_into_it_and_keeps_it_a_fifo(cwd, capsys, via_symlink):

    os.mkfifo(cwd / "pipe")
    target = cwd / "pipe"
    if via_symlink:
        os.symlink("pipe", cwd / "link")
        target = cwd / "link"
    (cwd / "in.txt").write_text(ARTICLE)
    got = []
    reader = threading.Thread(target=lambda: got.append((cwd / "pipe").read_bytes()))
    reader.start()
    status = main(["in.txt", "-o", str(target)])
    reader.join(10)
    assert status == 0 and got == [(SENTENCE + "\n").encode()]
    assert stat.S_ISFIFO(os.stat(cwd / "pipe").st_mode)
    assert not list(cwd.glob(".*.tmp"))


# --- 9. decompression bombs and padded records: --max-record-bytes ------------------------

LIMIT = 2**20
OVER = "over the 1,048,576-byte limit of one record once decompressed (--max-record-bytes)"
PAGE = f"<html><head><title>Road closed</title></head><body><article><p>{SENTENCE}</p><p>{SENTENCE}</p></article></body></html>"


def bomb_warc(padding: int) -> bytes:
    """Two HTML responses: the first gzip-encoded (Content-Encoding: gzip), inflating
    past ``padding`` bytes of blanks, the second a plain page."""
    import gzip
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    bomb = gzip.compress(PAGE.replace("<body>", "<body>" + " " * padding).encode(), 9)
    for url, body, extra in [("https://a.example/bomb", bomb, [("Content-Encoding", "gzip")]),
                             ("https://a.example/next", PAGE.encode(), [])]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *extra],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return out.getvalue()


@needs_trafilatura
def test_a_gzip_bomb_in_a_warc_record_is_reported_and_the_next_record_kept(cwd, capsys):
    pytest.importorskip("warcio")
    (cwd / "crawl.warc.gz").write_bytes(bomb_warc(8 * LIMIT))
    status = main(["crawl.warc.gz", "-o", "out.jsonl", "--max-record-bytes", "1M", "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("boilercut: crawl.warc.gz: record <urn:uuid:")
    assert err.rstrip().endswith("payload over the 1,048,576-byte limit of one record once "
                                 "decoded (--max-record-bytes)")
    out = [json.loads(line) for line in (cwd / "out.jsonl").read_text().splitlines()]
    assert [r["url"] for r in out] == ["https://a.example/next"]
    assert SENTENCE in out[0]["boilercut"]["body"]


def peak_of(code, *args):
    """Run ``code`` in a fresh interpreter: what it prints, and its peak RSS in KiB
    (VmHWM: the process's own high-water mark; ru_maxrss would carry over pytest's)."""
    code += "\nprint(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    *printed, peak = done.stdout.splitlines()
    return printed, int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs /proc")
def test_read_warc_decodes_a_bomb_only_up_to_the_limit(tmp_path):
    """A 256 MB inflation read with a 1 MiB limit: the process grows by far less."""
    pytest.importorskip("warcio")
    (tmp_path / "bomb.warc.gz").write_bytes(bomb_warc(256 * 2**20))
    printed, peak = peak_of(
        "import sys\nfrom boilercut.warc import read_warc\n"
        "for item in read_warc(open(sys.argv[1], 'rb'), max_bytes=2**20):\n"
        "    print(type(item).__name__, getattr(item, 'broken', None))", tmp_path / "bomb.warc.gz")
    assert printed == ["Skipped True", "WarcPage None"]
    assert peak < 100 * 1024


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs /proc")
def test_a_zstd_bomb_is_inflated_only_up_to_the_limit(tmp_path):
    """256 MB of zeros in a few KB of zstd, read with a 1 MiB cap: the process grows
    by far less than 256 MB (zstd is given 512 compressed bytes at a time)."""
    zstandard = pytest.importorskip("zstandard")
    (tmp_path / "bomb.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(bytes(256 * 2**20)))
    printed, peak = peak_of(
        "import sys\nfrom pathlib import Path\nfrom boilercut.cli.discovery import Job\n"
        "from boilercut.cli.report import InputError\n"
        "try:\n    Job('b', Path(sys.argv[1]), None).read(2**20)\nexcept InputError as exc:\n"
        "    print(exc)", tmp_path / "bomb.txt.zst")
    assert printed == [OVER]
    assert peak < 100 * 1024


@needs_trafilatura
def test_a_padded_page_and_a_text_bomb_fail_alone(cwd, capsys):
    import gzip

    (cwd / "a.html").write_text(PAGE.replace("<body>", "<body>" + " " * (2 * LIMIT)))
    (cwd / "b.txt.gz").write_bytes(gzip.compress(b"x\n" * LIMIT))
    (cwd / "c.html").write_text(PAGE)
    status = main(["a.html", "b.txt.gz", "c.html", "-o", "out", "--max-record-bytes", "1M",
                   "--quiet"])
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [f"boilercut: a.html: {OVER}",
                                                    f"boilercut: b.txt.gz: {OVER}"]
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["c.txt"]


def test_stdin_over_the_limit_fails(tmp_path):
    done = run_cli(["--max-record-bytes", "1K", "--quiet"], tmp_path, input="x" * 1025,
                   stdout=subprocess.PIPE)
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", "boilercut: <stdin>: over the 1,024-byte limit of one record once "
        "decompressed (--max-record-bytes)\n")


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz"])
def test_a_jsonl_line_over_the_limit_fails_that_record_only(cwd, capsys, name):
    import gzip

    lines = [json.dumps({"id": i, "text": ARTICLE + (" " * (2 * LIMIT) if i == 1 else "")})
             for i in range(4)]
    data = "\n".join(lines).encode() + b"\n"
    (cwd / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    status = main([name, "-o", "out.jsonl", "--max-record-bytes", "1M", "--errors-to", "e.jsonl"])
    assert status == 1
    assert capsys.readouterr().err == f"boilercut: {name}:2: {OVER}\n"
    out = [json.loads(line) for line in (cwd / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == [0, 2, 3]
    error = json.loads((cwd / "e.jsonl").read_text())
    assert (error["line"], "raw" in error) == (2, False)  # the line is not kept


def test_jsonl_decoded_whole_is_held_to_the_limit(cwd, capsys):
    (cwd / "in.jsonl").write_bytes((json.dumps({"text": ARTICLE}) + "\n").encode("utf-16") * 600)
    assert main(["in.jsonl", "-o", "out.jsonl", "--max-record-bytes", "64K"]) == 1
    assert capsys.readouterr().err == ("boilercut: in.jsonl: over the 65,536-byte limit of one "
                                       "record once decompressed (--max-record-bytes)\n")


@pytest.mark.parametrize("value", ["0", "-1", "1.5M", "lots"])
def test_a_bad_max_record_bytes_is_a_usage_error(cwd, capsys, value):
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--max-record-bytes", value]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "boilercut: error: --max-record-bytes must be a size above 0 such as 1000000, 512K, "
        f"64M or 2G, not {value!r}")


# --- 10. the time budget covers a page's extraction --------------------------------------

def slow_extraction(monkeypatch, seconds):
    """trafilatura made slow, as on a 20 MB page: each extraction first sleeps."""
    from boilercut import html

    real = html._bare_extraction

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(html, "_bare_extraction", slow)


@needs_trafilatura
def test_timeout_per_doc_interrupts_a_slow_extraction_and_goes_on(cwd, capsys, monkeypatch):
    slow_extraction(monkeypatch, 3)
    (cwd / "slow.html").write_text(PAGE)
    (cwd / "b.txt").write_text(ARTICLE)
    started = time.monotonic()
    status = main(["slow.html", "b.txt", "-o", "out", "--timeout-per-doc", "0.5",
                   "--errors-to", "e.jsonl", "--quiet"])
    assert time.monotonic() - started < 2.5
    assert status == 1
    assert capsys.readouterr().err == ("boilercut: slow.html: extracting the page's text "
                                       "(trafilatura) ran past the time budget of 0.5 s\n")
    assert json.loads((cwd / "e.jsonl").read_text())["kind"] == "timeout"
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["b.txt"]


def naps(doc):
    time.sleep(0.8)
    return []


@needs_trafilatura
def test_the_filters_get_what_the_extraction_left_of_the_budget(monkeypatch):
    from boilercut import FilterTimeout, clean_html

    pipeline = Pipeline.default().insert(naps, name="napper")
    assert clean_html(PAGE, pipeline=pipeline, timeout=1.2).body  # 0.8 s in all: in time
    slow_extraction(monkeypatch, 0.25)  # a short page is extracted twice (the fallback)
    with pytest.raises(FilterTimeout, match="napper"):  # 0.5 + 0.8 s of 1.2
        clean_html(PAGE, pipeline=pipeline, timeout=1.2)


@needs_trafilatura
def test_a_page_over_max_page_bytes_fails_alone(cwd, capsys):
    """Extraction takes about 60x a page's size: pages over the cap are refused, in
    files, JSON Lines --html records and WARC records alike."""
    pytest.importorskip("warcio")
    big = PAGE.replace("<body>", "<body>" + "<p>More words here.</p>" * 100)
    (cwd / "big.html").write_text(big)
    (cwd / "small.html").write_text(PAGE)
    (cwd / "pages.jsonl").write_text(json.dumps({"html": big}) + "\n" + json.dumps({"html": PAGE})
                                     + "\n")
    (cwd / "crawl.warc.gz").write_bytes(bomb_warc(2048))
    reason = "over the 2,048-byte limit of one HTML page (--max-page-bytes)"
    assert main(["big.html", "small.html", "-o", "out", "--max-page-bytes", "2K"]) == 1
    assert capsys.readouterr().err.startswith(f"boilercut: big.html: page of {len(big.encode()):,} "
                                              f"bytes, {reason}")
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["small.txt"]
    assert main(["--html", "pages.jsonl", "-o", "pages.out.jsonl", "--max-page-bytes", "2K"]) == 1
    assert f"boilercut: pages.jsonl:1: page of " in capsys.readouterr().err
    assert len((cwd / "pages.out.jsonl").read_text().splitlines()) == 1
    assert main(["crawl.warc.gz", "-o", "crawl.jsonl", "--max-page-bytes", "2K", "--quiet"]) == 1
    assert reason in capsys.readouterr().err
    assert [json.loads(line)["url"] for line in (cwd / "crawl.jsonl").open()] == [
        "https://a.example/next"]


def test_max_page_bytes_defaults_to_8_mib(cwd, capsys):
    from boilercut.cli import build_parser

    assert build_parser().parse_args([]).max_page_bytes == "8388608"
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--max-page-bytes", "0"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        "boilercut: error: --max-page-bytes must be a size above 0")


# --- 11. lines per document: --max-lines ------------------------------------------------

def test_a_document_over_max_lines_is_refused_before_it_is_split():
    from boilercut import TooManyLines

    assert clean("x\n" * 9 + "x", max_lines=10).body  # 10 lines: allowed
    for text in ("x\n" * 10 + "x", "x\r" * 10 + "x"):
        with pytest.raises(TooManyLines, match="11 lines, more than the 10 one document may have"):
            clean(text, max_lines=10, on_error="keep")  # the input fails, not a filter


def test_cli_max_lines_fails_the_document_and_goes_on(cwd, capsys):
    (cwd / "big.txt").write_text("x\n" * 1000 + SENTENCE)
    (cwd / "ok.txt").write_text(ARTICLE)
    lines = [json.dumps({"id": i, "text": "x\n" * 1000 if i == 1 else ARTICLE}) for i in range(3)]
    (cwd / "in.jsonl").write_text("\n".join(lines) + "\n")
    status = main(["big.txt", "ok.txt", "in.jsonl", "-o", "out", "--max-lines", "1000", "--quiet"])
    assert status == 1
    reason = "1,001 lines, more than the 1,000 one document may have (--max-lines)"
    assert capsys.readouterr().err.splitlines() == [f"boilercut: big.txt: {reason}",
                                                    f"boilercut: in.jsonl:2: {reason}"]
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["in.jsonl", "ok.txt"]
    assert [json.loads(line)["id"] for line in (cwd / "out" / "in.jsonl").open()] == [0, 2]


@needs_trafilatura
def test_cli_max_lines_counts_a_pages_extracted_text(cwd, capsys):
    paragraphs = "".join(f"<p>{SENTENCE} Part {i}.</p>" for i in range(40))
    (cwd / "page.html").write_text(f"<html><body><article>{paragraphs}</article></body></html>")
    assert main(["page.html", "--max-lines", "20"]) == 1
    assert capsys.readouterr().err.endswith("one document may have (--max-lines)\n")
    assert main(["page.html", "--max-lines", "100"]) == 0


def test_max_lines_has_a_default_and_refuses_zero(cwd, capsys):
    from boilercut.cli import build_parser

    assert build_parser().parse_args([]).max_lines == 100_000
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--max-lines", "0"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("boilercut: error: --max-lines must "
                                                        "be 1 or more, not 0")


def test_the_trees_walk_a_long_document_in_blocks_with_the_same_result(monkeypatch):
    """The line model walks its trees WALK_ROWS rows at a time (a whole 100,000-line
    document at once took 700 MB); blocks of 3 rows give the same margins and
    contributions as one block."""
    import numpy as np

    from boilercut import model

    scorer = model.load().scorer
    if not isinstance(scorer, model.Trees):
        pytest.skip("the shipped model is not trees")
    x = np.random.default_rng(15).normal(size=(10, len(model.load().names)))
    whole = scorer.margin(x), scorer.contributions(x)
    monkeypatch.setattr(model, "WALK_ROWS", 3)
    assert np.array_equal(scorer.margin(x), whole[0])
    assert np.array_equal(scorer.contributions(x), whole[1])
    assert scorer.margin(x[:0]).shape == (0,)


# --- 12. --errors-to streamed ------------------------------------------------------------

def test_errors_to_is_written_as_failures_happen_not_at_the_end(cwd, capsys, monkeypatch):
    """A filter run on record 3 reads --errors-to: the failures of records 1 and 2 are
    there already (they were kept in memory until the end of the run)."""
    from boilercut import cli

    seen = []

    def peek(doc):
        if "THIRD" in doc.text:
            seen.append((cwd / "errors.jsonl").read_text())
        return []

    monkeypatch.setattr(cli, "build_pipeline", lambda args: Pipeline.default().insert(peek))
    (cwd / "in.jsonl").write_text("not json\n[1]\n" + json.dumps({"text": ARTICLE + "THIRD"})
                                  + "\n")
    assert main(["in.jsonl", "-o", "out.jsonl", "--errors-to", "errors.jsonl"]) == 1
    assert [json.loads(line)["line"] for line in seen[0].splitlines()] == [1, 2]
    assert len((cwd / "errors.jsonl").read_text().splitlines()) == 2


def test_errors_to_that_cannot_be_written_is_one_line_and_the_run_goes_on(cwd, capsys):
    (cwd / "in.jsonl").write_text("not json\n" + json.dumps({"text": ARTICLE}) + "\n")
    (cwd / "errors.jsonl").mkdir()
    assert main(["in.jsonl", "-o", "out.jsonl", "--errors-to", "errors.jsonl"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["boilercut: errors.jsonl: cannot write (is a directory); later failures "
                   "are on stderr only", "boilercut: in.jsonl:1: invalid JSON (Expecting value "
                   "at column 1)"]
    assert len((cwd / "out.jsonl").read_text().splitlines()) == 1


# --- 13. --timeout-per-doc out of range --------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "86401", "0"])
def test_an_infinite_or_huge_timeout_is_a_usage_error(cwd, capsys, value):
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--timeout-per-doc", value]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("boilercut: error: --timeout-per-doc must be a number of seconds "
                          "above 0 and at most 86400 (a day)")


@pytest.mark.parametrize("value", [float("inf"), 1e300])
def test_pipeline_run_refuses_an_unusable_timeout(value):
    with pytest.raises(ValueError, match="at most 86400"):
        clean(ARTICLE, timeout=value)


def test_the_largest_timeout_is_accepted(cwd, capsys):
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--timeout-per-doc", "86400"]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


# --- 17. a full disk ---------------------------------------------------------------------

def run_cli(args, cwd, *, stdout=None, prefix=(), **kwargs):

    return subprocess.run([*prefix, sys.executable, "-m", "boilercut", *args], cwd=cwd,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [["a.txt"], ["a.txt", "--format", "json"], ["r.jsonl"],
                                  ["a.txt", "r.jsonl", "--jobs", "2"]])
def test_a_full_stdout_is_one_line_naming_it_and_exit_1(tmp_path, args):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "r.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n")
    with open("/dev/full", "wb") as full:
        done = run_cli(["--no-config", *args], tmp_path, stdout=full)
    assert done.returncode == 1
    assert done.stderr == "boilercut: <stdout>: cannot write (no space left on device)\n"


# --- 18. permissions -----------------------------------------------------------------------

@pytest.fixture
def shared_tmp():
    """A directory another user can enter: as root, permissions are checked by running
    the command as nobody (root reads any directory)."""

    path = Path(tempfile.mkdtemp(prefix="boilercut-perm-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(path)


NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")


@functools.cache
def nobody_cannot_run_boilercut() -> str:
    """Why the user nobody cannot run this interpreter with boilercut ('' when it can):
    a virtual environment inside a private directory (mktemp -d) hides its packages."""
    done = subprocess.run([*NOBODY, sys.executable, "-c", "import boilercut.cli"], cwd="/",
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if not done.returncode:
        return ""
    return (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]


def run_unprivileged(args, cwd):
    """The CLI as a user without root's right to read any directory."""
    prefix = ()
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root reads any directory, and setpriv is not here to drop that")
        if reason := nobody_cannot_run_boilercut():
            pytest.skip(f"the user nobody cannot run {sys.executable} with boilercut: {reason}")
        prefix = NOBODY
    return run_cli(["--no-config", *args], cwd, stdout=subprocess.PIPE, prefix=prefix)


def test_output_under_an_unreadable_parent_is_one_usage_error(shared_tmp):
    (shared_tmp / "a.txt").write_text(ARTICLE)
    (shared_tmp / "a.txt").chmod(0o644)
    (shared_tmp / "locked" / "sub").mkdir(parents=True)
    (shared_tmp / "locked").chmod(0)
    done = run_unprivileged(["a.txt", "-o", "locked/sub/out.txt"], shared_tmp)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "boilercut: error: cannot use output locked/sub/out.txt (permission denied)")


def test_an_unreadable_directory_in_an_input_tree_is_reported(shared_tmp):
    for sub in ("ok", "bad"):
        (shared_tmp / "tree" / sub).mkdir(parents=True)
        (shared_tmp / "tree" / sub / "a.txt").write_text(ARTICLE)
        (shared_tmp / "tree" / sub / "a.txt").chmod(0o644)
    (shared_tmp / "tree" / "bad").chmod(0)
    done = run_unprivileged(["tree"], shared_tmp)
    assert done.returncode == 1
    assert done.stderr == ("boilercut: tree/bad: cannot list this directory (permission "
                           "denied); its files were not cleaned\n")
    assert done.stdout == SENTENCE + "\n"


# --- 19. codecs that are no character sets ---------------------------------------------------

@pytest.mark.parametrize("name", ["idna", "punycode", "undefined", "unicode_escape",
                                  "raw-unicode-escape"])
def test_a_codec_that_is_no_character_set_is_a_usage_error(cwd, capsys, name):
    (cwd / "in.txt").write_text(ARTICLE)
    (cwd / "in.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n")
    for given in ("in.txt", "in.jsonl"):
        assert main([given, "--encoding", name]) == 2
        assert capsys.readouterr().err.splitlines()[-1] == (
            f"boilercut: error: unknown text encoding {name!r} for --encoding")


@pytest.mark.parametrize("name", ["latin-1", "cp1252", "gb18030", "utf-16", "cp500"])
def test_character_sets_are_still_accepted(cwd, capsys, name):
    (cwd / "in.txt").write_bytes(ARTICLE.encode(name))
    assert main(["in.txt", "--encoding", name]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


# --- 14, 15, 20. Ctrl-C, kill -9, filters that exit --------------------------------------------

SLOW_RUN = """
import os, sys, time
from boilercut import Pipeline, cli

def slow(doc):
    open(os.path.join(os.environ["PIDS"], str(os.getpid())), "w").close()
    time.sleep(0.05)
    return []

cli.build_pipeline = lambda args: Pipeline.default().insert(slow)
sys.exit(cli.main(sys.argv[1:]))
"""


def slow_inputs(cwd, kind):
    if kind == "jsonl":
        (cwd / "in.jsonl").write_text("".join(json.dumps({"id": i, "text": ARTICLE}) + "\n"
                                              for i in range(3000)))
        return ["in.jsonl", "-o", "out.jsonl"]
    (cwd / "in").mkdir()
    for i in range(300):
        (cwd / "in" / f"{i:03}.txt").write_text(ARTICLE)
    return ["in", "-o", "out"]


def start_slow(cwd, args, **kwargs):
    (cwd / "pids").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PIDS": str(cwd / "pids")}
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RUN, *args], cwd=cwd, env=env,
                            stderr=subprocess.PIPE, text=True, **kwargs)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any((cwd / "pids").iterdir()):
        time.sleep(0.05)  # a document is being cleaned
    time.sleep(1)  # well into the run
    return proc


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state


def worker_pids(cwd, proc):
    return [int(p.name) for p in (cwd / "pids").iterdir() if int(p.name) != proc.pid]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("kind", ["jsonl", "files"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_is_one_line_exit_130_no_temp_files_no_workers(tmp_path, kind, jobs):
    proc = start_slow(tmp_path, [*slow_inputs(tmp_path, kind), "--jobs", jobs, "--quiet"],
                      start_new_session=True)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 130
    assert err == "boilercut: interrupted (SIGINT); outputs written so far are complete\n"
    assert list(tmp_path.rglob("*.tmp")) == []
    time.sleep(0.5)
    assert [pid for pid in worker_pids(tmp_path, proc) if alive(pid)] == []
    if jobs == "2":
        assert worker_pids(tmp_path, proc)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_die_with_a_killed_main_process_and_release_the_pipe(tmp_path):
    args = slow_inputs(tmp_path, "jsonl")[:1] + ["--jobs", "2", "--quiet"]  # to stdout
    proc = start_slow(tmp_path, args, stdout=subprocess.PIPE)
    workers = worker_pids(tmp_path, proc)
    assert len(workers) == 2
    proc.kill()
    proc.communicate(timeout=10)  # EOF on stdout and stderr: no orphan holds them
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(map(alive, workers)):
        time.sleep(0.1)
    assert [pid for pid in workers if alive(pid)] == []


def exits(doc):
    raise SystemExit(3)


def test_a_filter_raising_system_exit_is_a_filter_fault():
    pipeline = Pipeline.default().insert(exits, name="quitter")
    with pytest.raises(FilterError, match=r"filter 'quitter': raised SystemExit\(3\)"):
        clean(ARTICLE, pipeline=pipeline)
    assert SENTENCE in clean(ARTICLE, pipeline=pipeline, on_error="keep").body


EXITING_RUN = """
import os, sys
from boilercut import Pipeline, cli

def bad(doc):
    if "POISON" in doc.text:
        {action}
    return []

cli.build_pipeline = lambda args: Pipeline.default().insert(bad)
sys.exit(cli.main(sys.argv[1:]))
"""


def run_exiting(tmp_path, action, *args):
    lines = [json.dumps({"id": i, "text": ARTICLE + ("POISON" if i == 5 else "")})
             for i in range(10)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", EXITING_RUN.format(action=action), "in.jsonl",
                           "-o", "out.jsonl", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_filter_system_exit_is_reported_and_the_run_goes_on(tmp_path, jobs):
    done = run_exiting(tmp_path, "raise SystemExit(3)", "--jobs", jobs)
    assert done.returncode == 1
    assert done.stderr == "boilercut: in.jsonl:6: filter 'bad': raised SystemExit(3)\n"
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 10


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_filter_keyboard_interrupt_stops_the_run_like_ctrl_c(tmp_path, jobs):
    done = run_exiting(tmp_path, "raise KeyboardInterrupt", "--jobs", jobs)
    assert done.returncode == 130
    assert done.stderr == "boilercut: interrupted (SIGINT); outputs written so far are complete\n"
    assert list(tmp_path.glob("*.tmp")) == []


def test_cli_os_exit_in_a_worker_is_reported(tmp_path):
    done = run_exiting(tmp_path, "os._exit(7)", "--jobs", "2")
    assert done.returncode == 1
    assert done.stderr.startswith("boilercut: in.jsonl: a worker process died")
    assert done.stderr.count("\n") == 1


# --- 21. --strict keeps the records before the failure ----------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_strict_keeps_the_records_before_the_failing_one(tmp_path, jobs):
    done = run_exiting(tmp_path, "raise ValueError('boom')", "--strict", "--jobs", jobs)
    assert done.returncode == 1
    assert done.stderr == ("boilercut: in.jsonl:6: filter 'bad': raised ValueError: boom; "
                           "stopping (--strict)\n")
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert ids == [0, 1, 2, 3, 4]
    assert list(tmp_path.glob("*.tmp")) == []


# --- 16. kill -9 mid-run, then --resume ------------------------------------------------------

def dead_pid():
    """The pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def jsonl_records(n, bad=()):
    return "".join(("not json" if i in bad else json.dumps({"id": i, "text": f"{ARTICLE}{i}"}))
                   + "\n" for i in range(n))


def output_ids(path):
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_sigkill_at_random_points_then_resume_writes_every_record_once(tmp_path):
    import random

    rng = random.Random(15)
    (tmp_path / "in.jsonl").write_text(jsonl_records(1500))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "boilercut", "in.jsonl", "-o", "out.jsonl", "--quiet"]
    kills = 0
    for round, jobs in enumerate(["1", "2", "1"]):
        before = sum(len(p.read_bytes().splitlines()) for p in tmp_path.glob(".out.jsonl.*.tmp"))
        proc = subprocess.Popen([*argv, "--jobs", jobs, *(["--resume"] if round else [])],
                                cwd=tmp_path, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and sum(
                len(p.read_bytes().splitlines()) for p in tmp_path.glob(".out.jsonl.*.tmp")) <= before:
            time.sleep(0.02)  # until this run has written a record of its own
        time.sleep(rng.uniform(0, 0.4))
        if proc.poll() is None:
            proc.kill()
            kills += 1
        proc.wait()
    assert kills >= 2 and not (tmp_path / "out.jsonl").exists()
    done = subprocess.run([*argv, "--resume"], cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0
    assert output_ids(tmp_path / "out.jsonl") == list(range(1500))
    assert list(tmp_path.glob(".*.tmp")) == []


def test_resume_drops_a_torn_last_line_and_goes_on_after_the_last_record(cwd, capsys):
    (cwd / "in.jsonl").write_text(jsonl_records(8, bad={2}))
    assert main(["in.jsonl", "-o", "full.jsonl", "--quiet"]) == 1
    full = (cwd / "full.jsonl").read_bytes()
    lines = full.splitlines(keepends=True)
    (cwd / f".out.jsonl.{dead_pid()}.abcd1234.tmp").write_bytes(b"".join(lines[:3])
                                                                + lines[3][:40])
    (cwd / "errors.jsonl").write_text('{"earlier": "run"}\n')
    capsys.readouterr()
    assert main(["in.jsonl", "-o", "out.jsonl", "--resume", "--errors-to", "errors.jsonl"]) == 0
    assert capsys.readouterr().err == ("boilercut: in.jsonl: --resume: 3 records were done, "
                                       "going on after line 4\n")
    assert (cwd / "out.jsonl").read_bytes() == full
    assert (cwd / "errors.jsonl").read_text() == '{"earlier": "run"}\n'  # added to, not emptied
    assert list(cwd.glob(".*.tmp")) == []


def test_resume_refuses_an_output_that_does_not_match_the_input(cwd, capsys):
    (cwd / "in.jsonl").write_text(jsonl_records(4))
    stale = cwd / f".out.jsonl.{dead_pid()}.abcd1234.tmp"
    stale.write_text(json.dumps({"id": 99, "text": "other", "boilercut": {}}) + "\n")
    assert main(["in.jsonl", "-o", "out.jsonl", "--resume"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: in.jsonl: --resume: record 1 of the killed run's output matches no input "
        "record after line 0 (has the input changed?); that output was discarded: run again\n")
    assert list(cwd.glob(".*.tmp")) == [] and not (cwd / "out.jsonl").exists()
    assert main(["in.jsonl", "-o", "out.jsonl", "--resume"]) == 0
    assert output_ids(cwd / "out.jsonl") == [0, 1, 2, 3]


def test_temp_files_of_killed_runs_are_removed_and_live_ones_left(cwd, capsys):
    (cwd / "in").mkdir()
    (cwd / "in" / "a.txt").write_text(ARTICLE)
    (cwd / "out").mkdir()
    dead = cwd / "out" / f".a.txt.{dead_pid()}.abcd1234.tmp"
    live = cwd / "out" / f".a.txt.{os.getppid()}.abcd1234.tmp"  # a run still writing
    other = cwd / "out" / ".notes.txt.1.abcd1234.tmp"  # not an output of this run
    for path in (dead, live, other):
        path.write_text("partial")
    assert main(["in", "-o", "out"]) == 0
    assert capsys.readouterr().err == "boilercut: removed 1 temporary file left by a killed run\n"
    assert not dead.exists() and live.exists() and other.exists()
    assert (cwd / "out" / "a.txt").read_text() == SENTENCE + "\n"
