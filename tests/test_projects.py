"""Named projects in an item's text (extract/entities/projects.py): invented examples per rule."""

from __future__ import annotations

import pytest
import regex as re

from kommunegraf.extract.entities import project_patterns as PP
from kommunegraf.extract.entities import projects as P
from kommunegraf.extract.entities.projects import find_projects


def names(text: str) -> list[str]:
    return [p.name for p in find_projects(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every quotation style
        ("Kommunen deltager i projektet „Sund By“.", ["Sund By"]),
        ('Udvalget orienteres om projekt "Trivsel på Tværs", der løber i to år.',
         ["Trivsel på Tværs"]),
        ("Skolerne er med i »Grøn Hverdag« fra august.", ["Grøn Hverdag"]),
        ("Invitation til ”Unge i Job” den 3. maj.", ["Unge i Job"]),
        ("Indsatsen “Bo Trygt” evalueres.", ["Bo Trygt"]),
        ('projektet "Sund Start,"', ["Sund Start"]),
        # a cue word before a capitalised name
        ("Jobcentret har tilbuddet Vejen Frem og tilbuddet Ny Start til borgerne.",
         ["Vejen Frem", "Ny Start"]),
        ("Pilotprojektet Naboskab udvides til to boligområder.", ["Naboskab"]),
        ("Midlerne går til puljen Grønne Fællesskaber.", ["Grønne Fællesskaber"]),
        ("Udvalget følger strategien Sammen om Sundhed.", ["Sammen om Sundhed"]),
        # a capitalised name before its cue word, or glued to it
        ("Erfaringerne fra Sund Start ordning viser gode resultater.", ["Sund Start ordning"]),
        ("Kolding-modellen og Fjordbyen-projektet blev præsenteret.",
         ["Kolding-modellen", "Fjordbyen-projektet"]),
        # a capitalised compound ending in a cue word inside a sentence, with its year or owner
        ("Målene i Klimaplan 2030 og i Ungestrategi 2022-2025 følges.",
         ["Klimaplan 2030", "Ungestrategi 2022-2025"]),
        ("Planen er en del af Aarhus Kommunes Sundhedspolitik.",
         ["Aarhus Kommunes Sundhedspolitik"]),
        ("I marts kom Vækst- og Innovationspakken, som giver tilskud.",
         ["Vækst- og Innovationspakken"]),
        # the compound that the item's title is about
        ("Punkt 12: Orientering om frivilligpuljen\n\nPuljen har 40 ansøgere.",
         ["frivilligpuljen"]),
        # a name presented as an initiative
        ("Unge på Vej, der er et tilbud til unge mellem 15 og 25 år.", ["Unge på Vej"]),
        ("Punkt 7: Klar til Start - et tilbud til nyankomne\n", ["Klar til Start"]),
        ("Vi følger Trivselsløftet, som projektet kaldes, tæt.", ["Trivselsløftet"]),
        ("Kommunen deltager i et projekt, kaldet Fælles Fodslag, sammen med regionen.",
         ["Fælles Fodslag"]),
        # a programme with its abbreviation, an agreement by its title
        ("Midlerne indgår i sundheds- og omsorgsprogrammet (SOP).",
         ["sundheds- og omsorgsprogrammet"]),
        ("Aftale om Styrket Indsats for Udsatte blev indgået i 2022.",
         ["Aftale om Styrket Indsats for Udsatte"]),
        # list entries printed as titles
        ("Igangværende:\n- Sund Mad. Projektet kører videre.\n- Bedre overgange til skole.\n"
         "3. Aktiv Fritid/Idrætsforeninger kr. 10.000\n4. Unge hjælper Unge kr. 5.000",
         ["Sund Mad", "Aktiv Fritid", "Unge hjælper Unge"]),
    ],
)  # fmt: skip
def test_projects(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'Der arbejdes med målgruppen "Unge ledige".',  # a target group
        'Se bilag 2 "Notat om økonomi".',  # an attachment
        'Oplæg på temadagen om "Fremtidens velfærd" ved en konsulent.',  # a talk title
        'Konteres under område "Drift og Vedligehold".',  # an administrative area
        'Borgeren "falder for" reglen.',  # lower case: no name
        "Det nye projekt og ungeindsatsen fortsætter. Løntilskudsordningen ændres.",  # generic
        "Der er budgetteret i Budgetaftale 2024-2027.",  # the budget
        "Center for Social Service leverer tilbuddet Center Nord.",  # an organisation
        "Erfaringerne fra Vordingborg Kommunes projekt er gode.",  # an owner, no name
        "Der laves en samlet plan for familien, kaldet Familiens Plan.",  # a document
        '"Lov om social service" gælder.',  # a law
        "1. GODKENDELSE AF DAGSORDEN",  # a heading
        "Sagen vedrører forslag til Lokalplan 1.87 ved havnen.",  # a numbered plan
        "Deltagere:\n- Lene Holm (V)\n- CBR Randers, afdeling syd",  # a person, an organisation
        "Punkt 6: Drøftelse af Handleplan 2024 (D)\n\n6. Drøftelse af Handleplan 2024 (D)\n",
    ],
)
def test_no_project(text: str) -> None:
    found = names(text)
    if "Handleplan" in text:  # the item's own header line is not a list entry
        assert found == ["Handleplan 2024"]
    else:
        assert found == []


