"""A FirstAgenda Publication meeting (the portal API's JSON) read into the record.

Every meeting here is invented (OPDIGTET): invented committees' members, invented cases.  The
shape is the API's (``GET /api/agenda/dagsorden/<id>``), as the real Greve files have it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract.firstagenda import (
    ABSENCE_FROM,
    ABSENCE_REASON,
    CLOSED_TITLE,
    COMMITTEE_PERIOD,
    HEADING_START,
    ITEM_NUMBER,
    KIND_APPROVE,
    KIND_DISCUSS,
    KIND_NOTE,
    KIND_TITLE,
    LEADING_MARKS,
    LOCAL_LIST,
    MARKUP_TAG,
    PERIOD_DASH,
    PORTAL_LINK,
    SUPPLEMENTARY,
    extract_meeting,
    local_date_time,
    meeting_text,
    municipality_of_host,
    shape_of_json,
    split_committee,
)
from kommunegraf.extract.firstagenda_felter import (
    BODY_TAIL,
    DECISION_HEADING,
    HISTORY_ENTRY,
    HISTORY_HEADING,
    LABELLED_ENTRY,
    blocks_of,
    treatments,
)
from kommunegraf.extract.load import JSON_OBJECT_START, LoadError, load_bytes

HISTORY = (
    "<h3>Sagens forløb</h3><span class='sagsforloeb'>"
    "<u>03-02-2031 Opdigtet Miljøudvalg 2030</u><br>"
    "<p>Anbefales.</p><br>"
    "<u>10/02/2031 Økonomiudvalget</u><br>"
    "<p>Sagen sendes tilbage til udvalget.</p><p>Fraværende: Ulla Opdigt</p>"
    "</span>"
)


def _item(number: str, title: str, html: str, **extra: Any) -> dict[str, Any]:
    return {
        "Punktnummer": number,
        "Navn": title,
        "SagsNummer": extra.pop("case", f"31-00000{number}"),
        "IsOpen": False,  # the API says False everywhere; the reader must not believe it
        "Felter": [{"Navn": "", "Html": html}],
        "Bilag": extra.pop("bilag", []),
        "ExternalAgendaItemAttendees": extra.pop("attendees", []),
        **extra,
    }


def _meeting(**overrides: Any) -> dict[str, Any]:
    """An invented meeting of 'Opdigtet Byråd 2030-2033' (OPDIGTET) in the API's shape."""
    data: dict[str, Any] = {
        "Id": "00000000-0000-4000-8000-000000000001",
        "TillaegsDagsorden": False,
        "Udvalg": {"Id": "x", "Navn": "Opdigtet Byråd 2030-2033", "Historisk": False},
        "Moede": {
            "Dato": "2031-03-03T17:00:00+01:00",
            "MeetingBeginUtc": "2031-03-03T16:00:00Z",
            "Sted": "Byrådssalen",
            "Afsluttet": True,
            "Navn": "Dagsorden",
            "IsSupplementaryAgenda": False,
            "Moededeltagere": [
                {"Name": "Ida Opdigt", "Absent": False, "ParticipationCancelled": False},
                {"Name": "Bo Fiktiv", "Absent": True, "ParticipationCancelled": False},
                {"Name": "Kaj Påfund", "Absent": False, "ParticipationCancelled": True},
            ],
        },
        "Dagsordenpunkter": [
            _item(
                "1",
                "Godkendelse af dagsorden",
                "<div><h3>Beslutning</h3><span><p>Godkendt.</p>"
                "<p>Afbud fra Lis Digt (A)</p></span></div>",
            ),
            _item(
                "2",
                "Ny sti ved Opdigtet Å",
                "<div><h3>Beslutning</h3><span><p>Godkendt med 9 stemmer for og 8 imod.</p>"
                "</span></div><h3>Fremstilling</h3><span><h2>Resume</h2><p>Stien anlægges.</p>"
                "<p><span>Indstilling</span></p><p>at stien godkendes</p>"
                "<h4>Lovgrundlag</h4><p>Planloven § 13.</p></span>" + HISTORY,
                bilag=[{"Navn": "Bilag 1 - Kort over stien"}, {"Navn": "Tidsplan"}],
                attendees=[{"Name": "Ole Opdigt", "Reason": "Fraværende", "AttendanceType": 2}],
            ),
            _item("3", "Lukket: Køb af en opdigtet grund", "", case="31-000099"),
        ],
    }
    data.update(overrides)
    return data


