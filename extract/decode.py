"""Bytes → text, whatever encoding the publishing system used, and a clear refusal of binary.

Minutes arrive as UTF-8, UTF-16 without a mark, Windows or DOS code pages, or UTF-8 with
stray cp1252 bytes mixed in; everything after extract/load.py assumes str.  A file that is
binary under every reading is refused with its name, not passed on as noise.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from kommunegraf.extract.loaded import LoadError

# --- decoding -----------------------------------------------------------------------------

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Code pages tried, in order of preference, when the bytes are neither UTF-8 nor strict
# Windows-1252 (DOS code pages put Danish Ø and Å at bytes Windows-1252 leaves undefined).
# charset-normalizer was tried here and rejected: unrestricted it reads Danish as Baltic or
# Central European code pages, and restricted it took Latin-1 text for cp850.
_FALLBACK_CODEPAGES = ("cp1252", "cp865", "cp850", "mac_roman")
_CODEPAGE_SAMPLE = 1 << 16  # bytes scored per candidate

# Labels that browsers read as Windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252_ALIASES = frozenset({"iso8859-1", "ascii", "latin-1", "iso8859-15"})

# control characters that plain text does not contain: "\x00", "\x1b", "\x85" (not \t \n \v \f \r)
BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_BINARY_SAMPLE = 1 << 20  # characters (or bytes) inspected for control characters
_BINARY_RATIO = 0.05


_HIGH_BYTES = bytes(range(0x80, 0x100))
_MIXED_SAMPLE = 1 << 16  # bytes


def strip_bom(data: bytes) -> bytes:
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :]
    return data


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte; binary data does not."""
    sample = data[: 1 << 16]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd > 0.25 and nul_even < 0.02:
        return "utf-16-le"
    if nul_even > 0.25 and nul_odd < 0.02:
        return "utf-16-be"
    return None


def _bad_utf8_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes that are not UTF-8 as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


_MIXED_HANDLER = "kommunegraf.load.cp1252"
codecs.register_error(_MIXED_HANDLER, _bad_utf8_as_cp1252)


def _utf8_balance(data: bytes) -> tuple[str, int, int]:
    """(text with bad bytes read as Windows-1252, valid multi-byte characters, bad bytes)."""
    text = data.decode("utf-8", errors=_MIXED_HANDLER)  # one character per bad byte
    invalid = len(text) - len(data.decode("utf-8", errors="ignore"))
    high_bytes = len(data) - len(data.translate(None, _HIGH_BYTES))
    return text, len(text) - (len(data) - high_bytes) - invalid, invalid


def _decode_mixed_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray Windows-1252 bytes (a pasted quote, an edited line).

    Accepted only when valid multi-byte characters outnumber the bad bytes: genuine
    Windows-1252 text almost never forms valid UTF-8 sequences.  A sample decides early,
    since the error handler runs once per bad byte.
    """
    _, valid, invalid = _utf8_balance(data[:_MIXED_SAMPLE])
    if invalid > valid:
        return None
    text, valid, invalid = _utf8_balance(data)
    return text if valid > invalid else None


def _letter_score(text: str) -> int:
    """Non-ASCII letters minus other non-ASCII characters.

    In a Latin-alphabet text read with the right code page, the bytes above 127 are
    mostly letters (æ, ø, å, é); read with a wrong one they turn into symbols, box
    drawing and control characters.
    """
    score = 0
    for ch in text:
        if ch > "\x7f":
            score += 1 if ch.isalpha() else -1
    return score


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    """Windows-1252, or the Western code page whose reading gives the most letters."""
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("cp1252"), "cp1252"
    sample = data[:_CODEPAGE_SAMPLE]
    best = max(
        _FALLBACK_CODEPAGES,
        key=lambda encoding: _letter_score(sample.decode(encoding, errors="replace")),
    )
    return data.decode(best, errors="replace"), best


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes → (str, codec name).

    Order: a BOM; UTF-16 without BOM; strict UTF-8; the encoding an HTML page declares;
    UTF-8 with stray Windows-1252 bytes; Windows-1252; other Western code pages.  Valid
    UTF-8 goes before a declaration because pages saying "iso-8859-1" while sending UTF-8
    are common, and Windows-1252 text practically never passes as UTF-8.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return text, "utf-8-sig" if encoding == "utf-8" else encoding
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is not None:
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(encoding), encoding
        raise LoadError(name, "binary file, not text (found NUL bytes)")
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8"), "utf-8"
    if declared is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(declared), declared
    mixed = _decode_mixed_utf8(data)
    if mixed is not None:
        return mixed, "utf-8"
    return _decode_single_byte(data)


def check_not_binary(text: str, data: bytes, encoding: str, name: str) -> None:
    """Reject text with many control characters (a binary file that decoded by chance)."""
    if encoding.startswith(("utf-16", "utf-32")):
        sample = text[:_BINARY_SAMPLE]
        size, controls = len(sample), sum(1 for _ in BINARY_CONTROL.finditer(sample))
    else:  # ASCII-compatible: count the bytes, an order of magnitude faster
        raw = data[:_BINARY_SAMPLE]
        size, controls = len(raw), len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if size and controls / size > _BINARY_RATIO:
        share = round(100 * controls / size)
        raise LoadError(name, f"binary file, not text ({share}% control characters)")


def declared_html_encoding(data: bytes) -> str | None:
    from bs4.dammit import EncodingDetector

    label = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not label:
        return None
    try:
        encoding = codecs.lookup(label).name
    except LookupError:
        return None
    if encoding.startswith(("utf-16", "utf-32")):
        return None  # a meta tag readable as ASCII cannot be UTF-16 (WHATWG: read as UTF-8)
    return "cp1252" if encoding in _WINDOWS_1252_ALIASES else encoding
