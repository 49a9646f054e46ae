"""One query worker of `kommunegraf serve`: a child process that runs queries on the store.

Why a process and not a thread: Oxigraph cannot cancel a query, and a cartesian product can
run for hours.  The server kills the worker at the timeout (the core is free at once) and
starts another.  The worker must never outlive the server either — an orphan would go on
answering from a store that has since changed, and hold it against ``ingest``:

* it inherits the server's shared lock on the store's writer lock file (the same open file,
  so ``ingest`` is refused while *any* worker lives, even after the server died), and
* it asks Linux to SIGKILL it when its parent dies (``prctl(PR_SET_PDEATHSIG)``), checks the
  parent did not die before that, and also watches the parent's pid from a thread (for a
  kernel without prctl).  The server starts workers from its main thread only: the signal
  follows the death of the *thread* that forked.

Protocol (one request at a time): the server writes one JSON line on stdin; the worker answers
on its stdout with one JSON line ``{"status", "type", "length"}`` followed by ``length`` bytes.
The first line it writes is ``{"ready": true}`` once the store is open.  Anything a library
prints goes to stderr, never into the answers.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kommunegraf import queries
from kommunegraf.graph.answers.viz_model import (
    LABEL_PROPERTIES,  # the graph page's order, best first
)
from kommunegraf.graph.store.local import IRI, QueryError, Store, StoreError, open_store

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5  # how often the watchdog looks at the parent and the running query
GRACE_SECONDS = 5.0  # past the timeout, a worker the server failed to kill ends itself
MAX_LABELS = 2000  # IRIs per label request (a page shows at most that many cells)

# A resource's label, by the properties the graph page names nodes with.
LABEL_QUERY = (
    "SELECT ?x ?p ?l WHERE { ?x ?p ?l FILTER(isLiteral(?l)) VALUES ?p { "
    + " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    + " } }"
)


class TooLarge(Exception):
    """The results passed the size cap while being written.

    Not a ``KommunegrafError``: it only unwinds the serialiser; the worker turns it into the
    client's "answer too large" reply."""


class CappedBuffer:
    """A file-like sink for Oxigraph's serialiser that stops it past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when ``parent`` dies (Linux), and end now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def limit_memory(megabytes: int) -> None:
    """Cap this worker's heap (RLIMIT_DATA: private writable memory, not the store's files):
    past it an allocation fails and Oxigraph aborts, which ends this query only."""
    with contextlib.suppress(ValueError, OSError):
        limit = megabytes << 20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def accepted(header: str | None) -> Iterator[str]:
    """The media types of an Accept header, preferred first (``q`` weights honoured)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                with contextlib.suppress(ValueError):
                    weight = float(value)
        if media and weight > 0:
            ranked.append((-weight, index, media.lower()))
    yield from (media for _, _, media in sorted(ranked))


def choose_format(result: Any, accept: str | None) -> Any:
    """The serialisation of ``result`` the client prefers (SPARQL JSON, or N-Triples for RDF)."""
    rdf = isinstance(result, ox.QueryTriples)
    kind = ox.RdfFormat if rdf else ox.QueryResultsFormat
    for media in accepted(accept):
        found = kind.from_media_type(media)
        if found is not None:
            return found
    return ox.RdfFormat.N_TRIPLES if rdf else ox.QueryResultsFormat.JSON


