"""The worker side of ingest: extraction and mapping in a pool of processes, and its watch.

A worker returns each document's N-Quads text (cheap to pickle, fast to bulk-load), never RDF
objects.  At most ``2 * jobs`` chunks of files are in flight, so memory stays flat however
large the corpus.  Workers run at a lower priority than the loading thread, and each ends
itself when the ingest that started it is gone (a killed ingest leaves no orphans).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

CHUNK_FILES = 4  # files per task sent to a worker: amortises the inter-process round trip
WORKER_NICENESS = 10  # added to the workers' niceness (lower priority than the loader)
WATCH_SECONDS = 1.0  # how often a worker checks that its ingest lives (where no pidfd)


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
    meeting: str | None = None  # the meeting IRI (graph.store.versions: one document shown)
    version: str = ""  # graph.store.versions.version_key
    facts: dict[str, bytes] = field(default_factory=dict)  # graph.analysis.facts.encode_parts


def extract_file(path: str, base: str) -> Outcome:
    """Extract and map one file; any failure becomes the file's one-line reason."""
    from kommunegraf.extract import extract_path
    from kommunegraf.extract.load import LoadError
    from kommunegraf.graph.analysis.facts import document_facts, encode_parts
    from kommunegraf.graph.rdf.mapping import map_record
    from kommunegraf.graph.store.versions import meeting_of, stamp_of, version_key

    def ocr_progress(page: int, pages: int) -> None:  # a scan is read by OCR: seconds a page
        print(f"ocr: {path}: page {page}/{pages}", file=sys.stderr, flush=True)

    try:
        record = extract_path(path, on_page=ocr_progress)
        mapped = map_record(record, base=base)
        meeting = meeting_of(record, base)
        version = version_key(record.meeting.kind, stamp_of(path))
        facts = encode_parts(document_facts(mapped.nquads))
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
        facts=facts,
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
    context.set_forkserver_preload(["kommunegraf.extract", "kommunegraf.graph.rdf.mapping"])
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


def extract_files(
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
