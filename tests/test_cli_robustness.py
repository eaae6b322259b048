"""The command line on dirty files: encodings, binary and broken files, bad JSON
Lines, --errors-to, atomic outputs, --resume, outputs inside the input tree."""

import base64
import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from boilercut import clean_file
from boilercut.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: What a file that is not UTF-8 suggests, after the reason.
ENCODING_HINT = "; --encoding NAME reads another encoding, e.g. cp1252"
SENTENCE = "Café owners welcomed the decision to close the road on summer weekends."
ARTICLE = f"Back To Top\n\n{SENTENCE}\n\nMOST POPULAR\n"

#: Broken and odd files, each with what the command line must do with it:
#: ("ok", expected stdout) or ("error", expected stderr reason). Counted in the README.
BROKEN_FILES = {
    "utf8": (ARTICLE.encode(), "ok", SENTENCE + "\n"),
    "utf8 with BOM": (codecs.BOM_UTF8 + ARTICLE.encode(), "ok", SENTENCE + "\n"),
    "utf16 LE with BOM": (ARTICLE.encode("utf-16"), "ok", SENTENCE + "\n"),
    "utf16 BE with BOM": (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "ok", SENTENCE + "\n"),
    "utf32 with BOM": (ARTICLE.encode("utf-32"), "ok", SENTENCE + "\n"),
    "CRLF line ends": (ARTICLE.replace("\n", "\r\n").encode(), "ok", SENTENCE + "\n"),
    "empty": (b"", "ok", "\n"),
    "whitespace only": (b" \t\r\n\n\r\n  \x0b\x0c\n", "ok", "\n"),
    "a BOM alone": (codecs.BOM_UTF8, "ok", "\n"),
    "a UTF-16 BOM alone": (codecs.BOM_UTF16_LE, "ok", "\n"),
    "invalid UTF-8": (b"Hello\n\xff\xfe\xfd world", "error",
                      "not UTF-8 text (invalid byte 0xff at offset 6)" + ENCODING_HINT),
    "latin-1 bytes": ("Caf\u00e9\n".encode("latin-1"), "error",
                      "not UTF-8 text (invalid byte 0xe9 at offset 3)" + ENCODING_HINT),
    "truncated UTF-8 sequence": (SENTENCE.encode()[:4] + "é".encode()[:1], "error",
                                 "not UTF-8 text (invalid byte 0xc3 at offset 3)" + ENCODING_HINT),
    "odd-length UTF-16": (ARTICLE.encode("utf-16")[:-1], "error",
                          f"not utf-16-le text (invalid byte 0x0a at offset {2 + 2 * len(ARTICLE) - 2})"),
    "binary: NUL bytes": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), "error",
                          "binary file (contains NUL bytes)"),
    "binary: PNG header": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "error", "binary file (contains NUL bytes)"),
    "binary: gzip": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "error", "binary file (contains NUL bytes)"),
    "UTF-16 without BOM": (ARTICLE.encode("utf-16-le"), "error", "binary file (contains NUL bytes)"),
    "NUL after the first 8 KiB": (("x" * 9000 + "\0\n" + SENTENCE).encode(), "ok",
                                  "x" * 9000 + "\0\n" + SENTENCE + "\n"),
}


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_each_broken_file_is_cleaned_or_reported(cwd, capsys, name):
    data, outcome, expected = BROKEN_FILES[name]
    (cwd / "in.txt").write_bytes(data)
    status = main(["in.txt", "-o", "out.txt"])
    out, err = capsys.readouterr()
    if outcome == "ok":
        assert (status, err) == (0, "")
        assert (cwd / "out.txt").read_text(encoding="utf-8") == expected
    else:
        assert status == 1
        assert err == f"boilercut: in.txt: {expected}\n"
        assert not (cwd / "out.txt").exists()  # reported, never half-cleaned


