"""Issue 18.5: organisations a reader would accept.

One body under several printed forms ("Byrådet", "byrådet", "Byråd", "Byrådets") is one
resource; a municipality's council and committees are its committee resources; parties are
party resources, not organisations; labels in capitals, list fragments and codes are no
organisations; a project's name neither starts mid-name nor with a heading word.  All text
here is invented (OPDIGTET); the people and places are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from records_store import load_records

from kommunegraf import queries
from kommunegraf.extract.entities.names import organisation_key, organisation_slug
from kommunegraf.extract.entities.organisations import find_organisations
from kommunegraf.extract.entities.projects import find_projects
from kommunegraf.extract.records import Item, Meeting, Municipality, Record, Source
from kommunegraf.extract.text.bodies import body_name
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import open_store

ID = "https://w3id.org/kommunegraf/id/"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ("Byrådet", "byrådet", "Byråd", "Byrådets"),
        ("Økonomiudvalget", "økonomiudvalget", "Økonomiudvalg"),
        ("Jobcentret", "Jobcenteret", "Jobcenter", "jobcentrets"),
        ("Kommunalbestyrelsen", "kommunalbestyrelse"),
    ],
)
def test_case_and_inflection_share_one_key(variants: tuple[str, ...]) -> None:
    assert len({organisation_key(v) for v in variants}) == 1


def test_different_bodies_keep_different_keys() -> None:
    assert organisation_key("Byrådet") != organisation_key("Regionsrådet")
    assert organisation_key("Socialudvalget") != organisation_key("Sundhedsudvalget")


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("byrådet", "Byrådet"),
        ("Byråd", "Byrådet"),
        ("Byrådets", "Byrådet"),
        ("Byråd 2022-2025", "Byrådet"),
        ("økonomiudvalg", "Økonomiudvalget"),
        ("kommunalbestyrelse", "Kommunalbestyrelsen"),
        ("Klima- og Naturudvalget", "Klima- og Naturudvalget"),
        ("Udvalget for Teknik og Miljø", "Udvalget for Teknik og Miljø"),
    ],
)
def test_body_name(printed: str, name: str) -> None:
    assert body_name(printed) == name


def test_organisation_slug_folds_spelling_variants() -> None:
    assert organisation_slug("Jobcenteret") == organisation_slug("Jobcentret") == "jobcentret"
    assert organisation_slug("Center for Børn & Unge") == "center-for-boern-og-unge"
    assert organisation_slug("Center for Børn og Unge") == "center-for-boern-og-unge"


# --- what is no organisation ----------------------------------------------------------------


def test_a_capitals_label_of_a_numbered_part_is_no_organisation() -> None:
    text = "BILAG 1. Uddybende bemærkninger om restancer\nSagen er drøftet med Ankestyrelsen."
    assert find_organisations(text) == ["Ankestyrelsen"]
    assert "NOTAT" not in find_organisations("NOTAT:\nKL har sendt et skøn.")


def test_an_abbreviation_used_as_a_name_is_still_one() -> None:
    # the same shape mid-line is a name: the rule is the label's position, not the letters
    assert find_organisations("Sagen er sendt til FOLA 1 gang om året.") == ["FOLA"]


def test_a_list_of_definite_nouns_is_no_unit() -> None:
    text = "Planen samler Uddannelse, Erhvervsmentoren og Erhvervsstrategien i et forløb."
    assert find_organisations(text) == []
    # a unit's name: its fields in the indefinite form
    unit = "Sagen behandles af Natur, Vand og Miljø i forvaltningen."
    assert find_organisations(unit) == ["Natur, Vand og Miljø"]


@pytest.mark.parametrize("code", ["BO1", "SFO2", "CO2", "DK2020"])
def test_codes_ending_in_digits_are_no_organisations(code: str) -> None:
    assert find_organisations(f"Udgiften hører under {code} i budgettet.") == []


# --- projects -------------------------------------------------------------------------------


def test_a_list_entry_cut_at_an_initial_is_no_project() -> None:
    text = "Administrationen orienterer om:\n- Om B.K. Holm projektet.\n- Sund Mad.\n"
    assert [p.name for p in find_projects(text)] == ["Sund Mad"]


@pytest.mark.parametrize(
    "text",
    [
        "Administrationen orienterer om:\n- Orientering om Grøn Skole.\n",
        'Projektet har status "Status på ombygningen af Skovly er forsinket".',
        "Punktet indeholder:\n- Opfølgning på Sund Start.\n",
        "Til orientering:\n- Årsberetning fra Fjordby Museum.\n- Nyhedsbrev fra Fjordby Spejd.\n",
    ],
)
def test_a_heading_or_status_note_is_no_project(text: str) -> None:
    assert find_projects(text) == []


# --- the graph ------------------------------------------------------------------------------


def _record(sha: str, committee: str, orgs: list[str], day: str = "2024-02-01") -> Record:
    item = Item(number=1, title="Tilskud til foreninger", organizations=orgs, span=(0, 10))
    return Record(
        source=Source(path=f"{sha}.txt", sha256=sha * 64),
        municipality=Municipality("Tønder Kommune", "550"),
        meeting=Meeting(committee=committee, date=day, kind="referat"),
        items=[item],
    )


def _mentions(record: Record) -> set[str]:
    lines = map_record(record).nquads.splitlines()
    return {
        line.split(" ")[2].strip("<>")
        for line in lines
        if "/punkt/1> <https://w3id.org/kommunegraf/ontology#mentions>" in line
    }


def test_printed_forms_of_the_council_are_the_councils_committee() -> None:
    council = ID + "toender/udvalg/byraadet"
    for form in ("Byrådet", "byrådet", "Byråd", "Byrådets"):
        assert _mentions(_record("a", "Kulturudvalget", [form])) == {council}
    # the council's own minutes, headed with its electoral period, are the same resource
    meeting = map_record(_record("b", "Byråd 2022-2025", [])).nquads
    assert f"<{council}/moede/2024-02-01>" in meeting
    assert _mentions(_record("c", "Kulturudvalget", ["Økonomiudvalg"])) == _mentions(
        _record("d", "Kulturudvalget", ["økonomiudvalget"])
    )


def test_parties_are_party_resources_not_organisations() -> None:
    mapped = map_record(_record("a", "Kulturudvalget", ["Dansk Folkeparti", "Radikale Venstre"]))
    assert _mentions(_record("a", "Kulturudvalget", ["Dansk Folkeparti", "Radikale Venstre"])) == {
        ID + "parti/o",
        ID + "parti/b",
    }
    assert "organisation/dansk-folkeparti" not in mapped.nquads
    assert f"<{ID}parti/o> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in mapped.nquads


def test_the_jobcentre_is_one_unit_of_its_municipality() -> None:
    a = _mentions(_record("a", "Kulturudvalget", ["Jobcentret"]))
    b = _mentions(_record("b", "Kulturudvalget", ["Jobcenteret"]))
    assert a == b == {ID + "toender/organisation/jobcentret"}


def test_most_mentioned_counts_each_body_once(tmp_path: Path) -> None:
    records = [
        _record("a", "Kulturudvalget", ["Byrådet", "Dansk Folkeparti", "Jobcentret"], "2024-01-02"),
        _record("b", "Socialudvalget", ["byrådet", "Jobcenteret"], "2024-01-03"),
        _record("c", "Socialudvalget", ["Byråd", "Økonomiudvalg"], "2024-02-03"),
        _record("d", "Økonomiudvalget", ["Byrådets"], "2024-02-05"),
    ]
    load_records(tmp_path / "store", records)
    with open_store(tmp_path / "store", write=False) as store:
        query = queries.load("organisations-most-mentioned")
        rows = [
            (str(r["organisation"]), int(r["items"]))
            for r in store.query(query.text, {})  # type: ignore[arg-type]
        ]
    assert ("Byrådet", 4) in rows
    assert ("Jobcentret", 2) in rows or ("Jobcenteret", 2) in rows
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)) == 3, rows  # Byrådet, the jobcentre, Økonomiudvalget
    assert "Dansk Folkeparti" not in names


def test_a_body_printed_with_its_municipalitys_name_is_its_own() -> None:
    council = ID + "toender/udvalg/byraadet"
    for form in ("Tønder Byråd", "Tønder Kommunes Byråd", "Tønders byråd"):
        assert _mentions(_record("a", "Kulturudvalget", [form])) == {council}
    # another municipality's council stays a name of its own
    assert _mentions(_record("a", "Kulturudvalget", ["Aabenraa Byråd"])) != {council}


def test_a_committee_has_one_label_however_its_minutes_head_it() -> None:
    nquads = map_record(_record("b", "Byråd", [])).nquads
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    assert f'<{ID}toender/udvalg/byraadet> {label} "Byrådet"' in nquads


def test_a_national_body_by_its_abbreviation_is_keyed_by_its_full_name() -> None:
    from kommunegraf.extract.entities.resolve import resolve_record

    def keyed(orgs: list[str]) -> set[str]:
        record = _record("a", "Kulturudvalget", orgs)
        record.items[0].title = " ".join(orgs)
        resolve_record(record)
        return set(record.items[0].organization_keys.values())

    assert keyed(["KL"]) == keyed(["Kommunernes Landsforening"]) == {"kommunernes-landsforening"}
    assert "SFO" not in find_organisations("Pladser i SFO og i Fjordby Ungdomsskole.")
