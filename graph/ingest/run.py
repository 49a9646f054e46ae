"""Files and folders → the store: parallel extraction, bulk loading in batches.

Extraction runs in worker processes (``--jobs``); a worker returns each document's N-Quads
text (cheap to pickle, fast to bulk-load), never RDF objects.  The pipeline streams: the
folder walk is lazy, at most a few chunks of files are in flight, and a batch is loaded once
it holds ``batch_quads`` quads — so memory stays flat however large the corpus, and only the
store grows.  A batch loads in a background thread (the bulk loader releases the GIL) while
the workers extract the next one; at most one batch is loading and one filling.  Each batch
is one bulk load whose documents are marked complete together (see graph.store.local), so a
killed ingest leaves every document wholly in or wholly absent.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import select
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kommunegraf.graph.ingest.versions import Overlap
from kommunegraf.graph.store.local import DocumentLoad, Store, StoreError

SUFFIXES = frozenset({".txt", ".pdf", ".html", ".htm", ".json"})
# "<meeting id>.meta.json": the sidecar fetch writes beside a FirstAgenda meeting (contracts.md).
# It describes the meeting next to it and is read with it, never as a document of its own.
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_ERROR = "a fetch sidecar (.meta.json): it is read with the meeting beside it"
# The one reason for a path that exists but is no regular file (the loader says the same).
NOT_REGULAR = "not a regular file"
CHUNK_FILES = 4  # files per task sent to a worker: amortises the inter-process round trip
WORKER_NICENESS = 10  # added to the workers' niceness (lower priority than the loader)
WATCH_SECONDS = 1.0  # how often a worker checks that its ingest lives (where no pidfd)
BATCH_QUADS = 100_000  # quads per bulk load (≈ 20 MB of N-Quads text)
# Bulk loads leave many overlapping files behind, and every read merges them: right after
# 10,000 documents, bundled queries ran 4-6x slower than after a compaction (23 s).  A run
# compacts when it loaded at least this many quads and this share of the store's quads, so
# a large first load is compacted and a small daily addition to a national store is not
# (compaction rewrites the whole store); `ingest --compact` forces it.
COMPACT_MIN_QUADS = 1_000_000
COMPACT_MIN_SHARE = 0.25
# Recomputing the derived graph whole took 33 s after 20 documents went into 10,000, and it
# grows with the store.  A run that only adds documents to a store of at least
# PARTIAL_MIN_DOCUMENTS recomputes the threads of the municipalities it touched instead
# (exact, about a second) and leaves cross-municipality links and centrality as last
# computed, as long as the documents added since then stay within PARTIAL_MAX_SHARE of those
# they were computed over; past that the run recomputes whole, so they are never staler.
# `ingest --derived whole` refreshes everything now.
PARTIAL_MIN_DOCUMENTS = 2_000
PARTIAL_MAX_SHARE = 0.10
DERIVED_MODES = ("auto", "whole", "threads")


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one file: a mapped document, or the reason it failed."""

    path: str
    graph: str = ""
    nquads: str = ""
    sha256: str = ""
    quads: int = 0
    items: int = 0
    decisions: int = 0
    error: str | None = None
    meeting: str | None = None  # the meeting IRI (graph.ingest.versions: one document shown)
    version: str = ""  # graph.ingest.versions.version_key


SKIPPED_NAMED = 5  # skipped files named in the summary (the rest counted)
# What the store holds beside the documents, said where the summary counts quads: a new store
# holds ~20,000 quads of reference data before the first document.
REFERENCE_NOTE = " (besides the reference data: municipalities, parties, laws, KLE; see `stats`)"


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 document", "2 documents" (``words`` for an irregular plural)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


