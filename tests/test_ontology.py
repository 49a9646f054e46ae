"""The vocabulary, its shapes and its reference data: complete, aligned, and strict enough."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kommunegraf.extract.records import (
    Decision,
    Item,
    Meeting,
    Municipality,
    Person,
    Record,
    Source,
    Votes,
)
from kommunegraf.graph.rdf.iris import IRIS
from kommunegraf.graph.rdf.mapping import KLE_TSV, map_record
from kommunegraf.graph.rdf.reference import OUTCOMES, build
from kommunegraf.ontology import ONTOLOGY_TTL, SHAPES_TTL, reference_files
from kommunegraf.ontology.terms import KG, PREFIXES

KGNS = rdflib.Namespace(KG.NS)
STANDARDS = tuple(ns for name, ns in PREFIXES.items() if name not in ("kg", "sh", "xsd", "rdf"))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_TTL)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_TTL)


def _kg_terms(graph: rdflib.Graph, kind: rdflib.URIRef) -> set[rdflib.URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(KG.NS)}


def _languages(graph: rdflib.Graph, s: rdflib.URIRef, p: rdflib.URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(s, p) if isinstance(o, rdflib.Literal)}


# --- the vocabulary -----------------------------------------------------------------------


def test_every_term_in_terms_py_is_defined_and_vice_versa(ontology: rdflib.Graph) -> None:
    defined = {
        str(s)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in _kg_terms(ontology, kind)
    }
    in_python = {v for k, v in vars(KG).items() if not k.startswith("_") and k != "NS"}
    assert in_python == defined


def test_every_class_is_labelled_defined_and_aligned(ontology: rdflib.Graph) -> None:
    classes = _kg_terms(ontology, OWL.Class)
    assert len(classes) >= 18
    for cls in classes:
        assert {"da", "en"} <= _languages(ontology, cls, RDFS.label), cls
        assert {"da", "en"} <= _languages(ontology, cls, SKOS.definition), cls
        parents = [str(p) for p in ontology.objects(cls, RDFS.subClassOf)]
        assert any(p.startswith(STANDARDS) for p in parents), cls


# Measures of the derived graph that no public vocabulary has a property for.
UNALIGNED_MEASURES = {
    KGNS.meetingCount,
    KGNS.municipalityCount,
    KGNS.itemDegree,
    KGNS.betweenness,
    KGNS.computedOverDocuments,
    KGNS.threadsOverDocuments,
    KGNS.talliesOverDocuments,
    KGNS.tallyCount,
    KGNS.tallyYear,
}


def test_every_property_is_labelled_defined_and_aligned(ontology: rdflib.Graph) -> None:
    properties = _kg_terms(ontology, OWL.ObjectProperty) | _kg_terms(ontology, OWL.DatatypeProperty)
    assert len(properties) >= 40
    for prop in properties:
        assert {"da", "en"} <= _languages(ontology, prop, RDFS.label), prop
        assert {"da", "en"} <= _languages(ontology, prop, SKOS.definition), prop
        if prop in UNALIGNED_MEASURES:
            continue
        parents = [str(p) for p in ontology.objects(prop, RDFS.subPropertyOf)]
        assert any(p.startswith(STANDARDS) for p in parents), prop


def test_design_alignments(ontology: rdflib.Graph) -> None:
    besluit = rdflib.Namespace(PREFIXES["besluit"])
    eli = rdflib.Namespace(PREFIXES["eli"])
    org = rdflib.Namespace(PREFIXES["org"])
    expected = {
        KGNS.Meeting: besluit.Zitting,
        KGNS.AgendaItem: besluit.Agendapunt,
        KGNS.Decision: besluit.BehandelingVanAgendapunt,
        KGNS.Vote: besluit.Stemming,
        KGNS.Municipality: besluit.Bestuurseenheid,
        KGNS.Committee: besluit.Bestuursorgaan,
        KGNS.Law: eli.LegalResource,
        KGNS.Provision: eli.LegalResourceSubdivision,
        KGNS.PartyMembership: org.Membership,
        KGNS.Project: rdflib.URIRef(PREFIXES["schema"] + "Project"),
    }
    for cls, parent in expected.items():
        assert (cls, RDFS.subClassOf, parent) in ontology


def test_mapped_output_uses_only_defined_kg_terms(ontology: rdflib.Graph) -> None:
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(KG.NS)}
    text = map_record(_record()).nquads
    used = {q.predicate.value for q in ox.parse(text, format=ox.RdfFormat.N_QUADS)} | {
        q.object.value
        for q in ox.parse(text, format=ox.RdfFormat.N_QUADS)
        if isinstance(q.object, ox.NamedNode)
    }
    assert {u for u in used if u.startswith(KG.NS)} <= defined


def test_every_class_has_a_shape(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    assert _kg_terms(ontology, OWL.Class) <= targeted


# --- reference data -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    store = ox.Store()
    for path in reference_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    return [tuple(term.value for term in row) for row in store.query(prefixes + query)]


def test_reference_municipalities(reference: ox.Store) -> None:
    rows = _rows(reference, "SELECT ?m ?code ?label WHERE { ?m a kg:Municipality ; "
                 "kg:kommunekode ?code ; rdfs:label ?label }")  # fmt: skip
    assert len(rows) == 98
    assert len({code for _, code, _ in rows}) == 98
    assert (IRIS.municipality("Næstved Kommune"), "370", "Næstved Kommune") in rows
    assert (IRIS.municipality(None, "101"), "101", "Københavns Kommune") in rows
    variants = _rows(reference, f"SELECT ?v WHERE {{ <{IRIS.municipality(None, '370')}> "
                     "skos:altLabel ?v }")  # fmt: skip
    assert {v for (v,) in variants} == {"Næstved"}  # "Næstved Kommune" is the label itself


def test_reference_outcome_scheme(reference: ox.Store) -> None:
    rows = _rows(
        reference,
        f"""SELECT ?code ?label WHERE {{ ?c a kg:Outcome ; skos:inScheme <{IRIS.outcome_scheme}> ;
              skos:notation ?code ; skos:prefLabel ?label FILTER(lang(?label) = "da") }}""",
    )
    assert dict(rows) == {
        "approved": "Godkendt",
        "recommended": "Anbefalet",
        "noted": "Taget til efterretning",
        "discussed": "Drøftet",
        "postponed": "Udsat",
        "rejected": "Afvist",
        "decided": "Besluttet",
        "other": "Andet",
    }
    assert set(OUTCOMES) == set(dict(rows))


def test_reference_kle_hierarchy(reference: ox.Store) -> None:
    with KLE_TSV.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh, delimiter="\t"))
    count = _rows(reference, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kg:KleSubject }")
    assert int(count[0][0]) == len(table)
    chain = _rows(
        reference,
        f"""SELECT ?g ?h ?title WHERE {{ <{IRIS.kle("15.20.00")}> skos:broader ?g ;
              skos:prefLabel ?title . ?g skos:broader ?h }}""",
    )
    assert chain == [(IRIS.kle("15.20"), IRIS.kle("15"), "Beskæftigelsesindsats i almindelighed")]
    orphans = _rows(
        reference,
        """SELECT ?c WHERE { ?c kg:kleLevel "emne" FILTER NOT EXISTS { ?c skos:broader ?g } }""",
    )
    assert orphans == []


def test_reference_parties_and_laws(reference: ox.Store) -> None:
    parties = dict(_rows(reference, "SELECT ?l ?n WHERE { ?p a kg:Party ; skos:notation ?l ; "
                         "rdfs:label ?n }"))  # fmt: skip
    assert parties["F"] == "SF"
    assert parties["Ø"] == "Enhedslisten"
    assert "L" in parties
    eli = _rows(
        reference,
        """SELECT ?alias WHERE {
             <https://www.retsinformation.dk/eli/lta/2013/606> a kg:Law ; skos:altLabel ?alias }""",
    )
    assert ("offentlighedsloven",) in eli
    # a named rule is a resource of its own, linked to the provision of its law (issue 18.1)
    rule = _rows(reference, """SELECT ?law WHERE { ?r skos:prefLabel "225-timersreglen"@da ;
                 kg:lawKind "rule" ; kg:statedIn/eli:is_part_of ?law }""")  # fmt: skip
    assert rule == [(IRIS.law("lov/aktivloven"),)]


