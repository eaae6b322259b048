"""Batch functions: many records in, the same records out, cleaned, in order.

They hold no engine: Ray Data, Spark, Dask, a ``multiprocessing`` pool or the
command line all call the same two functions.

- :func:`clean_batch` takes dicts (JSON Lines records) and returns each one with
  a ``boilercut`` object added, the shape ``boilercut --jsonl`` writes.
- :func:`clean_arrow` takes a ``pyarrow.RecordBatch`` (or ``Table``) and returns
  one with a fixed set of columns added (:func:`arrow_schema`), whatever the data.

With ``sites`` (:class:`~boilercut.sites.SiteProfiles`), each text is also
cleaned of what repeats on its site (the site of its ``url``, or of the field
``group_by`` names; see :func:`boilercut.sites.record_site`).

Records that have no text column but an ``html`` one are pages: they go
through :func:`boilercut.clean_html` (with the record's ``url``), which needs
the ``html`` extra.

A bad record (no text, null, not a string, a failing custom filter) never stops
a batch: it is reported on its own record (``{"error": ...}`` or the ``error``
column) and the others are cleaned. A batch with neither column raises.

:func:`map_ordered` runs a batch function over chunks in worker processes and
yields the results in input order, holding only a few chunks in memory.

pyarrow is imported only by the Arrow functions (``pip install boilercut[arrow]``).
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from boilercut import FilterError, Pipeline, Result, clean
from boilercut.result import METADATA_FIELDS, SINGLE_FIELDS
from boilercut.sites import record_site

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from boilercut.sites import SiteFilter, SiteProfiles

#: The key :func:`clean_batch` adds to each record (as ``boilercut --jsonl`` does).
RESULT_KEY = "boilercut"
#: The columns :func:`clean_arrow` adds, in order (before any ``prefix``).
ARROW_COLUMNS = ("body", *METADATA_FIELDS, "published_date", "removals", "error")
#: The same for a batch of pages: ``page`` holds what the markup gave (JSON).
ARROW_HTML_COLUMNS = ("body", *METADATA_FIELDS, "published_date", "removals", "page", "error")

T = TypeVar("T")
R = TypeVar("R")


# --- one value -----------------------------------------------------------------


def _clean_text(value: Any, column: str, pipeline: Pipeline | None,
                site: SiteFilter | None = None) -> Result | str:
    """The result of cleaning ``value`` (with a site filter), or the reason it cannot be cleaned."""
    if value is None:
        return f"{column!r} is null"
    if not isinstance(value, str):
        return f"{column!r} is not a string (got {type(value).__name__})"
    try:
        return clean(value, pipeline=pipeline, site=site)
    except FilterError as exc:
        return str(exc)


def _clean_page(value: Any, url: Any, column: str, pipeline: Pipeline | None) -> Result | str:
    """The result of :func:`boilercut.clean_html` on ``value``, or the reason it failed.

    Only a missing trafilatura (ImportError) fails the batch: markup can be
    anything, so whatever else one page raises is that page's error.
    """
    if value is None:
        return f"{column!r} is null"
    if not isinstance(value, (str, bytes)):
        return f"{column!r} is not a string or bytes (got {type(value).__name__})"
    from boilercut import clean_html

    try:
        return clean_html(value, url=url if isinstance(url, str) else None, pipeline=pipeline)
    except ImportError:
        raise
    except FilterError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - one page's failure is reported, not raised
        return f"{column!r}: {type(exc).__name__}: {exc}"


# --- records (dicts) -------------------------------------------------------------


def clean_record(record: Any, *, column: str = "text", html_column: str | None = "html",
                 url_column: str = "url", pipeline: Pipeline | None = None,
                 sites: SiteProfiles | None = None, group_by: str = "url") -> dict[str, Any]:
    """The ``boilercut`` object for one record.

    ``{"body", "metadata", "removals"}`` as ``Result.to_dict()`` gives it (with
    ``sites``, also ``"site"``: what its site's profile could tell), or
    ``{"error": reason}`` when the record has no string in ``column`` or a
    filter fails on it. A record without ``column`` but with ``html_column``
    is a page, cleaned with :func:`boilercut.clean_html` (``None`` turns this
    off); site profiles do not apply to pages, so a page with ``sites`` is an error.
    """
    if not isinstance(record, Mapping):
        return {"error": f"not a record (got {type(record).__name__})"}
    if column in record:
        site = None if sites is None else sites.filter_for(record_site(record, group_by))
        outcome = _clean_text(record[column], column, pipeline, site)
    elif html_column is not None and html_column in record and sites is not None:
        return {"error": f"site profiles clean text, not pages ({html_column!r})"}
    elif html_column is not None and html_column in record:
        outcome = _clean_page(record[html_column], record.get(url_column), html_column, pipeline)
    else:
        return {"error": f"{column!r} missing"}
    if isinstance(outcome, str):
        return {"error": outcome}
    return outcome.to_dict()


def clean_batch(records: Iterable[Mapping[str, Any]], *, column: str = "text",
                html_column: str | None = "html", url_column: str = "url",
                pipeline: Pipeline | None = None, key: str = RESULT_KEY,
                sites: SiteProfiles | None = None, group_by: str = "url",
                ) -> list[dict[str, Any]]:
    """Clean ``record[column]`` of each record; return the records with ``key`` added.

    One output per input, in order; inputs are not modified (each output is a
    shallow copy). ``out[key]`` is ``{"body", "metadata", "removals"}`` (the
    shape ``boilercut --jsonl`` writes) or ``{"error": reason}`` for a record
    that cannot be cleaned, e.g. ``{"error": "'text' is null"}``. A record
    with ``html_column`` instead of ``column`` is a page (see :func:`clean_record`).
    ``sites`` and ``group_by``: see the module docstring.

    >>> [r["boilercut"]["body"] for r in clean_batch([{"text": "Advertisement\\n\\nIt rained."}])]
    ['It rained.']
    """
    out = []
    for record in records:
        result = clean_record(record, column=column, html_column=html_column,
                              url_column=url_column, pipeline=pipeline, sites=sites,
                              group_by=group_by)
        out.append({**record, key: result} if isinstance(record, Mapping) else {key: result})
    return out


# --- Arrow -----------------------------------------------------------------------


def _pyarrow() -> Any:
    """pyarrow, or an ImportError that names the extra that brings it."""
    try:
        import pyarrow
    except ImportError as exc:
        raise ImportError(f"boilercut's Arrow functions need pyarrow ({exc}): "
                          "pip install 'boilercut[arrow]'") from exc
    return pyarrow


def arrow_schema(input_schema: pa.Schema | None = None, *, prefix: str = "",
                 html: bool = False) -> pa.Schema:
    """The schema :func:`clean_arrow` returns: the input's fields, then

    ``body`` string, ``title`` and ``site_name`` string, ``authors``,
    ``emails``, ``captions``, ``credits``, ``dates`` list<string>,
    ``published`` string (the raw text of the article's date),
    ``published_date`` date32 (:attr:`Result.published`), ``removals`` string
    (a JSON list of removal objects), ``error`` string (null when the record
    was cleaned).
    For a batch of pages (``html``), ``page`` (string: JSON of what the markup
    gave, the metadata beyond the fields above) comes before ``error``.
    All are nullable: a record in error has nulls but for ``error``. With
    ``prefix``, the added names get it (``prefix="bc_"``: ``bc_body``...).
    Raises ``ValueError`` when an added name is already an input column.
    """
    pa = _pyarrow()

    names = ARROW_HTML_COLUMNS if html else ARROW_COLUMNS
    added = [pa.field(prefix + name, _arrow_type(name)) for name in names]
    if input_schema is None:
        return pa.schema(added)
    clash = [f.name for f in added if input_schema.get_field_index(f.name) != -1]
    if clash:
        raise ValueError(f"input column(s) {', '.join(map(repr, clash))} would clash with "
                         f"boilercut's output; rename them or pass prefix='boilercut_'")
    return pa.schema([*input_schema, *added], metadata=input_schema.metadata)


def _arrow_type(name: str):
    pa = _pyarrow()

    if name == "published_date":
        return pa.date32()
    return pa.list_(pa.string()) if name in METADATA_FIELDS and name not in SINGLE_FIELDS else pa.string()


def clean_arrow(batch: pa.RecordBatch | pa.Table, *, column: str = "text",
                html_column: str | None = "html", url_column: str = "url",
                pipeline: Pipeline | None = None, prefix: str = "",
                sites: SiteProfiles | None = None,
                group_by: str = "url") -> pa.RecordBatch | pa.Table:
    """Clean the ``column`` of a ``pyarrow.RecordBatch`` (or ``Table``: same type out).

    The input columns are kept and the columns of :func:`arrow_schema` added,
    one row per input row, in order. A null or non-string value, or a failing
    filter, gives that row an ``error`` and nulls elsewhere; the batch goes on.
    A batch without ``column`` but with ``html_column`` holds pages: each is
    cleaned with :func:`boilercut.clean_html` (with ``url_column`` when there
    is one) and a ``page`` column is added. A batch with neither raises ``KeyError``.
    With ``sites``, each text is cleaned with its site's profile (the site of
    the ``group_by`` column: see the module docstring; its removals say "seen
    on K of N pages of this site"); a batch of pages, or one without the
    ``group_by`` column, raises ``ValueError``.
    """
    pa = _pyarrow()

    names = batch.schema.names
    html = column not in names and html_column is not None and html_column in names
    if column not in names and not html:
        raise KeyError(f"no column {column!r} to clean; the batch has: "
                       f"{', '.join(names) or 'no columns'}")
    if sites is not None and (html or group_by not in names):
        raise ValueError("site profiles clean a text column, not pages" if html else
                         f"no column {group_by!r} to group by for site profiles")
    schema = arrow_schema(batch.schema, prefix=prefix, html=html)
    added_names = ARROW_HTML_COLUMNS if html else ARROW_COLUMNS
    values: dict[str, list[Any]] = {name: [] for name in added_names}
    if html:
        urls = (batch.column(url_column).to_pylist() if url_column in names
                else [None] * batch.num_rows)
        outcomes: Iterable[Result | str] = (
            _clean_page(page, url, html_column, pipeline)
            for page, url in zip(batch.column(html_column).to_pylist(), urls))
    elif sites is not None:
        keys = batch.column(group_by).to_pylist()
        outcomes = (_clean_text(text, column, pipeline,
                                sites.filter_for(record_site({group_by: key}, group_by)))
                    for text, key in zip(batch.column(column).to_pylist(), keys))
    else:
        outcomes = (_clean_text(text, column, pipeline) for text in batch.column(column).to_pylist())
    for outcome in outcomes:
        if isinstance(outcome, str):
            for name in added_names:
                values[name].append(outcome if name == "error" else None)
            continue
        values["body"].append(outcome.body)
        for name in METADATA_FIELDS:
            values[name].append(outcome.metadata[name])
        values["published_date"].append(outcome.published)
        values["removals"].append(json.dumps([r.to_dict() for r in outcome.removals],
                                             ensure_ascii=False))
        if html:
            extra = {k: v for k, v in outcome.metadata.items() if k not in METADATA_FIELDS}
            values["page"].append(json.dumps(extra, ensure_ascii=False))
        values["error"].append(None)
    added = [pa.array(values[name], type=_arrow_type(name)) for name in added_names]
    build = pa.Table.from_arrays if isinstance(batch, pa.Table) else pa.RecordBatch.from_arrays
    return build([*batch.columns, *added], schema=schema)


# --- worker processes ------------------------------------------------------------


def resolve_jobs(jobs: int) -> int:
    """``jobs`` worker processes, 0 meaning one per CPU this process may use."""
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (all cores) or more, not {jobs}")
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ordered(fn: Callable[[T], R], chunks: Iterable[T], *, jobs: int = 1,
                window: int | None = None, initializer: Callable[..., None] | None = None,
                initargs: tuple = (), in_process: bool | None = None) -> Iterator[R]:
    """``fn(chunk)`` for each chunk, in input order, computed in ``jobs`` worker processes.

    ``jobs=1`` runs in this process (no pool) unless ``in_process=False``;
    ``jobs=0`` uses all cores. At most ``window`` chunks (default ``2 * jobs``)
    are submitted and not yet yielded, so memory stays flat however long
    ``chunks`` is (``multiprocessing.Pool.imap`` would read the whole input
    first). ``fn``, the chunks and the results must pickle (a module-level
    function, or a ``functools.partial`` of one); ``initializer(*initargs)``
    runs once in each worker (in this process when there is no pool). An
    exception in ``fn`` is raised here, and a worker that dies raises
    ``concurrent.futures.process.BrokenProcessPool`` instead of hanging.

    The command line's ``--jobs`` is meant to be this over chunks of JSON Lines,
    with a worker function that parses, cleans (:func:`clean_batch`) and
    serialises, so that all the per-record work happens in the workers.
    """
    jobs = resolve_jobs(jobs)
    if window is not None and window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    if in_process is None:
        in_process = jobs == 1
    if in_process:
        if jobs != 1:
            raise ValueError(f"in_process needs jobs=1, not {jobs}")
        if initializer is not None:
            initializer(*initargs)
        return map(fn, chunks)
    return _map_in_pool(fn, chunks, jobs, window or 2 * jobs, initializer, initargs)


def _map_in_pool(fn, chunks, jobs, window, initializer, initargs):
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(jobs, initializer=initializer, initargs=initargs)
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(executor.submit(fn, chunk))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # also when the consumer stops early: drop what is queued
        executor.shutdown(wait=True, cancel_futures=True)


_worker_pipeline: Pipeline | None = None
_worker_sites: SiteProfiles | None = None


def _set_worker_pipeline(pipeline: Pipeline | None, sites: SiteProfiles | None = None) -> None:
    global _worker_pipeline, _worker_sites
    _worker_pipeline, _worker_sites = pipeline, sites


def _clean_chunk(chunk: list[Mapping[str, Any]], options: dict[str, Any]) -> list[dict[str, Any]]:
    return clean_batch(chunk, pipeline=_worker_pipeline, sites=_worker_sites, **options)


def clean_chunks(chunks: Iterable[list[Mapping[str, Any]]], *, jobs: int = 1,
                 pipeline: Pipeline | None = None, window: int | None = None,
                 in_process: bool | None = None, sites: SiteProfiles | None = None,
                 **options: Any) -> Iterator[list[dict[str, Any]]]:
    """:func:`clean_batch` over chunks of records in ``jobs`` processes, in input order.

    ``options`` (``column``, ``key``, ``group_by``, ...) go to :func:`clean_batch`.
    The pipeline and the site profiles go to each worker once, when it starts:
    the pipeline must pickle (the built-in filters and module-level functions
    do, lambdas do not).
    """
    from functools import partial

    if in_process or (in_process is None and resolve_jobs(jobs) == 1):
        return map_ordered(partial(clean_batch, pipeline=pipeline, sites=sites, **options),
                           chunks, jobs=jobs, window=window, in_process=True)
    return map_ordered(partial(_clean_chunk, options=options), chunks, jobs=jobs, window=window,
                       initializer=_set_worker_pipeline, initargs=(pipeline, sites),
                       in_process=False)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` consecutive items (the last one shorter)."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
