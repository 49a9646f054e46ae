"""Bytes of a minutes file → normalised text, the one input every layout parser sees.

Minutes arrive as plain text in whatever encoding the publishing system used, as PDFs with
(or without) a text layer, and as HTML pages wrapped in navigation and cookie banners.
Everything after this module assumes one clean form: NFC, LF line ends, ordinary spaces,
no invisible characters, and no page furniture (page numbers, running headers) cutting
through the agenda items.  Only ``read_path``/``load_path`` touch the file system.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from kommunegraf.extract.decode import check_not_binary, declared_html_encoding, decode, strip_bom
from kommunegraf.extract.furniture import normalise
from kommunegraf.extract.html_text import html_text
from kommunegraf.extract.loaded import LoadedText, LoadError
from kommunegraf.extract.pdf_text import load_pdf

if TYPE_CHECKING:
    from kommunegraf.extract.ocr import PageProgress

# bs4 and pypdf are imported where a page or PDF is read: importing them costs a few tenths
# of a second, which a short command that only reads text files should not pay.

# The stdlib ``re`` is used on purpose: these patterns are character classes and ASCII
# shapes (no word boundaries next to æ/ø/å), and ``re`` scans such classes faster than
# ``regex``, which matters because every document passes through here.

__all__ = [
    "LoadError",
    "LoadedText",
    "load_bytes",
    "load_path",
    "normalise",
    "read_path",
    "read_sidecar",
]


# --- format detection -------------------------------------------------------------------

_PDF_SUFFIXES = frozenset({".pdf"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_JSON_SUFFIXES = frozenset({".json"})

# Leading bytes of formats that are not text and that we do not read: (magic, description).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive, e.g. .docx/.xlsx; save it as PDF or text first"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls); save it as PDF"),
    (b"{\\rtf", "an RTF document; save it as PDF or plain text first"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
)

# "<!DOCTYPE html>", "<html lang=da>", "  <head>" at the start of a file whose name says nothing
HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


# the opening of a JSON object whatever the file is called: '{"Id": …', '{\n  "Udvalg"', '{}'
JSON_OBJECT_START = re.compile(rb'\s*\{\s*(?:"|\}\s*$)')


def _decide_format(data: bytes, name: str) -> str:
    """The name's suffix says what the file claims to be; the first bytes say what it is."""
    suffix = PurePath(name).suffix.lower()
    # A PDF header may follow a little junk; only trusted there when the name says PDF.
    if data.startswith(b"%PDF-") or (suffix in _PDF_SUFFIXES and b"%PDF-" in data[:1024]):
        return "pdf"
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise LoadError(name, f"binary file, not text ({what})")
    if suffix in _PDF_SUFFIXES:
        if HTML_START.match(data[:4096]):
            raise LoadError(name, "not a PDF (the file is an HTML page; was a download blocked?)")
        raise LoadError(name, "not a PDF (no %PDF header)")
    if suffix in _HTML_SUFFIXES:
        return "html"
    head = strip_bom(data[:4096])
    if suffix in _JSON_SUFFIXES or JSON_OBJECT_START.match(head):
        return "json"
    if suffix not in _TEXT_SUFFIXES and HTML_START.match(head):
        return "html"
    return "text"


# --- JSON (a FirstAgenda Publication meeting) ---------------------------------------------

# The keys that make a JSON object a meeting as ``GET /api/agenda/dagsorden/<id>`` returns it.
FIRSTAGENDA_KEYS = ("Dagsordenpunkter", "Moede", "Udvalg")
# The keys of the sidecar ``fetch`` writes beside a meeting (contracts.md).
_SIDECAR_KEYS = frozenset({"meeting_id", "fetched_at", "sha256"})


