"""The command line with --jobs: worker processes give the same bytes, messages and exit
status as one process; JSON Lines are streamed; the progress bar shows only on a terminal."""

import io
import json
import os
import sys
import time

import pytest

from boilercut import Pipeline, cli
from boilercut.cli import main, show_progress
from tests.conftest import needs_trafilatura

SENTENCE = "The council voted on Monday to close the old bridge for repairs until spring."
ARTICLE = f"Back To Top\n\n{SENTENCE}\n\nMOST POPULAR\n"
BYLINE = "By Jane Smith\n\nCafé owners welcomed the decision to close the road on summer weekends.\n"

#: Bad lines, each with the reason the command line gives for it.
BAD = [
    (b'{"id": "x", "text": "unterminated', "invalid JSON"),
    (b"[1, 2, 3]", "not a JSON object (got list)"),
    (b'{"id": "y"}', "field 'text' missing or not a string"),
    (b'{"id": "z", "text": "caf\xe9"}', "not UTF-8 text (invalid byte 0xe9"),
]


def records(n=300):
    """``n`` JSONL lines: articles of a few kinds, every 37th a bad line, blank lines too."""
    lines, bad = [], {}
    for i in range(n):
        if i % 37 == 5:
            raw, reason = BAD[i % len(BAD)]
            lines.append(raw)
            bad[len(lines)] = reason
        elif i % 53 == 7:
            lines.append(b"   ")
        else:
            text = (ARTICLE, BYLINE, f"Advertisement\n\nStory {i}: {SENTENCE}\n")[i % 3]
            lines.append(json.dumps({"id": i, "text": text}, ensure_ascii=False).encode())
    return b"\n".join(lines) + b"\n", bad


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, argv):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_jobs_2_writes_the_same_bytes_and_messages_as_jobs_1(cwd, capsys):
    data, bad = records(300)
    (cwd / "in.jsonl").write_bytes(data)
    one = run(capsys, ["--jsonl", "in.jsonl", "-o", "one.jsonl", "--errors-to", "e1.jsonl"])
    two = run(capsys, ["--jsonl", "in.jsonl", "-o", "two.jsonl", "--errors-to", "e2.jsonl",
                       "--jobs", "2"])
    assert one == two
    assert (cwd / "one.jsonl").read_bytes() == (cwd / "two.jsonl").read_bytes()
    assert (cwd / "e1.jsonl").read_bytes() == (cwd / "e2.jsonl").read_bytes()
    # In input order, bad lines reported with their line numbers.
    out = [json.loads(line) for line in (cwd / "two.jsonl").read_text().splitlines()]
    assert [r["id"] for r in out] == sorted(r["id"] for r in out)
    assert len(out) == 300 - len(bad) - sum(i % 53 == 7 and i % 37 != 5 for i in range(300))
    status, _, err = two
    assert status == 1
    lines = err.splitlines()
    assert [int(line.split(":")[2]) for line in lines] == sorted(bad)
    for line in lines:
        number = int(line.split(":")[2])
        assert line.startswith(f"boilercut: in.jsonl:{number}: {bad[number]}")


def test_jobs_2_to_stdout_and_from_stdin(cwd, capsys, monkeypatch):
    data, _ = records(120)
    outputs = []
    for jobs in ("1", "2"):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        outputs.append(run(capsys, ["--jsonl", "--jobs", jobs, "--format", "json"]))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].count("\n") > 100