@dataclass
class Summary:
    """Counts for the user; numbers only, so that it does not grow with the corpus."""

    files: int = 0
    documents: int = 0
    loaded: int = 0  # documents whose batch is wholly in (the rest are being loaded)
    duplicates: int = 0
    items: int = 0
    decisions: int = 0
    quads: int = 0
    errors: int = 0
    skipped: int = 0
    skipped_files: list[str] = field(default_factory=list)  # the first few, by name
    loops: int = 0
    superseded: int = 0
    overlaps: int = 0  # documents set aside as earlier versions of a meeting shown by another
    without_items: int = 0
    seconds: float = 0.0
    store_quads: int | None = None  # counted only where it decides a compaction
    threads: bool = False
    threads_error: str | None = None
    compact_seconds: float | None = None  # set when the run compacted the store
    threads_partial: int | None = None  # municipalities whose threads alone were recomputed
    links_over: int | None = None  # then: the documents links and centrality were computed over
    error_lines: list[str] = field(default_factory=list)  # the first few, for callers

    @property
    def failed(self) -> bool:
        """Whether the exit status should say something went wrong."""
        return bool(self.errors or self.threads_error)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def _skipped(self) -> str:
        """How many files were passed over, and which (the first few by name)."""
        text = f"{self.skipped} (not {'/'.join(sorted(SUFFIXES))})"
        if self.skipped_files:
            more = self.skipped - len(self.skipped_files)
            text += ": " + ", ".join(self.skipped_files) + (f" and {more} more" if more else "")
        return text

    def lines(self) -> list[str]:
        """The summary as aligned ``name  value`` lines."""
        dup = f" (+{self.duplicates} duplicate{'s' * (self.duplicates != 1)})"
        stored = f", {self.store_quads} in store" if self.store_quads is not None else ""
        rows = [
            ("documents", f"{self.documents}{dup if self.duplicates else ''}"),
            ("items", str(self.items)),
            ("decisions", str(self.decisions)),
            ("quads", f"{self.quads} loaded from the documents{stored}{REFERENCE_NOTE}"),
            ("errors", str(self.errors)),
            ("skipped", self._skipped()),
        ]
        if self.superseded:
            rows.append(("replaced", f"{self.superseded} older version(s) of edited files"))
        if self.overlaps:
            rows.append(
                (
                    "overlaps",
                    f"{self.overlaps} document(s) of a meeting already shown by another "
                    "kept as earlier versions (see the warnings)",
                )
            )
        if self.without_items:
            rows.append(("no items", f"{self.without_items} document(s): no agenda item found"))
        if self.loops:
            rows.append(("loops", f"{self.loops} symbolic link loop(s) not followed"))
        if self.threads_error:
            rows.append(("threads", "NOT recomputed (see the error above)"))
        elif self.threads_partial == 0:
            rows.append(("threads", "unchanged (no document added)"))
        elif self.threads_partial is not None:
            rows.append(
                (
                    "threads",
                    f"recomputed for the {self.threads_partial} municipalit"
                    f"{'y' if self.threads_partial == 1 else 'ies'} this run touched; "
                    "cross-municipality links and centrality as computed over "
                    f"{self.links_over if self.links_over is not None else 'fewer'} documents "
                    "(--derived whole refreshes them)",
                )
            )
        if self.compact_seconds is not None:
            rows.append(("compacted", f"{self.compact_seconds:.1f} s (faster reads from now on)"))
        rows += [
            ("seconds", f"{self.seconds:.1f}"),
            ("docs/s", f"{self.docs_per_second:.1f}"),
        ]
        return [f"{name:<10} {value}" for name, value in rows]


class Reporter(Protocol):
    """Where progress, per-file errors and warnings go (a progress bar or plain lines)."""

    def start(self, total: int) -> None: ...
    def advance(self, files: int, summary: Summary) -> None: ...
    def error(self, line: str) -> None: ...
    def warning(self, line: str) -> None: ...
    def loaded(self, summary: Summary) -> None: ...
    def phase(self, line: str) -> None: ...
    def stop(self) -> None: ...