def _record(data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return extract_meeting(data, path="m.json", sha256="0" * 64, **kw).to_json()


def test_meeting_committee_period_date_place_and_kind() -> None:
    rec = _record(_meeting())
    m = rec["meeting"]
    assert (m["committee"], m["period"]) == ("Opdigtet Byråd", "2030-2033")
    assert (m["date"], m["start_time"], m["location"]) == ("2031-03-03", "17:00", "Byrådssalen")
    # "Dagsorden" is the portal's name even for minutes: printed decisions make it a referat
    assert m["kind"] == "referat" and m["supplementary"] is False
    assert rec["source"]["format"] == "json" and rec["source"]["layout"] == "firstagenda-json"


def test_an_agenda_without_decisions_is_a_dagsorden_and_a_tillaeg_is_supplementary() -> None:
    data = _meeting(TillaegsDagsorden=True)
    data["Moede"]["Afsluttet"] = False
    data["Dagsordenpunkter"] = [_item("1", "Orientering om opdigtet skov", "<p>Tekst.</p>")]
    m = _record(data)["meeting"]
    assert m["kind"] == "dagsorden" and m["supplementary"] is True
    data = _meeting()
    data["Moede"] = {**data["Moede"], "Navn": "Tillægsdagsorden"}
    assert _record(data)["meeting"]["supplementary"] is True


def test_items_numbers_titles_case_numbers_attachments_and_closed_items() -> None:
    items = _record(_meeting())["items"]
    assert [i["number"] for i in items] == [1, 2, 3]
    assert items[1]["attachments"] == ["Bilag 1 - Kort over stien", "Tidsplan"]
    closed = items[2]
    assert closed["title"] == "Køb af en opdigtet grund" and closed["open"] is False
    assert closed["case_number"] == "31-000099" and closed["decisions"] == []
    assert items[0]["open"] is True  # IsOpen=false is ignored
    assert items[0]["kind"] == "decision" and items[1]["kind"] == "decision"


def test_decisions_beslutning_and_history_in_both_date_shapes_oldest_first() -> None:
    item = _record(_meeting())["items"][1]
    got = [(d["body"], d["date"], d["outcome"]) for d in item["decisions"]]
    assert got == [
        ("Opdigtet Miljøudvalg", "2031-02-03", "recommended"),
        ("Økonomiudvalget", "2031-02-10", got[1][2]),
        ("Opdigtet Byråd", "2031-03-03", "approved"),
    ]
    earlier = item["decisions"][1]
    assert earlier["absent"] == ["Ulla Opdigt"] and "Fraværende" not in earlier["text"]
    own = item["decisions"][2]
    assert own["votes"]["for"] == 9 and own["votes"]["against"] == 8


def test_absences_structured_per_item_per_meeting_and_printed() -> None:
    items = _record(_meeting())["items"]
    first, second = items[0]["decisions"][-1], items[1]["decisions"][-1]
    # printed "Afbud fra …" plus the meeting's absent and cancelled participants
    assert first["absent"] == ["Lis Digt", "Bo Fiktiv", "Kaj Påfund"]
    assert "Afbud" not in first["text"]
    assert second["absent"] == ["Ole Opdigt", "Bo Fiktiv", "Kaj Påfund"]
    # the item's structured absentee is named in the item; the meeting's list is not
    people = {p["name"] for p in items[1]["people"]}
    assert "Ole Opdigt" in people and "Bo Fiktiv" not in people


def test_sections_come_from_headings_and_bare_heading_paragraphs() -> None:
    item = _record(_meeting())["items"][1]
    headings = [s["heading"] for s in item["sections"]]
    assert headings[:4] == ["Beslutning", "Resume", "Indstilling", "Lovgrundlag"]
    assert "Sagens forløb" in headings
    assert item["laws"] and item["laws"][0]["provision"] == "§ 13"


def test_spans_point_into_the_meeting_text() -> None:
    data = _meeting()
    rec = _record(data)
    text = meeting_text(shape_of_json(data))
    for item in rec["items"]:
        start, end = item["span"]
        assert text[start:end].startswith(f"{item['number']}. ")


def test_municipality_from_text_or_given(tmp_path: Path) -> None:
    data = _meeting()
    assert _record(data)["municipality"]["name"] is None
    data["Dagsordenpunkter"][0]["Felter"][0]["Html"] += "<p>Opdigt for Greve Kommune.</p>"
    assert _record(data)["municipality"]["code"] == "253"
    path = tmp_path / "abc.json"
    path.write_text(json.dumps(_meeting()), encoding="utf-8")
    (tmp_path / "abc.meta.json").write_text(
        json.dumps({"municipality": "Hvidovre", "kommunekode": "167", "meeting_id": "abc"})
    )
    assert extract_path(path).municipality.code == "167"
    assert extract_path(path, municipality="Greve").municipality.code == "253"


def test_utc_timestamps_become_danish_local_time() -> None:
    assert local_date_time("2031-03-03T16:00:00Z") == ("2031-03-03", "17:00")
    assert local_date_time("2031-07-01T06:30:00+00:00") == ("2031-07-01", "08:30")
    assert local_date_time("2031-07-01T08:30:00+02:00") == ("2031-07-01", "08:30")
    assert local_date_time("ikke en dato") == (None, None)


def test_json_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    raw = json.dumps(_meeting()).encode()
    assert load_bytes(raw, "meeting.txt").format == "json"
    path = tmp_path / "download"
    path.write_bytes(raw)
    assert extract_path(path).source.layout == "firstagenda-json"
    # a text file that only opens with a brace stays text
    assert load_bytes(b'{"a": 1} er ikke et referat', "x.txt").format == "text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"Udvalg": {"Navn": "Opdigtet"}, "Moede": {', "truncated JSON"),
        (b'{"Udvalg": {"Navn": "Opdig', "truncated JSON"),  # cut inside a string
        (b'{"Udvalg": {"Navn": "x"}, "Moede": {"a": 1}}}', "broken JSON"),
        (b'{"Udvalg": {"Navn": "x"},, }', "broken JSON"),
        (b'{"items": []}', "not a FirstAgenda meeting"),
        (b"[1, 2]", "not a FirstAgenda meeting"),
        (b'{"url": "u", "meeting_id": "m", "fetched_at": "t", "sha256": "s"}', "sidecar"),
        (b'{"Udvalg": {}, "Moede": {}, "Dagsordenpunkter": 3}', "not a list"),
    ],
)
def test_broken_or_foreign_json_is_a_clear_load_error(data: bytes, reason: str) -> None:
    with pytest.raises(LoadError) as info:
        load_bytes(data, "meeting.json")
    assert info.value.name == "meeting.json" and reason in info.value.reason


