"""Scanned PDFs: a PDF of page images, with no text layer, is read by OCR (Tesseract's Danish
model) when asked (`--ocr`) or when it has no text layer, one progress line a page; without
Tesseract the error says how to install it.

The scan is made here: invented minutes are typeset with fpdf2, each page rendered to an
image with pypdfium2, and the images saved as a PDF by Pillow — so the PDF has no text at
all, only pictures of text, as a scanner makes.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract import ocr as ocr_module
from kommunegraf.extract.load import LoadError

ROOT = Path(__file__).resolve().parent.parent
UNDER_CI = __import__("os").environ.get("CI", "").lower() == "true"

MINUTES = """OPDIGTET TESTDOKUMENT
Faxe Kommune
Referat
Teknik- og Miljøudvalget
Mødedato: 12. marts 2024
Mødetidspunkt: Kl. 16:00
Mødested: Rådhuset, mødelokale 3

Punkt 1: Godkendelse af dagsorden
Sagsnr.: 24/1187
Beslutning
Godkendt.

Punkt 2: Ny belysning på stien ved Søparken
Sagsnr.: 24/2210
Sagsfremstilling
Forvaltningen foreslår at udskifte belysningen på stien ved Søparken med nye armaturer.
Indstilling
Forvaltningen indstiller, at projektet godkendes.
Beslutning
Godkendt.

Punkt 3: Orientering om vintertjenesten
Sagsnr.: 24/0915
Beslutning
Taget til efterretning.
"""


def _scanned_pdf(text: str, dpi: int = 200) -> bytes:
    """``text`` typeset, rendered to page images, and saved as a PDF of images only."""
    fpdf = pytest.importorskip("fpdf")
    import pypdfium2 as pdfium

    typeset = fpdf.FPDF(format="A4")
    typeset.set_font("Helvetica", size=12)
    typeset.add_page()
    for paragraph in text.split("\n\n"):
        for line in paragraph.splitlines():
            typeset.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        typeset.ln(5)
        if paragraph.startswith("Punkt 2"):
            typeset.add_page()  # two pages: a progress line each
    document = pdfium.PdfDocument(bytes(typeset.output()))
    images = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    problem = ocr_module.tesseract_problem()
    if problem is not None:
        if UNDER_CI:
            pytest.fail(f"make test installs Tesseract: {problem}")
        pytest.skip(problem)
    path = tmp_path_factory.mktemp("scan") / "scannet-referat.pdf"
    path.write_bytes(_scanned_pdf(MINUTES))
    return path


def test_the_scan_has_no_text_layer(scan: Path) -> None:
    with pytest.raises(LoadError, match="no text layer"):
        extract_path(scan, ocr=False)


def test_a_scan_is_read_by_ocr_page_by_page(scan: Path) -> None:
    pages: list[tuple[int, int]] = []
    record = extract_path(scan, on_page=lambda page, total: pages.append((page, total)))
    assert pages == [(1, 2), (2, 2)]
    assert record.source.format == "pdf"
    assert record.municipality.code == "320"
    assert record.meeting.date == "2024-03-12"
    assert [(i.number, i.case_number) for i in record.items] == [
        (1, "24/1187"),
        (2, "24/2210"),
        (3, "24/0915"),
    ]
    assert record.items[1].title == "Ny belysning på stien ved Søparken"
    assert [[d.outcome for d in i.decisions] for i in record.items] == [
        ["approved"],
        ["approved"],
        ["noted"],
    ]


def test_ocr_on_request_and_its_progress_lines(scan: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kommunegraf", "extract", str(scan), "--ocr"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert f"ocr: {scan}: page 1/2" in done.stderr and "page 2/2" in done.stderr
    assert '"Orientering om vintertjenesten"' in done.stdout


def test_without_tesseract_the_error_says_how_to_install_it(
    scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    with pytest.raises(LoadError) as raised:
        extract_path(scan)
    said = str(raised.value)
    assert "no text layer" in said and "Tesseract is not installed" in said
    assert "apt-get install tesseract-ocr tesseract-ocr-dan" in said


def test_the_model_folder_is_read_from_the_language_listing() -> None:
    """MODEL_FOLDER_RE: the folder in the first line Tesseract prints for `--list-langs`."""
    first = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    found = ocr_module.MODEL_FOLDER_RE.search(first)
    assert found and found["folder"] == "/usr/share/tesseract-ocr/5/tessdata/"
    assert ocr_module.MODEL_FOLDER_RE.search("List of available languages (3):") is None


def test_tesseract_identity_names_the_version_and_the_danish_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What an ingest's file stamps carry of OCR (graph.ingest.stamps); none without it."""
    identity = ocr_module.tesseract_identity()
    version, language, size, mtime = identity.rsplit(" ", 3)
    assert version.startswith("tesseract ") and language == "dan"
    assert int(size) > 0 and int(mtime) > 0
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    assert ocr_module.tesseract_identity() == ""


def test_a_damaged_pdf_is_one_line_of_error_whatever_pdfium_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pdfium's bindings raise more than PdfiumError on damaged files (seen under Hypothesis's
    random bytes); every such failure is the file's one-line LoadError."""
    import pypdfium2 as pdfium

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("bad xref\nat offset 7")

    monkeypatch.setattr(ocr_module, "tesseract_problem", lambda language="dan": None)
    monkeypatch.setattr(pdfium, "PdfDocument", broken)
    with pytest.raises(LoadError) as raised:
        extract_path_bytes = b"%PDF-1.4\n%%EOF\n"
        from kommunegraf.extract.load import load_bytes

        load_bytes(extract_path_bytes, "skadet.pdf", ocr=True)
    assert "\n" not in str(raised.value)
    assert "corrupt or truncated PDF" in raised.value.reason
