"""The ``boilercut`` command: clean text files, HTML pages, WARC files, stdin or JSON Lines.

``main(argv)`` returns the exit status (0 ok, 1 some input failed, 2 usage
error); the console script and ``python -m boilercut`` pass it to ``sys.exit``.
Bad input never raises: each failure is one ``boilercut: <source>: <reason>``
line on stderr and the other inputs are still processed.

The package's modules, one concern each: :mod:`.parsing` (options, --help,
the profile), :mod:`.discovery` (inputs, their kinds, and where their outputs
go), :mod:`.learn` (``boilercut learn`` and site profiles), :mod:`.outcomes` (one document cleaned, as events and output bytes),
:mod:`.workers` (--jobs), :mod:`.files`, :mod:`.jsonl`, :mod:`.warc` and
:mod:`.parquet` (each kind of input, streamed), :mod:`.compression` (gzip,
bz2, xz and zstd in and out), :mod:`.output` (atomic writes, stdout headers),
:mod:`.report` (failures) and :mod:`.progress` (the progress bar). This module
runs them in order.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from boilercut import Pipeline
from boilercut.cli.compression import compressing, require_codecs
from boilercut.cli.discovery import (
    Job,
    check_errors_to,
    discover,
    job_kind,
    plan_outputs,
    require_extras,
)
from boilercut.cli.files import run_files
from boilercut.cli.jsonl import run_jsonl
from boilercut.cli.learn import learn_main, site_jobs
from boilercut.cli.outcomes import json_line
from boilercut.cli.output import Headers, StdoutError, is_special, resumable, stale_temps
from boilercut.cli.parquet import check_parquet
from boilercut.cli.parsing import (
    build_parser,
    build_pipeline,
    check_options,
    find_profile,
    list_filters,
)
from boilercut.cli.progress import progress_bar, show_progress, write_stderr
from boilercut.cli.report import PROG, Session, StopRun, UsageError, os_reason, report, warn
from boilercut.cli.workers import stop_workers

__all__ = ["build_parser", "build_pipeline", "main", "run", "show_progress"]

# main() and run() look up build_pipeline and PROGRESS_DELAY here, on the package,
# so a script (or a test) can replace them as `boilercut.cli.build_pipeline = ...`.

#: Seconds before the progress bar first shows: short runs get none.
PROGRESS_DELAY = 1.0


def run(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
        args: argparse.Namespace) -> int:
    """Clean every job, writing each output as it is done; the exit status."""
    session: Session = args.session
    failed = skipped = 0
    todo = []
    for job in jobs:
        dest = outputs.get(job)
        if args.resume and dest is not None and dest.is_file():
            skipped += 1  # written atomically: it exists, so it is complete
        else:
            todo.append(job)
    args.resume_from = _take_stale_temps(todo, outputs, args)
    errors_to = ErrorsTo(args.errors_to, append=args.resume)
    try:
        with errors_to:
            session.keep = errors_to.write if args.errors_to else None
            records = bool(todo) and all(job_kind(job, args) == "jsonl" for job in todo)
            with progress_bar(args, unit="record" if records else "file",
                              total=None if records else len(todo),
                              delay=PROGRESS_DELAY) as args.progress:
                if records:
                    for job in todo:
                        failed += not run_jsonl(job, outputs.get(job), pipeline, args,
                                                args.progress)
                else:
                    for ok in run_files(todo, outputs, pipeline, args):
                        failed += not ok
    except StopRun:
        failed += 1
    failed += errors_to.broken
    if skipped:
        warn(f"--resume: skipped {skipped} of {len(jobs)} inputs already done", args.quiet)
    if failed and len(jobs) > 1:
        warn(f"{failed} of {len(jobs)} inputs had errors", args.quiet)
    return 1 if failed or session.failures else 0


class ErrorsTo:
    """--errors-to FILE, written as the failures happen: one JSON line each, flushed at
    once, so memory stays flat however many fail, and a killed run keeps the failures
    reported so far. Written in place (not atomically, as a log), added to with
    --resume (``append``); compressed by its suffix. A file that cannot be written
    is reported once and the run goes on."""

    def __init__(self, path: str | None, append: bool = False):
        self.path, self.broken, self._stack, self._out = path, False, None, None
        self._mode = "ab" if append else "wb"

    def __enter__(self) -> ErrorsTo:
        if self.path is None:
            return self
        self._stack = contextlib.ExitStack()
        try:
            dest = Path(self.path)
            if not is_special(dest):
                dest.parent.mkdir(parents=True, exist_ok=True)
            fh = self._stack.enter_context(open(dest, self._mode))
            self._out = self._stack.enter_context(compressing(fh, dest.name))
        except OSError as exc:
            self._fail(exc)
        return self

    def write(self, record: dict) -> None:
        """Write one failure record (nothing once the file has failed)."""
        if self._out is None:
            return
        try:
            self._out.write(json_line(record))
            self._out.flush()
        except OSError as exc:
            self._fail(exc)

    def __exit__(self, *exc_info) -> None:
        if self._stack is not None:
            try:
                self._stack.close()
            except OSError as exc:
                if not self.broken:
                    self._fail(exc)

    def _fail(self, exc: OSError) -> None:
        report(self.path, f"cannot write ({os_reason(exc)}); later failures are on stderr only")
        self.broken, self._out = True, None


def _take_stale_temps(todo: list[Job], outputs: dict[Job, Path],
                      args: argparse.Namespace) -> dict[Path, Path]:
    """Remove the temporary files killed runs left beside this run's outputs, but for
    --resume keep the newest of each JSON Lines output still to write, to continue
    it; those kept, by output. Says how many were removed."""
    continued = {outputs[job] for job in todo if args.resume and job in outputs
                 and job_kind(job, args) == "jsonl" and resumable(outputs[job])}
    keep, removed = {}, 0
    for dest, temps in stale_temps(outputs.values()).items():
        if dest in continued:
            keep[dest] = temps.pop(0)
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
                removed += 1
    if removed:
        warn(f"removed {removed} temporary file{'s' if removed > 1 else ''} left by a "
             "killed run", args.quiet)
    return keep


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["learn"]:
        return learn_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has printed them
        return exc.code if isinstance(exc.code, int) else 2
    try:
        args.profile = find_profile(args)
        if args.list_filters:
            return list_filters(args.profile)
        if args.warc and (args.jsonl or args.html):
            raise UsageError("--warc does not combine with --jsonl or --html")
        if args.parquet and (args.jsonl or args.warc):
            raise UsageError("--parquet does not combine with --jsonl or --warc")
        given_field = args.field is not None
        args.field = ("html" if args.html else "text") if args.field is None else args.field
        check_options(args)
        pipeline = build_pipeline(args)
        mode = ("jsonl" if args.jsonl else "parquet" if args.parquet else "warc" if args.warc
                else "html" if args.html else "text")
        jobs, unmatched = discover(args.paths, args.glob, mode)
        if args.output is not None and args.allow_output_inside:
            out = Path(args.output).resolve()
            jobs = [job for job in jobs if job.path is None or job.source in args.paths
                    or not job.path.resolve().is_relative_to(out)]
        kinds = {job_kind(job, args) for job in jobs}
        if given_field and not kinds & {"jsonl", "parquet"}:
            raise UsageError("--field only applies to JSON Lines and Parquet input (--jsonl, "
                             "--parquet, or files named *.jsonl, *.ndjson or *.parquet)")
        require_extras(kinds | ({"html-jsonl"} if "jsonl" in kinds and args.html else set()))
        site_jobs(args, jobs)
        outputs = plan_outputs(jobs, args)
        check_errors_to(args, jobs, outputs)
        check_parquet(jobs, outputs, args)
        require_codecs([*outputs.values(), *([Path(args.errors_to)] if args.errors_to else [])])
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    args.session = Session(quiet=args.quiet)
    args.headers = Headers(on=len(jobs) > 1 and not outputs and args.format == "text")
    if args.explain and args.profile is not None:
        write_stderr(f"{PROG}: profile: {args.profile}\n")
    for directory, reason in unmatched:
        args.session.fail(directory, reason, kind="input")
    try:
        with _stop_on_signals():
            return run(jobs, outputs, pipeline, args)
    except (KeyboardInterrupt, Stopped) as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        write_stderr(f"{PROG}: {'interrupted' if signum == signal.SIGINT else 'terminated'} "
                     f"({signal.Signals(signum).name}); outputs written so far are complete\n")
        return 128 + signum
    except BrokenPipeError:  # e.g. `boilercut big/ | head`: stop quietly
        _drop_stdout()
        return 1
    except StdoutError as exc:  # e.g. a full disk: say so once, and stop
        _drop_stdout()
        report("<stdout>", f"cannot write ({exc})")
        return 1


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what is left in its buffer must not fail again at exit."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Stopped(BaseException):
    """SIGTERM (or SIGHUP) arrived; not a SystemExit, which a filter might raise."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP end the run cleanly: the worker processes
    are stopped at once, the output being written is discarded (its temporary file
    removed), the ones already written stay, and main() says so in one line. Main
    thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        stop_workers()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Stopped(signum)

    handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, stop) for signum in handled}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
