"""Clean a Ray Data dataset (``pip install 'boilercut[ray]'``).

>>> import ray
>>> from boilercut.ray import clean_dataset
>>> ds = clean_dataset(ray.data.read_parquet("crawl/"), column="text")  # doctest: +SKIP
>>> ds.write_parquet("crawl.clean/")                                      # doctest: +SKIP

Each batch goes through :func:`boilercut.batch.clean_arrow` as a pyarrow table,
so the output has the input's columns plus ``body``, ``title``, ``authors``,
``emails``, ``captions``, ``credits``, ``dates``, ``removals`` (JSON) and
``error`` (see :func:`boilercut.batch.arrow_schema`). A bad row (null, not a
string) gets an ``error`` instead of failing the job.

This module imports neither Ray nor pyarrow: it only calls ``ds.map_batches``;
the workers import pyarrow when they run the batch function.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from boilercut.batch import clean_arrow

if TYPE_CHECKING:  # pragma: no cover
    from ray.data import Dataset

    from boilercut import Pipeline

#: Rows per call of the batch function: big enough to amortise the call,
#: small enough that a batch of long documents stays a few MB.
DEFAULT_BATCH_SIZE = 256


def clean_dataset(ds: Dataset, column: str = "text", *, pipeline: Pipeline | None = None,
                  prefix: str = "", html_column: str | None = "html", url_column: str = "url",
                  batch_size: int = DEFAULT_BATCH_SIZE, split_blocks: bool = True,
                  **map_batches_kwargs: Any) -> Dataset:
    """A lazy dataset: ``ds`` with ``column`` cleaned and the result columns added.

    ``pipeline`` (default: the built-in one) is pickled to the workers with
    the batch function: built-in filters and filters defined at module level
    travel by reference; Ray's cloudpickle also carries lambdas and closures.
    ``prefix`` renames the added columns (``prefix="bc_"``: ``bc_body``, ...)
    when the input already has a ``title`` or ``body`` column. Other keyword
    arguments go to ``ds.map_batches`` (``concurrency``, ``num_cpus``, ...).
    A dataset with ``html_column`` and no ``column`` holds pages: see
    :func:`boilercut.batch.clean_arrow`.

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
    fn = partial(clean_arrow, column=column, pipeline=pipeline, prefix=prefix,
                 html_column=html_column, url_column=url_column)
    return ds.map_batches(fn, batch_format="pyarrow", batch_size=batch_size,
                          **map_batches_kwargs)
