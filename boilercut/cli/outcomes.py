"""One document (text file, page or JSON Lines record) cleaned without side effects.

These functions clean one text file, page or JSON Lines record and return
what happened as *events* plus the output bytes, instead of reporting on
stderr themselves. The same functions run in this process (--jobs 1) and in
worker processes (--jobs N); the main process replays the events in input
order (:func:`replay`), so messages, --errors-to records and outputs are the
same whatever the number of workers. An event is a tuple:

  ("warn", message)                        a warning (hidden by --quiet)
  ("fail", reason, kind, filter, raw)      a failure, counted (exit status 1)
  ("explain", report)                      --explain's removals
  ("stop", reason, kind, filter)           --strict: the run stops here

A page whose text cannot be read (:class:`boilercut.html.PageError`) is a
failure and writes nothing: an empty body would say the page had no text.
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from boilercut import Fault, FilterError, Pipeline, Result, TooManyLines, clean
from boilercut.cli.compression import MAX_RECORD_BYTES, decompress, too_large
from boilercut.cli.discovery import Job
from boilercut.cli.progress import write_stderr
from boilercut.cli.report import InputError, Session, StopRun
from boilercut.encoding import BINARY_SNIFF, decode, is_binary, sniff
from boilercut.html import PageError, PageTimeout
from boilercut.sites import record_site

if TYPE_CHECKING:  # pragma: no cover
    from boilercut.sites import SiteProfiles

#: The most lines one document may have, by default (--max-lines): each costs up to
#: about 3 KB while it is cleaned (100,000 sentence lines peaked at 337 MB).
MAX_LINES = 100_000
#: The most bytes (characters, for a JSON Lines field) one HTML page may hold, by
#: default (--max-page-bytes): trafilatura's extraction peaks at about 60x a page's
#: size, so about 550 MB for 8 MiB.
MAX_PAGE_BYTES = 8 * 2**20
#: The field a cleaned JSON Lines record gets.
OUTPUT_FIELD = "boilercut"
UTF16_32_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 BOMs start with these
ENCODING_HINT = "; --encoding NAME reads another encoding, e.g. cp1252"


@dataclass(frozen=True)
class CleanOptions:
    """The options a worker needs to clean as the command line does (picklable)."""

    field: str = "text"
    html: bool = False
    format: str = "text"
    encoding: str = "auto"
    errors: str = "strict"
    strict: bool = False
    timeout: float | None = None
    explain: bool = False
    verbose: bool = False
    group_by: str = "url"
    max_record_bytes: int = MAX_RECORD_BYTES
    max_lines: int = MAX_LINES
    max_page_bytes: int = MAX_PAGE_BYTES
    input_format: str = "auto"

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CleanOptions:
        return cls(field=args.field, html=args.html, format=args.format, encoding=args.encoding,
                   errors=args.errors, strict=args.strict, timeout=args.timeout_per_doc,
                   explain=args.explain, verbose=args.verbose,
                   group_by=getattr(args, "group_by", None) or "url",
                   max_record_bytes=args.max_record_bytes, max_lines=args.max_lines,
                   max_page_bytes=args.max_page_bytes,
                   input_format=getattr(args, "input_format", "auto"))


class Oversized(bytes):
    """A JSON Lines line longer than --max-record-bytes, skipped as it was read: its
    first bytes (enough to tell a binary file), and its ``size`` with the line end."""

    size: int

    def __new__(cls, head: bytes, size: int) -> Oversized:
        line = super().__new__(cls, head)
        line.size = size
        return line

    def __reduce__(self):  # pickled to a worker with its size
        return Oversized, (bytes(self), self.size)

    def isspace(self) -> bool:
        return False  # reported, even if it is all blanks


Event = tuple
Outcome = tuple[list[Event], bytes | None]  # events, output (None: nothing to write)


def run_pipeline(run: Callable[..., Result], options: CleanOptions) -> tuple[Result | None, list[Event]]:
    """Call ``run`` with the fault options: the result (None when --strict stops or the
    page cannot be read) and events."""
    try:
        result = run(on_error="raise" if options.strict else "keep", timeout=options.timeout,
                     max_lines=options.max_lines)
    except FilterError as exc:  # --strict
        fault = exc.fault()
        return None, [("stop", f"{fault.message}; stopping (--strict)", fault.kind, fault.filter)]
    except PageError as exc:
        kind = "timeout" if isinstance(exc, PageTimeout) else "input"
        return None, [("fail", str(exc), kind, None, None)]
    except TooManyLines as exc:
        return None, [("fail", f"{exc} (--max-lines)", "input", None, None)]
    events: list[Event] = [("fail", fault.message, fault.kind, fault.filter, None)
                           for fault in result.errors if fault.kind in ("filter", "timeout")]
    if options.explain:
        events.append(("explain", result.explain(verbose=options.verbose)))
    return result, events


def page_run(html: str | bytes, url: str | None, pipeline: Pipeline, options: CleanOptions,
              charset: str | None = None) -> Callable[..., Result]:
    """clean_html on a page, ready for :func:`run_pipeline`; a page over
    --max-page-bytes raises PageError instead (its extraction would take about 60x
    its size in memory)."""
    from boilercut.html import clean_html

    if len(html) > options.max_page_bytes:
        return partial(_refuse_page, len(html), options.max_page_bytes)
    if charset is None and options.encoding != "auto" and isinstance(html, bytes):
        charset = options.encoding
    return partial(clean_html, html, url=url, charset=charset, pipeline=pipeline)


def _refuse_page(size: int, limit: int, **_: Any) -> Result:
    raise PageError(f"page of {size:,} bytes, over the {limit:,}-byte limit of one HTML page "
                    "(--max-page-bytes): extracting its text would take about 60 times that "
                    "in memory")


def file_outcome(job: Job, kind: str, data: bytes | None, pipeline: Pipeline,
                 options: CleanOptions, sites: SiteProfiles | None = None) -> Outcome:
    """Clean one text file or page (read here unless stdin's bytes, maybe compressed,
    are given in ``data``), with its site's profile from ``sites``: events and output.
    Past --max-record-bytes it fails."""
    limit = options.max_record_bytes
    try:
        if data is None:
            data = job.read(limit)
        elif len(data) > limit:  # stdin, read up to one byte past the limit
            raise InputError(too_large(limit))
        else:
            data = decompress(data, None, limit)
        if kind == "html":
            if b"\0" in data[:BINARY_SNIFF] and not data.startswith(UTF16_32_BOMS):
                raise InputError("binary file (contains NUL bytes)")
            fault, events = None, []
            result, more = run_pipeline(page_run(data, None, pipeline, options), options)
        else:
            text, fault = decode_text(data, options)
            events = [] if fault is None else [("warn", fault.message)]
            site = None if sites is None else sites.filter_for(job.site)
            result, more = run_pipeline(partial(clean, text, pipeline=pipeline, site=site,
                                                format=options.input_format), options)
    except InputError as exc:
        return [("fail", str(exc), "input", None, None)], None
    events += more
    if result is None:
        return events, None
    if fault is not None:
        result.errors.insert(0, fault)
    if options.format == "json":
        return events, json_line({**result.to_dict(), "source": job.source})
    return events, (result.body + "\n").encode("utf-8")


def record_outcome(offset: int, raw: bytes | str, pipeline: Pipeline,
                   options: CleanOptions, sites: SiteProfiles | None = None) -> Outcome:
    """Clean one JSON Lines record (a line; ``offset``: where it starts in the file),
    with its site's profile from ``sites`` (by ``options.group_by``): events and the
    record written back with a "boilercut" object."""
    events: list[Event] = []
    if isinstance(raw, Oversized):  # read past, not kept: its raw text is not reported
        events.append(("fail", too_large(options.max_record_bytes), "record", None, None))
        return events, None
    try:
        record, fault = parse_record(raw, offset, options, events)
    except InputError as exc:
        events.append(("fail", str(exc), "record", None, raw))
        return events, None
    text = record[options.field]
    if options.html:
        url = record.get("url") if isinstance(record.get("url"), str) else None
        result, more = run_pipeline(page_run(text, url, pipeline, options), options)
    else:
        site = None if sites is None else sites.filter_for(record_site(record, options.group_by))
        result, more = run_pipeline(partial(clean, text, pipeline=pipeline, site=site,
                                            format=options.input_format), options)
    events += more
    if result is None:
        return events, None
    if fault is not None:
        result.errors.insert(0, fault)
    record[OUTPUT_FIELD] = result.to_dict()
    return events, json_line(record)


def parse_record(raw: bytes | str, offset: int, options: CleanOptions,
                  events: list[Event]) -> tuple[dict[str, Any], Fault | None]:
    """One JSONL line as a JSON object whose ``field`` is a string, and a decode fault
    if bytes were replaced (with a warning in ``events``); raises InputError.

    ``NaN``, ``Infinity`` and ``-Infinity`` (Python's json reads them, but they are
    not JSON) and numbers past a double's range (``1e400``) become null, with a warning, so that the output is standard JSON. A
    record that already has the output field is refused: overwriting it would lose
    data silently."""
    field = options.field
    fault = None
    constants: list[str] = []

    def not_json(name: str) -> None:
        constants.append(name)

    def number(text: str) -> float | None:
        value = float(text)
        if math.isfinite(value):
            return value
        constants.append(f"{text[:20]} (out of range)")
        return None

    try:
        if isinstance(raw, bytes):
            raw, fault = _decode_line(raw, offset, options, events)
        record = json.loads(raw, parse_constant=not_json, parse_float=number)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        raise InputError(f"invalid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object (got {type(record).__name__})")
    if not isinstance(record.get(field), str):
        raise InputError(f"field {field!r} missing or not a string")
    if OUTPUT_FIELD in record:
        raise InputError(f"the record already has a {OUTPUT_FIELD!r} field, which the output "
                         "would overwrite; rename it first")
    if constants:
        events.append(("warn", f"{', '.join(sorted(set(constants)))} is not JSON: written as null"))
    return record, fault


def _decode_line(raw: bytes, offset: int, options: CleanOptions,
                 events: list[Event]) -> tuple[str, Fault | None]:
    """One UTF-8 JSONL line, strictly or with replacement (a warning) by --errors."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        message = _undecodable("utf-8", raw, exc.start, offset)
        if options.errors == "strict":
            raise InputError(message) from None
    message += "; undecodable bytes replaced by U+FFFD"
    events.append(("warn", message))
    return raw.decode("utf-8", errors="replace"), Fault("decode", message)


