"""Meeting fields and the municipality from what real pages print (invented text, OPDIGTET)."""

from __future__ import annotations

import pytest

from kommunegraf.extract import extract_text
from kommunegraf.extract.absences import ABSENCE_HEADING_ALONE, ABSENT_LIST_LINE, absences_of
from kommunegraf.extract.layouts import meeting_fields as mf
from kommunegraf.extract.municipalities import recognise


@pytest.mark.parametrize(
    ("printed", "committee"),
    [
        ("Byrådet - Referat", "Byrådet"),
        ("Teknikudvalgets møde den 4. marts 2024", "Teknikudvalget"),
        ("Referat fra Økonomiudvalget", "Økonomiudvalget"),
        ("Dagsorden for Udvalget for Job & Arbejdsmarked", "Udvalget for Job & Arbejdsmarked"),
        ("Kommunalbestyrelsen 2022-2025", "Kommunalbestyrelsen"),
        ("Kulturudvalget.", "Kulturudvalget"),
    ],
)
def test_clean_committee(printed: str, committee: str) -> None:
    assert mf.clean_committee(printed) == committee


def test_meeting_field_patterns() -> None:
    assert mf.KIND_AFTER_NAME.search("Byrådet – Dagsorden")
    assert mf.KIND_BEFORE_NAME.match("Referat fra det ordinære møde i ")
    assert mf.GENITIVE_MEETING.match("Byrådets ekstraordinære møde")["body"] == "Byrådet"
    assert mf.PERIOD_AFTER_NAME.search("Børneudvalget (2022-2025)")
    assert mf.TIME_AT_END.search("Rådhuset, lokale 3 kl. 9")
    assert mf.clean_location("Mødelokale 2, Tarm kl. 16.30") == ("Mødelokale 2, Tarm", "16:30")
    assert mf.clock_after_date("07-05-2024 15:45:00") == "15:45"
    assert mf.clock_after_date("07.05.2024") is None  # the date's own dots are no clock
    assert mf.BARE_CLOCK.search("kl 8.05")
    assert mf.committee_from_heading("Skoleudvalgets møde den 3. juni") == "Skoleudvalget"
    assert mf.GENITIVE_BODY.search("økonomiudvalget")


# OPDIGTET: a web page with a genitive heading, the time on the place line, glued numbers
GENITIVE_PAGE = """Teknik- og Miljøudvalgets møde den 5. marts 2025
Mødelokale 3, Skibby kl. 15.30
1Godkendelse af dagsorden
Beslutning
Godkendt.
Fraværende: Gitte Olsen (C).
2Vejbelysning i Skibby
Resume
Udvalget skal tage stilling til ny belysning.
Beslutning
Godkendt.
"""

# OPDIGTET: a flattened meeting table ("Dato: | … |") and no item headings at all
TABLE_PAGE = """Dagsorden eller referat
Dato: |
07-05-2024 15:45:00 |
---|---|
Udvalg: |
Børne- og Ungeudvalget |
Sted: |
Mødelokale 1, Christiansfeld |
Sagsnr.: 24/9911
Resumé
Orientering om skolestart.
"""

# OPDIGTET: no meeting heading; committee and date only in the decision headers
NO_HEADING_PAGE = """Referat
Deltagere:
Hans Ibsen, V
Lise Kjær, A
Fraværende:
Afbud:
Ole Dam, F
 1.  1. Godkendelse af dagsordenen
  Sagsfremstilling
  At godkende dagsordenen.
  Beslutning i Kommunalbestyrelsen den 12-02-2019
  Godkendt.
  Afbud:
  1. Ole Dam, F
 2.  2. Meddelelser
  Sagsfremstilling
  Borgmesteren orienterer.
  Beslutning i Kommunalbestyrelsen den 12-02-2019
  Til orientering.
  Afbud:
  1. Ole Dam, F
"""


def test_genitive_heading_place_with_time_and_glued_numbers() -> None:
    rec = extract_text(GENITIVE_PAGE, path="side.html")
    m = rec.meeting
    assert (m.committee, m.date, m.start_time, m.location) == (
        "Teknik- og Miljøudvalget",
        "2025-03-05",
        "15:30",
        "Mødelokale 3, Skibby",
    )
    assert [(i.number, i.title) for i in rec.items] == [
        (1, "Godkendelse af dagsorden"),
        (2, "Vejbelysning i Skibby"),
    ]
    assert rec.items[0].decisions[0].absent == ["Gitte Olsen"]
    assert rec.municipality.name == "Frederikssund Kommune"  # Skibby is a town of it


def test_flattened_table_header() -> None:
    rec = extract_text(TABLE_PAGE)
    m = rec.meeting
    assert (m.committee, m.date, m.start_time, m.location) == (
        "Børne- og Ungeudvalget",
        "2024-05-07",
        "15:45",
        "Mødelokale 1, Christiansfeld",
    )
    assert rec.items == []  # case blocks without a heading are no numbered items
    assert rec.municipality.code == "621"  # Christiansfeld lies in Kolding Kommune


