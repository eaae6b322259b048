"""The command line as a newcomer meets it: which files a run takes, how it reads them,
and the hints it gives when a run cannot go as asked."""

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
