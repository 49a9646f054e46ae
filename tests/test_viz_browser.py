"""The `kommunegraf viz` page in a real headless Chromium (Debian's, driven by Playwright).

Every network request is intercepted: the page must draw from disk with nothing fetched.
Counts are read from the page's vis DataSets and compared with the graph built in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser import launched_chromium

from kommunegraf.graph.answers.viz import TYPES_BY_KEY, Focus, VizGraph, build_graph
from kommunegraf.graph.answers.viz_page import write_page
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import open_store

pytestmark = pytest.mark.browser

READY_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, launched by Playwright (tests/browser.py)."""
    with launched_chromium() as launched:
        yield launched


@dataclass
class OpenedPage:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if u.split(":", 1)[0].lower() not in ("file", "data")]

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


def open_page(browser: Any, html: Path) -> Iterator[OpenedPage]:
    """Open the page with every request recorded and any remote one blocked; wait until the
    page says its layout has settled."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    opened = OpenedPage(page)

    def route(r: Any) -> None:
        opened.requests.append(r.request.url)
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.goto(html.resolve().as_uri())
    page.wait_for_function("window.kgViz && window.kgViz.ready === true", timeout=READY_TIMEOUT_MS)
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="module")
def seed_store(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vizb") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _: None))
    assert summary.errors == 0
    return folder


@pytest.fixture(scope="module")
def whole(seed_store: Path) -> VizGraph:
    with open_store(seed_store, write=False) as store:
        return build_graph(store)


@pytest.fixture
def whole_page(browser: Any, whole: VizGraph, tmp_path: Path) -> Iterator[OpenedPage]:
    html = write_page(whole, tmp_path / "graph.html")
    yield from open_page(browser, html)


def node_dom_position(opened: OpenedPage, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    return tuple(
        opened.eval(
            """id => {
                const net = window.kgViz.network;
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.querySelector('#kg-network canvas').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""",
            node_id,
        )
    )


def search(opened: OpenedPage, text: str) -> str:
    """Type into the search box; the id of the node it selects (whose label holds the text)."""
    opened.page.locator("#kg-search").fill(text)
    opened.page.wait_for_function(
        """t => {
            const s = kgViz.network.getSelectedNodes();
            return s.length === 1 && kgViz.info(s[0]).label.toLowerCase().includes(t.toLowerCase());
        }""",
        arg=text,
        timeout=5000,
    )
    return opened.eval("kgViz.network.getSelectedNodes()[0]")


def test_page_draws_every_node_and_edge_offline(
    whole_page: OpenedPage, whole: VizGraph, tmp_path: Path
):
    counts = whole_page.eval(
        "[kgViz.nodes.length, kgViz.edges.length, kgViz.visibleNodes().length]"
    )
    assert counts == [len(whole.nodes), len(whole.edges), len(whole.nodes)]
    ids = whole_page.eval("kgViz.nodes.getIds()")
    assert set(ids) == {n.id for n in whole.nodes}
    # Something is painted: the canvas is not blank.
    painted = whole_page.eval(
        """() => {
            const c = document.querySelector('#kg-network canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] && d[i] + d[i + 1] + d[i + 2] < 600) n++;
            }
            return n;
        }"""
    )
    assert painted > 1000
    assert whole_page.eval("document.body.dataset.ready") == "true"
    assert whole_page.remote_requests() == []
    assert whole_page.errors == []
    shot = tmp_path / "viz-whole.png"
    whole_page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_legend_lists_the_types_with_counts(whole_page: OpenedPage, whole: VizGraph):
    legend = whole_page.eval(
        """() => [...document.querySelectorAll('#kg-types label')].map(l =>
            [l.dataset.type, l.querySelector('.name').textContent,
             Number(l.querySelector('.count').textContent), !!l.querySelector('svg')])"""
    )
    expected = [
        [key, TYPES_BY_KEY[key].label, count, True] for key, count in whole.type_counts().items()
    ]
    assert legend == expected


def test_search_selects_and_focuses_the_match(whole_page: OpenedPage, whole: VizGraph):
    case = next(n for n in whole.nodes if n.type == "case")
    assert search(whole_page, case.label) == case.id
    assert whole_page.page.locator("#kg-details-body .label").text_content() == case.label
    assert whole_page.page.locator("#kg-search-count").text_content() == "1 match"
    # Several matches: Enter steps to the next one.
    first = search(whole_page, "Punkt")
    whole_page.page.locator("#kg-search").press("Enter")
    second = whole_page.eval("kgViz.network.getSelectedNodes()[0]")
    assert first != second
    assert whole_page.eval("id => kgViz.info(id).type", second) == "item"


def test_type_filter_hides_and_shows_nodes(whole_page: OpenedPage, whole: VizGraph):
    decisions = whole.type_counts()["decision"]
    whole_page.page.locator('#kg-types label[data-type="decision"] input').uncheck()
    visible = whole_page.eval("kgViz.visibleNodes().map(n => n.kgType)")
    assert len(visible) == len(whole.nodes) - decisions and "decision" not in visible
    whole_page.page.locator('#kg-types label[data-type="decision"] input').check()
    assert whole_page.eval("kgViz.visibleNodes().length") == len(whole.nodes)


def test_hover_card_and_details_with_source(whole_page: OpenedPage, whole: VizGraph):
    decision = next(n for n in whole.nodes if n.type == "decision" and n.sources)
    whole_page.eval("id => kgViz.network.focus(id, {scale: 1.5})", decision.id)
    x, y = node_dom_position(whole_page, decision.id)
    whole_page.page.mouse.move(x, y)
    card = whole_page.page.locator("#kg-card")
    card.wait_for(state="visible", timeout=5000)
    assert card.locator(".title").text_content() == decision.label
    assert decision.outcome in card.locator(".meta").text_content()
    whole_page.page.mouse.click(x, y)
    details = whole_page.page.locator("#kg-details-body")
    assert details.locator(".label").text_content() == decision.label
    link = details.locator("ul.sources a").first
    assert link.text_content() == decision.sources[0].path
    assert link.get_attribute("href") == decision.sources[0].iri
    assert "Connected" in details.text_content()


def test_cut_graph_shows_the_message(browser: Any, seed_store: Path, tmp_path: Path):
    with open_store(seed_store, write=False) as store:
        graph = build_graph(store, Focus(municipality=_any_municipality(store)), max_nodes=12)
    assert graph.message
    html = write_page(graph, tmp_path / "cut.html")
    for opened in open_page(browser, html):
        banner = opened.page.locator("#kg-message")
        assert banner.is_visible() and banner.text_content() == graph.message
        assert opened.eval("kgViz.nodes.length") == 12
        assert opened.eval("kgViz.edges.length") == len(graph.edges)
        assert opened.remote_requests() == []
        assert opened.errors == []


def _any_municipality(store: Any) -> str:
    rows = store.query(
        "SELECT ?label WHERE { ?c <https://w3id.org/kommunegraf/ontology#municipality> ?m . "
        "?m <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label LIMIT 1"
    )
    return str(next(iter(rows))["label"])
