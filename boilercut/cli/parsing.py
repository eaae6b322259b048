"""The command line's options, its --help text, and the pipeline they ask for."""

from __future__ import annotations

import argparse
import re

from boilercut import Pipeline, ProfileError, __version__
from boilercut.cli.compression import MAX_RECORD_BYTES
from boilercut.cli.outcomes import MAX_LINES, MAX_PAGE_BYTES
from boilercut.cli.report import PROG, UsageError
from boilercut.encoding import DECODE_ERRORS, check_encoding
from boilercut.pipeline import FORMATS, MAX_TIMEOUT, available_filters

EPILOG = """\
output:
  text   the cleaned body followed by one newline; an input that cleans to
         nothing (e.g. an empty or whitespace-only file) gives an empty line.
         When several inputs go to stdout, each body starts with a header
         line "==> NAME <==" (a blank line before each but the first), as
         head(1) writes them.
  json   the whole result (body, metadata, removals) plus "source" (the path,
         or "-" for stdin): one compact JSON object per input and line.
  --jsonl  (or a file named *.jsonl or *.ndjson) input and output are JSON
         Lines, whatever --format says: every good
         record is written back with a "boilercut" object {body, metadata,
         removals} added, in input order; blank lines are skipped, bad lines
         reported with their line number; when none of the first 3 records
         has --field, the input fails once, naming the fields there. NaN and
         Infinity are written as null (with a warning); a record that already
         has a "boilercut" field is refused, not overwritten. With
         --html the field holds a page's HTML (and a string "url" field, if
         any, is its URL).
  --warc   output is JSON Lines, whatever --format says: one object per HTML
         response, {"source", "url", "record_id", "date", "boilercut"}, in
         file order. Other records are counted and skipped; a summary line per
         file goes to stderr.

markdown:
  Text files and JSON Lines fields may hold markdown (crawl4ai, Firecrawl, Jina
  Reader): --input-format auto (the default) tells it from plain text per
  document, by its links, fences and tables; --input-format markdown or text
  says which. Markdown is judged by the text a reader sees and comes back
  verbatim; --format json says "format": "markdown".

html:
  --html, or a file named *.html, *.htm or *.xhtml, is a web page: trafilatura
  (pip install 'boilercut[html]') finds its main text and metadata, boilercut
  cleans the text; --format json adds metadata.page, .merged and .sources.
  The charset comes from a BOM, valid UTF-8, the page's declaration or
  detection, in that order; a declaration whose text is implausible (EBCDIC
  cp500, say: no "<" and many control characters) is ignored.

warc:
  --warc, or a file named *.warc or *.warc.gz, is a WARC file (pip install
  'boilercut[warc]'). Responses with a 2xx status and an HTML content type are
  cleaned as pages; request, revisit, warcinfo and metadata records, other
  content types and statuses are skipped. A response whose HTTP status line or
  payload cannot be read is an error (reported with its record id), and so is
  a truncated or corrupt file: the records before the damage are kept.

parquet:
  --parquet, or a file named *.parquet, is a Parquet file (pip install
  'boilercut[arrow]'): its --field column (default text) is cleaned row group
  by row group and written to the Parquet file -o names (or, under a -o
  directory, one of the same name), with every input column and then body,
  title, authors, emails, captions, credits, dates, removals (JSON) and error,
  as boilercut.batch.clean_arrow adds them. A row that cannot be cleaned (a
  null, a failing filter) is reported with its row number and gets its reason
  in error; --strict, --explain and --timeout-per-doc do not apply.

-o/--output:
  With one input file or stdin, -o names the output file. With several inputs
  or a directory input (or when -o is an existing directory), -o is a
  directory: each output goes to the input's path relative to the directory
  given on the command line (a loose file: its name), with a .json suffix for
  --format json, compressed as the input was. An output whose name ends in
  .gz, .bz2, .xz or .zst is written compressed. Outputs are written
  atomically and never over an input; a FIFO or device (-o /dev/stdout) is
  written directly, not replaced.
  --glob selects files inside directories only; files named on the command
  line are always read. -o may not lie inside an input directory unless
  --allow-output-inside is given (files under -o are then not read as inputs).
  A run stopped by Ctrl-C, SIGTERM or SIGHUP removes the output it was
  writing, stops its workers and exits 128 + the signal (130 for Ctrl-C);
  only SIGKILL can leave a temporary .NAME.PID.*.tmp file beside the outputs,
  and the next run writing NAME removes it (or continues it, see --resume).

input:
  Text and JSON Lines: --encoding auto (the default) decodes by the byte-order
  mark (UTF-8, UTF-16, UTF-32; the BOM is dropped), else as UTF-8; or name a
  codec (utf-8, utf-16, latin-1, cp1252, ...). With --errors strict (the
  default) a file that does not decode is reported, never cleaned half-way;
  --errors replace decodes bad bytes as U+FFFD and says so (a warning, and
  "errors" in the JSON result). A file with NUL bytes in its first 8 KiB is
  binary (unless decoded as UTF-16/32) and is reported; JSON Lines are judged
  per record (a record with a NUL byte is a bad line), binary only when no
  line of the first 8 KiB is a JSON object. HTML pages follow
  their own charset rules (--encoding, if given, is tried as the transport
  charset). A file named *.gz, *.bz2, *.xz or *.zst is decompressed as it is
  read (zstd: pip install 'boilercut[zstd]'), and so is stdin when its first
  bytes are one of these formats'; a name such as crawl.jsonl.gz says the
  kind without the compression suffix.
  In directories, --glob defaults to *.txt, with --html to *.html, *.htm and
  *.xhtml, with --warc to *.warc, with --jsonl to *.jsonl and *.ndjson, with
  --parquet to *.parquet, each compressed or not. A directory where nothing
  matches is an error that says which option takes the files it holds.

profile:
  The pipeline comes from --profile FILE, else from the nearest boilercut.toml,
  or pyproject.toml with a [tool.boilercut] table, in the current directory or
  a directory above it (--no-config: the built-in pipeline). Of a
  pyproject.toml only [tool.boilercut] is read. --explain and --list-filters
  name the file used.

faults:
  A filter that raises, returns something invalid, or runs past
  --timeout-per-doc is reported with its name and the input (file, and JSONL
  line number); the document is written uncleaned with the fault in its JSON
  result ("errors"), and the exit status is 1. With --strict the run stops
  there instead (outputs already written are kept, and so are the records
  of a JSON Lines or WARC output before the failing one). --errors-to FILE
  collects every failure as JSON lines {"source", "line", "kind", "error",
  "filter", "raw"}: bad JSONL lines keep their text verbatim in "raw" (or, if
  it is not UTF-8, its bytes in "raw_base64"). Each is written as it happens
  (in place, flushed), none kept in memory.
  --max-record-bytes (default 64M) caps what one record (a text file, a page,
  a JSON Lines line, a WARC payload) may hold once decompressed: input is
  decompressed as it is read and the reading stops past the cap, so a
  decompression bomb or a padded page is one error and the run goes on.
  --max-page-bytes (default 8M) caps one HTML page (trafilatura's extraction
  takes about 60x a page's size in memory) and --max-lines (default 100000)
  the lines of one document; past them the document is one error.

--jobs:
  --jobs N cleans in N worker processes (0: one per core), each given the
  pipeline once; the output is the same, byte for byte, as with --jobs 1 (the
  default, all in this process). JSON Lines records go to the workers in
  chunks and come back in input order; files go one per task, each output
  written in input order; WARC files are cleaned in this process. Messages,
  --errors-to records and --strict stop at the same record as with one process.
  Parquet row groups go to the workers one per task. JSON Lines are read and
  written record by record (stdin too), so memory stays flat however large
  the input; JSONL in UTF-16/32 or a non-UTF-8 --encoding is decoded whole
  first.

progress:
  When stderr is a terminal, a progress bar (records when every input is JSON
  Lines, else files)
  shows after a second; --quiet, or stderr not a terminal, turns it off.

--resume:
  Outputs are written atomically, so an output that exists is complete:
  inputs whose output exists are skipped. Needs -o. A JSON Lines output that
  a killed run (SIGKILL, a crash) left unfinished is continued: its complete
  records (each handed to the kernel as it is written, synced to disk every
  5 s) are checked against the input, in order, a torn last line is dropped,
  and cleaning goes on after the input line of the last one. Failures before
  that point were reported by the killed run; --errors-to is added to, not
  emptied. Compressed JSON Lines outputs (.gz, ...) start over.

site profiles:
  `boilercut learn PATH... -o profiles.json` learns which lines repeat on each
  site (`boilercut learn --help`); --site-profiles profiles.json then also
  removes, from each document, the lines seen on at least half of its site's
  other pages (reason "seen on K of N pages of this site"), and --format json
  and JSON Lines results say what the profile could tell ("site"). A record's
  site is the host of its "url" field (--group-by url, the default: host
  without "www.") or the value of the field --group-by names; a text file's,
  its folder under the directory given. --learn-sites does both in one
  command, reading the inputs twice (the profiles stay in memory, the inputs
  are streamed). A file named "learn" is given as ./learn.

exit status:
  0 all inputs cleaned; 1 some input (or JSONL, WARC or Parquet record) failed,
  a WARC file was damaged or a directory had no matching file, the others were
  still processed; 2 usage error (bad option, bad profile, unsafe -o, an input
  or output kind without its extra).
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the output rules in the --help epilog."""
    parser = argparse.ArgumentParser(
        prog=PROG, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Clean article text left by web scrapers; the cleaned body goes to stdout.")
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH",
        help="files or directories to clean (compressed with gzip, bz2, xz or zstd too); "
             "none or '-' reads stdin")
    add("-o", "--output", metavar="PATH",
        help="output file (compressed when it ends in .gz, .bz2, .xz or .zst), or "
             "directory for several inputs (see below)")
    add("--glob", metavar="PATTERN",
        help="files to take from directories, searched recursively (default: *.txt; "
             "with --html *.html, *.htm and *.xhtml; with --warc *.warc; with --jsonl "
             "*.jsonl and *.ndjson; with --parquet *.parquet; compressed or not)")
    add("--format", choices=("text", "json"), default="text",
        help="write the body only, or the whole result as JSON (default: %(default)s)")
    add("--jsonl", action="store_true",
        help="inputs are JSON Lines (the default for *.jsonl and *.ndjson): clean each "
             "record's --field")
    add("--field", metavar="NAME",
        help="with --jsonl or --parquet, the field or column holding the text (default: text; "
             "with --html: html)")
    add("--html", action="store_true",
        help="inputs are HTML pages (the default for *.html, *.htm and *.xhtml files); "
             "needs boilercut[html]")
    add("--parquet", action="store_true",
        help="inputs are Parquet files (the default for *.parquet): clean the --field column, "
             "row group by row group, to a Parquet file (-o) with every column and "
             "boilercut's; needs boilercut[arrow]")
    add("--warc", action="store_true",
        help="inputs are WARC files (the default for *.warc and *.warc.gz): clean every HTML "
             "response, one JSON line each; needs boilercut[warc] (warcio and trafilatura)")
    add("--input-format", choices=FORMATS, default="auto",
        help="text inputs and JSONL fields are plain text or markdown (see below); auto, the "
             "default, tells them apart per document")
    add("--explain", action="store_true",
        help="list each input's removals on stderr")
    add("--verbose", action="store_true",
        help="with --explain: also list the lines a rule proposed to remove and the line "
             "model kept ('kept ...')")
    add("--profile", metavar="FILE",
        help="build the pipeline from a TOML profile (or pyproject.toml [tool.boilercut]); "
             "default: the nearest boilercut.toml or pyproject.toml with [tool.boilercut] "
             "from the current directory up")
    add("--no-config", action="store_true",
        help="do not look for boilercut.toml or pyproject.toml: the built-in pipeline")
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
        help="time budget of each document, at most 86400 (a day): a page's extraction "
             "(trafilatura) and the filters; a filter over it is a filter fault, an "
             "extraction over it fails the page")
    add("--max-record-bytes", metavar="SIZE", default=str(MAX_RECORD_BYTES),
        help="the most one record (a file, a page, a JSON Lines line, a WARC payload) may "
             "hold once decompressed; bytes, or with a K, M or G suffix (KiB, MiB, GiB); a "
             "record over it is an error and the run goes on (default: 64M)")
    add("--max-page-bytes", metavar="SIZE", default=str(MAX_PAGE_BYTES),
        help="the most one HTML page may hold (its extraction takes about 60x that in "
             "memory); K, M or G suffixes as for --max-record-bytes; a page over it is an "
             "error and the run goes on (default: 8M)")
    add("--max-lines", metavar="N", type=int, default=MAX_LINES,
        help="the most lines one document may have (each costs up to about 3 KB while it "
             "is cleaned); a document over it is an error and the run goes on "
             "(default: %(default)s)")
    add("--resume", action="store_true",
        help="skip inputs whose output already exists (outputs are written atomically) and "
             "continue the JSON Lines outputs a killed run left unfinished; needs -o")
    add("-j", "--jobs", metavar="N", type=int, default=1,
        help="clean in N worker processes, 0 for one per core (default: 1, this process "
             "only); outputs keep the input order")
    add("--site-profiles", metavar="FILE",
        help="also remove what repeats on each document's site, by the profiles "
             "`boilercut learn` wrote to FILE (text files and JSON Lines)")
    add("--learn-sites", action="store_true",
        help="two passes: learn the site profiles from the inputs, then clean them with "
             "those (files, not stdin)")
    add("--group-by", metavar="url|FIELD",
        help="with --site-profiles or --learn-sites: a JSON Lines record's site is the host "
             "of its url (the default) or the value of FIELD")
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


