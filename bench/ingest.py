"""Ingest benchmarks: end to end, extraction alone, loading alone, and the rdflib peer.

Usage:
  python bench/ingest.py [--sizes 1000,10000] [--jobs 1,2] [--out bench/out] [--seed 1]
                         [--extract-limit 2000] [--peer-size 1000] [--increment 20]
                         [--skip e2e,extract,load,peer]

For every size a corpus is generated (bench/corpus.py; reused when present) and then:

- **end to end**: ``kommunegraf ingest CORPUS --jobs J`` into a fresh store, as a subprocess;
  wall time, time until the last batch was loaded (the rest is the derived-graph recompute),
  documents/s, MB of text/s, quads/s, peak RSS of the process tree (sum over the process
  and its workers, sampled every 50 ms) and the store's size on disk.  The store of the
  largest job count is kept as ``OUT/store-SIZE`` for bench/query.py.
- **increment** (at the largest size, ``--increment N`` documents, 20 by default): N new
  documents (another seed's corpus) ingested into a copy of that store, as a daily addition
  to a national store would be, with ``--derived auto`` (the threads of the municipalities
  touched, when the run is small against the store) and ``--derived whole``; same columns.
- **extraction alone**: ``extract_path`` + ``map_record`` in one process (on at most
  ``--extract-limit`` documents) and in a pool of J processes (on all documents, spooling the
  N-Quads to ``OUT/spool-SIZE.jsonl`` for the next step).
- **loading alone**: the spooled N-Quads into a fresh store through the store API's bulk path
  (``Store.replace_documents`` in batches of 100,000 quads, as ingest does), then the
  derived graph (``graph.analysis.threads.recompute``) timed on its own.
- **rdflib peer** (at ``--peer-size`` documents only: rdflib holds everything in memory,
  about 1.45 GB per million triples): bench/peer_rdflib.py's pipeline as a subprocess.

Figures are printed (and written to ``OUT/ingest-results.json``); nothing is asserted.
Targets to compare with: ≥ 100 documents/s end to end with --jobs 2; peak memory ≤ 1 GB at
10,000 documents; ≥ 2× the rdflib peer.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import platform
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
from tree import use_this_tree

use_this_tree()
sys.path.insert(0, str(BENCH))

import corpus

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is in the project's environment
    psutil = None

BATCH_QUADS = 100_000


# ----- running a command and watching its process tree -----------------------------------------


@dataclass
class Run:
    """A finished subprocess: its exit status, output and what it cost."""

    command: list[str]
    returncode: int
    wall_s: float
    peak_rss_mb: float  # the largest sum of RSS over the process tree at one sample
    peak_single_mb: float  # the largest RSS of any one process in it
    peak_at_s: float  # when the tree's peak was sampled
    stdout: str
    stderr: str
    events: list[tuple[float, str]] = field(default_factory=list)  # (seconds, stderr line)
    timed_out: bool = False
    # CPU seconds (user + system) of every process of the tree, each as last sampled: the
    # extraction workers are children of a forkserver nobody waits for, so getrusage of the
    # waited children would miss them
    cpu_s: float = 0.0


def kommunegraf() -> list[str]:
    """The CLI of the environment this script runs in."""
    script = Path(sys.executable).parent / "kommunegraf"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "kommunegraf"]


def run_tree(command: list[str], *, timeout: float | None = None, sample_s: float = 0.05) -> Run:
    """Run ``command``; sample the RSS of it and all its descendants until it exits."""
    started = time.perf_counter()
    # Bytecode is cached as on any installed system, even where the environment says not to
    # (PYTHONDONTWRITEBYTECODE=1 would make every run compile the modules it imports afresh).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    events: list[tuple[float, str]] = []
    out_parts: list[str] = []

    def read_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            events.append((time.perf_counter() - started, line.rstrip("\n")))

    def read_out() -> None:
        assert proc.stdout is not None
        out_parts.append(proc.stdout.read())

    readers = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
    for reader in readers:
        reader.start()
    peak_tree = peak_single = peak_at = 0.0
    cpu: dict[int, float] = {}
    timed_out = False
    watched = psutil.Process(proc.pid) if psutil else None
    while proc.poll() is None:
        if watched is not None:
            total = 0.0
            try:
                family = [watched, *watched.children(recursive=True)]
            except psutil.Error:
                family = []
            for p in family:
                try:
                    rss = p.memory_info().rss / 1e6
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
                except psutil.Error:
                    continue
                total += rss
                peak_single = max(peak_single, rss)
            if total > peak_tree:
                peak_tree, peak_at = total, time.perf_counter() - started
        if timeout is not None and time.perf_counter() - started > timeout:
            timed_out = True
            _kill_tree(proc.pid)
            break
        time.sleep(sample_s)
    proc.wait()
    wall = time.perf_counter() - started
    for reader in readers:
        reader.join()
    if watched is None:  # fallback: the largest single child, as the kernel recorded it
        import resource

        peak_single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
        peak_tree = peak_single
    return Run(
        command,
        proc.returncode,
        wall,
        peak_tree,
        peak_single,
        peak_at,
        "".join(out_parts),
        "\n".join(line for _, line in events),
        events,
        timed_out,
        sum(cpu.values()),
    )


def _kill_tree(pid: int) -> None:
    """Stop a benchmark subprocess we started, and its workers, by their ids."""
    if psutil is None:
        os.kill(pid, 9)
        return
    try:
        parent = psutil.Process(pid)
        family = [*parent.children(recursive=True), parent]
    except psutil.Error:
        return
    for p in family:
        with contextlib.suppress(psutil.Error):
            p.kill()


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def machine() -> dict[str, object]:
    """What the figures came from."""
    import pyoxigraph
    import rdflib

    mem = psutil.virtual_memory().total / 1e9 if psutil else float("nan")
    return {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "nproc": os.cpu_count(),
        "ram_gb": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "pyoxigraph": getattr(pyoxigraph, "__version__", "?"),
        "rdflib": rdflib.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def print_machine(info: dict[str, object]) -> None:
    print(
        f"machine: {info['nproc']} CPUs, {info['ram_gb']} GB RAM, Python {info['python']}, "
        f"pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, {info['date']}, "
        f"load average {info['load_average']} (other work on the machine shows here)"
    )


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# ----- the corpus ---------------------------------------------------------------------------------


def corpus_for(out: Path, size: int, seed: int) -> tuple[Path, list[dict]]:
    folder = out / f"corpus-{size}"
    started = time.perf_counter()
    entries = corpus.ensure_corpus(folder, size, seed, jobs=min(2, os.cpu_count() or 1))
    took = time.perf_counter() - started
    mb = sum(m["bytes"] for m in entries) / 1e6
    if took > 1:
        print(f"corpus {folder}: generated {len(entries)} documents, {mb:.0f} MB in {took:.0f} s")
    return folder, entries


def text_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6


# ----- end to end ---------------------------------------------------------------------------------


@dataclass
class EndToEnd:
    size: int
    jobs: int
    documents: int
    text_mb: float
    quads: int
    store_quads: int | None  # printed by ingest only when it may compact
    wall_s: float
    loaded_s: float | None  # when the last batch was in (stderr "ingest: …" line)
    compact_at_s: float | None  # when compaction began (None: the run did not compact)
    peak_rss_mb: float
    peak_single_mb: float
    peak_at_s: float
    store_mb: float
    returncode: int
    timed_out: bool
    cpu_s: float = 0.0  # of the process tree, as sampled (Run.cpu_s)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall_s

    def line(self) -> str:
        end = self.compact_at_s or self.wall_s
        derived = f"{end - self.loaded_s:9.1f}" if self.loaded_s else "        ?"
        compact = f"{self.wall_s - self.compact_at_s:9.1f}" if self.compact_at_s else "        -"
        return (
            f"{self.size:>6} {self.jobs:>4} {self.wall_s:7.1f} {self.loaded_s or 0:8.1f}"
            f" {derived} {compact}"
            f" {self.docs_per_s:7.1f} {self.text_mb / self.wall_s:6.2f}"
            f" {self.quads / self.wall_s:8.0f} {self.peak_rss_mb:7.0f} {self.peak_at_s:7.0f}"
            f" {self.peak_single_mb:7.0f} {self.store_mb:8.0f}"
            + ("  TIMED OUT" if self.timed_out else "")
            + (f"  exit {self.returncode}" if self.returncode and not self.timed_out else "")
        )


E2E_HEADER = (
    "  docs jobs  wall s loaded s derived s compact s  docs/s   MB/s  quads/s  peakMB  peak@s"
    " 1procMB  storeMB"
)


def _summary_number(stdout: str, name: str) -> list[int]:
    for line in stdout.splitlines():
        if line.startswith(name):
            return [int(tok) for tok in line.split() if tok.isdigit()]
    return []


def end_to_end(
    out: Path,
    folder: Path,
    size: int,
    jobs: int,
    timeout: float | None,
    store: Path | None = None,
    options: tuple[str, ...] = (),
) -> EndToEnd:
    """Ingest ``folder`` into a fresh store, or into ``store`` as it is (an increment)."""
    if store is None:
        store = out / f"store-{size}-j{jobs}"
        shutil.rmtree(store, ignore_errors=True)
    run = run_tree(
        [
            *kommunegraf(),
            *("--store", str(store), "ingest", str(folder), "--jobs", str(jobs)),
            *options,
        ],
        timeout=timeout,
    )
    # The loading phase ends where ingest says it computes threads; compaction is announced.
    loaded = [t for t, line in run.events if line.startswith("ingest:")]
    threads_at = [t for t, line in run.events if "computing case threads" in line]
    compact_at = [t for t, line in run.events if "compacting the store" in line]
    quads = _summary_number(run.stdout, "quads") or [0, 0]
    documents = (_summary_number(run.stdout, "documents") or [0])[0]
    if run.returncode and not run.timed_out:
        print(run.stderr[-2000:], file=sys.stderr)
    return EndToEnd(
        size=size,
        jobs=jobs,
        documents=documents or size,
        text_mb=text_mb(folder),
        quads=quads[0],
        store_quads=quads[1] if len(quads) > 1 else None,
        wall_s=run.wall_s,
        loaded_s=(threads_at or loaded or [None])[-1],
        compact_at_s=compact_at[-1] if compact_at else None,
        peak_rss_mb=run.peak_rss_mb,
        peak_single_mb=run.peak_single_mb,
        peak_at_s=run.peak_at_s,
        store_mb=folder_mb(store),
        returncode=run.returncode,
        timed_out=run.timed_out,
        cpu_s=run.cpu_s,
    )


def increment(
    out: Path,
    base: Path,
    base_size: int,
    count: int,
    seed: int,
    timeout: float | None,
    derived: str = "auto",
    options: tuple[str, ...] = (),
) -> EndToEnd:
    """``count`` new documents (another seed's corpus) ingested into a copy of the store of
    ``base_size`` documents with --jobs 2 and ``--derived``: what a daily addition to a
    large store costs."""
    folder = out / f"increment-{count}-seed{seed}"
    corpus.ensure_corpus(folder, count, seed, jobs=1)
    with store_copy(base, out / f"store-{base_size}-increment") as store:
        return end_to_end(
            out, folder, count, 2, timeout, store=store, options=(*options, "--derived", derived)
        )


@contextlib.contextmanager
def store_copy(base: Path, copy: Path) -> Iterator[Path]:
    """A fresh copy of the store ``base`` to write into, removed afterwards."""
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(base, copy)
    try:
        yield copy
    finally:
        shutil.rmtree(copy, ignore_errors=True)


# ----- extraction alone ---------------------------------------------------------------------------


def _extract_one(path: str) -> tuple[str, str, str, int, int, float, float]:
    from kommunegraf.extract import extract_path
    from kommunegraf.graph.rdf.mapping import map_record

    t0 = time.perf_counter()
    record = extract_path(path)
    t1 = time.perf_counter()
    mapped = map_record(record)
    t2 = time.perf_counter()
    return (
        mapped.graph,
        record.source.sha256,
        mapped.nquads,
        mapped.quads,
        os.path.getsize(path),
        t1 - t0,
        t2 - t1,
    )


@dataclass
class Extraction:
    size: int
    processes: int
    documents: int
    text_mb: float
    quads: int
    wall_s: float
    extract_cpu_s: float  # summed over documents (in the workers)
    map_cpu_s: float

    def line(self) -> str:
        share = self.extract_cpu_s / max(1e-9, self.extract_cpu_s + self.map_cpu_s)
        return (
            f"{self.size:>6} {self.processes:>5} {self.documents:>6} {self.wall_s:7.1f}"
            f" {self.documents / self.wall_s:7.1f} {self.text_mb / self.wall_s:6.2f}"
            f" {self.quads / self.wall_s:8.0f} {1000 * self.extract_cpu_s / self.documents:8.1f}"
            f" {1000 * self.map_cpu_s / self.documents:6.1f} {100 * share:5.0f}%"
        )


EXTRACT_HEADER = "  docs procs  files  wall s  docs/s   MB/s  quads/s  ms/extr ms/map extr%"


def extraction(
    folder: Path,
    size: int,
    processes: int,
    limit: int | None,
    spool: Path | None,
    paths: list[Path] | None = None,
) -> Extraction:
    """extract_path + map_record over the corpus; N-Quads spooled to ``spool`` if given.

    ``paths`` names the documents when they are not the generated ``*.txt`` of ``folder``
    (bench/greve.py passes the FirstAgenda ``*.json`` meetings)."""
    files = [str(p) for p in (paths or sorted(folder.glob("*.txt")))][:limit]
    _extract_one(files[0])  # imports and caches outside the clock, as a warm worker has them
    sink = spool.open("w", encoding="utf-8") if spool else None
    t = Extraction(size, processes, 0, 0.0, 0, 0.0, 0.0, 0.0)
    started = time.perf_counter()

    def results() -> Iterator[tuple[str, str, str, int, int, float, float]]:
        if processes == 1:
            yield from map(_extract_one, files)
            return
        context = multiprocessing.get_context("forkserver")
        with context.Pool(processes) as pool:
            yield from pool.imap(_extract_one, files, chunksize=4)

    for graph, sha, nquads, quads, size_bytes, t_extract, t_map in results():
        t.documents += 1
        t.quads += quads
        t.text_mb += size_bytes / 1e6
        t.extract_cpu_s += t_extract
        t.map_cpu_s += t_map
        if sink:
            sink.write(
                json.dumps(
                    {
                        "graph": graph,
                        "sha256": sha,
                        "quads": quads,
                        "bytes": size_bytes,
                        "nquads": nquads,
                    }
                )
                + "\n"
            )
    t.wall_s = time.perf_counter() - started
    if sink:
        sink.close()
    return t


# ----- loading alone ------------------------------------------------------------------------------


@dataclass
class Loading:
    size: int
    documents: int
    quads: int
    reference_s: float
    load_s: float
    derived_s: float
    store_mb: float

    def line(self) -> str:
        return (
            f"{self.size:>6} {self.documents:>6} {self.quads:>9} {self.reference_s:6.2f}"
            f" {self.load_s:7.1f} {self.quads / self.load_s:9.0f}"
            f" {self.documents / self.load_s:7.1f} {self.derived_s:8.1f} {self.store_mb:8.0f}"
        )


LOAD_HEADER = "  docs   files     quads  ref s  load s   quads/s  docs/s derived s  storeMB"


def loading(out: Path, size: int, spool: Path) -> Loading:
    """The spooled documents into a fresh store through the store API's bulk path."""
    from kommunegraf.graph.analysis import threads
    from kommunegraf.graph.store.local import DocumentLoad, open_store

    target = out / f"load-{size}"
    shutil.rmtree(target, ignore_errors=True)
    result = Loading(size, 0, 0, 0.0, 0.0, 0.0, 0.0)
    with open_store(target, write=True) as store:
        t0 = time.perf_counter()
        store.load_reference()
        result.reference_s = time.perf_counter() - t0
        batch: list[DocumentLoad] = []
        batch_quads = 0
        with spool.open(encoding="utf-8") as fh:
            for line in fh:  # reading the spool is outside the clock
                doc = json.loads(line)
                batch.append(
                    DocumentLoad(
                        doc["graph"], doc["nquads"], doc["sha256"], (f"spool/{result.documents}",)
                    )
                )
                batch_quads += doc["quads"]
                result.documents += 1
                result.quads += doc["quads"]
                if batch_quads >= BATCH_QUADS:
                    t0 = time.perf_counter()
                    store.replace_documents(batch, run="bench")
                    result.load_s += time.perf_counter() - t0
                    batch, batch_quads = [], 0
        t0 = time.perf_counter()
        if batch:
            store.replace_documents(batch, run="bench")
        store.flush()
        result.load_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        threads.recompute(store)
        result.derived_s = time.perf_counter() - t0
    result.store_mb = folder_mb(target)
    shutil.rmtree(target, ignore_errors=True)
    return result


# ----- the rdflib peer ----------------------------------------------------------------------------


@dataclass
class Peer:
    documents: int
    quads: int
    triples: int
    text_mb: float
    wall_s: float
    extract_s: float
    parse_s: float
    peak_rss_mb: float
    returncode: int
    rss_growth_mb: float = 0.0  # what the Dataset added to the process: its size in memory

    def line(self) -> str:
        return (
            f"{self.documents:>6} {self.wall_s:7.1f} {self.documents / self.wall_s:7.1f}"
            f" {self.text_mb / self.wall_s:6.2f} {self.quads / self.wall_s:8.0f}"
            f" {self.extract_s:8.1f} {self.parse_s:7.1f}"
            f" {self.quads / max(self.parse_s, 1e-9):9.0f}"
            f" {self.peak_rss_mb:8.0f} {1000 * self.peak_rss_mb / max(1, self.triples):8.2f}"
        )


PEER_HEADER = (
    "  docs  wall s  docs/s   MB/s  quads/s extract s parse s  parse q/s   peakMB  MB/kTrip"
)


def peer(folder: Path, timeout: float | None, spool: Path | None = None) -> Peer:
    """bench/peer_rdflib.py as a subprocess: its whole pipeline over ``folder``, or, given
    ``spool``, only its loading of the N-Quads our extraction spooled (the same records)."""
    task = ["load", str(spool)] if spool else ["ingest", str(folder)]
    run = run_tree([sys.executable, str(BENCH / "peer_rdflib.py"), *task], timeout=timeout)
    if run.returncode:
        print(run.stderr[-2000:], file=sys.stderr)
        return Peer(0, 0, 0, 0.0, run.wall_s, 0.0, 0.0, run.peak_rss_mb, run.returncode or -1)
    data = json.loads(run.stdout.strip().splitlines()[-1])
    return Peer(
        documents=data["documents"],
        quads=data["quads"],
        triples=data["triples_in_dataset"],
        text_mb=data["bytes"] / 1e6,
        wall_s=run.wall_s,
        extract_s=data["extract_s"],
        parse_s=data["parse_s"],
        peak_rss_mb=run.peak_rss_mb,
        returncode=0,
        rss_growth_mb=data.get("rss_growth_mb", 0.0),
    )


# ----- main ---------------------------------------------------------------------------------------


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--jobs", default="1,2", help="--jobs values, comma-separated")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--extract-limit",
        type=int,
        default=2000,
        help="documents for single-process extraction (the pool does all)",
    )
    parser.add_argument("--peer-size", type=int, default=1000, help="0: no rdflib peer")
    parser.add_argument(
        "--increment",
        type=int,
        default=20,
        help="new documents ingested into a copy of the largest store (0: none)",
    )
    parser.add_argument(
        "--increment-derived",
        default="auto,whole",
        help="--derived modes of the increment runs, comma-separated (auto,whole,threads)",
    )
    parser.add_argument("--skip", default="", help="any of e2e,extract,load,peer")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per subprocess")
    parser.add_argument(
        "--ingest-options",
        default="",
        help='more options for the end-to-end ingests, e.g. "--batch-quads 300000"',
    )
    args = parser.parse_args(argv)
    options = tuple(shlex.split(args.ingest_options))
    sizes, jobs = _ints(args.sizes), _ints(args.jobs)
    skip = set(args.skip.split(",")) - {""}
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    info = machine()
    print_machine(info)
    results: dict[str, object] = {"machine": info, "e2e": [], "extract": [], "load": []}
    results["ingest_options"] = list(options)
    saved = out / "ingest-results.json"

    def save() -> None:  # after every step, so that a run cut short keeps what it measured
        saved.write_text(json.dumps(results, indent=2, default=str))

    peer_size = args.peer_size if "peer" not in skip else 0
    e2e_sizes = sorted(set(sizes) | ({peer_size} if peer_size else set()))
    for size in e2e_sizes:
        folder, entries = corpus_for(out, size, args.seed)
        print(
            f"\n== {size} documents: {text_mb(folder):.0f} MB of text, "
            f"{sum(len(m['items']) for m in entries)} items, "
            f"{len({m['municipality'] for m in entries})} municipalities"
        )
        if "e2e" not in skip:
            print(
                "\nend to end: kommunegraf ingest (subprocess; peak RSS summed over its processes)"
            )
            print(E2E_HEADER)
            runs = []
            for j in jobs:
                r = end_to_end(out, folder, size, j, args.timeout, options=options)
                runs.append(r)
                results["e2e"].append({**asdict(r), "docs_per_s": r.docs_per_s})  # type: ignore[union-attr]
                print(r.line(), flush=True)
                save()
            keep = out / f"store-{size}-j{max(jobs)}"
            final = out / f"store-{size}"
            shutil.rmtree(final, ignore_errors=True)
            if keep.exists() and not runs[-1].timed_out:
                keep.rename(final)
            for j in jobs:
                shutil.rmtree(out / f"store-{size}-j{j}", ignore_errors=True)
            if args.increment and size == max(sizes) and final.exists():
                print(
                    f"\nincrement: {args.increment} new documents into a copy of the "
                    f"{size}-document store (ingest --jobs 2), the derived graph brought up "
                    "to date by the threads of the municipalities touched (auto) and whole"
                )
                print(E2E_HEADER + "  --derived")
                results["increment"] = []
                for derived in args.increment_derived.split(","):
                    r = increment(
                        out,
                        final,
                        size,
                        args.increment,
                        args.seed + 1,
                        args.timeout,
                        derived,
                        options,
                    )
                    results["increment"].append(
                        {**asdict(r), "base_size": size, "derived": derived}
                    )  # type: ignore[union-attr]
                    print(r.line() + f"  {derived}", flush=True)
                    save()
        if size not in sizes:
            continue  # only run for the peer's comparison
        spool = out / f"spool-{size}.jsonl"
        if "extract" not in skip:
            print(
                "\nextraction alone: extract_path + map_record"
                " (ms/… are per document, in the workers)"
            )
            print(EXTRACT_HEADER)
            for j in jobs:
                limit = None if j == max(jobs) else args.extract_limit
                r = extraction(folder, size, j, limit, spool if j == max(jobs) else None)
                results["extract"].append(asdict(r))  # type: ignore[union-attr]
                print(r.line(), flush=True)
                save()
        if "load" not in skip and spool.exists():
            print(
                "\nloading alone: Store.replace_documents (bulk) in batches of "
                f"{BATCH_QUADS:,} quads, then graph.analysis.threads.recompute"
            )
            print(LOAD_HEADER)
            r = loading(out, size, spool)
            results["load"].append(asdict(r))  # type: ignore[union-attr]
            print(r.line(), flush=True)
            save()
    if peer_size:
        folder = out / f"corpus-{peer_size}"
        print(
            f"\nrdflib peer at {peer_size} documents (rdflib keeps everything in memory, "
            "so the peer runs at this size only): extract + map + Dataset.parse per document"
        )
        print(PEER_HEADER)
        p = peer(folder, args.timeout)
        results["peer"] = asdict(p)
        print(p.line())
        save()
        ours = [r for r in results["e2e"] if r["size"] == peer_size]  # type: ignore[index,union-attr]
        if p.documents and ours:
            print(
                f"\nours / rdflib at {peer_size} documents: throughput ratios (target ≥ 2×) and "
                "the peak-memory ratio (< 1: ours smaller)"
            )
            peer_rate = p.documents / p.wall_s
            for r in ours:
                loaded = r["loaded_s"] or r["wall_s"]
                results.setdefault("ratios", []).append(  # type: ignore[union-attr]
                    {
                        "jobs": r["jobs"],
                        "docs_per_s": r["docs_per_s"] / peer_rate,
                        "docs_per_s_to_loaded": r["documents"] / loaded / peer_rate,
                        "peak_memory": r["peak_rss_mb"] / p.peak_rss_mb,
                    }
                )
                x = results["ratios"][-1]  # type: ignore[index]
                print(
                    f"  ingest --jobs {r['jobs']}: {x['docs_per_s']:.2f}× documents/s end to end, "
                    f"{x['docs_per_s_to_loaded']:.2f}× up to the last batch loaded (the peer "
                    f"computes no derived graph); peak memory {x['peak_memory']:.2f}"
                )
            loads = [x for x in results["load"] if x["size"] == peer_size]  # type: ignore[union-attr]
            if loads and p.parse_s:
                ours_q = loads[0]["quads"] / loads[0]["load_s"]
                print(
                    f"  loading alone: {ours_q / (p.quads / p.parse_s):.2f}× quads/s "
                    f"({ours_q:,.0f} into the store vs {p.quads / p.parse_s:,.0f} parsed by rdflib)"
                )
    info_end = machine()["load_average"]
    print(f"\nload average at the end: {info_end}")
    save()
    print(f"figures written to {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
