"""WARC input: the HTML responses of a crawl (e.g. a Common Crawl WARC file), cleaned one by one.

Needs the ``warc`` extra (``pip install 'boilercut[warc]'``: warcio, which
reads plain and gzipped WARC files) and the ``html`` extra for the cleaning.

:func:`read_warc` yields one item per record: a :class:`WarcPage` for an HTML
response, a :class:`Skipped` with its reason for everything else, and raises
:class:`WarcError` where the file is truncated or corrupt, after the whole
records before that point. :func:`clean_page` turns a page into the output
record; it takes and returns plain data, so a process pool can run it.

Which records are pages: ``response`` records with a 2xx HTTP status whose
Content-Type is ``text/html`` or ``application/xhtml+xml`` (or is missing and
the payload starts like HTML), and ``resource`` records of those types.
Skipped, not failed: ``warcinfo``, ``request``, ``revisit``, ``metadata``
and other record types, other content types, other statuses. Broken (a
failure, reported): a response whose HTTP status line cannot be parsed, or
whose payload cannot be read, or passes ``max_bytes`` once its transfer and
content encodings (chunked, gzip, deflate) are decoded: the payload is decoded
as it is read (warcio's 16 KiB blocks), so a decompression bomb costs at most
``max_bytes`` plus one block's inflation, and the records after it are read.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

__all__ = ["HTML_TYPES", "Skipped", "WarcError", "WarcPage", "clean_page", "page_record", "read_warc"]

#: Content types cleaned as HTML.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_INSTALL_HINT = "WARC input needs warcio: pip install 'boilercut[warc]'"
_LOOKS_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_STATUS = re.compile(r"^\d{3}$")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


class WarcError(Exception):
    """The WARC file is not one, or is truncated or corrupt; ``records`` were read before."""

    def __init__(self, message: str, records: int):
        super().__init__(message)
        self.records = records


@dataclass(frozen=True)
class WarcPage:
    """An HTML response: where it came from, its payload and the charset its headers give."""

    url: str | None
    record_id: str | None
    date: str | None
    html: bytes
    charset: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A record that is not cleaned: ``reason`` says why; ``broken`` when that is a failure."""

    url: str | None
    record_id: str | None
    reason: str
    broken: bool = False


def _warcio():
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise ImportError(f"{_INSTALL_HINT} ({exc})") from exc
    return ArchiveIterator


class _Counting(io.RawIOBase):
    """A read-only stream that counts the bytes read through it (stdin has no size)."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self.count


def _check_magic(head: bytes) -> None:
    """Raise WarcError unless ``head`` starts a WARC file (plain or gzipped)."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error as exc:
            raise WarcError(f"not a WARC file (bad gzip data: {exc})", 0) from None
    if not head:
        raise WarcError("empty file, not a WARC file", 0)
    if not head.startswith(b"WARC/"):
        raise WarcError("not a WARC file (no WARC/1.x header at the start)", 0)


