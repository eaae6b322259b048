"""The ``boilercut`` command: clean text files, HTML pages, WARC files, stdin or JSON Lines.

``main(argv)`` returns the exit status (0 ok, 1 some input failed, 2 usage
error); the console script and ``python -m boilercut`` pass it to ``sys.exit``.
Bad input never raises: each failure is one ``boilercut: <source>: <reason>``
line on stderr and the other inputs are still processed.
"""

from __future__ import annotations

import argparse
import base64
import codecs
import contextlib
import functools
import itertools
import json
import os
import signal
import stat
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from boilercut import Fault, FilterError, Pipeline, ProfileError, Result, __version__, clean
from boilercut.encoding import BINARY_SNIFF, DECODE_ERRORS, check_encoding, decode, is_binary, sniff
from boilercut.pipeline import available_filters

PROG = "boilercut"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
# Files taken from directories when --glob is not given, by input kind.
DEFAULT_GLOBS = {"text": ("*.txt",), "html": ("*.html", "*.htm"), "warc": ("*.warc", "*.warc.gz")}
UTF16_32_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 BOMs start with these

EPILOG = """\
output:
  text   the cleaned body followed by one newline; an input that cleans to
         nothing (e.g. an empty or whitespace-only file) gives an empty line.
  json   the whole result (body, metadata, removals) plus "source" (the path,
         or "-" for stdin): one compact JSON object per input and line.
  --jsonl  input and output are JSON Lines, whatever --format says: every good
         record is written back with a "boilercut" object {body, metadata,
         removals} added, in input order; blank lines are skipped, bad lines
         reported with their line number. With --html the field holds a page's
         HTML (and a string "url" field, if any, is its URL).
  --warc   output is JSON Lines, whatever --format says: one object per HTML
         response, {"source", "url", "record_id", "date", "boilercut"}, in
         file order. Other records are counted and skipped; a summary line per
         file goes to stderr.

html:
  --html, or a file named *.html, *.htm or *.xhtml, is a web page: trafilatura
  (pip install 'boilercut[html]') finds its main text and metadata, boilercut
  cleans the text; --format json adds metadata.page, .merged and .sources.
  The charset comes from a BOM, valid UTF-8, the page's declaration or
  detection, in that order.

warc:
  --warc, or a file named *.warc or *.warc.gz, is a WARC file (pip install
  'boilercut[warc]'). Responses with a 2xx status and an HTML content type are
  cleaned as pages; request, revisit, warcinfo and metadata records, other
  content types and statuses are skipped. A response whose HTTP status line or
  payload cannot be read is an error (reported with its record id), and so is
  a truncated or corrupt file: the records before the damage are kept.

-o/--output:
  With one input file or stdin, -o names the output file. With several inputs
  or a directory input (or when -o is an existing directory), -o is a
  directory: each output goes to the input's path relative to the directory
  given on the command line (a loose file: its name), with a .json suffix for
  --format json. Outputs are written atomically and never over an input.
  --glob selects files inside directories only; files named on the command
  line are always read. -o may not lie inside an input directory unless
  --allow-output-inside is given (files under -o are then not read as inputs).
  A run stopped by Ctrl-C or SIGTERM removes the output it was writing; only
  SIGKILL can leave a temporary .NAME.*.tmp file beside the outputs.

input:
  Text and JSON Lines: --encoding auto (the default) decodes by the byte-order
  mark (UTF-8, UTF-16, UTF-32; the BOM is dropped), else as UTF-8; or name a
  codec (utf-8, utf-16, latin-1, cp1252, ...). With --errors strict (the
  default) a file that does not decode is reported, never cleaned half-way;
  --errors replace decodes bad bytes as U+FFFD and says so (a warning, and
  "errors" in the JSON result). A file with NUL bytes in its first 8 KiB is
  binary (unless decoded as UTF-16/32) and is reported. HTML pages follow
  their own charset rules (--encoding, if given, is tried as the transport
  charset). --glob defaults to *.txt, with --html to *.html and *.htm, with
  --warc to *.warc and *.warc.gz.

faults:
  A filter that raises, returns something invalid, or runs past
  --timeout-per-doc is reported with its name and the input (file, and JSONL
  line number); the document is written uncleaned with the fault in its JSON
  result ("errors"), and the exit status is 1. With --strict the run stops
  there instead (outputs already written are kept). --errors-to FILE
  collects every failure as JSON lines {"source", "line", "kind", "error",
  "filter", "raw"}: bad JSONL lines keep their text verbatim in "raw" (or, if
  it is not UTF-8, its bytes in "raw_base64").

--jobs:
  --jobs N cleans in N worker processes (0: one per core), each given the
  pipeline once; the output is the same, byte for byte, as with --jobs 1 (the
  default, all in this process). JSON Lines records go to the workers in
  chunks and come back in input order; files go one per task, each output
  written in input order; WARC files are cleaned in this process. Messages,
  --errors-to records and --strict stop at the same record as with one process.
  JSON Lines are read and written record by record (stdin too), so memory stays
  flat however large the input; JSONL in UTF-16/32 or a non-UTF-8 --encoding is
  decoded whole first.

progress:
  When stderr is a terminal, a progress bar (records for --jsonl, else files)
  shows after a second; --quiet, or stderr not a terminal, turns it off.

--resume:
  Outputs are written atomically, so an output that exists is complete:
  inputs whose output exists are skipped. Needs -o.

exit status:
  0 all inputs cleaned; 1 some input (or JSONL or WARC record) failed or a
  WARC file was damaged, the others were still processed; 2 usage error (bad
  option, bad profile, unsafe -o, --html or --warc without their extra).
"""