def find_profile(args: argparse.Namespace) -> str | None:
    """The profile the run uses: --profile, else (unless --no-config) the configuration
    found from the current directory up, else None (the built-in pipeline)."""
    if args.profile is not None or args.no_config:
        return args.profile
    from boilercut.profiles import find_config

    try:
        found = find_config()
    except ProfileError as exc:
        raise UsageError(f"{exc} (--no-config skips it)") from None
    return None if found is None else str(found)


def list_filters(profile: str | None) -> int:
    """Print each filter's name and description, then the profile the run would use."""
    filters = available_filters()
    width = max(map(len, filters), default=0)
    for name, description in filters.items():
        print(f"{name:<{width}}  {description}".rstrip())
    print(f"profile: {profile or 'none (the built-in pipeline)'}")
    return 0


_SIZE = re.compile(r"\s*(\d+)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str, option: str = "--max-record-bytes") -> int:
    """A size option: a number of bytes, or of KiB, MiB or GiB by a K, M or G suffix."""
    match = _SIZE.fullmatch(text)
    value = int(match.group(1)) * 1024 ** " kmg".index(match.group(2).lower() or " ") if match else 0
    if not 0 < value <= 2**62:
        raise UsageError(f"{option} must be a size above 0 such as 1000000, 512K, "
                         f"64M or 2G, not {text!r}")
    return value


def check_options(args: argparse.Namespace) -> None:
    """Usage errors in --encoding, --timeout-per-doc, --max-record-bytes (made a number),
    --resume, --jobs (0 becomes the number of cores)."""
    try:
        check_encoding(args.encoding)
    except LookupError:
        raise UsageError(f"unknown text encoding {args.encoding!r} for --encoding") from None
    if args.timeout_per_doc is not None and not 0 < args.timeout_per_doc <= MAX_TIMEOUT:
        raise UsageError(f"--timeout-per-doc must be a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g} (a day), not {args.timeout_per_doc:g}")
    args.max_record_bytes = parse_size(args.max_record_bytes)
    args.max_page_bytes = parse_size(args.max_page_bytes, "--max-page-bytes")
    if args.max_lines < 1:
        raise UsageError(f"--max-lines must be 1 or more, not {args.max_lines}")
    if args.input_format != "auto" and (args.html or args.warc or args.parquet):
        raise UsageError("--input-format applies to text and JSON Lines inputs, not to "
                         "--html, --warc or --parquet")
    if args.resume and args.output is None:
        raise UsageError("--resume needs -o (it skips inputs whose output exists)")
    if args.jobs < 0:
        raise UsageError(f"--jobs must be 0 (one per core) or a positive number, not {args.jobs}")
    from boilercut.batch import resolve_jobs

    args.jobs = resolve_jobs(args.jobs)
