"""Site profiles on the command line: ``boilercut learn``, and the sites of the documents
that ``--site-profiles`` and ``--learn-sites`` clean.

A document's site (see :mod:`boilercut.sites`): for a JSON Lines record, by
``--group-by``: ``url`` (the default) is the host of its "url" field, any other
name the value of that field. For a text file, its folder relative to the
directory named on the command line (``crawl/example.com/a.txt`` given as
``crawl``: ``example.com``); text files named one by one are one site, ``.``.
Inputs are read as they are cleaned, record by record: learning holds the
profiles only (bounded per site, see :mod:`boilercut.sites`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator

from boilercut.cli.discovery import Job, discover, job_kind
from boilercut.cli.jsonl import jsonl_lines
from boilercut.cli.compression import MAX_RECORD_BYTES, too_large
from boilercut.cli.outcomes import MAX_LINES, MAX_PAGE_BYTES, CleanOptions, Oversized, decode_text
from boilercut.cli.parsing import parse_size
from boilercut.cli.report import PROG, InputError, Session, UsageError
from boilercut.encoding import DECODE_ERRORS
from boilercut.sites import SiteProfileError, SiteProfiles, record_site

#: The kinds of input that site profiles apply to.
SITE_KINDS = {"text", "jsonl"}
#: Lines shown per site by ``--show`` when no number is given.
SHOW = 10

LEARN_EPILOG = """\
Each site's profile counts, for every line (case folded, digits masked,
whitespace collapsed), on how many of the site's documents it is. Cleaning
with the profiles (boilercut --site-profiles FILE) removes the lines seen on
at least half of a site's other pages (a prose line inside the article: 60%),
for sites of at least 2 other pages. The file is JSON, format
"boilercut-site-profiles" version 1; its "allow" and "deny" lists per site
may be edited by hand (lines never / always removed). See the README.

site:
  JSON Lines: --group-by url (the default) takes the host of the record's
  "url" field, without "www."; --group-by FIELD takes the value of FIELD.
  Text files: their folder relative to the directory given (crawl/site/a.txt
  given as crawl: "site"); files named one by one are one site.
