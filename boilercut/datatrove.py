"""boilercut as a datatrove pipeline step (``pip install 'boilercut[datatrove]'``).

datatrove builds LLM corpora from Common Crawl as a chain of steps over
``Document`` objects. :class:`BoilercutCleaner` cleans each document's text in
place, puts what boilercut found into ``document.metadata["boilercut"]`` and,
with ``min_body_chars``, drops the documents left with too little body::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from boilercut.datatrove import BoilercutCleaner

    LocalPipelineExecutor([JsonlReader("crawl/"), BoilercutCleaner(min_body_chars=200),
                           JsonlWriter("clean/")], tasks=4).run()

Its counters go to datatrove's stats (``logging_dir/stats.json``): documents
``total``, ``forwarded``, ``dropped`` (and ``dropped_too_short``),
``filter_errors``, ``removed_lines`` and ``removed_lines_<filter>``, and
``removed_chars``.
"""

from __future__ import annotations

from typing import Any

from datatrove.pipeline.base import PipelineStep

from boilercut import Pipeline, clean


class BoilercutCleaner(PipelineStep):
    """Clean each document's text with boilercut; its metadata (title, authors,
    emails, captions, credits, dates; with ``removals``, every removed line with
    its filter and reason; the ``errors`` of a failing filter, whose document is
    kept uncleaned) goes to ``document.metadata[metadata_key]``.

    ``profile``: a TOML profile (see :meth:`Pipeline.from_profile`), or give a
    ``pipeline``; the default pipeline otherwise. ``min_body_chars``: documents
    whose cleaned body is shorter are dropped (0: none). ``timeout``: seconds of
    filter time per document (see :func:`boilercut.clean`).
    """

    name = "✂️ boilercut"
    type = "✂️ - FORMAT"

    def __init__(self, *, profile: str | None = None, pipeline: Pipeline | None = None,
                 min_body_chars: int = 0, removals: bool = False,
                 metadata_key: str = "boilercut", timeout: float | None = None):
        super().__init__()
        if profile is not None and pipeline is not None:
            raise ValueError("give a profile or a pipeline, not both")
        self.profile, self.pipeline = profile, pipeline
        self.min_body_chars, self.removals = min_body_chars, removals
        self.metadata_key, self.timeout = metadata_key, timeout

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Any:
        """Clean the documents of ``data`` as they come, yielding those kept."""
        pipeline = self.pipeline
        if pipeline is None:  # built here, in the worker: a profile path travels light
            pipeline = Pipeline.from_profile(self.profile) if self.profile else Pipeline.default()
        for document in data or ():
            self.stat_update("total")
            with self.track_time():
                result = clean(document.text, pipeline=pipeline, on_error="keep",
                               timeout=self.timeout)
            found: dict[str, Any] = dict(result.metadata)
            if self.removals:
                found["removals"] = [removal.to_dict() for removal in result.removals]
            if result.errors:
                found["errors"] = [fault.to_dict() for fault in result.errors]
                self.stat_update("filter_errors")
            self.stat_update("removed_lines", value=len(result.removals))
            for removal in result.removals:
                self.stat_update(f"removed_lines_{removal.filter}")
            self.stat_update("removed_chars", value=sum(len(r.text) for r in result.removals))
            document.text = result.body
            document.metadata[self.metadata_key] = found
            if len(result.body) < self.min_body_chars:
                self.stat_update("dropped", "dropped_too_short")
                continue
            self.stat_update("forwarded")
            self.update_doc_stats(document)
            yield document