def test_a_shorter_form_printed_later_is_the_same_project() -> None:
    text = 'Projektet "Sund By 2.0" bygger på "Sund By" og på pilotprojektet "Sund By i Kolding".'
    assert names(text) == ["Sund By 2.0", "Sund By i Kolding"]


def test_a_fuller_form_printed_later_replaces_the_shorter() -> None:
    text = (
        'Ministeren kaldte udspillet "Mere tid. Mindre papir".\n\n'
        'Regeringens udspil: "Mere tid. Mindre papir. En enklere hverdag" er vedlagt.'
    )
    assert names(text) == ["Mere tid. Mindre papir. En enklere hverdag"]


def test_listed_once_in_order_of_first_appearance_with_keys() -> None:
    text = 'Tilbuddet Vejen Frem og projekt "Klar Parat". Senere igen "Vejen Frem" og Klar Parat.'
    result = find_projects(text)
    assert [(p.name, p.key) for p in result] == [
        ("Vejen Frem", "vejen-frem"),
        ("Klar Parat", "klar-parat"),
    ]


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        (PP.QUOTED, "»Grøn Hverdag«", "Grøn Hverdag"),
        (PP.CUE_THEN_NAME, "tilbuddet Vejen Frem", "tilbuddet til borgere"),
        (PP.NAME_THEN_CUE, "Sund Start ordning", "sund start ordning"),
        (PP.HYPHENATED, "Kolding-modellen", "kolding-modellen"),
        (PP.CAPITALISED_COMPOUND, "Klimaplan 2030", "klimaplan 2030"),
        (PP.NAME_FOLLOWS, " Naboskab", " naboskab"),
        (PP.NUMBER_FOLLOWS, " 1.87", " om"),
        (PP.PARTY_FOLLOWS, " (SF)", " (Sund)"),
        (PP.OWNER_BEFORE, "Aarhus Kommunes ", "kommunens "),
        (PP.TITLE_SUBJECT, "om frivilligpuljen", "om puljen"),
        (PP.PRESENTED_AS, ", der er et tilbud", ", der er et godt"),
        (PP.NAMED_AS, ", som strategien kaldes", ", som kaldes"),
        (PP.CALLED, "projekt, kaldet Fælles Fodslag", "plan, kaldet Fælles Fodslag"),
        (PP.ABBREVIATED, "omsorgsprogrammet (SOP)", "omsorgen (SOP)"),
        (PP.AGREEMENT, "Aftale om Grøn Omstilling", "aftale om grøn omstilling"),
        (PP.LIST_TITLE, "- Sund Mad. Tekst", "- sund mad. Tekst"),
        (PP.ITEM_HEADER, "Punkt 6: Drøftelse", "Drøftelse"),
        (PP.WORD, "ord", " "),
        (PP.LIST_LINE_START, "\n- Sund", "\n- sund"),
        (PP.PREVIOUS_WORD, "Sund Start ", "Sund Start"),
        (PP.ACRONYM_IN_PARENTHESES, "(SOP)", "(Sop)"),
        (PP.WORD_CHAR, "’", " "),
        (PP.LETTER, "é", "7"),
        (PP.LIST_LINE_OPENING, "\n  - Sund", "\n-Sund"),
        (PP.PRESENTING, "der er et ", "der er fire "),
        (PP.LAW_OR_DATE, "Lov om social service", "Sund By"),
        (PP.LOWER_WORD, "veteraner", "Veteraner"),
    ],
)
def test_named_patterns(pattern: re.Pattern, matching: str, not_matching: str) -> None:
    assert pattern.search(matching)
    assert not pattern.search(not_matching)


def test_list_line_opening_finds_every_list_line_start() -> None:
    text = "Intro\n- Sund Mad\n 12. Aktiv Fritid\nkr. 5\n•\tGrøn By\n3) Nej"
    starts = [m.start() for m in PP.LIST_LINE_START.finditer(text)]
    openings = [m.start() for m in PP.LIST_LINE_OPENING.finditer(text)]
    assert starts and set(starts) <= set(openings)


@pytest.mark.parametrize(
    "text",
    [
        "Sund Start ordning",
        "sund Start ordning",
        "Ærø-Sund  tilbud",
        "Sund \nprojekt",
        "Sund \n\nprojekt",
        "Sund\tprojekt",
        "„Sund’s tilbuddet",
        "x" * 45 + "Bund tilbud",
        "Ab" + "c" * 39 + " tilbud",
        "Abc" * 20 + " indsatsen",
        "(V) puljen",
        "7 tilbud",
        " tilbud",
        "tilbud",
        "Ωmega tilbud",
        "Éclair-X\u2019 forsøget",
    ],
)
def test_cue_contexts_read_the_previous_word_as_the_pattern(text: str) -> None:
    """The walk back in _cue_contexts finds what PREVIOUS_WORD would find, searched in the 40
    characters before the cue word, and tells whether the word opens with a capital."""
    anchors = P._anchors(text, text.lower())
    assert anchors.cues
    for start, _ in anchors.cues:
        m = PP.PREVIOUS_WORD.search(text, max(0, start - 40), start)
        assert (start in anchors.before) == (bool(m) and m.group()[0].isupper())


def test_empty_text() -> None:
    assert find_projects("") == []
