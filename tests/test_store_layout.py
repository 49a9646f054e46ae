"""The store's code layout (issue 20): both backends write through one update logic, each
module is one sitting's read, and the import paths other code uses still work.

Why: the embedded store and the server client each had their own copy of what a batch, a
replacement, a removal and a move aside do, and the copies drifted (a FILTER one had and the
other lacked).  These assertions fail if a backend grows its own copy again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from kommunegraf.graph.store.local import Store
from kommunegraf.graph.store.remote import RemoteStore
from kommunegraf.graph.store.updates import DocumentUpdates

STORE = Path(__file__).resolve().parent.parent / "graph" / "store"
SHARED = ("replace_documents", "drop_documents", "_aside", "_log_changes")
SHARED += ("_forget_ops", "_unmark_ops")


@pytest.mark.parametrize("backend", [Store, RemoteStore])
@pytest.mark.parametrize("name", SHARED)
def test_both_backends_write_through_the_one_update_logic(backend: type, name: str) -> None:
    assert getattr(backend, name) is getattr(DocumentUpdates, name)


def test_only_the_layout_specific_steps_differ() -> None:
    """The embedded store keeps each triple once (a retraction is a DROP, a move aside
    copies into its bookkeeping store, phases run store by store); the server keeps the
    merged layout, whose steps are the shared defaults."""
    for name in ("_retract_ops", "_aside_parts", "_apply", "_one_step"):
        assert getattr(Store, name) is not getattr(DocumentUpdates, name), name
        assert getattr(RemoteStore, name) is getattr(DocumentUpdates, name), name


@pytest.mark.parametrize("backend", [Store, RemoteStore])
def test_each_backend_answers_every_hook_of_the_update_logic(backend: type) -> None:
    """A hook left to DocumentUpdates would raise NotImplementedError in the middle of a write."""
    hooks = ("_update", "_unchanged", "_paths_of", "_shown_versions", "_names", "_prepare")
    hooks += ("_load", "_path_secret", "_require_writable")
    for hook in hooks:
        assert getattr(backend, hook) is not getattr(DocumentUpdates, hook), hook


def test_no_store_module_is_longer_than_a_sitting() -> None:
    long = {
        str(path.relative_to(STORE)): n
        for path in STORE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (
            "kommunegraf.graph.store.local",
            "Store open_store IRI BNode Rows Value StoreError StoreBusy StoreMissing QueryError "
            "TornView DocumentLoad DEFAULT_BASE DOCUMENT_GRAPH KG LOCK_FILE STORE_FORMAT FORMAT "
            "INGEST_COMPLETE EXPORT_FORMATS EXPORT_PREFIXES content_marker reference_files "
            "writer_pid unmarked_query _term _value",
        ),
        (
            "kommunegraf.graph.store.remote",
            "RemoteStore open_remote bind_values values_block endpoints_for credentials "
            "USER_ENV PASSWORD_ENV TIMEOUT_ENV UPDATE_ENV STORE_ENV",
        ),
    ],
)
def test_the_public_import_paths_still_work(module: str, names: str) -> None:
    imported = importlib.import_module(module)
    missing = [name for name in names.split() if not hasattr(imported, name)]
    assert missing == []