def test_meeting_from_decision_headers_and_absence_lists() -> None:
    rec = extract_text(NO_HEADING_PAGE, path="Gentofte_2019-02-12.txt")
    assert (rec.meeting.committee, rec.meeting.date) == ("Kommunalbestyrelsen", "2019-02-12")
    assert [i.number for i in rec.items] == [1, 2]
    for item in rec.items:
        assert item.decisions[0].absent == ["Ole Dam"]
        assert "Afbud" not in item.decisions[0].text
    assert rec.municipality.name == "Gentofte Kommune"  # from the file's name only


def test_absence_lists_after_a_bare_label() -> None:
    absent, kept = absences_of(
        ["Godkendt.", "Fraværende", "• Karen Lund ()", "• Per Ask (V)", "Bilag"]
    )
    assert absent == ["Karen Lund", "Per Ask"] and kept == ["Godkendt.", "Bilag"]
    assert ABSENCE_HEADING_ALONE.match("Afbud:")
    assert ABSENT_LIST_LINE.match("2. Ib Holm, Ø")
    assert not ABSENT_LIST_LINE.match("Godkendt.")
    assert not ABSENT_LIST_LINE.match("Sagen blev udsat")


@pytest.mark.parametrize(
    ("text", "path", "code"),
    [
        ("Referat\nMødested: Tørring Rådhus\n", None, "766"),  # a town hall
        ("Kontakt: post@vejle.dk\n", None, "630"),  # an e-mail host
        ("Se https://dagsorden.assens.dk/vis?id=1\n", None, "420"),  # a portal host
        ("Referat\nByrådssalen, 8500 Grenaa\n", None, "707"),  # a postcode and town
        ("Referat\n", "ringkobing-skjern_byraad.txt", "760"),  # a file name, folded
        ("Referat\n", "holbaek_tmu.txt", "316"),
    ],
)
def test_municipality_evidence(text: str, path: str | None, code: str) -> None:
    entry = recognise(text, path)
    assert entry is not None and entry.code == code


def test_a_first_page_letterhead_outweighs_mentions_further_down() -> None:
    text = "Odder Kommune\nReferat\n" + "x\n" * 2000 + "samarbejde med Samsø Kommune\n"
    text += "Samsø Kommune har svaret.\n"
    entry = recognise(text)
    assert entry is not None and entry.short == "Odder"


# OPDIGTET: an excerpt cut off inside its third item's case text
CUT_PAGE = """Referat
Byrådet
Dato: 2. maj 2024
1. Godkendelse af dagsorden
Beslutning
Godkendt.
2. Spørgetid
Beslutning
Der var ingen spørgsmål.
3. Ny skolestruktur i den nordlige del af kommunen
Sagsfremstilling
Forvaltningen har i samarbejde med skolebestyrelserne udarbejdet et forslag, som bygger p"""


def test_an_item_cut_off_by_the_end_of_an_excerpt_is_left_out() -> None:
    assert [i.number for i in extract_text(CUT_PAGE).items] == [1, 2]
    whole = CUT_PAGE + "å tre skoler.\nBeslutning\nSagen udsættes.\n"
    assert [i.number for i in extract_text(whole).items] == [1, 2, 3]
    # the decision came before the cut section: the item is whole
    early = CUT_PAGE.replace("Sagsfremstilling\n", "Beslutning\nGodkendt.\nSagsfremstilling\n")
    assert [i.number for i in extract_text(early).items] == [1, 2, 3]


# OPDIGTET: a CMS page whose member list says who was absent from which items
RANGED_PAGE = """Referat fra Økonomiudvalget
Dato: 2. april 2024
Deltagere: Ida Holm (A), Ole Bak (V), Per Ask (C)
Fraværende: Ole Bak (V) under punkt 2-3
Per Ask (C) deltog ikke i behandlingen af punkt 1
1. Godkendelse af dagsorden
Sag nr. 24/1
Beslutning
Godkendt.
2. Budget
Sag nr. 24/2
Beslutning
Godkendt.
3. Takster
Sag nr. 24/3
Beslutning
Godkendt.
"""


def test_absences_that_hold_for_a_range_of_items() -> None:
    rec = extract_text(RANGED_PAGE)
    absent = {i.number: i.decisions[0].absent for i in rec.items}
    assert absent == {1: ["Per Ask"], 2: ["Ole Bak"], 3: ["Ole Bak"]}
    assert mf.ranged_absences(["Afbud: Lis Lund fra punkt 6"]) == [("Lis Lund", 6, 1_000_000)]
    assert mf.ranged_absences(["Fraværende: Bo Ib til og med pkt. 2"]) == [("Bo Ib", 1, 2)]
    assert mf.ranged_absences(["Fraværende: Bo Ib"]) == []  # the whole meeting: not ranged
    assert mf.ABSENCE_ITEMS.search("(punkt 4 og 5)")["b"] == "5"
    assert mf.ABSENCE_CUE.search("Ole deltog ikke i punkt 3")
    assert mf.NAMES_BEFORE.match("Afbud: Ole Bak")["names"] == "Ole Bak"
    assert mf.ABSENCE_VERB.search("Ole Bak forlod mødet efter punkt 3")