def test_odd_fields_do_not_stop_a_meeting() -> None:
    data = _meeting()
    data["Moede"]["Moededeltagere"] = None
    data["Dagsordenpunkter"].append({"Punktnummer": None, "Navn": None, "Felter": None})
    data["Dagsordenpunkter"].append("ikke et punkt")
    rec = _record(data)
    assert [i["number"] for i in rec["items"]] == [1, 2, 3, 4]


# ----- the patterns, each with its own cases ------------------------------------------------


def test_committee_period_and_leading_marks() -> None:
    assert split_committee("Byråd 2030-2033") == ("Byråd", "2030-2033")
    assert split_committee("Økonomiudvalget 2030 – 2033") == ("Økonomiudvalget", "2030-2033")
    assert split_committee(".Spørgsmål / Svar til Byrådet 2030-2033") == (
        "Spørgsmål / Svar til Byrådet",
        "2030-2033",
    )
    assert split_committee("Kultur- og Fritidsudvalget") == ("Kultur- og Fritidsudvalget", None)
    assert COMMITTEE_PERIOD.match("Byråd (2030-2033)")
    assert LEADING_MARKS.match(".Spørgsmål") and not LEADING_MARKS.match("Byråd")
    assert PERIOD_DASH.sub("-", "2030 – 2033") == "2030-2033"
    assert MARKUP_TAG.sub(" ", "<p class='x'>Greve Kommune</p>").split() == ["Greve", "Kommune"]


def test_closed_titles_numbers_and_absence_from() -> None:
    for title in ("Lukket: Salg", "LUKKET. Køb", "Lukket punkt - Personalesag"):
        assert CLOSED_TITLE.match(title)
    assert not CLOSED_TITLE.match("Lukkeloven for butikker")
    assert ITEM_NUMBER.search(" 4a").group() == "4"
    assert ABSENCE_FROM.match("Afbud fra Lis Digt (A)")["names"] == "Lis Digt (A)"
    assert not ABSENCE_FROM.match("Afbud fra udvalget blev noteret")
    assert SUPPLEMENTARY.search("Tillægsdagsorden") and not SUPPLEMENTARY.search("Dagsorden")


def test_kind_wording() -> None:
    assert KIND_TITLE.match("Orientering om skoven")["orientation"]
    assert KIND_TITLE.match("Godkendelse af dagsorden")["decision"]
    assert KIND_APPROVE.search("at planen godkendes") and not KIND_APPROVE.search("at drøfte")
    assert KIND_DISCUSS.search("at udvalget drøfter sagen")
    assert KIND_NOTE.search("at orienteringen tages til efterretning")


