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
