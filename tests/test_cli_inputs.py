"""The command line as a newcomer meets it: which files a run takes, how it reads them,
and the hints it gives when a run cannot go as asked."""

import io
import json
import sys

import pytest

from boilercut.cli import main
from tests.conftest import needs_trafilatura

SENTENCE = "The council voted on Monday to close the old bridge for repairs until spring."
ARTICLE = f"Back To Top\n\n{SENTENCE}\n\nMOST POPULAR\n"
PAGE = (f"<!DOCTYPE html><html><head><title>Bridge</title></head><body><article><p>{SENTENCE}"
        " The works start in the first week of March and last eleven weeks.</p></article>"
        "</body></html>")


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- which files a directory gives ---------------------------------------------------


@needs_trafilatura
def test_html_on_a_directory_takes_every_html_suffix(cwd, capsys):
    for name in ("a.html", "b.htm", "c.xhtml"):
        write(cwd / "pages" / name, PAGE)
    assert main(["--html", "pages", "-o", "out", "--quiet"]) == 0
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["a.txt", "b.txt", "c.txt"]
    assert (cwd / "out" / "c.txt").read_text().startswith(SENTENCE)


def test_a_directory_where_nothing_matches_fails_with_a_hint(cwd, capsys):
    for name in ("a.html", "b.htm", "notes.md"):
        write(cwd / "pages" / name, PAGE)
    write(cwd / "more" / "x.txt", ARTICLE)
    assert main(["pages", "more"]) == 1
    out, err = capsys.readouterr()
    assert out == SENTENCE + "\n"  # the other input is still cleaned
    assert err.splitlines() == [
        "boilercut: pages: no files match '*.txt'; it holds 2 HTML files (use --html), "
        "1 other file (--glob PATTERN picks files)"]


def test_an_empty_directory_fails_even_with_quiet(cwd, capsys):
    (cwd / "empty").mkdir()
    assert main(["empty", "--quiet"]) == 1
    assert capsys.readouterr().err == ("boilercut: empty: no files match '*.txt'; "
                                       "the directory holds no files\n")


def test_an_unmatched_glob_counts_files_of_the_asked_kind_as_others(cwd, capsys):
    write(cwd / "pages" / "a.html", PAGE)
    write(cwd / "pages" / "b.warc.gz", b"")
    assert main(["--html", "--glob", "*.xml", "pages"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: pages: no files match '*.xml'; it holds 1 WARC file (use --warc), "
        "1 other file (--glob PATTERN picks files)\n")


# --- JSON Lines by name, and a wrong --field ------------------------------------------


def jsonl(records):
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.mark.parametrize("name", ["crawl.jsonl", "crawl.NDJSON"])
def test_a_jsonl_file_is_read_as_json_lines_without_the_option(cwd, capsys, name):
    write(cwd / name, jsonl([{"id": 1, "text": ARTICLE}, {"id": 2, "text": ARTICLE}]))
    assert main([name]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["boilercut"]["body"]) for r in records] == [(1, SENTENCE), (2, SENTENCE)]


def test_field_works_on_a_jsonl_file_named_so_and_mixes_with_text(cwd, capsys):
    write(cwd / "a.jsonl", jsonl([{"content": ARTICLE}]))
    write(cwd / "b.txt", ARTICLE)
    assert main(["a.jsonl", "b.txt", "--field", "content", "-o", "out"]) == 0
    assert json.loads((cwd / "out" / "a.jsonl").read_text())["boilercut"]["body"] == SENTENCE
    assert (cwd / "out" / "b.txt").read_text() == SENTENCE + "\n"
    assert main(["b.txt", "--field", "content"]) == 2
    assert "--field only applies to JSON Lines and Parquet input" in capsys.readouterr().err


def test_jsonl_on_a_directory_takes_jsonl_and_ndjson_files(cwd):
    write(cwd / "in" / "a.jsonl", jsonl([{"text": ARTICLE}]))
    write(cwd / "in" / "b.ndjson", jsonl([{"text": ARTICLE}]))
    write(cwd / "in" / "notes.txt", "not JSON at all")
    assert main(["--jsonl", "in", "-o", "out"]) == 0
    assert sorted(p.name for p in (cwd / "out").iterdir()) == ["a.jsonl", "b.ndjson"]


def test_a_wrong_field_is_one_error_naming_the_fields_there(cwd, capsys):
    write(cwd / "crawl.jsonl", jsonl([{"id": i, "content": ARTICLE, "url": "u"}
                                      for i in range(50)]))
    assert main(["crawl.jsonl", "-o", "out.jsonl"]) == 1
    assert capsys.readouterr().err == (
        "boilercut: crawl.jsonl: no field 'text' in the first 3 records (they have 'content', "
        "'id', 'url'); --field NAME names the text's field\n")
    assert not (cwd / "out.jsonl").exists()