def test_committed_reference_files_are_up_to_date(tmp_path: Path) -> None:
    written = build(tmp_path)
    committed = {p.name: p.read_text(encoding="utf-8") for p in reference_files()}
    assert set(written) == set(committed)
    for name in written:
        assert (tmp_path / name).read_text(encoding="utf-8") == committed[name], (
            f"{name} is stale: run python -m kommunegraf.graph.rdf.reference"
        )


# --- shapes catch what is wrong -----------------------------------------------------------


def _record() -> Record:
    """An invented record whose case number carries no KLE code (KLE is left out below)."""
    return Record(
        source=Source("havby/teknik.txt", "ab" * 32, "pdf", "generic"),
        municipality=Municipality("Havby Kommune", None),
        meeting=Meeting("Teknik- og Miljøudvalget", None, "2023-09-12", "08:15", None, "referat"),
        items=[
            Item(
                number=7,
                title="Ny cykelsti langs Strandvejen",
                kind="decision",
                case_number="23/1187",
                decisions=[
                    Decision(
                        "Teknik- og Miljøudvalget",
                        "2023-09-12",
                        "approved",
                        "Godkendt med 4 stemmer for og 1 imod.",
                        ["Søren Kragh"],
                        Votes(for_=4, against=1, against_names=["Lone Fisker"]),
                    )
                ],
                people=[Person("Lone Fisker", "B", None, None)],
                span=(10, 900),
            )
        ],
    )