def test_broken_file_list_is_not_trivial():
    assert len(BROKEN_FILES) >= 15
    assert sum(o == "error" for _, o, _ in BROKEN_FILES.values()) >= 5


@pytest.mark.parametrize(("encoding", "data"), [
    ("latin-1", f"{SENTENCE}\n".encode("latin-1")),
    ("cp1252", f"“{SENTENCE}”\n".encode("cp1252")),
    ("utf-16", f"{SENTENCE}\n".encode("utf-16-le")),  # no BOM: little-endian
    ("utf-16", f"{SENTENCE}\n".encode("utf-16")),
    ("utf-8", codecs.BOM_UTF8 + f"{SENTENCE}\n".encode()),
    ("shift_jis", "市議会は月曜日、橋を春まで閉鎖することを決めた。\n".encode("shift_jis")),
])
def test_encoding_option(cwd, capsys, encoding, data):
    (cwd / "in.txt").write_bytes(data)
    assert main(["in.txt", "--encoding", encoding]) == 0
    expected = data.decode("utf-16-le" if encoding == "utf-16" and data[:2] != codecs.BOM_UTF16_LE
                           else "utf-8-sig" if encoding == "utf-8" else encoding)
    assert capsys.readouterr().out == expected.lstrip("\ufeff")


def test_explicit_utf8_refuses_utf16(cwd, capsys):
    (cwd / "in.txt").write_bytes(ARTICLE.encode("utf-16"))
    assert main(["in.txt", "--encoding", "utf-8"]) == 1
    assert "binary file" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13"])
def test_unknown_or_non_text_encoding_is_a_usage_error(cwd, capsys, name):
    (cwd / "in.txt").write_text(ARTICLE)
    assert main(["in.txt", "--encoding", name]) == 2
    assert f"unknown text encoding {name!r}" in capsys.readouterr().err


