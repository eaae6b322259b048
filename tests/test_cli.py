"""The ``boilercut`` command line: inputs, outputs, formats, options and exit codes."""

import io
import json
import os
import subprocess
import sys

import pytest

from boilercut import Pipeline
from boilercut.cli import main

SENTENCE = "The council voted on Monday to close the old bridge for repairs until spring."
ARTICLE = f"Back To Top\n\n{SENTENCE}\n\nMOST POPULAR\n"
OTHER = "Share on Facebook\n\nThe mayor said the bridge would reopen in April after the repairs.\n"
OTHER_BODY = "The mayor said the bridge would reopen in April after the repairs."
BYLINE = "By Jane Smith\n\nCafé owners welcomed the decision to close the road on summer weekends.\n"
BYLINE_BODY = "Café owners welcomed the decision to close the road on summer weekends."


@pytest.fixture
def stdin(monkeypatch):
    """Feed bytes to the command's stdin."""
    def feed(data: bytes):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    return feed


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_lines(err):
    return [line for line in err.splitlines() if line.startswith("boilercut: ")]


# --- inputs and outputs ------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["-"]])
def test_stdin_to_stdout(argv, stdin, capsys):
    stdin(ARTICLE.encode())
    assert main(argv) == 0
    assert capsys.readouterr() == (SENTENCE + "\n", "")


