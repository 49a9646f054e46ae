"""Load records into a store as `ingest` does (mapped, one graph each, then the derived graph),
for tests that build their documents as records rather than files."""

from __future__ import annotations

from pathlib import Path

from kommunegraf.extract.records import Record
from kommunegraf.graph.analysis.threads import recompute
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import DocumentLoad, open_store


def load_records(folder: Path, records: list[Record], *, reference: bool = False) -> None:
    """Map and load ``records`` into the store at ``folder`` (with the reference data when
    ``reference``: the laws' and parties' names live there), then recompute the derived graph."""
    with open_store(folder, write=True) as store:
        if reference:
            store.load_reference()
        docs = []
        for record in records:
            mapped = map_record(record)
            docs.append(
                DocumentLoad(
                    mapped.graph, mapped.nquads, record.source.sha256, (record.source.path,)
                )
            )
        store.replace_documents(docs)
        recompute(store)
