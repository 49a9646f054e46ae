"""extract.load: bytes of a minutes file → normalised text.

Inputs are generated here (Danish text encoded every way a municipality's system might,
PDFs drawn with fpdf2, HTML pages with their chrome) rather than stored as fixtures.
"""

from __future__ import annotations

import codecs
import os
import pickle
import random
import re
import time
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommunegraf.extract import furniture
from kommunegraf.extract.load import LoadedText, LoadError, load_bytes, load_path, normalise

DANISH = (
    "Punkt 4: Ansøgning om tilskud til Æblehavens Børnehus\n"
    "\n"
    "Sagsnr.: 27.12.04-P20-3-23\n"
    "\n"
    "Beslutning i Børne- og Ungeudvalget den 4. marts 2024:\n"
    "Godkendt. Fraværende: Søren Ørsted (Å) og Åse Frølund (Ø).\n"
)

# --- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (DANISH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + DANISH.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + DANISH.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + DANISH.encode("utf-16-be"), "utf-16-be"),
        (DANISH.encode("utf-16"), "utf-16-le"),  # Python writes LE with a BOM
        (codecs.BOM_UTF32_LE + DANISH.encode("utf-32-le"), "utf-32-le"),
        (DANISH.encode("cp1252"), "cp1252"),
        (DANISH.encode("latin-1"), "cp1252"),  # identical bytes for æ, ø, å
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16-native", "utf32le-bom",
         "cp1252", "latin1"],
)  # fmt: skip
def test_text_encodings_decode_to_the_same_danish_text(data: bytes, encoding: str) -> None:
    loaded = load_bytes(data, "referat.txt")
    assert loaded == LoadedText(DANISH.strip("\n"), "text", encoding)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(codec: str) -> None:
    loaded = load_bytes(DANISH.encode(codec), "referat.txt")
    assert loaded.text == DANISH.strip("\n")
    assert loaded.encoding == codec


def test_cp1252_curly_quotes_euro_and_dashes() -> None:
    text = "Udvalget kaldte det „en god løsning“ – prisen er 1.250 € ‘inkl. moms’ … “OK”"
    loaded = load_bytes(text.encode("cp1252"), "bilag.txt")
    assert loaded.encoding == "cp1252"
    assert loaded.text == text


def test_latin1_with_undefined_cp1252_byte_still_loads() -> None:
    # 0x81 is undefined in Windows-1252: the loader must fall back, not crash.
    data = "Kære Åse, mødet flyttes.".encode("latin-1") + b"\x81 Tak."
    loaded = load_bytes(data, "brev.txt")
    assert loaded.text == "Kære Åse, mødet flyttes.\ufffd Tak."
    assert loaded.encoding == "cp1252"


def test_dos_code_page_is_detected_when_windows_1252_cannot_decode() -> None:
    # Ø (0x9D) and Å (0x8F) in DOS code pages are undefined in Windows-1252.
    text = "ØKONOMIUDVALGET: Åbningstider i Ølstykke og Års bibliotek ændres fra 1. maj."
    loaded = load_bytes(text.encode("cp865"), "gammel.txt")
    assert loaded.text == text
    assert loaded.encoding in {"cp865", "cp850"}


def test_utf8_with_a_stray_cp1252_byte_keeps_the_utf8() -> None:
    data = "Mødet i Ærøskøbing: ".encode() + b"\x93Godkendt\x94" + " – enstemmigt.".encode()
    loaded = load_bytes(data, "referat.txt")
    assert loaded.encoding == "utf-8"
    assert loaded.text == "Mødet i Ærøskøbing: “Godkendt” – enstemmigt."


# --- normalise ------------------------------------------------------------------------------


def test_normalise_composes_to_nfc() -> None:
    decomposed = "A\u030arhus og Fa\u0308rø"  # Å and ä as base letter + combining mark
    assert normalise(decomposed) == "Århus og Färø"


def test_normalise_line_ends() -> None:
    assert normalise("Punkt 1\r\nPunkt 2\rPunkt 3\n") == "Punkt 1\nPunkt 2\nPunkt 3"


