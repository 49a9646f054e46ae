"""Each triple stored once (issue 21.1): the layout of the embedded store, its collection of
shared descriptions no document mentions, and the refusal of a store of the earlier layout.

Why: the store kept every quad twice (in its document's graph and in a merged default graph),
237 KB a document.  Now a document's own triples are in its graph, the descriptions of shared
things once in the shared graph, and queries read the union; these tests hold that no triple
is in two graphs, that nothing a document states about its own things lands in the shared
graph (where replacing the document would not take it away), and that what replacing leaves
behind is collected.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from kg_cli import kg

from kommunegraf.graph.rdf.ownership import owned_by_document
from kommunegraf.graph.store.local import DocumentLoad, open_store
from kommunegraf.graph.store.local.collect import collect_shared
from kommunegraf.graph.store.local.store import split_document
from kommunegraf.graph.store.model import OldStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BASE = "https://w3id.org/kommunegraf/"
DERIVED = ox.NamedNode(BASE + "graph/derived")


def union(store_dir: Path) -> list[ox.Triple]:
    """Every triple a query reads, as stored (a list: a triple in two graphs counts twice)."""
    with open_store(store_dir, write=False) as store:
        return [q.triple for q in store._store.quads_for_pattern(None, None, None, None)]


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("one-copy") / "store"
    done = kg(store, "ingest", "--jobs", "1", str(EXAMPLES))
    assert done.returncode == 0, done.stderr
    return store


def test_no_triple_is_stored_twice(examples_store: Path) -> None:
    triples = union(examples_store)
    assert len(triples) > 1000
    assert len(triples) == len(set(triples))


def test_no_shared_description_points_at_a_documents_own_things(examples_store: Path) -> None:
    """A shared triple whose object is a meeting, item or decision would be a fact of one
    document that outlives it (replacing the document drops its graph alone)."""
    with open_store(examples_store, write=False) as store:
        shared = ox.NamedNode(store.shared_graph)
        found = list(store._store.quads_for_pattern(None, None, None, shared))
        documents = store.documents()
    assert found
    for quad in found:
        target = quad.object
        if isinstance(target, ox.NamedNode):
            assert "/moede/" not in target.value and target.value not in documents, quad


def test_the_shared_graph_leaves_out_what_the_reference_states(examples_store: Path) -> None:
    with open_store(examples_store, write=False) as store:
        both = store.ask(
            "ASK { GRAPH ?r { ?s ?p ?o } GRAPH ?sh { ?s ?p ?o } }",
            {"r": _iri(store.reference_graph), "sh": _iri(store.shared_graph)},
        )
    assert not both


def _iri(value: str) -> object:
    from kommunegraf.graph.store.local import IRI

    return IRI(value)


@pytest.mark.parametrize(
    ("subject", "owned"),
    [
        (BASE + "id/kilde/0123456789abcdef", True),  # the document itself
        (BASE + "id/vejle/udvalg/sbu/moede/2023-05-03/punkt/4", True),  # below its meeting
        ("_:b0", True),  # a blank node never leaves its document
        (BASE + "id/vejle/udvalg/sbu", False),  # a committee
        (BASE + "id/vejle/person/anna-fiktiv", False),  # a person
        (BASE + "id/lov/planloven", False),  # a law
        (BASE + "id/vejle/sag/23-000123", False),  # a case
    ],
)
def test_what_a_document_owns(subject: str, owned: bool) -> None:
    assert owned_by_document(subject, BASE + "id/kilde/0123456789abcdef") is owned


def test_a_document_is_split_into_its_own_quads_and_shared_triples() -> None:
    graph = BASE + "id/kilde/0123456789abcdef"
    meeting = BASE + "id/vejle/udvalg/sbu/moede/2023-05-03"
    committee = BASE + "id/vejle/udvalg/sbu"
    text = (
        f"<{meeting}> <{BASE}ontology#committee> <{committee}> <{graph}> .\n"
        f'<{committee}> <http://www.w3.org/2000/01/rdf-schema#label> "SBU" <{graph}> .\n'
    )
    own, shared = split_document(DocumentLoad(graph, text, "0" * 64))
    assert own == text.splitlines(keepends=True)[0]
    assert shared == f'<{committee}> <http://www.w3.org/2000/01/rdf-schema#label> "SBU" .\n'
    for bad in (text.replace(f" <{graph}> .\n", " .\n", 1), text.rstrip("\n")):
        with pytest.raises(ValueError, match="one quad a line"):
            split_document(DocumentLoad(graph, bad, "0" * 64))


def test_collection_keeps_what_a_kept_thing_points_at_or_lies_above() -> None:
    """Rules 2 and 3 of graph.store.local.collect: a committee's municipality stays with the
    committee; a person's membership (nothing points at it) stays with the person."""
    store = ox.Store()
    doc, shared = ox.NamedNode(BASE + "id/kilde/0123456789abcdef"), ox.NamedNode(BASE + "s")
    p = ox.NamedNode(BASE + "p")
    mentioned = ox.NamedNode(BASE + "id/vejle/person/anna")
    municipality = ox.NamedNode(BASE + "id/vejle")
    membership = ox.NamedNode(BASE + "id/vejle/person/anna/medlemskab/f")
    orphan = ox.NamedNode(BASE + "id/vejle/person/bo")
    orphan_membership = ox.NamedNode(BASE + "id/vejle/person/bo/medlemskab/f")
    store.add(ox.Quad(ox.NamedNode(BASE + "id/vejle/udvalg/x/moede/d"), p, mentioned, doc))
    for subject, obj in [
        (mentioned, municipality),
        (membership, mentioned),
        (orphan, municipality),
        (orphan_membership, orphan),
    ]:
        store.add(ox.Quad(subject, p, obj, shared))
    assert collect_shared(store, shared) == 2
    left = {q.subject for q in store.quads_for_pattern(None, None, None, shared)}
    assert left == {mentioned, membership}