def test_a_field_missing_from_some_records_is_still_reported_per_record(cwd, capsys):
    records = [{"id": 1, "text": ARTICLE}] + [{"id": i} for i in range(2, 6)]
    write(cwd / "crawl.jsonl", jsonl(records))
    assert main(["crawl.jsonl"]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1
    assert len(err.splitlines()) == 4 and "crawl.jsonl:5: field 'text' missing" in err


# --- several inputs to stdout -----------------------------------------------------------


@pytest.fixture
def stdin(monkeypatch):
    def feed(data: bytes):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    return feed


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_several_inputs_to_stdout_each_get_a_header(cwd, capsys, stdin, jobs):
    write(cwd / "a.txt", ARTICLE)
    write(cwd / "dir" / "b.txt", "Share this article\n\n" + SENTENCE)
    stdin(ARTICLE.encode())
    assert main(["a.txt", "-", "dir", "--jobs", jobs]) == 0
    assert capsys.readouterr().out == (f"==> a.txt <==\n{SENTENCE}\n\n==> <stdin> <==\n"
                                       f"{SENTENCE}\n\n==> dir/b.txt <==\n{SENTENCE}\n")


def test_one_input_json_and_files_get_no_header(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    write(cwd / "b.txt", ARTICLE)
    assert main(["a.txt"]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"
    assert main(["a.txt", "b.txt", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert [json.loads(line)["source"] for line in out.splitlines()] == ["a.txt", "b.txt"]
    assert main(["a.txt", "b.txt", "-o", "out"]) == 0
    assert (cwd / "out" / "b.txt").read_text() == SENTENCE + "\n"


# --- hints -------------------------------------------------------------------------------


def test_a_file_that_is_not_utf8_suggests_encoding(cwd, capsys):
    write(cwd / "old.txt", "Caf\u00e9 owners met on Monday.\n".encode("cp1252"))
    assert main(["old.txt"]) == 1
    assert capsys.readouterr().err == ("boilercut: old.txt: not UTF-8 text (invalid byte 0xe9 at "
                                       "offset 3); --encoding NAME reads another encoding, "
                                       "e.g. cp1252\n")
    assert main(["old.txt", "--encoding", "cp1252"]) == 0
    assert main(["old.txt", "--encoding", "utf-8"]) == 1  # chosen, not guessed: no hint
    assert capsys.readouterr().err.endswith("(invalid byte 0xe9 at offset 3)\n")


@pytest.mark.parametrize("missing", ["warcio", "trafilatura"])
def test_warc_without_its_libraries_names_the_warc_extra(cwd, capsys, monkeypatch, missing):
    write(cwd / "crawl.warc.gz", b"")
    monkeypatch.setitem(sys.modules, missing, None)  # importing it now fails
    assert main(["crawl.warc.gz"]) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith("boilercut: error: WARC input needs warcio and trafilatura (")
    assert error.endswith("pip install 'boilercut[warc]'")


def test_clean_arrow_without_pyarrow_names_the_arrow_extra(monkeypatch):
    from boilercut.batch import arrow_schema, clean_arrow

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    for call in (lambda: clean_arrow(None), lambda: arrow_schema()):
        with pytest.raises(ImportError, match=r"need pyarrow .*pip install 'boilercut\[arrow\]'"):
            call()


# --- one rule for binary files -------------------------------------------------------------


def test_clean_file_refuses_a_binary_file_as_the_command_line_does(cwd, capsys):
    from boilercut import clean_file
    from boilercut.encoding import BinaryFileError

    write(cwd / "notes.bin", b"Council news\x00\x01\x02" + ARTICLE.encode())
    with pytest.raises(BinaryFileError, match="notes.bin: binary file \\(contains NUL bytes\\)"):
        clean_file(cwd / "notes.bin")
    with pytest.raises(ValueError):  # a ValueError, like the UnicodeDecodeError of bad text
        clean_file(cwd / "notes.bin", errors="replace")
    assert main(["notes.bin"]) == 1
    assert capsys.readouterr().err == "boilercut: notes.bin: binary file (contains NUL bytes)\n"
    # UTF-16 text is full of NUL bytes, and a NUL after the first 8 KiB is text: both clean.
    write(cwd / "u16.txt", ARTICLE.encode("utf-16"))
    assert clean_file(cwd / "u16.txt").body == SENTENCE
    write(cwd / "late.txt", ("x" * 9000 + "\0\n\n" + SENTENCE).encode())
    assert clean_file(cwd / "late.txt").body.endswith(SENTENCE)
