"""Meeting fields from the shapes real pages print, after the engine's labelled reading.

``meeting.parse_meeting`` reads labelled header lines ("Mødedato:", "Sted:", "Udvalg:").  Web
pages and PDFs of other systems print the same facts in other shapes, which ``refine`` reads:

- a page heading with the kind after the committee: "Byrådet - Referat";
- a heading in the genitive: "Økonomiudvalgets møde den 21. januar 2026";
- "Referat fra Økonomiudvalget", "Dagsorden for Teknisk Udvalg";
- an election period after the name: "Kommunalbestyrelsen 2022-2025";
- a place line with the time at its end: "Mødelokale SL 1, Slangerup kl. 16.00";
- a date with a bare clock after it: "18-03-2019 07:45:00".
"""

from __future__ import annotations

import regex as re

from kommunegraf.extract.text.dates import find_dates, parse_time
from kommunegraf.extract.text.fold import fold_space

# " - Referat", " – Dagsorden", " | Beslutningsprotokol": the document's kind after a heading
KIND_AFTER_NAME = re.compile(
    r"\s*[-–|:]\s*(?:referat|dagsorden|beslutningsprotokol|protokol|tillægsdagsorden)\b.*$", re.I
)
# "Referat fra ", "Dagsorden for ", "Referat af mødet i ": the kind before a committee's name
KIND_BEFORE_NAME = re.compile(
    r"^(?:referat|dagsorden|beslutningsprotokol|protokol)\s+(?:fra|for|af|til)\s+"
    r"(?:(?:det\s+)?(?:ordinære|ekstraordinære)\s+)?(?:mødet?\s+i\s+)?",
    re.I,
)
# "Økonomiudvalgets møde den 21. januar 2026", "Byrådets ekstraordinære møde"
GENITIVE_MEETING = re.compile(
    r"^(?P<body>\p{Lu}[\p{L}\- &]{2,80}?)s\s+(?:(?:ordinære|ekstraordinære)\s+)?møde\b", re.I
)
# " 2022-2025", " (2018-2021)": an election period after a committee's name
PERIOD_AFTER_NAME = re.compile(r"\s*\(?(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d\)?\s*$")
# " kl. 16.00", " kl 9": a time at the end of a place line
TIME_AT_END = re.compile(r",?\s+kl\.?\s*[0-2]?\d(?:[:.][0-5]\d)?\s*$", re.I)
# "07:45:00", "16.30": a bare clock after a date
BARE_CLOCK = re.compile(r"(?<![\d.:])(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)(?::[0-5]\d)?(?![\d.:])")
# "… 2024 kl. 15.00 i Mødelokale 2", "kl. 9:30 på Rådhuset, lokale 3": the place after the
# clock on a date line
PLACE_AFTER_CLOCK = re.compile(
    r"\b(?i:kl)\.?\s*[0-2]?\d[:.][0-5]\d\s+(?:i|på)\s+(?P<place>\p{Lu}[^\t]{1,100})$"
)
# "Byrådet", "Udvalget for Job & Arbejdsmarked": the body a genitive heading names
GENITIVE_BODY = re.compile(r"(udvalget|rådet|bestyrelsen|nævnet|udvalg|byråd)$")


def clean_committee(name: str | None) -> str | None:
    """A committee name without the kind, period or "møde" the heading printed around it."""
    if not name:
        return name
    text = fold_space(name)
    if m := GENITIVE_MEETING.match(text):
        text = m["body"]
    text = KIND_BEFORE_NAME.sub("", text)
    text = KIND_AFTER_NAME.sub("", text)
    text = PERIOD_AFTER_NAME.sub("", text)
    text = text.strip(" -–|:.,")
    return text or None


def committee_from_heading(line: str) -> str | None:
    """The committee of a heading in the genitive ("Økonomiudvalgets møde den …")."""
    m = GENITIVE_MEETING.match(line)
    if not m:
        return None
    body = m["body"]
    return body if GENITIVE_BODY.search(body.lower()) or body.lower().endswith("udvalget") else None


