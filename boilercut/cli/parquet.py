"""Parquet inputs (--parquet, or files named *.parquet), read and cleaned row group by
row group with :func:`boilercut.batch.clean_arrow` (in worker processes with --jobs N)
and written to a Parquet file: every input column, then clean_arrow's columns."""

from __future__ import annotations

import argparse
from pathlib import Path

from boilercut import Pipeline
from boilercut.cli.discovery import Job, job_kind
from boilercut.cli.outcomes import CleanOptions
from boilercut.cli.output import atomic_file
from boilercut.cli.report import InputError, Session, UsageError, os_reason
from boilercut.cli.workers import map_tasks, table_task


def check_parquet(jobs: list[Job], outputs: dict[Job, Path], args: argparse.Namespace) -> None:
    """Usage errors for Parquet inputs: they are files, their output is a Parquet file
    (-o), and the options that act per document on stderr do not apply (a row that
    fails has its error column)."""
    parquet = [job for job in jobs if job_kind(job, args) == "parquet"]
    if not parquet:
        return
    if any(job.path is None for job in parquet):
        raise UsageError("Parquet input must be a file, not stdin")
    if any(job not in outputs for job in parquet):
        raise UsageError("Parquet input needs -o: its output is a Parquet file")
    for given, option in ((args.html, "--html"), (args.strict, "--strict"),
                          (args.explain, "--explain"),
                          (args.timeout_per_doc is not None, "--timeout-per-doc")):
        if given:
            raise UsageError(f"{option} does not apply to Parquet input (a row that cannot be "
                             "cleaned gets its reason in the error column)")


def run_parquet(job: Job, dest: Path, pipeline: Pipeline, args: argparse.Namespace) -> bool:
    """One Parquet input to the Parquet file ``dest``; each row that could not be
    cleaned (its ``error`` column) is reported with its row number. Whether all
    went well; an input that cannot be read leaves no output."""
    from concurrent.futures import BrokenExecutor

    session: Session = args.session
    before = session.failures
    try:
        _clean_file(job, dest, pipeline, args)
    except InputError as exc:
        session.fail(job, str(exc), kind="input")
    except BrokenExecutor as exc:  # a worker was killed (out of memory, a signal)
        session.fail(job, f"a worker process died ({exc})", kind="input")
    except OSError as exc:
        session.fail(job, f"cannot write ({os_reason(exc)})", kind="output", where=str(dest))
    return session.failures == before


def _clean_file(job: Job, dest: Path, pipeline: Pipeline, args: argparse.Namespace) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from boilercut.batch import ARROW_COLUMNS, arrow_schema

    assert job.path is not None  # stdin is refused before the run
    try:
        parquet = pq.ParquetFile(job.path)
    except OSError as exc:
        raise InputError(os_reason(exc)) from None
    except pa.ArrowException as exc:
        raise InputError(f"not a Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    if args.field not in names:
        raise InputError(f"no column {args.field!r} (it has {', '.join(map(repr, names))}); "
                         "--field NAME names the text's column")
    if args.sites is not None and args.group_by not in names:
        raise InputError(f"no column {args.group_by!r} to take the site from; --group-by "
                         "NAME names it")
    clash = [name for name in ARROW_COLUMNS if name in names]
    if clash:
        raise InputError(f"its column(s) {', '.join(map(repr, clash))} have the names of "
                         "columns boilercut adds; rename them first")
    groups = (parquet.read_row_group(i) for i in range(parquet.num_row_groups))
    results = map_tasks(table_task, groups, pipeline, CleanOptions.from_args(args), args.jobs,
                        args.sites)
    schema, row = arrow_schema(parquet.schema_arrow), 0
    try:
        with atomic_file(dest) as fh, pq.ParquetWriter(fh, schema) as out:
            for table in results:
                out.write_table(table)
                for error in table.column("error").to_pylist():
                    row += 1
                    if error is not None:
                        args.session.fail(job, error, kind="record", line=row,
                                          where=f"{job.label}: row {row}")
    except pa.ArrowException as exc:  # a damaged row group: the output is not kept
        raise InputError(f"damaged Parquet data after {row} rows ({exc})") from None
    finally:
        close = getattr(results, "close", None)
        if close is not None:  # stop the pool now, also on an error
            close()
