"""A law's name is the reference data's, never one document's wording (issue 18.1).

Invented minutes (OPDIGTET: Lemvig, Struer and Odder with invented items) cite aktivloven
three ways: a chapter under its title, the title misspelt, and the named rule
"225-timersreglen".  Before the fix the aktivloven IRI collected all three as rdfs:labels,
so MIN(label) made every aktivloven citation an item "citing 225-timersreglen".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kommunegraf import queries
from kommunegraf.extract.entities.lawbook import canonical_law, provision_label, provision_slug
from kommunegraf.extract.records import Record
from kommunegraf.graph.analysis.threads import recompute
from kommunegraf.graph.answers.validate import reference_label_findings, validate_store
from kommunegraf.graph.rdf.iris import IRIS
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import IRI, DocumentLoad, Store, open_store
from kommunegraf.queries.municipality import resolve_municipality

AKTIV = IRIS.law("lov/aktivloven")
RULE_IRI = IRIS.law("lov/225-timersreglen")
CHAPTER = {"kind": "act", "act": "Lov om aktiv socialpolitik", "provision": "kap. 6",
           "text": "Lov om aktiv socialpolitik, kap. 6 (Revalidering)"}  # fmt: skip
MISSPELT = {"kind": "act", "act": "Lov om aktiv social politik", "provision": None,
            "text": "Lov om aktiv social politik"}  # fmt: skip
RULE = {"kind": "rule", "act": "225 timers-reglen", "provision": None,
        "text": "225 timers-reglen"}  # fmt: skip
SECTION = {"kind": "act", "act": "Lov om aktiv socialpolitik", "provision": "§ 13f",
           "text": "aktivlovens § 13f"}  # fmt: skip


def record(municipality: tuple[str, str], day: str, items: list[dict[str, Any]]) -> Record:
    name, code = municipality
    committee = "Arbejdsmarkedsudvalget"
    return Record.from_json(
        {
            "source": {"path": f"opdigtet-{code}-{day}.txt",
                       "sha256": hashlib.sha256(f"{code}{day}".encode()).hexdigest()},
            "municipality": {"name": name, "code": code},
            "meeting": {"committee": committee, "date": day, "kind": "referat"},
            "items": [{"decisions": [], **item} for item in items],
        }
    )  # fmt: skip


def invented() -> list[Record]:
    return [
        record(("Lemvig Kommune", "665"), "2023-01-16", [
            {"number": 1, "title": "Pulje til revalidering", "laws": [CHAPTER]},
            {"number": 2, "title": "Integrationsindsatsen", "laws": [MISSPELT]},
        ]),
        record(("Struer Kommune", "671"), "2023-02-13", [
            {"number": 5, "title": "Orientering om reglen", "laws": [RULE]},
            {"number": 6, "title": "Ydelsesnedsættelser", "laws": [SECTION]},
        ]),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("law-names") / "store"
    with open_store(folder, write=True) as writer:
        docs = []
        for rec in invented():
            mapped = map_record(rec)
            docs.append(DocumentLoad(mapped.graph, mapped.nquads, rec.source.sha256, ()))
        writer.load_reference()  # as ingest does: the laws' names are there
        writer.replace_documents(docs)
        recompute(writer)
    with open_store(folder, write=False) as reader:
        yield reader


def run(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    query = queries.load(name)
    bindings = queries.bind(query, params, municipality=lambda m: resolve_municipality(store, m)[0])
    return list(store.query(query.text, bindings))  # type: ignore[arg-type]


def test_a_document_states_no_name_of_a_reference_law() -> None:
    nquads = "".join(map_record(rec).nquads for rec in invented())
    about_aktiv = [line for line in nquads.splitlines() if line.startswith(f"<{AKTIV}> ")]
    assert about_aktiv, "the law is still typed in the document"
    assert all("#type>" in line for line in about_aktiv), about_aktiv
    # the wording stays on the item's citation
    assert '"Lov om aktiv social politik"' in nquads and "/henvisning/1>" in nquads


def test_a_named_rule_is_its_own_resource() -> None:
    assert canonical_law("225 timers-reglen", None, "rule") == "lov/225-timersreglen"
    nquads = map_record(invented()[1]).nquads
    assert f"<{RULE_IRI}>" in nquads
    lines = [line for line in nquads.splitlines() if "/punkt/5> <http://data.europa.eu" in line]
    assert [line.split()[2] for line in lines] == [f"<{RULE_IRI}>"]


def test_the_rule_is_linked_to_the_provision_of_its_law(store: Store) -> None:
    rows = list(
        store.query(
            "SELECT ?rule ?p ?law WHERE { ?rule <https://w3id.org/kommunegraf/ontology#statedIn> ?p"
            " . ?p <http://data.europa.eu/eli/ontology#is_part_of> ?law }",
            {"rule": IRI(RULE_IRI)},
        )  # type: ignore[arg-type]
    )
    assert [(r["p"], r["law"]) for r in rows] == [(AKTIV + "/paragraf/13f", AKTIV)]


def test_items_citing_the_rule_are_only_those_about_it(store: Store) -> None:
    rows = run(store, "items-citing-law", law="225-timersreglen")
    # item 5 names the rule; item 6 cites the provision that lays it down; Lemvig's items cite
    # other parts of aktivloven and must not appear
    assert sorted((r["number"], r["kind"], r["lawName"]) for r in rows) == [
        (5, "rule", "225-timersreglen"), (6, "rule", "225-timersreglen")
    ]  # fmt: skip
    assert {r["printed"] for r in rows} == {"225 timers-reglen", "aktivlovens § 13f"}


def test_the_law_has_one_name_whatever_documents_printed(store: Store) -> None:
    rows = run(store, "laws-per-municipality")
    got = {(str(r["municipality"]).rsplit("/", 1)[-1], r["law"], r["kind"], r["items"])
           for r in rows}  # fmt: skip
    assert got == {
        ("lemvig", "Lov om aktiv socialpolitik", "act", 2),
        ("struer", "225-timersreglen", "rule", 1),
        ("struer", "Lov om aktiv socialpolitik", "act", 1),
    }
    links = run(store, "cross-municipality-links")
    assert [(r["kind"], r["entity"], r["items"]) for r in links] == [
        ("act", "Lov om aktiv socialpolitik", 3)
    ]
    # a word only one item printed finds that item, under the law's one name
    printed = run(store, "items-citing-law", law="(revalidering)")
    assert [(r["number"], r["lawName"]) for r in printed] == [(1, "Lov om aktiv socialpolitik")]


def test_a_provision_of_a_reference_law_has_one_name() -> None:
    assert provision_label(provision_slug("§ 13f") or "") == "§ 13 f"
    assert provision_label("paragraf/9-stk-3") == "§ 9, stk. 3"
    assert provision_label("paragraf/3-stk-1-nr-2") == "§ 3, stk. 1, nr. 2"
    assert provision_label("paragraf/10-litra-a") == "§ 10, litra a"
    assert provision_label("paragraf/2-4") == "§§ 2-4"
    assert provision_label("kapitel/6") == "kapitel 6"
    nquads = map_record(invented()[1]).nquads
    assert '"Lov om aktiv socialpolitik § 13 f"' in nquads


def test_validate_fails_when_a_document_names_a_reference_law(store: Store, tmp_path: Path) -> None:
    assert reference_label_findings(store) == []
    assert validate_store(store).conforms
    rec = invented()[0]
    mapped = map_record(rec)
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    foreign = f'<{AKTIV}> {label} "225-timersreglen" <{mapped.graph}> .\n'
    with open_store(tmp_path / "s", write=True) as writer:
        writer.load_reference()
        writer.replace_documents(
            [DocumentLoad(mapped.graph, mapped.nquads + foreign, rec.source.sha256, ())]
        )
        findings = reference_label_findings(writer)
        assert [(f.focus, f.value, f.graphs) for f in findings] == [
            (AKTIV, "225-timersreglen", (mapped.graph,))
        ]
        assert not validate_store(writer).conforms
