"""The embedded store's locks: one writer at a time, and readers that never open a view in
the middle of a writer's change.

Only one process writes at a time (``flock`` on ``<dir>/.kommunegraf.lock``, with its pid in
it).  RocksDB opens a read-only view from its file list and its write-ahead log, read at two
moments; a writer's change between them tears the view (a marker without its batch, a term
without its text).  So a writer holds ``<dir>/.kommunegraf-step.lock`` through each change
(flushed before it lets go) and a reader holds it shared while it opens and copies its view;
a gate (``<dir>/.kommunegraf-gate.lock``) lets a writer waiting for its next change go before
readers that come later.  The writer says in its lock file that it takes the step lock, so
that readers beside a writer of an earlier version still check their view themselves.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kommunegraf.graph.store.model import BOOKS_DIR, StoreBusy, StoreError

LOCK_FILE = ".kommunegraf.lock"
# Held by a writer through each change it makes (exclusive) and by a reader while it opens its
# snapshot (shared): RocksDB opens a view from its file list and its log read at two moments,
# and a change between them would tear the view.
STEP_LOCK_FILE = ".kommunegraf-step.lock"
# Held by a writer from before it waits for the step lock until its change is done, and by a
# reader only while it takes the step lock: a writer waits for the readers already opening,
# never for a stream of new ones (flock itself lets shared holders overtake a waiting writer).
GATE_LOCK_FILE = ".kommunegraf-gate.lock"
STEPS = "steps"  # what a writer that takes the step lock writes after its pid in LOCK_FILE
STEP_WAIT = 60.0  # seconds a reader waits for one change to end (a compaction-sized one)


def _lock_words(lock_path: Path) -> list[str]:
    """What the lock file says: the holder's pid, then STEPS from a writer that steps."""
    try:
        return lock_path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def _lock_holder(lock_path: Path) -> str:
    return next(iter(_lock_words(lock_path)), "?")


def _writer_takes_steps(folder: Path) -> bool:
    """Whether the running writer said it takes the step lock (one of an earlier version
    does not, though a later one may have left the lock file behind)."""
    return STEPS in _lock_words(folder / LOCK_FILE)[1:]


def _busy_message(path: Path, pid: str) -> str:
    return (
        f"store {path} is in use by another kommunegraf process (pid {pid}) — "
        "wait for it to finish or use another --store"
    )