class UsageError(Exception):
    """The command line cannot be carried out (exit 2)."""


class InputError(Exception):
    """One input (file or JSONL record) cannot be cleaned; the message is the reason."""


class StopRun(Exception):
    """--strict: a filter failed; the run stops (the failure is already reported)."""


@dataclass
class Session:
    """What went wrong in a run: every failure is one line on stderr, counted, and
    (with --errors-to) kept as a JSON record."""

    quiet: bool = False
    collect: bool = False
    failures: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, job: Job | None, reason: str, *, kind: str, line: int | None = None,
             raw: bytes | str | None = None, filter: str | None = None,
             where: str | None = None) -> None:
        """Report a failure of ``job`` (at JSONL ``line``) and count it."""
        label = where or _where(job, line)
        _report(label, reason)
        self.failures += 1
        self._keep(job, line, kind, reason, raw=raw, filter=filter)

    def warn(self, job: Job | None, message: str, *, line: int | None = None) -> None:
        """A warning (--quiet hides it on stderr; --errors-to keeps it as kind "decode")."""
        _warn(f"{_where(job, line)}: {message}", self.quiet)
        self._keep(job, line, "decode", message)

    def _keep(self, job: Job | None, line: int | None, kind: str, reason: str, *,
              raw: bytes | str | None = None, filter: str | None = None) -> None:
        if not self.collect:
            return
        record: dict[str, Any] = {"source": job.source if job is not None else "-",
                                  "line": line, "kind": kind, "error": reason}
        if filter is not None:
            record["filter"] = filter
        if isinstance(raw, bytes):
            try:
                record["raw"] = raw.decode("utf-8")
            except UnicodeDecodeError:
                record["raw_base64"] = base64.b64encode(raw).decode("ascii")
        elif raw is not None:
            record["raw"] = raw
        self.records.append(record)


def _where(job: Job | None, line: int | None) -> str:
    label = job.label if job is not None else "<stdin>"
    return label if line is None else f"{label}:{line}"


# --- argument parsing --------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the output rules in the --help epilog."""
    parser = argparse.ArgumentParser(
        prog=PROG, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Clean article text left by web scrapers; the cleaned body goes to stdout.")
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH",
        help="text files or directories to clean; none or '-' reads stdin")
    add("-o", "--output", metavar="PATH",
        help="output file, or directory for several inputs (see below)")
    add("--glob", metavar="PATTERN",
        help="files to take from directories, searched recursively (default: *.txt; "
             "with --html *.html and *.htm; with --warc *.warc and *.warc.gz)")
    add("--format", choices=("text", "json"), default="text",
        help="write the body only, or the whole result as JSON (default: %(default)s)")
    add("--jsonl", action="store_true",
        help="inputs are JSON Lines: clean each record's --field")
    add("--field", metavar="NAME",
        help="with --jsonl, the field holding the text (default: text; with --html: html)")
    add("--html", action="store_true",
        help="inputs are HTML pages (the default for *.html and *.htm files); needs boilercut[html]")
    add("--warc", action="store_true",
        help="inputs are WARC files (the default for *.warc and *.warc.gz): clean every HTML "
             "response, one JSON line each; needs boilercut[warc] and boilercut[html]")
    add("--explain", action="store_true",
        help="list each input's removals on stderr")
    add("--profile", metavar="FILE",
        help="build the pipeline from a TOML profile (or pyproject.toml [tool.boilercut])")
    add("--disable", metavar="NAME", action="append", default=[],
        help="leave out this filter (repeatable)")
    add("--list-filters", action="store_true",
        help="list the available filters and exit")
    add("--version", action="version", version=f"%(prog)s {__version__}")
    add("--quiet", action="store_true",
        help="no warnings or final summary; errors are always reported")
    add("--encoding", metavar="NAME", default="auto",
        help="text encoding of text and JSONL inputs: auto (BOM, else UTF-8; the default) "
             "or a codec name such as utf-8, utf-16, latin-1")
    add("--errors", choices=DECODE_ERRORS, default="strict",
        help="undecodable bytes: report the input (strict, the default) or decode them "
             "as U+FFFD with a warning (replace)")
    add("--errors-to", metavar="FILE",
        help="also write every failure (bad JSONL lines verbatim, with their line number) "
             "to FILE as JSON lines")
    add("--strict", action="store_true",
        help="stop the run at the first failing filter instead of writing the document uncleaned")
    add("--timeout-per-doc", metavar="SECONDS", type=float,
        help="time budget of the filters per document; a document over it is a filter fault")
    add("--resume", action="store_true",
        help="skip inputs whose output already exists (outputs are written atomically); needs -o")
    add("-j", "--jobs", metavar="N", type=int, default=1,
        help="clean in N worker processes, 0 for one per core (default: 1, this process "
             "only); outputs keep the input order")
    add("--allow-output-inside", action="store_true",
        help="allow -o inside an input directory (its files are then not read as inputs)")
    return parser


