"""The reference table of laws and the canonical-identifier rule (extract/entities/lawbook.py)."""

from __future__ import annotations

import pytest
import regex as re

from kommunegraf.extract.entities import lawbook
from kommunegraf.extract.entities.lawbook import (
    LAWS,
    RULES,
    canonical_law,
    lookup,
    provision_slug,
    rule_key,
)
from kommunegraf.extract.text import provisions, slugs

ELI = "https://www.retsinformation.dk/eli/"


def test_keys_are_unique_and_slugs() -> None:
    keys = [entry.key for entry in LAWS]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z0-9-]+", key), key


def test_every_name_points_to_one_law_only() -> None:
    owner: dict[str, str] = {}
    for entry in LAWS:
        for name in (entry.title, *entry.short_names):
            folded = lawbook.normalise_name(name)
            assert owner.setdefault(folded, entry.key) == entry.key, (name, owner[folded])


def test_recorded_elis_are_retsinformation_lta_addresses() -> None:
    for entry in LAWS:
        if entry.eli:
            assert re.fullmatch(rf"{ELI}lta/(19|20)\d\d/\d+", entry.eli), entry


def test_kommunalfuldmagten_is_not_a_law() -> None:
    assert lookup("kommunalfuldmagten") is None


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("aktivloven", "aktivloven"),
        ("Lov om aktiv socialpolitik", "aktivloven"),
        ("lov om  aktiv social politik", "aktivloven"),
        ("LAS", "aktivloven"),
        ("Serviceloven", "serviceloven"),
        ("servicelov", "serviceloven"),
        ("SEL", "serviceloven"),
        ("lov om social service", "serviceloven"),
        ("LAB-loven", "lab"),
        ("Lov om en aktiv beskæftigelsesindsats", "lab"),
        ("beskæftigelsesloven", "beskaeftigelsesloven"),
        ("LBR-loven", "lbr-loven"),
        ("lov om organisering og understøttelse af beskæftigelsesindsatsen mv.", "lbr-loven"),
        ("lov om organisering og understøttelse af beskæftigelsesindsatsen m.v.", "lbr-loven"),
        ("Offentlighedsloven", "offentlighedsloven"),
        ("Forvaltningsloven", "forvaltningsloven"),
        ("FVL", "forvaltningsloven"),
        ("Lov om kommunernes styrelse", "styrelsesloven"),
        ("kommunestyrelsesloven", "styrelsesloven"),
        ("Integrationsloven", "integrationsloven"),
        ("Udlændingeloven", "udlaendingeloven"),
        ("sygedagpengeloven", "sygedagpengeloven"),
        ("retssikkerhedsloven", "retssikkerhedsloven"),
        ("planloven", "planloven"),
        ("folkeskoleloven", "folkeskoleloven"),
        ("dagtilbudsloven", "dagtilbudsloven"),
        ("sundhedsloven", "sundhedsloven"),
        ("persondataloven", "persondataloven"),
        ("databeskyttelsesloven", "databeskyttelsesloven"),
        ("byggeloven", "byggeloven"),
        ("miljøbeskyttelsesloven", "miljoebeskyttelsesloven"),
        ("naturbeskyttelsesloven", "naturbeskyttelsesloven"),
        ("vejloven", "vejloven"),
        ("Barnets lov", "barnets-lov"),
    ],
)
def test_names_resolve_to_their_law(printed: str, key: str) -> None:
    entry = lookup(printed)
    assert entry is not None and entry.key == key


@pytest.mark.parametrize(
    ("provision", "path"),
    [
        ("§ 27a", "paragraf/27a"),
        ("§ 27 a", "paragraf/27a"),
        ("§ 9, stk. 3", "paragraf/9-stk-3"),
        ("§21 stk. 3", "paragraf/21-stk-3"),
        ("§ 3, stk. 1, nr. 2", "paragraf/3-stk-1-nr-2"),
        ("§ 3, nr. 2", "paragraf/3-nr-2"),
        ("§ 10, litra a", "paragraf/10-litra-a"),
        ("§§ 2-4", "paragraf/2-4"),
        ("kap. 6", "kapitel/6"),
        ("kapitel 3-5", "kapitel/3-5"),
        ("Kapitel 3 a", "kapitel/3a"),
    ],
)
def test_provision_paths(provision: str, path: str) -> None:
    assert provision_slug(provision) == path


def test_a_provision_path_is_one_segment_below_paragraf_or_kapitel() -> None:
    # the graph splits a canonical at its last "/paragraf/…" or "/kapitel/…" segment
    for provision in ("§ 3, stk. 1, nr. 2", "kapitel 3-5", "§ 10, litra a"):
        head, tail = provision_slug(provision).split("/")
        assert head in ("paragraf", "kapitel") and "/" not in tail