class PlainReporter:
    """One line per loaded batch, and one per failed file, on stderr (logs, CI, pipes)."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, files: int, summary: Summary) -> None:
        pass

    def error(self, line: str) -> None:
        self.echo(f"error: {line}")

    def warning(self, line: str) -> None:
        self.echo(f"warning: {line}")

    def loaded(self, summary: Summary) -> None:
        self.echo(
            f"ingest: {summary.files}/{self.total} files, "
            f"{plural(summary.loaded, 'document')} loaded, {plural(summary.errors, 'error')}"
        )

    def phase(self, line: str) -> None:
        self.echo(f"ingest: {line}")

    def stop(self) -> None:
        pass


class ProgressReporter:
    """A rich progress bar on stderr (a terminal); errors print above it."""

    def __init__(self) -> None:
        from kommunegraf.graph.progress import progress_bar

        self.progress = progress_bar(
            "ingest", "{task.fields[docs]} loaded · {task.fields[errors]} errors"
        )
        self.task = self.progress.add_task("ingest", total=None, docs=0, errors=0)

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def advance(self, files: int, summary: Summary) -> None:
        self.progress.update(self.task, advance=files, errors=summary.errors)

    def error(self, line: str) -> None:
        self.progress.console.print(f"[red]error:[/red] {line}", markup=True, highlight=False)

    def warning(self, line: str) -> None:
        self.progress.console.print(f"[yellow]warning:[/yellow] {line}", highlight=False)

    def loaded(self, summary: Summary) -> None:
        self.progress.update(self.task, docs=summary.loaded)

    def phase(self, line: str) -> None:
        self.progress.console.print(f"ingest: {line}", highlight=False)

    def stop(self) -> None:
        self.progress.stop()


def shown(path: str | os.PathLike[str]) -> str:
    """A path for a one-line message: a file name holding a line break or another control
    character (or bytes that are not UTF-8) cannot break the line or fake another message."""
    text = os.fspath(path)
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode()
        for ch in text
    )


# ----- finding files ------------------------------------------------------------------------


@dataclass
class _Walk:
    skipped: int = 0
    skipped_files: list[str] = field(default_factory=list)  # the first SKIPPED_NAMED
    loops: list[str] = field(default_factory=list)


def find_files(
    paths: Iterable[str | os.PathLike[str]], walk: _Walk | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Each file to ingest, with an error when it cannot be (missing, unsupported suffix).

    Folders are walked recursively in name order, following symbolic links but never into a
    folder that is its own ancestor (a loop, recorded in ``walk.loops``) nor twice into one
    folder.  Files with other suffixes inside folders are counted in ``walk.skipped``; a file
    named on the command line with another suffix is an error (the user asked for it).
    """
    walk = walk if walk is not None else _Walk()
    seen: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            st = path.stat()
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                yield from _walk_folder(path, frozenset({key}), seen, walk)
        elif path.is_file():
            if path.name.lower().endswith(SIDECAR_SUFFIX):
                yield path, SIDECAR_ERROR
            elif path.suffix.lower() in SUFFIXES:
                yield path, None
            else:
                yield path, f"not a minutes file (expected {', '.join(sorted(SUFFIXES))})"
        elif path.is_symlink():
            yield path, _link_error(path)
        elif path.exists():  # a FIFO, socket or device: reading it would block or never end
            yield path, NOT_REGULAR
        else:
            yield path, "no such file or folder"


