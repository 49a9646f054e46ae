"""The embedded store (pyoxigraph on RocksDB): open it with :func:`open_store`.

The package's rooms: ``store`` (the Store and its bookkeeping), ``reading`` (SPARQL),
``derived`` (the derived and reference graphs), ``exchange`` (export and import), ``locks``
(one writer, readers between a writer's changes) and ``snapshots`` (opening, checkpoints,
repair).  What a write does is graph.store.updates' (shared with the server client); the log's
vocabulary and the errors are graph.store.model's, values and terms graph.store.values'.
Everything other code imported from the single module this package replaced is here still.
"""

from kommunegraf.graph.store.local.derived import (
    BLANK_NODE_TRIPLE,
    DERIVED_LOAD_SLICE,
    _derived_difference,
    _line_key,
)
from kommunegraf.graph.store.local.locks import (
    GATE_LOCK_FILE,
    LOCK_FILE,
    STEP_LOCK_FILE,
    STEP_WAIT,
    STEPS,
    _between_steps,
    _writer_lock,
    writer_pid,
)
from kommunegraf.graph.store.local.reading import STORE_FAULTS, _store_fault
from kommunegraf.graph.store.local.snapshots import SNAPSHOT_DIR, open_store
from kommunegraf.graph.store.local.store import Store
from kommunegraf.graph.store.model import (
    CLOSED_COMPLETE,
    DEFAULT_BASE,
    DOCUMENT_GRAPH,
    EXPORT_FORMATS,
    FORMAT,
    INGEST_COMPLETE,
    KG,
    LAST_RUN,
    RESULT_FORMATS,
    SOURCE_PATH,
    STATED_PATH,
    STORE_FORMAT,
    DocumentLoad,
    QueryError,
    StoreBusy,
    StoreError,
    StoreMissing,
    TornView,
    content_marker,
    forget_unkeyed_paths,
    reference_files,
    unmarked_query,
)
from kommunegraf.graph.store.values import IRI, XSD, BNode, Rows, Value
from kommunegraf.graph.store.values import to_term as _term
from kommunegraf.graph.store.values import to_value as _value
from kommunegraf.ontology.terms import PREFIXES as EXPORT_PREFIXES

__all__ = [
    "BLANK_NODE_TRIPLE",
    "CLOSED_COMPLETE",
    "DEFAULT_BASE",
    "DERIVED_LOAD_SLICE",
    "DOCUMENT_GRAPH",
    "EXPORT_FORMATS",
    "EXPORT_PREFIXES",
    "FORMAT",
    "GATE_LOCK_FILE",
    "INGEST_COMPLETE",
    "IRI",
    "KG",
    "LAST_RUN",
    "LOCK_FILE",
    "RESULT_FORMATS",
    "SNAPSHOT_DIR",
    "SOURCE_PATH",
    "STATED_PATH",
    "STEPS",
    "STEP_LOCK_FILE",
    "STEP_WAIT",
    "STORE_FAULTS",
    "STORE_FORMAT",
    "XSD",
    "BNode",
    "DocumentLoad",
    "QueryError",
    "Rows",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreMissing",
    "TornView",
    "Value",
    "_between_steps",
    "_derived_difference",
    "_line_key",
    "_store_fault",
    "_term",
    "_value",
    "_writer_lock",
    "content_marker",
    "forget_unkeyed_paths",
    "open_store",
    "reference_files",
    "unmarked_query",
    "writer_pid",
]
