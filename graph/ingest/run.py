"""Files and folders → the store: the run that ties discovery, workers and batches together.

An ingest streams: the folder walk is lazy (graph.ingest.discover), worker processes extract
and map a few chunks of files at a time (graph.ingest.workers), and their documents are bulk
loaded in batches by one loader thread (graph.ingest.batches) — so memory stays flat however
large the corpus, and only the store grows.  After the last batch the run brings the derived
graph up to date (whole, or the threads of the municipalities it touched) and compacts the
store when it loaded a large share of it.  The summary and reporters are graph.ingest.report.

This module is the package's front door: what callers and tests import from it (``ingest``,
``PlainReporter``, ``Summary``, ``find_files`` …) stays importable here.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from kommunegraf.graph.analysis.ledger import Ledger
from kommunegraf.graph.analysis.update import bring_up_to_date
from kommunegraf.graph.ingest.batches import Batches
from kommunegraf.graph.ingest.discover import (
    NOT_REGULAR,
    SIDECAR_ERROR,
    SIDECAR_SUFFIX,
    SKIPPED_NAMED,
    SUFFIXES,
    Walk,
    find_files,
    shown,
)
from kommunegraf.graph.ingest.report import (
    REFERENCE_NOTE,
    PlainReporter,
    ProgressReporter,
    Reporter,
    Summary,
    plural,
)
from kommunegraf.graph.ingest.stamps import Stamp, code_version, file_stamp
from kommunegraf.graph.ingest.workers import (
    CHUNK_FILES,
    WATCH_SECONDS,
    WORKER_NICENESS,
    Outcome,
    _pool,
    extract_file,
    extract_files,
)
from kommunegraf.graph.store.backend import Backend
from kommunegraf.graph.store.local import StoreError, content_marker

__all__ = [
    "BATCH_QUADS",
    "CHUNK_FILES",
    "COMPACT_MIN_QUADS",
    "COMPACT_MIN_SHARE",
    "DERIVED_MODES",
    "NOT_REGULAR",
    "PARTIAL_MAX_SHARE",
    "PARTIAL_MIN_DOCUMENTS",
    "REFERENCE_NOTE",
    "SIDECAR_ERROR",
    "SIDECAR_SUFFIX",
    "SKIPPED_NAMED",
    "SUFFIXES",
    "WATCH_SECONDS",
    "WORKER_NICENESS",
    "Outcome",
    "PlainReporter",
    "ProgressReporter",
    "Reporter",
    "Summary",
    "Walk",
    "_pool",
    "extract_file",
    "find_files",
    "ingest",
    "partial_threads",
    "plural",
    "recompute_threads",
    "should_compact",
    "shown",
]

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
# Files whose stamps are checked against the store's log at a time (one query on a server)
STAMP_GROUP = 256


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Backend,
    *,
    jobs: int | None = None,
    batch_quads: int = BATCH_QUADS,
    reporter: Reporter | None = None,
    compact: bool | None = None,
    derived: str = "auto",
    reread: bool = False,
) -> Summary:
    """Ingest files and folders into a writable store; returns the summary.

    Every document replaces its named graph (and the graph of an older version of the same
    file); a document met twice in one run (same sha256 under two names) is loaded once.
    ``compact`` True/False forces or forbids compacting the store at the end; ``None``
    decides by :func:`should_compact`.  ``derived`` ("auto", "whole" or "threads") says how
    the derived graph is brought up to date: see :func:`partial_threads`.  A file the store
    holds as it is now (graph.ingest.stamps) is counted as unchanged and not read again,
    unless ``reread``.
    """
    if derived not in DERIVED_MODES:
        raise ValueError(f"derived must be one of {', '.join(DERIVED_MODES)}, not {derived!r}")
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    reporter = reporter or PlainReporter()
    summary = Summary()
    paths = [Path(p) for p in paths]
    from kommunegraf.graph.analysis import threads

    store.load_reference()
    reporter.start(sum(1 for _ in find_files(paths, Walk())))
    # Before any document changes: the documents, and whether the threads are up to date
    # with them (a store that patches its derived graph can then patch only its threads).
    patchable = store.patches_derived
    existing: set[str] = store.documents() if patchable else set()
    current = patchable and threads.threads_current(store, existing)
    batches = Batches(
        store,
        uuid.uuid4().hex,
        summary,
        reporter,
        existing=existing,
        # the threads' count is dropped before the first write (see forget_threads_count)
        before_first_write=(lambda: threads.forget_threads_count(store)) if patchable else None,
    )
    ledger = _ledger(store)  # the documents' facts, for the derived graph
    try:
        _load(paths, store, jobs, batch_quads, batches, reporter, ledger, reread=reread)
        if ledger is not None:
            _update_from_facts(store, ledger, derived, summary, reporter, current)
        else:
            _update_derived(store, derived, batches, existing, current, reporter)
    finally:
        batches.close()
        if ledger is not None:
            ledger.close()
        reporter.stop()
    _collect(store, summary, reporter)
    _compact(store, compact, summary, reporter)
    summary.seconds = time.perf_counter() - started
    return summary


def _load(
    paths: list[Path],
    store: Backend,
    jobs: int,
    batch_quads: int,
    batches: Batches,
    reporter: Reporter,
    ledger: Ledger | None = None,
    *,
    reread: bool = False,
) -> None:
    """Extract every file in the workers and send the documents to the store in batches
    (their facts to the ``ledger`` first, committed before the store loads them); files
    unchanged since they were last ingested are only counted, unless ``reread``."""
    summary, walk = batches.summary, Walk()
    stamps: dict[str, Stamp] = {}  # each file on its way to the workers → its stamp
    files = _unread(find_files(paths, walk), store, stamps, batches, reporter, reread=reread)
    for consumed, outcomes in extract_files(files, jobs, store.base):
        for outcome in outcomes:
            stamp = stamps.pop(outcome.path, None)
            # a stamp is kept only for the bytes the worker read (a file rewritten in place
            # meanwhile is read again next time)
            kept = stamp.value if stamp is not None and stamp.sha256 == outcome.sha256 else ""
            if _count(outcome, batches, reporter, kept) and ledger is not None:
                ledger.stage(outcome.graph, content_marker(outcome.nquads), outcome.facts)
        if ledger is not None:
            ledger.commit_staged()
        reporter.advance(consumed, summary)
        for loop in walk.loops[summary.loops :]:
            reporter.warning(f"symbolic link loop not followed: {shown(loop)}")
        summary.loops = len(walk.loops)
        if batches.quads >= batch_quads:
            batches.send()
    batches.send(wait=True)
    summary.skipped = walk.skipped
    summary.skipped_files = list(walk.skipped_files)


def _unread(
    files: Iterator[tuple[Path, str | None]],
    store: Backend,
    stamps: dict[str, Stamp],
    batches: Batches,
    reporter: Reporter,
    *,
    reread: bool,
) -> Iterator[tuple[Path, str | None]]:
    """The files to give the workers: each readable file's stamp goes into ``stamps`` (keyed
    as the workers name the file), and, unless ``reread``, a file the store holds as it is
    now is counted as unchanged instead, its document kept as it is (asked of the store a
    group of files at a time)."""
    summary = batches.summary
    code = code_version()
    files = iter(files)
    while group := list(islice(files, STAMP_GROUP)):
        fresh = {str(p): s for p, error in group if error is None and (s := file_stamp(p, code))}
        absolute = {os.path.abspath(p): p for p in fresh}
        asked = {a: fresh[p].value for a, p in absolute.items()}
        same = {} if reread else store.unchanged_files(asked)
        unchanged = {absolute[a] for a in same}
        batches.kept.update(same.values())
        for path, error in group:
            name = str(path)
            if name in unchanged:
                summary.files += 1
                summary.unchanged += 1
                continue
            if name in fresh:
                stamps[name] = fresh[name]
            yield path, error
        if unchanged:
            reporter.advance(len(unchanged), summary)


def _count(outcome: Outcome, batches: Batches, reporter: Reporter, stamp: str = "") -> bool:
    """One file's outcome into the summary, and its document (if any) into the batch (with
    the file's ``stamp``); returns whether it is a document new to the run."""
    summary = batches.summary
    summary.files += 1
    if outcome.error is not None:
        summary.errors += 1
        line = f"{shown(outcome.path)}: {outcome.error}"
        if len(summary.error_lines) < 100:
            summary.error_lines.append(line)
        reporter.error(line)
        return False
    if not batches.add(outcome, os.path.abspath(outcome.path), stamp):
        summary.duplicates += 1
        return False
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
    return True


