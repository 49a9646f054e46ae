"""Text from documents is shown literally in the viz page, never run as markup or script.

Invented minutes (not from the seeds) put script tags, an ``<img onerror>`` and both kinds of
quote into a committee name, item titles and a person's name; they go through the real
extract → ingest path, the page is built and opened in Chromium, and the payloads must show
up as text while ``window.__pwned`` stays undefined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_viz_browser import OpenedPage, browser, node_dom_position, open_page, search  # noqa: F401

from kommunegraf.graph.answers.viz import VizGraph, build_graph
from kommunegraf.graph.answers.viz_page import render_page, write_page
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import open_store

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
QUOTED = 'Sigrid "Sisse" O\'Bryan'
TITLE_SCRIPT = f"Godkendelse af {SCRIPT} dagsorden"
TITLE_IMG = f"Projekt {IMG} om 'cykelstier' og \"fortove\""
PAGE_TITLE = "kommunegraf: </title><script>window.__pwned=3</script>"

MINUTES = f"""Gribskov Kommune

REFERAT Teknik- og Miljøudvalget {SCRIPT} 2022-2025 d. 14-03-2024

Mødedato Torsdag d. 14. marts 2024 kl. 16:00

Mødested Rådhuset, mødelokale "Ø'sten" {IMG}

Punkt 12: {TITLE_SCRIPT}

01.02.03-P20-7-24

Beslutning

Teknik- og Miljøudvalget, 14.03.2024

Godkendt

Fraværende: {QUOTED}

Punkt 13: {TITLE_IMG}

05.01.00-G01-3-24

Sagsfremstilling

Projektleder Valdemar Kjeldsen (B) fremlagde sagen.

Beslutning

Teknik- og Miljøudvalget, 14.03.2024

Godkendt med 5 stemmer for og 2 imod. Imod stemte {QUOTED} (Ø) og Valdemar Kjeldsen (B).
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> VizGraph:
    root = tmp_path_factory.mktemp("hostile")
    minutes = root / "minutes" / "gribskov_tmu_2024-03-14.txt"
    minutes.parent.mkdir()
    minutes.write_text(MINUTES, encoding="utf-8")
    with open_store(root / "store", write=True) as store:
        summary = ingest([minutes], store, jobs=1, reporter=PlainReporter(lambda _: None))
    assert summary.errors == 0 and summary.documents == 1
    with open_store(root / "store", write=False) as store:
        graph = build_graph(store)
    graph.title = PAGE_TITLE
    return graph


def label_of(graph: VizGraph, text: str) -> tuple[str, str]:
    """(id, label) of the node whose label contains ``text`` (the payload reached it)."""
    found = [(n.id, n.label) for n in graph.nodes if text in n.label]
    assert found, f"precondition: extraction and ingest kept {text!r} in some label"
    return found[0]


@pytest.fixture
def page(browser: Any, hostile: VizGraph, tmp_path: Path) -> Iterator[OpenedPage]:  # noqa: F811
    yield from open_page(browser, write_page(hostile, tmp_path / "hostile.html"))


def test_payloads_reach_the_graph_and_never_the_markup(hostile: VizGraph):
    label_of(hostile, TITLE_SCRIPT)
    label_of(hostile, TITLE_IMG)
    label_of(hostile, QUOTED)
    label_of(hostile, f"Teknik- og Miljøudvalget {SCRIPT}")
    html = render_page(hostile)
    for payload in (SCRIPT, IMG, "<script>window.__pwned=3", "<img src=x", "</title><script>"):
        assert payload not in html


def pwned(page: OpenedPage) -> Any:
    return page.eval("typeof window.__pwned === 'undefined' ? null : window.__pwned")


def test_page_shows_the_payloads_as_text(page: OpenedPage, hostile: VizGraph):
    assert pwned(page) is None
    assert page.eval("document.title") == PAGE_TITLE
    assert page.page.locator("#kg-title").text_content() == PAGE_TITLE
    assert page.eval("document.querySelectorAll('img').length") == 0
    assert page.eval("document.scripts.length") == 3  # vis-network, the data, the page's own

    for text in (TITLE_SCRIPT, TITLE_IMG, QUOTED):
        node_id, label = label_of(hostile, text)
        assert search(page, text) == node_id
        details = page.page.locator("#kg-details-body .label")
        assert details.text_content() == label
        assert page.eval("document.querySelectorAll('#kg-details-body *').length") > 0
        assert (
            page.eval(
                "document.querySelectorAll('#kg-details-body img, #kg-details-body script').length"
            )
            == 0
        )

    node_id, label = label_of(hostile, f"Teknik- og Miljøudvalget {SCRIPT}")
    page.eval("id => kgViz.network.focus(id, {scale: 1.5})", node_id)
    x, y = node_dom_position(page, node_id)
    page.page.mouse.move(x, y)
    card = page.page.locator("#kg-card")
    card.wait_for(state="visible", timeout=5000)
    assert card.locator(".title").text_content() == label
    page.page.mouse.click(x, y)
    assert page.page.locator("#kg-details-body .label").text_content() == label

    page.page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert pwned(page) is None
    assert page.eval("document.querySelectorAll('img, iframe, object').length") == 0
    assert page.remote_requests() == []
    assert page.errors == []