def clean_location(place: str | None) -> tuple[str | None, str | None]:
    """A location without a trailing time or table bar, and the time it carried."""
    if not place:
        return place, None
    text = place.rstrip(" |")
    time = None
    if m := TIME_AT_END.search(text):
        time = parse_time(m.group(0))
        text = text[: m.start()]
    return (fold_space(text) or None), time


def clock_after_date(line: str) -> str | None:
    """A bare clock after the line's first date ("18-03-2019 07:45:00" → "07:45")."""
    dates = find_dates(line)
    if not dates:
        return None
    m = BARE_CLOCK.search(line, dates[0][1])
    if not m or int(m["h"]) > 23:
        return None
    return f"{int(m['h']):02d}:{m['m']}"


# "punkt 1-4", "under punkt 5–7", "fra punkt 6", "til og med pkt. 3", "sag 12 og 13": the items
# an absence in the meeting header holds for
ABSENCE_ITEMS = re.compile(
    r"[,;(]?\s*(?:(?P<rel>fra|til\s+og\s+med|til|efter|under|i|ved)\s+)?"
    r"(?:behandlingen\s+af\s+)?(?:punkt(?:erne)?|pkt\.?|sag(?:erne)?|dagsordenspunkt)\s*"
    r"(?:nr\.?\s*)?(?P<a>\d{1,4})(?:\s*(?:-|–|til|og)\s*(?P<b>\d{1,4}))?\)?",
    re.I,
)
# "Fraværende: …", "Afbud: …", "… deltog ikke i …": a header line about absence
ABSENCE_CUE = re.compile(r"^(?:Fraværende|Afbud|Fravær)\b|\bdeltog\s+ikke\b|\bfraværende\b", re.I)
# "Ole Bak (V)", "Ida Holm": the names before the items they were absent from
NAMES_BEFORE = re.compile(r"^(?:(?:Fraværende|Afbud|Fravær)\s*:?\s*)?(?P<names>.*?)\s*$", re.I)
# " deltog ikke", " var fraværende", " forlod mødet": what follows the names in a sentence
ABSENCE_VERB = re.compile(
    r"\s+(?:deltog\s+ikke|var\s+fraværende|forlod\s+mødet|var\s+ikke\s+til\s+stede)\b.*$", re.I
)


def ranged_absences(lines: list[str]) -> list[tuple[str, int, int]]:
    """Absences in a meeting header that hold for some items only, as (name, first, last):
    "Fraværende: Ole Bak (V) under punkt 5-7", "Ida Holm (A) deltog ikke i punkt 3",
    "Afbud: Per Ask fra punkt 6" (to the end), "til og med punkt 2" (from the start)."""
    from kommunegraf.extract.absences import split_names  # the shared reader of name lists

    out: list[tuple[str, int, int]] = []
    for line in lines:
        if not ABSENCE_CUE.search(line):
            continue
        m = ABSENCE_ITEMS.search(line)
        if m is None:
            continue
        a = int(m["a"])
        b = int(m["b"]) if m["b"] else a
        rel = (m["rel"] or "").lower()
        if rel == "fra" and not m["b"]:
            a, b = a, 1_000_000
        elif rel.startswith("til") and not m["b"]:
            a, b = 1, a
        elif rel == "efter" and not m["b"]:
            a, b = a + 1, 1_000_000
        before = ABSENCE_VERB.sub("", line[: m.start()])
        before = NAMES_BEFORE.match(before)["names"]
        out += [(name, a, b) for name in split_names(before)]
    return out


def place_after_clock(line: str) -> str | None:
    """The place a date line prints after its clock ("… kl. 15.00 i Mødelokale 2")."""
    if "kl" not in line.lower():
        return None
    m = PLACE_AFTER_CLOCK.search(line)
    return fold_space(m["place"]).rstrip(" .") if m else None
