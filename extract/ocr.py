"""Text of scanned PDFs: each page rendered by pdfium and read by Tesseract's Danish model.

Older minutes are often scans: a PDF of page images with no text layer.  Part of the loading
layer (extract/load.py calls it; nothing else does): it runs the ``tesseract`` program, so it
is I/O, and it is slow (seconds a page), which is why it reports each page as it goes.

Pages are rendered at 300 dpi in grey (what Tesseract reads best for printed text) with
pypdfium2, handed to Tesseract as PNG on its standard input, and read with ``-l dan`` (the
Danish model knows æ, ø and å and Danish words).  ``--psm 4`` reads a page as one column of
text of variable sizes, which keeps a minutes page's headings, labels and paragraphs in
order.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable

from kommunegraf.errors import KommunegrafError

LANGUAGE = "dan"
DPI = 300
PAGE_TIMEOUT_SECONDS = 300  # a dense A4 page takes 2-10 s; a hung Tesseract must not hang us
INSTALL_HINT = (
    "install Tesseract and its Danish model: "
    "`apt-get install tesseract-ocr tesseract-ocr-dan` (`make system-deps` does it)"
)

# Called after each page: (page number from 1, number of pages).
PageProgress = Callable[[int, int], None]


class OcrError(KommunegrafError):
    """Why a PDF could not be read by OCR (the loader names the file with it)."""


def tesseract_problem(language: str = LANGUAGE) -> str | None:
    """Why Tesseract cannot read Danish here (missing program or model), or None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"Tesseract is not installed; {INSTALL_HINT}"
    try:
        languages = _listed(exe)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Tesseract does not run ({exc}); {INSTALL_HINT}"
    if language not in languages:
        return f"Tesseract has no '{language}' model; {INSTALL_HINT}"
    return None


def tesseract_identity(language: str = LANGUAGE) -> str:
    """What OCR reads with, in one line: Tesseract's version, and the size and time of its
    ``language`` model ("" without Tesseract).  An ingest stamps files with it
    (graph.ingest.stamps), so that a new Tesseract or model reads every file again."""
    exe = shutil.which("tesseract")
    if exe is None:
        return ""
    try:
        done = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        folder = _listed(exe).get(language, "")
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (done.stdout or done.stderr).splitlines()
    version = lines[0].strip() if lines else ""
    try:
        model = os.stat(os.path.join(folder, f"{language}.traineddata"))
    except OSError:
        return version
    return f"{version} {language} {model.st_size} {int(model.st_mtime)}"


# Tesseract's first line of `--list-langs`, naming its model folder:
# 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
MODEL_FOLDER_RE = re.compile(r'"(?P<folder>[^"]*)"')


def _listed(exe: str) -> dict[str, str]:
    """The languages Tesseract lists, each with the folder of its model ("" if unsaid)."""
    listed = subprocess.run(
        [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    lines = listed.stdout.splitlines()
    found = MODEL_FOLDER_RE.search(lines[0]) if lines else None
    folder = found["folder"] if found else ""
    return {line.strip(): folder for line in lines[1:] if line.strip()}


def ocr_pages(
    data: bytes, *, on_page: PageProgress | None = None, language: str = LANGUAGE
) -> list[str]:
    """The text of each page of the PDF ``data``, read by OCR, in page order."""
    problem = tesseract_problem(language)
    if problem is not None:
        raise OcrError(problem)
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium and its bindings raise several kinds on damaged files
        raise OcrError(_one_line(f"corrupt or truncated PDF ({exc})")) from exc
    try:
        total = len(document)
        pages: list[str] = []
        for index in range(total):
            try:
                pages.append(_read_page(document[index], language))
            except OcrError:
                raise
            except Exception as exc:  # a page pdfium or Pillow cannot render
                reason = f"page {index + 1} cannot be rendered ({type(exc).__name__}: {exc})"
                raise OcrError(_one_line(reason)) from exc
            if on_page is not None:
                on_page(index + 1, total)
        return pages
    finally:
        document.close()


def _one_line(reason: str) -> str:
    """A library's message folded to one line (an error is one line a user reads)."""
    return " ".join(reason.split())


def _read_page(page: object, language: str) -> str:
    """One page rendered to a grey PNG and read by Tesseract."""
    bitmap = page.render(scale=DPI / 72, grayscale=True)  # type: ignore[attr-defined]
    image = bitmap.to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG", dpi=(DPI, DPI))
    command = ["tesseract", "stdin", "stdout", "-l", language, "--psm", "4", "--dpi", str(DPI)]
    try:
        done = subprocess.run(
            command,
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"Tesseract took over {PAGE_TIMEOUT_SECONDS} s on a page") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(_one_line(f"Tesseract failed: {said[-1] if said else done.returncode}"))
    return done.stdout.decode("utf-8", "replace")