def read_warc(stream: BinaryIO, max_bytes: int | None = None) -> Iterator[WarcPage | Skipped]:
    """Yield every record of a WARC stream as a :class:`WarcPage` or :class:`Skipped`;
    a page whose decoded payload passes ``max_bytes`` is a broken Skipped.

    Raises :class:`WarcError` for a file that is not a WARC, or at the first
    sign of truncation or corruption (a record shorter than its
    Content-Length, bytes after the last record that make no record), once
    the records before it have been yielded.
    """
    ArchiveIterator = _warcio()
    counted = _Counting(stream)
    reader = io.BufferedReader(counted, buffer_size=65536)
    _check_magic(reader.peek(512)[:512])
    archive = ArchiveIterator(reader)
    records = iter(archive)
    count = 0
    while True:
        warnings = io.StringIO()
        try:
            # warcio prints "record not followed by newline" warnings to stderr: a
            # Content-Length that does not match the record; here it is an error.
            with contextlib.redirect_stderr(warnings):
                record = next(records, None)
        except Exception as exc:  # noqa: BLE001 - on damaged input warcio raises anything
            # (ArchiveLoadFailed, EOFError, zlib.error, AttributeError on a header cut short)
            raise WarcError(f"corrupt WARC after {count} records ({_one_line(exc)})", count) from None
        if warnings.getvalue().strip():
            raise WarcError(f"corrupt WARC after {count} records (a record's Content-Length "
                            "does not match its content)", count)
        if record is None:
            break
        missing = [name for name in ("WARC-Record-ID", "Content-Length")
                   if not (record.rec_headers.get_header(name) or "").strip()]
        if missing:  # a header block cut short (even mid-line): warcio takes what it found
            raise WarcError(f"truncated or corrupt WARC: record {count + 1} has no "
                            f"{' or '.join(missing)} header", count)
        try:
            item = _item(record, max_bytes)
        except Exception as exc:  # noqa: BLE001 - a record warcio half-parsed
            item = Skipped(record.rec_headers.get_header("WARC-Target-URI"),
                           record.rec_headers.get_header("WARC-Record-ID"),
                           f"unreadable record ({_one_line(exc)})", broken=True)
        remaining = getattr(record.raw_stream, "limit", 0)
        with contextlib.suppress(Exception):
            while record.raw_stream.read(65536):
                remaining = getattr(record.raw_stream, "limit", 0)
        if remaining:
            raise WarcError(f"truncated WARC: record {count + 1} "
                            f"({item.record_id or 'no id'}) ends {remaining} bytes early", count)
        count += 1
        yield item
    while reader.read(65536):
        pass
    if archive.offset < counted.count:
        raise WarcError(f"truncated or corrupt WARC: {counted.count - archive.offset} bytes after "
                        f"record {count} make no whole record", count)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _item(record, max_bytes: int | None = None) -> WarcPage | Skipped:
    """Classify one warcio record, reading its payload when it is an HTML page."""
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    record_id = headers.get_header("WARC-Record-ID")
    kind = record.rec_type or "unknown"
    if kind not in ("response", "resource"):
        return Skipped(url, record_id, f"{kind} record")
    charset = None
    if kind == "response":
        http = record.http_headers
        if http is None:
            return Skipped(url, record_id, "response without HTTP headers", broken=True)
        status = http.get_statuscode() or ""
        if not _STATUS.match(status):
            line = f"{http.protocol or ''} {http.statusline or ''}".strip()
            return Skipped(url, record_id, f"malformed HTTP status line {line!r:.60}",
                           broken=True)
        if not status.startswith("2"):
            return Skipped(url, record_id, f"HTTP status {status}")
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = headers.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        return Skipped(url, record_id, f"not HTML ({mime})")
    try:
        payload = record.content_stream().read(None if max_bytes is None else max_bytes + 1)
    except Exception as exc:  # chunked or compressed payloads that cannot be decoded
        return Skipped(url, record_id, f"unreadable payload ({_one_line(exc)})", broken=True)
    if max_bytes is not None and len(payload) > max_bytes:
        return Skipped(url, record_id, f"payload over the {max_bytes:,}-byte limit of one "
                       "record once decoded (--max-record-bytes)", broken=True)
    if not mime and not _LOOKS_HTML.match(payload[:1024]):
        return Skipped(url, record_id, "not HTML (no content type, payload not HTML)")
    match = _CHARSET.search(content_type)
    charset = match.group(1) if match else None
    return WarcPage(url, record_id, headers.get_header("WARC-Date"), payload, charset)


def page_record(page: WarcPage, result) -> dict[str, Any]:
    """The output record of a cleaned page: ``url``, ``record_id``, ``date`` and
    ``boilercut`` (the result as a dict)."""
    return {"url": page.url, "record_id": page.record_id, "date": page.date,
            "boilercut": result.to_dict()}


def clean_page(page: WarcPage, pipeline=None) -> dict[str, Any]:
    """Clean a page with :func:`boilercut.clean_html`; its :func:`page_record`."""
    from boilercut.html import clean_html

    result = clean_html(page.html, url=page.url, pipeline=pipeline, charset=page.charset)
    return page_record(page, result)
