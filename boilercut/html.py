"""HTML input: trafilatura finds the page's main text and metadata, boilercut cleans the text.

>>> from boilercut import clean_html                                  # doctest: +SKIP
>>> result = clean_html(page_bytes, url="https://example.org/a")      # doctest: +SKIP
>>> result.body, result.metadata["page"]["title"]                      # doctest: +SKIP

Steps, each a public function so that batch code can call them per record:

1. :func:`decode_html` turns bytes into text (BOM, then valid UTF-8, then the
   declared charset, then detection, and never raises).
2. :func:`extract` runs trafilatura once and returns an :class:`Extraction`:
   the main text as boilercut's input (one paragraph per block of the page: a
   ``<p>``, a heading, a whole list or table; the lines of a block, i.e.
   ``<br>`` breaks and list items, stay together) and the page's metadata.
3. :func:`clean_html` runs the pipeline on that text with the page's title,
   author and site name as hints (:attr:`Extraction.hints`) and adds the page
   metadata to the result. The title hint is the line of the text that is the
   page title or a part of it between separators ("Site: Headline",
   "Headline | Site"), so the title filter knows the headline for certain.

Result metadata. The text-derived fields keep their contract: ``title``,
``authors``, ``emails``, ``captions``, ``credits`` and ``dates`` hold only text
taken from the extracted text. What comes from the page is kept apart:

- ``metadata["page"]``: what trafilatura read from the markup (``title``,
  ``author``, ``date`` as YYYY-MM-DD, ``sitename``, ``language``, ``url``,
  ``description``) and ``encoding``, how bytes were decoded (None for str
  input); a field the page does not give is None. ``language`` is the one the
  page declares, ``<html lang="en-GB">`` (or ``xml:lang``), as its primary
  subtag in lower case (``"en"``); trafilatura's only without a declaration.
- ``metadata["merged"]``: one value per field, ``title``, ``authors``,
  ``date``, ``sitename``, ``language``, ``url``, taken from the text where it
  gave one (its title line, its byline) and from the page otherwise, except
  ``date``, where the page's normalised date wins over the text's published
  date (free text), and ``language``, where the page's declaration wins over
  the detected one.
- ``metadata["sources"]``: for each merged field, ``"text"``, ``"page"`` or
  None (neither had one).

Removal offsets (``start``, ``end``) refer to the extracted text,
``extract(html, url=url).text``.

Choice of trafilatura settings, measured on the 181-page dev set with
``python -m bench.quality --html --html-modes`` (2026-11-27, trafilatura
2.3.1; shingle F1, means over documents). Without the fallback below:

=====================  ===================  ===========================
trafilatura mode       trafilatura alone    trafilatura + boilercut
=====================  ===================  ===========================
default                0.9598               0.9647
``favor_recall``       0.9593               0.9642
``favor_precision``    0.9641               0.9666
=====================  ===================  ===========================

``favor_precision`` is used: best alone and after cleaning (the filters do
not win back what precision mode leaves out, and recall mode's extra text is
mostly debris they then have to find). Comments are left out (an article
body has none), tables kept. trafilatura's text joins blocks with single
newlines; rendering each block as a paragraph scores the same as one line per
paragraph and is kept because paragraph-aware rules (a caption with its
credit, a related header with its list) need the page's paragraphs.

The fallback: precision mode sometimes keeps only a notice of a page (on the
dev set, a Barron's article becomes its 261-character reprint notice). When
its text is shorter than :data:`FALLBACK_CHARS`, the default mode runs too
and the longer text is kept: F1 0.9666 -> 0.9706. That gain is one document
of 181; any threshold from 262 to 1000 characters gives 0.970-0.9715, 2000
gives 0.9685 (default mode's debris on short pages), trafilatura's own "too
short" size (250) misses it. The second extraction runs for short pages only
(2 of 181 here).

Tried and left out, as their gain vanished once the filters improved (within
0.0005 F1 either way): taking a title line only when it matches the page
title, and vetoing navigation's ``link-list``/``nav-menu`` removals for lines
that are not links on the page (``include_links``).
"""

from __future__ import annotations

import codecs
import logging
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex

