"""Opening the embedded store: a writer under its locks, or a reader's snapshot.

Readers open the store read-only, which RocksDB allows beside a writer: they see a snapshot
as of opening (beside a running writer, read from a hard-linked checkpoint in
``<dir>/.kommunegraf-snapshots``, since the writer's compactions delete files that a
read-only handle may still need); ``GRAPH`` patterns and ``Store.documents`` then see
completed documents only.  A reader that finds unmarked graphs while no writer runs repairs
the store first, since a killed writer's batch would otherwise stay visible in the merged
graph.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kommunegraf.graph.store.local.locks import (
    _between_steps,
    _Stepped,
    _writer_lock,
    _writer_takes_steps,
    writer_pid,
)
from kommunegraf.graph.store.local.store import Store
from kommunegraf.graph.store.model import (
    BOOKS_DIR,
    BOOKS_SUFFIX,
    DEFAULT_BASE,
    StoreBusy,
    StoreError,
    StoreMissing,
)

SNAPSHOT_DIR = ".kommunegraf-snapshots"  # readers' private checkpoints while a writer runs


def _repair(folder: Path, base: str) -> None:
    """Finish what a killed writer left: opening for writing recovers the store."""
    try:
        with open_store(folder, write=True, base=base):
            pass
    except StoreBusy:
        pass  # a writer has just started; its own opening recovers the store
    except (StoreError, OSError) as exc:
        raise StoreError(
            f"store {folder} was left half-written by a killed ingest, and this user cannot "
            f"repair it ({exc}) — run `kommunegraf ingest` as a user who may write the store"
        ) from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _checkpoint(inner: ox.Store, books: ox.Store, folder: Path) -> Path | None:
    """Hard-link a private copy of what the read-only handles ``inner`` and ``books`` see
    (the bookkeeping store's at ``<copy>-books``).

    A writer's compaction deletes files that a read-only handle still reads, and pyoxigraph
    0.5 can then spin forever inside a query; a RocksDB checkpoint keeps those files alive.
    None when this user may not write in the store folder (the live folder is read then).
    """
    parent = folder / SNAPSHOT_DIR
    try:
        parent.mkdir(exist_ok=True)
        for old in parent.iterdir():  # left by killed readers (both copies of each)
            pid = old.name.partition("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    target = parent / f"{os.getpid()}-{uuid.uuid4().hex}"
    try:
        inner.backup(str(target))
        books.backup(str(target) + BOOKS_SUFFIX)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(str(target) + BOOKS_SUFFIX, ignore_errors=True)
        raise
    return target


def _snapshot(folder: Path, base: str, attempts: int = 5) -> Store:
    """A read-only snapshot; retried, because a writer compacting at the moment of opening
    can delete a file the snapshot's manifest names (RocksDB reports "Corruption"), and a
    view opened beside a writer of an earlier version can be torn (see Store._torn).

    Beside a running writer the snapshot is read from a checkpoint (see _checkpoint)."""
    for attempt in range(attempts):
        checkpoint, inner, books, store = None, None, None, None
        writing = writer_pid(folder)  # before opening too: a writer may finish meanwhile
        try:
            with _between_steps(folder) as guarded:
                inner = ox.Store.read_only(str(folder))
                books = _read_books(inner, folder, base)
                writing = writer_pid(folder) or writing
                # read while that writer cannot finish: one of an earlier version says no
                guarded = guarded and (not writing or _writer_takes_steps(folder))
                if writing:
                    checkpoint = _checkpoint(inner, books, folder)
                    if checkpoint is not None:
                        inner = ox.Store.read_only(str(checkpoint))
                        books = ox.Store.read_only(str(checkpoint) + BOOKS_SUFFIX)
            store = Store(inner, books, folder, writable=False, base=base)
            store._checkpoint = checkpoint
            store._restrict_to_complete(unguarded_writer=bool(writing) and not guarded)
            return store
        except (OSError, RuntimeError) as exc:
            inner = books = store = None  # close the handles before their checkpoint goes
            if checkpoint is not None:
                shutil.rmtree(checkpoint, ignore_errors=True)
                shutil.rmtree(str(checkpoint) + BOOKS_SUFFIX, ignore_errors=True)
            pid = writer_pid(folder) or writing
            if not pid:
                raise StoreError(f"cannot open store {folder}: {exc}") from None
            if attempt == attempts - 1:
                raise StoreBusy(
                    f"store {folder} is busy: kommunegraf pid {pid} is writing it and no "
                    "consistent snapshot could be read — try again when it has finished"
                ) from None
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _read_books(inner: ox.Store, folder: Path, base: str) -> ox.Store:
    """The bookkeeping store, read-only; a store folder without one was written by an
    earlier kommunegraf (its log is a graph of the data store: Store.check_layout says so in
    one line), or is being made by a writer that has not opened it yet (an empty store)."""
    Store.check_layout(inner, folder, base)
    books = folder / BOOKS_DIR
    if not (books / "CURRENT").is_file():
        return ox.Store()  # empty: no document is complete yet
    return ox.Store.read_only(str(books))


# How Oxigraph's messages for a fault of the store's files begin ("Corruption: block checksum
# mismatch", "Not able to find the string with id …", "the term buffer has an invalid type
# id"), as opposed to the query's own failures: a SERVICE that does not answer is an OSError


def _open_read_only(folder: Path, base: str) -> Store:
    """A snapshot for reading.

    Graphs without a completion marker while no writer runs were left by a killed writer,
    and their triples are still in the merged default graph that queries read: the store is
    repaired (as the next writer would) before the snapshot is taken again.
    """
    store = _snapshot(folder, base)
    if store._visible is not None and not writer_pid(folder):
        store._release()
        _repair(folder, base)
        store = _snapshot(folder, base)
    return store


@contextlib.contextmanager
def open_store(
    path: str | os.PathLike[str], *, write: bool, base: str | None = None
) -> Iterator[Store]:
    """Open the store at ``path`` for writing (exclusive; recovers from a killed writer) or
    reading (a snapshot; allowed beside a writer)."""
    folder = Path(path)
    base = base or os.environ.get("KOMMUNEGRAF_BASE") or DEFAULT_BASE
    if write:
        with _writer_lock(folder):
            try:
                inner = _Stepped(folder)
            except OSError as exc:
                if "lock" in str(exc).lower():
                    raise StoreBusy(
                        f"store {folder} is in use by another process (not kommunegraf) — "
                        "stop it or use another --store"
                    ) from None
                raise StoreError(f"cannot open store {folder}: {exc}") from None
            store = Store(inner, inner.books, folder, writable=True, base=base)
            try:
                store._recover()
                store._set_closed_complete(False)
                yield store
                store._set_closed_complete(True)
                store.flush()
            finally:
                inner.close()
                del store._store, store._books
                del inner
        return
    if not (folder / "CURRENT").is_file():
        raise StoreMissing(
            f"no store at {folder} — run `kommunegraf ingest` first (or pass --store)"
        )
    store = _open_read_only(folder, base)
    try:
        yield store
    finally:
        store._release()