def build_pipeline(args: argparse.Namespace) -> Pipeline:
    """The pipeline from --profile (or the default) without the --disable'd filters."""
    try:
        pipeline = Pipeline.from_profile(args.profile) if args.profile else Pipeline.default()
        return pipeline.without(*args.disable)
    except ProfileError as exc:
        raise UsageError(str(exc)) from None


def list_filters() -> int:
    """Print each filter's name and description."""
    filters = available_filters()
    width = max(map(len, filters), default=0)
    for name, description in filters.items():
        print(f"{name:<{width}}  {description}".rstrip())
    return 0


# --- input discovery ---------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One input: a file, or stdin when ``path`` is None."""

    source: str           # as given on the command line (or found under a directory); "-" = stdin
    path: Path | None
    rel: Path | None      # where the output goes under a -o directory (None for stdin)

    @property
    def label(self) -> str:
        """The input's name in messages."""
        return "<stdin>" if self.path is None else self.source

    def read(self) -> bytes:
        """The input's bytes; raises InputError when it cannot be read."""
        if self.path is None:
            return sys.stdin.buffer.read()
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise InputError(_os_reason(exc)) from None

    def open(self) -> IO[bytes]:
        """The input as a binary stream (stdin's is not to be closed); raises InputError."""
        if self.path is None:
            return sys.stdin.buffer
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise InputError(_os_reason(exc)) from None


def discover(paths: list[str], pattern: str | Sequence[str], quiet: bool) -> list[Job]:
    """Jobs for the command-line paths: '-' is stdin, directories are searched for ``pattern``
    (one glob pattern, or several)."""
    patterns = [pattern] if isinstance(pattern, str) else list(pattern)
    jobs = []
    for given in paths or ["-"]:
        if given == "-":
            jobs.append(Job("-", None, None))
            continue
        path = Path(given)
        if not path.is_dir():
            jobs.append(Job(given, path, Path(path.name)))
            continue
        found_set = set()
        for one in patterns:
            try:
                found_set.update(p for p in path.rglob(one) if p.is_file())
            except (ValueError, NotImplementedError) as exc:  # "", "/abs", "a/**b"
                raise UsageError(f"bad --glob pattern {one!r}: {exc}") from None
        found = sorted(found_set)
        if not found:
            shown = " or ".join(repr(one) for one in patterns)
            _warn(f"{given}: no files match {shown}", quiet)
        jobs.extend(Job(str(p), p, p.relative_to(path)) for p in found)
    if sum(job.path is None for job in jobs) > 1:
        raise UsageError("stdin ('-') given more than once")
    return jobs


def plan_outputs(jobs: list[Job], args: argparse.Namespace) -> dict[Job, Path]:
    """Each job's output file under -o (empty: all to stdout); refuses unsafe outputs."""
    if args.output is None:
        return {}
    out = Path(args.output)
    inputs = [Path(p) for p in args.paths if p != "-"]
    for path in inputs:
        if out.resolve() == path.resolve():
            raise UsageError(f"output {out} is the input {path}")
        if (path.is_dir() and out.resolve().is_relative_to(path.resolve())
                and not args.allow_output_inside):
            raise UsageError(f"output {out} lies inside the input directory {path} "
                             "(--allow-output-inside allows it)")
    several = len(args.paths) > 1 or any(p.is_dir() for p in inputs)
    if not several and not out.is_dir():
        return {job: out for job in jobs}
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} is an existing file; several inputs need a directory")
    plan: dict[Job, Path] = {}
    claimed: dict[Path, Job] = {}
    input_files = {job.path.resolve(): job for job in jobs if job.path is not None}
    for job in jobs:
        if job.rel is None:
            raise UsageError(f"stdin has no name to write under the directory {out}; "
                             "give -o a file name")
        rel = output_name(job.rel, job_kind(job, args), args)
        dest = out / rel
        key = dest.resolve()
        if key in input_files:
            raise UsageError(f"output {dest} would overwrite the input {input_files[key].source}")
        if key in claimed:
            raise UsageError(f"inputs {claimed[key].source} and {job.source} "
                             f"would both be written to {dest}")
        claimed[key] = job
        plan[job] = dest
    return plan


def job_kind(job: Job, args: argparse.Namespace) -> str:
    """How an input is read: "jsonl", "warc", "html" (by option, else by file name) or "text"."""
    if args.jsonl:
        return "jsonl"
    name = job.path.name.lower() if job.path is not None else ""
    if args.warc or name.endswith(WARC_SUFFIXES):
        return "warc"
    if args.html or name.endswith(HTML_SUFFIXES):
        return "html"
    return "text"


