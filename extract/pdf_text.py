"""A PDF's text layer, page by page (and OCR where a page has none).

pypdf is imported when a PDF is read, not when a command that reads only text starts.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kommunegraf.extract.ocr import PageProgress
from kommunegraf.extract.furniture import normalise
from kommunegraf.extract.loaded import LoadedText, LoadError

# --- PDF ----------------------------------------------------------------------------------


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_saved_level = logging.NOTSET


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning for every small flaw in a file; the caller only needs the text.

    Counted, so that overlapping loads in threads restore the level the user had set.
    """
    global _quiet_depth, _saved_level
    logger = logging.getLogger("pypdf")
    with _QUIET_LOCK:
        if _quiet_depth == 0:
            _saved_level = logger.level
            logger.setLevel(logging.CRITICAL)
        _quiet_depth += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.setLevel(_saved_level)


def _pdf_pages(data: bytes, name: str) -> list[str]:
    from pypdf import PdfReader

    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    decrypted = reader.decrypt("")
                except Exception as exc:  # e.g. AES without the cryptography package
                    raise LoadError(name, f"encrypted PDF that cannot be opened ({exc})") from exc
                if not decrypted:
                    raise LoadError(name, "encrypted PDF (needs a password)")
            pages = [page.extract_text() or "" for page in reader.pages]
        except LoadError:
            raise
        except Exception as exc:  # pypdf raises many kinds of error on damaged files
            reason = f"corrupt or truncated PDF ({type(exc).__name__}: {exc})"
            raise LoadError(name, reason) from exc
    if not pages:
        raise LoadError(name, "PDF has no pages")
    return pages


def load_pdf(
    data: bytes, name: str, ocr: bool | None = None, on_page: PageProgress | None = None
) -> LoadedText:
    """The text layer of a PDF, or its pages read by OCR (extract/ocr.py): when ``ocr`` is
    true, or when it is None (the default) and the PDF has no text layer (a scan)."""
    pages = None if ocr else _pdf_pages(data, name)
    if pages is None or not any(page.strip() for page in pages):
        if ocr is False:
            raise LoadError(name, "no text layer (scanned PDF? read it with --ocr)")
        from kommunegraf.extract.ocr import OcrError, ocr_pages

        try:
            pages = ocr_pages(data, on_page=on_page)
        except OcrError as exc:
            scanned = "no text layer (scanned PDF), and OCR failed: " if pages is not None else ""
            raise LoadError(name, f"{scanned}{exc}") from exc
        if not any(page.strip() for page in pages):
            raise LoadError(name, "no text layer, and OCR found no text on its pages")
    text = normalise("\f".join(page.replace("\f", "\n") for page in pages))
    if not text.strip():
        raise LoadError(name, "no text besides page numbers and running headers")
    return LoadedText(text=text, format="pdf", encoding=None)
