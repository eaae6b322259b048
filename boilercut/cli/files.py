"""Text files and pages, one task each (in worker processes with --jobs N), with
WARC, JSON Lines and Parquet files among them; each output written in input order."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from boilercut import Pipeline
from boilercut.cli.discovery import Job, job_kind
from boilercut.cli.jsonl import run_jsonl
from boilercut.cli.outcomes import CleanOptions, replay
from boilercut.cli.output import write_atomic, write_stdout
from boilercut.cli.parquet import run_parquet
from boilercut.cli.progress import NoBar
from boilercut.cli.report import Session, os_reason
from boilercut.cli.warc import run_warc
from boilercut.cli.workers import file_task, map_tasks


def run_files(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
               args: argparse.Namespace) -> Iterator[bool]:
    """Clean text files and pages (in worker processes with --jobs N), and WARC, JSON
    Lines and Parquet files (streamed, one after the other), writing each output in
    input order; whether each went well. The progress bar counts files."""
    batch: list[Job] = []
    for job in [*jobs, None]:
        kind = None if job is None else job_kind(job, args)
        if kind in ("text", "html"):
            batch.append(job)
            continue
        if batch:
            yield from _run_documents(batch, outputs, pipeline, args)
            batch = []
        if job is not None:
            before = args.session.failures
            if kind == "warc":
                ok = run_warc(job, outputs.get(job), pipeline, args)
            elif kind == "parquet":
                ok = run_parquet(job, outputs[job], pipeline, args)
            else:
                ok = run_jsonl(job, outputs.get(job), pipeline, args, NoBar())
            args.progress.update(1)
            yield ok and args.session.failures == before


def _run_documents(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
                   args: argparse.Namespace) -> Iterator[bool]:
    """Text files and pages, one task each; outputs written here, in input order."""
    session: Session = args.session
    # stdin cannot be read in a worker: it is read here, when its turn comes.
    tasks = ((job, job_kind(job, args),
              _read_stdin(args.max_record_bytes) if job.path is None else None)
             for job in jobs)
    from concurrent.futures import BrokenExecutor

    results = map_tasks(file_task, tasks, pipeline, CleanOptions.from_args(args), args.jobs,
                        args.sites)
    try:
        for position, job in enumerate(jobs):
            try:
                events, payload = next(results)
            except BrokenExecutor as exc:  # a worker was killed (out of memory, a signal)
                rest = len(jobs) - position - 1
                session.fail(job, f"a worker process died ({exc}); this input and the {rest} "
                             "after it were not cleaned", kind="input")
                for _ in range(rest + 1):
                    yield False
                return
            before = session.failures
            replay(events, job, None, job.label, args)
            if payload is not None:
                _write_output(job, outputs.get(job), payload, args)
            args.progress.update(1)
            yield session.failures == before
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _read_stdin(limit: int) -> bytes:
    """stdin's bytes, as they come (decompressed with the rest of the work), at most
    one byte past ``limit``: more fails the input."""
    return sys.stdin.buffer.read(limit + 1)


def _write_output(job: Job, dest: Path | None, payload: bytes, args: argparse.Namespace) -> None:
    if dest is None:
        write_stdout(args.headers(job.label) + payload)
        return
    try:
        write_atomic(dest, payload)
    except OSError as exc:
        args.session.fail(job, f"cannot write ({os_reason(exc)})", kind="output", where=str(dest))
