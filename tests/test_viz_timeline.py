"""Issue 18.7: the graph a newcomer sees first.

The demo opens on a case laid out as a timeline of its meetings, with labels; items referred
to but not ingested are named as a reader would; provisions of one law look different; a
case's details carry its status, next step and timeline; a thread's view keeps to the
thread's items and what they name.  Expected values are read from the store with SPARQL
written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from kommunegraf.graph.analysis.threads import list_threads
from kommunegraf.graph.answers.viz import Focus, VizGraph, VizNode, build_graph
from kommunegraf.graph.answers.viz_layout import lay_out_timeline
from kommunegraf.graph.answers.viz_model import VizEdge
from kommunegraf.graph.answers.viz_nodes import ISO_DATE_RE, ITEM_IRI_RE, MUNICIPALITY_WORD_RE
from kommunegraf.graph.answers.viz_page import (
    PROVISION_IN_LABEL,
    canvas_label,
    page_data,
    pyvis_network,
    write_page,
)
from kommunegraf.graph.cli.demo import DEMO_CASE, EXAMPLES, demo_steps
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import IRI, Store, open_store
from kommunegraf.ontology.terms import sparql_prefixes

P = sparql_prefixes()
# "(not ingested) Næstved, Beskæftigelses- og Uddannelsesudvalget, 2018-03-05, item 21"
MISSING_LABEL = re.compile(r"^\(not ingested\) [^,/]+, [^/]+, \d{4}-\d{2}-\d{2}, item \d+$")


def rows(store: Store, sparql: str, bindings: dict | None = None) -> list[dict]:
    return list(store.query(P + sparql, bindings))  # type: ignore[arg-type]


def _ingest(paths: list[Path], folder: Path) -> Path:
    with open_store(folder, write=True) as store:
        summary = ingest(paths, store, jobs=1, reporter=PlainReporter(lambda _: None))
    assert summary.errors == 0
    return folder


@pytest.fixture(scope="module")
def seed_store(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingest(seed_paths, tmp_path_factory.mktemp("timeline") / "store")


@pytest.fixture
def store(seed_store: Path) -> Iterator[Store]:
    with open_store(seed_store, write=False) as opened:
        yield opened


def _by_id(graph: VizGraph) -> dict[str, VizNode]:
    return {n.id: n for n in graph.nodes}


# --- the demo's view --------------------------------------------------------------------------


def test_the_demo_opens_on_a_case_as_a_timeline(tmp_path: Path) -> None:
    viz = next(step for step in demo_steps("s", tmp_path / "g.html") if "viz" in step)
    assert "--case" in viz and DEMO_CASE in viz  # not the whole store
    examples = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"})
    with open_store(_ingest(examples, tmp_path / "store"), write=False) as store:
        graph = build_graph(store, Focus(case=DEMO_CASE, municipality="Vejle"))
    assert graph.layout == "timeline"
    assert len(graph.nodes) < 60  # a picture a reader takes in, not a hairball
    meetings = sorted((n for n in graph.nodes if n.type == "meeting"), key=lambda n: n.date or "")
    assert len(meetings) >= 2
    xs = [m.x for m in meetings]
    assert all(x is not None for x in xs) and xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(n.x is not None and n.y is not None for n in graph.nodes)
    assert all(canvas_label(n) for n in graph.nodes)  # every node is labelled


def test_items_stand_under_their_meeting_and_cases_above(store: Store) -> None:
    case = rows(
        store,
        "SELECT ?id (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i kg:case/dcterms:identifier ?id } "
        "GROUP BY ?id ORDER BY DESC(?n) ?id LIMIT 1",
    )[0]["id"]
    graph = build_graph(store, Focus(case=str(case)))
    nodes = _by_id(graph)
    for e in graph.edges:
        if e.predicate.endswith("#meeting"):
            item, meeting = nodes[e.source], nodes[e.target]
            assert item.x == meeting.x and (item.y or 0) > (meeting.y or 0)
    lowest_meeting = min(n.y or 0 for n in graph.nodes if n.type == "meeting")
    assert all((n.y or 0) < lowest_meeting for n in graph.nodes if n.type == "case")
    data = page_data(graph, pyvis_network(graph))
    assert data["layout"] == "timeline" and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_a_network_layout_can_be_asked_for(store: Store) -> None:
    case = rows(store, "SELECT ?id WHERE { ?c a kg:Case ; dcterms:identifier ?id } LIMIT 1")
    graph = build_graph(store, Focus(case=str(case[0]["id"])), layout="network")
    assert graph.layout == "network" and all(n.x is None for n in graph.nodes)
    with pytest.raises(ValueError):
        build_graph(store, Focus(case=str(case[0]["id"])), layout="spiral")


def test_timeline_without_dates_leaves_the_network() -> None:
    graph = VizGraph(nodes=[VizNode("a", "person", "Eja Fjord")], edges=[], title="t")
    assert lay_out_timeline(graph) is False and graph.nodes[0].x is None


def test_entities_of_one_row_keep_apart() -> None:
    meeting = VizNode("m", "meeting", "2024-01-02 Kulturudvalget", date="2024-01-02")
    item = VizNode("i", "item", "Punkt 1: Tilskud", date="2024-01-02")
    people = [VizNode(f"p{k}", "person", f"Person {k} (OPDIGTET)") for k in range(5)]
    edges = [VizEdge("i", "m", "kg#meeting", "meeting")]
    edges += [VizEdge("i", p.id, "kg#mentions", "mentions") for p in people]
    graph = VizGraph(nodes=[meeting, item, *people], edges=edges, title="t")
    assert lay_out_timeline(graph)
    xs = sorted(p.x or 0 for p in people)
    assert all(b - a >= 150 for a, b in pairwise(xs))
    assert all((p.y or 0) > (item.y or 0) for p in people)


# --- labels and details ------------------------------------------------------------------------


def test_items_not_ingested_are_named_as_a_reader_would(store: Store) -> None:
    graph = build_graph(store, max_nodes=100_000)
    missing = [n for n in graph.nodes if not n.in_store]
    assert missing
    for n in missing:
        assert MISSING_LABEL.match(n.label), n.label
        assert n.date and n.date in n.label
    labels = {n.label for n in missing}
    assert (
        "(not ingested) Næstved, Beskæftigelses- og Uddannelsesudvalget, 2018-03-05, item 21"
        in labels
    )
    # the canvas leads with what tells them apart
    assert all(canvas_label(n).startswith(f"(not ingested) {n.date}") for n in missing)


def test_provisions_of_one_law_look_different(store: Store) -> None:
    provisions = rows(
        store,
        "SELECT ?p (MIN(STR(?label)) AS ?l) ?law WHERE { ?p a kg:Provision ; rdfs:label ?label ; "
        "eli:is_part_of ?law } GROUP BY ?p ?law",
    )
    by_law: dict[str, list[str]] = {}
    for r in provisions:
        if PROVISION_IN_LABEL.search(str(r["l"])):
            by_law.setdefault(str(r["law"]), []).append(str(r["l"]))
    labels = max(by_law.values(), key=len)
    assert len(labels) >= 2, "the seeds cite two provisions of one law"
    drawn = {canvas_label(VizNode(str(k), "law", label)) for k, label in enumerate(labels)}
    printed = {m["provision"] for m in map(PROVISION_IN_LABEL.search, labels) if m}
    assert len(drawn) == len(printed) >= 2  # one look per provision
    assert all(d.startswith(("§", "kap")) for d in drawn)
    long_act = VizNode("x", "law", "Lov om en aktiv beskæftigelsesindsats, § 31, stk. 2")
    assert canvas_label(long_act).startswith("§ 31, stk. 2 · Lov om")
    chapter = VizNode("y", "law", "Lov om en aktiv beskæftigelsesindsats, kapitel 10-12")
    assert canvas_label(chapter).startswith("kapitel 10-12 · ")
    assert canvas_label(VizNode("z", "law", "Barselsloven")) == "Barselsloven"


def test_a_case_shows_its_status_next_step_and_timeline(store: Store) -> None:
    row = rows(
        store,
        "SELECT ?c ?id (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:item/kg:case ?c . "
        "?c dcterms:identifier ?id } GROUP BY ?c ?id ORDER BY DESC(?n) ?c LIMIT 1",
    )[0]
    graph = build_graph(store, Focus(case=str(row["id"])))
    details = dict(_by_id(graph)[str(row["c"])].details)
    assert details["status"] and details["next step"]
    dates = {
        str(r["date"])
        for r in rows(
            store,
            "SELECT ?date ?c WHERE { ?d kg:item/kg:case ?c ; kg:date ?date }",
            {"c": IRI(str(row["c"]))},
        )
    }
    assert dates and all(day in details["timeline"] for day in dates)


# --- the thread's view -----------------------------------------------------------------------


def test_a_thread_keeps_to_its_items_and_what_they_name(store: Store) -> None:
    threads = list_threads(store, min_meetings=2, standing=True)
    assert threads
    thread = threads[0]
    members = {
        str(r["i"])
        for r in rows(
            store,
            "SELECT ?i ?t WHERE { ?t kg:threadItem ?i }",
            {"t": IRI(thread.iri)},
        )
    }
    siblings = {
        str(r["x"])
        for r in rows(
            store,
            "SELECT DISTINCT ?x ?t WHERE { ?t kg:threadItem ?i . ?i kg:meeting ?m . "
            "?x kg:meeting ?m }",
            {"t": IRI(thread.iri)},
        )
    } - members
    assert siblings, "the thread's meetings hold other items"
    graph = build_graph(store, Focus(thread=thread.iri))
    items = {n.id for n in graph.nodes if n.type == "item" and n.in_store}
    assert items == members
    named = {
        str(r["x"])
        for r in rows(
            store,
            "SELECT DISTINCT ?x ?t WHERE { ?t kg:threadItem ?i . ?i kg:mentions ?x }",
            {"t": IRI(thread.iri)},
        )
    }
    assert named <= {n.id for n in graph.nodes}
    assert max(n.distance or 0 for n in graph.nodes) == 1
    assert graph.layout == "timeline"


# --- the page in a browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_the_timeline_page_is_drawn_where_it_was_laid_out(store: Store, tmp_path: Path) -> None:
    from browser import launched_chromium
    from test_viz_browser import open_page

    case = rows(store, "SELECT ?id WHERE { ?c a kg:Case ; dcterms:identifier ?id } LIMIT 1")
    graph = build_graph(store, Focus(case=str(case[0]["id"])))
    html = write_page(graph, tmp_path / "timeline.html")
    with launched_chromium() as browser:
        for opened in open_page(browser, html):
            positions: dict[str, Any] = opened.eval("() => window.kgViz.network.getPositions()")
            for n in graph.nodes:
                assert positions[n.id]["x"] == pytest.approx(n.x, abs=0.5)
                assert positions[n.id]["y"] == pytest.approx(n.y, abs=0.5)
            assert not opened.errors and not opened.remote_requests()


@pytest.mark.parametrize(
    ("iri", "parts"),
    [
        (
            "https://w3id.org/kommunegraf/id/fjordby/udvalg/kulturudvalget/moede/2024-03-05/punkt/7",
            ("https://w3id.org/kommunegraf/id/fjordby", "kulturudvalget", "2024-03-05", "7"),
        ),
        (
            "https://w3id.org/kommunegraf/id/fjordby/udvalg/byraadet/moede/kilde-ab12/punkt/3",
            ("https://w3id.org/kommunegraf/id/fjordby", "byraadet", "kilde-ab12", "3"),
        ),
        ("https://w3id.org/kommunegraf/id/fjordby/sag/01.02.03-a00-1-24", None),
    ],
)
def test_item_iri_parts(iri: str, parts: tuple[str, ...] | None) -> None:
    m = ITEM_IRI_RE.match(iri)
    assert (m.group("municipality", "committee", "meeting", "number") if m else None) == parts
    assert bool(ISO_DATE_RE.match("2024-03-05")) and not ISO_DATE_RE.match("kilde-ab12")
    assert MUNICIPALITY_WORD_RE.sub("", "Fjordby Kommune") == "Fjordby"
    assert MUNICIPALITY_WORD_RE.sub("", "Fjordby Regionskommune") == "Fjordby"