def output_name(rel: Path, kind: str, args: argparse.Namespace) -> Path:
    """An input's output name under a -o directory: .json for --format json, a page's
    text as .txt, a WARC file's records as .jsonl; JSONL and text keep their names."""
    if kind == "warc":
        name = rel.name
        for suffix in WARC_SUFFIXES[::-1]:  # .warc.gz before .warc
            if name.lower().endswith(suffix):
                name = name[:-len(suffix)]
                break
        return rel.with_name(name + ".jsonl")
    if kind == "jsonl":
        return rel
    if args.format == "json":
        return rel.with_suffix(".json")
    return rel.with_suffix(".txt") if kind == "html" else rel


def require_extras(kinds: set[str]) -> None:
    """A usage error naming the extra to install when HTML or WARC input lacks its library."""
    needed = []
    if kinds & {"html", "warc"} or "html-jsonl" in kinds:
        needed.append(("trafilatura", "html"))
    if "warc" in kinds:
        needed.append(("warcio", "warc"))
    for module, extra in needed:
        try:
            __import__(module)
        except ImportError as exc:
            raise UsageError(f"{extra.upper()} input needs {module} ({exc}): "
                             f"pip install 'boilercut[{extra}]'") from None


# --- one document: cleaning without side effects -------------------------------
#
# The functions below clean one text file, page or JSON Lines record and return
# what happened as *events* plus the output bytes, instead of reporting on
# stderr themselves. The same functions run in this process (--jobs 1) and in
# worker processes (--jobs N); the main process replays the events in input
# order (:func:`_replay`), so messages, --errors-to records and outputs are the
# same whatever the number of workers. An event is a tuple:
#
#   ("warn", message)                        a warning (hidden by --quiet)
#   ("fail", reason, kind, filter, raw)      a failure, counted (exit status 1)
#   ("explain", report)                      --explain's removals
#   ("stop", reason, kind, filter)           --strict: the run stops here


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

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CleanOptions:
        return cls(field=args.field, html=args.html, format=args.format, encoding=args.encoding,
                   errors=args.errors, strict=args.strict, timeout=args.timeout_per_doc,
                   explain=args.explain)


Event = tuple
Outcome = tuple[list[Event], bytes | None]  # events, output (None: nothing to write)


def _run_pipeline(run: Callable[..., Result], options: CleanOptions) -> tuple[Result | None, list[Event]]:
    """Call ``run`` with the fault options: the result (None when --strict stops) and events."""
    try:
        result = run(on_error="raise" if options.strict else "keep", timeout=options.timeout)
    except FilterError as exc:  # --strict
        fault = exc.fault()
        return None, [("stop", f"{fault.message}; stopping (--strict)", fault.kind, fault.filter)]
    events: list[Event] = [("fail", fault.message, fault.kind, fault.filter, None)
                           for fault in result.errors if fault.kind in ("filter", "timeout")]
    if options.explain:
        events.append(("explain", result.explain()))
    return result, events


def _page_run(html: str | bytes, url: str | None, pipeline: Pipeline, options: CleanOptions,
              charset: str | None = None) -> Callable[..., Result]:
    from boilercut.html import clean_html

    if charset is None and options.encoding != "auto" and isinstance(html, bytes):
        charset = options.encoding
    return partial(clean_html, html, url=url, charset=charset, pipeline=pipeline)


def file_outcome(job: Job, kind: str, data: bytes | None, pipeline: Pipeline,
                 options: CleanOptions) -> Outcome:
    """Clean one text file or page (read here unless ``data`` is given): events and output."""
    try:
        if data is None:
            data = job.read()
        if kind == "html":
            if b"\0" in data[:BINARY_SNIFF] and not data.startswith(UTF16_32_BOMS):
                raise InputError("binary file (contains NUL bytes)")
            fault, events = None, []
            result, more = _run_pipeline(_page_run(data, None, pipeline, options), options)
        else:
            text, fault = _decode_text(data, options)
            events = [] if fault is None else [("warn", fault.message)]
            result, more = _run_pipeline(partial(clean, text, pipeline=pipeline), options)
    except InputError as exc:
        return [("fail", str(exc), "input", None, None)], None
    events += more
    if result is None:
        return events, None
    if fault is not None:
        result.errors.insert(0, fault)
    if options.format == "json":
        return events, _json_line({**result.to_dict(), "source": job.source})
    return events, (result.body + "\n").encode("utf-8")


def record_outcome(offset: int, raw: bytes | str, pipeline: Pipeline,
                   options: CleanOptions) -> Outcome:
    """Clean one JSON Lines record (a line; ``offset``: where it starts in the file):
    events and the record written back with a "boilercut" object."""
    events: list[Event] = []
    try:
        record, fault = _parse_record(raw, offset, options, events)
    except InputError as exc:
        events.append(("fail", str(exc), "record", None, raw))
        return events, None
    text = record[options.field]
    if options.html:
        url = record.get("url") if isinstance(record.get("url"), str) else None
        result, more = _run_pipeline(_page_run(text, url, pipeline, options), options)
    else:
        result, more = _run_pipeline(partial(clean, text, pipeline=pipeline), options)
    events += more
    if result is None:
        return events, None
    if fault is not None:
        result.errors.insert(0, fault)
    record["boilercut"] = result.to_dict()
    return events, _json_line(record)