# ----- the derived graph from the documents' facts (graph.analysis.update) ------------------


def _ledger(store: Backend) -> Ledger | None:
    """The facts beside a store that patches its derived graph (the embedded one: the ledger
    lives beside its folder); a SPARQL server's derived graph is recomputed whole."""
    return Ledger.of(store) if store.patches_derived and store.writable else None  # type: ignore[arg-type]


def _update_from_facts(
    store: Backend,
    ledger: Ledger,
    derived: str,
    summary: Summary,
    reporter: Reporter,
    current: bool,
) -> None:
    """Bring the derived graph up to date from the facts (``current``: it was up to date
    when the run began); a store error is the summary's."""
    if summary.loaded:
        reporter.phase(f"{plural(summary.loaded, 'document')} loaded; computing case threads")
    try:
        done = bring_up_to_date(store, ledger, derived, current=current)
    except StoreError as exc:  # the documents are in; only the derived graph is stale
        summary.threads_error = str(exc)
        reporter.error(f"case threads not recomputed: {exc}")
        return
    summary.threads = True
    if done.how == "threads":
        summary.threads_partial = done.municipalities
        summary.links_over = done.links_over


def _update_derived(
    store: Backend,
    derived: str,
    batches: Batches,
    existing: set[str],
    current: bool,
    reporter: Reporter,
) -> None:
    """Bring the derived graph up to date after the documents are in: whole, or only the
    threads of the municipalities the run touched (:func:`partial_threads`)."""
    from kommunegraf.graph.analysis import threads

    summary = batches.summary
    municipalities = partial_threads(
        store,
        derived,
        sorted(batches.written),
        summary.superseded + batches.hidden,
        existing=existing,
        current=current,
    )
    loaded = plural(summary.loaded, "document")
    if municipalities is None:
        if summary.loaded:  # (nothing loaded: no news, whatever the threads need)
            reporter.phase(f"{loaded} loaded; computing case threads")
    elif not municipalities:
        summary.threads_partial = 0
    else:
        reporter.phase(
            f"{loaded} loaded; computing the case threads of "
            f"{len(municipalities)} municipalit{'y' if len(municipalities) == 1 else 'ies'}"
        )
        summary.threads_partial = len(municipalities)
        summary.links_over = threads.computed_over(store)
    try:
        summary.threads = recompute_threads(store, municipalities)
    except StoreError as exc:  # the documents are in; only the derived graph is stale
        summary.threads_error = str(exc)
        reporter.error(f"case threads not recomputed: {exc}")