def _load_json(data: bytes, name: str, claimed: bool) -> LoadedText | None:
    """A FirstAgenda meeting's JSON, parsed; None when an unnamed file is not such JSON.

    ``claimed``: the name says JSON, so anything else is an error; otherwise a file that only
    opens like a JSON object falls back to being read as text.
    """
    raw, encoding = decode(data, name)
    try:
        parsed = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        if not claimed:
            return None
        if isinstance(exc, RecursionError):
            raise LoadError(name, "JSON nested too deeply to read") from None
        at = f"line {exc.lineno}, column {exc.colno}"
        if not raw[exc.pos :].strip() or _left_open(raw):  # it ran out before the object closed
            reason = f"truncated JSON (it ends inside a value at {at}; an interrupted download?)"
        else:
            reason = f"broken JSON ({exc.msg} at {at})"
        raise LoadError(name, reason) from None
    if isinstance(parsed, dict) and all(key in parsed for key in FIRSTAGENDA_KEYS):
        if not isinstance(parsed["Dagsordenpunkter"], list):
            raise LoadError(name, "FirstAgenda meeting whose Dagsordenpunkter is not a list")
        if not isinstance(parsed["Moede"], dict) or not isinstance(parsed["Udvalg"], dict):
            raise LoadError(name, "FirstAgenda meeting without its Moede/Udvalg objects")
        return LoadedText(text=raw, format="json", encoding=encoding, data=parsed)
    if not claimed:
        return None
    if isinstance(parsed, dict) and parsed.keys() >= _SIDECAR_KEYS:
        raise LoadError(name, "a fetch sidecar (.meta.json), not a meeting")
    if isinstance(parsed, dict):
        keys = ", ".join(sorted(map(str, parsed))[:6]) or "none"
        shape = f"an object with keys {keys}"
    else:
        shape = f"a JSON {type(parsed).__name__}"
    missing = "/".join(FIRSTAGENDA_KEYS)
    raise LoadError(name, f"JSON, but not a FirstAgenda meeting (no {missing}; {shape})")


def _left_open(raw: str) -> bool:
    """Whether JSON text ends inside a string or with brackets still open (cut off)."""
    depth, in_string, escaped = 0, False, False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return in_string or depth > 0


def read_sidecar(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The ``<id>.meta.json`` that ``fetch`` writes beside ``<id>.json``, if there is one.

    A sidecar only adds facts (the portal's municipality), so one that is missing or cannot
    be read leaves the meeting to be read on its own rather than failing it.
    """
    p = PurePath(os.fspath(path))
    if p.suffix.lower() != ".json" or p.name.lower().endswith(".meta.json"):
        return None
    sidecar = os.path.join(os.fspath(p.parent), p.stem + ".meta.json")
    try:
        with open(sidecar, "rb") as handle:
            parsed = json.loads(handle.read(1 << 20))
    except (OSError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


# --- entry points -------------------------------------------------------------------------


def load_bytes(
    data: bytes, name: str, *, ocr: bool | None = None, on_page: PageProgress | None = None
) -> LoadedText:
    """Decide the format from the name's suffix and the leading bytes, then read the text.

    ``name`` appears in errors and selects the format; nothing is read from disk (but a
    scanned PDF is read by OCR: ``ocr`` True always, None when it has no text layer, False
    never; ``on_page`` hears of each page OCR reads).
    """
    if not data:
        raise LoadError(name, "empty file")
    kind = _decide_format(data, name)
    if kind == "pdf":
        return load_pdf(data, name, ocr, on_page)
    if kind == "json":
        claimed = PurePath(name).suffix.lower() in _JSON_SUFFIXES
        loaded = _load_json(data, name, claimed)
        if loaded is not None:
            return loaded
        kind = "text"
    if kind == "html":
        markup, encoding = decode(data, name, declared_html_encoding(data))
        check_not_binary(markup, data, encoding, name)
        text = normalise(html_text(markup, name))
        if not text.strip():
            raise LoadError(name, "no text in the HTML page")
        return LoadedText(text=text, format="html", encoding=encoding, data=markup)
    raw, encoding = decode(data, name)
    check_not_binary(raw, data, encoding, name)
    text = normalise(raw)
    if not text.strip():
        raise LoadError(name, "empty file (only whitespace)")
    return LoadedText(text=text, format="text", encoding=encoding)


_OS_REASONS = {
    errno.ENOENT: "file not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a directory, not a file",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a directory",
}


def read_path(path: str | os.PathLike[str]) -> bytes:
    """The bytes of one regular file; every failure is a LoadError naming the path.

    Callers that also hash the file hash these bytes, so that the digest always belongs to
    the text that was read (a file rewritten between two reads would otherwise get the
    identity of one version and the content of the other).
    """
    name = os.fspath(path)
    try:
        mode = os.stat(name).st_mode
        if stat.S_ISDIR(mode):
            raise LoadError(name, _OS_REASONS[errno.EISDIR])
        if not stat.S_ISREG(mode):  # a pipe or device would block or never end
            raise LoadError(name, "not a regular file")
        with open(name, "rb") as handle:
            return handle.read()
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
        raise LoadError(name, reason) from exc


def load_path(path: str | os.PathLike[str]) -> LoadedText:
    """Read one file and load it; every failure is a LoadError naming the path."""
    return load_bytes(read_path(path), os.fspath(path))
