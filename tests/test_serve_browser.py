"""The `kommunegraf serve` query page in a real headless Chromium (Debian's, driven by Playwright).

Every request the page makes is recorded: none may leave the server on 127.0.0.1 (issue 18.6:
the stock Oxigraph page fetched prefix.cc and lov.linkeddata.es).  The page runs a bundled
example with a parameter, shows names for IRIs, and shows hostile result strings as text.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import launched_chromium

from kommunegraf import queries
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import open_store

pytestmark = [pytest.mark.browser, pytest.mark.server]

WAIT_MS = 60_000
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>&amp;"\'`'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, launched by Playwright (tests/browser.py)."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of the seeds served on loopback; yields the page's URL."""
    folder = tmp_path_factory.mktemp("serve-page") / "store"
    with open_store(folder, write=True) as store:
        ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    process = subprocess.Popen(
        [sys.executable, "-m", "kommunegraf", "--store", str(folder), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    assert first.startswith("SPARQL endpoint  http://127.0.0.1:"), first + process.stderr.read()
    yield first.split()[2].removesuffix("query")
    process.kill()
    process.wait()


@pytest.fixture
def page(browser: Any, base: str) -> Iterator[tuple[Any, list[str]]]:
    """The page, loaded, with every request recorded and any beyond 127.0.0.1 blocked."""
    context = browser.new_context()
    requests: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        if urllib.parse.urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    opened = context.new_page()
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.goto(base)
    opened.wait_for_selector("body[data-ready='1']", timeout=WAIT_MS)
    yield opened, requests
    context.close()
    assert errors == []
    outside = [u for u in requests if urllib.parse.urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], outside
    assert all(u.startswith(base) for u in requests)


def run(page: Any) -> str:
    page.click("#run")
    page.wait_for_selector("body[data-state='done'], body[data-state='error']", timeout=WAIT_MS)
    return str(page.eval_on_selector("body", "b => b.dataset.state"))


def cells(page: Any, column: str) -> list[dict[str, str]]:
    """The cells of one result column: shown text, and the IRI behind it (if any)."""
    return list(
        page.evaluate(
            """column => {
                const names = [...document.querySelectorAll('#results thead th')]
                    .map(th => th.textContent);
                const at = names.indexOf(column);
                return [...document.querySelectorAll('#results tbody tr')].map(tr => ({
                    text: tr.cells[at].querySelector('span').textContent,
                    iri: tr.cells[at].dataset.iri || '',
                }));
            }""",
            column,
        )
    )


def test_a_bundled_example_runs_with_labels_and_nothing_leaves_loopback(
    page: tuple[Any, list[str]],
) -> None:
    opened, requests = page
    bundled = queries.load("meetings-per-committee")
    names = opened.eval_on_selector_all("#example option", "os => os.map(o => o.value)")
    assert set(queries.names()) <= set(names)
    prefixes = opened.eval_on_selector_all("#prefixes td", "ts => ts.map(t => t.textContent)")
    assert "kg:" in prefixes and "https://w3id.org/kommunegraf/ontology#" in prefixes

    opened.select_option("#example", "meetings-per-committee")
    assert opened.text_content("#description") == bundled.description
    assert opened.input_value("#query") == bundled.text
    opened.fill("input[data-param='municipality']", "Næstved")
    assert run(opened) == "done", opened.text_content("#status")
    municipalities = cells(opened, "municipality")
    assert municipalities  # the table has rows, each of Næstved, by name
    assert {c["text"] for c in municipalities} == {"Næstved Kommune"}
    assert {c["iri"] for c in municipalities} == {"https://w3id.org/kommunegraf/id/naestved"}
    assert any(u.endswith("/run") for u in requests) and any(
        u.endswith("/labels") for u in requests
    )


def test_own_query_gets_the_prefixes_and_hostile_text_stays_text(
    page: tuple[Any, list[str]],
) -> None:
    opened, _ = page
    opened.fill("#query", "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kg:Meeting }")  # no PREFIX
    assert run(opened) == "done", opened.text_content("#status")
    assert int(cells(opened, "n")[0]["text"]) > 0

    literal = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    opened.fill("#query", f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}')
    assert run(opened) == "done", opened.text_content("#status")
    assert cells(opened, "x")[0]["text"] == HOSTILE
    assert opened.evaluate("document.querySelectorAll('#results img, #results script').length") == 0
    assert opened.evaluate("window.pwned === undefined")


def test_errors_are_one_line_and_service_is_refused(page: tuple[Any, list[str]]) -> None:
    opened, _ = page
    opened.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    assert run(opened) == "error"
    assert "--allow-service" in opened.text_content("#status")
    opened.fill("#query", "SELECT * WHERE { ?s ?p")
    assert run(opened) == "error"
    assert opened.text_content("#status").strip()