from boilercut.document import line_key
from boilercut.pipeline import Pipeline
from boilercut.result import Result, empty_metadata

__all__ = ["Extraction", "PAGE_FIELDS", "PageError", "PageTimeout", "TRAFILATURA_OPTIONS", "clean_extraction", "clean_html",
           "decode_html", "extract", "title_line"]

#: Settings given to ``trafilatura.bare_extraction`` (see the module docstring).
TRAFILATURA_OPTIONS: Mapping[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": True,
}
#: A precision-mode text shorter than this (about 80 words, one paragraph) is no
#: article: :func:`extract` then tries trafilatura's default mode (see the module
#: docstring for what this is worth and how it was chosen).
FALLBACK_CHARS = 500
#: Fields of ``metadata["page"]`` taken from trafilatura's metadata.
PAGE_FIELDS = ("title", "author", "date", "sitename", "language", "url", "description")
#: How many leading bytes are searched for a declared charset.
SNIFF_BYTES = 4096

class PageError(ValueError):
    """A page whose text cannot be read: its markup is nested deeper than libxml2
    parses (256 levels), so the parser drops what lies below, or its extraction ran
    past the document's time budget (:class:`PageTimeout`)."""


class PageTimeout(PageError):
    """trafilatura's extraction ran past the time budget of the whole document; there
    is no text to keep, so this is raised whatever ``on_error`` says."""


_INSTALL_HINT = "clean_html needs trafilatura: pip install 'boilercut[html]'"


