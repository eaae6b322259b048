"""Writing outputs: stdout as UTF-8 bytes, files atomically (a temporary file, then a rename)."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from boilercut.cli.compression import compressing
from boilercut.cli.report import StopRun, os_reason


class StdoutError(Exception):
    """stdout cannot be written (a full disk, a closed descriptor): the run stops,
    as every later output would fail too. A closed pipe stays a BrokenPipeError."""


def write_stdout(payload: bytes) -> None:
    """Write UTF-8 bytes to stdout, whatever the locale's encoding; raises StdoutError."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: stdout closed
        raise StdoutError(os_reason(exc)) from None


@dataclass
class Headers:
    """``==> NAME <==`` before each text output written to stdout when a run has several
    inputs, with a blank line before each but the first, as head(1) writes them:
    without them the bodies would run into each other."""

    on: bool
    written: int = 0

    def __call__(self, label: str) -> bytes:
        """The header to write before the output of ``label`` (nothing when off)."""
        if not self.on:
            return b""
        self.written += 1
        gap = "\n" if self.written > 1 else ""
        return f"{gap}==> {label} <==\n".encode()


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` in one step (temp file in the same directory)."""
    with open_sink(path) as write:
        write(payload)


@contextlib.contextmanager
def open_sink(dest: Path | None) -> Iterator[Callable[[bytes], None]]:
    """A ``write(bytes)`` for streamed output: stdout, or :func:`atomic_file`'s."""
    if dest is None:
        yield write_stdout
        return
    with atomic_file(dest) as fh:
        yield fh.write


@contextlib.contextmanager
def atomic_file(dest: Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``dest`` through: a temporary file beside it, renamed
    over it at the end (also when the input failed half-way: what was read is kept,
    and when --strict stopped the run: the records before the failure are kept),
    removed if the writing raises; compressed when ``dest`` ends in .gz, .bz2, .xz
    or .zst. A FIFO or a device (``-o /dev/stdout``) is written directly: a rename
    would replace it with a regular file."""
    if is_special(dest):
        with open(dest, "wb") as fh, compressing(fh, dest.name) as out:
            yield out
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        stopped = None
        with os.fdopen(fd, "wb") as fh, compressing(fh, dest.name) as out:
            try:
                yield out
            except StopRun as exc:  # --strict: what was written before the failure stays
                stopped = exc
        os.chmod(tmp, _file_mode(dest))
        os.replace(tmp, dest)
        if stopped is not None:
            raise stopped
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def is_special(path: Path) -> bool:
    """Whether ``path`` (followed through symlinks) is a FIFO, socket or device."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


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
