"""Named regular expressions shared by the layouts and the decision parser.

Dates, clock times and folding are the text core's (extract/text/).

Each pattern is a module constant with an example it matches; tests/test_patterns.py holds a
table of cases for every one.  The third-party ``regex`` module is used because its ``\\b`` and
``\\w`` understand æ, ø and å.
"""

from __future__ import annotations

import regex as re

from kommunegraf.extract.text.pattern import Pattern, first_in, holds

# "2018-2021", "(2022 - 2025)": an election period of four years
PERIOD = re.compile(r"(?<!\d)(?P<a>(?:19|20)\d\d)\s?[-–]\s?(?P<b>(?:19|20)\d\d)(?!\d)")
# KLE journal number "00.22.00-P35-34-17", "07.08.00-Ø40-1-17", "27.12.04-P20-3-23"
KLE_CASE = re.compile(
    r"(?<![\w.])(?P<kle>\d\d\.\d\d\.\d\d)\s?[-–]\s?(?P<facet>[A-ZÆØÅ]\d\d)\s?[-–]\s?"
    r"(?P<serial>\d{1,6})\s?[-–]\s?(?P<year>\d\d)(?!\d)"
)
# "Sagsnr.: 330-2019-57265", "J.nr. 133/2008", "Sags ID: EMN-2025-009242", "Sag nr. 24/1234",
# "Journalnummer: 24/881"
# "Acadre sagsnr.: 24/8812", "ESDH-nr.: 24/4410", "SBSYS sagsnr.: 24/1": the archive system's
# name before the label.  Not "Sag nr. 44: Godkendelse …": a number followed by a colon and a
# word is an item header (the labelled shape), not a case number.
CASE_LABEL = re.compile(
    r"^\s*(?:(?:Acadre|ESDH|EDH|SBSYS|WorkZone|Captia|eDoc|KMD|Docunote)[\s-]?)?"
    r"(?:Sagsnr|Sags\s?nr|Sag\s?nr|J\.\s?nr|Journalnr|Journal\s?nr|Journalnummer"
    r"|Sags[\s-]?id|Sagsnummer|(?<=ESDH-?|EDH-?)nr)"
    r"\.?\s*:?\s*(?P<value>[A-ZÆØÅ]{0,6}[-\s]?\d[\w./-]*\d)(?![\w./-]*\s*:\s*\w)",
    re.IGNORECASE | re.MULTILINE,
)
# The first letters CASE_LABEL may start with (its labels' and the system names'; ſ is an s)
CASE_LABEL_FIRST = "sSjJaAeEwWcCkKdD\u017f"
# "Dok.nr.: 330-2019-283408", "Dokumentnr. 2024/55", "Dok. ID: DOK-2024-1"
DOC_LABEL = re.compile(
    r"(?:Dok\.?\s?nr|Dokumentnr|Dokument\s?nr|Dok\.?\s?id)\.?\s*:?\s*"
    r"(?P<value>[A-ZÆØÅ]{0,6}[-\s]?\d[\w./-]*\d)",
    re.IGNORECASE,
)
# "Indholdsfortegnelse" line / a TOC entry "Godkendelse af dagsorden.....\t3"
TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|\t)\s*\d{1,3}\s*$")
# "Lukket punkt", "Lukket punkt.", "(Lukket)" alone on a line
CLOSED_LINE = re.compile(r"^\(?\s*Lukket(?:\s+(?:punkt|sag|møde))?\s*\)?\.?\s*$", re.IGNORECASE)
# "Åbent", "Åben sag" alone on a line
OPEN_LINE = re.compile(r"^\(?\s*Åben(?:t)?(?:\s+(?:punkt|sag))?\s*\)?\s*$", re.IGNORECASE)
# "(B)", "(O)", "(D)", "(B+O)" at the end of an item title
KIND_MARK = re.compile(r"\s*\((?P<mark>[BOD](?:\s?[+/,]\s?[BOD])*)\)\s*$")


# --- the patterns behind their cheap tests (extract/text/pattern.py) ------------------------


def _dot_third(text: str) -> bool:
    """A KLE number at a line's start has its first dot third: "00.22.00-…"."""
    return text[2:3] == "."


def _may_open_or_close(text: str) -> bool:
    """CLOSED_LINE/OPEN_LINE: "Lukket"/"Åben" (Å may be the Ångström sign), after "(" and
    blanks, so the first character after any "(" is an l, a blank or not ASCII."""
    first = text[:1]
    if first == "(":
        first = text[1:2]
    return first in "lL" or first > "\x7f" or first.isspace()


KLE_CASE_AT_START = Pattern(
    "KLE_CASE_AT_START",
    KLE_CASE,
    _dot_third,
    examples=("00.22.00-P35-34-17", "07.08.00 – Ø40 - 1-17 Budget"),
)
CASE_LABEL_AT_START = Pattern(
    "CASE_LABEL_AT_START",
    CASE_LABEL,
    first_in(CASE_LABEL_FIRST, blanks=True),
    examples=(
        "Sagsnr.: 330-2019-57265",
        " J.nr. 133/2008",
        "ESDH-nr.: 24/4410",
        "Sags ID: EMN-2025-9",
    ),
)
CLOSED_LINE_CHECKED = Pattern(
    "CLOSED_LINE_CHECKED", CLOSED_LINE, _may_open_or_close, examples=("Lukket punkt.", "( Lukket )")
)
OPEN_LINE_CHECKED = Pattern(
    "OPEN_LINE_CHECKED", OPEN_LINE, _may_open_or_close, examples=("Åbent", "(Åben sag)")
)
TOC_ENTRY_CHECKED = Pattern(
    "TOC_ENTRY_CHECKED",
    TOC_ENTRY,
    holds("\t", "....", "……"),
    how="search",
    examples=("Godkendelse af dagsorden.....\t3", "Budget 2025 …… 12", "Punkt 4\t17"),
)
KIND_MARK_CHECKED = Pattern(
    "KIND_MARK_CHECKED", KIND_MARK, holds(")"), how="search", examples=("Vejplan (B)", "X (B+O) ")
)
PERIOD_CHECKED = Pattern(
    "PERIOD_CHECKED",
    PERIOD,
    holds("19", "20"),
    how="search",
    examples=("Byrådet 2018-2021", "Udvalget (2022 - 2025)"),
)
DOC_LABEL_CHECKED = Pattern.with_cue(
    "DOC_LABEL_CHECKED",
    DOC_LABEL,
    "dok",
    how="search",
    examples=("Dok.nr.: 330-2019-283408", "DOKUMENTNR. 2024/55", "se Dok. ID: DOK-2024-1"),
)
