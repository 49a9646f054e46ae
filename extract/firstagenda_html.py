"""A FirstAgenda Publication page saved from a browser (HTML) → the record.

The portal's browser view prints the same meeting as the API: a header table (``.udvalg``,
``.dato``, ``.sted``, ``.deltagere``), then one ``tr.punktrow`` per item holding its number
(``.label``), title (``.overskrift``), case number (``.sagsnummer``), minutes (``.punkt``,
the same HTML as the API's ``Felter``) and attachments (``a.bilag-link``).  The page is
reduced to the API's ``Shape`` so that one builder makes the record of both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re

from kommunegraf.extract.firstagenda import (
    ITEM_NUMBER,
    SUPPLEMENTARY,
    Shape,
    ShapeItem,
    build_record,
)
from kommunegraf.extract.municipalities import MunicipalityEntry
from kommunegraf.extract.records import Record
from kommunegraf.extract.text.dates import find_dates
from kommunegraf.extract.text.fold import fold_space

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = ["extract_page", "is_portal_page", "shape_of_page"]

# "kl. 16.00", "kl 9:30": the start time printed beside the meeting's date
MEETING_TIME = re.compile(r"\bkl\.?\s*(?P<h>[012]?\d)[.:](?P<m>[0-5]\d)\b")
# "Dagsorden 8. oktober 2031 kl. 16.00", "Referat 2. maj 2031": the page title's document kind
DOCUMENT_NAME = re.compile(r"^(?P<name>\p{L}[\p{L} ]*?)\s+\d")
# "Ida Holm (fraværende)", "Bo Vik - Afbud", "Kaj Lund, fravær": a participant marked absent
ABSENT_MARK = re.compile(r"[\s,(–-]+(?:fraværende|fravær|afbud|ikke til stede)\)?\s*$", re.I)
# the marker of a portal page among other HTML: '<tr class="punktrow"'
_ROW_CUE = "punktrow"


def is_portal_page(markup: str) -> bool:
    """Whether a page is a FirstAgenda meeting page (agenda rows), by its structure."""
    if _ROW_CUE not in markup:
        return False
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    return soup.select_one("tr.punktrow .overskrift") is not None


def _first_text(root: BeautifulSoup | Tag, selector: str) -> str | None:
    tag = root.select_one(selector)
    return (fold_space(tag.get_text(" ")) or None) if tag is not None else None


def _participants(soup: BeautifulSoup) -> tuple[list[str], list[str]]:
    """Names in the participants cell, and those marked absent there."""
    cell = soup.select_one(".deltagere")
    if cell is None:
        return [], []
    names: list[str] = []
    absent: list[str] = []
    entries = cell.find_all(("li", "div", "span", "p"), recursive=True) or [cell]
    for entry in entries:
        if entry.find(("li", "div", "span", "p")) is not None:
            continue  # a container: its children are the entries
        for part in entry.get_text("\n").split("\n"):
            text = fold_space(part).strip(" ,;")
            if not text:
                continue
            name = ABSENT_MARK.sub("", text)
            if name != text or "fravær" in " ".join(entry.get("class") or []).lower():
                absent.append(name)
            if name not in names:
                names.append(name)
    return names, absent


def _row(row: Tag, index: int) -> ShapeItem:
    label = _first_text(row, ".label")
    number = int(m.group()) if label and (m := ITEM_NUMBER.search(label)) else index
    punkt = row.select_one(".punkt")
    attachments: list[str] = []
    for link in row.select("a.bilag-link"):
        name = fold_space(link.get_text(" "))
        if name and name not in attachments:
            attachments.append(name)
    return ShapeItem(
        number=number,
        title=_first_text(row, ".overskrift") or "",
        case_number=_first_text(row, ".sagsnummer"),
        attachments=attachments,
        absent=[],
        html=str(punkt) if punkt is not None else "",
    )


def shape_of_page(markup: str) -> Shape:
    """The structure of a saved portal page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(("script", "style", "noscript")):
        tag.decompose()
    info = soup.select_one(".dagsordeninfo") or soup
    when = _first_text(info, ".dato") or _first_text(soup, "h1.dato") or ""
    dates = find_dates(when)
    time = MEETING_TIME.search(when)
    heading = _first_text(soup, "h1.dato") or ""
    kind = DOCUMENT_NAME.match(heading)
    participants, absent = _participants(soup)
    shape = Shape(
        committee=_first_text(info, ".udvalg") or _first_text(soup, ".udvalg"),
        date=dates[0][2] if dates else None,
        start_time=f"{int(time['h']):02d}:{time['m']}" if time else None,
        location=_first_text(info, ".sted"),
        name=kind["name"] if kind else None,
        supplementary=bool(kind and SUPPLEMENTARY.search(kind["name"])),
        participants=participants,
        absent=absent,
        finished=bool(kind and "referat" in kind["name"].lower()),
        agenda_only=bool(kind and "dagsorden" in kind["name"].lower()),
    )
    shape.items = [_row(row, i) for i, row in enumerate(soup.select("tr.punktrow"), start=1)]
    return shape


def extract_page(
    markup: str,
    *,
    path: str = "<html>",
    sha256: str,
    municipality: MunicipalityEntry | None = None,
) -> Record:
    """The record of a saved FirstAgenda page (already decoded markup)."""
    return build_record(
        shape_of_page(markup),
        path=path,
        sha256=sha256,
        fmt="html",
        layout="firstagenda-html",
        municipality=municipality,
    )
