"""The party table and party_letter: letters, official names, short forms, independents."""

from __future__ import annotations

import pytest

from kommunegraf.extract.entities.parties import (
    PARTIES,
    PARTY_BARE,
    PARTY_IN_BRACKETS,
    party_by_letter,
    party_letter,
)


@pytest.mark.parametrize(
    ("printed", "letter"),
    [
        ("SF", "F"),
        ("(V)", "V"),
        ("Venstre", "V"),
        ("Løsgænger", "L"),
        ("løsgænger", "L"),
        ("(Løsgænger)", "L"),
        ("Uden for partierne", "L"),
        ("DF", "O"),
        ("Dansk Folkeparti", "O"),
        ("EL", "Ø"),
        ("Enhedslisten", "Ø"),
        ("LA", "I"),
        ("Liberal Alliance", "I"),
        ("RV", "B"),
        ("Radikale Venstre", "B"),
        ("Det Radikale Venstre", "B"),
        ("K", "C"),  # the press's "(K)" is Det Konservative Folkeparti
        ("Konservative", "C"),
        ("Det Konservative Folkeparti", "C"),
        ("KD", "K"),
        ("Kristendemokraterne", "K"),
        ("Socialdemokratiet", "A"),
        ("(A)", "A"),
        ("Nye Borgerlige", "D"),
        ("Moderaterne", "M"),
        ("Danmarksdemokraterne", "Æ"),
        ("Alternativet", "Å"),
        ("Socialistisk Folkeparti", "F"),
        ("(Ø)", "Ø"),
        ("(T)", "T"),  # a local list's own ballot letter is kept
        (" sf ", "F"),
    ],
)
def test_party_letter(printed: str, letter: str) -> None:
    assert party_letter(printed) == letter


@pytest.mark.parametrize("printed", ["", "()", "Center for Arbejdsmarked", "CAM", "formand", "12"])
def test_not_a_party(printed: str) -> None:
    assert party_letter(printed) is None


def test_every_national_party_has_a_distinct_letter_and_its_name_resolves() -> None:
    letters = [p.letter for p in PARTIES]
    assert len(letters) == len(set(letters))
    assert set(letters) == set("ABCDFIKMOVÆØÅ")
    for party in PARTIES:
        assert party_letter(party.name) == party.letter
        assert party_by_letter(party.letter) is party


def test_party_in_brackets_after_a_name() -> None:
    m = PARTY_IN_BRACKETS.match("Lone Vestergaard (Løsgænger) stemte imod", len("Lone Vestergaard"))
    assert m and m["party"] == "Løsgænger"
    m = PARTY_IN_BRACKETS.match("Ib Lund ( SF ), formand", len("Ib Lund"))
    assert m and m["party"] == "SF"


def test_bare_party_abbreviation_after_a_name() -> None:
    text = "Mette Kold Hansen DF, foreslog"
    m = PARTY_BARE.match(text, len("Mette Kold Hansen"))
    assert m and m["party"] == "DF"
    assert PARTY_BARE.match("Mette Kold Hansen DFs forslag", len("Mette Kold Hansen")) is None
