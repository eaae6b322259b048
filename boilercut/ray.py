"""Clean a Ray Data dataset (``pip install 'boilercut[ray]'``).

>>> import ray
>>> from boilercut.ray import clean_dataset, learn_sites_dataset
>>> ds = ray.data.read_parquet("crawl/")                                  # doctest: +SKIP
>>> sites = learn_sites_dataset(ds, column="text")                         # doctest: +SKIP
>>> clean_dataset(ds, column="text", sites=sites).write_parquet("crawl.clean/")  # doctest: +SKIP

Each batch goes through :func:`boilercut.batch.clean_arrow` as a pyarrow table,
so the output has the input's columns plus ``body``, ``title``, ``authors``,
``emails``, ``captions``, ``credits``, ``dates``, ``removals`` (JSON) and
``error`` (see :func:`boilercut.batch.arrow_schema`). A bad row (null, not a
string) gets an ``error`` instead of failing the job.

Site profiles (:mod:`boilercut.sites`): :func:`learn_sites_dataset` learns
them block by block on the workers and merges them here; ``clean_dataset(...,
sites=...)`` puts them once in Ray's object store, and each worker process
reads them once.

This module does not import Ray or pyarrow itself, except to put the
profiles in the object store: it calls ``ds.map_batches``, and the workers
import pyarrow when they run the batch function.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from boilercut.batch import clean_arrow
from boilercut.sites import SiteProfiles

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from ray.data import Dataset

    from boilercut import Pipeline

#: Rows per call of the batch function: big enough to amortise the call,
#: small enough that a batch of long documents stays a few MB.
DEFAULT_BATCH_SIZE = 256


def clean_dataset(ds: Dataset, column: str = "text", *, pipeline: Pipeline | None = None,
                  prefix: str = "", html_column: str | None = "html", url_column: str = "url",
                  batch_size: int = DEFAULT_BATCH_SIZE, split_blocks: bool = True,
                  sites: SiteProfiles | None = None, group_by: str = "url",
                  **map_batches_kwargs: Any) -> Dataset:
    """A lazy dataset: ``ds`` with ``column`` cleaned and the result columns added.

    ``pipeline`` (default: the built-in one) is pickled to the workers with
    the batch function: built-in filters and filters defined at module level
    travel by reference; Ray's cloudpickle also carries lambdas and closures.
    ``prefix`` renames the added columns (``prefix="bc_"``: ``bc_body``, ...)
    when the input already has a ``title`` or ``body`` column. Other keyword
    arguments go to ``ds.map_batches`` (``concurrency``, ``num_cpus``, ...).
    A dataset with ``html_column`` and no ``column`` holds pages: see
    :func:`boilercut.batch.clean_arrow`. With ``sites`` (from
    :func:`learn_sites_dataset`), each row is also cleaned of what repeats on
    its site (the host of its ``url``, or the ``group_by`` column's value).

    Ray sizes blocks by bytes (up to 128 MiB), and one block is cleaned by one
    task: a few Parquet files of text would be cleaned on one core. With
    ``split_blocks`` (the default) the dataset is first cut, streaming, into
    blocks of at most ``batch_size`` rows (``ds.repartition(target_num_rows_per_block=...)``),
    so every core gets work; cleaning costs far more than moving the rows.
    Rows stay in order within each block; to keep the blocks in order too, set
    ``ray.data.DataContext.get_current().execution_options.preserve_order = True``.
    """
    if split_blocks:
        ds = ds.repartition(target_num_rows_per_block=batch_size)
    options = dict(column=column, pipeline=pipeline, prefix=prefix, html_column=html_column,
                   url_column=url_column)
    if sites is None:
        fn = partial(clean_arrow, **options)
    else:
        import ray

        fn = partial(_clean_with_sites, sites_ref=ray.put(sites), group_by=group_by, **options)
    return ds.map_batches(fn, batch_format="pyarrow", batch_size=batch_size,
                          **map_batches_kwargs)


def learn_sites_dataset(ds: Dataset, column: str = "text", *,
                        group_by: str = "url") -> SiteProfiles:
    """The site profiles of ``ds``'s ``column``: learned per block on the workers, merged
    here (see :mod:`boilercut.sites`; a row's site as in :func:`clean_dataset`)."""
    learned = ds.map_batches(partial(_learn_block, column=column, group_by=group_by),
                             batch_format="pyarrow", batch_size=None)
    profiles = SiteProfiles()
    for row in learned.iter_rows():
        profiles = profiles.merge(SiteProfiles.from_dict(json.loads(row["profiles"])))
    return profiles


def _learn_block(block: pa.Table, column: str, group_by: str) -> pa.Table:
    """One row: the JSON of the block's site profiles."""
    import pyarrow as pa

    from boilercut.sites import learn_sites, record_site

    names = block.schema.names
    if column not in names or group_by not in names:
        missing = column if column not in names else group_by
        raise KeyError(f"no column {missing!r} to learn site profiles from; the block has: "
                       f"{', '.join(names)}")
    pages = ((record_site({group_by: key}, group_by), text)
             for key, text in zip(block.column(group_by).to_pylist(),
                                  block.column(column).to_pylist()) if isinstance(text, str))
    return pa.table({"profiles": [json.dumps(learn_sites(pages).to_dict())]})


#: The profiles a worker process has read from the object store, by object id.
_fetched: dict[str, SiteProfiles] = {}


def _clean_with_sites(batch: Any, sites_ref: Any, **options: Any) -> Any:
    """:func:`clean_arrow` with the profiles of ``sites_ref``, read once per worker process."""
    key = sites_ref.hex()
    if key not in _fetched:
        import ray

        _fetched.clear()
        _fetched[key] = ray.get(sites_ref)
    return clean_arrow(batch, sites=_fetched[key], **options)
