"""Bytes to text for files: BOM sniffing, strict or replacing decoding, binary detection.

Shared by :func:`boilercut.clean_file` and the command line.

- ``encoding="auto"`` (the default): a byte-order mark decides (UTF-8, UTF-16
  LE/BE, UTF-32 LE/BE; the BOM is dropped); without one, the bytes are UTF-8.
- ``encoding="utf-8"``: UTF-8; a leading UTF-8 BOM is dropped.
- ``encoding="utf-16"`` / ``"utf-32"``: the BOM gives the byte order (and is
  dropped); without one, the NUL bytes do (in mostly-Latin text every code
  unit has a zero high byte, first in big-endian), little-endian when they
  do not tell (Python's "utf-16" codec would take little-endian blindly and
  turn big-endian text into CJK mojibake).
- any other Python text codec (``"latin-1"``, ``"cp1252"``, ``"shift_jis"``).

``errors="strict"`` (the default) raises :class:`UnicodeDecodeError` at the
first bad byte: nothing is cleaned half-way on a guess. ``errors="replace"``
decodes bad bytes as U+FFFD and says so with a :class:`~boilercut.result.Fault`
of kind ``"decode"``.

A file with a NUL byte in its first :data:`BINARY_SNIFF` bytes is binary,
unless it is decoded as UTF-16 or UTF-32 (whose text is full of NULs): the
command line reports it, :func:`boilercut.clean_file` raises
:class:`BinaryFileError`. NUL bytes later in a file are text.
"""

from __future__ import annotations

import codecs

from boilercut.result import Fault

#: NUL bytes in this many leading bytes mean a binary file.
BINARY_SNIFF = 8192
#: Values of ``errors``.
DECODE_ERRORS = ("strict", "replace")
#: UTF-32 first: its little-endian BOM starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFileError(ValueError):
    """A file that is not text: NUL bytes near its start (see :func:`is_binary`)."""


#: Python codecs that turn text into bytes but are no character sets: domain-name
#: labels (idna, punycode) and Python string-literal escapes.
NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode_escape",
                          "raw_unicode_escape"})
_PROBE = "".join(map(chr, range(32, 127))) + "\t\n\r"


def check_encoding(encoding: str) -> str:
    """``encoding`` if it is ``"auto"`` or a character set for text; raises LookupError
    otherwise: an unknown name, a bytes-to-bytes codec (base64), or a codec in
    :data:`NOT_CHARSETS` or that cannot carry plain ASCII text there and back."""
    if encoding == "auto":
        return encoding
    info = codecs.lookup(encoding)  # LookupError for unknown names
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in NOT_CHARSETS:
        raise LookupError(f"{encoding!r} is not a text encoding")
    try:
        if _PROBE.encode(info.name).decode(info.name) != _PROBE:
            raise LookupError(f"{encoding!r} does not carry text")
    except (UnicodeError, TypeError) as exc:
        raise LookupError(f"{encoding!r} does not carry text ({exc})") from None
    return encoding


def sniff(data: bytes, encoding: str = "auto") -> tuple[str, int]:
    """The codec to decode ``data`` with and how many leading BOM bytes to skip."""
    if encoding == "auto":
        for bom, name in BOMS:
            if data.startswith(bom):
                return name, len(bom)
        return "utf-8", 0
    name = codecs.lookup(check_encoding(encoding)).name
    if name in ("utf-8", "utf-8-sig"):
        return ("utf-8", len(codecs.BOM_UTF8)) if data.startswith(codecs.BOM_UTF8) else ("utf-8", 0)
    if name in ("utf-16", "utf-32"):
        for bom, bom_name in BOMS:
            if bom_name.startswith(name) and data.startswith(bom):
                return bom_name, len(bom)
        return name + _byte_order(data, 2 if name == "utf-16" else 4), 0
    return name, 0


def _byte_order(data: bytes, unit: int) -> str:
    """``"-be"`` when the zero bytes of ``data``'s head sit where a big-endian code
    unit keeps its high byte (first), else ``"-le"``."""
    head = data[:BINARY_SNIFF - BINARY_SNIFF % unit]
    first = head[0::unit].count(0)
    last = head[unit - 1::unit].count(0)
    return "-be" if first > last else "-le"


def is_binary(data: bytes, codec: str) -> bool:
    """NUL bytes near the start, and a codec in which text has none."""
    return not codec.startswith(("utf-16", "utf-32")) and b"\0" in data[:BINARY_SNIFF]


def decode(data: bytes, encoding: str = "auto", errors: str = "strict") -> tuple[str, str, Fault | None]:
    """``data`` as text, the codec used, and a ``"decode"`` fault when bytes were replaced.

    Raises :class:`UnicodeDecodeError` (``errors="strict"``; its ``start`` is an
    offset in ``data``, BOM included) and LookupError (unknown encoding).
    """
    if errors not in DECODE_ERRORS:
        raise ValueError(f"errors must be 'strict' or 'replace', not {errors!r}")
    codec, skip = sniff(bytes(data), encoding)
    body = bytes(data[skip:])
    try:
        return body.decode(codec), codec, None
    except UnicodeDecodeError as exc:
        if errors == "strict":
            raise UnicodeDecodeError(exc.encoding, bytes(data), exc.start + skip, exc.end + skip,
                                     exc.reason) from None
        first = exc.start + skip
        message = (f"not valid {codec}: undecodable bytes replaced by U+FFFD "
                   f"(the first, 0x{body[exc.start]:02x}, at offset {first})")
        return body.decode(codec, errors="replace"), codec, Fault("decode", message)