def _parse_record(raw: bytes | str, offset: int, options: CleanOptions,
                  events: list[Event]) -> tuple[dict[str, Any], Fault | None]:
    """One JSONL line as a JSON object whose ``field`` is a string, and a decode fault
    if bytes were replaced (with a warning in ``events``); raises InputError."""
    field = options.field
    fault = None
    try:
        if isinstance(raw, bytes):
            raw, fault = _decode_line(raw, offset, options, events)
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        raise InputError(f"invalid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object (got {type(record).__name__})")
    if not isinstance(record.get(field), str):
        raise InputError(f"field {field!r} missing or not a string")
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


def _decode_text(data: bytes, options: CleanOptions) -> tuple[str, Fault | None]:
    """A text input's text by --encoding and --errors; raises InputError (binary,
    undecodable); a replacement gives a fault (the caller warns)."""
    codec, _ = sniff(data, options.encoding)
    if is_binary(data, codec):
        raise InputError("binary file (contains NUL bytes)")
    try:
        text, codec, fault = decode(data, options.encoding, options.errors)
    except UnicodeDecodeError as exc:
        raise InputError(_undecodable(codec, data, exc.start)) from None
    return text, fault


def _undecodable(codec: str, data: bytes, offset: int, base: int = 0) -> str:
    name = "UTF-8" if codec == "utf-8" else codec
    return f"not {name} text (invalid byte 0x{data[offset]:02x} at offset {base + offset})"