"""


def documents(jobs: list[Job], args: argparse.Namespace, session: Session | None) -> Iterator[
        tuple[str | None, str]]:
    """``(site, text)`` of every document of the inputs, read as it goes. An input that
    cannot be read is reported to ``session`` (None: skipped quietly, as when the
    cleaning pass that follows reports it); records without text are skipped."""
    options = CleanOptions.from_args(args)
    if session is None:  # decode warnings too are the cleaning pass's to give
        args = argparse.Namespace(**{**vars(args), "session": Session(quiet=True)})
    for job in jobs:
        try:
            if job_kind(job, args) == "jsonl":
                with job.open() as stream:
                    for number, _, raw in jsonl_lines(job, stream, args):
                        if isinstance(raw, Oversized):
                            if session is not None:
                                session.fail(job, f"line {number}: {too_large(args.max_record_bytes)}",
                                             kind="input")
                            continue
                        record = _record(raw)
                        if record is not None and isinstance(record.get(args.field), str):
                            yield record_site(record, args.group_by), record[args.field]
            else:
                yield job.site, decode_text(job.read(options.max_record_bytes), options)[0]
        except InputError as exc:
            if session is not None:
                session.fail(job, str(exc), kind="input")


def _record(raw: bytes | str) -> dict | None:
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def learn_profiles(jobs: list[Job], args: argparse.Namespace,
                   session: Session | None) -> SiteProfiles:
    """The profiles of every site of the inputs."""
    profiles = SiteProfiles()
    for site, text in documents(jobs, args, session):
        if site:
            profiles.add(site, text)
    return profiles


def site_jobs(args: argparse.Namespace, jobs: list[Job]) -> None:
    """Usage errors of --site-profiles, --learn-sites and --group-by; sets ``args.sites``
    (the profiles to clean with, learned here for --learn-sites) or None."""
    args.sites = None
    if args.site_profiles is None and not args.learn_sites:
        if args.group_by is not None:
            raise UsageError("--group-by needs --site-profiles or --learn-sites")
        return
    if args.site_profiles is not None and args.learn_sites:
        raise UsageError("--site-profiles and --learn-sites do not combine")
    args.group_by = args.group_by or "url"
    kinds = {job_kind(job, args) for job in jobs}
    if args.learn_sites and (args.html or kinds - SITE_KINDS):
        raise UsageError("--learn-sites reads text files and JSON Lines only (not HTML, "
                         "WARC or Parquet)")
    if args.html or kinds - SITE_KINDS - {"parquet"}:
        raise UsageError("--site-profiles cleans text files, JSON Lines and Parquet only "
                         "(not HTML or WARC)")
    if args.learn_sites:
        if any(job.path is None for job in jobs):
            raise UsageError("--learn-sites reads its inputs twice: give files, not stdin")
        args.sites = learn_profiles(jobs, args, None)
        return
    try:
        args.sites = SiteProfiles.load(args.site_profiles)
    except SiteProfileError as exc:
        raise UsageError(str(exc)) from None


def build_learn_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} learn", epilog=LEARN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Learn each site's repeated lines (its template) from its pages, for "
                    "cleaning with --site-profiles.")
    add = parser.add_argument
    add("paths", nargs="*", metavar="PATH",
        help="text files, JSON Lines files, or directories of them; none or '-' reads stdin")
    add("-o", "--output", metavar="FILE", help="write the profiles to FILE (JSON)")
    add("--show", nargs="?", const=SHOW, type=int, metavar="N",
        help=f"print each site's N most repeated lines with their counts (default {SHOW})")
    add("--jsonl", action="store_true",
        help="inputs are JSON Lines (the default for *.jsonl and *.ndjson)")
    add("--field", metavar="NAME", default="text",
        help="the JSON Lines field holding the text (default: %(default)s)")
    add("--group-by", metavar="url|FIELD", default="url",
        help="a record's site: the host of its url (default) or the value of FIELD")
    add("--glob", metavar="PATTERN",
        help="files to take from directories (default: *.txt; with --jsonl *.jsonl, *.ndjson)")
    add("--encoding", metavar="NAME", default="auto", help="text encoding (default: auto)")
    add("--errors", choices=DECODE_ERRORS, default="strict",
        help="undecodable bytes: report the input, or replace them (default: strict)")
    add("--max-record-bytes", metavar="SIZE", default=str(MAX_RECORD_BYTES),
        help="the most one record (a file, a JSON Lines line) may hold once decompressed, "
             "with a K, M or G suffix as in cleaning; a longer one is reported and not "
             "learned from (default: 64M)")
    add("--quiet", action="store_true", help="no warnings")
    parser.set_defaults(html=False, parquet=False, warc=False, format="text", strict=False,
                        timeout_per_doc=None, explain=False, verbose=False,
                        max_lines=MAX_LINES, max_page_bytes=MAX_PAGE_BYTES)
    return parser


def learn_main(argv: list[str]) -> int:
    """``boilercut learn``: the exit status (0 ok, 1 an input failed, 2 usage error)."""
    parser = build_learn_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.output is None and args.show is None:
            raise UsageError("nothing to do: give -o FILE, --show, or both")
        args.max_record_bytes = parse_size(args.max_record_bytes)
        jobs, unmatched = discover(args.paths, args.glob, "jsonl" if args.jsonl else "text")
        if {job_kind(job, args) for job in jobs} - SITE_KINDS:
            raise UsageError("learn reads text files and JSON Lines only")
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{PROG} learn: error: {exc}", file=sys.stderr)
        return 2
    session = args.session = Session(quiet=args.quiet)
    for directory, reason in unmatched:
        session.fail(directory, reason, kind="input")
    profiles = learn_profiles(jobs, args, session)
    if args.output is not None:
        try:
            profiles.save(args.output)
        except OSError as exc:
            session.fail(None, f"cannot write ({exc.strerror or exc})", kind="output",
                         where=args.output)
    if args.show is not None:
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.write(show(profiles, args.show))
            sys.stdout.flush()
    return 1 if session.failures else 0


def show(profiles: SiteProfiles, n: int) -> str:
    """Each site's ``n`` most repeated lines (seen on at least two pages) with their counts."""
    out = []
    for site in profiles:
        profile = profiles.sites[site]
        out.append(f"==> {site}: {profile.documents} pages <==\n")
        width = len(str(profile.documents))
        out.extend(f"{count:>{width}}  {text}\n" for count, text in profile.top(n) if count > 1)
    return "".join(out)
