"""Failures and warnings: one ``boilercut: <source>: <reason>`` line each on stderr,
counted for the exit status and (with --errors-to) written out as JSON records."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boilercut.cli.progress import write_stderr

if TYPE_CHECKING:  # pragma: no cover
    from boilercut.cli.discovery import Job

PROG = "boilercut"


class UsageError(Exception):
    """The command line cannot be carried out (exit 2)."""


class InputError(Exception):
    """One input (file or JSONL record) cannot be cleaned; the message is the reason."""


class StopRun(Exception):
    """--strict: a filter failed; the run stops (the failure is already reported)."""


@dataclass
class Session:
    """What went wrong in a run: every failure is one line on stderr, counted, and
    (with --errors-to) handed to ``keep`` as a JSON record at once, so that a run
    with millions of failures holds none of them in memory."""

    quiet: bool = False
    keep: Callable[[dict[str, Any]], None] | None = None
    failures: int = 0

    def fail(self, job: Job | None, reason: str, *, kind: str, line: int | None = None,
             raw: bytes | str | None = None, filter: str | None = None,
             where: str | None = None) -> None:
        """Report a failure of ``job`` (at JSONL ``line``) and count it."""
        label = where or _where(job, line)
        report(label, reason)
        self.failures += 1
        self._keep(job, line, kind, reason, raw=raw, filter=filter)

    def warn(self, job: Job | None, message: str, *, line: int | None = None) -> None:
        """A warning (--quiet hides it on stderr; --errors-to keeps it as kind "decode")."""
        warn(f"{_where(job, line)}: {message}", self.quiet)
        self._keep(job, line, "decode", message)

    def _keep(self, job: Job | None, line: int | None, kind: str, reason: str, *,
              raw: bytes | str | None = None, filter: str | None = None) -> None:
        if self.keep is None:
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
        self.keep(record)


def _where(job: Job | None, line: int | None) -> str:
    label = job.label if job is not None else "<stdin>"
    return label if line is None else f"{label}:{line}"


def report(source: str, reason: str) -> None:
    write_stderr(f"{PROG}: {source}: {reason}\n")


def warn(message: str, quiet: bool) -> None:
    if not quiet:
        write_stderr(f"{PROG}: {message}\n")


def os_reason(exc: Exception) -> str:
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