class Worker:
    """The store, open read-only, and what the server asks of it."""

    def __init__(self, store: Store, max_bytes: int) -> None:
        self.store = store
        self.max_bytes = max_bytes

    def answer(self, request: dict[str, Any]) -> tuple[int, str, bytes]:
        """(HTTP status, media type, body) for one request."""
        try:
            if request.get("op") == "labels":
                return 200, "application/json", self.labels(request.get("iris") or [])
            return self.query(request["text"], request.get("accept"), request.get("params"))
        except queries.QueryParamError as exc:
            return 400, "text/plain", str(exc).encode()
        except QueryError as exc:
            return 400, "text/plain", " ".join(str(exc).split())[:2000].encode()
        except TooLarge:
            return (
                500,
                "text/plain",
                f"the results are larger than the server's cap of {self.max_bytes:,} bytes "
                "(--max-bytes); narrow the query or add LIMIT".encode(),
            )
        except StoreError as exc:
            return 500, "text/plain", str(exc).encode()
        except Exception as exc:  # a fault of ours: this request fails, the worker goes on
            return 500, "text/plain", f"internal error: {exc!r}".encode()

    def query(
        self, text: str, accept: str | None, params: dict[str, str] | None
    ) -> tuple[int, str, bytes]:
        bindings = None
        if params is not None:  # a query of the page, its parameters declared in its header
            description, details, declared = queries.parse_header(text)
            bundled = queries.BundledQuery(
                "query", Path("query.rq"), description, details, declared, text
            )
            bindings = queries.bind(bundled, params, municipality=self._municipality)
        result = self.store.query_results(text, bindings)
        fmt = choose_format(result, accept)
        out = CappedBuffer(self.max_bytes)
        try:
            result.serialize(out, format=fmt)
        except TooLarge:
            raise
        except (OSError, RuntimeError) as exc:
            raise QueryError(str(exc)) from None
        return 200, fmt.media_type, out.getvalue()

    def _municipality(self, text: str) -> str:
        from kommunegraf.queries.municipality import UnknownMunicipality, resolve_municipality

        try:
            return resolve_municipality(self.store, text)[0]
        except UnknownMunicipality as exc:
            raise ValueError(str(exc)) from None

    def labels(self, iris: list[Any]) -> bytes:
        """The best label of each IRI the store names (by LABEL_PROPERTIES, then longest)."""
        rank = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
        found: dict[str, str] = {}
        for iri in iris[:MAX_LABELS]:
            if not isinstance(iri, str):
                continue
            try:
                ox.NamedNode(iri)
            except ValueError:
                continue
            best: tuple[int, int, str] | None = None
            for row in self.store.select(LABEL_QUERY, {"x": IRI(iri)}):
                label = " ".join(str(row["l"]).split())
                key = (rank.get(str(row["p"]), len(rank)), -len(label), label)
                if label and (best is None or key < best):
                    best = key
            if best is not None:
                found[iri] = best[2]
        return json.dumps({"labels": found}, ensure_ascii=False).encode()


def watch(parent: int, busy: list[float], timeout: float) -> None:
    """End this process when the server is gone or has failed to stop a runaway query."""
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(0)
        if busy and time.monotonic() - busy[0] > timeout + GRACE_SECONDS:
            os._exit(3)


def _send(out: IO[bytes], status: int, media: str, body: bytes) -> None:
    head = {"status": status, "type": media, "length": len(body)}
    out.write(json.dumps(head).encode() + b"\n" + body)
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kommunegraf-serve-worker")
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--parent", required=True, type=int)
    parser.add_argument("--lock-fd", required=True, type=int)  # kept open: the shared lock
    parser.add_argument("--timeout", required=True, type=float)
    parser.add_argument("--max-bytes", required=True, type=int)
    parser.add_argument("--max-memory-mb", required=True, type=int)
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    limit_memory(args.max_memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    out = os.fdopen(os.dup(1), "wb")  # answers go here; fd 1 becomes stderr
    os.dup2(2, 1)
    busy: list[float] = []
    threading.Thread(target=watch, args=(args.parent, busy, args.timeout), daemon=True).start()
    try:
        with open_store(args.store, write=False) as store:
            out.write(b'{"ready": true}\n')
            out.flush()
            worker = Worker(store, args.max_bytes)
            for line in sys.stdin.buffer:
                request = json.loads(line)
                busy.append(time.monotonic())
                status, media, body = worker.answer(request)
                busy.clear()
                _send(out, status, media, body)
    except StoreError as exc:
        out.write(json.dumps({"ready": False, "error": str(exc)}).encode() + b"\n")
        out.flush()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