# --- bytes to text -------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# The first <html> start tag (bounded: a search stops at the first "<html"), then its
# lang or xml:lang attribute's primary subtag.
_HTML_TAG = re.compile(r"<html\b[^>]{0,2000}", re.IGNORECASE)
_HTML_LANG = re.compile(r"""(?:^|\s)(?:xml:)?lang\s*=\s*["']?\s*([a-z]{2,3})(?![a-z])""",
                        re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""",
                           re.IGNORECASE)
# Labels that browsers decode as another codec (WHATWG Encoding): pages that say
# Latin-1 or ASCII are windows-1252 in practice; a page read as bytes that says
# UTF-16 without a BOM is ASCII-compatible, i.e. not UTF-16.
_SUBSTITUTE = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252",
               "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    """The codec named by ``<meta charset>``, ``http-equiv`` or an XML declaration in the
    first :data:`SNIFF_BYTES` bytes, normalised (``codecs`` name), or None."""
    head = data[:SNIFF_BYTES]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return _codec(match.group(1).decode("ascii")) if match else None


def _codec(label: str | None) -> str | None:
    """Python's name for an encoding label, with browsers' substitutions; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _SUBSTITUTE.get(name, name)


#: Detection chooses among the legacy charsets common on the web (a page whose
#: charset is rarer usually declares it, and the declaration is tried first):
#: left to all codecs, charset_normalizer reads short French as Baltic cp1257.
WEB_CHARSETS = ("cp1252", "cp1251", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
                "cp1250", "iso8859_2", "cp1256", "cp1254", "cp1253", "cp1255", "koi8_r",
                "cp874", "iso8859_15")
#: Detection takes windows-1252 over its best guess when that is within this much
#: "chaos" (charset_normalizer's mess measure): short Western text does not tell
#: cp1252 from cp1250, and cp1252 is the web's usual legacy charset.
CP1252_MARGIN = 0.1


def _detect(data: bytes) -> str | None:
    """charset_normalizer's best guess (it comes with trafilatura), or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    matches = from_bytes(data[:200_000], cp_isolation=list(WEB_CHARSETS))
    best = matches.best()
    if best is None:
        return None
    western = next((m for m in matches if _codec(m.encoding) == "cp1252"), None)
    if western is not None and western.chaos <= best.chaos + CP1252_MARGIN:
        return "cp1252"
    return _codec(best.encoding)


def declared_language(html: str) -> str | None:
    """The language a page declares on its ``<html>`` tag (``lang`` or ``xml:lang``),
    as its primary subtag in lower case: ``"en"`` for ``lang="en-GB"``."""
    tag = _HTML_TAG.search(html)
    found = _HTML_LANG.search(tag[0][5:]) if tag else None
    return found[1].lower() if found else None


def decode_html(data: bytes, *, charset: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes; return the text and the codec used. Never raises.

    In order: a byte-order mark; strict UTF-8 (a page that decodes as UTF-8 is
    UTF-8 whatever it declares: legacy single-byte codecs would decode it too,
    as mojibake); ``charset`` (e.g. from an HTTP Content-Type header) and then
    the page's own declaration, each tried strictly and kept only when the text
    is plausible (:func:`_plausible`: a declared EBCDIC codepage is not, as
    browsers ignore such labels); charset_normalizer's detection; last, UTF-8
    with replacement characters.
    """
    data = bytes(data)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried = {"utf-8"}
    for name in (_codec(charset), declared_charset(data), _detect(data)):
        if name and name not in tried:
            tried.add(name)
            try:
                text = data.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
            if _plausible(text):
                return text, name
    return data.decode("utf-8", errors="replace"), "utf-8"


#: Of a decoded page's first characters, the share that may be control, private-use
#: or unassigned code points before the codec is taken for a wrong one.
IMPLAUSIBLE_SHARE = 0.01


def _plausible(text: str) -> bool:
    """Whether a decoding looks like a web page: ASCII markup stays ASCII ("<" and ">"
    among the first characters, as in every ASCII-compatible charset browsers
    accept) and few control, private-use or unassigned characters. A page that
    declares an EBCDIC codepage (cp500) or the like, decoded by it, is neither."""
    head = text[:100_000]
    if head and "<" not in head[:SNIFF_BYTES]:
        return False
    odd = sum(1 for char in head if char not in "\t\n\r\f"
              and unicodedata.category(char) in ("Cc", "Co", "Cn"))
    return odd <= IMPLAUSIBLE_SHARE * len(head)


# --- extraction ----------------------------------------------------------------


@dataclass(frozen=True)
class Extraction:
    """What trafilatura found on a page: the text boilercut cleans and the page's metadata.

    ``text`` is blocks separated by a blank line; ``page`` has the
    :data:`PAGE_FIELDS` and ``encoding``. ``text`` is empty when trafilatura
    found no main text (an empty or non-HTML page).
    """

    text: str
    page: dict[str, str | None]

    @property
    def hints(self) -> dict[str, str]:
        """Hints for the filters: ``title`` (the page title, or the part of it that
        is a line of the text), ``author``, ``sitename``; absent when unknown."""
        hints = {"title": title_line(self.page.get("title"), self.text) or self.page.get("title"),
                 "author": self.page.get("author"), "sitename": self.page.get("sitename")}
        return {k: v for k, v in hints.items() if v}


def _trafilatura():
    try:
        import trafilatura
        from trafilatura.xml import xmltotxt
    except ImportError as exc:
        raise ImportError(f"{_INSTALL_HINT} ({exc})") from exc
    for name in ("trafilatura", "htmldate", "courlan"):
        # Their warnings ("discarding data", "empty HTML tree") would reach stderr
        # through logging's last resort; with a handler they go where the
        # application's logging sends them, and nowhere by default.
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
    return trafilatura, xmltotxt


def extract(html: str | bytes, *, url: str | None = None, charset: str | None = None,
            options: Mapping[str, Any] | None = None, fallback: bool = True) -> Extraction:
    """Run trafilatura on a page (str, or bytes decoded by :func:`decode_html`).

    ``charset`` is a transport-level charset (an HTTP header's) for bytes;
    ``options`` replace :data:`TRAFILATURA_OPTIONS` (the benchmark compares
    settings with it). With ``fallback``, a precision-mode text shorter than
    :data:`FALLBACK_CHARS` is replaced by trafilatura's default mode's when
    that one is longer (precision mode sometimes keeps only a notice from a
    page). Raises ImportError when trafilatura is missing; never on bad markup.
    """
    trafilatura, xmltotxt = _trafilatura()
    encoding = None
    if isinstance(html, (bytes, bytearray, memoryview)):
        html, encoding = decode_html(bytes(html), charset=charset)
    elif not isinstance(html, str):
        raise TypeError(f"clean_html() takes str or bytes, not {type(html).__name__}")
    page: dict[str, str | None] = dict.fromkeys(PAGE_FIELDS)
    page["encoding"] = encoding
    if url:
        page["url"] = url
    html = _strip_xml_declaration(html)
    page["language"] = declared_language(html)
    if not html.strip():
        return Extraction("", page)
    options = {**(TRAFILATURA_OPTIONS if options is None else options), "with_metadata": True}
    document = _bare_extraction(trafilatura, html, url, options)
    text = _render(document.body, xmltotxt) if document is not None else ""
    if fallback and options.get("favor_precision") and len(text) < FALLBACK_CHARS:
        balanced = _bare_extraction(trafilatura, html, url, {**options, "favor_precision": False})
        balanced_text = _render(balanced.body, xmltotxt) if balanced is not None else ""
        if len(balanced_text) > len(text):
            document, text = balanced, balanced_text
    if len(text) < FALLBACK_CHARS:
        _check_depth(html)
    if document is None:
        return Extraction("", page)
    for name in PAGE_FIELDS:
        value = getattr(document, name, None)
        if isinstance(value, str) and value.strip() and not (name == "language" and page[name]):
            page[name] = " ".join(value.split())
    return Extraction(text, page)


def _bare_extraction(trafilatura, html: str, url: str | None, options: Mapping[str, Any]):
    """trafilatura's Document for the page, or None when it finds no main text."""
    try:
        return trafilatura.bare_extraction(html, url=url, **options)
    except (ValueError, TypeError, AttributeError) as exc:  # lxml on pathological input
        logging.getLogger(__name__).debug("trafilatura failed on %s: %s", url, exc)
        return None


def _check_depth(html: str) -> None:
    """Raise PageError when libxml2 stopped at its nesting limit: the text below it
    (``<div>`` x 100,000 around the article) is gone, and an empty body would say
    the page had none. Checked for short texts only (an article that came out was
    read)."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        etree.fromstring(html, parser)
    except (ValueError, etree.LxmlError):
        return
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise PageError("markup nested deeper than the HTML parser reads (libxml2: "
                            f"{entry.message.split(',')[0].lower()}); its text cannot be extracted")


def _strip_xml_declaration(html: str) -> str:
    """lxml refuses str input that starts with ``<?xml ... encoding=...?>``."""
    stripped = html.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<?xml"):
        end = stripped.find("?>")
        if end != -1:
            return stripped[end + 2:]
    return html


def _render(body, xmltotxt) -> str:
    """Blocks of trafilatura's body as paragraphs, whitespace inside lines collapsed."""
    if body is None:
        return ""
    paragraphs = []
    for block in body:
        lines = [" ".join(line.split()) for line in xmltotxt(block, False).split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


# "Headline | Site", "Site - Headline", "Site: Headline": the parts of a page title.
_TITLE_SEPARATOR = regex.compile(r"(\s+[|–—·•:\-/»]\s+|\s*[|｜:]\s+|\s*[|｜]\s*)")
_MIN_TITLE_KEY = 8  # characters: a one-word part ("News") is no title


def title_line(page_title: str | None, text: str) -> str | None:
    """The line of ``text`` that is the page title or the longest run of its parts
    between separators; None if no line is."""
    if not page_title or not text:
        return None
    pieces = _TITLE_SEPARATOR.split(page_title)
    parts = pieces[::2]
    candidates = {line_key("".join(pieces[2 * i:2 * j + 1]))
                  for i in range(len(parts)) for j in range(i, len(parts))}
    candidates = {key for key in candidates if len(key) >= _MIN_TITLE_KEY}
    if not candidates:
        return None
    # Only lines about as long as the title can be it (keys drop edge punctuation
    # and spaces only): paragraphs are not keyed, which keeps this cheap.
    longest = 2 * max(map(len, candidates)) + 20
    keys: dict[str, str] = {}
    for line in text.split("\n"):
        stripped = line.strip()
        if _MIN_TITLE_KEY <= len(stripped) <= longest:
            keys.setdefault(line_key(stripped), stripped)
    found = [key for key in candidates if key in keys]
    return keys[max(found, key=len)] if found else None


# --- cleaning ------------------------------------------------------------------


def clean_html(html: str | bytes, *, url: str | None = None, pipeline: Pipeline | None = None,
               charset: str | None = None, on_error: str = "raise",
               timeout: float | None = None, max_lines: int | None = None) -> Result:
    """Extract a page's main text with trafilatura and clean it; see the module docstring.

    ``html`` is the page as str or bytes (bytes are decoded by
    :func:`decode_html`; ``charset`` is an HTTP header's, if known). ``url``
    helps trafilatura and fills ``metadata["page"]["url"]`` when the page names
    none. A page without main text gives an empty body. Raises ImportError
    (saying ``pip install 'boilercut[html]'``) when trafilatura is missing and
    :class:`~boilercut.FilterError` when a filter fails (``on_error``: see
    :meth:`boilercut.Pipeline.run`) and :class:`~boilercut.TooManyLines` when
    the extracted text has more than ``max_lines`` lines. ``timeout`` is the
    budget of the whole page, trafilatura's extraction and then the filters:
    an extraction that runs past it is interrupted (:class:`PageTimeout`), the
    filters get what is left.
    """
    if timeout is None:
        extraction = extract(html, url=url, charset=charset)
    else:
        extraction, timeout = _extract_within(timeout, html, url, charset)
    return clean_extraction(extraction, pipeline=pipeline, on_error=on_error,
                            timeout=timeout, max_lines=max_lines)


def _extract_within(timeout: float, html: str | bytes, url: str | None,
                    charset: str | None) -> tuple[Extraction, float]:
    """:func:`extract` on a time budget of ``timeout`` seconds (SIGALRM where the
    pipeline's budget uses it, else checked when it returns); the extraction and
    the seconds left. Raises PageTimeout."""
    from boilercut.pipeline import _Budget, _Expired, check_timeout

    check_timeout(timeout)
    budget = _Budget(timeout)
    try:
        with budget:
            extraction = extract(html, url=url, charset=charset)
    except _Expired:
        extraction = None
    left = budget.deadline - time.monotonic()
    if extraction is None or left <= 0:
        raise PageTimeout(f"extracting the page's text (trafilatura) ran past the time "
                          f"budget of {timeout:g} s")
    return extraction, left


def clean_extraction(extraction: Extraction, *, pipeline: Pipeline | None = None,
                     on_error: str = "raise", timeout: float | None = None,
                     max_lines: int | None = None) -> Result:
    """Clean an :class:`Extraction`'s text with the page's hints and add its metadata."""
    if pipeline is None:
        from boilercut import default_pipeline
        pipeline = default_pipeline()
    if extraction.text:
        result = pipeline.run(extraction.text, hints=extraction.hints, on_error=on_error,
                              timeout=timeout, max_lines=max_lines)
    else:
        result = Result(body="", paragraphs=[], metadata=empty_metadata(), removals=[])
    result.metadata.update(page_metadata(result.metadata, extraction.page))
    return result


def page_metadata(text_metadata: Mapping[str, Any], page: Mapping[str, str | None]) -> dict[str, Any]:
    """``page``, ``merged`` and ``sources`` for a result's metadata (see the module docstring)."""
    page = dict(page)
    merged: dict[str, Any] = {}
    sources: dict[str, str | None] = {}

    def pick(name: str, from_text: Any, from_page: Any, text_first: bool = True) -> None:
        order = [("text", from_text), ("page", from_page)]
        for source, value in (order if text_first else order[::-1]):
            if value:
                merged[name], sources[name] = value, source
                return
        merged[name], sources[name] = (None if name != "authors" else []), None

    page_authors = [a.strip() for a in (page.get("author") or "").split(";") if a.strip()]
    pick("title", text_metadata.get("title"), page.get("title"))
    pick("authors", list(text_metadata.get("authors") or []), page_authors)
    dates = text_metadata.get("dates") or []
    published = text_metadata.get("published") or (dates[0] if dates else None)
    pick("date", published, page.get("date"), text_first=False)
    pick("language", text_metadata.get("language"), page.get("language"), text_first=False)
    for name in ("sitename", "url"):
        pick(name, None, page.get(name))
    return {"page": page, "merged": merged, "sources": sources}