def test_normalise_spaces_and_invisible_characters() -> None:
    raw = (
        "12\u00a0500\u202fkr. i\u2007alt\n"
        "Be\u00adslut\u00adning\u200b\n"
        "Bør\u200cne\u200d\u2060huset\ufeff\n"
        "\ufeffTeknik"
    )
    assert normalise(raw) == "12 500 kr. i alt\nBeslutning\nBørnehuset\nTeknik"


def test_normalise_unfolds_pdf_ligatures() -> None:
    ligatures = "\ufb01nansiering af \ufb02ygtningeboliger"
    assert normalise(ligatures) == "finansiering af flygtningeboliger"


def test_normalise_drops_control_characters_but_keeps_tabs() -> None:
    raw = "Navn\tParti\x07\nJens\x1b Hansen\tA\x00\x9c"
    assert normalise(raw) == "Navn\tParti\nJens Hansen\tA"


def test_normalise_line_separators_become_line_ends() -> None:
    assert normalise("Beslutning\x0bGodkendt\u2028Punkt 2") == "Beslutning\nGodkendt\nPunkt 2"


def test_normalise_trailing_spaces_and_blank_runs() -> None:
    raw = "\n\n  Overskrift   \n\n\n\n\nAfsnit et \t\n \n\t\nAfsnit to\n\nAfsnit tre\n\n\n"
    assert normalise(raw) == "  Overskrift\n\nAfsnit et\n\nAfsnit to\n\nAfsnit tre"


# --- page furniture -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["Side 2", "Side 2 af 14", "side 3/9", "SIDE 12 AF 40", "- 2 -", "– 7 –", "Page 4 of 7"]
)
def test_lone_page_numbers_are_removed(line: str) -> None:
    assert normalise(f"Første afsnit.\n{line}\nAndet afsnit.") == "Første afsnit.\nAndet afsnit."


@pytest.mark.parametrize(
    "line",
    [
        "Side 2 i bilaget viser tallene.",  # a sentence, not furniture
        "-1,1",  # a negative amount in a table
        "17/46",  # a case number alone on a line
        "2024-25",
    ],
)
def test_lines_that_only_resemble_page_numbers_stay(line: str) -> None:
    assert (
        normalise(f"Første afsnit.\n{line}\nAndet afsnit.")
        == f"Første afsnit.\n{line}\nAndet afsnit."
    )


def test_page_of_pages_series_removed_without_page_breaks() -> None:
    body = [f"Afsnit {n} om budgettet." for n in range(1, 5)]
    raw = "\n".join(f"{b}\n{n}/4" for n, b in enumerate(body, start=1))
    assert normalise(raw) == "\n".join(body)


def test_case_numbers_in_slash_form_are_kept_without_page_breaks() -> None:
    raw = "Punkt 1\n24/1311\nTekst\nPunkt 2\n23/877\nTekst\nPunkt 3\n24/90\nTekst"
    assert normalise(raw) == raw


def _paged(pages: list[list[str]]) -> str:
    return "\f".join("\n".join(lines) for lines in pages)


def test_running_header_removed_at_form_feed_page_breaks() -> None:
    header = "Teknik- og Miljøudvalget 04.03.2024"
    pages = [
        [header, f"Tekst på side {n} om vejene i Hørve.", "Mere tekst.", f"{n}/5"]
        for n in range(1, 6)
    ]
    out = normalise(_paged(pages))
    assert header not in out
    assert "/5" not in out
    assert out.count("Mere tekst.") == 5
    assert "Tekst på side 3 om vejene i Hørve." in out
    assert "\n\n" in out  # pages are joined by a blank line


def test_running_footer_with_page_number_removed() -> None:
    pages = [
        ["Indhold", f"Punkt {n}: Emne nummer {n}", "Brødtekst.", f"Referat 04.03.2024 - side {n}"]
        for n in range(1, 5)
    ]
    out = normalise(_paged(pages))
    assert "Referat" not in out
    assert all(f"Punkt {n}: Emne nummer {n}" in out for n in range(1, 5))


def test_repeated_line_on_too_few_pages_is_kept() -> None:
    header = "Økonomiudvalget 12.03.2024"
    pages = [[header, "Tekst."], [header, "Tekst."], ["Andet.", "Tekst."], ["Mere.", "Tekst."]]
    out = normalise(_paged(pages))
    assert out.count(header) == 2  # on 2 of 4 pages: not "at least 3 pages"


