"""`kommunegraf serve`: the embedded store as a SPARQL 1.1 endpoint with a query page.

The Oxigraph server (the ``oxigraph`` package, same release as pyoxigraph so that it reads
the store's files) runs read-only over the store folder as a child process.  While it runs,
it holds a shared lock on the store's writer lock file: an ingest started meanwhile gets the
usual "in use by another kommunegraf process (pid …)" error instead of writing under a
read-only server (undefined behaviour for RocksDB).  Ctrl-C or SIGTERM stop the server and
exit 0.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pyoxigraph as ox

from graph.store import FORMAT, LOCK_FILE, STORE_FORMAT, StoreError, open_store, writer_pid

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
READY_SECONDS = 30.0  # how long the server may take to open the store and listen
STOP_SECONDS = 10.0  # how long it may take to stop before it is killed


class ServeError(StoreError):
    """Why the server could not start or stopped on its own (one line for the user)."""


def oxigraph_binary() -> Path:
    """The Oxigraph server beside this Python (a virtualenv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServeError("the Oxigraph server is not installed: pip install oxigraph")


def server_version(binary: Path) -> str:
    """The server's version, from ``oxigraph --version`` ("oxigraph 0.5.13" → "0.5.13")."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServeError(f"cannot run {binary}: {exc}") from None
    words = done.stdout.split()
    if done.returncode != 0 or not words:
        raise ServeError(f"{binary} --version failed: {done.stderr.strip() or done.returncode}")
    return words[-1]


def check_versions(server: str, library: str = ox.__version__) -> None:
    """The server must be the release line of pyoxigraph that wrote the store."""
    if server.split(".")[:2] != library.split(".")[:2]:
        raise ServeError(
            f"the Oxigraph server is {server} but the store is written by pyoxigraph {library}; "
            f"install the same release: pip install 'oxigraph=={library}'"
        )


def check_store(folder: Path) -> None:
    """The folder must hold a store in the current layout (merged default graph)."""
    with open_store(folder, write=False) as store:
        log = ox.NamedNode(store.log_graph)
        if not store.ask(f"ASK {{ GRAPH {log} {{ {log} {FORMAT} {ox.Literal(STORE_FORMAT)} }} }}"):
            raise ServeError(
                f"store {folder} was written by an older kommunegraf; run "
                "`kommunegraf ingest` on it once to bring it up to date, then serve it"
            )


@contextlib.contextmanager
def shared_lock(folder: Path) -> Iterator[None]:
    """Hold off writers for as long as the server runs (readers are not affected)."""
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
        yield
    finally:
        os.close(fd)  # releases the lock


def free_port(host: str) -> int:
    """A port nobody listens on at the moment (the OS's pick)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _probe_host(host: str) -> str:
    """Where to connect to check the server listens (a wildcard bind answers on loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((_probe_host(host), port), timeout=0.5):
            return True
    except OSError:
        return False


class _Relay(threading.Thread):
    """Copies the server's messages to stderr, keeping the last few for an error line."""

    def __init__(self, stream: object, show: Callable[[str], None]) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.show = show
        self.last: list[str] = []

    def run(self) -> None:
        for line in self.stream:  # type: ignore[attr-defined]
            line = line.rstrip()
            if not line:
                continue
            self.last = [*self.last[-4:], line]
            if not line.startswith("Listening for requests"):  # we print the URL ourselves
                self.show(line)


def serve(
    folder: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> int:
    """Serve the store at ``folder`` until Ctrl-C or SIGTERM; returns the exit status (0).

    Raises :class:`ServeError` (or another StoreError) when the server cannot start or
    stops on its own.
    """
    folder = Path(folder)
    binary = oxigraph_binary()
    check_versions(server_version(binary))
    check_store(folder)
    if port == 0:
        port = free_port(host)
    elif _listening(host, port):
        raise ServeError(f"port {port} on {host} is in use; choose another with --port")
    if not is_loopback(host):
        warn(f"warning: serving on {host}: the store is readable by anyone who can reach it")

    with shared_lock(folder):
        command = [
            str(binary),
            "serve-read-only",
            "--location",
            str(folder),
            "--bind",
            f"{host}:{port}" if ":" not in host else f"[{host}]:{port}",
        ]
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
        relay = _Relay(child.stdout, warn)
        relay.start()
        stopping: list[float] = []  # when each stop signal arrived

        def forward(_signum: int, _frame: FrameType | None) -> None:
            # SIGTERM whatever arrived: a child started in the background inherits an
            # ignored SIGINT.
            stopping.append(time.monotonic())
            with contextlib.suppress(ProcessLookupError):
                child.terminate()

        previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            deadline = time.monotonic() + READY_SECONDS
            while not stopping and child.poll() is None and not _listening(host, port):
                if time.monotonic() > deadline:
                    raise ServeError(f"the Oxigraph server did not listen in {READY_SECONDS:g} s")
                time.sleep(0.05)
            if child.poll() is None and not stopping:
                url = base_url(host, port)
                echo(f"SPARQL endpoint  {url}query   (SPARQL 1.1 Protocol, read-only)")
                echo(f"query page       {url}")
                echo(f"store            {folder}")
                echo("Ctrl-C to stop")
            while child.poll() is None:
                try:
                    child.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    if stopping and time.monotonic() - stopping[0] > STOP_SECONDS:
                        child.kill()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            if child.poll() is None:
                child.kill()
                child.wait()
        relay.join(timeout=2)
        if stopping:
            return 0
        said = relay.last[-1] if relay.last else f"exit status {child.returncode}"
        raise ServeError(f"the Oxigraph server stopped: {said}")
