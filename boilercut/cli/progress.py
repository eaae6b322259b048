"""The progress bar on a terminal's stderr, and messages written above it."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

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


class NoBar:
    """A progress bar that shows nothing."""

    def update(self, n: int = 1) -> None:
        pass


@contextlib.contextmanager
def progress_bar(args: argparse.Namespace, *, unit: str, total: int | None,
                 delay: float) -> Iterator[Any]:
    """A tqdm bar on stderr counting ``unit``s, first shown after ``delay`` seconds (when
    :func:`show_progress`), else a no-op."""
    global _bar
    stream = sys.stderr
    if not show_progress(stream, args.quiet):
        yield NoBar()
        return
    try:
        from tqdm import tqdm  # only here: `import boilercut` and quiet runs never load it
    except ImportError:  # a dependency, but a bar is not worth failing a run for
        yield NoBar()
        return

    tqdm.monitor_interval = 0  # no monitor thread (worker processes are forked)
    bar = tqdm(total=total, unit=unit, file=stream, delay=delay, mininterval=0.5,
               dynamic_ncols=True, leave=True)
    _bar = bar
    try:
        yield bar
    finally:
        _bar = None
        bar.close()


def write_stderr(text: str) -> None:
    """Write whole lines to stderr, above the progress bar if one is shown."""
    bar = _bar
    if bar is None:
        sys.stderr.write(text)
        return
    bar.clear()
    sys.stderr.write(text)
    sys.stderr.flush()
    bar.refresh()
