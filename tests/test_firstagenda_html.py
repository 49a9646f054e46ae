"""A FirstAgenda Publication page saved from a browser, read into the record.

The pages here are invented (OPDIGTET) in the portal's markup: header table, ``tr.punktrow``
items, ``.sagsnummer``, the minutes' HTML and ``a.bilag-link`` attachments.
"""

from __future__ import annotations

from pathlib import Path

from kommunegraf.extract import extract_path
from kommunegraf.extract.firstagenda_html import (
    ABSENT_MARK,
    DOCUMENT_NAME,
    MEETING_TIME,
    is_portal_page,
    shape_of_page,
)


def _row(number: int, title: str, case: str, punkt: str, bilag: list[str]) -> str:
    links = "".join(
        f'<li><a class="bilag-link" href="/vis/pdf/bilag/{i}">{b}</a></li>'
        for i, b in enumerate(bilag)
    )
    return (
        f'<tr class="punktrow"><td><span class="label label-default">{number}</span></td>'
        f'<td><button><h2 class="overskrift">{title}</h2></button><div class="details">'
        f'<span class="sagsnummer">{case}</span><div class="punkt">{punkt}</div></div>'
        f"<h3>Bilag</h3><ul>{links}</ul></td></tr>"
    )


def page(kind: str = "Referat", participants: str = "") -> str:
    """An invented portal page of 'Opdigtet Byråd' (OPDIGTET)."""
    history = (
        "<h3>Sagsforløb:</h3><span class='resume'><div>Udvalg: Opdigtet Magistrat</div>"
        "<div>Dato: 30-09-2031</div><div>Punktnummer: 4</div><div>Indstillingen tiltrådt.</div>"
        "</span>"
    )
    rows = [
        _row(
            1,
            "Godkendelse af dagsorden",
            "EMN-2031-000001",
            "<h3>Beslutning</h3><span><p>Godkendt.</p></span>",
            [],
        ),
        _row(
            2,
            "Ny opdigtet bypark",
            "EMN-2031-000002",
            "<h3>Beslutning</h3><span><p>Vedtaget.</p></span><h3>Resume</h3>"
            "<span class='resume'><div>Parken anlægges.</div></span>" + history,
            ["Bilag 1: Kort over parken", "Bilag 2: Budget"],
        ),
        _row(3, "Lukket: Opdigtet grundsalg", "EMN-2031-000003", "", []),
    ]
    return (
        "<html><head><title>Opdigtet Byråd - Byrådssalen</title></head><body>"
        f'<h1 class="green dato">{kind} 8. oktober 2031 kl. 16.00</h1>'
        '<table class="dagsordeninfo"><tr><td>Udvalg:</td><td><span class="udvalg">'
        "Opdigtet Byråd 2030-2033</span></td></tr><tr><td>Mødedato:</td><td>"
        '<span class="dato">onsdag den 8. oktober 2031 kl. 16.00</span></td></tr>'
        '<tr><td>Mødested:</td><td><span class="sted">Byrådssalen</span></td></tr>'
        f'<tr><td>Mødedeltagere:</td><td class="deltagere">{participants}</td></tr></table>'
        '<table class="dagsorden"><tbody>' + "".join(rows) + "</tbody></table></body></html>"
    )


def test_a_saved_portal_page_becomes_the_same_record(tmp_path: Path) -> None:
    path = tmp_path / "side.html"
    path.write_text(page(), encoding="utf-8")
    rec = extract_path(path, municipality="Aarhus").to_json()
    assert rec["source"]["format"] == "html" and rec["source"]["layout"] == "firstagenda-html"
    m = rec["meeting"]
    assert (m["committee"], m["period"], m["date"], m["start_time"], m["location"]) == (
        "Opdigtet Byråd",
        "2030-2033",
        "2031-10-08",
        "16:00",
        "Byrådssalen",
    )
    assert m["kind"] == "referat"
    items = rec["items"]
    assert [(i["number"], i["case_number"], i["open"]) for i in items] == [
        (1, "EMN-2031-000001", True),
        (2, "EMN-2031-000002", True),
        (3, "EMN-2031-000003", False),
    ]
    assert items[2]["title"] == "Opdigtet grundsalg"
    assert items[1]["attachments"] == ["Bilag 1: Kort over parken", "Bilag 2: Budget"]
    got = [(d["body"], d["date"], d["outcome"]) for d in items[1]["decisions"]]
    assert got == [
        ("Opdigtet Magistrat", "2031-09-30", "approved"),
        ("Opdigtet Byråd", "2031-10-08", "approved"),
    ]
    assert [(r["body"], r["date"], r["item_number"]) for r in items[1]["references"]] == [
        ("Opdigtet Magistrat", "2031-09-30", 4)
    ]
    assert rec["municipality"]["code"] == "751"


def test_an_agenda_page_prints_proposals_not_decisions(tmp_path: Path) -> None:
    path = tmp_path / "side.html"
    path.write_text(page("Dagsorden"), encoding="utf-8")
    rec = extract_path(path).to_json()
    assert rec["meeting"]["kind"] == "dagsorden"
    # the earlier treatment stays; the "Beslutning" of an agenda is no decision yet
    assert [d["body"] for d in rec["items"][1]["decisions"]] == ["Opdigtet Magistrat"]


def test_participants_and_absences_on_the_page() -> None:
    shape = shape_of_page(
        page(
            participants=(
                "<ul><li>Ida Opdigt</li><li>Bo Fiktiv (fraværende)</li>"
                "<li>Kaj Påfund - Afbud</li></ul>"
            )
        )
    )
    assert shape.participants == ["Ida Opdigt", "Bo Fiktiv", "Kaj Påfund"]
    assert shape.absent == ["Bo Fiktiv", "Kaj Påfund"]
    assert shape.supplementary is False
    assert shape_of_page(page("Tillægsdagsorden")).supplementary is True


def test_only_pages_with_agenda_rows_are_portal_pages(tmp_path: Path) -> None:
    assert is_portal_page(page())
    assert not is_portal_page("<html><body><p>punktrow er et ord her</p></body></html>")
    path = tmp_path / "andet.html"
    path.write_text("<html><body><h1>Referat</h1><p>1. Opdigtet sag</p></body></html>")
    assert extract_path(path).source.layout != "firstagenda-html"


def test_page_patterns() -> None:
    assert MEETING_TIME.search("onsdag den 8. oktober 2031 kl. 16.00")["h"] == "16"
    assert MEETING_TIME.search("kl 9:30")["m"] == "30" and not MEETING_TIME.search("kl. 25")
    assert DOCUMENT_NAME.match("Tillægsdagsorden 8. oktober 2031")["name"] == "Tillægsdagsorden"
    assert ABSENT_MARK.search("Bo Fiktiv (fraværende)") and ABSENT_MARK.search("Bo - Afbud")
    assert not ABSENT_MARK.search("Afbudsgaard Hansen")