def _link_error(path: Path) -> str:
    """Why a symbolic link cannot be read: it points nowhere, round in a loop, or at a FIFO."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return "broken symbolic link"
    return NOT_REGULAR  # it resolves, yet is neither a folder nor a regular file


def _walk_folder(
    folder: Path, ancestors: frozenset[tuple[int, int]], seen: set[tuple[int, int]], walk: _Walk
) -> Iterator[tuple[Path, str | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"cannot read folder: {exc.strerror or exc}"
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = not is_dir and entry.is_file(follow_symlinks=True)
        except OSError:  # a symlink loop pointing at itself: ELOOP on stat
            is_dir = is_file = False
        if is_dir:
            st = entry.stat(follow_symlinks=True)
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                walk.loops.append(f"{path} -> {os.path.realpath(path)}")
                continue
            if key in seen:
                continue
            seen.add(key)
            yield from _walk_folder(path, ancestors | {key}, seen, walk)
        elif path.name.lower().endswith(SIDECAR_SUFFIX):
            continue  # belongs to the meeting beside it: neither a document nor skipped
        elif path.suffix.lower() not in SUFFIXES:
            walk.skipped += 1
            if len(walk.skipped_files) < SKIPPED_NAMED:
                walk.skipped_files.append(shown(path))
        elif is_file:
            yield path, None
        elif entry.is_symlink():
            yield path, _link_error(path)
        else:  # a FIFO or socket named like minutes: the user meant it to go in, so say why not
            yield path, NOT_REGULAR


# ----- the worker side ------------------------------------------------------------------------


def extract_file(path: str, base: str) -> Outcome:
    """Extract and map one file; any failure becomes the file's one-line reason."""
    from kommunegraf.extract import extract_path
    from kommunegraf.extract.load import LoadError
    from kommunegraf.graph.ingest.versions import meeting_of, stamp_of, version_key
    from kommunegraf.graph.rdf.mapping import map_record

    def ocr_progress(page: int, pages: int) -> None:  # a scan is read by OCR: seconds a page
        print(f"ocr: {path}: page {page}/{pages}", file=sys.stderr, flush=True)

    try:
        record = extract_path(path, on_page=ocr_progress)
        mapped = map_record(record, base=base)
        meeting = meeting_of(record, base)
        version = version_key(record.meeting.kind, stamp_of(path))
    except LoadError as exc:
        return Outcome(path, error=getattr(exc, "reason", None) or str(exc))
    except (OSError, ValueError, UnicodeError) as exc:
        return Outcome(path, error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug on one document must not abort a corpus-wide ingest
        return Outcome(path, error=f"internal error {type(exc).__name__}: {exc}")
    return Outcome(
        path=path,
        graph=mapped.graph,
        nquads=mapped.nquads,
        sha256=record.source.sha256,
        quads=mapped.quads,
        items=mapped.items,
        decisions=mapped.decisions,
        meeting=meeting,
        version=version,
    )


def _extract_chunk(paths: list[str], base: str) -> list[Outcome]:
    return [extract_file(p, base) for p in paths]


def _chunks(files: Iterator[tuple[Path, str | None]], size: int) -> Iterator[list[Path]]:
    """The files, in groups of ``size``."""
    chunk: list[Path] = []
    for path, _ in files:
        chunk.append(path)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Workers from a fork server: they do not inherit the store's lock or RocksDB threads."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract", "kommunegraf.graph.rdf.mapping"])
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _start_worker(ingest_pid: int) -> None:
    """Lower the worker's priority, and end it when the ingest that started it is gone."""
    _yield_to_loader()
    threading.Thread(
        target=_exit_with, args=(ingest_pid,), name="kommunegraf-watch", daemon=True
    ).start()


def _yield_to_loader() -> None:
    """Workers run at a lower priority than the loading thread: with as many workers as
    cores, the loader is what ingest waits for, and extraction fills the time it leaves."""
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(WORKER_NICENESS)


def _exit_with(pid: int) -> None:
    """Return only to end this worker once process ``pid`` has ended.

    A worker holds both ends of its task queue, so it would wait for tasks for ever after a
    killed ingest (SIGKILL runs no clean-up): an orphan per worker, found hours later.  The
    worker's parent is the fork server, so ``os.getppid`` cannot tell; a pidfd (Linux ≥ 5.3)
    waits without polling and cannot mistake a reused pid, elsewhere the pid is polled.
    """
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])  # readable once the process has exited
    else:
        while _alive(pid):
            time.sleep(WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (the pid was reused)
        return False
    return True


def _outcomes(
    files: Iterator[tuple[Path, str | None]], jobs: int, base: str
) -> Iterator[tuple[int, list[Outcome]]]:
    """(files consumed, outcomes) as they complete; at most ``2 * jobs`` chunks in flight.

    A worker that dies breaks the whole pool and every task in flight with it: a new pool
    retries those files one at a time, so only a file that kills a worker on its own fails.
    """
    bad: list[Outcome] = []

    def good() -> Iterator[tuple[Path, str | None]]:
        for path, error in files:
            if error is None:
                yield path, None
            else:
                bad.append(Outcome(str(path), error=error))

    chunks = _chunks(good(), CHUNK_FILES)
    if jobs <= 1:
        for chunk in chunks:
            outcomes = _extract_chunk([str(p) for p in chunk], base)
            yield len(chunk) + len(bad), bad + outcomes
            bad.clear()
        if bad:
            yield len(bad), list(bad)
        return

    pool = _pool(jobs)
    # (files, alone): ``alone`` marks a retried file that was the only task in flight, so a
    # worker dying on it is that file's doing.
    pending: dict[Future[list[Outcome]], tuple[list[Path], bool]] = {}
    suspects: list[Path] = []  # files in flight when a worker died, retried one at a time
    exhausted = False
    try:
        while pending or suspects or not exhausted:
            if suspects:
                if not pending:
                    retry = [suspects.pop(0)]
                    pending[pool.submit(_extract_chunk, [str(retry[0])], base)] = (retry, True)
            else:
                while not exhausted and len(pending) < 2 * jobs:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    future = pool.submit(_extract_chunk, [str(p) for p in chunk], base)
                    pending[future] = (chunk, False)
            if bad:
                yield len(bad), list(bad)
                bad.clear()
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                chunk, alone = pending.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory, crashed)
                    broken = True
                    if not alone:  # which file of the tasks in flight did it is unknown
                        suspects.extend(chunk)
                        continue
                    reason = "the extraction worker died on this file (killed, out of memory?)"
                    outcomes = [Outcome(str(p), error=reason) for p in chunk]
                except Exception as exc:
                    reason = f"extraction worker failed: {type(exc).__name__}: {exc}"
                    outcomes = [Outcome(str(p), error=reason) for p in chunk]
                yield len(chunk), outcomes
            if broken:  # the pool is unusable; the tasks still in flight died with it
                pool.shutdown(wait=True, cancel_futures=True)
                for future, (chunk, _) in list(pending.items()):
                    try:
                        finished = future.result()
                    except Exception:
                        suspects.extend(chunk)
                    else:
                        yield len(chunk), finished
                pending.clear()
                pool = _pool(jobs)
        if bad:
            yield len(bad), list(bad)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ----- the loader -----------------------------------------------------------------------------


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    jobs: int | None = None,
    batch_quads: int = BATCH_QUADS,
    reporter: Reporter | None = None,
    compact: bool | None = None,
    derived: str = "auto",
) -> Summary:
    """Ingest files and folders into a writable store; returns the summary.

    Every document replaces its named graph (and the graph of an older version of the same
    file); a document met twice in one run (same sha256 under two names) is loaded once.
    ``compact`` True/False forces or forbids compacting the store at the end; ``None``
    decides by :func:`should_compact`.  ``derived`` ("auto", "whole" or "threads") says how
    the derived graph is brought up to date: see :func:`partial_threads`.
    """
    if derived not in DERIVED_MODES:
        raise ValueError(f"derived must be one of {', '.join(DERIVED_MODES)}, not {derived!r}")
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    reporter = reporter or PlainReporter()
    summary = Summary()
    run = uuid.uuid4().hex
    paths = [Path(p) for p in paths]

    store.load_reference()
    reporter.start(sum(1 for _ in find_files(paths, _Walk())))
    walk = _Walk()
    batch: dict[str, DocumentLoad] = {}
    batch_size = 0
    loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kommunegraf-load")
    loading: Future[list[str]] | None = None
    in_flight: set[str] = set()  # graphs of the batch being loaded
    run_graphs: set[str] = set()  # the document graphs this run writes (not unchanged ones)
    # Before any document changes: the documents, and whether the threads are up to date
    # with them (a local store can then patch its threads after the run).
    from kommunegraf.graph.analysis import threads

    patchable = _patchable(store)
    existing: set[str] = store.documents() if patchable else set()
    current = patchable and threads.threads_current(store, existing)
    forgotten = not patchable  # the threads' count is dropped before the first write

    overlaps: list[Overlap] = []  # filled by the loader thread, read after each settle
    hidden = 0  # documents shown before this run and set aside by it

    def settle() -> None:
        """Wait for the batch being loaded; its errors surface here, in the main thread."""
        nonlocal loading, hidden
        if loading is not None:
            done, loading = loading, None
            summary.superseded += len(done.result())
            summary.loaded += len(in_flight)
            in_flight.clear()
            for overlap in overlaps:
                summary.overlaps += 1
                reporter.warning(shown(overlap.line()))
                # set aside in the run that loaded it: no document of this run after all;
                # set aside from the store: a document removed, so the threads go whole
                run_graphs.discard(overlap.earlier)
                if overlap.earlier in existing:
                    hidden += 1
            overlaps.clear()
            reporter.loaded(summary)

    def flush(*, wait_for_it: bool = False) -> None:
        nonlocal batch, batch_size, loading, forgotten
        settle()
        if batch:
            if not forgotten:
                threads.forget_threads_count(store)
                forgotten = True
            in_flight.update(g for g, d in batch.items() if d.nquads is not None)
            loading = loader.submit(
                store.replace_documents,
                list(batch.values()),
                run=run,
                loaded=run_graphs,
                overlaps=overlaps,
            )
            batch, batch_size = {}, 0
        if wait_for_it:
            settle()

    try:
        for consumed, outcomes in _outcomes(find_files(paths, walk), jobs, store.base):
            for outcome in outcomes:
                summary.files += 1
                name = os.path.abspath(outcome.path)
                if outcome.error is not None:
                    summary.errors += 1
                    line = f"{shown(outcome.path)}: {outcome.error}"
                    if len(summary.error_lines) < 100:
                        summary.error_lines.append(line)
                    reporter.error(line)
                    continue
                if (
                    outcome.graph in batch
                    or outcome.graph in in_flight
                    or store.completed_in_run(outcome.graph, run)
                ):
                    summary.duplicates += 1
                    first = batch.get(outcome.graph)
                    nquads = first.nquads if first else None
                    paths_so_far = first.paths if first else ()
                    batch[outcome.graph] = DocumentLoad(
                        outcome.graph,
                        nquads,
                        outcome.sha256,
                        (*paths_so_far, name),
                        outcome.meeting,
                        outcome.version,
                    )
                    continue
                batch[outcome.graph] = DocumentLoad(
                    outcome.graph,
                    outcome.nquads,
                    outcome.sha256,
                    (name,),
                    outcome.meeting,
                    outcome.version,
                )
                batch_size += outcome.quads
                summary.documents += 1
                if not outcome.items:  # kept (its metadata may be useful), but worth a look
                    summary.without_items += 1
                    reporter.warning(
                        f"{shown(outcome.path)}: no agenda items recognised; "
                        "ingested as a document without items"
                    )
                summary.items += outcome.items
                summary.decisions += outcome.decisions
                summary.quads += outcome.quads
            reporter.advance(consumed, summary)
            for loop in walk.loops[summary.loops :]:
                reporter.warning(f"symbolic link loop not followed: {shown(loop)}")
            summary.loops = len(walk.loops)
            if batch_size >= batch_quads:
                flush()
        flush(wait_for_it=True)
        summary.skipped = walk.skipped
        summary.skipped_files = list(walk.skipped_files)
        municipalities = partial_threads(
            store,
            derived,
            sorted(run_graphs),
            summary.superseded + hidden,
            existing=existing,
            current=current,
        )
        if municipalities is None:
            if summary.loaded:  # (nothing loaded: no news, whatever the threads need)
                reporter.phase(
                    f"{plural(summary.loaded, 'document')} loaded; computing case threads"
                )
        elif not municipalities:
            summary.threads_partial = 0
        else:
            reporter.phase(
                f"{plural(summary.loaded, 'document')} loaded; computing the case threads of "
                f"{len(municipalities)} municipalit{'y' if len(municipalities) == 1 else 'ies'}"
            )
            summary.threads_partial = len(municipalities)
            summary.links_over = threads.computed_over(store)
        try:
            summary.threads = recompute_threads(store, municipalities)
        except StoreError as exc:  # the documents are in; only the derived graph is stale
            summary.threads_error = str(exc)
            reporter.error(f"case threads not recomputed: {exc}")
    finally:
        if loading is not None:  # an error elsewhere: let the load finish before the store closes
            with contextlib.suppress(Exception):
                loading.result()
        loader.shutdown(wait=True)
        reporter.stop()
    # Counting reads the whole store (1 s at 10,000 documents, a quarter of a small run's
    # time there), so only a run that may compact counts it; `kommunegraf stats` tells.
    may_compact = compact if compact is not None else summary.quads >= COMPACT_MIN_QUADS
    if may_compact:
        summary.store_quads = store.quad_count()
    if may_compact and (compact or should_compact(summary.quads, summary.store_quads or 0)):
        reporter.phase(f"compacting the store ({summary.store_quads} quads) for faster reads")
        began = time.perf_counter()
        store.optimize()
        summary.compact_seconds = time.perf_counter() - began
    summary.seconds = time.perf_counter() - started
    return summary


