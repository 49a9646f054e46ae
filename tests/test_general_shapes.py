"""Shapes of minutes nobody on the team had seen (issue 17, held-out failures), on invented
text (OPDIGTET: every person, case and place is made up), several variants each."""

from __future__ import annotations

import pytest

from kommunegraf.extract import extract_text
from kommunegraf.extract.layouts.headers import CLOSED_TITLE_PREFIX
from kommunegraf.extract.layouts.lines import split_lines
from kommunegraf.extract.layouts.meeting import RawMeeting, parse_meeting
from kommunegraf.extract.layouts.meeting_fields import PLACE_AFTER_CLOCK, place_after_clock
from kommunegraf.extract.municipalities import recognise
from kommunegraf.extract.patterns import CASE_LABEL

HEAD = "OPDIGTET TESTDOKUMENT\nLemvig Kommune\nReferat\nØkonomiudvalget\nMødedato: 4. juni 2024\n\n"


def _items(text: str) -> list[tuple[int, str, str | None, bool]]:
    rec = extract_text(text)
    return [(i.number, i.title, i.case_number, i.open) for i in rec.items]


# --- 2. case-number labels with a system prefix; "Sag nr. N: Title" is a header ------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Acadre sagsnr.: 24/8812", "24/8812"),
        ("ESDH-nr.: 24/4410", "24/4410"),
        ("SBSYS sagsnr.: 27.00.00-A00-1-24", "27.00.00-A00-1-24"),
        ("Sagsid.: 24/1", "24/1"),
        ("J.nr.: 24/3", "24/3"),
        ("Journalnr.: 24/12001", "24/12001"),
        ("Sag nr. 24/1234", "24/1234"),
        ("Sag nr. 44: Lukket punkt: Personalesag", None),
        ("Sag nr. 441: Godkendelse af dagsorden", None),
        ("Sagsnr.: 24/1234 Dok.nr.: 5", "24/1234"),
    ],
)
def test_case_label_system_prefix_and_not_a_header(line: str, value: str | None) -> None:
    m = CASE_LABEL.match(line)
    assert (m["value"] if m else None) == value


@pytest.mark.parametrize("label", ["Acadre sagsnr.:", "ESDH-nr.:", "Journalnr.:", "J.nr.:"])
def test_sag_nr_items_keep_their_own_case_numbers(label: str) -> None:
    text = HEAD + (
        f"Sag nr. 41: Godkendelse af dagsorden\n{label} 24/8812\nBeslutning\nGodkendt.\n\n"
        f"Sag nr. 42: Salg af grund på Fabriksvej\n{label} 23/7714\nBeslutning\nGodkendt.\n\n"
        f"Sag nr. 43: Vejplan for 2025\n{label} 24/1100\nBeslutning\nGodkendt.\n\n"
        f"Sag nr. 44: Lukket punkt: Personalesag\n{label} 24/0031\n"
    )
    assert _items(text) == [
        (41, "Godkendelse af dagsorden", "24/8812", True),
        (42, "Salg af grund på Fabriksvej", "23/7714", True),
        (43, "Vejplan for 2025", "24/1100", True),
        (44, "Personalesag", "24/0031", False),
    ]


# --- 3. closed items without a body ---------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "bare"),
    [
        ("Lukket punkt: Klagesag", "Klagesag"),
        ("Lukket: Elevsag", "Elevsag"),
        ("LUKKET SAG - Ejendomshandel", "Ejendomshandel"),
        ("Lukket møde: Personalesag", "Personalesag"),
    ],
)
def test_closed_last_item_without_body(title: str, bare: str) -> None:
    text = HEAD + (
        "1. Godkendelse af dagsorden\nSagsnr.: 24/5501\nBeslutning\nGodkendt.\n\n"
        "2. Status på ledighed\nSagsnr.: 24/5502\nBeslutning\nTaget til efterretning.\n\n"
        f"3. {title}\n"
    )
    items = _items(text)
    assert items[-1] == (3, bare, None, False)
    assert [i[0] for i in items] == [1, 2, 3]