def test_errors_replace_decodes_with_a_warning_and_says_so_in_the_result(cwd, capsys):
    data = b"Back To Top\n\n" + SENTENCE.encode() + b" \xff\xfe\n"
    (cwd / "in.txt").write_bytes(data)
    assert main(["in.txt", "--errors", "replace", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["body"] == SENTENCE + " \ufffd\ufffd"
    message = f"not valid utf-8: undecodable bytes replaced by U+FFFD (the first, 0xff, at offset {data.index(255)})"
    assert result["errors"] == [{"kind": "decode", "message": message}]
    assert err == f"boilercut: in.txt: {message}\n"


def test_errors_replace_still_refuses_binary(cwd, capsys):
    (cwd / "in.bin").write_bytes(b"\0\0\0\xff")
    assert main(["in.bin", "--errors", "replace"]) == 1
    assert capsys.readouterr().err == "boilercut: in.bin: binary file (contains NUL bytes)\n"


def test_clean_file_encodings_and_errors(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    assert clean_file(path).body == SENTENCE
    path.write_bytes(b"caf\xe9 au lait is served on the terrace every summer morning.")
    with pytest.raises(UnicodeDecodeError):
        clean_file(path)
    assert clean_file(path, encoding="latin-1").body.startswith("café")
    replaced = clean_file(path, errors="replace")
    assert replaced.body.startswith("caf\ufffd") and replaced.errors[0].kind == "decode"
    path.write_bytes(b"")
    assert clean_file(path).body == "" and clean_file(path).errors == []


# --- JSON Lines ------------------------------------------------------------------

GOOD = [{"id": i, "text": ARTICLE} for i in range(3)]
BAD_LINES = {  # line content -> reason on stderr
    b'{"id": 9, "text": "unterminated': "invalid JSON (Unterminated string starting at",
    b"[1, 2, 3]": "not a JSON object (got list)",
    b'"just a string"': "not a JSON object (got str)",
    b'{"id": 10}': "field 'text' missing or not a string",
    b'{"id": 11, "text": null}': "field 'text' missing or not a string",
    b'{"id": 12, "text": 42}': "field 'text' missing or not a string",
    b'{"id": 13, "text": "caf\xe9"}': "not UTF-8 text (invalid byte 0xe9 at offset",
    b"\x01\x02garbage\x1b[0m": "invalid JSON",  # (a NUL byte makes the whole file binary)
    b"[" * 100_000: "invalid JSON",
}


def jsonl_with_bad_lines():
    """Good records interleaved with every bad line; returns bytes and bad line numbers."""
    lines, bad = [], {}
    good = iter(GOOD * 4)
    for raw, reason in BAD_LINES.items():
        lines.append(json.dumps(next(good)).encode())
        lines.append(raw)
        bad[len(lines)] = (raw, reason)
    lines.append(b"")  # blank lines are skipped
    lines.append(json.dumps(next(good)).encode())
    return b"\n".join(lines) + b"\n", bad


def test_jsonl_bad_lines_go_to_errors_to_verbatim_and_good_ones_are_all_written(cwd, capsys):
    data, bad = jsonl_with_bad_lines()
    (cwd / "in.jsonl").write_bytes(data)
    assert main(["--jsonl", "in.jsonl", "-o", "out.jsonl", "--errors-to", "bad.jsonl"]) == 1
    out = [json.loads(line) for line in (cwd / "out.jsonl").read_text().splitlines()]
    assert len(out) == len(BAD_LINES) + 1
    assert [r["id"] for r in out] == [r["id"] for r in (GOOD * 4)[:len(out)]]
    assert all(r["boilercut"]["body"] == SENTENCE for r in out)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == len(bad)
    records = [json.loads(line) for line in (cwd / "bad.jsonl").read_text().splitlines()]
    assert [r["line"] for r in records] == sorted(bad)
    for record, message in zip(records, err):
        raw, reason = bad[record["line"]]
        assert record["source"] == "in.jsonl" and record["kind"] == "record"
        assert reason in record["error"]
        assert message == f"boilercut: in.jsonl:{record['line']}: {record['error']}"
        if "raw" in record:
            assert record["raw"].encode() == raw
        else:
            assert base64.b64decode(record["raw_base64"]) == raw


def test_jsonl_bad_lines_without_errors_to_are_reported_on_stderr(cwd, capsys):
    data, bad = jsonl_with_bad_lines()
    (cwd / "in.jsonl").write_bytes(data)
    assert main(["--jsonl", "in.jsonl"]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(BAD_LINES) + 1
    assert [line.split(":")[2] for line in err.splitlines()] == [str(n) for n in sorted(bad)]


def test_errors_to_is_written_empty_when_all_went_well(cwd, capsys):
    (cwd / "in.txt").write_text(ARTICLE)
    assert main(["in.txt", "--errors-to", "e.jsonl"]) == 0
    assert (cwd / "e.jsonl").read_bytes() == b""


def test_errors_to_collects_file_failures_too(cwd, capsys):
    (cwd / "a.txt").write_bytes(b"\0binary")
    (cwd / "b.txt").write_text(ARTICLE)
    assert main(["a.txt", "b.txt", "missing.txt", "--errors-to", "e.jsonl", "--quiet"]) == 1
    records = [json.loads(line) for line in (cwd / "e.jsonl").read_text().splitlines()]
    assert records == [
        {"source": "a.txt", "line": None, "kind": "input", "error": "binary file (contains NUL bytes)"},
        {"source": "missing.txt", "line": None, "kind": "input", "error": "no such file"}]


def test_errors_to_must_not_be_an_input_or_output(cwd, capsys):
    (cwd / "in.jsonl").write_text(json.dumps(GOOD[0]) + "\n")
    assert main(["--jsonl", "in.jsonl", "--errors-to", "in.jsonl"]) == 2
    assert main(["--jsonl", "in.jsonl", "-o", "o.jsonl", "--errors-to", "o.jsonl"]) == 2
    assert (cwd / "in.jsonl").read_text() == json.dumps(GOOD[0]) + "\n"


def test_jsonl_in_utf16_and_with_replace(cwd, capsys):
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOOD)
    (cwd / "u16.jsonl").write_bytes(text.encode("utf-16"))
    assert main(["--jsonl", "u16.jsonl"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [0, 1, 2]
    (cwd / "bad.jsonl").write_bytes(b'{"id": 1, "text": "caf\xe9 ' + SENTENCE.encode() + b'"}\n')
    assert main(["--jsonl", "bad.jsonl", "--errors", "replace"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["text"].startswith("caf\ufffd")
    assert err.startswith("boilercut: bad.jsonl:1: not UTF-8 text (invalid byte 0xe9 at offset 22)")


# --- outputs: never over an input, inside the tree, atomic, resume ------------------------


def tree(root, n=5):
    for i in range(n):
        path = root / f"sub{i % 2}" / f"{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE.replace("Café", f"Café {i}"))


def test_output_inside_the_input_tree_needs_the_flag(cwd, capsys):
    tree(cwd / "in")
    assert main(["in", "-o", "in/clean"]) == 2
    assert "--allow-output-inside" in capsys.readouterr().err
    assert main(["in", "-o", "in/clean", "--allow-output-inside"]) == 0
    outputs = sorted(str(p.relative_to(cwd / "in/clean")) for p in (cwd / "in/clean").rglob("*.txt"))
    assert outputs == ["sub0/0.txt", "sub0/2.txt", "sub0/4.txt", "sub1/1.txt", "sub1/3.txt"]
    # A second run does not take its own outputs for inputs (no in/clean/clean/...).
    assert main(["in", "-o", "in/clean", "--allow-output-inside"]) == 0
    assert not (cwd / "in/clean/clean").exists()


def test_resume_skips_complete_outputs(cwd, capsys):
    tree(cwd / "in")
    assert main(["in", "-o", "out"]) == 0
    first = {p: p.read_bytes() for p in (cwd / "out").rglob("*.txt")}
    (cwd / "out/sub1/3.txt").unlink()
    (cwd / "out/sub0/0.txt").write_text("kept as it is\n")  # proof it is not rewritten
    assert main(["in", "-o", "out", "--resume"]) == 0
    assert capsys.readouterr().err == "boilercut: --resume: skipped 4 of 5 inputs already done\n"
    assert (cwd / "out/sub1/3.txt").read_bytes() == first[cwd / "out/sub1/3.txt"]
    assert (cwd / "out/sub0/0.txt").read_text() == "kept as it is\n"


def test_resume_needs_an_output(cwd, capsys):
    (cwd / "a.txt").write_text(ARTICLE)
    assert main(["a.txt", "--resume"]) == 2


KILLED_RUN = """
import sys, time
from boilercut import Pipeline, cli

def slow(doc):
    time.sleep(0.04)
    return []

cli.build_pipeline = lambda args: Pipeline.default().insert(slow)
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_killed_run_leaves_only_complete_outputs_and_resume_finishes_it(cwd):
    tree(cwd / "in", n=30)
    argv = [sys.executable, "-c", KILLED_RUN, "in", "-o", "out", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, cwd=cwd, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list((cwd / "out").rglob("*.txt"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 128 + signal.SIGTERM
    done = sorted((cwd / "out").rglob("*.txt"))
    assert 3 <= len(done) < 30
    assert list((cwd / "out").rglob("*.tmp")) == []  # no half-written file
    for path in done:
        assert path.read_text().endswith(" on summer weekends.\n")
    resumed = subprocess.run([*argv, "--resume"], cwd=cwd, env=env, timeout=120)
    assert resumed.returncode == 0
    assert main(["in", "-o", "fresh", "--quiet"]) == 0
    for path in (cwd / "fresh").rglob("*.txt"):
        assert (cwd / "out" / path.relative_to(cwd / "fresh")).read_bytes() == path.read_bytes()
    assert len(list((cwd / "out").rglob("*.txt"))) == 30
