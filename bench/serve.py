"""`kommunegraf serve` benchmark: what the front, the worker and the guards cost per query.

Usage:
  python bench/serve.py STORE [--runs 50] [--timeout 3]

Starts ``kommunegraf serve --port 0`` on STORE (a store ``kommunegraf ingest`` wrote) and
prints, p50/p95 over ``--runs``:

- ``ASK {}`` over HTTP (the fixed cost: HTTP, the Host and SERVICE checks, the worker's pipe);
- the same query in-process on an open store, for comparison;
- the bundled ``meetings-per-committee`` query over HTTP (``/query``) and as the page runs it
  (``/run``, parameters bound by the worker), and ``/labels`` for the IRIs of its answer;
- a cartesian product under ``--timeout``: the seconds until the answer (the timeout plus the
  kill), and whether the worker that ran it is gone afterwards.

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tree import use_this_tree

use_this_tree()

from kommunegraf import queries
from kommunegraf.graph.store.local import open_store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def post(port: int, path: str, body: bytes, media: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": media})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def timed(runs: int, call: Callable[[], object]) -> str:
    call()  # warm-up
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    p95 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))]
    return f"p50 {statistics.median(seconds) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()

    command = [sys.executable, "-m", "kommunegraf", "--store", str(args.store), "serve"]
    command += ["--port", "0", "--timeout", str(args.timeout)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()
    ready = time.perf_counter() - started
    port = int(urllib.parse.urlsplit(first.split()[2]).port or 0)
    try:
        print(f"serve ready (front + 2 workers)   {ready:.2f} s")
        form = "application/x-www-form-urlencoded"

        def query(text: str) -> bytes:
            status, _, body = post(
                port, "/query", urllib.parse.urlencode({"query": text}).encode(), form
            )
            assert status == 200, body
            return body

        print(f"ASK {{}} over HTTP                  {timed(args.runs, lambda: query('ASK {}'))}")
        with open_store(args.store, write=False) as store:
            local = timed(args.runs, lambda: store.ask("ASK {}"))
            print(f"ASK {{}} in-process                 {local}")
        bundled = queries.load("meetings-per-committee").text
        print(f"meetings-per-committee /query     {timed(args.runs, lambda: query(bundled))}")
        page = json.dumps({"text": bundled, "params": {}}).encode()
        print(
            "meetings-per-committee /run       "
            + timed(args.runs, lambda: post(port, "/run", page, "application/json"))
        )
        answer = json.loads(query(bundled))
        iris = sorted(
            {
                b[v]["value"]
                for b in answer["results"]["bindings"]
                for v in b
                if b[v]["type"] == "uri"
            }
        )
        labels = json.dumps({"iris": iris}).encode()
        print(
            f"/labels for {len(iris):3d} IRIs              "
            + timed(args.runs, lambda: post(port, "/labels", labels, "application/json"))
        )
        started = time.perf_counter()
        status, headers, _ = post(
            port, "/query", urllib.parse.urlencode({"query": RUNAWAY}).encode(), form
        )
        waited = time.perf_counter() - started
        pid = headers.get("Kommunegraf-Worker", "?")
        gone = not Path(f"/proc/{pid}").exists()
        print(
            f"runaway query: HTTP {status} after {waited:.2f} s (--timeout {args.timeout:g}); "
            f"worker {pid} gone: {gone}"
        )
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
