"""JSON Lines inputs, read, cleaned and written record by record (memory stays flat)."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from boilercut import Pipeline
from boilercut.cli.compression import too_large
from boilercut.cli.discovery import Job
from boilercut.cli.outcomes import (
    OUTPUT_FIELD,
    CleanOptions,
    Oversized,
    parse_record,
    decode_text,
    replay,
)
from boilercut.cli.output import atomic_file, open_sink, resumable
from boilercut.cli.report import InputError, Session, os_reason, warn
from boilercut.cli.workers import CHUNK_BYTES, CHUNK_RECORDS, map_tasks, records_task
from boilercut.encoding import BINARY_SNIFF, is_binary, sniff

#: Records read before a run decides that --field names no field of the input.
FIELD_PROBE = 3
#: Seconds between two syncs to disk of a JSON Lines output being written.
FSYNC_SECONDS = 5.0
#: Bytes read at a time past the end of a line too long to keep.
_SKIP_CHUNK = 2**20


def _raw_lines(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The stream's lines, each with its "\\n" (the last one may lack it); a line
    longer than ``limit`` bytes is read past in pieces and given as an
    :class:`Oversized` (memory stays within ``limit``); a read error is an InputError."""
    try:
        while line := stream.readline(limit + 1):
            if len(line) <= limit or line.endswith(b"\n"):
                yield line
                continue
            head, size = line[:BINARY_SNIFF], len(line)
            del line
            while more := stream.readline(_SKIP_CHUNK):
                size += len(more)
                if more.endswith(b"\n"):
                    break
            yield Oversized(head, size)
    except OSError as exc:
        raise InputError(f"read error ({os_reason(exc)})") from None


def jsonl_lines(job: Job, stream: IO[bytes],
                args: argparse.Namespace) -> Iterator[tuple[int, int, bytes | str]]:
    """``(line number, offset, line)`` of a JSON Lines input, read as it goes.

    UTF-8 input is read line by line and each line given as bytes (a bad line is
    one bad record, NUL bytes and all); the first 8 KiB are read before the first
    line is given, to tell a binary file: NUL bytes there and no JSON object
    among its lines (a gzip file named .jsonl), not one NUL in one record. Input in another encoding (UTF-16, UTF-32, --encoding
    latin-1, ...) is read and decoded whole first (by --errors), then split. A
    line over --max-record-bytes is read past and given as an :class:`Oversized`
    (a failed record); input decoded whole is held to that limit as a whole.
    """
    lines = _raw_lines(stream, args.max_record_bytes)
    head, size = [], 0
    for raw in lines:
        head.append(raw)
        size += len(raw)
        if size >= BINARY_SNIFF:
            break
    start = b"".join(head) if len(head) > 1 else head[0] if head else b""
    codec, _ = sniff(start[:8], args.encoding)
    if codec != "utf-8":  # decoded whole: the whole input is held to --max-record-bytes
        limit = args.max_record_bytes
        try:
            data = start + stream.read(max(0, limit + 1 - len(start)))
            if len(data) > limit or any(isinstance(raw, Oversized) for raw in head):
                raise InputError(too_large(limit))
        except OSError as exc:
            raise InputError(f"read error ({os_reason(exc)})") from None
        del start, head
        text, fault = decode_text(data, CleanOptions.from_args(args))
        if fault is not None:
            args.session.warn(job, fault.message)  # once, for the whole input
        del data
        for number, line in enumerate(text.split("\n"), start=1):
            yield number, 0, line
        return
    if is_binary(start, codec) and not any(map(_is_object, head)):
        raise InputError("binary file (contains NUL bytes)")
    del start
    offset = 0
    for number, raw in enumerate(itertools.chain(head, lines), start=1):
        if isinstance(raw, Oversized):
            yield number, offset, raw
            offset += raw.size
            continue
        if number == 1:
            if raw.startswith(codecs.BOM_UTF8):
                raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
        yield number, offset, raw[:-1] if raw.endswith(b"\n") else raw
        offset += len(raw)


def _is_object(raw: bytes) -> bool:
    """Whether a line is a JSON object (what a JSON Lines file is made of)."""
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


def _record_chunks(lines: Iterable[tuple[int, int, bytes | str]], size: int,
                   max_bytes: int) -> Iterator[list[tuple[int, int, bytes | str]]]:
    """The non-blank lines in chunks of ``size`` lines or ``max_bytes``, whichever comes first."""
    chunk: list[tuple[int, int, bytes | str]] = []
    nbytes = 0
    for item in lines:
        raw = item[2]
        if not raw or raw.isspace():  # blank lines are skipped
            continue
        chunk.append(item)
        nbytes += len(raw)
        if len(chunk) >= size or nbytes >= max_bytes:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def _probe_field(lines: Iterator[tuple[int, int, bytes | str]],
                 field: str) -> Iterator[tuple[int, int, bytes | str]]:
    """``lines`` as they were, after raising InputError when each of the first
    FIELD_PROBE records is a JSON object without ``field``: a wrong --field is said
    once, with the fields that are there, not once per record."""
    head, keys, records = [], set(), 0
    for item in lines:
        head.append(item)
        raw = item[2]
        if isinstance(raw, Oversized):
            break
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (ValueError, RecursionError):
            break
        if not isinstance(record, dict) or field in record:
            break
        keys.update(record)
        records += 1
        if records == FIELD_PROBE:
            names = sorted(map(repr, keys))
            shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            raise InputError(f"no field {field!r} in the first {FIELD_PROBE} records (they "
                             f"have {shown or 'no fields'}); --field NAME names the text's field")
    return itertools.chain(head, lines)