def test_history_and_heading_patterns() -> None:
    m = HISTORY_ENTRY.match("16-08-2031 Opdigtet Udvalg")
    assert m and m["date"] == "16-08-2031" and m["body"] == "Opdigtet Udvalg"
    assert HISTORY_ENTRY.match("22/04/2031 Social- og Handicapudvalget")
    assert not HISTORY_ENTRY.match("16-08-2031")  # a date alone names no body
    assert LABELLED_ENTRY.match("Dato: 30-09-2031")["label"] == "Dato"
    assert BODY_TAIL.sub("", "Plan- og Udviklingsudvalget (slettet 10-01-2031)") == (
        "Plan- og Udviklingsudvalget"
    )
    assert BODY_TAIL.sub("", "Økonomiudvalget 2031") == "Økonomiudvalget"
    assert DECISION_HEADING.match("Beslutning") and DECISION_HEADING.match("Udvalgets beslutning")
    assert not DECISION_HEADING.match("Beslutningspunkter er her")
    assert HISTORY_HEADING.match("Sagens forløb") and HISTORY_HEADING.match("Sagsforløb:")
    assert JSON_OBJECT_START.match(b'  {\n "Id": 1}') and not JSON_OBJECT_START.match(b"{tekst")


def test_labelled_history_entries_of_the_portal_page() -> None:
    lines = ["Udvalg: Opdigtet Magistrat", "Dato: 30-09-2031", "Punktnummer: 4", "Tiltrådt."]
    [t] = treatments(lines)
    assert (t.body, t.date, t.item_number, t.lines) == (
        "Opdigtet Magistrat",
        "2031-09-30",
        4,
        ["Tiltrådt."],
    )


def test_headings_in_tables_and_long_heading_tags_are_text() -> None:
    html = (
        "<h4>Administrationen indstiller, at orienteringen tages til efterretning.</h4>"
        "<table><tr><th><h4>2031</h4></th><td>5 mio.</td></tr></table><h2>Resume</h2><p>x</p>"
    )
    blocks = blocks_of(html)
    assert [b.heading for b in blocks] == [None, "Resume"]
    assert blocks[0].lines[0].startswith("Administrationen indstiller")


def test_a_decision_printed_before_the_first_heading_is_the_meetings() -> None:
    data = _meeting()
    data["Dagsordenpunkter"] = [
        # the title repeated, then the decision, then the sections (no Beslutning heading)
        _item(
            "1",
            "Opdigtet politik",
            "Opdigtet politik<p>Udvalget drøftede politikken.</p>"
            "<h2>Resume</h2><p>Politikken er opdigtet.</p>",
        ),
        # a closed item's only text is its decision
        _item("2", "Lukket: Opdigtet salg", "<p>Økonomiudvalget anbefaler salget.</p>"),
    ]
    items = _record(data)["items"]
    assert [(d["date"], d["outcome"]) for d in items[0]["decisions"]] == [
        ("2031-03-03", "discussed")
    ]
    assert items[1]["decisions"][0]["outcome"] == "recommended"
    data["Moede"]["Afsluttet"] = False  # an agenda's loose text is no decision
    data["Dagsordenpunkter"] = [_item("1", "Opdigtet sag", "<p>Sagen handler om en sti.</p>")]
    assert _record(data)["items"][0]["decisions"] == []


def test_municipality_from_the_portal_host_of_the_links() -> None:
    data = _meeting()
    data["Dagsordenpunkter"][0]["Felter"][0]["Link"] = (
        "https://dagsordener.greve.dk/Vis/Pdf/bilag/00000000-0000-4000-8000-000000000009"
    )
    assert _record(data)["municipality"] == {"name": "Greve Kommune", "code": "253"}
    assert PORTAL_LINK.match("https://dagsorden.assens.dk/vis?id=1")["host"] == (
        "dagsorden.assens.dk"
    )
    assert municipality_of_host("dagsorden.firstagenda.com") is None
    assert municipality_of_host("dagsordener.koege.dk").code == "259"  # Køge spelt in ASCII


