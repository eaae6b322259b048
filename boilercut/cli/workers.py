"""Worker processes (--jobs N): each is given the pipeline once and cleans tasks
(chunks of JSON Lines records, or files); the results come back in input order."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from boilercut import Pipeline
from boilercut.cli.discovery import Job
from boilercut.cli.outcomes import CleanOptions, Event, Outcome, file_outcome, record_outcome

if TYPE_CHECKING:  # pragma: no cover
    from boilercut.sites import SiteProfiles

#: prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1
#: JSON Lines records per chunk sent to a worker, and the most bytes of input in one chunk.
CHUNK_RECORDS = 32
CHUNK_BYTES = 4 * 2**20
#: Chunks (or files) in flight per worker: enough to keep the workers busy while one
#: slow document holds the head of the line, few enough to keep memory flat.
WINDOW_PER_JOB = 4


def _init_worker(pipeline: Pipeline, parent: int, sites: SiteProfiles | None = None) -> None:
    """In each worker, once: the pipeline and the site profiles; Ctrl-C and SIGTERM are
    the main process's to handle (it stops the workers); the worker dies with the main
    process."""
    from boilercut.batch import _set_worker_pipeline

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _set_worker_pipeline(pipeline, sites)


def _die_with_parent(parent: int) -> None:
    """Make sure this worker does not outlive ``parent`` (killed with SIGKILL, say):
    an orphan would go on holding stdout and stderr open, and a pipeline reading
    them would wait for minutes. Linux: the kernel's parent-death signal; elsewhere
    a thread that watches the parent's pid once a second."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True, name="boilercut-parent-watch").start()


def stop_workers() -> None:
    """Kill this process's worker processes now (Ctrl-C, SIGTERM): a pool shut down
    politely would first finish the documents in hand."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.kill()


def _worker_state(pipeline: Pipeline | None,
                  sites: SiteProfiles | None) -> tuple[Pipeline, SiteProfiles | None]:
    """The pipeline and profiles given, else (in a worker) the ones it was started with."""
    if pipeline is not None:
        return pipeline, sites
    from boilercut import batch

    assert batch._worker_pipeline is not None, "worker started without its pipeline"
    return batch._worker_pipeline, batch._worker_sites


def records_task(chunk: list[tuple[int, int, bytes | str]], options: CleanOptions,
                 pipeline: Pipeline | None = None, sites: SiteProfiles | None = None,
                 ) -> list[tuple[int, list[Event], bytes | None]]:
    """Clean a chunk of JSONL lines ``(number, offset, raw)``: ``(number, events, output)`` each."""
    pipeline, sites = _worker_state(pipeline, sites)
    out = []
    for number, offset, raw in chunk:
        events, payload = record_outcome(offset, raw, pipeline, options, sites)
        out.append((number, events, payload))
        if events and events[-1][0] == "stop":  # --strict: the rest would not be written
            break
    return out


def file_task(task: tuple[Job, str, bytes | None], options: CleanOptions,
              pipeline: Pipeline | None = None, sites: SiteProfiles | None = None) -> Outcome:
    job, kind, data = task
    pipeline, sites = _worker_state(pipeline, sites)
    return file_outcome(job, kind, data, pipeline, options, sites)


def table_task(table: Any, options: CleanOptions, pipeline: Pipeline | None = None,
               sites: SiteProfiles | None = None) -> Any:
    """Clean a pyarrow table's --field column with clean_arrow (its columns added)."""
    from boilercut.batch import clean_arrow

    pipeline, sites = _worker_state(pipeline, sites)
    return clean_arrow(table, column=options.field, html_column=None, pipeline=pipeline,
                       sites=sites, group_by=options.group_by)


def map_tasks(fn: Callable, tasks: Iterable, pipeline: Pipeline, options: CleanOptions,
              jobs: int, sites: SiteProfiles | None = None) -> Iterator:
    """``fn(task, options)`` for each task in input order: in this process for one job,
    else in ``jobs`` worker processes (:func:`boilercut.batch.map_ordered`), each
    given the pipeline and the site profiles once."""
    from boilercut.batch import map_ordered

    if jobs == 1:
        return map_ordered(partial(fn, options=options, pipeline=pipeline, sites=sites),
                           tasks, jobs=1)
    return map_ordered(partial(fn, options=options), tasks, jobs=jobs,
                       window=WINDOW_PER_JOB * jobs, initializer=_init_worker,
                       initargs=(pipeline, os.getpid(), sites))
