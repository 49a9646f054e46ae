"""Layout recognition and segmentation on invented minutes in several shapes."""

from __future__ import annotations

from kommunegraf.extract import extract_text
from kommunegraf.extract.layouts import catalogue, choose, engine, headers, headings, lines, meeting
from kommunegraf.extract.layouts.lines import split_lines
from kommunegraf.extract.layouts.profiles import bundled, rank

NAESTVED_LIKE = """REFERAT Teknik- og Miljøudvalget 2022-2025 d. 09-05-2023

Mødedato Tirsdag d. 09. maj 2023 kl. 16:00

Mødested Rådhuset, lokale 4

Indholdsfortegnelse

Godkendelse af dagsorden.....\t3
Vejplan.....\t4

Punkt 12: Godkendelse af dagsorden

00.22.00-P35-1-22

Beslutning

Teknik- og Miljøudvalget, 09.05.2023

Godkendt

Punkt 13: Vejplan

05.01.00-P20-4-23

Resume

Punkt 2. Styrkelse af indsatsen på vejområdet er et afsnit i planen.

Beslutning

Teknik- og Miljøudvalget, 04.04.2023

Sagen udsættes.

Teknik- og Miljøudvalget, 09.05.2023

Anbefales.

Bilag

Vejplan 2023.pdf
"""

SLAGELSE_LIKE = """REFERAT Kulturudvalget (2022-2025)

d. 01-02-2024

Mødedato Torsdag d. 01. februar 2024 kl. 17:00

Mødested Kulturhuset,
sal 2

Punkt 1: Godkendelse af dagsorden (B)

Sagsfremstilling

1. Godkendelse af dagsorden (B)

Sagsnr.: 561-2023-100

Dok.nr.: 561-2024-200

Åbent

Indstilling

1. at dagsordenen godkendes.

Beslutning i Kulturudvalget den 1. februar 2024:

Fraværende: Ole Bak (V)

Godkendt.

Punkt 2: Personalesag (O)

Sagsfremstilling

2. Personalesag (O)

Sagsnr.: 561-2024-300

Lukket

Beslutning i Kulturudvalget den 1. februar 2024:

Taget til efterretning.
"""

RANDERS_LIKE = """REFERAT Økonomiudvalget 2022-2025 d. 20-02-2023

Mødedato Mandag d. 20. februar 2023 kl. 15:00

Punkt 40: Tilskud til spejderhytte

20.00.00-Ø40-2-23

Plan- og Boligudvalget, 2. februar 2023, pkt. 17:

Anbefales.

Beslutning

Godkendt med 7 stemmer for og 2 stemmer imod. Imod stemte Ane Bro (Ø) og Bo Dam (F).

Punkt 41: Orientering om byggeri

02.00.00-G01-1-23

Beslutning

Taget til efterretning.
"""

GENERIC_NUMBERED = """Dagsorden for Teknisk Udvalg
Mødet afholdt: 12. marts 2024 kl. 16.00
Sted: Byrådssalen

1. Godkendelse af dagsorden
2. Vejplan 2024

1. Godkendelse af dagsorden
Sagsnr.: 24/1234
BESLUTNING
Godkendt.

2. Vejplan 2024
Sags ID: EMN-2024-01234
SAGSFREMSTILLING
Planen har tre dele:
1. at vejene vedligeholdes
3. Afsnit om cykelstier følger senere
INDSTILLING
Forvaltningen indstiller, at planen godkendes.
BESLUTNING
Forkastet med 3 stemmer mod 6.
"""


def _lines(text: str):  # type: ignore[no-untyped-def]
    return split_lines(text)


def _scores(text: str) -> dict[str, float]:
    lines = _lines(text)
    styles = tuple(dict.fromkeys(s for p in bundled() for s in p.headers))
    counts = {k: len(v) for k, v in headers.find_all_item_headers(lines, styles).items()}
    return {s.profile.layout: s.score for s in rank(bundled(), [x.text for x in lines], counts)}


def test_each_firstagenda_template_claims_its_own_shape_only() -> None:
    templates = ("naestved", "slagelse", "randers")
    for text, name in ((NAESTVED_LIKE, "naestved"), (SLAGELSE_LIKE, "slagelse"),
                       (RANDERS_LIKE, "randers")):  # fmt: skip
        scores = _scores(text)
        assert scores[name] > 0.5, name
        assert all(scores[o] == 0.0 for o in templates if o != name), (name, scores)
    scores = _scores(GENERIC_NUMBERED)
    assert all(scores[o] == 0.0 for o in templates)