def test_jobs_2_on_many_files_keeps_each_output_and_the_order(cwd, capsys):
    (cwd / "in").mkdir()
    for i in range(12):
        text = (ARTICLE, BYLINE, f"Share on Facebook\n\nStory {i}: {SENTENCE}\n")[i % 3]
        (cwd / "in" / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    (cwd / "in" / "05.txt").write_bytes(b"caf\xe9 not UTF-8")  # a bad file in the middle
    argv = ["in", "--format", "json"]
    one, two = run(capsys, argv), run(capsys, [*argv, "--jobs", "2"])
    assert one == two
    assert one[0] == 1 and "in/05.txt: not UTF-8 text" in one[2]
    assert [json.loads(line)["source"] for line in one[1].splitlines()] == [
        f"in/{i:02d}.txt" for i in range(12) if i != 5]
    assert main(["in", "-o", "o1"]) == main(["in", "-o", "o2", "--jobs", "2"]) == 1
    capsys.readouterr()
    names = sorted(p.name for p in (cwd / "o1").iterdir())
    assert names == sorted(p.name for p in (cwd / "o2").iterdir()) and len(names) == 11
    for name in names:
        assert (cwd / "o1" / name).read_bytes() == (cwd / "o2" / name).read_bytes()
    # --resume with workers: only the missing output is made again.
    (cwd / "o2" / "07.txt").unlink()
    assert main(["in", "-o", "o2", "--jobs", "2", "--resume", "--quiet"]) == 1
    assert (cwd / "o2" / "07.txt").read_bytes() == (cwd / "o1" / "07.txt").read_bytes()


def picky(doc):
    """Fails on documents that mention EXPLODE (module level: workers find it)."""
    if "EXPLODE" in doc.text:
        raise ValueError("boom")
    return []


def sleepy(doc):
    if "SLEEP" in doc.text:
        time.sleep(5)
    return []


@pytest.fixture
def faulty(monkeypatch):
    pipeline = Pipeline.default().insert(picky, name="picky").insert(sleepy, name="sleepy")
    monkeypatch.setattr(cli, "build_pipeline", lambda args: pipeline)


def test_faults_strict_timeout_and_explain_are_the_same_with_workers(cwd, capsys, faulty):
    lines = [{"id": i, "text": ARTICLE} for i in range(80)]
    lines[10]["text"] = "EXPLODE\n\n" + ARTICLE
    lines[20]["text"] = "SLEEP\n\n" + ARTICLE
    (cwd / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    base = ["--jsonl", "in.jsonl", "--timeout-per-doc", "0.3", "--explain"]
    one, two = run(capsys, base), run(capsys, [*base, "--jobs", "2"])
    assert one == two
    status, out, err = two
    assert status == 1 and out.count("\n") == 80
    assert "boilercut: in.jsonl:11: filter 'picky': raised ValueError: boom\n" in err
    assert ("boilercut: in.jsonl:21: filter 'sleepy': document exceeded the time budget "
            "of 0.3 s\n") in err
    assert "==> in.jsonl:1 <==\nline 1\tnavigation" in err
    # --strict: the run stops at line 11 in both; what came before it is on stdout.
    lines[20]["text"] = ARTICLE
    (cwd / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    strict = ["--jsonl", "in.jsonl", "--strict", "--quiet"]
    one, two = run(capsys, strict), run(capsys, [*strict, "--jobs", "2"])
    assert one == two
    assert one[:2] == (1, "".join(
        json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")) + "\n"
        for line in one[1].splitlines()[:10]))
    assert one[2] == ("boilercut: in.jsonl:11: filter 'picky': raised ValueError: boom; "
                      "stopping (--strict)\n")
    # ... and to a file, the same records are kept (as with one process).
    assert main([*strict, "--jobs", "2", "-o", "out.jsonl"]) == 1
    assert (cwd / "out.jsonl").read_text() == one[1] and not list(cwd.glob(".out.jsonl.*"))


def deadly(doc):
    """Kills its worker process on documents that mention DIE, as the kernel's OOM killer would."""
    if "DIE" in doc.text:
        os._exit(9)
    return []


def test_a_worker_that_dies_is_one_error_line_and_the_run_ends_cleanly(cwd, capsys, monkeypatch):
    pipeline = Pipeline.default().insert(deadly, name="deadly")
    monkeypatch.setattr(cli, "build_pipeline", lambda args: pipeline)
    lines = [{"id": i, "text": "DIE\n\n" + ARTICLE if i == 50 else ARTICLE} for i in range(80)]
    (cwd / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    status, out, err = run(capsys, ["--jsonl", "in.jsonl", "--jobs", "2", "-o", "out.jsonl"])
    assert status == 1 and "Traceback" not in err
    assert err.startswith("boilercut: in.jsonl: a worker process died")
    assert not (cwd / "out.jsonl").exists()  # atomic: no half-written output
    names = []
    for i in range(6):
        names.append(f"a{i}.txt")
        (cwd / names[-1]).write_text("DIE\n\n" + ARTICLE if i == 3 else ARTICLE)
    status, out, err = run(capsys, [*names, "--jobs", "2", "-o", "out"])
    assert status == 1 and "Traceback" not in err
    died = [line for line in err.splitlines() if "a worker process died" in line]
    assert len(died) == 1 and "were not cleaned" in died[0]
    # What was cleaned before the crash is written, whole; nothing is half-written.
    assert all(p.read_text() == SENTENCE + "\n" for p in (cwd / "out").glob("*"))


@needs_trafilatura
def test_html_jsonl_with_workers(cwd, capsys):
    page = ("<html><head><title>Bridge closes</title></head><body><nav>Home News</nav>"
            f"<article><h1>Bridge closes</h1><p>{SENTENCE}</p><p>{SENTENCE}</p></article>"
            "</body></html>")
    rows = [{"url": f"https://example.com/{i}", "html": page} for i in range(6)] + [{"url": "x"}]
    (cwd / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    argv = ["--jsonl", "--html", "pages.jsonl"]
    one, two = run(capsys, argv), run(capsys, [*argv, "--jobs", "2"])
    assert one == two
    assert one[0] == 1 and "pages.jsonl:7: field 'html' missing" in one[2]
    assert json.loads(one[1].splitlines()[0])["boilercut"]["body"].startswith(SENTENCE)


def test_jobs_0_is_all_cores_and_negative_is_a_usage_error(cwd, capsys):
    (cwd / "a.txt").write_text(ARTICLE)
    assert run(capsys, ["a.txt", "--jobs", "0"]) == (0, SENTENCE + "\n", "")
    status, out, err = run(capsys, ["a.txt", "--jobs", "-1"])
    assert (status, out) == (2, "")
    assert "--jobs must be 0 (one per core) or a positive number, not -1" in err
    assert run(capsys, ["a.txt", "--jobs", "two"])[0] == 2


# --- streaming ------------------------------------------------------------------


class SlowPipe(io.RawIOBase):
    """A pipe's read end: gives ``data`` a few hundred bytes at a time and, once past
    ``check_at``, notes whether any output had been written by then."""

    def __init__(self, data, check_at, out):
        self.data, self.pos, self.check_at, self.out = data, 0, check_at, out
        self.seen_output_before_end = None

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.pos >= self.check_at and self.seen_output_before_end is None:
            self.seen_output_before_end = len(self.out.getvalue()) > 0
        piece = self.data[self.pos:self.pos + min(len(buffer), 500)]
        buffer[:len(piece)] = piece
        self.pos += len(piece)
        return len(piece)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_from_stdin_is_written_while_it_is_still_being_read(cwd, monkeypatch, jobs):
    lines = [json.dumps({"id": i, "text": ARTICLE}).encode() for i in range(1200)]
    data = b"\n".join(lines) + b"\n"
    out = io.BytesIO()
    pipe = SlowPipe(data, check_at=len(data) - 1000, out=out)
    stdin = io.TextIOWrapper(io.BufferedReader(pipe, buffer_size=500))
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, write_through=True))
    assert main(["--jsonl", "--jobs", jobs, "--quiet"]) == 0
    assert pipe.seen_output_before_end is True  # read-all code would write nothing until the end
    assert out.getvalue().count(b"\n") == 1200


def test_jsonl_file_is_read_line_by_line(cwd, capsys, monkeypatch):
    """The file is never read whole: the biggest read is a buffer's worth, not the file."""
    (cwd / "in.jsonl").write_bytes(b"".join(json.dumps({"id": i, "text": ARTICLE}).encode()
                                            + b"\n" for i in range(400)))
    size = (cwd / "in.jsonl").stat().st_size
    reads = []
    real_open = cli.Path.open

    def spy_open(self, mode="r", *args, **kwargs):
        if self.name != "in.jsonl":
            return real_open(self, mode, *args, **kwargs)
        raw = io.FileIO(str(self), "r")

        class Spy(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, buffer):
                n = raw.readinto(buffer)
                reads.append(n)
                return n

            def close(self):
                raw.close()
                super().close()

        return io.BufferedReader(Spy())

    monkeypatch.setattr(cli.Path, "open", spy_open)
    monkeypatch.setattr(cli.Path, "read_bytes", lambda self: pytest.fail("read whole"))
    assert main(["--jsonl", "in.jsonl", "-o", "out.jsonl"]) == 0
    assert sum(reads) == size and max(reads) < size // 4
    assert (cwd / "out.jsonl").read_text().count("\n") == 400


# --- progress bar -----------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class Closed(io.StringIO):
    def isatty(self):
        raise ValueError("I/O operation on closed file")


def test_progress_only_on_a_terminal_and_not_with_quiet():
    assert show_progress(FakeTerminal(), quiet=False) is True
    assert show_progress(FakeTerminal(), quiet=True) is False
    assert show_progress(io.StringIO(), quiet=False) is False
    assert show_progress(object(), quiet=False) is False
    assert show_progress(Closed(), quiet=False) is False


@pytest.mark.parametrize(("argv", "tty", "shown"), [
    ([], True, True), (["--quiet"], True, False), ([], False, False)])
def test_progress_bar_on_stderr(cwd, monkeypatch, capsys, argv, tty, shown):
    data, bad = records(40)
    (cwd / "in.jsonl").write_bytes(data)
    err = FakeTerminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0)
    assert main(["--jsonl", "in.jsonl", "-o", "out.jsonl", *argv]) == 1
    text = err.getvalue()
    assert ("record" in text and "\r" in text) is shown
    # Errors are still reported, each on a line of its own, above the bar.
    reported = [line for line in text.replace("\r", "\n").splitlines() if "boilercut:" in line]
    assert [line.split(":")[2] for line in reported] == [str(n) for n in sorted(bad)]
    assert all(line.startswith("boilercut: in.jsonl:") for line in reported)


def test_progress_counts_files(cwd, monkeypatch):
    for i in range(3):
        (cwd / f"{i}.txt").write_text(ARTICLE)
    err = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0)
    assert main(["0.txt", "1.txt", "2.txt", "-o", "out"]) == 0
    assert "3/3" in err.getvalue() and "file" in err.getvalue()


def test_import_boilercut_and_the_cli_do_not_load_tqdm():
    code = ("import sys, boilercut, boilercut.cli; "
            "assert 'tqdm' not in sys.modules and 'concurrent.futures' not in sys.modules")
    import subprocess

    subprocess.run([sys.executable, "-c", code], check=True, cwd=cli.Path(__file__).parents[1])
