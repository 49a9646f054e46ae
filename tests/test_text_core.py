"""The text core (extract/text/): one copy of each folding rule, pinned on tricky input.

The three slug rules differ on rare input (a decomposed "å", "ß", "ä"/"ö", text with no
letter) and the store holds IRIs and keys minted by each, so their outputs are pinned here as
the code before the text core gave them; a change to any is a change of stored identifiers.
The inputs are invented.
"""

from __future__ import annotations

import pytest
import regex as re
from hypothesis import given
from hypothesis import strategies as st

from kommunegraf.extract.text.bodies import body_name
from kommunegraf.extract.text.casenumbers import normalise_case_number
from kommunegraf.extract.text.dates import valid_iso_date
from kommunegraf.extract.text.fold import (
    MUNICIPALITY_SUFFIX_RE,
    bare_municipality_name,
    fold_municipality_name,
)
from kommunegraf.extract.text.provisions import provision_slug
from kommunegraf.extract.text.slugs import SLUG_MAX, iri_slug, key_slug, law_slug

# (text, iri_slug, key_slug, law_slug) as graph.rdf.iris.slug, extract.entities.names.slug
# and extract.entities.lawbook.slug gave them before the text core
SLUGS = [
    ("Næstved Kommune", "naestved-kommune", "naestved-kommune", "naestved-kommune"),
    ("Center for Børn & Unge", "center-for-boern-unge", "center-for-boern-unge",
     "center-for-boern-unge"),
    ("A\u030angsbæk", "aangsbaek", "angsbaek", "aangsbaek"),  # "Å" decomposed
    ("Straße 3", "strasse-3", "strasse-3", "stra-e-3"),
    ("Jönsson-Ärlig", "jonsson-arlig", "joensson-aerlig", "jonsson-arlig"),
    ("Café Écoute", "cafe-ecoute", "cafe-ecoute", "cafe-ecoute"),
    ("Beskæftigelses– og Uddannelsesudvalget", "beskaeftigelses-og-uddannelsesudvalget",
     "beskaeftigelses-og-uddannelsesudvalget", "beskaeftigelses-og-uddannelsesudvalget"),
    ("Lov nr. 1482 af 23/12-2014", "lov-nr-1482-af-23-12-2014", "lov-nr-1482-af-23-12-2014",
     "lov-nr-1482-af-23-12-2014"),
    ("ØKONOMIUDVALGET 2022—2025", "oekonomiudvalget-2022-2025", "oekonomiudvalget-2022-2025",
     "oekonomiudvalget-2022-2025"),
    ("ﬁnans ²", "finans-2", "finans-2", "finans-2"),
    ("--x--", "x", "x", "x"),
    ("İstanbul", "istanbul", "istanbul", "istanbul"),
    ("§§§", "x-a2c8f22d", "", ""),
    ("Ἀθῆναι", "x-b8368d85", "", ""),
]  # fmt: skip


@pytest.mark.parametrize(("text", "iri", "key", "law"), SLUGS)
def test_the_three_slug_rules_keep_their_outputs(text: str, iri: str, key: str, law: str) -> None:
    assert (iri_slug(text), key_slug(text), law_slug(text)) == (iri, key, law)


def test_an_overlong_iri_slug_is_cut_with_a_hash_but_a_key_is_not() -> None:
    text = "a" * 130
    assert iri_slug(text) == "a" * SLUG_MAX + "-1e3c4f47"
    assert key_slug(text) == law_slug(text) == text


@given(st.text(max_size=40))
def test_every_slug_is_ascii_and_idempotent(text: str) -> None:
    for rule in (iri_slug, key_slug, law_slug):
        once = rule(text)
        assert re.fullmatch(r"[a-z0-9-]*", once)
        if once:
            assert rule(once) == once
    # the minter slugs a key again: that changes nothing
    key = key_slug(text)
    if key and len(key) <= SLUG_MAX:
        assert iri_slug(key) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.20.00 – a00-2-10", "15.20.00-A00-2-10"),
        ("82.01.00‐G01‐3‐21", "82.01.00-G01-3-21"),  # U+2010 hyphens
        (" 330-2019-57265 ", "330-2019-57265"),
        ("7.8.0−ø40-1-17", "7.8.0-Ø40-1-17"),  # minus sign, lower-case ø
    ],
)
def test_case_numbers_normalise(text: str, expected: str) -> None:
    assert normalise_case_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("byrådets", "Byrådet"),
        ("Byråd 2022-2025", "Byrådet"),
        ("økonomiudvalg", "Økonomiudvalget"),
        ("Udvalget for Teknik", "Udvalget for Teknik"),
    ],
)
def test_body_name(text: str, expected: str) -> None:
    assert body_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§ 13 f, stk. 2", "paragraf/13f-stk-2"),
        ("kap. 6", "kapitel/6"),
        ("§ 2–4", "paragraf/2-4"),
        ("bilag 2", None),
    ],
)
def test_provision_slug(text: str, expected: str | None) -> None:
    assert provision_slug(text) == expected


@pytest.mark.parametrize(
    ("text", "bare", "folded"),
    [
        ("Næstved Kommune", "Næstved", "naestved"),
        ("Bornholms Regionskommune", "Bornholms", "bornholms"),
        ("  KØGE  ", "KØGE", "koege"),
        ("Kommunekontoret", "Kommunekontoret", "kommunekontoret"),  # no suffix: kept
    ],
)
def test_municipality_names_fold(text: str, bare: str, folded: str) -> None:
    assert MUNICIPALITY_SUFFIX_RE.search("Fjordby Kommune")
    assert bare_municipality_name(text) == bare
    assert fold_municipality_name(text) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-02-29", "2024-02-29"), ("2023-02-29", None), ("2024-2-9", None), (None, None)],
)
def test_valid_iso_date(text: str | None, expected: str | None) -> None:
    assert valid_iso_date(text) == expected