def writer_pid(path: Path) -> str | None:
    """The pid of the kommunegraf process writing the store at ``path``, if one is."""
    lock_path = Path(path) / LOCK_FILE
    try:
        fd = os.open(lock_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return _lock_holder(lock_path)
        raise
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    path.mkdir(parents=True, exist_ok=True)
    lock_path = path / LOCK_FILE
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise StoreBusy(_busy_message(path, _lock_holder(lock_path))) from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {STEPS}\n".encode("ascii"))
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class _Stepped:
    """A writer's pyoxigraph handle whose every change holds the step lock (exclusive).

    The in-memory table is flushed before the lock is let go, so that no flush is left
    running in the background while a reader opens its view.  Compaction is not a change:
    it leaves the content as it was.  :meth:`step` holds the lock across several changes.
    """

    _CHANGES = frozenset(
        {"update", "add", "remove", "extend", "load", "clear", "clear_graph", "remove_graph"}
        | {"add_graph", "bulk_load", "bulk_extend"}
    )

    def __init__(self, folder: Path) -> None:
        """Open the store at ``folder`` (under the lock: opening replays RocksDB's log);
        raises OSError as ``ox.Store`` does."""
        self._step_fd = os.open(folder / STEP_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        self._gate_fd = os.open(folder / GATE_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        # flock is held per open file, not per thread: changes from two threads of the
        # writer (the ingest's loader and its main thread) take turns here first
        self._turn = threading.Lock()
        self._owner: int | None = None  # the thread inside a change: its own nest in it
        self._closed = False
        self._inner: ox.Store | None = None
        self._books: ox.Store | None = None
        try:
            with self._locked():
                self._inner = ox.Store(str(folder))
                self._books = ox.Store(str(folder / BOOKS_DIR))
        except BaseException:
            self._let_go()
            raise

    def __len__(self) -> int:
        return len(self._open())

    def _open(self) -> ox.Store:
        if self._closed or self._inner is None:
            raise StoreError("this store was closed; open it again (open_store)")
        return self._inner

    def _open_books(self) -> ox.Store:
        self._open()
        assert self._books is not None  # opened with the data store
        return self._books

    @property
    def books(self) -> _Sibling:
        """The bookkeeping store, its changes under this handle's step lock."""
        return _Sibling(self)

    @contextlib.contextmanager
    def step(self) -> Iterator[None]:
        self._open()  # before any lock: a closed wrapper's descriptors may be another's now
        if self._owner == threading.get_ident():  # a change made inside a change
            yield
            return
        with self._locked():
            self._owner = threading.get_ident()
            try:
                yield
            finally:
                self._owner = None
                if self._inner is not None:
                    self._inner.flush()  # nothing to do after a bulk load alone
                if self._books is not None:
                    self._books.flush()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This thread's turn, then the gate, then the step lock (exclusive)."""
        with (
            self._turn,
            _holding(self._gate_fd, fcntl.LOCK_EX),
            _holding(self._step_fd, fcntl.LOCK_EX),
        ):
            yield

    def close(self) -> None:
        """Let the handle go, under the lock (closing may write what is left), then the lock
        files."""
        if self._closed:
            return
        try:
            with self.step():
                self._inner = None
                self._books = None
        finally:
            self._let_go()

    def _let_go(self) -> None:
        self._closed = True
        os.close(self._step_fd)
        os.close(self._gate_fd)

    def __getattr__(self, name: str) -> Any:
        return _stepped_attribute(self, self._open, name)


class _Sibling:
    """The bookkeeping store of a :class:`_Stepped` handle: every change under its lock."""

    def __init__(self, stepped: _Stepped) -> None:
        self._stepped = stepped

    def __len__(self) -> int:
        return len(self._stepped._open_books())

    def __getattr__(self, name: str) -> Any:
        return _stepped_attribute(self._stepped, self._stepped._open_books, name)


def _stepped_attribute(stepped: _Stepped, target: Callable[[], ox.Store], name: str) -> Any:
    """``name`` of the store ``target`` gives: a change wrapped to run under ``stepped``'s
    step lock, anything else as it is."""
    if name not in _Stepped._CHANGES:
        return getattr(target(), name)

    def change(*args: Any, **kwargs: Any) -> Any:
        with stepped.step():  # the method is looked up now: a traceback keeps no handle
            return getattr(target(), name)(*args, **kwargs)

    return change


@contextlib.contextmanager
def _holding(fd: int, kind: int) -> Iterator[None]:
    fcntl.flock(fd, kind)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def _between_steps(folder: Path) -> Iterator[bool]:
    """Hold the step lock shared: no writer is in the middle of a change meanwhile.

    Waits up to STEP_WAIT for the change under way, passing the gate first so that a writer
    waiting for its next change goes before readers that come after it.  Gives whether it
    holds the lock: a store no writer of this version has opened has no lock file, and is
    read as it is.
    """
    try:
        fd = os.open(folder / STEP_LOCK_FILE, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        gate = os.open(folder / GATE_LOCK_FILE, os.O_RDONLY)
    except OSError:
        gate = None
    try:
        deadline = time.monotonic() + STEP_WAIT
        while not _take_shared(fd, gate):
            if time.monotonic() >= deadline:
                pid = writer_pid(folder) or "?"
                raise StoreBusy(
                    f"store {folder} is busy: kommunegraf pid {pid} has been changing it "
                    f"for over {STEP_WAIT:g} s — try again when it has finished"
                )
            time.sleep(0.002)  # a writer lets go only between its changes: look often
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
        if gate is not None:
            os.close(gate)


def _take_shared(fd: int, gate: int | None) -> bool:
    """The step lock shared, through the gate (exclusive, for a moment); False: not now."""
    try:
        if gate is not None:
            fcntl.flock(gate, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        if gate is not None:
            fcntl.flock(gate, fcntl.LOCK_UN)