def _replay(events: Sequence[Event], job: Job | None, line: int | None, label: str,
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
            _stderr(f"==> {label} <==\n" + (event[1] + "\n" if event[1] else ""))
        elif what == "stop":
            _, reason, kind, filter = event
            session.fail(job, reason, kind=kind, line=line, filter=filter, where=label)
            raise StopRun()


# --- worker processes (--jobs) ---------------------------------------------------

#: JSON Lines records per chunk sent to a worker, and the most bytes of input in one chunk.
CHUNK_RECORDS = 32
CHUNK_BYTES = 4 * 2**20
#: Chunks (or files) in flight per worker: enough to keep the workers busy while one
#: slow document holds the head of the line, few enough to keep memory flat.
WINDOW_PER_JOB = 4


def _init_worker(pipeline: Pipeline) -> None:
    """In each worker, once: the pipeline; Ctrl-C and SIGTERM are the main process's
    to handle (it stops the pool)."""
    from boilercut.batch import _set_worker_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_worker_pipeline(pipeline)


def _worker_pipeline(pipeline: Pipeline | None) -> Pipeline:
    if pipeline is not None:
        return pipeline
    from boilercut import batch

    assert batch._worker_pipeline is not None, "worker started without its pipeline"
    return batch._worker_pipeline


def _records_task(chunk: list[tuple[int, int, bytes | str]], options: CleanOptions,
                  pipeline: Pipeline | None = None) -> list[tuple[int, list[Event], bytes | None]]:
    """Clean a chunk of JSONL lines ``(number, offset, raw)``: ``(number, events, output)`` each."""
    pipeline = _worker_pipeline(pipeline)
    out = []
    for number, offset, raw in chunk:
        events, payload = record_outcome(offset, raw, pipeline, options)
        out.append((number, events, payload))
        if events and events[-1][0] == "stop":  # --strict: the rest would not be written
            break
    return out


def _file_task(task: tuple[Job, str, bytes | None], options: CleanOptions,
               pipeline: Pipeline | None = None) -> Outcome:
    job, kind, data = task
    return file_outcome(job, kind, data, _worker_pipeline(pipeline), options)


def _map(fn: Callable, tasks: Iterable, pipeline: Pipeline, options: CleanOptions,
         jobs: int) -> Iterator:
    """``fn(task, options)`` for each task in input order: in this process for one job,
    else in ``jobs`` worker processes (:func:`boilercut.batch.map_ordered`), each
    given the pipeline once."""
    from boilercut.batch import map_ordered

    if jobs == 1:
        return map_ordered(partial(fn, options=options, pipeline=pipeline), tasks, jobs=1)
    return map_ordered(partial(fn, options=options), tasks, jobs=jobs,
                       window=WINDOW_PER_JOB * jobs, initializer=_init_worker,
                       initargs=(pipeline,))


# --- JSON Lines, streamed ----------------------------------------------------------


def _raw_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's lines, each with its "\\n" (the last one may lack it); a read
    error is an InputError."""
    try:
        yield from stream
    except OSError as exc:
        raise InputError(f"read error ({_os_reason(exc)})") from None


def jsonl_lines(job: Job, stream: IO[bytes],
                args: argparse.Namespace) -> Iterator[tuple[int, int, bytes | str]]:
    """``(line number, offset, line)`` of a JSON Lines input, read as it goes.

    UTF-8 input is read line by line and each line given as bytes (a bad line is
    one bad record); the first 8 KiB are read before the first line is given, to
    tell a binary file. Input in another encoding (UTF-16, UTF-32, --encoding
    latin-1, ...) is read and decoded whole first (by --errors), then split.
    """
    lines = _raw_lines(stream)
    head, size = [], 0
    for raw in lines:
        head.append(raw)
        size += len(raw)
        if size >= BINARY_SNIFF:
            break
    start = b"".join(head) if len(head) > 1 else head[0] if head else b""
    codec, _ = sniff(start[:8], args.encoding)
    if codec != "utf-8":
        try:
            data = start + stream.read()
        except OSError as exc:
            raise InputError(f"read error ({_os_reason(exc)})") from None
        del start, head
        text, fault = _decode_text(data, CleanOptions.from_args(args))
        if fault is not None:
            args.session.warn(job, fault.message)  # once, for the whole input
        del data
        for number, line in enumerate(text.split("\n"), start=1):
            yield number, 0, line
        return
    if is_binary(start, codec):
        raise InputError("binary file (contains NUL bytes)")
    del start
    offset = 0
    for number, raw in enumerate(itertools.chain(head, lines), start=1):
        if number == 1:
            if raw.startswith(codecs.BOM_UTF8):
                raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
        yield number, offset, raw[:-1] if raw.endswith(b"\n") else raw
        offset += len(raw)


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


def clean_jsonl(job: Job, lines: Iterable[tuple[int, int, bytes | str]],
                write: Callable[[bytes], None], pipeline: Pipeline,
                args: argparse.Namespace) -> None:
    """Clean JSON Lines records as they are read, writing each good one (annotated)
    with ``write`` in input order; bad lines are reported with their line number.

    With --jobs N, chunks of lines go to N worker processes, a few chunks at a time.
    """
    jobs = args.jobs
    size, max_bytes = (1, CHUNK_BYTES) if jobs == 1 else (CHUNK_RECORDS, CHUNK_BYTES)
    results = _map(_records_task, _record_chunks(lines, size, max_bytes), pipeline,
                   CleanOptions.from_args(args), jobs)
    bar = args.progress
    try:
        for chunk in results:
            for number, events, payload in chunk:
                if events:
                    _replay(events, job, number, f"{job.label}:{number}", args)
                if payload is not None:
                    write(payload)
            bar.update(len(chunk))
    finally:
        close = getattr(results, "close", None)
        if close is not None:  # stop the pool now, also on --strict or an error
            close()


def clean_warc(job: Job, write: Callable[[bytes], None], pipeline: Pipeline,
               args: argparse.Namespace) -> bool:
    """Clean every HTML response of a WARC input, writing one JSON line each as it
    goes; report broken records, a damaged file and the summary; whether all was well."""
    from boilercut.warc import Skipped, WarcError, page_record, read_warc

    ok = True
    cleaned, skipped = 0, Counter()
    try:
        stream = sys.stdin.buffer if job.path is None else job.path.open("rb")
    except OSError as exc:
        raise InputError(_os_reason(exc)) from None
    with stream if job.path is not None else contextlib.nullcontext(stream):
        try:
            for item in read_warc(stream):
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
                write(_json_line({"source": job.source, **page_record(item, result)}))
                cleaned += 1
        except WarcError as exc:
            args.session.fail(job, str(exc), kind="input")
            ok = False
        except OSError as exc:
            args.session.fail(job, f"read error after {cleaned + sum(skipped.values())} records "
                                   f"({_os_reason(exc)})", kind="input")
            ok = False
    total = cleaned + sum(skipped.values())
    details = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: -kv[1]))
    _warn(f"{job.label}: {total} records: {cleaned} cleaned, {sum(skipped.values())} skipped"
          + (f" ({details})" if details else ""), args.quiet)
    return ok


def _clean_page(label: str, html: str | bytes, url: str | None, pipeline: Pipeline,
                args: argparse.Namespace, charset: str | None = None, *,
                job: Job | None = None, line: int | None = None) -> Result:
    """clean_html in this process, its faults reported at once (WARC records)."""
    options = CleanOptions.from_args(args)
    result, events = _run_pipeline(_page_run(html, url, pipeline, options, charset), options)
    _replay(events, job, line, label, args)
    assert result is not None  # a "stop" event raised StopRun
    return result


def _json_line(obj: Any) -> bytes:
    """One compact JSON line; non-ASCII is kept as UTF-8 unless the data holds lone surrogates."""
    try:
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # e.g. "\ud800" escapes in JSONL input: keep them escaped
        return (json.dumps(obj, separators=(",", ":")) + "\n").encode("ascii")


# --- output writing ----------------------------------------------------------


def write_stdout(payload: bytes) -> None:
    """Write UTF-8 bytes to stdout, whatever the locale's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` in one step (temp file in the same directory)."""
    with open_sink(path) as write:
        write(payload)


@contextlib.contextmanager
def open_sink(dest: Path | None) -> Iterator[Callable[[bytes], None]]:
    """A ``write(bytes)`` for streamed output: stdout, or a temporary file beside
    ``dest`` renamed over it at the end (also when the input failed half-way:
    what was read is kept)."""
    if dest is None:
        yield write_stdout
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh.write
        os.chmod(tmp, _file_mode(dest))
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or a new file's usual mode (not mkstemp's 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- running -----------------------------------------------------------------


def run(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
        args: argparse.Namespace) -> int:
    """Clean every job, writing each output as it is done; the exit status."""
    session: Session = args.session
    failed = skipped = 0
    todo = []
    for job in jobs:
        dest = outputs.get(job)
        if args.resume and dest is not None and dest.exists():
            skipped += 1  # written atomically: it exists, so it is complete
        else:
            todo.append(job)
    try:
        with progress_bar(args, unit="record" if args.jsonl else "file",
                          total=None if args.jsonl else len(todo)) as args.progress:
            if args.jsonl:
                for job in todo:
                    failed += not _run_jsonl(job, outputs.get(job), pipeline, args)
            else:
                for ok in _run_files(todo, outputs, pipeline, args):
                    failed += not ok
    except StopRun:
        failed += 1
    finally:
        if args.errors_to:
            try:
                write_atomic(Path(args.errors_to), b"".join(map(_json_line, session.records)))
            except OSError as exc:
                _report(args.errors_to, f"cannot write ({_os_reason(exc)})")
                failed += 1
    if skipped:
        _warn(f"--resume: skipped {skipped} of {len(jobs)} inputs already done", args.quiet)
    if failed and len(jobs) > 1:
        _warn(f"{failed} of {len(jobs)} inputs had errors", args.quiet)
    return 1 if failed or session.failures else 0


def _run_files(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
               args: argparse.Namespace) -> Iterator[bool]:
    """Clean text files and pages (in worker processes with --jobs N) and WARC files
    (in this process), writing each output in input order; whether each went well."""
    batch: list[Job] = []
    for job in [*jobs, None]:
        if job is not None and job_kind(job, args) != "warc":
            batch.append(job)
            continue
        if batch:
            yield from _run_documents(batch, outputs, pipeline, args)
            batch = []
        if job is not None:
            before = args.session.failures
            ok = _run_warc(job, outputs.get(job), pipeline, args)
            args.progress.update(1)
            yield ok and args.session.failures == before


def _run_documents(jobs: list[Job], outputs: dict[Job, Path], pipeline: Pipeline,
                   args: argparse.Namespace) -> Iterator[bool]:
    """Text files and pages, one task each; outputs written here, in input order."""
    session: Session = args.session
    # stdin cannot be read in a worker: it is read here, when its turn comes.
    tasks = ((job, job_kind(job, args), _read_stdin() if job.path is None else None)
             for job in jobs)
    from concurrent.futures import BrokenExecutor

    results = _map(_file_task, tasks, pipeline, CleanOptions.from_args(args), args.jobs)
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
            _replay(events, job, None, job.label, args)
            if payload is not None:
                _write_output(job, outputs.get(job), payload, args)
            args.progress.update(1)
            yield session.failures == before
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _read_stdin() -> bytes:
    return Job("-", None, None).read()


def _write_output(job: Job, dest: Path | None, payload: bytes, args: argparse.Namespace) -> None:
    if dest is None:
        write_stdout(payload)
        return
    try:
        write_atomic(dest, payload)
    except OSError as exc:
        args.session.fail(job, f"cannot write ({_os_reason(exc)})", kind="output", where=str(dest))


def _run_jsonl(job: Job, dest: Path | None, pipeline: Pipeline, args: argparse.Namespace) -> bool:
    """One JSON Lines input, streamed record by record to stdout or ``dest``; whether
    all went well. A file that cannot be read leaves no output."""
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
            with open_sink(dest) as write:
                clean_jsonl(job, jsonl_lines(job, stream, args), write, pipeline, args)
    except InputError as exc:
        session.fail(job, str(exc), kind="input")
    except BrokenExecutor as exc:  # a worker was killed (out of memory, a signal)
        session.fail(job, f"a worker process died ({exc})", kind="input")
    except BrokenPipeError:
        raise
    except OSError as exc:
        session.fail(job, f"cannot write ({_os_reason(exc)})", kind="output", where=str(dest))
    return session.failures == before


def _run_warc(job: Job, dest: Path | None, pipeline: Pipeline, args: argparse.Namespace) -> bool:
    """One WARC input, streamed to stdout or ``dest``; whether all went well."""
    if job.path is not None and not job.path.is_file():
        args.session.fail(job, _os_reason(FileNotFoundError() if not job.path.exists()
                                          else IsADirectoryError()), kind="input")
        return False
    try:
        with open_sink(dest) as write:
            return clean_warc(job, write, pipeline, args)
    except InputError as exc:
        args.session.fail(job, str(exc), kind="input")
        return False
    except OSError as exc:
        args.session.fail(job, f"cannot write ({_os_reason(exc)})", kind="output", where=str(dest))
        return False


# --- progress bar ------------------------------------------------------------

#: Seconds before the bar first shows: short runs get none.
PROGRESS_DELAY = 1.0
_bar: Any = None  # the bar being shown, if any: messages on stderr are written above it


def show_progress(stream: Any, quiet: bool) -> bool:
    """Whether to draw a progress bar on ``stream``: only for a person watching a
    terminal, and never with --quiet."""
    if quiet:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass


@contextlib.contextmanager
def progress_bar(args: argparse.Namespace, *, unit: str, total: int | None) -> Iterator[Any]:
    """A tqdm bar on stderr counting ``unit``s (when :func:`show_progress`), else a no-op."""
    global _bar
    stream = sys.stderr
    if not show_progress(stream, args.quiet):
        yield _NoBar()
        return
    try:
        from tqdm import tqdm  # only here: `import boilercut` and quiet runs never load it
    except ImportError:  # a dependency, but a bar is not worth failing a run for
        yield _NoBar()
        return

    tqdm.monitor_interval = 0  # no monitor thread (worker processes are forked)
    bar = tqdm(total=total, unit=unit, file=stream, delay=PROGRESS_DELAY, mininterval=0.5,
               dynamic_ncols=True, leave=True)
    _bar = bar
    try:
        yield bar
    finally:
        _bar = None
        bar.close()


def _stderr(text: str) -> None:
    """Write whole lines to stderr, above the progress bar if one is shown."""
    bar = _bar
    if bar is None:
        sys.stderr.write(text)
        return
    bar.clear()
    sys.stderr.write(text)
    sys.stderr.flush()
    bar.refresh()



def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: argparse has printed them
        return exc.code if isinstance(exc.code, int) else 2
    if args.list_filters:
        return list_filters()
    try:
        if args.field is not None and not args.jsonl:
            raise UsageError("--field only applies with --jsonl")
        if args.warc and (args.jsonl or args.html):
            raise UsageError("--warc does not combine with --jsonl or --html")
        args.field = ("html" if args.html else "text") if args.field is None else args.field
        check_options(args)
        pipeline = build_pipeline(args)
        mode = "warc" if args.warc else "html" if args.html and not args.jsonl else "text"
        jobs = discover(args.paths, args.glob or DEFAULT_GLOBS[mode], args.quiet)
        if args.output is not None and args.allow_output_inside:
            out = Path(args.output).resolve()
            jobs = [job for job in jobs if job.path is None or job.source in args.paths
                    or not job.path.resolve().is_relative_to(out)]
        kinds = {job_kind(job, args) for job in jobs}
        require_extras(kinds | ({"html-jsonl"} if args.jsonl and args.html else set()))
        outputs = plan_outputs(jobs, args)
        check_errors_to(args, jobs, outputs)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    args.session = Session(quiet=args.quiet, collect=args.errors_to is not None)
    try:
        with _terminate_cleanly():
            return run(jobs, outputs, pipeline, args)
    except BrokenPipeError:  # e.g. `boilercut big/ | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def check_options(args: argparse.Namespace) -> None:
    """Usage errors in --encoding, --timeout-per-doc, --resume, --jobs (0 becomes the
    number of cores)."""
    try:
        check_encoding(args.encoding)
    except LookupError:
        raise UsageError(f"unknown text encoding {args.encoding!r} for --encoding") from None
    if args.timeout_per_doc is not None and not args.timeout_per_doc > 0:
        raise UsageError("--timeout-per-doc must be a positive number of seconds")
    if args.resume and args.output is None:
        raise UsageError("--resume needs -o (it skips inputs whose output exists)")
    if args.jobs < 0:
        raise UsageError(f"--jobs must be 0 (one per core) or a positive number, not {args.jobs}")
    from boilercut.batch import resolve_jobs

    args.jobs = resolve_jobs(args.jobs)


def check_errors_to(args: argparse.Namespace, jobs: list[Job], outputs: dict[Job, Path]) -> None:
    """--errors-to must not be an input or an output."""
    if args.errors_to is None:
        return
    target = Path(args.errors_to).resolve()
    for job in jobs:
        if job.path is not None and job.path.resolve() == target:
            raise UsageError(f"--errors-to {args.errors_to} is the input {job.source}")
    for dest in outputs.values():
        if dest.resolve() == target:
            raise UsageError(f"--errors-to {args.errors_to} is also an output")


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C: the output being written is discarded (its
    temporary file removed), the ones already written stay. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report(source: str, reason: str) -> None:
    _stderr(f"{PROG}: {source}: {reason}\n")


def _warn(message: str, quiet: bool) -> None:
    if not quiet:
        _stderr(f"{PROG}: {message}\n")


def _os_reason(exc: Exception) -> str:
    """A short lower-case reason for a failed read or write."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return (getattr(exc, "strerror", None) or str(exc)).lower()
