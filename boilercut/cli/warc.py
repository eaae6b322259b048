"""WARC inputs, read in this process: one JSON line per HTML response, written as it goes."""

from __future__ import annotations

import argparse
import contextlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from boilercut import Pipeline, Result
from boilercut.cli.discovery import Job
from boilercut.cli.outcomes import CleanOptions, json_line, page_run, replay, run_pipeline
from boilercut.cli.output import open_sink
from boilercut.cli.report import InputError, os_reason, warn


def clean_warc(job: Job, write: Callable[[bytes], None], pipeline: Pipeline,
               args: argparse.Namespace) -> bool:
    """Clean every HTML response of a WARC input, writing one JSON line each as it
    goes; report broken records, a damaged file and the summary; whether all was well."""
    from boilercut.warc import Skipped, WarcError, page_record, read_warc

    ok = True
    cleaned, skipped = 0, Counter()
    stream = job.open(leave=("gzip",))  # warcio reads gzipped WARC files record by record
    with stream if job.path is not None else contextlib.nullcontext(stream):
        try:
            for item in read_warc(stream, args.max_record_bytes):
                if isinstance(item, Skipped):
                    skipped["broken" if item.broken else item.reason] += 1
                    if item.broken:
                        args.session.fail(job, item.reason, kind="record",
                                          where=f"{job.label}: record {item.record_id or '(no id)'}")
                        ok = False
                    continue
                where = f"{job.label}: {item.url or item.record_id}"
                failures = args.session.failures
                result = _clean_page(where, item.html, item.url, pipeline, args,
                                     charset=item.charset, job=job)
                ok = ok and args.session.failures == failures
                if result is None:  # reported: its text cannot be read
                    skipped["broken"] += 1
                    continue
                write(json_line({"source": job.source, **page_record(item, result)}))
                cleaned += 1
        except WarcError as exc:
            args.session.fail(job, str(exc), kind="input")
            ok = False
        except OSError as exc:
            args.session.fail(job, f"read error after {cleaned + sum(skipped.values())} records "
                                   f"({os_reason(exc)})", kind="input")
            ok = False
    total = cleaned + sum(skipped.values())
    details = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: -kv[1]))
    warn(f"{job.label}: {total} records: {cleaned} cleaned, {sum(skipped.values())} skipped"
          + (f" ({details})" if details else ""), args.quiet)
    return ok


def _clean_page(label: str, html: str | bytes, url: str | None, pipeline: Pipeline,
                args: argparse.Namespace, charset: str | None = None, *,
                job: Job | None = None, line: int | None = None) -> Result | None:
    """clean_html in this process, its faults reported at once (WARC records); None
    for a page whose text cannot be read (reported)."""
    options = CleanOptions.from_args(args)
    result, events = run_pipeline(page_run(html, url, pipeline, options, charset), options)
    replay(events, job, line, label, args)
    return result


def run_warc(job: Job, dest: Path | None, pipeline: Pipeline, args: argparse.Namespace) -> bool:
    """One WARC input, streamed to stdout or ``dest``; whether all went well."""
    if job.path is not None and not job.path.is_file():
        args.session.fail(job, os_reason(FileNotFoundError() if not job.path.exists()
                                          else IsADirectoryError()), kind="input")
        return False
    try:
        with open_sink(dest) as write:
            return clean_warc(job, write, pipeline, args)
    except InputError as exc:
        args.session.fail(job, str(exc), kind="input")
        return False
    except OSError as exc:
        args.session.fail(job, f"cannot write ({os_reason(exc)})", kind="output", where=str(dest))
        return False