def test_naestved_like() -> None:
    rec = extract_text(NAESTVED_LIKE)
    assert rec.source.layout == "naestved"
    assert (rec.meeting.committee, rec.meeting.date, rec.meeting.start_time) == (
        "Teknik- og Miljøudvalget",
        "2023-05-09",
        "16:00",
    )
    assert rec.meeting.location == "Rådhuset, lokale 4" and rec.meeting.period == "2022-2025"
    assert [i.number for i in rec.items] == [12, 13]  # the TOC and "Punkt 2." line are no items
    item = rec.items[1]
    assert item.case_number == "05.01.00-P20-4-23"
    assert [(x.date, x.outcome) for x in item.decisions] == [
        ("2023-04-04", "postponed"),
        ("2023-05-09", "recommended"),
    ]
    assert item.attachments == ["Vejplan 2023.pdf"]
    assert item.span is not None and NAESTVED_LIKE[item.span[0] :].startswith("Punkt 13: Vejplan")


def test_slagelse_like() -> None:
    rec = extract_text(SLAGELSE_LIKE)
    assert rec.source.layout == "slagelse"
    assert rec.meeting.location == "Kulturhuset, sal 2"
    first, second = rec.items
    assert (first.title, first.kind, first.case_number, first.document_number) == (
        "Godkendelse af dagsorden",
        "decision",
        "561-2023-100",
        "561-2024-200",
    )
    assert first.decisions[0].absent == ["Ole Bak"] and first.open
    assert second.open is False and second.kind == "orientation"
    assert rec.municipality.code == "561"  # Esbjerg, from the case-number prefix


def test_randers_like() -> None:
    rec = extract_text(RANDERS_LIKE)
    assert rec.source.layout == "randers"
    item = rec.items[0]
    assert [(x.body, x.date, x.outcome) for x in item.decisions] == [
        ("Plan- og Boligudvalget", "2023-02-02", "recommended"),
        ("Økonomiudvalget", "2023-02-20", "approved"),
    ]
    votes = item.decisions[1].votes
    assert votes is not None and votes.against_names == ["Ane Bro", "Bo Dam"]
    assert [(r.body, r.item_number) for r in item.references] == [("Plan- og Boligudvalget", 17)]


def test_generic_numbered_items_skip_toc_and_lists() -> None:
    layout, seg = choose(GENERIC_NUMBERED)
    assert layout == "generic"
    assert [(i.number, i.title, i.case_number) for i in seg.items] == [
        (1, "Godkendelse af dagsorden", "24/1234"),
        (2, "Vejplan 2024", "EMN-2024-01234"),
    ]
    rec = extract_text(GENERIC_NUMBERED)
    assert (rec.meeting.kind, rec.meeting.date, rec.meeting.start_time) == (
        "dagsorden",
        "2024-03-12",
        "16:00",
    )
    assert rec.meeting.location == "Byrådssalen"
    assert rec.items[1].decisions[0].outcome == "rejected"
    headings = [s.heading for s in rec.items[1].sections]
    assert headings == ["SAGSFREMSTILLING", "INDSTILLING", "BESLUTNING"]


def test_labelled_items() -> None:
    text = "Referat\nBørneudvalget\n\nPkt. 3 Skolestruktur\nJ.nr. 133/2008\nBeslutning: Drøftet.\n"
    text += "Pkt. 4 Budget\nBeslutning: Godkendt.\n"
    rec = extract_text(text)
    assert [(i.number, i.case_number) for i in rec.items] == [(3, "133/2008"), (4, None)]
    assert rec.meeting.committee == "Børneudvalget"


def test_header_patterns() -> None:
    assert catalogue.PUNKT_COLON_HEADER.match("Punkt 7: Vejplan (B)")
    assert not catalogue.PUNKT_COLON_HEADER.match("Punkt 2. Styrkelse af indsatsen")
    assert catalogue.LABELLED_HEADER.match("Sag nr. 5: Skolestruktur")
    assert catalogue.NUMBERED_HEADER.match("12. VEJPLAN 2024")
    assert not catalogue.NUMBERED_HEADER.match("1. at dagsordenen godkendes")
    assert meeting.DOC_KIND.match("DAGSORDEN Teknisk Udvalg")
    assert meeting.DATE_LINE.match("Mødedato Mandag d. 3. juni 2024")
    assert meeting.PLACE_LINE.match("Sted: Rådhuset")["place"] == "Rådhuset"
    assert not meeting.PLACE_LINE.match("mødelokale 3")  # a wrapped location line
    assert meeting.COMMITTEE_LINE.match("Udvalg: Teknik- og Miljøudvalget")
    assert meeting.CLOCK_LINE.match("Tidspunkt: 16.30")
    assert meeting.ORGAN_NAME.search("Kommunalbestyrelsen")
    assert headings.CAPS_HEADING.match("ØKONOMI OG FINANSIERING")
    assert headings.DECISION_IN_LINE.match("Beslutning i Kulturudvalget den 1. februar 2024:")
    assert catalogue.DATED_BODY_LINE.match("Kulturudvalget, 01.02.2024")
    assert catalogue.DECISION_BY_BODY_HEADER.match("Beslutning i Kulturudvalget den 1. maj 2024:")
    assert catalogue.EARLIER_BODY_HEADER.match("Byrådet, 2. maj 2024, pkt. 9:")


