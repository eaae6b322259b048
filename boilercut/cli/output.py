"""Writing outputs: stdout as UTF-8 bytes, files atomically (a temporary file, then a rename)."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from boilercut.cli.compression import compressing, split_suffix
from boilercut.cli.report import StopRun, os_reason

#: A temporary output: ".NAME.PID.RANDOM.tmp" beside NAME, PID the writing process's,
#: so that a later run can tell the files of a killed run from those of a live one.
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp")


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


def resumable(dest: Path | None) -> bool:
    """Whether a JSON Lines output can be resumed after a kill: a regular file, not
    compressed (a compressed stream cut short cannot be continued)."""
    return dest is not None and not is_special(dest) and not split_suffix(dest.name)[1]


def stale_temps(dests: Iterable[Path]) -> dict[Path, list[Path]]:
    """The temporary files that killed runs (SIGKILL, a crash: their process is gone)
    left beside ``dests``, newest first, by output; each directory is listed once."""
    wanted: dict[Path, set[str]] = {}
    for dest in dests:
        wanted.setdefault(dest.parent, set()).add(dest.name)
    found: dict[Path, list[Path]] = {}
    for directory, names in wanted.items():
        try:
            entries = list(os.scandir(directory))
        except OSError:  # not made yet, or unreadable: nothing left there
            continue
        for entry in entries:
            match = _TEMP.fullmatch(entry.name)
            if match and match["name"] in names and not _alive(int(match["pid"])):
                found.setdefault(directory / match["name"], []).append(Path(entry.path))
    for temps in found.values():
        temps.sort(key=_mtime, reverse=True)
    return found


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@contextlib.contextmanager
def atomic_file(dest: Path, reuse: Path | None = None) -> Iterator[IO[bytes]]:
    """A binary file to write ``dest`` through: a temporary file beside it, renamed
    over it at the end (also when the input failed half-way: what was read is kept,
    and when --strict stopped the run: the records before the failure are kept),
    removed if the writing raises; compressed when ``dest`` ends in .gz, .bz2, .xz
    or .zst. A FIFO or a device (``-o /dev/stdout``) is written directly: a rename
    would replace it with a regular file. ``reuse``: a killed run's temporary file
    (see :func:`stale_temps`), taken over and given open for reading and writing at
    its start, to be continued (uncompressed outputs only)."""
    if is_special(dest):
        with open(dest, "wb") as fh, compressing(fh, dest.name) as out:
            yield out
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{dest.name}.{os.getpid()}."
    if reuse is not None:  # renamed first: two runs cannot both take it
        tmp = f"{dest.parent / prefix}resumed.tmp"
        os.replace(reuse, tmp)
        fd, mode = os.open(tmp, os.O_RDWR), "r+b"
    else:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=prefix, suffix=".tmp")
        mode = "wb"
    try:
        stopped = None
        with os.fdopen(fd, mode) as fh, compressing(fh, dest.name) as out:
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