def test_files_to_stdout_in_order(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    write(cwd / "b.txt", BYLINE)
    assert main(["a.txt", "b.txt"]) == 0
    assert capsys.readouterr().out == f"==> a.txt <==\n{SENTENCE}\n\n==> b.txt <==\n{BYLINE_BODY}\n"


def test_bom_is_dropped(cwd, capsys):
    (cwd / "a.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    assert main(["a.txt"]) == 0
    assert capsys.readouterr().out == SENTENCE + "\n"


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty_input_gives_an_empty_line(cwd, capsys, content):
    (cwd / "empty.txt").write_bytes(content)
    assert main(["empty.txt"]) == 0
    assert capsys.readouterr() == ("\n", "")


def test_output_file(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    assert main(["a.txt", "-o", "out/clean.txt"]) == 0
    assert (cwd / "out/clean.txt").read_text(encoding="utf-8") == SENTENCE + "\n"
    assert capsys.readouterr().out == ""
    assert [p.name for p in (cwd / "out").iterdir()] == ["clean.txt"]  # no temp file left


def test_directory_mirrored_under_output_directory(cwd, capsys):
    write(cwd / "in/a.txt", ARTICLE)
    write(cwd / "in/sub/deep/b.txt", OTHER)
    write(cwd / "in/sub/notes.md", BYLINE)
    write(cwd / "loose.txt", BYLINE)
    assert main(["in", "loose.txt", "-o", "out"]) == 0
    files = sorted(str(p.relative_to(cwd / "out")) for p in (cwd / "out").rglob("*") if p.is_file())
    assert files == ["a.txt", "loose.txt", os.path.join("sub", "deep", "b.txt")]
    assert (cwd / "out/sub/deep/b.txt").read_text(encoding="utf-8") == OTHER_BODY + "\n"
    assert (cwd / "out/loose.txt").read_text(encoding="utf-8") == BYLINE_BODY + "\n"
    assert capsys.readouterr().out == ""


def test_glob_selects_directory_files(cwd):
    write(cwd / "in/a.txt", ARTICLE)
    write(cwd / "in/sub/notes.md", BYLINE)
    assert main(["in", "--glob", "*.md", "-o", "out"]) == 0
    assert [p.name for p in (cwd / "out").rglob("*") if p.is_file()] == ["notes.md"]


def test_json_format_in_directory_gets_json_suffix(cwd):
    write(cwd / "in/sub/a.txt", ARTICLE)
    assert main(["in", "--format", "json", "-o", "out"]) == 0
    record = json.loads((cwd / "out/sub/a.json").read_text(encoding="utf-8"))
    assert record["body"] == SENTENCE
    assert record["source"] == os.path.join("in", "sub", "a.txt")


@pytest.mark.parametrize("argv, message", [
    (["a.txt", "-o", "a.txt"], "is the input"),
    (["a.txt", "-o", "./sub/../a.txt"], "is the input"),
    (["in", "-o", "in"], "is the input"),
    (["in", "-o", "in/out"], "inside the input directory"),
    (["a.txt", "in", "-o", "b.txt"], "existing file"),
    (["a.txt", "-o", "."], "would overwrite the input"),
])
def test_unsafe_output_refused(cwd, capsys, argv, message):
    write(cwd / "a.txt", ARTICLE)
    write(cwd / "b.txt", OTHER)
    write(cwd / "in/c.txt", ARTICLE)
    (cwd / "sub").mkdir()
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert (cwd / "a.txt").read_text(encoding="utf-8") == ARTICLE
    assert (cwd / "b.txt").read_text(encoding="utf-8") == OTHER
    assert not (cwd / "in/out").exists()


def test_two_inputs_with_one_output_name_refused(cwd, capsys):
    write(cwd / "x/a.txt", ARTICLE)
    write(cwd / "y/a.txt", OTHER)
    assert main(["x/a.txt", "y/a.txt", "-o", "out"]) == 2
    assert "would both be written to" in capsys.readouterr().err
    assert not (cwd / "out").exists()


# --- formats -----------------------------------------------------------------


def test_json_format(cwd, capsys):
    write(cwd / "b.txt", BYLINE)
    assert main(["b.txt", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # compact: one object, one line
    record = json.loads(out)
    assert set(record) == {"body", "metadata", "removals", "source"}
    assert record["body"] == BYLINE_BODY
    assert record["source"] == "b.txt"
    assert record["metadata"]["authors"] == ["Jane Smith"]
    assert record["removals"] == [{"filter": "byline", "reason": "byline", "text": "By Jane Smith",
                                   "start": 0, "end": 13, "line": 1,
                                   "metadata": {"authors": ["Jane Smith"]}}]


def test_json_format_gives_the_published_date_in_iso_and_its_raw_text(cwd, capsys):
    write(cwd / "d.txt", "By Jane Smith | 3. März 2024\n\n" + BYLINE_BODY + "\n")
    assert main(["d.txt", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["published"] == "2024-03-03"
    assert record["metadata"]["published"] == "3. März 2024"


def test_json_format_stdin_source(stdin, capsys):
    stdin(ARTICLE.encode())
    assert main(["--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "-"


def test_jsonl_bad_line_in_the_middle(cwd, capsys):
    lines = [
        json.dumps({"id": 1, "text": ARTICLE}),
        '{"id": 2, "text": ',
        json.dumps({"id": 3, "text": BYLINE}, ensure_ascii=False),
        "[1, 2]",
        "",
        json.dumps({"id": 5, "body": OTHER}),
        json.dumps({"id": 6, "text": OTHER}),
    ]
    write(cwd / "data.jsonl", "\n".join(lines) + "\n")
    assert main(["--jsonl", "data.jsonl"]) == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [1, 3, 6]
    assert records[0] == {"id": 1, "text": ARTICLE,
                          "boilercut": {"body": SENTENCE, "metadata": records[0]["boilercut"]["metadata"],
                                        "removals": records[0]["boilercut"]["removals"]}}
    assert [r["boilercut"]["body"] for r in records] == [SENTENCE, BYLINE_BODY, OTHER_BODY]
    assert "Café" in out  # ensure_ascii=False
    assert error_lines(err) == [
        "boilercut: data.jsonl:2: invalid JSON (Expecting value at column 19)",
        "boilercut: data.jsonl:4: not a JSON object (got list)",
        "boilercut: data.jsonl:6: field 'text' missing or not a string",
    ]


def test_jsonl_field(stdin, capsys):
    stdin((json.dumps({"content": ARTICLE, "text": 5}) + "\n").encode())
    assert main(["--jsonl", "--field", "content"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["text"] == 5
    assert record["content"] == ARTICLE
    assert record["boilercut"]["body"] == SENTENCE


def test_jsonl_output_directory_keeps_name(cwd):
    write(cwd / "in/d.jsonl", json.dumps({"text": ARTICLE}) + "\n")
    assert main(["in", "--jsonl", "--glob", "*.jsonl", "--format", "json", "-o", "out"]) == 0
    record = json.loads((cwd / "out/d.jsonl").read_text(encoding="utf-8"))
    assert record["boilercut"]["body"] == SENTENCE


def test_field_needs_jsonl(stdin, capsys):
    stdin(ARTICLE.encode())
    assert main(["--field", "content"]) == 2
    assert "--jsonl" in capsys.readouterr().err


# --- options -----------------------------------------------------------------


def test_explain_goes_to_stderr(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    assert main(["a.txt", "--explain"]) == 0
    out, err = capsys.readouterr()
    assert out == SENTENCE + "\n"
    assert err.splitlines() == ["==> a.txt <==",
                                "line 1\tnavigation\tnav-phrase\tBack To Top",
                                "line 5\tnavigation\tnav-phrase\tMOST POPULAR"]


def without_navigation(out):
    """With navigation and the line model off, "MOST POPULAR" stays ("Back To Top" is then
    taken for a title)."""
    record = json.loads(out)
    assert record["body"] == f"{SENTENCE}\n\nMOST POPULAR"
    assert "navigation" not in {r["filter"] for r in record["removals"]}


def test_disable_removes_that_filters_effect(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    assert main(["a.txt", "--format", "json", "--disable", "navigation", "--disable", "model"]) == 0
    without_navigation(capsys.readouterr().out)


def test_disable_unknown_filter(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    assert main(["a.txt", "--disable", "sidebar"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "'sidebar'" in err and "navigation" in err and "byline" in err


def test_profile(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    write(cwd / "profile.toml", 'disable = ["navigation", "model"]\n')
    assert main(["a.txt", "--format", "json", "--profile", "profile.toml"]) == 0
    without_navigation(capsys.readouterr().out)


@pytest.mark.parametrize("profile", ['filters = ["sidebar"]\n', "filters = [\n", "filters = 5\n", None])
def test_bad_profile_is_a_usage_error(cwd, capsys, profile):
    write(cwd / "a.txt", ARTICLE)
    if profile is not None:
        write(cwd / "profile.toml", profile)
    assert main(["a.txt", "--profile", "profile.toml"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "boilercut: error: " in err and "profile.toml" in err and "Traceback" not in err


def test_list_filters(capsys):
    assert main(["--list-filters"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert set(names) >= {"navigation", "share", "promotions", "footer", "byline", "captions"}
    assert any(line.startswith("navigation") and "Navigation debris" in line for line in lines)


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "boilercut 0.1.0"


def test_argparse_error_returns_2(capsys):
    assert main(["--format", "xml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


# --- failures ----------------------------------------------------------------


def test_bad_inputs_reported_and_the_rest_processed(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    (cwd / "bad.txt").write_bytes(b"Council news\xff\n")
    (cwd / "b.bin").write_bytes(b"PK\x03\x04\x00\x00data")
    write(cwd / "c.txt", OTHER)
    assert main(["a.txt", "bad.txt", "b.bin", "missing.txt", "c.txt"]) == 1
    out, err = capsys.readouterr()
    assert out == f"==> a.txt <==\n{SENTENCE}\n\n==> c.txt <==\n{OTHER_BODY}\n"
    assert "Traceback" not in err
    assert error_lines(err) == [
        "boilercut: bad.txt: not UTF-8 text (invalid byte 0xff at offset 12); --encoding NAME "
        "reads another encoding, e.g. cp1252",
        "boilercut: b.bin: binary file (contains NUL bytes)",
        "boilercut: missing.txt: no such file",
        "boilercut: 3 of 5 inputs had errors",
    ]


def test_quiet_keeps_errors_drops_summary(cwd, capsys):
    write(cwd / "a.txt", ARTICLE)
    assert main(["a.txt", "missing.txt", "--quiet"]) == 1
    assert capsys.readouterr().err == "boilercut: missing.txt: no such file\n"


def test_failed_input_does_not_write_output(cwd, capsys):
    (cwd / "bad.txt").write_bytes(b"\xc3(")
    write(cwd / "out.txt", "old")
    assert main(["bad.txt", "-o", "out.txt"]) == 1
    assert (cwd / "out.txt").read_text() == "old"


def test_filter_error_reported_and_document_kept_uncleaned(cwd, capsys, monkeypatch):
    def boom(doc):
        if "EXPLODE" in doc.text:
            raise ValueError("boom")
        return []

    default = Pipeline.default()
    monkeypatch.setattr(Pipeline, "default", lambda: default.insert(boom, name="boom"))
    write(cwd / "a.txt", "EXPLODE\n\n" + SENTENCE)
    write(cwd / "b.txt", ARTICLE)
    assert main(["a.txt", "b.txt", "--quiet"]) == 1
    out, err = capsys.readouterr()
    # Nothing lost: a.txt comes out uncleaned (tests/test_faults.py covers --strict).
    assert out == f"==> a.txt <==\nEXPLODE\n\n{SENTENCE}\n\n==> b.txt <==\n{SENTENCE}\n"
    assert err == "boilercut: a.txt: filter 'boom': raised ValueError: boom\n"


# --- python -m boilercut -----------------------------------------------------


def run_module(*args, stdin=b"", cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "boilercut", *args], input=stdin,
                          capture_output=True, cwd=cwd, env=env, timeout=60)


def test_module_entry_point_writes_utf8_whatever_the_locale():
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = run_module(stdin=BYLINE.encode(), env=env)
    assert done.returncode == 0
    assert done.stdout == (BYLINE_BODY + "\n").encode("utf-8")


def test_module_exit_codes(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    done = run_module("a.txt", "missing.txt", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, f"==> a.txt <==\n{SENTENCE}\n".encode())
    assert b"Traceback" not in done.stderr
    assert run_module("--disable", "sidebar", cwd=tmp_path).returncode == 2


def test_explain_verbose_lists_what_the_line_model_kept(cwd, capsys):
    from tests.test_model import MENU_AND_ARTICLE

    write(cwd / "a.txt", MENU_AND_ARTICLE)
    write(cwd / "strict.toml", "[options.model]\nthreshold = 1.0\n")
    assert main(["a.txt", "--profile", "strict.toml", "--explain"]) == 0
    assert "kept\t" not in capsys.readouterr().err
    assert main(["a.txt", "--profile", "strict.toml", "--explain", "--verbose"]) == 0
    err = capsys.readouterr().err
    assert "kept\tline 1\tnavigation\tnav-menu\tp=" in err