def test_header_on_three_of_seven_pages_is_kept() -> None:
    header = "Bilag til Plan- og Boligudvalget"
    pages = [[header if n < 3 else f"Afsnit {n}", f"Tekst {n} om lokalplanen."] for n in range(7)]
    assert normalise(_paged(pages)).count(header) == 3  # not on most pages


def test_case_numbers_opening_every_page_are_kept() -> None:
    cases = ["27.12.04-P20-3-23", "00.01.00-A00-11-24", "82.07.00-G01-5-22", "01.02.05-P19-1-24"]
    pages = [[case, f"Sag om emne {i}.", "Tekst."] for i, case in enumerate(cases)]
    out = normalise(_paged(pages))
    assert all(case in out for case in cases)


def test_decision_lines_ending_most_pages_are_kept() -> None:
    # One item per page, each ending in the same decision; the decision also occurs
    # inside a page, which tells it from furniture.
    pages = [
        [f"Punkt {n}: Emne {chr(65 + n)}", "Resume", "Sagen forelægges.", "Beslutning",
         "Godkendt", "Punkt 9: Tillæg", "Beslutning", "Godkendt"] if n == 0 else
        [f"Punkt {n}: Emne {chr(65 + n)}", "Resume", "Sagen forelægges.", "Beslutning",
         "Godkendt"]
        for n in range(5)
    ]  # fmt: skip
    out = normalise(_paged(pages))
    assert out.count("Godkendt") == 6
    assert out.count("Beslutning") == 6


# --- PDF ------------------------------------------------------------------------------------


def _pdf(
    bodies: list[str],
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A PDF drawn with fpdf2's core font (Latin-1, so æ, ø, å are in it)."""

    class Minutes(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            if footer:
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 8, footer.format(n=self.page_no()), align="C")

    pdf = Minutes()
    for body in bodies:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
    return bytes(pdf.output())


PDF_BODIES = [
    "Punkt 12: Godkendelse af dagsorden\nBeslutning\nGodkendt.",
    "Punkt 13: Tilskud til Fælleshuset i Vrå\n01.02.05-P19-1-24\nUdvalget bevilgede 12.500 kr.",
    "Punkt 14: Vejbelysning på Ågade\nOrientering om projektet.\nTaget til efterretning.",
    "Punkt 15: Eventuelt\nIntet at bemærke fra Søren Ørum (Ø).",
]


def test_pdf_running_header_and_page_footers_removed() -> None:
    data = _pdf(PDF_BODIES, header="Økonomiudvalget 12.03.2024", footer="Side {n} af {{nb}}")
    loaded = load_bytes(data, "referat.pdf")
    assert loaded.format == "pdf"
    assert loaded.encoding is None
    assert loaded.text.count("Økonomiudvalget 12.03.2024") <= 1
    assert not [line for line in loaded.text.splitlines() if line.startswith("Side")]
    for body in PDF_BODIES:
        assert body in loaded.text
    assert loaded.text.count("\n\n") == 3  # pages joined by a blank line


def test_pdf_without_furniture_keeps_every_line() -> None:
    loaded = load_bytes(_pdf(PDF_BODIES), "referat.pdf")
    assert loaded.text == "\n\n".join(PDF_BODIES)


def test_pdf_without_text_layer() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60)
    with pytest.raises(LoadError) as err:
        load_bytes(bytes(pdf.output()), "scannet.pdf", ocr=False)
    assert err.value.reason == "no text layer (scanned PDF? read it with --ocr)"
    assert str(err.value) == "scannet.pdf: no text layer (scanned PDF? read it with --ocr)"
    # by default OCR reads it (tests/test_ocr.py): a drawing gives no text, and it says so
    with pytest.raises(LoadError) as err:
        load_bytes(bytes(pdf.output()), "scannet.pdf")
    assert err.value.reason.startswith("no text layer"), err.value.reason


def test_zero_byte_pdf() -> None:
    with pytest.raises(LoadError, match=r"^tom\.pdf: empty file$"):
        load_bytes(b"", "tom.pdf")