def _collect(store: Backend, summary: Summary, reporter: Reporter) -> None:
    """Collect the shared descriptions no document mentions any more (graph.store.local.
    collect), when it is cheap and may find some: after a run that replaced or set aside
    documents (a run that only added documents cannot orphan a description).  Its cost
    grows with the shared graph, not the run: `kommunegraf gc` does the same by hand."""
    if not (summary.superseded or summary.overlaps):
        return
    reporter.phase("collecting descriptions no document mentions any more")
    try:
        summary.collected = store.collect()
    except StoreError as exc:  # the documents are in; the orphans wait for the next gc
        reporter.error(f"shared descriptions not collected: {exc}")


def _compact(store: Backend, compact: bool | None, summary: Summary, reporter: Reporter) -> None:
    """Compact the store when asked, or when the run loaded enough (:func:`should_compact`)."""
    # Counting reads the whole store (1 s at 10,000 documents, a quarter of a small run's
    # time there), so only a run that may compact counts it; `kommunegraf stats` tells.
    may_compact = compact if compact is not None else summary.quads >= COMPACT_MIN_QUADS
    if not may_compact:
        return
    summary.store_quads = store.quad_count()
    if compact or should_compact(summary.quads, summary.store_quads):
        reporter.phase(f"compacting the store ({summary.store_quads} quads) for faster reads")
        began = time.perf_counter()
        store.optimize()
        summary.compact_seconds = time.perf_counter() - began


def should_compact(run_quads: int, store_quads: int) -> bool:
    """Whether a run loaded enough, absolutely and as a share of the store, to compact."""
    return run_quads >= COMPACT_MIN_QUADS and run_quads >= COMPACT_MIN_SHARE * store_quads


def partial_threads(
    store: Backend,
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
    if derived == "whole" or superseded or not store.patches_derived:
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


def recompute_threads(store: Backend, municipalities: set[str] | None = None) -> bool:
    """Refresh the derived graph (case threads): whole, or the threads of ``municipalities``
    only; returns whether it ran (always, since graph.analysis.threads ships with the package)."""
    from kommunegraf.graph.analysis import threads

    if municipalities is None:
        threads.recompute(store)
    else:  # none touched: the count of documents the threads are up to date with is restored
        threads.update_threads(store, municipalities)
    return True
