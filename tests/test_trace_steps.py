"""A decision's status and next step in the graph (issue 20.4): mapped from the record by
graph/rdf/mapping.py, held to their vocabulary by ontology/shapes.ttl, rendered by trace
without reading the decision's wording; a store ingested before they existed still traces.
Invented minutes (OPDIGTET) with invented people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import SH
from test_ontology import shapes, small_reference  # noqa: F401  (fixtures)
from test_trace import decision, record

from kommunegraf.extract.records import Record
from kommunegraf.graph.answers.trace import render_table, trace
from kommunegraf.graph.answers.trace.status import NOT_READ
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import DocumentLoad, Store, open_store
from kommunegraf.ontology.terms import KG

HAVBY = ("Havby Kommune", "999")  # invented
TMU = "Teknik- og Miljøudvalget"
CASE_NEXT = "22/1101"  # no KLE code: the small reference has no KLE concepts
CASE_COUNCIL = "22/1102"
CASE_BACK = "22/1103"


def _records() -> list[Record]:
    january = record(HAVBY, TMU, "2022-01-10", [
        {"number": 1, "title": "Cykelsti ved Strandvejen", "case_number": CASE_NEXT,
         "decisions": [decision(TMU, "2022-01-10", "postponed",
                                "Udsat til kommende udvalgsmøde den 7. februar.")]},
        {"number": 2, "title": "Ny skolevej", "case_number": CASE_COUNCIL,
         "decisions": [decision(TMU, "2022-01-10", "recommended",
                                "Anbefales over for Økonomiudvalget og Byrådet.")]},
        {"number": 3, "title": "Parkeringsregler", "case_number": CASE_BACK,
         "decisions": [decision(TMU, "2022-01-10", "postponed",
                                "Sagen sendes tilbage til administrationen.")]},
    ])  # fmt: skip
    return [january]


def _load(folder: Path, strip: tuple[str, ...] = ()) -> None:
    """The records mapped and loaded; ``strip``: predicates left out, as an older mapper did."""
    with open_store(folder, write=True) as store:
        docs = []
        for rec in _records():
            mapped = map_record(rec)
            lines = mapped.nquads.splitlines(keepends=True)
            kept = [x for x in lines if not any(f"<{p}>" in x for p in strip)]
            docs.append(
                DocumentLoad(mapped.graph, "".join(kept), rec.source.sha256, (rec.source.path,))
            )
        store.replace_documents(docs)


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("steps") / "store"
    _load(folder)
    with open_store(folder, write=False) as store:
        yield store


@pytest.fixture(scope="module")
def older(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("steps-old") / "store"
    _load(folder, strip=(KG.status, KG.sentBackTo, KG.nextStep, KG.stepKind, KG.stepDate))
    with open_store(folder, write=False) as store:
        yield store


def test_the_mapping_states_status_and_next_step() -> None:
    nquads = map_record(_records()[0]).nquads
    assert f'<{KG.status}> "sent_back"' in nquads
    assert f'<{KG.sentBackTo}> "administration"' in nquads
    assert f'<{KG.stepKind}> "next_meeting"' in nquads
    assert f'<{KG.stepDate}> "2022-02-07"^^' in nquads
    bodies = [x for x in nquads.splitlines() if f"<{KG.stepBody}>" in x]
    assert len(bodies) == 2 and any('"Økonomiudvalget"' in x for x in bodies)


def test_trace_renders_what_extraction_read(current: Store) -> None:
    (nxt,) = trace(current, CASE_NEXT).cases
    assert nxt.status == "postponed on 2022-01-10 to the next meeting (2022-02-07)"
    assert nxt.next_step == f"resumes at the next meeting of {TMU} (2022-02-07)"
    (council,) = trace(current, CASE_COUNCIL).cases
    assert council.status == f"recommended to Økonomiudvalget and Byrådet on 2022-01-10 by {TMU}"
    assert council.next_step == "awaits the decision of Økonomiudvalget and Byrådet"
    (back,) = trace(current, CASE_BACK).cases
    assert back.treatments[0].effect == "sent back to the administration"
    assert back.next_step == f"to be resumed by {TMU} at a later meeting"


def test_trace_does_not_read_the_wording(current: Store) -> None:
    """The status comes from the graph's kg:status, not the text: a treatment whose text
    says one thing and whose stored status another is rendered from the status."""
    (case,) = trace(current, CASE_BACK).cases
    from kommunegraf.graph.answers.trace.status import read_status

    t = case.treatments[0]
    t.text = "Anbefales over for Byrådet."  # what the text says no longer matters
    assert read_status([t]) == (f"postponed on 2022-01-10 by {TMU}", case.next_step)


def test_a_store_ingested_before_next_steps_still_traces(older: Store) -> None:
    (nxt,) = trace(older, CASE_NEXT).cases
    assert nxt.status == f"postponed on 2022-01-10 by {TMU}"
    assert nxt.next_step == NOT_READ and "re-ingest" in NOT_READ
    (back,) = trace(older, CASE_BACK).cases
    assert back.treatments[0].effect == "postponed"  # the outcome alone
    (council,) = trace(older, CASE_COUNCIL).cases
    assert council.status == f"recommended on 2022-01-10 by {TMU}"
    assert "re-ingest" in render_table(trace(older, CASE_COUNCIL))


def _violations(
    reference: rdflib.Graph, shape_graph: rdflib.Graph, edit: Callable[[str], str] = str
) -> set[tuple[str, str]]:
    nquads = edit(map_record(_records()[0]).nquads)
    data = rdflib.Graph()
    data += reference
    triples = (q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    _conforms, results, _ = validate(data, shacl_graph=shape_graph, allow_warnings=True)
    return {
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)))
        for r in results.subjects(SH.resultSeverity, SH.Violation)
    }


def test_the_shapes_hold_status_and_next_step_to_their_vocabulary(
    small_reference: rdflib.Graph,  # noqa: F811
    shapes: rdflib.Graph,  # noqa: F811
) -> None:
    assert _violations(small_reference, shapes) == set()
    spoilt = _violations(small_reference, shapes, lambda t: t.replace('"sent_back"', '"maybe"'))
    assert {path for _focus, path in spoilt} == {KG.status}
    spoilt = _violations(small_reference, shapes, lambda t: t.replace('"to_council"', '"soon"'))
    assert {path for _focus, path in spoilt} == {KG.stepKind}
