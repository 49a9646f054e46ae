"""IRIs are deterministic, readable and always valid, whatever text a record carries."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunegraf.extract.text.slugs import iri_slug as slug
from kommunegraf.graph.rdf.iris import (
    DEFAULT_BASE,
    IRIS,
    IriMinter,
    municipality_slug,
    normalise_case_number,
    provision_path,
)

ID = DEFAULT_BASE + "id/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Beskæftigelses- og Uddannelsesudvalget", "beskaeftigelses-og-uddannelsesudvalget"),
        ("Økonomi- og Erhvervsudvalget", "oekonomi-og-erhvervsudvalget"),
        ("ÆBLEHAVENS Børnehus", "aeblehavens-boernehus"),
        ("Åløkke Skole", "aaloekke-skole"),
        ("  Café  Müller & Søn  ", "cafe-muller-soen"),
        ("Jette Leth Buhl", "jette-leth-buhl"),
        ("Teknik-, Miljø- og Klimaudvalget", "teknik-miljoe-og-klimaudvalget"),
        ("F", "f"),
        ("Ø", "oe"),
    ],
)
def test_slug_folds_danish_letters_and_runs(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_slug_of_text_without_letters_is_stable_and_distinct() -> None:
    assert slug("§§§") == slug("§§§")
    assert slug("§§§").startswith("x-")
    assert slug("§§§") != slug("***")


def test_overlong_slug_is_cut_with_a_hash() -> None:
    long_a, long_b = "projekt " * 40 + "alfa", "projekt " * 40 + "beta"
    assert len(slug(long_a)) <= 130
    assert slug(long_a) != slug(long_b)


@given(st.text())
def test_slug_is_idempotent_and_ascii(text: str) -> None:
    once = slug(text)
    assert slug(once) == once
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in once)


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("Næstved Kommune", "370", "naestved"),
        ("Næstved Kommune", None, "naestved"),
        (None, "730", "randers"),
        ("Slagelse kommune", None, "slagelse"),
        ("Københavns Kommune", None, "koebenhavn"),
        ("Bornholms Regionskommune", None, "bornholm"),
        ("Høje-Taastrup Kommune", None, "hoeje-taastrup"),
        ("Fjordby Kommune", None, "fjordby"),  # not in the table: slug of the bare name
        (None, None, "ukendt"),
        ("  ", None, "ukendt"),
    ],
)
def test_municipality_slug(name: str | None, code: str | None, expected: str) -> None:
    assert municipality_slug(name, code) == expected


def test_design_table_iris() -> None:
    mun = IRIS.municipality("Næstved Kommune", "370")
    assert mun == ID + "naestved"
    committee = IRIS.committee(mun, "Beskæftigelses- og Uddannelsesudvalget")
    assert committee == ID + "naestved/udvalg/beskaeftigelses-og-uddannelsesudvalget"
    source = IRIS.source("5717c1337a5efae36fff6e3ba7d9792e6d616da95a5addf4c552985084bb3844")
    assert source == ID + "kilde/5717c1337a5efae3"
    meeting = IRIS.meeting(committee, "2018-05-15", source)
    assert meeting == committee + "/moede/2018-05-15"
    item = IRIS.item(meeting, 37)
    assert item == meeting + "/punkt/37"
    assert IRIS.decision(item, "2018-05-15") == item + "/beslutning/2018-05-15"
    assert IRIS.decision(item, "2018-05-15", 2) == item + "/beslutning/2018-05-15-2"
    assert IRIS.decision(item, None, 1) == item + "/beslutning/udateret-1"
    assert IRIS.case(mun, "00.22.00-P35-34-17") == ID + "naestved/sag/00.22.00-P35-34-17"
    assert IRIS.person(mun, "Jette Leth Buhl") == ID + "naestved/person/jette-leth-buhl"
    assert IRIS.party("F") == ID + "parti/f"
    assert IRIS.party("Ø") == ID + "parti/oe"
    assert (
        IRIS.project(mun, "Foreninger for alle 2.0")
        == ID + "naestved/projekt/foreninger-for-alle-2-0"
    )
    assert IRIS.organisation("Ankestyrelsen") == ID + "organisation/ankestyrelsen"
    assert IRIS.reference_graph == DEFAULT_BASE + "graph/reference"
    assert IRIS.derived_graph == DEFAULT_BASE + "graph/derived"
    assert IRIS.kle("15.20.00") == ID + "kle/15.20.00"
    assert IRIS.outcome("postponed") == ID + "udfald/postponed"


def test_undated_meeting_is_named_after_its_source() -> None:
    committee = ID + "fjordby/udvalg/kulturudvalget"
    source = IRIS.source("ab" * 32)
    assert IRIS.meeting(committee, None, source) == committee + "/moede/kilde-abababababababab"
    assert IRIS.meeting(committee, "2019-02-30", source).endswith("/moede/kilde-abababababababab")


def test_reference_resolves_to_the_item_iri_of_that_meeting() -> None:
    mun = IRIS.municipality("Fjordby Kommune")
    iri = IRIS.reference(mun, "Børne- og Ungeudvalget", "2021-03-04", 12)
    assert iri == ID + "fjordby/udvalg/boerne-og-ungeudvalget/moede/2021-03-04/punkt/12"
    assert IRIS.reference(mun, "Børne- og Ungeudvalget", None, 12) is None


@pytest.mark.parametrize(
    ("printed", "segment"),
    [
        ("15.20.00-A00-2-10", "15.20.00-A00-2-10"),
        ("15.20.00 – a00-2-10", "15.20.00-A00-2-10"),
        ("07.08.00-Ø40-1-17", "07.08.00-Ø40-1-17"),
        ("17/46", "17%2F46"),
        ("330-2019-57265", "330-2019-57265"),
        ("J.nr. 12#3", "J.NR.12%233"),
    ],
)
def test_case_iri_is_readable_and_safe(printed: str, segment: str) -> None:
    mun = IRIS.municipality("Fjordby Kommune")
    assert IRIS.case(mun, printed) == mun + "/sag/" + segment


def test_case_normalisation_for_matching() -> None:
    assert normalise_case_number(" 82.01.00-g01-3-21 ") == "82.01.00-G01-3-21"
    assert normalise_case_number("82.01.00‐G01‐3‐21") == "82.01.00-G01-3-21"


@pytest.mark.parametrize(
    ("provision", "path"),
    [
        ("§ 13f", "paragraf/13f"),
        ("§ 13 f", "paragraf/13f"),
        ("§§ 2-4", "paragraf/2-4"),
        ("§ 8, stk. 6", "paragraf/8-stk-6"),
        ("§17 stk. 4", "paragraf/17-stk-4"),
        ("kap. 6", "kapitel/6"),
        ("Kapitel 10-12", "kapitel/10-12"),
        ("bilag 2", None),
    ],
)
def test_provision_paths(provision: str, path: str | None) -> None:
    assert provision_path(provision) == path


def test_law_iris() -> None:
    eli = "https://www.retsinformation.dk/eli/lta/2014/1482"
    assert IRIS.law(eli) == eli
    assert IRIS.law("lov/aktivloven") == ID + "lov/aktivloven"
    assert IRIS.law(None, "Lov om kommunal borgerrådgivning") == (
        ID + "lov/lov-om-kommunal-borgerraadgivning"
    )
    assert IRIS.law(None, None) is None
    law, provision = IRIS.law_and_provision(None, "Lov om havne", "§ 4, stk. 2")
    assert (law, provision) == (ID + "lov/lov-om-havne", ID + "lov/lov-om-havne/paragraf/4-stk-2")
    law, provision = IRIS.law_and_provision("lov/havneloven/paragraf/4", "Havneloven", "§ 4")
    assert (law, provision) == (ID + "lov/havneloven", ID + "lov/havneloven/paragraf/4")
    assert IRIS.law_and_provision(None, None, "§ 17, stk. 4") == (None, None)
    assert IRIS.law('https://example.org/eli/a b"c>') == "https://example.org/eli/a%20b%22c%3E"


def test_source_fallback_without_sha() -> None:
    first = IRIS.source("", "referater/fjordby-2020-01-01.txt")
    assert first == IRIS.source(None, "referater/fjordby-2020-01-01.txt")
    assert first != IRIS.source("", "referater/fjordby-2020-01-02.txt")
    assert len(first.rsplit("/", 1)[1]) == 16


def test_base_is_configurable_and_checked() -> None:
    minter = IriMinter("https://data.example.dk/kg")
    assert minter.municipality("Næstved Kommune") == "https://data.example.dk/kg/id/naestved"
    with pytest.raises(ValueError):
        IriMinter("not an iri")
    with pytest.raises(ValueError):
        IriMinter("https://example.org/a b/")


def test_minting_is_deterministic_across_minters() -> None:
    a, b = IriMinter(), IriMinter()
    mun = "Kulturby Kommune"
    assert a.person(a.municipality(mun), "Ane Ærø Ødegård") == b.person(
        b.municipality(mun), "Ane Ærø Ødegård"
    )


@given(st.text(), st.text(), st.text(), st.text())
def test_any_text_gives_a_valid_iri(municipality: str, committee: str, case: str, key: str) -> None:
    mun = IRIS.municipality(municipality)
    iris = [
        mun,
        IRIS.committee(mun, committee),
        IRIS.case(mun, case or "x"),
        IRIS.person(mun, key),
        IRIS.organisation(key),
        IRIS.law(key) or IRIS.law("x"),
        IRIS.provision(IRIS.law("x") or "", "§ " + key) or mun,
        IRIS.law("https://example.org/" + key),
    ]
    for iri in iris:
        pyoxigraph.NamedNode(iri)
        # and it cannot break out of <…> in N-Quads: the line parses to exactly one quad
        line = f"<{iri}> <{iri}> <{iri}> <{iri}> .\n"
        quads = list(pyoxigraph.parse(line, format=pyoxigraph.RdfFormat.N_QUADS))
        assert len(quads) == 1
        assert quads[0].subject.value == iri
