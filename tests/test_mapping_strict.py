"""The store's bulk loader reads the mapping's N-Quads leniently (it does not check every IRI
again: a quarter of its work).  That is safe only while the mapping never writes an invalid
IRI or literal, whatever a record holds; these tests hold it to that with records whose every
free-text field is hostile, and check that the lenient load stores exactly the strict parse.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommunegraf.extract.records import (
    Decision,
    Item,
    Law,
    Meeting,
    Municipality,
    Person,
    Project,
    Record,
    Reference,
    Source,
    Votes,
)
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import DocumentLoad, open_store

# Characters that break IRIs or N-Quads when written unescaped, beside ordinary text.
HOSTILE = st.sampled_from(list('<>"{}|^`\\ \t\n\r#%?/:@[]\x00\x7f\u2028\u0085\ud800æøå§'))
TEXT = st.text(st.one_of(HOSTILE, st.characters(codec="utf-8")), max_size=24)
MAYBE = st.none() | TEXT
# Law IRIs printed in minutes: well-formed ones and ones that are not (a port that is not a
# number, a second "#", a bracket in the host).
CANONICAL = st.none() | TEXT | st.builds(lambda tail: "https://" + tail, TEXT)
DATE = st.none() | st.dates().map(str) | TEXT

PEOPLE = st.builds(Person, name=TEXT, party=MAYBE, role=MAYBE, key=MAYBE)
LAWS = st.builds(Law, kind=TEXT, act=MAYBE, provision=MAYBE, text=TEXT, canonical=CANONICAL)
DECISIONS = st.builds(
    Decision,
    body=MAYBE,
    date=DATE,
    outcome=TEXT,
    text=TEXT,
    absent=st.lists(TEXT, max_size=2),
    votes=st.none()
    | st.builds(
        Votes,
        for_names=st.lists(TEXT, max_size=2),
        against_names=st.lists(TEXT, max_size=2),
        for_parties=st.lists(TEXT, max_size=2),
        abstain_parties=st.lists(TEXT, max_size=2),
    ),
)
ITEMS = st.builds(
    Item,
    number=st.integers(0, 10_000),
    title=TEXT,
    kind=MAYBE,
    case_number=MAYBE,
    document_number=MAYBE,
    decisions=st.lists(DECISIONS, max_size=2),
    people=st.lists(PEOPLE, max_size=2),
    organizations=st.lists(TEXT, max_size=2),
    laws=st.lists(LAWS, max_size=2),
    projects=st.lists(st.builds(Project, name=TEXT, key=MAYBE), max_size=2),
    references=st.lists(
        st.builds(Reference, body=MAYBE, date=DATE, item_number=st.none() | st.integers(0, 999)),
        max_size=2,
    ),
    attachments=st.lists(TEXT, max_size=2),
)
RECORDS = st.builds(
    Record,
    source=st.builds(Source, path=TEXT, sha256=st.text("0123456789abcdef", min_size=64)),
    municipality=st.builds(Municipality, name=MAYBE, code=MAYBE),
    meeting=st.builds(
        Meeting, committee=MAYBE, date=DATE, start_time=MAYBE, location=MAYBE, kind=MAYBE
    ),
    items=st.lists(ITEMS, max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_hostile_records_map_to_n_quads_that_parse_strictly(record: Record) -> None:
    mapped = map_record(record)
    quads = list(ox.parse(mapped.nquads, format=ox.RdfFormat.N_QUADS))  # strict: raises
    assert len(quads) == mapped.quads


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORDS, min_size=1, max_size=3, unique_by=lambda r: r.source.sha256))
def test_the_lenient_load_stores_what_a_strict_parse_reads(tmp_path_factory, records) -> None:
    folder = tmp_path_factory.mktemp("strict")
    mapped = [map_record(r) for r in records]
    with open_store(folder / "store", write=True) as store:
        store.replace_documents(
            DocumentLoad(m.graph, m.nquads, m.graph[-16:], (f"doc-{n}",))
            for n, m in enumerate(mapped)
        )
        merged = store.construct_lines("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        for m in mapped:
            strict = {q.triple for q in ox.parse(m.nquads, format=ox.RdfFormat.N_QUADS)}
            stored = {
                q.triple
                for q in ox.parse(store.graph_ntriples(m.graph), format=ox.RdfFormat.N_TRIPLES)
            }
            assert stored <= strict  # the document's graph: its own part
            assert {f"{t} ." for t in strict} <= merged  # and all of it in what queries read
