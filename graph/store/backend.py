"""The one contract between the commands and a store: :class:`Backend`, and :func:`open_backend`.

Two kinds of store answer it: the embedded one (``--store``: graph.store.local.Store) and a
SPARQL server (``--endpoint``: graph.store.remote.RemoteStore).  Every command, ingest and the
graph/* modules work on a ``Backend`` and never ask which one they were given: where the two
differ in what they can do, the difference is a member of the protocol both answer (e.g.
:attr:`Backend.patches_derived`), not a guess by ``hasattr`` or ``isinstance``.

tests/test_backend_protocol.py checks that both classes have every member with the
protocol's parameters; tests/test_store_contract.py runs one set of assertions on both.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Protocol

from kommunegraf.graph.store.local import DocumentLoad, Rows, Value, open_store
from kommunegraf.graph.store.versions import Overlap


class Backend(Protocol):
    """What a store is to the rest of kommunegraf: documents in named graphs, the reference
    and derived graphs, SPARQL over their merge, and bulk writes of whole documents.

    Members are described once here; the two implementations say only how they do it.
    """

    path: Path | str  # what messages name the store by (a folder, or the endpoint's URL)
    writable: bool
    base: str  # the IRI base everything is minted under
    reference_graph: str
    derived_graph: str
    shared_graph: str  # the embedded store's descriptions of shared things, once
    log_graph: str  # the ingest log: bookkeeping, never part of an export
    # Whether the store keeps its derived graph up to date in place (the embedded store: the
    # documents' facts in a ledger beside its folder, graph.analysis.ledger, and its
    # ``patch_derived``/``construct_lines``, which graph.analysis calls only when this is
    # True); False: ingest recomputes the derived graph whole (a SPARQL server).
    patches_derived: bool

    # ----- documents ---------------------------------------------------------------------

    def documents(self) -> set[str]:
        """IRIs of the document graphs that are wholly in."""
        ...

    def sources(self) -> dict[str, list[str]]:
        """Each completed document graph with the file name(s) it states."""
        ...

    def graph_of_path(self, path: str | os.PathLike[str]) -> str | None:
        """The completed document graph last ingested from the file at ``path``, if any."""
        ...

    def unchanged_files(self, stamps: dict[str, str]) -> dict[str, str]:
        """Those of the files ``stamps`` gives (absolute path → graph.ingest.stamps' stamp)
        whose document the log holds complete, made from the file as it is now, each with
        that document's graph."""
        ...

    def completed_in_run(self, graph: str, run: str) -> bool:
        """Whether ``graph`` was completed by the ingest run ``run`` (a duplicate check)."""
        ...

    def is_complete(self, graph: str) -> bool:
        """Whether ``graph`` carries its completion marker (wholly written)."""
        ...

    def replace_documents(
        self,
        docs: Iterable[DocumentLoad],
        *,
        run: str = "",
        loaded: set[str] | None = None,
        overlaps: list[Overlap] | None = None,
    ) -> list[str]:
        """Load a batch of documents, each wholly replacing its graph and the graphs of older
        versions of its files; returns the graphs superseded."""
        ...

    def drop_documents(self, graphs: Iterable[str]) -> None:
        """Remove document graphs and everything only they stated."""
        ...

    def replace_graph(self, graph: str, ntriples: str | Iterable[str]) -> int:
        """Replace a non-document graph (the derived one) with N-Triples; returns the count."""
        ...

    def load_reference(self, paths: Iterable[Path] | None = None) -> bool:
        """(Re)load the reference data unless unchanged; returns whether it loaded."""
        ...

    # ----- reading -----------------------------------------------------------------------

    def query(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> Rows | bool | list[tuple[Value, Value, Value]]:
        """SPARQL over the merge of the documents, reference and derived data; bindings are
        bound as terms, never pasted into the text."""
        ...

    def select(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> Rows: ...

    def ask(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> bool: ...

    def construct(
        self, sparql: str, bindings: Mapping[str, Value] | None = None
    ) -> list[tuple[Value, Value, Value]]: ...

    def describe(self, iri: str) -> list[tuple[Value, Value, Value]]: ...

    def query_serialized(
        self, sparql: str, fmt: str = "json", bindings: Mapping[str, Value] | None = None
    ) -> bytes:
        """A query's results serialised (SPARQL results formats, or RDF)."""
        ...

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        """(subject, object) of every ``predicate`` triple the default graph holds."""
        ...

    def named_graphs(self) -> list[str]: ...

    def quad_count(self, graph: str | None = None) -> int: ...

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as N-Triples."""
        ...

    def document_ntriples(self, graph: str, hops: int = 2) -> bytes:
        """A document graph with the shared descriptions it points at (for SHACL)."""
        ...

    def log_ntriples(self) -> bytes:
        """The ingest log as N-Triples."""
        ...

    def markers(self) -> dict[str, str]:
        """Every completed graph's completion marker, by graph IRI."""
        ...

    def earlier_versions(self) -> list[str]:
        """The graphs of earlier versions kept aside."""
        ...

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Write the dataset (the ingest log left out) in an RDF format."""
        ...

    # ----- housekeeping ------------------------------------------------------------------

    def optimize(self) -> None:
        """Compact after a large load (a server does its own: a no-op there)."""
        ...

    def flush(self) -> None: ...

    def collect(self) -> int:
        """Remove shared descriptions no document mentions; returns the triples removed."""
        ...


@contextlib.contextmanager
def open_backend(ctx_obj: Any, *, write: bool) -> Iterator[Backend]:
    """Open the store the global options name (``ctx_obj.endpoint`` wins over ``.store``)."""
    endpoint = getattr(ctx_obj, "endpoint", None)
    opened: contextlib.AbstractContextManager[Backend]
    if endpoint:
        # the HTTP client is imported only for --endpoint (start-up time)
        from kommunegraf.graph.store.remote import open_remote

        opened = open_remote(endpoint, write=write)
    else:
        opened = open_store(ctx_obj.store, write=write)
    with opened as store:
        yield store
