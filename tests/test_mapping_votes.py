"""Votes in the graph: counts, named voters and party blocs (OPDIGTET: invented minutes).

A party that votes as a bloc ("For stemte (V), (D) og Rikke Bach (UP)") is a kg:Party on the
vote (kg:partyVotedFor …), the same node as a member's kg:party; the shapes hold a vote's
parties to kg:Party and keep each voter on one side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import SH

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
from kommunegraf.graph.answers.viz import build_graph
from kommunegraf.graph.rdf.iris import IRIS
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import DocumentLoad, open_store
from kommunegraf.ontology import SHAPES_TTL, reference_files
from kommunegraf.ontology.terms import KG, sparql_prefixes

MUNICIPALITY = "Søvig Kommune"


def _record(votes: Votes) -> Record:
    decision = Decision(
        "Byrådet",
        "2024-03-04",
        "approved",
        "Med stemmerne 9 for og 8 imod godkendte byrådet indstillingen.",
        [],
        votes,
    )
    item = Item(
        7,
        "Ny skolestruktur",
        "decision",
        "24/118",
        decisions=[decision],
        people=[Person("Rikke Bach", "UP", None, None), Person("Jon Vik", "V", None, None)],
        span=(0, 500),
    )
    return Record(
        Source("soevig/byraad.txt", "cd" * 32, "text", "generic"),
        Municipality(MUNICIPALITY, None),
        Meeting("Byrådet", None, "2024-03-04", "17:00", None, "referat"),
        [item],
    )


BLOCS = Votes(
    for_=9,
    against=8,
    for_names=["Rikke Bach"],
    for_parties=["V", "D"],
    against_parties=["A", "Ø"],
    abstain_parties=["UP-1"],
)


def _rows(nquads: str, query: str) -> set[tuple[str, ...]]:
    store = ox.Store()
    store.load(input=nquads, format=ox.RdfFormat.N_QUADS)
    result = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    return {tuple(term.value for term in row) for row in result}


def test_party_blocs_are_parties_on_the_vote() -> None:
    nquads = map_record(_record(BLOCS)).nquads
    rows = _rows(
        nquads,
        """SELECT ?side ?letter WHERE {
             ?d kg:vote ?v .
             VALUES ?side { kg:partyVotedFor kg:partyVotedAgainst kg:partyAbstained }
             ?v ?side ?p . ?p a kg:Party ; skos:notation ?letter }""",
    )
    assert rows == {
        (KG.partyVotedFor, "V"),
        (KG.partyVotedFor, "D"),
        (KG.partyVotedAgainst, "A"),
        (KG.partyVotedAgainst, "Ø"),
        (KG.partyAbstained, "UP-1"),
    }
    # the bloc "V" and Jon Vik's party are one node
    same = _rows(
        nquads,
        "SELECT ?p WHERE { ?v kg:partyVotedFor ?p . ?person kg:party ?p ; foaf:name 'Jon Vik' }",
    )
    assert same == {(IRIS.party("V"),)}
    # people stay people: the named voter is a person, not a party
    people = _rows(nquads, "SELECT ?n WHERE { ?v kg:votedFor/foaf:name ?n }")
    assert people == {("Rikke Bach",)}


def test_a_vote_without_blocs_has_no_party_edges() -> None:
    nquads = map_record(_record(Votes(against_names=["Jon Vik"]))).nquads
    for predicate in (KG.partyVotedFor, KG.partyVotedAgainst, KG.partyAbstained):
        assert f"<{predicate}>" not in nquads


def test_hostile_party_codes_stay_data() -> None:
    hostile = Votes(for_parties=['V> <x:p> "y', "} ; DROP ALL ; #", "Ø\n"])
    nquads = map_record(_record(hostile)).nquads
    rows = _rows(nquads, "SELECT ?letter WHERE { ?v kg:partyVotedFor/skos:notation ?letter }")
    assert rows == {('V> <X:P> "Y',), ("} ; DROP ALL ; #",), ("Ø",)}


@pytest.fixture(scope="module")
def shapes_and_reference() -> tuple[rdflib.Graph, rdflib.Graph]:
    reference = rdflib.Graph()
    for path in reference_files():
        if path.name != "kle.ttl":
            reference.parse(path, format="turtle")
    return rdflib.Graph().parse(SHAPES_TTL), reference


def _violations(
    shapes_and_reference: tuple[rdflib.Graph, rdflib.Graph],
    votes: Votes,
    edit: Callable[[str], str] = str,
) -> set[tuple[str, str]]:
    shapes, reference = shapes_and_reference
    nquads = edit(map_record(_record(votes)).nquads)
    triples = (q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    data = rdflib.Graph()
    data += reference
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    _conforms, results, _text = validate(data, shacl_graph=shapes, allow_warnings=True)
    return {
        (str(focus), str(results.value(r, SH.resultPath)))
        for r in results.subjects(SH.resultSeverity, SH.Violation)
        for focus in results.objects(r, SH.focusNode)
    }


def _vote_iri() -> str:
    record = _record(BLOCS)
    municipality = IRIS.municipality(MUNICIPALITY)
    meeting = IRIS.meeting(
        IRIS.committee(municipality, "Byrådet"), "2024-03-04", IRIS.source(record.source.sha256)
    )
    return IRIS.vote(IRIS.decision(IRIS.item(meeting, 7), "2024-03-04"))


def test_votes_with_party_blocs_conform(shapes_and_reference) -> None:  # type: ignore[no-untyped-def]
    assert _violations(shapes_and_reference, BLOCS) == set()


def test_a_party_on_two_sides_is_reported(shapes_and_reference) -> None:  # type: ignore[no-untyped-def]
    both = Votes(for_parties=["V"], against_parties=["V"])
    assert (_vote_iri(), "None") in _violations(shapes_and_reference, both)
    person = Votes(for_names=["Jon Vik"], abstain_names=["Jon Vik"])
    assert (_vote_iri(), "None") in _violations(shapes_and_reference, person)


def test_a_party_vote_must_name_a_party(shapes_and_reference) -> None:  # type: ignore[no-untyped-def]
    vote = _vote_iri()
    person = IRIS.person(IRIS.municipality(MUNICIPALITY), "Jon Vik")
    line = f"<{vote}> <{KG.partyVotedAgainst}> <{person}> <urn:g> .\n"
    found = _violations(shapes_and_reference, BLOCS, lambda text: text + line)
    assert (vote, KG.partyVotedAgainst) in found


def test_viz_draws_a_party_bloc_as_decision_to_party(tmp_path: Path) -> None:
    record = _record(BLOCS)
    mapped = map_record(record)
    with open_store(tmp_path / "store", write=True) as store:
        store.load_reference()
        store.replace_documents(
            [DocumentLoad(mapped.graph, mapped.nquads, record.source.sha256, (record.source.path,))]
        )
    with open_store(tmp_path / "store", write=False) as store:
        graph = build_graph(store, max_nodes=10_000)
    drawn = {(e.label, e.target) for e in graph.edges if e.label.startswith("party ")}
    assert drawn == {
        ("party voted for", IRIS.party("V")),
        ("party voted for", IRIS.party("D")),
        ("party voted against", IRIS.party("A")),
        ("party voted against", IRIS.party("Ø")),
        ("party abstained", IRIS.party("UP-1")),
    }
    assert not any(n.id.endswith("/afstemning") for n in graph.nodes)