@pytest.mark.parametrize(
    ("act", "provision", "kind", "canonical"),
    [
        # a number and a year printed: the ELI, whatever the law's name
        ("Lov nr. 548 af 7. maj 2019 om en aktiv beskæftigelsesindsats", "§ 2", "act",
         f"{ELI}lta/2019/548/paragraf/2"),
        ("LBK nr. 1287 af 28/08/2020", None, "act", f"{ELI}lta/2020/1287"),
        ("bekendtgørelse nr. 1555 af 18. december 2019", None, "executive_order",
         f"{ELI}lta/2019/1555"),
        ("Bek. nr. 77 af 2/2-2021", None, "executive_order", f"{ELI}lta/2021/77"),
        ("Vejledning nr. 9876 af 1/7-2021", None, "guidance", f"{ELI}retsinfo/2021/9876"),
        # a number without a year is not unique: no identifier
        ("vejledning nr 9876", None, "guidance", None),
        # the table: its ELI where recorded, else lov/<key>
        ("Offentlighedsloven", "§ 23", "act", f"{ELI}lta/2013/606/paragraf/23"),
        ("forvaltningsloven", "§ 19, stk. 2", "act", f"{ELI}lta/1985/571/paragraf/19-stk-2"),
        ("servicelov", None, "act", "lov/serviceloven"),
        ("SEL", "§ 85", "act", "lov/serviceloven/paragraf/85"),
        ("Lov om aktiv social politik", "kap. 6", "act", "lov/aktivloven/kapitel/6"),
        ("LBR-loven", None, "act", f"{ELI}lta/2014/1482"),
        # a named rule is its own resource (RULES links it to its law's provision; issue 18.1)
        ("225 timers-reglen", None, "rule", "lov/225-timersreglen"),
        ("225timersregel", None, "rule", "lov/225-timersreglen"),
        ("tilskudsreglerne", None, "rule", "lov/tilskudsreglerne"),
        # anything else: lov/<slug of the name>
        ("finansloven for 2021", None, "act", "lov/finansloven-for-2021"),
        ("Ankestyrelsens principmeddelelse 12-19", None, "ruling", "lov/principmeddelelse-12-19"),
        ("principafgørelse C-3-05", None, "ruling", "lov/principafgoerelse-c-3-05"),
        # nothing names the law
        (None, "§ 17, stk. 4", "act", None),
    ],
)  # fmt: skip
def test_canonical_law(
    act: str | None, provision: str | None, kind: str, canonical: str | None
) -> None:
    assert canonical_law(act, provision, kind) == canonical


def test_ruling_with_and_without_its_issuer_is_one_ruling() -> None:
    assert canonical_law("Ankestyrelsens principafgørelse 44-18", None, "ruling") == (
        canonical_law("principafgørelse 44-18", None, "ruling")
    )


@pytest.mark.parametrize(
    "printed",
    ["225-timersreglen", "225 timers-reglen", "225-timers reglen", "225timersreglen",
     "225 timers reglen", "225-timers-regel"],
)  # fmt: skip
def test_spellings_of_a_numbered_rule_fold_to_one(printed: str) -> None:
    assert rule_key(printed) == "225-timersreglen"


def test_rules_point_to_laws_of_the_table() -> None:
    for name, (key, provision) in RULES.items():
        assert lawbook.by_key(key) is not None, name
        assert provision is None or provision_slug(provision)


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        (lawbook.NUMBER_AND_YEAR, "nr. 77 af 3. marts 2016", "nr. 77"),
        (lawbook.NUMBER, "Nr 77", "nummer 77"),
        (provisions.PROVISION_TOKEN, "stk. 6", "§"),
        (lawbook.RULING_NUMBER, "A-12-19", "2019"),
        (provisions.CHAPTER, "kapitel 5", "§ 5"),
        (slugs.SLUG_SEPARATOR_RE, "a b", "ab"),
        (lawbook._RULE_ENDING, "tilskudsreglerne", "tilskud"),
        (lawbook._RULE_MEASURE, "26 ugers ", "26 ugers ophold"),
    ],
)
def test_named_patterns(pattern: re.Pattern, matching: str, not_matching: str) -> None:
    assert pattern.search(matching)
    assert not pattern.search(not_matching)


def test_slug_folds_danish_letters() -> None:
    assert (
        slugs.law_slug("Lov om Miljøbeskyttelse på Ærø, Å")
        == "lov-om-miljoebeskyttelse-paa-aeroe-aa"
    )
