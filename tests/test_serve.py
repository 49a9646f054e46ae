"""`kommunegraf serve`: the store over HTTP through the Oxigraph server, stopped by a signal."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.ingest import PlainReporter, ingest
from graph.serve import ServeError, base_url, check_versions, is_loopback, server_version
from graph.serve import oxigraph_binary as find_server
from graph.store import open_store

pytestmark = pytest.mark.server

KG = "https://w3id.org/kommunegraf/ontology#"


@pytest.fixture(scope="module")
def store_dir(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("serve") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(seed_paths) and not summary.failed
    return folder


def kommunegraf(*args: str) -> list[str]:
    return [sys.executable, "-m", "graph.cli", *args]


@pytest.fixture
def served(store_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``kommunegraf serve --port 0`` running; yields the process and the endpoint URL."""
    process = subprocess.Popen(
        kommunegraf("--store", str(store_dir), "serve", "--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # blocks until the server listens
    assert first.startswith("SPARQL endpoint  http://127.0.0.1:"), first + process.stderr.read()
    url = first.split()[2]
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def sparql(url: str, query: str, accept: str = "application/sparql-results+json") -> bytes:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def listening(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    with socket.socket() as sock:
        return sock.connect_ex((parts.hostname, parts.port)) == 0


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str, str]:
    started = time.monotonic()
    process.send_signal(signum)
    process.wait(timeout=30)
    # read(), not communicate(): the fixture's readline() may hold the next lines in its buffer
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
    assert time.monotonic() - started < 15
    return process.returncode, out, err


def test_serve_answers_sparql_and_stops_cleanly_on_ctrl_c(
    served: tuple[subprocess.Popen[str], str], store_dir: Path
) -> None:
    process, url = served
    assert url.endswith("/query")
    count = f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{KG}Decision> }}"
    with open_store(store_dir, write=False) as store:
        expected = next(iter(store.select(count)))["n"]
        key = str(next(iter(store.select(f"SELECT ?k WHERE {{ [] <{KG}caseKey> ?k }}")))["k"])
    answer = json.loads(sparql(url, count))
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == expected > 0
    # the same merged default graph as the embedded store: a case is found by its key
    found = sparql(url, f'SELECT ?c WHERE {{ ?c <{KG}caseKey> "{key}" }}', "text/csv")
    assert found.decode().splitlines()[1].startswith("https://w3id.org/kommunegraf/id/")

    with urllib.request.urlopen(url.removesuffix("query"), timeout=30) as page:  # query page
        assert page.headers.get_content_type() == "text/html"
    with pytest.raises(urllib.error.HTTPError) as refused:  # read-only
        data = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
        urllib.request.urlopen(url.replace("/query", "/update"), data=data, timeout=30)
    assert refused.value.code in (403, 404, 405)

    code, out, err = stop(process, signal.SIGINT)
    assert code == 0, err
    assert "query page       http://127.0.0.1:" in out and "Ctrl-C to stop" in out
    assert "Traceback" not in err
    assert not listening(url)


def test_sigterm_stops_cleanly_too(served: tuple[subprocess.Popen[str], str]) -> None:
    process, url = served
    code, _, err = stop(process, signal.SIGTERM)
    assert code == 0, err
    assert not listening(url)


def test_ingest_is_refused_while_serving_and_works_after(
    served: tuple[subprocess.Popen[str], str], store_dir: Path, seed_paths: list[Path]
) -> None:
    process, _ = served
    args = kommunegraf("--store", str(store_dir), "ingest", "--jobs", "1", str(seed_paths[0]))
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"in use by another kommunegraf process (pid {process.pid})" in done.stderr
    stop(process, signal.SIGINT)
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_port_in_use_is_one_line(store_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            kommunegraf("--store", str(store_dir), "serve", "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == f"error: port {port} on 127.0.0.1 is in use; choose another with --port\n"


def test_missing_store_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "none"), "serve", "--port", "0"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no store at") and result.output.count("\n") == 1


def test_serve_refuses_an_endpoint() -> None:
    result = CliRunner().invoke(main, ["--endpoint", "http://127.0.0.1:1/query", "serve"])
    assert result.exit_code == 1 and "embedded --store" in result.output


def test_server_and_library_versions_match() -> None:
    import pyoxigraph

    version = server_version(find_server())
    assert version.split(".")[:2] == pyoxigraph.__version__.split(".")[:2]
    check_versions(version)
    check_versions("0.5.99", library="0.5.13")
    with pytest.raises(ServeError, match=r"pip install 'oxigraph==0.5.13'"):
        check_versions("0.4.11", library="0.5.13")


@pytest.mark.parametrize(
    ("host", "loopback", "url"),
    [
        ("127.0.0.1", True, "http://127.0.0.1:7878/"),
        ("localhost", True, "http://localhost:7878/"),
        ("::1", True, "http://[::1]:7878/"),
        ("0.0.0.0", False, "http://0.0.0.0:7878/"),
        ("192.168.1.20", False, "http://192.168.1.20:7878/"),
    ],
)
def test_hosts(host: str, loopback: bool, url: str) -> None:
    assert is_loopback(host) is loopback
    assert base_url(host, 7878) == url
