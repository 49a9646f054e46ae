"""Legal instruments cited by a name without "lov" (invented sentences, OPDIGTET)."""

from __future__ import annotations

from kommunegraf.extract.entities.law_instruments import NAMED_INSTRUMENT, PROTECTED_NATURE
from kommunegraf.extract.entities.laws import find_laws


def _laws(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(law.kind, law.act, law.provision) for law in find_laws(text)]


def test_named_instruments_once_each_in_their_definite_form() -> None:
    text = (
        "Tilskuddet gives efter kommunalfuldmagten. Kommunalfuldmagtens grænser og "
        "Bygningsreglement 2018 gælder, og Fingerplan 2019 samt fingerplanens kiler. "
        "Statsstøttereglerne overholdes."
    )
    assert _laws(text) == [
        ("rule", "kommunalfuldmagten", None),
        ("executive_order", "Bygningsreglementet", None),
        ("executive_order", "Fingerplanen", None),
        ("rule", "Statsstøttereglerne", None),
    ]


def test_protected_nature_is_naturbeskyttelsesloven_paragraph_3() -> None:
    assert _laws("Arealet er § 3-beskyttet natur.") == [("act", "naturbeskyttelsesloven", "§ 3")]
    assert PROTECTED_NATURE.search("§3-beskyttelsen") and not PROTECTED_NATURE.search("§ 3 beskyt")


def test_special_and_construction_acts_name_no_law() -> None:
    assert _laws("Særloven og anlægsloven for opdigtet strand træder i kraft.") == []
    assert _laws("Serviceloven gælder.") == [("act", "Serviceloven", None)]


def test_finance_act_paragraphs_keep_their_account_number() -> None:
    assert _laws("jf. finansloven § 15.71.03.10.") == [("act", "finansloven", "§ 15.71.03.10")]
    assert _laws("servicelovens § 3. Formål") == [("act", "serviceloven", "§ 3")]


def test_instrument_pattern() -> None:
    assert NAMED_INSTRUMENT.match("Bygningsreglementets")["stem"] == "Bygningsreglement"
    assert NAMED_INSTRUMENT.match("fingerplan 2019")["year"] == " 2019"
    assert not NAMED_INSTRUMENT.match("fingerplanlægning")
