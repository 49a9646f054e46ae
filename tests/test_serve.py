"""`kommunegraf serve`: the store over HTTP (a Python front and query workers), stopped by a
signal; SERVICE, foreign Host headers, runaway queries and a killed server (issue 19)."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.serve.launch import base_url, is_loopback
from kommunegraf.graph.store.local import open_store

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
    return [sys.executable, "-m", "kommunegraf", *args]


def start(store_dir: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``kommunegraf serve --port 0 …`` running; the process and the endpoint URL."""
    process = subprocess.Popen(
        kommunegraf("--store", str(store_dir), "serve", "--port", "0", *options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # blocks until the server listens
    assert first.startswith("SPARQL endpoint  http://127.0.0.1:"), first + process.stderr.read()
    return process, first.split()[2]


def finish(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture
def served(store_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``kommunegraf serve --port 0`` running; yields the process and the endpoint URL."""
    process, url = start(store_dir)
    yield process, url
    finish(process)


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
    process.send_signal(signum)
    process.wait(timeout=30)
    # read(), not communicate(): the fixture's readline() may hold the next lines in its buffer
    assert process.stdout is not None and process.stderr is not None
    out, err = process.stdout.read(), process.stderr.read()
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
    base = url.removesuffix("query")
    writes = [
        urllib.request.Request(url, data=urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()),
        urllib.request.Request(base + "store?default", data=b"<a:b> <a:c> <a:d> .", method="PUT"),
        urllib.request.Request(base + "store?default", method="DELETE"),
        urllib.request.Request(base + "store?default", data=b"<a:b> <a:c> <a:d> .", method="POST"),
    ]
    for write in writes:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(write, timeout=30)
        assert refused.value.code == 403 and b"read-only" in refused.value.read()

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


# --- issue 19: what the server refuses, and what it leaves behind ---------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback listener standing for an internal service: it records whoever reaches it."""

    hits: list[str]

    def _answer(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP listener on loopback; yields its URL and the requests it received."""
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/internal", hits
    server.shutdown()
    server.server_close()


def post_query(url: str, query: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
    """POST a query; (status, headers, body) whatever the status."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if host is not None:
        headers["Host"] = host
    try:
        body = urllib.parse.urlencode({"query": query})
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def service_queries(target: str) -> list[str]:
    """SERVICE written every way the grammar allows: the parse tree must catch each."""
    namespace, local = target.rsplit("/", 1)
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX in: <{namespace}/>\nSELECT * WHERE {{ SERVICE in:{local} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVI\\u0043E <{target}> {{ ?s ?p ?o }} }}",  # a codepoint escape
        f"SELECT * WHERE {{ BIND(<{target}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { OPTIONAL { SELECT ?s WHERE { # SERVICE in a comment, then a real one\n"
        f"  SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f'ASK {{ FILTER("x" != "SERVICE") SERVICE <{target}> {{ ?s ?p ?o }} }}',
    ]


def test_service_never_reaches_a_loopback_listener(
    served: tuple[subprocess.Popen[str], str], listener: tuple[str, list[str]]
) -> None:
    _, url = served
    target, hits = listener
    for query in service_queries(target):
        status, _, body = post_query(url, query)
        assert status == 400, (query, status, body)
        assert body.count("\n") == 1 and "--allow-service" in body, body
    assert hits == []
    # the word alone, in a string or a comment, is no federated query
    innocent = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/x> { }" AS ?x) } # SERVICE'
    status, _, body = post_query(url, innocent)
    assert status == 200, body
    assert (
        "SERVICE <http://127.0.0.1:1/x>" in json.loads(body)["results"]["bindings"][0]["x"]["value"]
    )


def test_allow_service_reaches_it(store_dir: Path, listener: tuple[str, list[str]]) -> None:
    """The option does what its help says (so the refusal above is the guard, not a failure)."""
    process, url = start(store_dir, "--allow-service")
    try:
        target, hits = listener
        status, _, body = post_query(url, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert status == 200, body
        assert hits and hits[0].endswith("/internal")
    finally:
        finish(process)
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--allow-service" in help_text and "fetches any URL" in help_text


def test_a_foreign_host_is_refused(served: tuple[subprocess.Popen[str], str]) -> None:
    _, url = served
    port = urllib.parse.urlsplit(url).port
    ask = "ASK { }"
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost:1"):
        status, _, body = post_query(url, ask, host=host)
        assert status == 403 and "does not name this server" in body, (host, status, body)
    parts = urllib.parse.urlsplit(url)
    page = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    page.request("GET", "/", headers={"Host": "evil.example"})
    assert page.getresponse().status == 403
    page.close()
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, _, body = post_query(url, ask, host=host)
        assert status == 200, (host, body)


def test_another_origin_is_refused(served: tuple[subprocess.Popen[str], str]) -> None:
    _, url = served
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = urllib.parse.urlencode({"query": "ASK {}"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}
    connection.request("POST", "/query", body=body, headers=headers)
    assert connection.getresponse().status == 403
    connection.close()


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def all_gone(pids: set[int], within: float = 30.0) -> bool:
    """Whether every one of ``pids`` has ended, waiting up to ``within`` seconds (a liveness
    bound, not a measurement: a signal is delivered a moment after the event that sends it)."""
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def servers_of(store: Path) -> list[str]:
    """Command lines of processes serving ``store`` (the workers, or an Oxigraph server)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        serving = any(
            w.endswith("oxigraph") or w == "kommunegraf.graph.serve.worker" for w in words
        )
        if serving and str(store) in words and alive(int(cmdline.parent.name)):
            found.append(" ".join(words))
    return found


def test_a_runaway_query_ends_at_the_timeout(store_dir: Path) -> None:
    process, url = start(store_dir, "--timeout", "2", "--max-bytes", "4096")
    try:
        workers = children(process.pid)
        assert workers
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, headers, body = post_query(url, runaway)
        assert status == 503 and "timeout" in body, body
        stopped = int(headers["Kommunegraf-Worker"])
        assert stopped in workers
        assert not alive(stopped)  # killed and reaped: its core is free
        # the server goes on, with a new worker in its place
        status, _, body = post_query(url, "ASK { ?s ?p ?o }")
        assert status == 200 and "true" in body
        # and an answer past --max-bytes is refused, not sent
        status, _, body = post_query(url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 500 and "--max-bytes" in body, body
    finally:
        finish(process)
    # the workers die with the server (a parent-death signal, delivered as it exits)
    assert all_gone(workers)


def test_a_memory_hog_is_stopped_at_the_cap(store_dir: Path) -> None:
    """A sort of a cartesian product grows by hundreds of MB a second: stopped at --max-memory."""
    process, url = start(store_dir, "--max-memory", "400", "--timeout", "300")
    try:
        workers = children(process.pid)
        hog = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d LIMIT 1"
        status, headers, body = post_query(url, hog)
        assert status == 500 and "--max-memory" in body, body
        stopped = int(headers["Kommunegraf-Worker"])
        assert stopped in workers and not alive(stopped)
        status, _, body = post_query(url, "ASK { ?s ?p ?o }")
        assert status == 200 and "true" in body
    finally:
        finish(process)


def test_a_query_whose_client_left_is_stopped(store_dir: Path) -> None:
    """A client that gives up frees its core long before the timeout (600 s here)."""
    process, url = start(store_dir, "--timeout", "600")
    try:
        workers = children(process.pid)
        parts = urllib.parse.urlsplit(url)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        body = urllib.parse.urlencode({"query": runaway}).encode()
        with socket.create_connection((parts.hostname, parts.port)) as client:
            client.sendall(
                f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{parts.port}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            time.sleep(1)  # let the query start (the check below does not depend on it)
        deadline = time.monotonic() + 60  # a liveness bound, far below the timeout
        while all(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not all(alive(pid) for pid in workers)
        status, _, answer = post_query(url, "ASK { ?s ?p ?o }")
        assert status == 200 and "true" in answer
    finally:
        finish(process)


def test_kill_9_leaves_no_server_and_ingest_is_refused_or_waits(
    store_dir: Path, seed_paths: list[Path]
) -> None:
    process, url = start(store_dir)
    assert servers_of(store_dir)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    args = kommunegraf("--store", str(store_dir), "ingest", "--jobs", "1", str(seed_paths[0]))
    ingest_run = subprocess.run(args, capture_output=True, text=True, timeout=120)
    # refused while a worker still held the lock, or run after every worker had gone
    assert ingest_run.returncode == 0 or "in use by another kommunegraf process" in (
        ingest_run.stderr
    ), ingest_run.stderr
    deadline = time.monotonic() + 30  # a liveness bound, not a measurement
    while servers_of(store_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert servers_of(store_dir) == []
    assert not listening(url)


def test_a_worker_holds_the_store_lock_on_its_own(store_dir: Path) -> None:
    """The lock is handed to the workers: a worker outliving its server still keeps ingest out."""
    import fcntl

    from kommunegraf.graph.serve.pool import Settings, start_worker
    from kommunegraf.graph.store.local import LOCK_FILE, StoreBusy

    fd = os.open(store_dir / LOCK_FILE, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_SH)
    worker = start_worker(Settings(store_dir, fd, timeout=30, max_bytes=1 << 20))
    try:
        worker.wait_ready(time.monotonic() + 60)
        os.close(fd)  # the server's own hold is gone
        with pytest.raises(StoreBusy), open_store(store_dir, write=True):
            pass
    finally:
        worker.kill()
    with open_store(store_dir, write=True):
        pass


def test_a_request_never_waits_for_a_replacement_to_start(store_dir: Path) -> None:
    """After a worker is killed, requests go to the ready one, not to its starting successor
    (whose start would eat their deadline)."""
    import fcntl

    from kommunegraf.graph.serve.pool import Pool, Settings
    from kommunegraf.graph.store.local import LOCK_FILE

    fd = os.open(store_dir / LOCK_FILE, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_SH)
    pool = Pool(Settings(store_dir, fd, timeout=30, max_bytes=1 << 20), 2)
    try:
        pool.wait_ready(120)
        first, second = pool.idle.get(), pool.idle.get()
        pool.discard(first)
        pool.idle.put(second)
        pool.replenish()  # starts a successor; it is not ready yet
        assert len(pool.starting) == 1
        reply = pool.ask({"op": "query", "text": "ASK {}", "accept": None}, 30)
        assert reply.status == 200 and reply.pid == second.pid
        pool.replenish(wait=120)
        assert not pool.starting and pool.idle.qsize() == 2
    finally:
        pool.close()
        os.close(fd)


@pytest.mark.slow
def test_the_serve_benchmark_runs_and_reports(store_dir: Path) -> None:
    bench = Path(__file__).resolve().parent.parent / "bench" / "serve.py"
    done = subprocess.run(
        [sys.executable, str(bench), str(store_dir), "--runs", "2", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ASK {} over HTTP" in done.stdout and "/labels for" in done.stdout
    assert "runaway query: HTTP 503" in done.stdout and "gone: True" in done.stdout