def clean_jsonl(job: Job, lines: Iterator[tuple[int, int, bytes | str]],
                write: Callable[[bytes], None], pipeline: Pipeline,
                args: argparse.Namespace, bar: Any) -> None:
    """Clean JSON Lines records as they are read, writing each good one (annotated)
    with ``write`` in input order; bad lines are reported with their line number.
    ``bar`` counts the records.

    With --jobs N, chunks of lines go to N worker processes, a few chunks at a time.
    """
    jobs = args.jobs
    size, max_bytes = (1, CHUNK_BYTES) if jobs == 1 else (CHUNK_RECORDS, CHUNK_BYTES)
    chunks = _record_chunks(_probe_field(lines, args.field), size, max_bytes)
    results = map_tasks(records_task, chunks, pipeline, CleanOptions.from_args(args), jobs,
                        args.sites)
    try:
        for chunk in results:
            for number, events, payload in chunk:
                if events:
                    replay(events, job, number, f"{job.label}:{number}", args)
                if payload is not None:
                    write(payload)
            bar.update(len(chunk))
    finally:
        close = getattr(results, "close", None)
        if close is not None:  # stop the pool now, also on --strict or an error
            close()


def _durable(out: IO[bytes]) -> Callable[[bytes], None]:
    """A ``write`` that hands each record to the kernel at once (a SIGKILL loses none
    written) and syncs the file to disk every FSYNC_SECONDS (a crash of the machine
    loses at most those)."""
    synced = time.monotonic()

    def write(payload: bytes) -> None:
        nonlocal synced
        out.write(payload)
        out.flush()
        if time.monotonic() - synced > FSYNC_SECONDS:
            os.fsync(out.fileno())
            synced = time.monotonic()

    return write


def _skip_done(job: Job, lines: Iterator[tuple[int, int, bytes | str]], out: IO[bytes],
               args: argparse.Namespace) -> Iterator[tuple[int, int, bytes | str]]:
    """--resume: match the complete records of a killed run's output ``out`` with the
    input's records, in order (each is an input record with the "boilercut" field
    added; bad lines wrote nothing); cut ``out`` after the last one (a torn last line
    is dropped) and give the input lines after its input line. Raises InputError
    when a record matches no input record (the input changed)."""
    options = CleanOptions.from_args(args)
    done = kept = 0
    last = 0
    out.seek(0)
    for written in out:
        if not written.endswith(b"\n"):
            break  # torn by the kill
        try:
            record = json.loads(written)
            record.pop(OUTPUT_FIELD)
        except (ValueError, AttributeError, KeyError):
            record = None
        for number, offset, raw in lines:
            try:
                if record is not None and parse_record(raw, offset, options, [])[0] == record:
                    last = number
                    break
            except InputError:  # a bad line: it wrote nothing
                continue
        else:
            raise InputError(f"--resume: record {done + 1} of the killed run's output matches "
                             f"no input record after line {last} (has the input changed?); "
                             "that output was discarded: run again")
        done += 1
        kept += len(written)
    out.seek(kept)
    out.truncate()
    warn(f"{job.label}: --resume: {done} records were done, going on after line {last}",
         args.quiet)
    return lines


def run_jsonl(job: Job, dest: Path | None, pipeline: Pipeline, args: argparse.Namespace,
              bar: Any) -> bool:
    """One JSON Lines input, streamed record by record to stdout or ``dest`` (``bar``
    counts the records); whether all went well. A file that cannot be read leaves no
    output; --strict keeps the records before the one that stopped the run. An
    uncompressed file output is written record by record, each handed to the kernel
    at once, so that a killed run's temporary file can be continued by --resume."""
    from concurrent.futures import BrokenExecutor

    session: Session = args.session
    before = session.failures
    try:
        stream = job.open()
    except InputError as exc:
        session.fail(job, str(exc), kind="input")
        return False
    try:
        with stream if job.path is not None else contextlib.nullcontext(stream):
            if resumable(dest):
                reuse = args.resume_from.get(dest)
                with atomic_file(dest, reuse) as out:
                    lines = jsonl_lines(job, stream, args)
                    if reuse is not None:
                        lines = _skip_done(job, lines, out, args)
                    clean_jsonl(job, lines, _durable(out), pipeline, args, bar)
            else:
                with open_sink(dest) as write:
                    clean_jsonl(job, jsonl_lines(job, stream, args), write, pipeline, args, bar)
    except InputError as exc:
        session.fail(job, str(exc), kind="input")
    except BrokenExecutor as exc:  # a worker was killed (out of memory, a signal)
        session.fail(job, f"a worker process died ({exc})", kind="input")
    except BrokenPipeError:
        raise
    except OSError as exc:
        session.fail(job, f"cannot write ({os_reason(exc)})", kind="output", where=str(dest))
    return session.failures == before