def test_closed_prefix_is_not_any_word_lukket() -> None:
    assert CLOSED_TITLE_PREFIX.match("Lukket punkt: Klagesag")
    assert not CLOSED_TITLE_PREFIX.match("Lukketid for butikker")
    assert not CLOSED_TITLE_PREFIX.match("Lukket")


def test_closed_last_item_of_an_html_page() -> None:
    from kommunegraf.extract.load import load_bytes

    page = (
        "<html><head><title>Referat - Viborg Kommune</title></head><body>"
        "<h1>Referat af møde i Børne- og Ungeudvalget</h1>"
        "<p>Onsdag den 6. november 2024 kl. 16.30 i Mødelokale 5</p>"
        "<h2>1. Godkendelse af dagsorden</h2><p>Sagsnr.: 24/9100</p><h3>Beslutning</h3>"
        "<p>Godkendt.</p><h2>2. Lukket punkt: Klagesag</h2></body></html>"
    )
    text = load_bytes(page.encode(), "page.html").text
    assert _items(text)[-1] == (2, "Klagesag", None, False)


# --- 5. meeting header shapes ---------------------------------------------------------------


def _meeting(*lines: str) -> RawMeeting:
    return parse_meeting(split_lines("\n".join(lines)))


@pytest.mark.parametrize(
    ("line", "clock"),
    [
        ("Mødetidspunkt: 15:30", "15:30"),
        ("Mødetidspunkt: 09:00 - 11:30", "09:00"),
        ("Mødetidspunkt: 8.15-10.00", "08:15"),
        ("Mødetidspunkt: kl. 17:00", "17:00"),
    ],
)
def test_meeting_time_without_kl(line: str, clock: str) -> None:
    meeting = _meeting("Referat", "Økonomiudvalget", "Mødedato: 4. juni 2024", line)
    assert meeting.start_time == clock


@pytest.mark.parametrize(
    ("heading", "committee"),
    [
        (
            "Referat af møde i Erhvervs- og Beskæftigelsesudvalget",
            "Erhvervs- og Beskæftigelsesudvalget",
        ),
        ("Referat af mødet i Teknisk Udvalg", "Teknisk Udvalg"),
        ("Dagsorden til møde i Kultur- og Fritidsudvalget", "Kultur- og Fritidsudvalget"),
        ("Referat fra Økonomiudvalget", "Økonomiudvalget"),
    ],
)
def test_committee_after_af_mode_i(heading: str, committee: str) -> None:
    assert _meeting(heading, "Mødedato: 4. juni 2024").committee == committee


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Tirsdag den 10. september 2024 kl. 15.00 i Mødelokale 2", "Mødelokale 2"),
        ("Onsdag den 6. november 2024 kl. 16:30 på Rådhuset, lokale 3", "Rådhuset, lokale 3"),
        ("Mandag den 2. december 2024 kl. 9.00 i Byrådssalen.", "Byrådssalen"),
    ],
)
def test_place_after_the_clock(line: str, place: str) -> None:
    assert PLACE_AFTER_CLOCK.search(line)
    assert place_after_clock(line) == place
    assert _meeting("Referat", "Økonomiudvalget", line).location == place


def test_no_place_after_the_clock_without_i_or_pa() -> None:
    assert place_after_clock("Tirsdag den 10. september 2024 kl. 15.00") is None
    assert place_after_clock("Mødet sluttede kl. 17.00 i god ro") is None


@pytest.mark.parametrize(
    ("head", "name"),
    [
        ("IKAST-BRANDE KOMMUNE\nReferat", "Ikast-Brande Kommune"),
        ("RINGKØBING-SKJERN KOMMUNE\nReferat", "Ringkøbing-Skjern Kommune"),
        ("HOLSTEBRO KOMMUNE - Social- og Sundhedsudvalget", "Holstebro Kommune"),
        ("Referat\nKØBENHAVNS KOMMUNE", "Københavns Kommune"),
    ],
)
def test_municipality_in_capitals(head: str, name: str) -> None:
    entry = recognise(head + "\nMødedato: 4. juni 2024\n", "<text>")
    assert entry is not None and entry.name == name