def decode_text(data: bytes, options: CleanOptions) -> tuple[str, Fault | None]:
    """A text input's text by --encoding and --errors; raises InputError (binary,
    undecodable: UTF-8 taken by default suggests --encoding); a replacement gives a
    fault (the caller warns)."""
    codec, _ = sniff(data, options.encoding)
    if is_binary(data, codec):
        raise InputError("binary file (contains NUL bytes)")
    try:
        text, codec, fault = decode(data, options.encoding, options.errors)
    except UnicodeDecodeError as exc:
        hint = ENCODING_HINT if options.encoding == "auto" and codec == "utf-8" else ""
        raise InputError(_undecodable(codec, data, exc.start) + hint) from None
    return text, fault


def _undecodable(codec: str, data: bytes, offset: int, base: int = 0) -> str:
    name = "UTF-8" if codec == "utf-8" else codec
    return f"not {name} text (invalid byte 0x{data[offset]:02x} at offset {base + offset})"


def replay(events: Sequence[Event], job: Job | None, line: int | None, label: str,
            args: argparse.Namespace) -> None:
    """Report the events of one document (at ``label``); raises StopRun for --strict."""
    session: Session = args.session
    for event in events:
        what = event[0]
        if what == "warn":
            session.warn(job, event[1], line=line)
        elif what == "fail":
            _, reason, kind, filter, raw = event
            session.fail(job, reason, kind=kind, line=line, filter=filter, raw=raw, where=label)
        elif what == "explain":
            write_stderr(f"==> {label} <==\n" + (event[1] + "\n" if event[1] else ""))
        elif what == "stop":
            _, reason, kind, filter = event
            session.fail(job, reason, kind=kind, line=line, filter=filter, where=label)
            raise StopRun()


def json_line(obj: Any) -> bytes:
    """One compact JSON line; non-ASCII is kept as UTF-8 unless the data holds lone surrogates."""
    try:
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # e.g. "\ud800" escapes in JSONL input: keep them escaped
        return (json.dumps(obj, separators=(",", ":")) + "\n").encode("ascii")
