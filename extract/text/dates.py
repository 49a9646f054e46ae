"""Dates and clock times as minutes print them, in ISO form.

Each pattern is a module constant with an example it matches (tests/test_patterns.py).  The
third-party ``regex`` module is used because its ``\\b`` understands æ, ø and å.
"""

from __future__ import annotations

import datetime as _dt

import regex as re

from kommunegraf.extract.text.pattern import Pattern, holds

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
# "2018-05-15" as a whole value (a record's date field)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Numeric and ISO dates hold "19"/"20" (and ISO a "-"), written ones a ".": the patterns only
# run where their cue is.
_HOLDS_YEAR = holds("19", "20")
DATE_NUMERIC_CHECKED = Pattern(
    "DATE_NUMERIC_CHECKED",
    DATE_NUMERIC,
    _HOLDS_YEAR,
    how="search",
    examples=("Mødet 15.05.2018", "d. 2/9-2019", "30/3 2016"),
)
DATE_ISO_CHECKED = Pattern(
    "DATE_ISO_CHECKED",
    DATE_ISO,
    lambda text: "-" in text and _HOLDS_YEAR(text),
    how="search",
    examples=("2018-05-15", "den 2025-01-31 kl. 9"),
)
DATE_TEXT_CHECKED = Pattern(
    "DATE_TEXT_CHECKED",
    DATE_TEXT,
    holds("."),
    how="search",
    examples=("2. september 2019", "5. MARTS", "30. nov. 2017", "12.juni"),
)
# "kl. 13:30", "kl 16.00", "Kl. 9"
TIME = re.compile(r"\bkl\.?\s*(?P<h>[0-2]?\d)(?:[:.](?P<min>[0-5]\d))?(?!\d)", re.IGNORECASE)


def iso_date(day: int, month: int, year: int) -> str | None:
    """An ISO date, or None when the numbers are no real date."""
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def valid_iso_date(text: str | None) -> str | None:
    """The date if it is a real ISO calendar date, else None (bad dates mint no IRI)."""
    if not text or not ISO_DATE_RE.match(text):
        return None
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return None
    return text


def parse_date(text: str, *, default_year: int | None = None) -> str | None:
    """The first date in ``text`` (numeric, ISO or written out) as ``YYYY-MM-DD``."""
    found = find_dates(text, default_year=default_year)
    return found[0][2] if found else None


def find_dates(text: str, *, default_year: int | None = None) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as (start, end, iso), in order.

    A written date without a year ("5. marts") takes ``default_year`` if given.
    """
    hits: list[tuple[int, int, str]] = []
    for pattern in (DATE_ISO_CHECKED, DATE_NUMERIC_CHECKED):
        for m in pattern.finditer(text):
            iso = iso_date(int(m["d"]), int(m["m"]), int(m["y"]))
            if iso:
                hits.append((m.start(), m.end(), iso))
    for m in DATE_TEXT_CHECKED.finditer(text):
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
