"""Inputs: the files named on the command line or found in directories, how each
is read (text, page, JSON Lines, WARC), and where its output goes under -o."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from boilercut.cli.compression import open_decompressed, read_capped, split_suffix
from boilercut.cli.report import InputError, UsageError, os_reason

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
# The name endings of each kind of input: they make a file named on the command
# line a page, a WARC or a JSONL file, and they pick the files of a directory when
# --glob is not given. A compressed file is named by its kind, then its
# compression: crawl.jsonl.gz, page.html.zst.
KIND_SUFFIXES = {"text": (".txt",), "html": HTML_SUFFIXES, "warc": WARC_SUFFIXES,
                 "jsonl": JSONL_SUFFIXES, "parquet": PARQUET_SUFFIXES}


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

    @property
    def site(self) -> str:
        """A text file's site, for site profiles: its folder relative to the directory
        named on the command line (files named one by one: ".")."""
        return self.rel.parent.as_posix() if self.rel is not None else "."

    def read(self, limit: int) -> bytes:
        """The input's bytes, decompressed as they are read if compressed (see
        :mod:`.compression`); raises InputError when it cannot be read or passes
        ``limit`` bytes."""
        stream = self.open()
        try:
            return read_capped(stream, limit)
        except OSError as exc:
            raise InputError(os_reason(exc)) from None
        finally:
            if self.path is not None:
                stream.close()

    def open(self, leave: tuple[str, ...] = ()) -> IO[bytes]:
        """The input as a binary stream, decompressed as it is read unless compressed in
        a format in ``leave`` (stdin's is not to be closed); raises InputError."""
        try:
            stream = sys.stdin.buffer if self.path is None else self.path.open("rb")
        except OSError as exc:
            raise InputError(os_reason(exc)) from None
        try:
            name = None if self.path is None else self.path.name
            return open_decompressed(stream, name, leave, owned=self.path is not None)
        except BaseException as exc:
            if self.path is not None:
                stream.close()
            if isinstance(exc, OSError):
                raise InputError(os_reason(exc)) from None
            raise


def discover(paths: list[str], glob: str | None,
             mode: str) -> tuple[list[Job], list[tuple[Job, str]]]:
    """Jobs for the command-line paths: '-' is stdin, directories are searched
    recursively for ``glob``, else for files of the kind ``mode`` by their name
    (compressed or not). Also each directory where nothing matched, with the reason
    and a hint at the option that takes the files it holds."""
    jobs, unmatched = [], []
    for given in paths or ["-"]:
        if given == "-":
            jobs.append(Job("-", None, None))
            continue
        path = Path(given)
        if not _is_dir(path):
            jobs.append(Job(given, path, Path(path.name)))
            continue
        if glob is not None:
            try:
                found = sorted(p for p in path.rglob(glob) if p.is_file())
            except (ValueError, NotImplementedError) as exc:  # "", "/abs", "a/**b"
                raise UsageError(f"bad --glob pattern {glob!r}: {exc}") from None
        else:
            found = sorted(p for p in path.rglob("*") if name_kind(p.name, None) == mode
                           and p.is_file())
        unmatched.extend((Job(str(sub), sub, None), f"cannot list this directory "
                          f"({reason}); its files were not cleaned") for sub, reason in
                         _unreadable(path))
        if not found:
            shown = repr(glob) if glob is not None else " or ".join(
                f"'*{suffix}'" for suffix in KIND_SUFFIXES[mode])
            unmatched.append((Job(given, path, None),
                              f"no files match {shown}; {_what_is_there(path, mode)}"))
        jobs.extend(Job(str(p), p, p.relative_to(path)) for p in found)
    if sum(job.path is None for job in jobs) > 1:
        raise UsageError("stdin ('-') given more than once")
    return jobs, unmatched


def _is_dir(path: Path) -> bool:
    """Whether ``path`` is a directory; a path that cannot be looked at (an unreadable
    parent) is not, and reading it as a file reports why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _unreadable(top: Path) -> list[tuple[Path, str]]:
    """The directories under ``top`` (and ``top`` itself) that cannot be listed:
    Path.rglob skips them without a word."""
    failed: list[tuple[Path, str]] = []
    for _ in os.walk(top, onerror=lambda exc: failed.append((Path(exc.filename), os_reason(exc)))):
        pass
    return failed


#: The option that reads each kind of file, for hints.
KIND_OPTIONS = {"html": ("HTML", "--html"), "warc": ("WARC", "--warc"),
                "jsonl": ("JSON Lines", "--jsonl"), "parquet": ("Parquet", "--parquet")}


def _what_is_there(directory: Path, mode: str) -> str:
    """What a directory holds, by kind, with the option that takes each kind."""
    counts: dict[str, int] = {}
    for p in directory.rglob("*"):
        if p.is_file():
            kind = name_kind(p.name, None)
            kind = kind if kind in KIND_OPTIONS and kind != mode else "other"
            counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return "the directory holds no files"
    parts = [f"{counts[kind]} {what} file{'s' * (counts[kind] > 1)} (use {option})"
             for kind, (what, option) in KIND_OPTIONS.items() if kind in counts]
    if "other" in counts:
        n = counts["other"]
        parts.append(f"{n} other file{'s' * (n > 1)} (--glob PATTERN picks files)")
    return "it holds " + ", ".join(parts)


def plan_outputs(jobs: list[Job], args: argparse.Namespace) -> dict[Job, Path]:
    """Each job's output file under -o (empty: all to stdout); refuses unsafe outputs
    and an -o that cannot be looked at (an unreadable parent directory)."""
    if args.output is None:
        return {}
    try:
        return _plan_outputs(jobs, Path(args.output), args)
    except OSError as exc:
        raise UsageError(f"cannot use output {args.output} ({os_reason(exc)})") from None


def _plan_outputs(jobs: list[Job], out: Path, args: argparse.Namespace) -> dict[Job, Path]:
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
    """How an input is read: "jsonl", "parquet", "warc", "html" (by option, else by file
    name) or "text"; a JSON Lines file stays one with --html (its field holds pages)."""
    if args.jsonl:
        return "jsonl"
    if args.parquet:
        return "parquet"
    if args.warc:
        return "warc"
    kind = "text" if job.path is None else name_kind(job.path.name, "text")
    return "html" if args.html and kind == "text" else kind


def name_kind(name: str, default: str | None) -> str | None:
    """The kind of input a file name says ("jsonl", "parquet", "warc", "html", "text"), its
    compression suffix aside; ``default`` for a name that says none."""
    base = split_suffix(name)[0].lower()
    for kind, suffixes in KIND_SUFFIXES.items():
        if base.endswith(suffixes):
            return kind
    return default


def output_name(rel: Path, kind: str, args: argparse.Namespace) -> Path:
    """An input's output name under a -o directory: .json for --format json, a page's
    text as .txt, a WARC file's records as .jsonl; JSONL, Parquet and text keep their names.
    The output is compressed as the input was (a WARC file's records are not)."""
    base, compression = split_suffix(rel.name)
    if kind == "warc":
        stem = base[:-len(".warc")] if base.lower().endswith(".warc") else base
        return rel.with_name(stem + ".jsonl")
    rel = rel.with_name(base)
    if kind not in ("jsonl", "parquet"):
        if args.format == "json":
            rel = rel.with_suffix(".json")
        elif kind == "html":
            rel = rel.with_suffix(".txt")
    return rel.with_name(rel.name + compression)


#: What each extra brings, for the hint when it is missing.
EXTRAS = {"html": "trafilatura", "warc": "warcio and trafilatura", "arrow": "pyarrow"}


def require_extras(kinds: set[str]) -> None:
    """A usage error naming the extra to install when HTML, WARC or Parquet input lacks
    its library: boilercut[warc] brings warcio and trafilatura, boilercut[html]
    trafilatura, boilercut[arrow] pyarrow."""
    needed = []
    if "warc" in kinds:
        needed += [("warcio", "warc"), ("trafilatura", "warc")]
    if kinds & {"html", "html-jsonl"}:
        needed.append(("trafilatura", "html"))
    if "parquet" in kinds:
        needed.append(("pyarrow", "arrow"))
    for module, extra in needed:
        try:
            __import__(module)
        except ImportError as exc:
            raise UsageError(f"{extra.upper()} input needs {EXTRAS[extra]} ({exc}): "
                             f"pip install 'boilercut[{extra}]'") from None


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
