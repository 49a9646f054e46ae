"""Mutated minutes through the whole worker path: bytes → load → extract → map → N-Quads.

tests/test_parser_fuzz.py shows the parser never fails on any text; tests/test_load.py fuzzes
the loader on damaged PDFs and encodings.  What neither shows is that what comes out of the
end of the pipeline is always loadable: one bad N-Quads line would make the bulk loader
reject a whole batch of documents.  Here mutated examples (lines deleted, duplicated,
swapped, header-like and arbitrary lines injected — test_parser_fuzz's strategy), saved in
assorted encodings with a few bytes damaged, go through ``graph.ingest.run.extract_file`` exactly
as an ingest worker runs it; the result must be a load error with a reason, or N-Quads that
pyoxigraph parses, all in the document's own graph, as many as the worker counted, and with
the item titles back word for word.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_parser_fuzz import mutated_minutes

from kommunegraf.extract import extract_text
from kommunegraf.extract.load import load_bytes
from kommunegraf.graph.ingest.run import extract_file
from kommunegraf.graph.store.local import DEFAULT_BASE, KG

DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
AGENDA_ITEM = ox.NamedNode(KG + "AgendaItem")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
# Reasons extract_file gives for failures that are bugs, not bad input.
BUG_REASONS = ("internal error", "ValueError", "UnicodeError", "OSError", "TypeError")


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """A mutated example in some encoding, with up to four bytes overwritten or cut."""
    text = draw(mutated_minutes())
    data = bytearray(text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace"))
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


def run_worker(data: bytes) -> tuple[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "referat.txt"
        path.write_bytes(data)
        return str(path), extract_file(str(path), DEFAULT_BASE)


@settings(max_examples=40, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_files())
def test_the_worker_gives_a_reason_or_loadable_quads(data: bytes) -> None:
    path, outcome = run_worker(data)
    error = outcome.error  # type: ignore[attr-defined]
    event("error" if error else "quads")
    if error is not None:
        assert not error.startswith(BUG_REASONS), error
        assert "\n" not in error and error.strip(), error
        return
    quads = list(ox.parse(outcome.nquads, format=ox.RdfFormat.N_QUADS))  # type: ignore[attr-defined]
    assert len(quads) == outcome.quads  # type: ignore[attr-defined]
    assert {q.graph_name.value for q in quads} == {outcome.graph}  # type: ignore[attr-defined]

    # the titles come back word for word (what the extractor read from these bytes)
    record = extract_text(load_bytes(data, path).text)
    items = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == AGENDA_ITEM}
    titles = sorted(
        q.object.value for q in quads if q.predicate == DCTERMS_TITLE and q.subject in items
    )
    assert titles == sorted(item.title for item in record.items if item.title)