def test_capitals_must_start_a_word() -> None:
    assert recognise("XSKIVE KOMMUNE\nReferat\n", "<text>") is None


# --- 1. the item number alone on its line, the title (maybe wrapped) on the next -------------


@pytest.mark.parametrize("label", ["Punkt {n}.", "Punkt {n}", "Pkt. {n}", "{n}."])
@pytest.mark.parametrize(
    "cases", [("EMN-2024-000112", "EMN-2024-000187"), ("00.01.00-A00-4-24", "01.02.05-P16-3-24")]
)
def test_number_alone_then_wrapped_title(label: str, cases: tuple[str, str]) -> None:
    one, two = (label.format(n=n) for n in (1, 2))
    text = HEAD + (
        f"{one}\nGodkendelse af dagsorden\n{cases[0]}\nBeslutning\nGodkendt.\n\n"
        f"{two}\nForslag til lokalplan for et\nboligområde ved Skovvej\n{cases[1]}\n"
        "Sagsfremstilling\nLokalplanen giver plads til 40 boliger.\nBeslutning\nGodkendt.\n"
    )
    assert _items(text) == [
        (1, "Godkendelse af dagsorden", cases[0], True),
        (2, "Forslag til lokalplan for et boligområde ved Skovvej", cases[1], True),
    ]


def test_alone_title_does_not_swallow_a_body_line() -> None:
    text = HEAD + (
        "Punkt 1.\nGodkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
        "Punkt 2.\nOrientering om sygefravær\nSagsnr.: 24/1\nSagsfremstilling\n"
        "Fraværet er faldet.\nBeslutning\nTaget til efterretning.\n"
    )
    assert [t for _, t, _, _ in _items(text)] == [
        "Godkendelse af dagsorden",
        "Orientering om sygefravær",
    ]


# --- 4. run-together text: a page is one paragraph, no colons --------------------------------

RUN_TOGETHER = " ".join(
    [
        "OPDIGTET TESTDOKUMENT. {muni} Referat {committee} Mødedato 3. april 2024 kl. 16.00",
        "Mødested Rådhuset, mødelokale 4 {p} 1 Godkendelse af dagsorden Sagsnr. 24/3311",
        "Beslutning Godkendt. {p} 2 Tilskud til lokale foreninger Sagsnr. 24/1402",
        "Sagsfremstilling Foreningerne har søgt om tilskud til aktiviteter for børn og unge i",
        "kommunen, og forvaltningen har vurderet ansøgningerne efter de gældende retningslinjer.",
        "Beslutning Godkendt. {p} 3 Orientering om biblioteksbesøg Sagsnr. 24/0987",
        "Sagsfremstilling Antallet af besøgende på bibliotekerne er steget i det seneste år,",
        "især om aftenen og i weekenderne. Beslutning Taget til efterretning.",
    ]
)


@pytest.mark.parametrize("p", ["Punkt", "Pkt."])
@pytest.mark.parametrize(
    ("muni", "committee"),
    [
        ("Skive Kommune", "Kultur- og Fritidsudvalget"),
        ("Thisted Kommune", "Teknik- og Miljøudvalget"),
        ("Struer Kommune", "Økonomiudvalget"),
    ],
)
def test_run_together_page(p: str, muni: str, committee: str) -> None:
    rec = extract_text(RUN_TOGETHER.format(p=p, muni=muni, committee=committee))
    assert rec.meeting.committee == committee
    assert rec.municipality.name == muni
    assert [(i.number, i.title, i.case_number) for i in rec.items] == [
        (1, "Godkendelse af dagsorden", "24/3311"),
        (2, "Tilskud til lokale foreninger", "24/1402"),
        (3, "Orientering om biblioteksbesøg", "24/0987"),
    ]
    outcomes = [[d.outcome for d in i.decisions] for i in rec.items]
    assert outcomes == [["approved"], ["approved"], ["noted"]]


def test_reflow_keeps_a_lower_case_punkt_reference_in_its_sentence() -> None:
    from kommunegraf.extract.layouts.reflow import reflow

    line = "Sagen blev behandlet under punkt 3 Godkendelse i sidste måned. " * 10
    assert reflow(line) == line