def test_ingest_collects_what_a_replaced_document_alone_mentioned(tmp_path: Path) -> None:
    """A file edited into another meeting: its old graph goes, and so does every shared
    description only it mentioned; the store then equals a fresh store of the new file."""
    path = tmp_path / "referat.txt"
    shutil.copyfile(EXAMPLES / "horsens_kmu_2023-09-11.txt", path)
    store = tmp_path / "store"
    assert kg(store, "ingest", "--jobs", "1", str(path)).returncode == 0
    shutil.copyfile(EXAMPLES / "vejle_sbu_2023-05-03.txt", path)
    done = kg(store, "ingest", "--jobs", "1", str(path))
    assert done.returncode == 0, done.stderr
    assert "collected" in done.stdout
    fresh = tmp_path / "fresh"
    assert kg(fresh, "ingest", "--jobs", "1", str(path)).returncode == 0
    assert _documents_and_shared(store) == _documents_and_shared(fresh)
    again = kg(store, "gc")
    assert again.returncode == 0 and again.stdout.startswith("removed 0 triples"), again.stdout


def _documents_and_shared(store_dir: Path) -> set[ox.Triple]:
    with open_store(store_dir, write=False) as store:
        return {
            q.triple
            for q in store._store.quads_for_pattern(None, None, None, None)
            if q.graph_name != DERIVED
        }


def test_a_store_of_the_earlier_layout_is_refused_in_one_line(tmp_path: Path) -> None:
    """Format 2 kept its ingest log as a graph of the one store: it must be re-ingested."""
    old = ox.Store(str(tmp_path / "old"))
    log = ox.NamedNode(BASE + "graph/ingest-log")
    old.add(ox.Quad(log, ox.NamedNode(BASE + "ontology#storeFormat"), ox.Literal("2"), log))
    old.flush()
    del old
    message = "ingest the documents again into a new --store"
    with pytest.raises(OldStore, match=message), open_store(tmp_path / "old", write=False):
        pass
    for args in (["stats"], ["ingest", str(EXAMPLES / "vejle_sbu_2023-05-03.txt")]):
        done = kg(tmp_path / "old", *args)
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "earlier kommunegraf" in lines[0], done.stderr


def test_a_killed_batch_leaves_no_description_behind(tmp_path: Path) -> None:
    """A batch killed before its marks wrote its shared descriptions already: the next
    writer drops its graphs and collects what only they mentioned (nothing invented)."""
    from test_store import NAME, PERSON, Killed, _Proxy, mentioning

    lost = mentioning("Havneudvidelse", "/m/lost.txt")
    with open_store(tmp_path, write=True, base=lost.graph.split("id/kilde/")[0]) as store:
        inner = store._books

        def update(sparql: str, *args: object, **kwargs: object) -> object:
            if "INSERT DATA" in sparql:  # the completion marks: never written
                raise Killed
            return inner.update(sparql, *args, **kwargs)

        store._books = _Proxy(inner, update=update)
        with pytest.raises(Killed):
            store.replace_documents([lost])
        store._books = inner
        assert store.ask(f"ASK {{ <{PERSON}> {NAME} ?n }}")  # written, not yet marked
    with open_store(tmp_path, write=True, base=lost.graph.split("id/kilde/")[0]) as store:
        assert store.documents() == set()
        assert not store.ask(f"ASK {{ <{PERSON}> {NAME} ?n }}")


def test_a_document_read_back_has_the_memberships_of_the_people_it_mentions(
    examples_store: Path,
) -> None:
    """Nothing points at a party membership (it points at its person), so following links
    out of a document never reaches it: SHACL's PartyMembershipShape would check none."""
    with open_store(examples_store, write=False) as store:
        texts = [store.document_ntriples(g).decode("utf-8") for g in sorted(store.documents())]
    with_members = [t for t in texts if "/medlemskab/" in t]
    assert with_members, "the examples name people with their party"
    for text in with_members:
        assert "#PartyMembership>" in text
