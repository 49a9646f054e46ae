"""find_people on invented minutes text: names, parties, roles, and what is not a person."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunegraf.extract.entities.people import (
    LIST_GAP,
    LIST_LABEL,
    NEXT_WORD,
    PERSON_VERB_AFTER,
    ROLE_AFTER,
    TITLE_LINE,
    VOTE_BEFORE,
    find_people,
    is_role,
    merge_name_forms,
    normal_role,
)
from kommunegraf.extract.records import Person


def people(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(p.name, p.party, p.role) for p in find_people(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a party in brackets, with three given names, hyphens and particles
        (
            "Fraværende: Anne-Mette Juul Sørensen (A), Jens Peter la Cour (V) og "
            "Hans von Holstein-Rathlou (Løsgænger)",
            [
                ("Anne-Mette Juul Sørensen", "A", None),
                ("Jens Peter la Cour", "V", None),
                ("Hans von Holstein-Rathlou", "L", None),
            ],
        ),
        (
            "Imod stemte: Ib Ravn de Neergaard (C) og Lolan Ottesen (A).",
            [("Ib Ravn de Neergaard", "C", None), ("Lolan Ottesen", "A", None)],
        ),
        # a bare party abbreviation after the name
        (
            "Sagen blev drøftet. Kirsten Bjerre Nielsen DF, foreslog at udsætte sagen.",
            [("Kirsten Bjerre Nielsen", "O", None)],
        ),
        # a party name in brackets maps to its letter
        (
            "Bemærkning fra Tove Aagaard Lind (Enhedslisten) og Rune Brix (Venstre).",
            [("Tove Aagaard Lind", "Ø", None), ("Rune Brix", "V", None)],
        ),
        # a title after the party, and one whose title belongs to the name before
        (
            "Mødedeltagere: Lolan Ottesen (A) - formand, Birgit Holm Madsen (Ø)",
            [("Lolan Ottesen", "A", "formand"), ("Birgit Holm Madsen", "Ø", None)],
        ),
        # a title after a person's party is that person's, not the next one's
        (
            "Til stede: Karen Marie Bech (A), formand, Søren Lundgaard (V), Bente Krog (C)",
            [
                ("Karen Marie Bech", "A", "formand"),
                ("Søren Lundgaard", "V", None),
                ("Bente Krog", "C", None),
            ],
        ),
        # a title with its unit may end the line before the name
        (
            "Direktør for Teknik og Miljø,\nLars Bo Kjeldsen, deltager i punktet.",
            [("Lars Bo Kjeldsen", None, "direktør")],
        ),
        # titles before the name
        (
            "Under punktet deltog teamleder Nicolai Vedsted og økonomichef Rikke Toft.",
            [("Nicolai Vedsted", None, "teamleder"), ("Rikke Toft", None, "økonomichef")],
        ),
        (
            "Borgmester Søren Kjærsgaard Holm bød velkommen.",
            [("Søren Kjærsgaard Holm", None, "borgmester")],
        ),
        (
            "Afdelingsleder i Ydelseskontoret, Mads Krogh Jessen, deltager på mødet.",
            [("Mads Krogh Jessen", None, "afdelingsleder")],
        ),
        # a title after the name
        (
            "Lise Brask, konsulent i Center for Sundhed, deltog under punktet.",
            [("Lise Brask", None, "konsulent")],
        ),
        (
            "Oplæg ved Gry Nordentoft (formand for Handicaprådet).",
            [("Gry Nordentoft", None, "formand")],
        ),
        # a verb only people do; a surname not among the given names
        (
            "Kaj Ove Brandt (UFP) stemte imod. Erik Bach var fraværende.",
            [("Kaj Ove Brandt", "L", None), ("Erik Bach", None, None)],
        ),
        (
            "Bodil Strand, Egon Vestergaard og Lykke Frandsen deltog ikke i behandlingen.",
            [
                ("Bodil Strand", None, None),
                ("Egon Vestergaard", None, None),
                ("Lykke Frandsen", None, None),
            ],
        ),
        (
            "For stemte Arnold Skjoldborg og Bitten Østergaard.",
            [("Arnold Skjoldborg", None, None), ("Bitten Østergaard", None, None)],
        ),
        # a genitive is reduced to the name
        (
            "Jytte Kromanns oplæg blev vedlagt. Anders Fogh Rasmussens tale blev nævnt.",
            [("Jytte Kromann", None, None), ("Anders Fogh Rasmussen", None, None)],
        ),
        ("Karl Nikolaus Matthæus' oplæg er vedlagt.", [("Karl Nikolaus Matthæus", None, None)]),
        # a name that ends in s before a verb keeps its s
        ("Lars Jeppe Clemmens deltog i mødet.", [("Lars Jeppe Clemmens", None, None)]),
        # a first-name-only mention joins the one full name that starts with it
        (
            "Teamleder Sanne lavede oplægget. Sanne Lykke Holm fortalte derefter om projektet.",
            [("Sanne Lykke Holm", None, "teamleder")],
        ),
        # a first name alone with a title is a person too
        ("Projektleder Ditte vil orientere udvalget.", [("Ditte", None, "projektleder")]),
    ],
)
def test_people_found(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Punkt 4: Orientering om Vejen Frem (O)",  # a title's kind mark is no party
        "Vi afholder møde på Peter Bangs Vej 12 og i Næstved Hallen.",  # a street, a place
        "Ole Kirks Fond har givet støtte.",  # a foundation named after a person
        "Center for Arbejdsmarked og Team Vest deltog.",  # units
        "Mere Frihed er titlen på udspillet. Per 1. januar overgår opgaven.",
        "Formanden indstiller. Erhvervs- og Arbejdsmarkedsdirektøren indstiller.",  # no names
        "Syddjurs og Norddjurs Kommuner samarbejder. Randers Kommune deltog.",
        "Kompetenceudvalg: Beskæftigelses- og Uddannelsesudvalget",
        "Jens Hansens Vej 4 og Kirsten Møllers Plads",
        "Manuel Behandler.dk er en virksomhed.",
    ],
)
def test_not_people(text: str) -> None:
    assert people(text) == []


def test_each_person_once_with_party_from_any_mention() -> None:
    text = "Fraværende: Eva Bonde (F)\n\nEva Bonde foreslog en ændring. Eva Bonde stemte imod."
    assert people(text) == [("Eva Bonde", "F", None)]


def test_people_who_share_a_surname_stay_apart() -> None:
    text = "Torben Lykke (V) og Marianne Lykke (A) var fraværende. Lykke Hald deltog."
    assert people(text) == [
        ("Torben Lykke", "V", None),
        ("Marianne Lykke", "A", None),
        ("Lykke Hald", None, None),
    ]


def test_an_ambiguous_first_name_is_not_joined() -> None:
    text = "Teamleder Bo deltog. Bo Elkjær og Bo Steffensen var fraværende."
    found = people(text)
    assert ("Bo Elkjær", None, None) in found and ("Bo Steffensen", None, None) in found
    assert ("Bo", None, "teamleder") in found


def test_merge_name_forms_keeps_the_fuller_name_and_joins_party_and_role() -> None:
    merged = merge_name_forms(
        [Person("Kasper Christensen", "V"), Person("Kasper Fuhr Christensen", None, "formand")]
    )
    assert merged == [Person("Kasper Fuhr Christensen", "V", "formand")]


def test_roles() -> None:
    assert is_role("Teamleder") and is_role("direktøren") and is_role("borgmester")
    assert not is_role("mikrolånere") and not is_role("ledere")
    assert normal_role("Formanden") == "formand"
    assert normal_role("Afdelingsleder") == "afdelingsleder"


def test_patterns() -> None:
    assert ROLE_AFTER.match(", afdelingsleder i X")["word"] == "afdelingsleder"
    assert ROLE_AFTER.match(" - formand")["word"] == "formand"
    assert LIST_LABEL.match("Fraværende med afbud: ")
    assert LIST_LABEL.match("- Afbud: ")
    assert not LIST_LABEL.match("Der var fraværende: ")
    assert VOTE_BEFORE.search("forslaget. Imod stemte ")
    assert VOTE_BEFORE.search("Undlod at stemme: ")
    assert PERSON_VERB_AFTER.match(" var fraværende")
    assert PERSON_VERB_AFTER.match(", begærede sagen i byrådet")
    assert not PERSON_VERB_AFTER.match(" varetager opgaven")
    assert LIST_GAP.fullmatch(" (V), ")
    assert LIST_GAP.fullmatch(" og ")
    assert LIST_GAP.fullmatch(" SF og ")
    assert not LIST_GAP.fullmatch(" fra ")
    assert TITLE_LINE.match("Punkt 12: Orientering (O)")
    assert TITLE_LINE.match("12. Orientering (O)")
    assert NEXT_WORD.match(" oplæg på mødet")["word"] == "oplæg"


_VOCABULARY = (
    "Fraværende: Imod stemte Teamleder formand , og (V) (SF) SF (Løsgænger) Ib Eva Holm la "
    "Cour Skov-Andersen Lis-Birgit var fraværende deltog Center Kommune Vej . \n Punkt 3:"
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY.split(" ")), max_size=40).map(" ".join))
def test_any_text_gives_people_once_each_from_its_own_words(text: str) -> None:
    found = find_people(text)
    names = [p.name.casefold() for p in found]
    assert len(names) == len(set(names))
    words = set(text.replace("(", " ").replace(")", " ").replace(":", " ").split())
    for person in found:
        assert all(t in words or t + "s" in words for t in person.name.split())
        assert person.party is None or len(person.party) == 1
