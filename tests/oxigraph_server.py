"""A real Oxigraph SPARQL server on loopback, for the tests that run kommunegraf against one
(``--endpoint``; marker ``server``): started on a free port of 127.0.0.1 over a folder of the
test's own, stopped by the test.  The ``oxigraph`` pip package puts the server beside the
venv's python; without it the tests skip (the package is a dependency, so not in CI).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def oxigraph() -> str:
    """The oxigraph CLI (server and bulk loader)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server is not installed")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "oxigraph server exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("oxigraph server did not listen")


def start_server(location: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``oxigraph serve`` over ``location`` on a free loopback port; (process, query URL)."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_listening(port, process)
    return process, f"http://127.0.0.1:{port}/query"


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)