def test_no_items_is_an_empty_record_not_an_error() -> None:
    rec = extract_text("Dette er et brev om noget helt andet.\nMed venlig hilsen")
    assert rec.items == [] and rec.meeting.kind == "dagsorden"


def test_more_header_patterns() -> None:
    assert headings.INLINE_SECTION.match("Beslutning: Godkendt.")
    assert headings.LIST_LINE.match("2) at planen sendes i høring")
    assert meeting.LABEL_ONLY.match("Mødested")
    assert meeting.PLACE_HINT.search("Rådhuset i Tønder, mødelokale Vidå")
    row = meeting.ATTENDANCE_ROW.match("Ole Bak\tV\tMedlem\tAfbud")
    assert row and row["name"] == "Ole Bak"
    assert lines.PAGE_FURNITURE.search("Tønder Kommune - Byrådet - 02-05-2024 - Side 2 af 9")
    assert not lines.PAGE_FURNITURE.search("Se side 4 i planen")


def test_name_end_and_title_patterns() -> None:
    title = "Skoleudvalget 2022-2025 d. 4. maj"
    assert meeting.TITLE_NAME_END.split(title, maxsplit=1)[0] == "Skoleudvalget"
    assert meeting.HEADER_NAME_END.split("Vejudvalget den 4. maj", maxsplit=1)[0] == "Vejudvalget"
    assert engine.CASE_DASH.sub("-", "82.01.00 – G01-7-24") == "82.01.00-G01-7-24"
    assert engine.CLOSED_TITLE_MARK.sub("", "Salg af grund ( Lukket punkt )") == "Salg af grund"
    assert not engine.CLOSED_TITLE_MARK.search("Lukket vej (B)")
    assert catalogue.DATED_LINE_END.search("Vejudvalget, 04.03.2024")
    assert not catalogue.DATED_LINE_END.search("Godkendt som indstillet.")


WEB_LIKE = """Referat: Plan- og Miljøudvalget
Mødedato
3. juni 2024
Mødetidspunkt
kl. 08:30
Mødested
Rådhuset, Østergade 1, mødelokale 2
Navn\tParti\tStatus
Ole Bak\tV\tTil stede
Ida Holm\tA\tAfbud

1. Godkendelse af dagsorden
Sagsnr.: 24/10
Beslutning
Godkendt.
Tønder Kommune - Plan- og Miljøudvalget - 03-06-2024 - Side 2 af 4
2. Dispensation til carport
Sagsnr.: 24/11
Byrådet 28-05-2024:
Oversendt til udvalget.
Plan- og Miljøudvalget 03-06-2024:
Dispensationen meddeles ikke.
"""


def test_web_page_labels_attendance_table_and_undashed_dated_bodies() -> None:
    rec = extract_text(WEB_LIKE)
    m = rec.meeting
    assert (m.committee, m.date, m.start_time, m.location) == (
        "Plan- og Miljøudvalget",
        "2024-06-03",
        "08:30",
        "Rådhuset, Østergade 1, mødelokale 2",
    )
    first, second = rec.items
    assert first.decisions[0].absent == ["Ida Holm"]
    assert [(d.body, d.date, d.outcome) for d in second.decisions] == [
        ("Byrådet", "2024-05-28", "other"),
        ("Plan- og Miljøudvalget", "2024-06-03", "rejected"),
    ]
    assert all("Side 2" not in s.text for s in first.sections)


def test_unlabelled_date_time_and_place_lines() -> None:
    text = (
        "DAGSORDEN\nBørneudvalget\nTirsdag den 9. april 2024 kl. 17:00\n"
        "Rådhuset i Tønder, mødelokale Vidå\n\nSag nr. 1: Godkendelse af dagsorden\n"
        "Sags ID: EMN-2024-00012\nIndstilling\nAt dagsordenen godkendes.\n"
    )
    m = extract_text(text).meeting
    assert (m.date, m.start_time, m.location, m.kind) == (
        "2024-04-09",
        "17:00",
        "Rådhuset i Tønder, mødelokale Vidå",
        "dagsorden",
    )


def test_member_list_before_items_gives_parties() -> None:
    text = (
        "REFERAT\nKulturudvalget\nDato: 3. juni 2024\n"
        "Tilstede: Ida Marie Holm (A), Ole Bak (V)\n\n"
        "1. Godkendelse af dagsorden\nSagsnr.: 24/10\nBeslutning\n"
        "Godkendt. Ida Marie Holm ønskede sagen genoptaget.\n"
    )
    [person] = [p for p in extract_text(text).items[0].people if p.name == "Ida Marie Holm"]
    assert person.party == "A"
