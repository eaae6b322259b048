"""Compressed inputs and outputs: gzip, bz2 and xz (standard library), zstd (the
``zstandard`` package, ``pip install 'boilercut[zstd]'``).

A file is decompressed, as it is read, when its name ends in a compression
suffix, and stdin when its first bytes are the magic number of one of these
formats; those bytes tell the format. The name without its compression suffix
says what a file holds (``crawl.jsonl.gz`` is JSON Lines). An output is
compressed when its name ends in one of the suffixes.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from boilercut.cli.report import InputError, UsageError

#: The most bytes one record (a file, a page, a JSON Lines line, a WARC payload) may
#: hold once decompressed, by default (--max-record-bytes): 64 MiB.
MAX_RECORD_BYTES = 64 * 2**20
#: Compression suffixes and their formats.
SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
ZSTD_HINT = "zstd needs the zstandard package: pip install 'boilercut[zstd]'"
_CHUNK = 2**16
#: Compressed bytes given to the zstd decompressor at a time: zstandard has no output
#: cap, and a 4-byte block can stand for 128 KiB, so 512 bytes inflate to 16 MiB at most.
_ZSTD_FEED = 512
#: The end-of-stream marker of an empty bz2 stream, where a block's magic would be.
_BZ2_BLOCK = (b"1AY&SY", b"\x17\x72\x45\x38\x50\x90")


def detect(head: bytes) -> str | None:
    """The compression format whose magic number ``head`` (10 bytes or fewer) starts with."""
    if head.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if head[:3] == b"BZh" and head[3:4] in b"123456789" and head[4:10] in _BZ2_BLOCK:
        return "bz2"
    return None


def split_suffix(name: str) -> tuple[str, str]:
    """``name`` without its compression suffix, and the suffix ("" for none)."""
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            return name[:-len(suffix)], name[-len(suffix):]
    return name, ""


def zstandard() -> Any:
    """The zstandard module; InputError with the install hint when it is missing."""
    try:
        import zstandard as module
    except ImportError:
        raise InputError(ZSTD_HINT) from None
    return module


def require_codecs(outputs: Iterable[Path]) -> None:
    """A usage error, before anything is cleaned, when an output is to be written in
    zstd and the zstandard package is missing."""
    for path in outputs:
        if SUFFIXES.get(split_suffix(path.name)[1].lower()) == "zstd":
            try:
                zstandard()
            except InputError as exc:
                raise UsageError(f"cannot write {path}: {exc}") from None


def open_decompressed(stream: IO[bytes], name: str | None, leave: tuple[str, ...] = (), *,
                      owned: bool = True) -> IO[bytes]:
    """``stream`` decompressed as it is read when ``name`` ends in a compression suffix,
    or, for a stream without a name (stdin), when its first bytes say it is compressed;
    the first bytes tell the format. Formats in ``leave`` are not decompressed. Closing
    the result closes ``stream`` if ``owned`` (not stdin's). A named compressed file
    that is not, and damaged data when the read reaches it, are InputErrors."""
    suffix = split_suffix(name)[1] if name is not None else ""
    if name is not None and not suffix:
        return stream
    if stream.seekable():
        head = stream.read(10)
        stream.seek(0)
    else:
        head = b""
        while len(head) < 10 and (more := stream.read(10 - len(head))):
            head += more
        stream = io.BufferedReader(_Prefixed(head, stream, owned))
        owned = True  # the new reader is ours to close
    fmt = detect(head)
    if fmt is None and suffix:
        raise InputError(f"not {SUFFIXES[suffix.lower()]} data, though its name ends in {suffix}")
    if fmt is None or fmt in leave:
        return stream
    return io.BufferedReader(_Decompressing(fmt, stream, owned), buffer_size=_CHUNK)


def decompress(data: bytes, name: str | None, limit: int | None = None) -> bytes:
    """``data`` decompressed as :func:`open_decompressed` decides, at most ``limit``
    bytes of it (see :func:`read_capped`)."""
    with open_decompressed(io.BytesIO(data), name) as stream:
        return stream.read() if limit is None else read_capped(stream, limit)


def read_capped(stream: IO[bytes], limit: int) -> bytes:
    """The rest of ``stream``, decompressed as it is read, or InputError as soon as it
    passes ``limit`` bytes: a decompression bomb or a padded page never reaches memory
    whole."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(too_large(limit))
    return data


def too_large(limit: int) -> str:
    """The reason given for a record over ``limit`` bytes."""
    return f"over the {limit:,}-byte limit of one record once decompressed (--max-record-bytes)"


@contextlib.contextmanager
def compressing(fh: IO[bytes], name: str) -> Iterator[IO[bytes]]:
    """A writer over ``fh`` that compresses by the suffix of ``name`` (none: ``fh``
    itself); the compressed stream is ended on exit, ``fh`` stays open."""
    fmt = SUFFIXES.get(split_suffix(name)[1].lower())
    if fmt is None:
        yield fh
        return
    if fmt == "gzip":  # no name or time in the header: the same input gives the same bytes
        writer: Any = gzip.GzipFile(filename="", fileobj=fh, mode="wb", compresslevel=6, mtime=0)
    elif fmt == "bz2":
        writer = bz2.BZ2File(fh, "wb")
    elif fmt == "xz":
        writer = lzma.LZMAFile(fh, "wb")
    else:
        writer = zstandard().ZstdCompressor().stream_writer(fh, closefd=False)
    with writer:
        yield writer


class _Prefixed(io.RawIOBase):
    """Bytes already read from a stream that cannot seek back, then the rest of it."""

    def __init__(self, head: bytes, rest: IO[bytes], owned: bool):
        self._head, self._rest, self._owned = head, rest, owned

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._owned:
            self._rest.close()
        super().close()


class _Decompressing(io.RawIOBase):
    """The decompressed bytes of a gzip, bz2, xz or zstd stream (concatenated
    members or frames too); damaged or truncated data raises InputError."""

    def __init__(self, fmt: str, source: IO[bytes], owned: bool):
        self._fmt, self._source, self._owned = fmt, source, owned
        self._errors: tuple[type[BaseException], ...] = (OSError, EOFError, lzma.LZMAError)
        if fmt == "zstd":
            self._zstd = zstandard()
            self._errors += (self._zstd.ZstdError,)
            self._frame = self._zstd.ZstdDecompressor().decompressobj()
            self._pending, self._fed = memoryview(b""), False
        elif fmt == "gzip":
            self._reader: IO[bytes] = gzip.GzipFile(fileobj=source)
        else:
            self._reader = (bz2.BZ2File if fmt == "bz2" else lzma.LZMAFile)(source)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            if self._fmt == "zstd":
                return self._zstd_into(buffer)
            return self._reader.readinto(buffer)
        except self._errors as exc:
            raise InputError(f"damaged {self._fmt} data ({exc})") from None

    def _zstd_into(self, buffer: Any) -> int:
        while not self._pending:
            data = self._source.read(_ZSTD_FEED)
            if not data:
                if self._fed and not self._frame.eof:
                    raise EOFError("the data ends inside a frame")
                return 0
            self._fed = True
            parts = []
            while data:  # a frame ends: the next one starts in what is left
                if self._frame.eof:
                    self._frame = self._zstd.ZstdDecompressor().decompressobj()
                parts.append(self._frame.decompress(data))
                data = self._frame.unused_data if self._frame.eof else b""
            self._pending = memoryview(b"".join(parts))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        if self._fmt != "zstd":
            self._reader.close()
        if self._owned:
            self._source.close()
        super().close()
