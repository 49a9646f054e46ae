"""kommunegraf: what Danish municipalities publish about their committee meetings, as a
knowledge graph of meetings, items, cases, decisions, votes, people, parties and laws.

The repository's top-level folders install as one namespace: ``kommunegraf.extract`` (text →
records), ``kommunegraf.graph`` (records → store → answers), ``kommunegraf.ontology`` and
``kommunegraf.queries``.  This module is the public API.  Each function imports its room when
called, so that ``import kommunegraf`` costs nothing and a command that needs only the store
never loads the extractors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kommunegraf.errors import KommunegrafError
    from kommunegraf.extract.records import Record
    from kommunegraf.graph.answers.trace import TraceResult
    from kommunegraf.graph.ingest.run import Summary
    from kommunegraf.graph.store.local import Store

__all__ = ["KommunegrafError", "extract", "ingest", "open_store", "trace"]


def extract(path: str | os.PathLike[str], *, municipality: str | None = None) -> Record:
    """The extraction record of one published document (text, PDF, HTML or FirstAgenda JSON).

    Once a module of ``kommunegraf.extract`` is imported, Python puts that package under this
    name; it is callable with the same arguments (extract/__init__.py), so either answers."""
    from kommunegraf.extract import extract_path

    return extract_path(path, municipality=municipality)


def open_store(
    path: str | os.PathLike[str], *, write: bool = False
) -> AbstractContextManager[Store]:
    """The embedded store at ``path``: a snapshot for reading, or the one writer's handle."""
    from kommunegraf.graph.store.local import open_store as _open

    return _open(path, write=write)


def ingest(paths: Iterable[str | os.PathLike[str]], store: Store, **options: Any) -> Summary:
    """Extract and load files and folders into a store opened for writing; the run's summary."""
    from kommunegraf.graph.ingest.run import ingest as _ingest

    return _ingest(paths, store, **options)


def trace(store: Store, case: str, *, municipality: str | None = None) -> TraceResult:
    """Every treatment of a case, by its number (as a user types it) or a title's words."""
    from kommunegraf.graph.answers.trace import trace as _trace

    return _trace(store, case, municipality)


def __getattr__(name: str) -> Any:
    """``KommunegrafError``, the one error to catch, looked up when asked for (PEP 562), so that
    ``import kommunegraf`` imports no module of its own (the text core's import test counts)."""
    if name == "KommunegrafError":
        from kommunegraf.errors import KommunegrafError

        return KommunegrafError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