@pytest.fixture(scope="module")
def small_reference() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in reference_files():
        if path.name != "kle.ttl":
            graph.parse(path, format="turtle")
    return graph


def _violations(
    small_reference: rdflib.Graph, shapes: rdflib.Graph, edit: Callable[[str], str] = str
) -> set[tuple[str, str]]:
    """(focus node, path) of every sh:Violation once ``edit`` has changed the N-Quads text."""
    nquads = edit(map_record(_record()).nquads)
    triples = (q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    data = rdflib.Graph()
    data += small_reference
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    conforms, results, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    found = {
        (str(focus), str(results.value(r, SH.resultPath)))
        for r in results.subjects(SH.resultSeverity, SH.Violation)
        for focus in results.objects(r, SH.focusNode)
    }
    assert conforms == (not found)
    return found


ITEM = IRIS.item(
    IRIS.meeting(
        IRIS.committee(IRIS.municipality("Havby Kommune"), "Teknik- og Miljøudvalget"),
        "2023-09-12",
        IRIS.source("ab" * 32),
    ),
    7,
)
DECISION = IRIS.decision(ITEM, "2023-09-12")


def _drop(predicate: str, subject: str) -> Callable[[str], str]:
    return lambda text: "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(f"<{subject}> <{predicate}> ")
    )


def _append(line: str) -> Callable[[str], str]:
    return lambda text: text + line + "\n"


def test_valid_invented_record_conforms(
    small_reference: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    assert _violations(small_reference, shapes) == set()


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_drop(KG.outcome, DECISION), (DECISION, KG.outcome)),
        (
            _append(f"<{DECISION}> <{KG.outcome}> <{IRIS.outcome('rejected')}> <urn:g> ."),
            (DECISION, KG.outcome),
        ),
        (
            _append(f"<{DECISION}> <{KG.outcome}> <{IRIS.outcome('vetoed')}> <urn:g> ."),
            (DECISION, KG.outcome),
        ),
        (_drop(KG.item, DECISION), (DECISION, KG.item)),
        (_append(f'<{DECISION}> <{KG.date}> "12/9 2023" <urn:g> .'), (DECISION, KG.date)),
        (_drop(KG.meeting, ITEM), (ITEM, KG.meeting)),
        (_drop("http://purl.org/dc/terms/title", ITEM), (ITEM, "http://purl.org/dc/terms/title")),
        (
            _drop("http://www.w3.org/ns/prov#wasDerivedFrom", ITEM),
            (ITEM, "http://www.w3.org/ns/prov#wasDerivedFrom"),
        ),
        (
            lambda t: t.replace(
                '"7"^^<http://www.w3.org/2001/XMLSchema#integer>',
                '"-7"^^<http://www.w3.org/2001/XMLSchema#integer>',
            ),
            (ITEM, KG.number),
        ),
        (
            lambda t: t.replace('"10"^^', '"950"^^'),  # span start after its end
            (ITEM, KG.spanStart),
        ),
        (
            _append(f"<{DECISION}/afstemning> <{KG.votedAgainst}> <{ITEM}/x> <urn:g> ."),
            (DECISION + "/afstemning", KG.votedAgainst),
        ),
    ],
)
def test_shapes_report_what_is_wrong(
    small_reference: rdflib.Graph,
    shapes: rdflib.Graph,
    edit: Callable[[str], str],
    expected: tuple[str, str],
) -> None:
    assert expected in _violations(small_reference, shapes, edit)


def test_every_source_format_of_the_record_conforms(
    small_reference: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    # records.md's formats: text | pdf | html | json (a FirstAgenda API meeting)
    for fmt in ("text", "html", "json"):
        edit = _replace_format(fmt)
        assert _violations(small_reference, shapes, edit) == set(), fmt
    assert (IRIS.source("ab" * 32), KG.format) in _violations(
        small_reference, shapes, _replace_format("docx")
    )


def _replace_format(fmt: str) -> Callable[[str], str]:
    return lambda text: text.replace(f'<{KG.format}> "pdf"', f'<{KG.format}> "{fmt}"')


def test_vote_naming_more_voters_than_counted_is_reported(
    small_reference: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    person = IRIS.person(IRIS.municipality("Havby Kommune"), "Søren Kragh")
    edit = _append(f"<{DECISION}/afstemning> <{KG.votedAgainst}> <{person}> <urn:g> .")
    violations = _violations(small_reference, shapes, edit)
    assert (DECISION + "/afstemning", "None") in violations


def test_missing_span_is_only_a_warning(
    small_reference: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    edit = _drop(KG.spanStart, ITEM)
    assert _violations(small_reference, shapes, edit) == set()
