"""Named regular expressions shared by the layouts and the decision parser.

Each pattern is a module constant with an example it matches; tests/test_patterns.py holds a
table of cases for every one.  The third-party ``regex`` module is used because its ``\\b`` and
``\\w`` understand æ, ø and å.
"""

from __future__ import annotations

import datetime as _dt

import regex as re

MONTHS: dict[str, int] = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

# "15.05.2018", "15-05-2018", "2/9-2019", "30/3 2016"
DATE_NUMERIC = re.compile(
    r"(?<!\d)(?P<d>[0-3]?\d)[./-](?P<m>[01]?\d)[./ -](?P<y>(?:19|20)\d\d)(?!\d)"
)
# "2. september 2019", "5. marts", "30. nov. 2017", "12.juni"
DATE_TEXT = re.compile(
    rf"(?<!\d)(?P<d>[0-3]?\d)\.\s?(?P<mon>{_MONTH_ALT})\b\.?(?:\s+(?P<y>(?:19|20)\d\d)(?!\d))?",
    re.IGNORECASE,
)
# "2018-05-15"
DATE_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
# "kl. 13:30", "kl 16.00", "Kl. 9"
TIME = re.compile(r"\bkl\.?\s*(?P<h>[0-2]?\d)(?:[:.](?P<min>[0-5]\d))?(?!\d)", re.IGNORECASE)
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


# Every character that str.isspace (and so str.strip and str.split) takes for a blank: a set
# lookup of one character is cheaper than the method call in loops over every line.
BLANKS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def case_label_may_start(text: str) -> bool:
    """Whether CASE_LABEL may match ``text``: "Sagsnr", "J.nr", "Journalnr" (ſ is an s), or
    blanks first.  A cheap test before the pattern; never stricter than it."""
    first = text[:1]
    return first in CASE_LABEL_FIRST or first in BLANKS


def iso_date(day: int, month: int, year: int) -> str | None:
    """An ISO date, or None when the numbers are no real date."""
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str, *, default_year: int | None = None) -> str | None:
    """The first date in ``text`` (numeric, ISO or written out) as ``YYYY-MM-DD``."""
    found = find_dates(text, default_year=default_year)
    return found[0][2] if found else None


def find_dates(text: str, *, default_year: int | None = None) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as (start, end, iso), in order.

    A written date without a year ("5. marts") takes ``default_year`` if given.
    """
    hits: list[tuple[int, int, str]] = []
    # Numeric and ISO dates hold "19"/"20" (and ISO a "-"), written ones a ".": the patterns
    # only run where their cue is.
    if "19" in text or "20" in text:
        if "-" in text:
            for m in DATE_ISO.finditer(text):
                iso = iso_date(int(m["d"]), int(m["m"]), int(m["y"]))
                if iso:
                    hits.append((m.start(), m.end(), iso))
        for m in DATE_NUMERIC.finditer(text):
            iso = iso_date(int(m["d"]), int(m["m"]), int(m["y"]))
            if iso:
                hits.append((m.start(), m.end(), iso))
    for m in DATE_TEXT.finditer(text) if "." in text else ():
        year = int(m["y"]) if m["y"] else default_year
        if year is not None and (iso := iso_date(int(m["d"]), MONTHS[m["mon"].lower()], year)):
            hits.append((m.start(), m.end(), iso))
    hits.sort()
    out: list[tuple[int, int, str]] = []
    for hit in hits:  # drop overlaps (an ISO date also looks numeric in parts)
        if out and hit[0] < out[-1][1]:
            continue
        out.append(hit)
    return out


def parse_time(text: str) -> str | None:
    """The first clock time after "kl." as ``HH:MM``."""
    m = TIME.search(text)
    if not m:
        return None
    hour, minute = int(m["h"]), int(m["min"] or 0)
    if hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


def fold_ascii(text: str) -> str | None:
    """``text`` with A-Z lower-cased, every offset kept; None if it holds İ or the Kelvin sign.

    Cheap tests look for a lower-case ASCII cue ("lutn" of "beslutning") before a
    case-insensitive pattern runs.  ``str.lower`` is slow on text with æ, ø and å; this is
    several times faster, and an ASCII cue is in it exactly where it is in ``text.lower()``
    (İ and the Kelvin sign are the only other characters that ``str.lower`` makes ASCII).
    A cue must avoid "s" and "i", which ``regex`` also matches as ſ and İ.
    """
    if text.isascii():
        return text.lower()
    if "\u0130" in text or "\u212a" in text:
        return None
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def fold_space(text: str) -> str:
    """Runs of whitespace as one space, trimmed: the record's rule for text values."""
    # A long text whose only blanks are single inner spaces is its own folding, and testing
    # that is cheaper than splitting it: every blank but " " (tab, newline, no-break space …)
    # is unprintable to str.isprintable.
    if (
        len(text) > 40
        and text.isprintable()
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
    ):
        return text
    return " ".join(text.split())
