"""Peak memory of the command line on hostile records (issue 15, items 9 and 11).

Run from the repository root::

    python -m bench.hostile_memory                  # a 2 GB padded record, the default caps
    python -m bench.hostile_memory --padded-mb 256  # a quicker look

Each case writes its input into a temporary directory, runs ``python -m
boilercut ... -o OUT --quiet`` in a subprocess with the default limits
(``--max-record-bytes 64M``, ``--max-page-bytes 8M``, ``--max-lines 100000``), and
reads the child's peak resident memory from ``os.wait4`` in a small launcher process. The cases:

- ``baseline``: a one-paragraph text file (what the interpreter, the line model
  and trafilatura cost before any record);
- ``padded html``: an HTML page padded with ``--padded-mb`` MB of blanks;
- ``padded warc``: the same page as a WARC response record, then a plain page;
- ``gzip bomb warc``: a response whose HTTP body is gzip-encoded and inflates to
  ``--bomb-mb`` MB, then a plain page;
- ``page of real markup``: a page (a paragraph per ``<div>``) just under
  ``--page-mb`` MB; ``--page-mb 8`` is the largest page ``--max-page-bytes`` lets
  through (about 60,000 paragraphs, each a line, under the lines cap), which
  trafilatura takes minutes to extract;
- ``lines``: a text of ``--lines`` one-character lines (the issue's 8 MB
  ``x\\n`` x 4M), over the lines cap;
- ``lines at the cap``: a text of 100,000 short sentence lines, the largest
  document the default cap lets through.

The bound checked is 10x the record cap (640 MB); each case also checks what
was written (the later WARC record kept, the refused record reported). Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 2**20
#: The default --max-record-bytes, and the bound this benchmark checks.
RECORD_CAP = 64 * MB
BOUND = 10 * RECORD_CAP
PAGE = (b"<html><head><title>Road closed</title></head><body>%s<article><p>Cafe owners "
        b"welcomed the decision to close the road on summer weekends.</p></article></body></html>")


def padded_page(path: Path, padding: int) -> None:
    """An HTML page with ``padding`` bytes of blanks after <body>, written in pieces."""
    head, tail = PAGE.split(b"%s")
    with path.open("wb") as fh:
        fh.write(head)
        block = b" " * MB
        for _ in range(padding // MB):
            fh.write(block)
        fh.write(tail)


def warc_record(url: str, body: bytes | Path, extra: Sequence[tuple[str, str]] = ()) -> bytes | None:
    """One uncompressed WARC response record (headers; the body streamed by the caller
    when it is a path)."""
    http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in extra) + "\r\n").encode()
    size = len(http) + (body.stat().st_size if isinstance(body, Path) else len(body))
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>\r\n"
            f"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {url}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {size}\r\n\r\n").encode() + http


def write_warc(path: Path, first: bytes | Path, extra: Sequence[tuple[str, str]] = (),
               compress: bool = False) -> None:
    """A WARC file: a response whose body is ``first`` (bytes, or a file's bytes, streamed),
    then a plain page the output must keep; ``compress``: one gzip member per record,
    as .warc.gz files are written (bytes only)."""
    page = PAGE.replace(b"%s", b"")
    second = warc_record("https://a.example/second", page) + page + b"\r\n\r\n"
    with path.open("wb") as fh:
        if compress:
            assert isinstance(first, bytes)
            record = warc_record("https://a.example/first", first, extra) + first + b"\r\n\r\n"
            fh.write(gzip.compress(record, 9) + gzip.compress(second, 9))
            return
        fh.write(warc_record("https://a.example/first", first, extra))
        if isinstance(first, Path):
            with first.open("rb") as src:
                while block := src.read(MB):
                    fh.write(block)
        else:
            fh.write(first)
        fh.write(b"\r\n\r\n" + second)


#: Runs the command in a child of a small process and prints the child's peak RSS (KiB):
#: Linux carries the high-water mark of a process over fork and exec, so a command
#: started straight from this benchmark (which built the inputs) would count its memory.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run(args: Sequence[str], cwd: Path) -> tuple[int, float, float, str]:
    """Run the command line; its exit status, peak RSS in MB, seconds and stderr."""
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LAUNCHER, "-m", "boilercut", *args,
                           "--no-config"], cwd=cwd, env=env, capture_output=True, text=True)
    peak = int(done.stdout.split()[-1]) / 1024
    return done.returncode, peak, time.monotonic() - started, done.stderr


def cases(opts: argparse.Namespace, work: Path) -> list[tuple[str, str, Callable[[], list[str]], Callable[[int, str], bool]]]:
    """(name, input size, write the input and give the arguments, check the outcome)."""

    def baseline():
        (work / "a.txt").write_text("Cafe owners welcomed the decision to close the road on "
                                    "summer weekends.\n")
        return ["a.txt", "-o", "out.txt"]

    def padded_html():
        padded_page(work / "padded.html", opts.padded_mb * MB)
        return ["padded.html", "-o", "out.txt"]

    def padded_warc():
        padded_page(work / "padded.html", opts.padded_mb * MB)
        write_warc(work / "padded.warc", work / "padded.html")
        (work / "padded.html").unlink()
        return ["padded.warc", "-o", "out.jsonl"]

    def bomb_warc():
        body = gzip.compress(PAGE.replace(b"%s", b" " * (opts.bomb_mb * MB)), 9)
        write_warc(work / "bomb.warc.gz", body, [("Content-Encoding", "gzip")], compress=True)
        return ["bomb.warc.gz", "-o", "out.jsonl"]

    def page_at_cap():
        block = ''.join(f'<div class="c{i % 50}"><p>Paragraph {i} of the long report on the '
                        f'harbour ferry, with <a href="/x{i}">a link</a> and more words.</p>'
                        '</div>\n' for i in range(100))
        head, tail = PAGE.split(b"%s")
        copies = (opts.page_mb * MB - len(head) - len(tail)) // len(block.encode()) - 1
        (work / "page.html").write_bytes(head + block.encode() * copies + tail)
        return ["page.html", "-o", "out.txt"]

    def lines():
        (work / "lines.txt").write_bytes(b"x\n" * opts.lines)
        return ["lines.txt", "-o", "out.txt"]

    def lines_at_cap():
        sentence = b"The council met on Monday and voted to close the road.\n"
        (work / "cap.txt").write_bytes(sentence * 99_999)
        return ["cap.txt", "-o", "out.txt"]

    def kept_second(status, err):
        out = (work / "out.jsonl").read_text()
        return status == 1 and "a.example/second" in out and "a.example/first" not in out

    return [
        ("baseline", "1 line", baseline, lambda s, e: s == 0),
        ("padded html", f"{opts.padded_mb:,} MB", padded_html,
         lambda s, e: s == 1 and "--max-record-bytes" in e),
        ("padded warc", f"{opts.padded_mb:,} MB", padded_warc, kept_second),
        ("gzip bomb warc", f"inflates to {opts.bomb_mb} MB", bomb_warc, kept_second),
        ("page of real markup", f"{opts.page_mb} MB", page_at_cap,
         lambda s, e: s == 0),
        ("lines", f"{opts.lines:,} lines, {2 * opts.lines / MB:.0f} MB", lines,
         lambda s, e: s == 1 and "--max-lines" in e),
        ("lines at the cap", "99,999 lines, 5.3 MB", lines_at_cap, lambda s, e: s == 0),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--padded-mb", type=int, default=2048,
                        help="MB of blanks in the padded page (default: 2048, 2 GB)")
    parser.add_argument("--bomb-mb", type=int, default=256,
                        help="MB the gzip bomb inflates to (default: 256)")
    parser.add_argument("--page-mb", type=int, default=2,
                        help="MB of the page of real markup (default: 2; 8, the --max-page-bytes "
                             "default, takes about 5 minutes)")
    parser.add_argument("--lines", type=int, default=4 * 2**20,
                        help="one-character lines of the lines case (default: 4 Mi, 8 MB)")
    opts = parser.parse_args(argv)
    print(f"bound: {BOUND / MB:.0f} MB peak RSS (10x the {RECORD_CAP // MB} MB record cap)\n")
    print("| case | input | exit | seconds | peak RSS MB | within bound |")
    print("|---|---|---|---|---|---|")
    failed = 0
    for position in range(len(cases(opts, Path()))):
        with tempfile.TemporaryDirectory(prefix="boilercut-hostile-") as tmp:
            work = Path(tmp)
            name, size, prepare, check = cases(opts, work)[position]
            status, peak, seconds, err = run(prepare(), work)
            ok = check(status, err) and peak * MB <= BOUND
            failed += not ok
            print(f"| {name} | {size} | {status} | {seconds:.1f} | {peak:.0f} | "
                  f"{'yes' if ok else 'NO: ' + err.strip()[:200]} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
