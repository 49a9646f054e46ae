"""Every named pattern in extract.patterns, with cases of our own (none from the seeds)."""

from __future__ import annotations

import pytest

from kommunegraf.extract import patterns as p
from kommunegraf.extract.text import dates, fold


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Mødet den 03.11.2024", "2024-11-03"),
        ("d. 7-2-2022", "2022-02-07"),
        ("Bek. af 1/7-2021", "2021-07-01"),
        ("den 12. marts 2024", "2024-03-12"),
        ("den 4. okt. 2023", "2023-10-04"),
        ("2025-01-31", "2025-01-31"),
        ("31.02.2024 er ingen dato", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert dates.parse_date(text) == iso


def test_written_date_without_year_takes_default() -> None:
    assert dates.parse_date("på mødet den 9. september", default_year=2021) == "2021-09-09"
    assert dates.parse_date("på mødet den 9. september") is None


@pytest.mark.parametrize(
    ("text", "time"),
    [("kl. 16.00", "16:00"), ("Kl 9:15", "09:15"), ("kl. 8", "08:00"), ("klokken", None)],
)
def test_time(text: str, time: str | None) -> None:
    assert dates.parse_time(text) == time


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("27.12.04-P20-3-23", "27.12.04-P20-3-23"),
        ("Sag 01.02.05-Æ00-12-24 blev", "01.02.05-Æ00-12-24"),
        ("09.02.10 - G01 - 4 - 19", "09.02.10 - G01 - 4 - 19"),
        ("1.000.000 kr.", None),
    ],
)
def test_kle_case(text: str, value: str | None) -> None:
    m = p.KLE_CASE.search(text)
    assert (m.group(0) if m else None) == value


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Sagsnr.: 561-2023-12345", "561-2023-12345"),
        ("J.nr. 133/2008", "133/2008"),
        ("Sags ID: EMN-2024-01234", "EMN-2024-01234"),
        ("Sagsnr. 2023-004512", "2023-004512"),
        ("Sag nr. 24/1234", "24/1234"),
        ("Sagsnummer: 19/77", "19/77"),
        ("Journalnummer: 24/881", "24/881"),
        ("Sagsid.: 25/310", "25/310"),
        ("Sagen er sendt i høring", None),
    ],
)
def test_case_label(line: str, value: str | None) -> None:
    m = p.CASE_LABEL.match(line)
    assert (m["value"] if m else None) == value


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Dok.nr.: 561-2023-67890", "561-2023-67890"),
        ("Sagsnr.: 1-2 Dokumentnr. 2024/55", "2024/55"),
        ("Dokumentet er vedlagt", None),
    ],
)
def test_doc_label(line: str, value: str | None) -> None:
    m = p.DOC_LABEL.search(line)
    assert (m["value"] if m else None) == value


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Vejplan 2025.....\t7", True), ("Budget\t12", True), ("Vejplan 2025", False)],
)
def test_toc_entry(line: str, expected: bool) -> None:
    assert bool(p.TOC_ENTRY.search(line)) is expected


@pytest.mark.parametrize(
    ("line", "closed", "opened"),
    [("Lukket", True, False), ("(Lukket punkt)", True, False), ("Åbent", False, True),
     ("Åben sag", False, True), ("Lukket for trafik i 2025", False, False)],
)  # fmt: skip
def test_open_closed(line: str, closed: bool, opened: bool) -> None:
    assert bool(p.CLOSED_LINE.match(line)) is closed
    assert bool(p.OPEN_LINE.match(line)) is opened


@pytest.mark.parametrize(
    ("title", "mark"),
    [("Vejplan (B)", "B"), ("Status (O)", "O"), ("Tema (B+O)", "B+O"), ("Plan (Bilag)", None)],
)
def test_kind_mark(title: str, mark: str | None) -> None:
    m = p.KIND_MARK.search(title)
    assert (m["mark"] if m else None) == mark


@pytest.mark.parametrize(
    ("text", "period"),
    [("Teknikudvalget 2022-2025", ("2022", "2025")), ("(2026 – 2029)", ("2026", "2029"))],
)
def test_period(text: str, period: tuple[str, str]) -> None:
    m = p.PERIOD.search(text)
    assert m is not None and (m["a"], m["b"]) == period


def test_fold_space() -> None:
    assert fold.fold_space("  a \n\t b  ") == "a b"
    long = "Udvalget godkendte planen for vejene i den nordlige del af kommunen"
    assert fold.fold_space(long) == long
    assert fold.fold_space(long.replace(" ", "\u00a0", 1)) == long
    assert fold.fold_space(long.replace(" ", "  ", 1)) == long
    assert fold.fold_space(f" {long}\n") == long


def test_blanks_are_what_str_isspace_says() -> None:
    assert {chr(c) for c in range(0x110000) if chr(c).isspace()} == fold.BLANKS


def test_fold_ascii() -> None:
    text = "Beslutning i ØKONOMIUDVALGET \ud800 Åbent"
    folded = fold.fold_ascii(text)
    assert folded == "beslutning i Økonomiudvalget \ud800 Åbent"  # Ø and Å stay
    assert folded is not None and len(folded) == len(text)
    assert fold.fold_ascii("PUNKT 3") == "punkt 3"
    assert fold.fold_ascii("İstanbul") is None
    assert fold.fold_ascii("3 \u212a") is None