def test_ingest_finds_meetings_but_not_their_sidecars(tmp_path: Path) -> None:
    from kommunegraf.graph.ingest.run import Walk, find_files

    (tmp_path / "m1.json").write_text(json.dumps(_meeting()), encoding="utf-8")
    (tmp_path / "m1.meta.json").write_text('{"meeting_id": "m1"}', encoding="utf-8")
    (tmp_path / "noter.csv").write_text("x", encoding="utf-8")
    walk = Walk()
    assert [(p.name, e) for p, e in find_files([tmp_path], walk)] == [("m1.json", None)]
    assert walk.skipped == 1  # the csv; a sidecar belongs to its meeting and is not counted
    [(_, error)] = find_files([tmp_path / "m1.meta.json"])
    assert error is not None and "sidecar" in error


def test_ingest_loads_a_meeting_and_reports_broken_json_by_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kommunegraf.graph.cli.main import main

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "m1.json").write_text(json.dumps(_meeting()), encoding="utf-8")
    (docs / "m2.json").write_text('{"Udvalg": {"Navn": "Opdigtet"}, "Moede": {', encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "ingest", str(docs)])
    assert result.exit_code != 0
    assert "m2.json" in result.output and "truncated JSON" in result.output
    assert re.search(r"^documents\s+1$", result.output, re.M)


def test_a_local_lists_code_is_the_persons_party_and_no_organisations() -> None:
    data = _meeting()
    data["Dagsordenpunkter"] = [
        _item(
            "1",
            "Opdigtet sag",
            "<h3>Beslutning</h3><p>Godkendt. Søren Fiktiv Lauridsen (UP) stemte imod.</p>"
            "<h3>Resume</h3><p>Kommunernes Landsforening (KL) har udtalt sig.</p>",
        )
    ]
    people = {p["name"]: p["party"] for p in _record(data)["items"][0]["people"]}
    assert people.get("Søren Fiktiv Lauridsen") == "UP"
    assert "Kommunernes Landsforening" not in people
    assert LOCAL_LIST.match(" (UP)")["code"] == "UP" and not LOCAL_LIST.match(" (Ø)")


def test_a_beslutning_with_only_an_absence_or_a_dot_is_no_decision() -> None:
    data = _meeting()
    data["Dagsordenpunkter"] = [
        _item("1", "Underskriftsark", "<h3>Beslutning</h3><p>.</p>"),
        _item("2", "Underskriftsark", "<h3>Beslutning</h3><p>Fraværende: Ib Opdigt</p>"),
    ]
    assert [i["decisions"] for i in _record(data)["items"]] == [[], []]


def test_named_fields_and_attendee_reasons() -> None:
    data = _meeting()
    entry = _item("1", "Opdigtet sag", "")
    entry["Felter"] = [
        {"Navn": "Beslutning", "Html": "<p>Godkendt.</p>"},
        {"Navn": "Resume", "Html": "<div><h3>Resume</h3><p>Kort.</p></div>"},
    ]
    entry["ExternalAgendaItemAttendees"] = [
        {"Name": "Ib Opdigt", "Reason": "Inhabil"},
        {"Name": "Eva Fiktiv", "Reason": "Deltager"},
        {"Name": "Aske Digt", "Reason": None, "AttendanceType": 2},
    ]
    data["Dagsordenpunkter"] = [entry]
    item = _record(data)["items"][0]
    assert [s["heading"] for s in item["sections"]] == ["Beslutning", "Resume"]
    assert item["decisions"][0]["absent"][:2] == ["Ib Opdigt", "Aske Digt"]
    assert "Eva Fiktiv" not in item["decisions"][0]["absent"]
    assert HEADING_START.match("<div><h3>Beslutning</h3>") and not HEADING_START.match("<p>x</p>")
    assert ABSENCE_REASON.search("Fraværende") and not ABSENCE_REASON.search("Deltager")


def test_table_cells_stay_apart() -> None:
    html = "<table><tr><td>130 Bevar Opdigtet Spor</td><td>EL</td></tr></table>"
    [block] = blocks_of(html)
    assert block.lines == ["130 Bevar Opdigtet Spor\tEL"]
    assert blocks_of("<div>115&nbsp;&nbsp; &nbsp;Opdigtet Brandvæsen&nbsp;&nbsp; &nbsp;LA</div>")[
        0
    ].lines == ["115\tOpdigtet Brandvæsen\tLA"]
    assert blocks_of("<p>Ét&nbsp;ord og to</p>")[0].lines == ["Ét ord og to"]


def test_a_line_break_inside_a_paragraph_is_a_space() -> None:
    [block] = blocks_of("<p>Lov om opdigtede\r\nforhold gælder.</p><p>Næste afsnit.</p>")
    assert block.lines == ["Lov om opdigtede forhold gælder.", "Næste afsnit."]