def should_compact(run_quads: int, store_quads: int) -> bool:
    """Whether a run loaded enough, absolutely and as a share of the store, to compact."""
    return run_quads >= COMPACT_MIN_QUADS and run_quads >= COMPACT_MIN_SHARE * store_quads


def partial_threads(
    store: Store,
    derived: str,
    run_graphs: list[str],
    superseded: int,
    *,
    existing: set[str],
    current: bool | None = None,
) -> set[str] | None:
    """The municipalities whose threads alone bring the derived graph up to date after a
    run (empty: nothing to do), or None when it must be recomputed whole.

    Whole unless the store can patch its derived graph (a local store whose derived graph
    is complete, with threads up to date with every document ``existing`` before the run:
    not so after a run that loaded documents and then stopped), the run only added new
    documents (a replaced or reloaded one may take items out of threads anywhere), each
    names its municipality, and ("auto") the store held at least PARTIAL_MIN_DOCUMENTS and
    the documents added since links and centrality were computed, this run's included, are
    at most PARTIAL_MAX_SHARE of those they cover.  ``current`` says whether the threads were
    up to date with ``existing`` when the run began (read from the store when not given).
    """
    if derived == "whole" or superseded or not _patchable(store):
        return None
    from kommunegraf.graph.analysis import threads

    if current is None:
        current = threads.threads_current(store, existing)
    if not current:
        return None
    if not run_graphs:
        return set()  # nothing added: the derived graph stands
    if existing.intersection(run_graphs):
        return None
    if derived == "auto":
        covered = threads.computed_over(store)
        added = len(existing) + len(run_graphs) - (covered or 0)
        if (
            len(existing) < PARTIAL_MIN_DOCUMENTS
            or covered is None
            or added > PARTIAL_MAX_SHARE * covered
        ):
            return None
    return threads.touched_municipalities(store, run_graphs)


def _patchable(store: Store) -> bool:
    """Whether the store can patch its derived graph (a SPARQL server recomputes it whole)."""
    return hasattr(store, "patch_derived")


def recompute_threads(store: Store, municipalities: set[str] | None = None) -> bool:
    """Refresh the derived graph (case threads): whole, or the threads of ``municipalities``
    only; returns whether it ran (always, since graph.analysis.threads ships with the package)."""
    from kommunegraf.graph.analysis import threads

    if municipalities is None:
        threads.recompute(store)
    else:  # none touched: the count of documents the threads are up to date with is restored
        threads.update_threads(store, municipalities)
    return True
