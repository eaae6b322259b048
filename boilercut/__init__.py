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
from typing import TYPE_CHECKING

from boilercut.pipeline import FilterError, FilterTimeout, Pipeline, ProfileError, TooManyLines
from boilercut.result import Decision, Fault, Removal, Result, drop, move

if TYPE_CHECKING:
    from boilercut.sites import SiteProfile, SiteProfiles, learn, learn_sites, site_of

__version__ = "0.1.0"
__all__ = ["Decision", "Fault", "FilterError", "FilterTimeout", "Pipeline", "ProfileError",
           "Removal", "Result", "SiteProfile", "SiteProfiles", "TooManyLines",
           "clean", "clean_file", "clean_html", "drop", "learn", "learn_sites", "move", "site_of"]

_default: Pipeline | None = None
_SITES = ("SiteProfile", "SiteProfiles", "learn", "learn_sites", "site_of")


def __getattr__(name: str):
    """Site profiles are imported on first use, so that ``import boilercut`` stays light."""
    if name in _SITES:
        from boilercut import sites

        return getattr(sites, name)
    raise AttributeError(f"module 'boilercut' has no attribute {name!r}")


def default_pipeline() -> Pipeline:
    """The default pipeline, built once and shared (pipelines are immutable)."""
    global _default
    if _default is None:
        _default = Pipeline.default()
    return _default


def clean(text: str, *, pipeline: Pipeline | None = None, on_error: str = "raise",
          timeout: float | None = None, max_lines: int | None = None,
          site: SiteProfile | None = None, format: str = "auto") -> Result:
    """Clean one document's text and return its body, metadata and removals.

    ``format``: ``"auto"`` (the default) tells markdown from plain text per
    document; ``"text"`` or ``"markdown"`` says which it is (``result.format``).

    A failing filter raises :class:`FilterError` (:class:`FilterTimeout` past
    ``timeout`` seconds); with ``on_error="keep"`` the text comes back uncleaned
    with the fault in ``result.errors``; more than ``max_lines`` lines raise
    :class:`TooManyLines`. ``site``: a profile of the document's site
    (:func:`learn`), whose repeated lines go too. See :meth:`Pipeline.run`.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError("clean() takes str, not bytes: decode the text first, "
                        "e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise TypeError(f"clean() takes str, not {type(text).__name__}")
    return (default_pipeline() if pipeline is None else pipeline).run(
        text, on_error=on_error, timeout=timeout, max_lines=max_lines, site=site, format=format)


def clean_file(path: str | PathLike[str], *, pipeline: Pipeline | None = None,
               encoding: str = "auto", errors: str = "strict", on_error: str = "raise",
               timeout: float | None = None) -> Result:
    """Read a text file and clean it.

    ``encoding="auto"``: a BOM (UTF-8, UTF-16, UTF-32) decides, else UTF-8; or
    any text codec (see :mod:`boilercut.encoding`). Undecodable bytes raise
    :class:`UnicodeDecodeError`: nothing is cleaned half-way on a guess; with
    ``errors="replace"`` they become U+FFFD and a ``"decode"`` fault in
    ``result.errors`` says so. A file with NUL bytes in its first 8 KiB (not
    decoded as UTF-16 or UTF-32) is binary and raises
    :class:`~boilercut.encoding.BinaryFileError`, as the command line refuses it.
    """
    from boilercut.encoding import BinaryFileError, decode, is_binary, sniff

    with open(path, "rb") as fh:
        data = fh.read()
    if is_binary(data, sniff(data, encoding)[0]):
        raise BinaryFileError(f"{path}: binary file (contains NUL bytes)")
    text, _, fault = decode(data, encoding, errors)
    result = clean(text, pipeline=pipeline, on_error=on_error, timeout=timeout)
    if fault is not None:
        result.errors.insert(0, fault)
    return result


def clean_html(html: str | bytes, *, url: str | None = None, pipeline: Pipeline | None = None,
               charset: str | None = None, on_error: str = "raise",
               timeout: float | None = None, max_lines: int | None = None) -> Result:
    """Extract a page's main text and metadata with trafilatura, then clean the text.

    Needs the ``html`` extra (``pip install 'boilercut[html]'``); trafilatura is
    imported on the first call, so ``import boilercut`` stays light. See
    :mod:`boilercut.html`.
    """
    from boilercut.html import clean_html as _clean_html

    return _clean_html(html, url=url, pipeline=pipeline, charset=charset, on_error=on_error,
                       timeout=timeout, max_lines=max_lines)
