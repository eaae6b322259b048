"""boilercut: clean article text left by web scrapers.

>>> from boilercut import clean
>>> result = clean("Back To Top\\n\\nThe council voted on Monday to close the bridge for repairs.")
>>> result.body
'The council voted on Monday to close the bridge for repairs.'
>>> [(r.filter, r.reason) for r in result.removals]
[('navigation', 'nav-phrase')]
"""

from __future__ import annotations

from os import PathLike

from boilercut.pipeline import FilterError, Pipeline, ProfileError
from boilercut.result import Decision, Removal, Result, drop, move

__version__ = "0.1.0"
__all__ = ["Decision", "FilterError", "Pipeline", "ProfileError", "Removal", "Result",
           "clean", "clean_file", "clean_html", "drop", "move"]

_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The default pipeline, built once and shared (pipelines are immutable)."""
    global _default
    if _default is None:
        _default = Pipeline.default()
    return _default


def clean(text: str, *, pipeline: Pipeline | None = None) -> Result:
    """Clean one document's text and return its body, metadata and removals."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError("clean() takes str, not bytes: decode the text first, "
                        "e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise TypeError(f"clean() takes str, not {type(text).__name__}")
    return (default_pipeline() if pipeline is None else pipeline).run(text)


def clean_file(path: str | PathLike[str], *, pipeline: Pipeline | None = None,
               encoding: str = "utf-8") -> Result:
    """Read a text file (UTF-8; a BOM is dropped) and clean it.

    Undecodable bytes raise :class:`UnicodeDecodeError`: nothing is cleaned
    half-way on a guess.
    """
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding,
              newline="") as fh:
        return clean(fh.read(), pipeline=pipeline)


def clean_html(html: str | bytes, *, url: str | None = None, pipeline: Pipeline | None = None,
               charset: str | None = None) -> Result:
    """Extract a page's main text and metadata with trafilatura, then clean the text.

    Needs the ``html`` extra (``pip install 'boilercut[html]'``); trafilatura is
    imported on the first call, so ``import boilercut`` stays light. See
    :mod:`boilercut.html`.
    """
    from boilercut.html import clean_html as _clean_html

    return _clean_html(html, url=url, pipeline=pipeline, charset=charset)