def test_pdf_name_with_html_bytes() -> None:
    page = b"<!DOCTYPE html><html><body>Adgang n\xc3\xa6gtet</body></html>"
    with pytest.raises(LoadError, match=r"not a PDF .*HTML page"):
        load_bytes(page, "referat.pdf")


def test_pdf_name_with_text_bytes() -> None:
    with pytest.raises(LoadError, match=r"not a PDF \(no %PDF header\)"):
        load_bytes(DANISH.encode(), "referat.pdf")


@pytest.mark.parametrize("keep", [0.5, 0.3, 0.1])
def test_truncated_pdf_is_a_load_error(keep: float) -> None:
    data = _pdf(PDF_BODIES)
    with pytest.raises(LoadError, match="corrupt or truncated PDF"):
        load_bytes(data[: int(len(data) * keep)], "afbrudt.pdf")


def test_encrypted_pdf_needs_password() -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="ejer", user_password="hemmelig")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Lukket punkt om Ærø")
    with pytest.raises(LoadError, match="encrypted PDF"):
        load_bytes(bytes(pdf.output()), "lukket.pdf")


def test_pdf_recognised_by_magic_whatever_the_name() -> None:
    assert load_bytes(_pdf(PDF_BODIES[:1]), "download").format == "pdf"


def test_damaged_pdf_loads_quietly(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    data = _pdf(PDF_BODIES)
    pointer = re.search(rb"startxref\n(\d+)", data)
    assert pointer is not None
    wrong = str(int(pointer.group(1)) + 7).encode()  # pypdf warns, then rebuilds the xref
    damaged = data[: pointer.start(1)] + wrong + data[pointer.end(1) :]
    loaded = load_bytes(damaged, "skadet.pdf")
    assert PDF_BODIES[0] in loaded.text
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


# --- HTML -----------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Referat</title>
<style>body { color: red }</style>
<script>var menu = "Forside";</script></head>
<body>
<header><a href="/">Forside</a> <a href="/politik">Politik</a></header>
<nav><ul><li>Menu: Borger</li><li>Erhverv</li></ul></nav>
<div id="CybotCookiebotDialog"><p>Vi bruger cookies til statistik.</p>
  <button>Accepter alle</button></div>
<div class="gdpr-notice">Læs om dine data</div>
<main>
<article>
  <header><h1>Referat af Kultur- og Fritidsudvalget</h1></header>
  <h2>Punkt 7: Tilskud til <em>Foreningen Østhavn</em></h2>
  <p>Udvalget   drøftede
     ansøgningen.</p>
  <ul><li>Beløb: 40.000 kr.</li><li>Periode: 2024-2025</li></ul>
  <table>
    <tr><th>Navn</th><th>Parti</th><th>Stemme</th></tr>
    <tr><td>Åse Mørk</td><td>A</td><td>For</td></tr>
    <tr><td>Jørn Bæk</td><td>V</td><td>Imod</td></tr>
  </table>
  <p>Linje et<br>Linje to</p>
  <noscript>Slå JavaScript til</noscript>
</article>
</main>
<form><input name="q"> Søg på siden</form>
<footer>Kommunen · Rådhuset · Tlf. 12 34 56 78</footer>
</body></html>
"""


def test_html_keeps_content_lines_and_drops_chrome() -> None:
    loaded = load_bytes(HTML_PAGE.encode("utf-8"), "referat.html")
    assert loaded.format == "html"
    assert loaded.encoding == "utf-8"
    lines = [line for line in loaded.text.split("\n") if line]
    assert lines == [
        "Referat",  # the page <title> comes first: it often names the municipality
        "Referat af Kultur- og Fritidsudvalget",
        "Punkt 7: Tilskud til Foreningen Østhavn",
        "Udvalget drøftede ansøgningen.",
        "Beløb: 40.000 kr.",
        "Periode: 2024-2025",
        "Navn\tParti\tStemme",
        "Åse Mørk\tA\tFor",
        "Jørn Bæk\tV\tImod",
        "Linje et",
        "Linje to",
    ]


def test_html_meta_charset_windows_1252() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "</head><body><p>“Børnehaven” koster 5 €</p></body></html>"
    )
    loaded = load_bytes(page.encode("cp1252"), "side.htm")
    assert loaded.encoding == "cp1252"  # browsers read iso-8859-1 as Windows-1252
    assert loaded.text == "“Børnehaven” koster 5 €"


def test_html_declared_latin1_but_sent_as_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Vejle Fjord – ål</p></body>'
    loaded = load_bytes(page.encode("utf-8"), "side.html")
    assert loaded.text == "Vejle Fjord – ål"


def test_html_utf16_with_bom() -> None:
    page = "<html><body><h1>Møde</h1><p>Dagsorden for Ærø</p></body></html>"
    loaded = load_bytes(page.encode("utf-16"), "side.html")
    assert loaded.text == "Møde\n\nDagsorden for Ærø"


def test_html_sniffed_without_suffix() -> None:
    page = b"<!doctype html><html><body><p>Referat</p><script>x()</script></body></html>"
    loaded = load_bytes(page, "download")
    assert (loaded.format, loaded.text) == ("html", "Referat")


def test_html_with_only_chrome_is_an_error() -> None:
    page = b"<html><body><nav>Forside</nav><script>x()</script></body></html>"
    with pytest.raises(LoadError, match="no text in the HTML page"):
        load_bytes(page, "tom.html")


def test_html_body_with_consent_class_is_not_dropped() -> None:
    page = b'<html><body class="cookie-consent-pending"><p>Referat</p></body></html>'
    assert load_bytes(page, "side.html").text == "Referat"


def test_table_inside_a_cell_folds_into_that_cell() -> None:
    page = (
        "<table><tr><td>Bilag</td><td><table><tr><td>1.</td><td>Kort over Ølby</td></tr>"
        "</table></td><td>Side 3</td></tr><tr><td>Bilag</td><td>2.</td><td>Notat</td></tr>"
        "</table>"
    )
    loaded = load_bytes(page.encode(), "bilag.html")
    assert loaded.text == "Bilag\t1. Kort over Ølby\tSide 3\nBilag\t2.\tNotat"


def test_html_without_head_end_keeps_its_text() -> None:
    page = b"<html><head><title>Referat</title><p>Punkt 1: Godkendelse"
    assert load_bytes(page, "brudt.html").text == "Referat\n\nPunkt 1: Godkendelse"


def test_deeply_nested_html_does_not_overflow() -> None:
    page = "<div>" * 5000 + "Dybt indhold" + "</div>" * 5000
    assert load_bytes(page.encode(), "dyb.html").text == "Dybt indhold"


# --- not text -------------------------------------------------------------------------------


def test_empty_file() -> None:
    with pytest.raises(LoadError, match=r"^tom\.txt: empty file$"):
        load_bytes(b"", "tom.txt")


def test_whitespace_only_file() -> None:
    with pytest.raises(LoadError, match="empty file"):
        load_bytes(b"  \r\n\t\n\xc2\xa0\n", "blank.txt")


def test_random_binary_with_nul_bytes() -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(LoadError) as err:
        load_bytes(data, "data.txt")
    assert err.value.reason == "binary file, not text (found NUL bytes)"


def test_control_heavy_bytes_without_nul() -> None:
    rng = random.Random(11)
    data = bytes(rng.choice([*range(1, 9), *range(14, 32), *range(65, 91)]) for _ in range(2000))
    with pytest.raises(LoadError, match=r"binary file, not text \(\d+% control characters\)"):
        load_bytes(data, "data.txt")


def test_control_heavy_utf16_is_binary() -> None:
    data = codecs.BOM_UTF16_LE + ("\x01\x02\x03Ærø\x04\x05" * 50).encode("utf-16-le")
    with pytest.raises(LoadError, match=r"binary file, not text \(\d+% control characters\)"):
        load_bytes(data, "data.txt")


@pytest.mark.parametrize(
    ("magic", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"{\\rtf1\\ansi Referat", "RTF document"),
    ],
)
def test_known_binary_formats_are_named(magic: bytes, what: str) -> None:
    with pytest.raises(LoadError, match=f"binary file, not text \\(an? {what}"):
        load_bytes(magic + b"rest", "referat.txt")


# --- load_path ------------------------------------------------------------------------------


def test_load_path_reads_and_names(tmp_path: Path) -> None:
    path = tmp_path / "referat.txt"
    path.write_bytes(codecs.BOM_UTF8 + DANISH.replace("\n", "\r\n").encode())
    assert load_path(path) == LoadedText(DANISH.strip("\n"), "text", "utf-8-sig")
    assert load_path(str(path)) == load_path(path)


def test_load_path_missing(tmp_path: Path) -> None:
    path = tmp_path / "findes-ikke.pdf"
    with pytest.raises(LoadError) as err:
        load_path(path)
    assert str(err.value) == f"{path}: file not found"


def test_load_path_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        load_path(tmp_path)
    assert err.value.name == str(tmp_path)
    assert err.value.reason == "is a directory, not a file"


def test_load_path_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "låst.txt"
    path.write_text("Fortroligt", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root (or CAP_DAC_OVERRIDE) reads it anyway
            pytest.skip("permissions do not block reading for this user; see directory test")
        with pytest.raises(LoadError, match=r"låst\.txt: permission denied$"):
            load_path(path)
    finally:
        path.chmod(0o600)


def test_load_path_symlink_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(LoadError, match=r"a\.txt: symbolic link loop$"):
        load_path(a)


def test_load_path_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "rør.txt"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        load_path(fifo)  # opening it would block forever


def test_load_error_is_one_line_and_survives_pickling() -> None:
    err = LoadError("mappe/x.pdf", "corrupt PDF (line one\nline two)")
    assert "\n" not in str(err)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.name, copy.reason, str(copy)) == (err.name, err.reason, str(err))


# --- the seeds ------------------------------------------------------------------------------


def test_seeds_load_without_losing_a_line(seed_paths: list[Path]) -> None:
    assert seed_paths
    for path in seed_paths:
        loaded = load_path(path)
        assert (loaded.format, loaded.encoding) == ("text", "utf-8")
        raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        expected = [normalise(line) for line in raw.split("\n") if line.strip()]
        assert [line for line in loaded.text.split("\n") if line] == expected, path.name


# --- speed and robustness -------------------------------------------------------------------


def test_twenty_megabyte_single_line_is_fast() -> None:
    line = ("Udvalget godkendte indstillingen om Ærø-færgen med 12.500 kr. " * 400_000)[:20_000_000]
    start = time.perf_counter()
    loaded = load_bytes(line.encode(), "lang.txt")
    elapsed = time.perf_counter() - start
    assert len(loaded.text) == len(line.rstrip())
    assert elapsed < 10, f"{elapsed:.1f}s for 20 MB"  # ~0.5 s expected; quadratic would be minutes


_SUFFIXES = st.sampled_from(["x.txt", "x.pdf", "x.html", "x.htm", "x", "x.csv"])


def _mangled_pdfs() -> st.SearchStrategy[bytes]:
    base = _pdf(PDF_BODIES[:2], header="Byrådet 01.02.2024")

    def mangle(cut: int, flips: list[tuple[int, int]]) -> bytes:
        data = bytearray(base[: max(cut, 8)])
        for pos, value in flips:
            data[pos % len(data)] = value
        return bytes(data)

    return st.builds(
        mangle,
        st.integers(0, len(base)),
        st.lists(st.tuples(st.integers(0, len(base)), st.integers(0, 255)), max_size=8),
    )


_ANY_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.text(max_size=300).map(lambda t: ("<html><body>" + t).encode("utf-8")),
    _mangled_pdfs(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_ANY_BYTES, name=_SUFFIXES)
def test_any_bytes_load_or_raise_load_error(data: bytes, name: str) -> None:
    try:
        loaded = load_bytes(data, name)
    except LoadError as err:
        assert err.name == name
        assert err.reason and "\n" not in str(err)
    else:
        assert isinstance(loaded, LoadedText)
        assert loaded.text.strip()
        assert loaded.format in {"text", "pdf", "html"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_normalise_output_is_clean(text: str) -> None:
    out = normalise(text)
    assert "\r" not in out and "\f" not in out
    assert not furniture.SPECIAL_CHAR.search(out)
    assert "\n\n\n" not in out
    assert all(line == line.rstrip() for line in out.split("\n"))
    assert out == out.strip("\n")
