"""Memory and throughput of the command line on a large JSON Lines file.

Run from the repository root::

    python -m bench.cli_memory --mb 1000 --jobs 1 2     # 1 GB, one and two workers
    python -m bench.cli_memory --mb 50                  # a quick look

It writes a seeded JSON Lines corpus of about ``--mb`` MB of text (the
generator of :mod:`bench.speed`: the dev set's three variants in a seeded
order, repeated, with the words inside long lines shuffled from the second copy
on), once, into ``--workdir`` (reused by later runs), then for each ``--jobs``
value runs ``python -m boilercut --jsonl FILE -o OUT --quiet --jobs N`` in a
subprocess while sampling the resident memory of its process tree from
``/proc``. It reports documents/s, MB/s (of input file), the speed-up over the
first ``--jobs`` value, the CPU time of the run (the command and its workers)
and documents per CPU second, the peak RSS of the largest process and of the
sum over the tree, and the mean load average during the run: on a shared
machine other work takes cores away, which the wall-clock speed-up shows and
the CPU figures do not. The output file is checked (one line per input record) and
removed.

``--learn`` runs ``python -m boilercut learn FILE -o PROFILES --quiet`` instead (site
profiles, one process), on the same corpus with a ``url`` per record on its dev
page's site (181 sites); the profiles are checked (every record counted) and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench.data import load_docs
from bench.speed import MB, SEED, _tree_stats, corpus_file, environment, markdown

ROOT = Path(__file__).resolve().parents[1]


class ChildMonitor:
    """Samples a child process and its descendants from /proc: peak RSS of the largest
    process and of the sum over the tree."""

    def __init__(self, pid: int, interval: float = 1.0):
        self.pid, self.interval = pid, interval
        self.peak_max = self.peak_sum = 0.0
        self.processes = 0
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            stats = _tree_stats(self.pid)
            if stats:
                rss = [mb for mb, _ in stats.values()]
                self.peak_max = max(self.peak_max, max(rss))
                self.peak_sum = max(self.peak_sum, sum(rss))
                self.processes = max(self.processes, len(rss))
            self.loads.append(os.getloadavg()[0])
            self._stop.wait(self.interval)


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(2**20), b""))


def run_cli(corpus: Path, jobs: int, outdir: Path, timeout: float, learn: bool = False) -> dict:
    """One run of the command line on ``corpus`` (``learn``: ``boilercut learn``); its figures."""
    out = outdir / ("profiles.json" if learn else f"out-jobs{jobs}.jsonl")
    cmd = ([sys.executable, "-m", "boilercut", "learn", str(corpus), "-o", str(out), "--quiet"]
           if learn else [sys.executable, "-m", "boilercut", "--jsonl", str(corpus), "-o",
                          str(out), "--quiet", "--jobs", str(jobs)])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE)
    with ChildMonitor(proc.pid) as monitor:
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and its reaped workers
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"boilercut --jobs {jobs} exited {proc.returncode}:\n{err[-3000:]!r}")
    if learn:
        from boilercut.sites import SiteProfiles

        profiles = SiteProfiles.load(out)
        docs = sum(profiles.sites[site].documents for site in profiles)
    else:
        docs = count_lines(out)
    out.unlink()
    return {"jobs": "learn" if learn else jobs, "docs": docs, "mb": corpus.stat().st_size / MB, "seconds": seconds,
            "status": proc.returncode, "cpu_seconds": cpu, "peak_max_mb": monitor.peak_max,
            "peak_tree_mb": monitor.peak_sum, "processes": monitor.processes,
            "load": statistics.mean(monitor.loads) if monitor.loads else os.getloadavg()[0]}


def table(rows: Sequence[dict]) -> str:
    lines = [("--jobs", "docs", "input MB", "seconds", "docs/s", "MB/s", "speed-up", "CPU s",
              "docs per CPU s", "peak RSS MB: largest process", "peak RSS MB: tree",
              "processes", "mean load")]
    base = None
    for row in rows:
        rate = row["docs"] / row["seconds"]
        base = base or rate
        lines.append((str(row["jobs"]), f"{row['docs']:,}", f"{row['mb']:,.0f}",
                      f"{row['seconds']:,.0f}", f"{rate:,.0f}", f"{row['mb'] / row['seconds']:.2f}",
                      f"{rate / base:.2f}x", f"{row['cpu_seconds']:,.0f}",
                      f"{row['docs'] / row['cpu_seconds']:,.0f}", f"{row['peak_max_mb']:.0f}",
                      f"{row['peak_tree_mb']:.0f}", str(row["processes"]), f"{row['load']:.1f}"))
    return markdown(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_memory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50,
                        help="size of the corpus's text in MB (default: %(default)s)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="--jobs values to run, in order (default: 1 2)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "boilercut-bench",
                        help="where the corpus is written once and reused (default: %(default)s)")
    parser.add_argument("--learn", action="store_true",
                        help="time `boilercut learn` (site profiles) instead of cleaning")
    parser.add_argument("--timeout", type=float, default=4 * 3600,
                        help="seconds per run (default: %(default)s)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    env = environment()
    start = time.perf_counter()
    corpus = corpus_file(load_docs(), args.mb, args.workdir, args.seed, sites=args.learn)
    records = count_lines(corpus)
    print(f"corpus: {corpus} ({corpus.stat().st_size / MB:,.0f} MB, {records:,} records; "
          f"ready in {time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cli-memory-", dir=args.workdir) as outdir:
        for jobs in [1] if args.learn else args.jobs:
            row = run_cli(corpus, jobs, Path(outdir), args.timeout, args.learn)
            if row["docs"] != records:
                raise RuntimeError(f"--jobs {jobs}: {row['docs']} output lines for {records} records")
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print(env)
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
