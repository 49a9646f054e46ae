"""`kommunegraf serve`: the embedded store as a read-only SPARQL 1.1 endpoint with a query page.

One Python server in front of a few query workers (graph/serve/handler.py, graph/serve/pool.py,
graph/serve/worker.py), in place of the Oxigraph server it used to start, because a local
query server must be safe to leave running on a laptop:

* it answers only requests that name it (Host/Origin: no DNS rebinding) and refuses federated
  ``SERVICE`` unless ``--allow-service`` is given (no SSRF; graph/serve/guard.py);
* each query runs in a worker process that is killed at ``--timeout`` (Oxigraph cannot cancel
  a query: the core is free at once), its results are capped at ``--max-bytes`` and its
  memory at ``--max-memory`` (a sort of a cartesian product grows by 300 MB a second);
* the server holds a shared lock on the store's writer lock file and hands the same open file
  to its workers, which die with it (a parent-death signal): ``ingest`` is refused while any
  of them lives, and none survives a ``kill -9`` of the server to answer from a stale store.

The page (graph/serve/page.html) requests nothing beyond this server.  Ctrl-C or SIGTERM stop
the server and exit 0.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from kommunegraf.graph.serve.guard import is_loopback
from kommunegraf.graph.store.local import LOCK_FILE, StoreError, open_store, writer_pid

if TYPE_CHECKING:
    from kommunegraf.graph.serve.handler import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # of one answer, as serialised
DEFAULT_MAX_MEMORY_MB = 2048  # heap of one query worker (RLIMIT_DATA)
WORKERS = 2  # queries run at once (each a process; the rest wait for one, within the timeout)
READY_SECONDS = 60.0  # how long the workers may take to open the store


class ServeError(StoreError):
    """Why the server could not start or stopped on its own (one line for the user)."""


def check_store(folder: Path) -> None:
    """The folder must hold a store in the current layout: opening it says so (a store of an
    earlier layout is refused in one line, graph.store.local.store.OldStore)."""
    with open_store(folder, write=False):
        pass


@contextlib.contextmanager
def shared_lock(folder: Path) -> Iterator[int]:
    """Hold off writers for as long as the server runs (readers are not affected); yields the
    descriptor, which the workers inherit so that the lock lasts as long as any of them."""
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise ServeError(
                    f"store {folder} is being written by kommunegraf pid "
                    f"{writer_pid(folder) or '?'} — serve it when that has finished"
                ) from None
            raise
        # A writer that is turned away names the pid in the file: this server's.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield fd
    finally:
        os.close(fd)  # releases the lock


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _bind(host: str, port: int) -> Server:
    from kommunegraf.graph.serve.handler import Server

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return Server((host, port), None, family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is in use; choose another with --port"
            ) from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(
    folder: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
    allow_service: bool = False,
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> int:
    """Serve the store at ``folder`` until Ctrl-C or SIGTERM; returns the exit status (0).

    Raises :class:`ServeError` (or another StoreError) when the server cannot start.
    """
    from kommunegraf.graph.serve.guard import WILDCARDS, allowed_hosts
    from kommunegraf.graph.serve.handler import App, page_and_policy, queries_document
    from kommunegraf.graph.serve.pool import Pool, Settings, WorkerFailed

    folder = Path(folder)
    check_store(folder)
    if not is_loopback(host):
        warn(f"warning: serving on {host}: the store is readable by anyone who can reach it")
    if allow_service:
        warn("warning: --allow-service: queries may make this server fetch any address it reaches")

    with shared_lock(folder) as lock_fd:
        httpd = _bind(host, port)
        port = int(httpd.server_address[1])
        pool = Pool(Settings(folder, lock_fd, timeout, max_bytes, max_memory_mb), WORKERS)
        page, policy = page_and_policy()
        httpd.app = App(
            pool=pool,
            allowed=allowed_hosts(host, port),
            port=port,
            wildcard=host in WILDCARDS,
            timeout=timeout,
            allow_service=allow_service,
            page=page,
            policy=policy,
            listing=queries_document(),
        )
        stopping = threading.Event()

        def stop(_signum: int, _frame: FrameType | None) -> None:
            stopping.set()

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        listener = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2})
        try:
            try:
                pool.wait_ready(READY_SECONDS)
            except WorkerFailed as exc:
                raise ServeError(str(exc)) from None
            listener.start()
            url = base_url(host, port)
            echo(f"SPARQL endpoint  {url}query   (SPARQL 1.1 Protocol, read-only)")
            echo(f"query page       {url}")
            echo(f"store            {folder}")
            limits = f"{timeout:g} s, {max_bytes:,} bytes, {max_memory_mb} MiB per query"
            echo(f"limits           {limits}" + ("; SERVICE allowed" if allow_service else ""))
            echo("Ctrl-C to stop")
            while not stopping.wait(0.1):
                pool.replenish()  # after a timeout killed a worker; main thread only
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            if listener.is_alive():
                httpd.shutdown()
            httpd.server_close()
            pool.close()
        return 0
