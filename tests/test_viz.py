"""`kommunegraf viz`: the graph chosen from the store, the cut, and the page's offline safety.

The seeds go through the real pipeline (extract → ingest → store) once per module; expected
values are read from the store with SPARQL written here, independently of graph/answers/viz.py.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kommunegraf.graph.analysis.threads import list_threads
from kommunegraf.graph.answers.viz import (
    DEFAULT_MAX_NODES,
    NODE_TYPES,
    Focus,
    FocusError,
    VizGraph,
    VizNode,
    build_graph,
)
from kommunegraf.graph.answers.viz_page import (
    canvas_label,
    node_size,
    page_data,
    pyvis_network,
    render_page,
    script_json,
)
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import IRI, Store, open_store
from kommunegraf.ontology.terms import sparql_prefixes

P = sparql_prefixes()
BIG = 100_000  # a limit no seed store reaches


def rows(store: Store, sparql: str, bindings: dict | None = None) -> list[dict]:
    return list(store.query(P + sparql, bindings))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seed_store(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("viz") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _: None))
    assert summary.errors == 0 and summary.documents == len(seed_paths)
    return folder


@pytest.fixture
def store(seed_store: Path) -> Iterator[Store]:
    with open_store(seed_store, write=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def whole(seed_store: Path) -> VizGraph:
    with open_store(seed_store, write=False) as opened:
        return build_graph(opened, max_nodes=BIG)


def ids(graph: VizGraph) -> set[str]:
    return {n.id for n in graph.nodes}


def node(graph: VizGraph, iri: str) -> VizNode:
    return next(n for n in graph.nodes if n.id == iri)


def busiest_case(store: Store) -> tuple[str, str]:
    """(IRI, printed number) of the case with the most agenda items."""
    row = rows(
        store,
        "SELECT ?c ?id (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i kg:case ?c . "
        "?c dcterms:identifier ?id } GROUP BY ?c ?id ORDER BY DESC(?n) ?c LIMIT 1",
    )[0]
    return str(row["c"]), str(row["id"])


# --- the whole store ------------------------------------------------------------------------


DOCUMENT_OR_SHARED = 'CONTAINS(STR({g}), "/id/kilde/") || STRENDS(STR({g}), "graph/shared")'


def test_whole_store_has_every_document_resource_of_each_type(store: Store, whole: VizGraph):
    """Each drawable class: as many nodes as the documents declare (plus items referred to
    but not ingested), so nothing is lost and nothing comes from the reference data alone."""
    counts = Counter(n.type for n in whole.nodes)
    for kind in NODE_TYPES:
        classes = ", ".join(f"<{c}>" for c in kind.classes)
        # a committee also named as an organisation is drawn as the committee
        specific = (
            "FILTER NOT EXISTS { ?x a ?s FILTER(?s IN (kg:Committee, kg:Municipality)) }"
            if kind.key == "organisation"
            else ""
        )
        expected = rows(
            store,
            # what documents declare: in their graphs, or once in the shared graph, or what
            # they point at that the reference data types (its copy is the one stored)
            "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { "
            f"{{ GRAPH ?g {{ ?x a ?t }} FILTER({DOCUMENT_OR_SHARED.format(g='?g')}) }} "
            'UNION { GRAPH ?r { ?x a ?t } FILTER(STRENDS(STR(?r), "graph/reference")) '
            f"FILTER EXISTS {{ GRAPH ?m {{ ?y ?p ?x }} {'FILTER('}"
            f"{DOCUMENT_OR_SHARED.format(g='?m')}) }} }} "
            f"FILTER(?t IN ({classes})) {specific} }}",
        )[0]["n"]
        if kind.key == "item":
            expected += rows(
                store,
                "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?i kg:refersTo ?x "
                "FILTER NOT EXISTS { ?x a ?any } }",
            )[0]["n"]
        assert counts[kind.key] == expected, kind.key
    assert whole.message is None and whole.left_out == {}
    assert len(whole.nodes) == whole.total_nodes


def test_whole_store_edges_follow_the_triples(store: Store, whole: VizGraph):
    by_label = Counter(e.label for e in whole.edges)
    case_links = rows(
        store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?i ?c { ?i kg:case ?c } }"
    )
    assert by_label["case"] == case_links[0]["n"] > 0
    on_item = rows(
        store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?d ?i { ?d kg:item ?i } }"
    )
    assert by_label["on item"] == on_item[0]["n"] > 0
    # Votes are folded into decision → person edges (the vote resource is not drawn).
    against = {
        (str(r["d"]), str(r["p"]))
        for r in rows(store, "SELECT DISTINCT ?d ?p WHERE { ?d kg:vote/kg:votedAgainst ?p }")
    }
    drawn = {(e.source, e.target) for e in whole.edges if e.label == "voted against"}
    assert drawn == against
    assert not any(n.id.endswith("/afstemning") for n in whole.nodes)
    nodes = ids(whole)
    assert all(e.source in nodes and e.target in nodes for e in whole.edges)


def test_node_cards_carry_date_outcome_municipality_and_source(
    store: Store, whole: VizGraph, seed_paths: list[Path]
):
    decisions = [n for n in whole.nodes if n.type == "decision"]
    assert decisions and all(n.outcome and n.municipality for n in decisions)
    row = rows(
        store,
        "SELECT ?i ?date ?title WHERE { ?i kg:meeting/kg:date ?date ; dcterms:title ?title } "
        "ORDER BY ?i LIMIT 1",
    )[0]
    item = node(whole, str(row["i"]))
    assert item.date == str(row["date"]) and row["title"] in item.label
    sources = store.sources()
    for n in (item, decisions[0]):
        assert n.sources, n.id
        for link in n.sources:
            assert link.iri in sources and link.path in sources[link.iri]
            assert link.path in {p.name for p in seed_paths}


def test_items_referred_to_but_not_ingested_are_marked(store: Store, whole: VizGraph):
    missing = {
        str(r["x"])
        for r in rows(
            store, "SELECT DISTINCT ?x WHERE { ?i kg:refersTo ?x FILTER NOT EXISTS { ?x a ?t } }"
        )
    }
    drawn = {n.id for n in whole.nodes if not n.in_store}
    assert drawn == missing
    for iri in missing:
        n = node(whole, iri)
        assert n.type == "item" and n.label.startswith("(not ingested)") and not n.sources


# --- focus views ----------------------------------------------------------------------------


def test_case_focus_depth_one_is_the_case_its_items_and_municipality(store: Store):
    case, number = busiest_case(store)
    expected = {case} | {
        str(r["x"])
        for r in rows(
            store,
            "SELECT ?x ?c WHERE { { ?x kg:case ?c } UNION { ?c kg:municipality ?x } }",
            {"c": IRI(case)},
        )
    }
    graph = build_graph(store, Focus(case=number.replace("-", " - ")), depth=1)
    assert ids(graph) == expected
    assert graph.centres == [case]
    assert node(graph, case).distance == 0
    assert {n.distance for n in graph.nodes if n.id != case} == {1}


def test_case_focus_does_not_walk_through_the_municipality(store: Store):
    case, number = busiest_case(store)
    graph = build_graph(store, Focus(case=number), depth=2)
    municipality = str(
        rows(store, "SELECT ?m ?c WHERE { ?c kg:municipality ?m }", {"c": IRI(case)})[0]["m"]
    )
    assert node(graph, municipality).distance == 1
    siblings = {
        str(r["x"])
        for r in rows(
            store,
            "SELECT ?x ?m WHERE { ?x a kg:Case ; kg:municipality ?m }",
            {"m": IRI(municipality)},
        )
    } - {case}
    assert siblings and not siblings & ids(graph)
    decisions = {
        str(r["d"])
        for r in rows(store, "SELECT ?d ?c WHERE { ?d kg:item/kg:case ?c }", {"c": IRI(case)})
    }
    assert decisions and decisions <= ids(graph)
    assert max(n.distance or 0 for n in graph.nodes) == 2


def test_depth_zero_is_the_centre_alone(store: Store):
    case, number = busiest_case(store)
    graph = build_graph(store, Focus(case=number), depth=0)
    assert ids(graph) == {case} and graph.edges == []


def test_municipality_by_name_or_code_is_the_same_view(store: Store):
    row = rows(
        store,
        "SELECT DISTINCT ?m ?label ?code WHERE { ?m a kg:Municipality ; rdfs:label ?label ; "
        "kg:kommunekode ?code . ?c kg:municipality ?m } ORDER BY ?m LIMIT 1",
    )[0]
    by_name = build_graph(store, Focus(municipality=str(row["label"])), depth=1)
    by_code = build_graph(store, Focus(municipality=str(row["code"])), depth=1)
    assert ids(by_name) == ids(by_code)
    assert by_name.centres == [str(row["m"])]
    cases = {
        str(r["c"])
        for r in rows(
            store, "SELECT ?c ?m WHERE { ?c a kg:Case ; kg:municipality ?m }", {"m": row["m"]}
        )
    }
    assert cases and cases <= ids(by_name)
    # Reached only through resources that are not drawn (the derived graph's link records)
    # would leave a node without edges: every node of a focus view is linked.
    wider = build_graph(store, Focus(municipality=str(row["label"])), depth=2)
    assert all(n.degree > 0 for n in wider.nodes)
    assert [n.id for n in wider.nodes if n.type == "municipality"] == [str(row["m"])]


def test_person_focus_matches_part_of_a_name_within_a_municipality(store: Store):
    row = rows(
        store,
        "SELECT ?p ?name ?m WHERE { ?p a kg:Person ; foaf:name ?name ; kg:municipality ?m . "
        "?d kg:absent|kg:vote/kg:votedAgainst ?p } ORDER BY ?p LIMIT 1",
    )[0]
    surname = str(row["name"]).split()[-1]
    label = rows(store, "SELECT ?l ?m WHERE { ?m rdfs:label ?l }", {"m": row["m"]})[0]["l"]
    graph = build_graph(store, Focus(person=surname.upper(), municipality=str(label)), depth=1)
    assert str(row["p"]) in graph.centres
    assert all(surname.casefold() in node(graph, c).label.casefold() for c in graph.centres)
    assert any(e.target == str(row["p"]) for e in graph.edges)


def test_law_and_thread_focus(store: Store):
    law = rows(
        store,
        "SELECT ?l ?label WHERE { ?i eli:cites ?l . ?l a kg:Law ; rdfs:label ?label } "
        "ORDER BY ?l LIMIT 1",
    )[0]
    graph = build_graph(store, Focus(law=str(law["label"])), depth=1)
    assert str(law["l"]) in graph.centres
    citing = {
        str(r["i"]) for r in rows(store, "SELECT ?i ?l WHERE { ?i eli:cites ?l }", {"l": law["l"]})
    }
    assert citing <= ids(graph)

    threads = list_threads(store, min_meetings=1, standing=True)
    assert threads, "the seeds hold at least one recurring case thread"
    thread = threads[0]
    by_iri = build_graph(store, Focus(thread=thread.iri), depth=0)
    by_hash = build_graph(store, Focus(thread=thread.iri.rsplit("/", 1)[-1]), depth=0)
    assert len(by_iri.centres) == thread.items
    assert ids(by_iri) == ids(by_hash) == set(by_iri.centres)
    assert {n.type for n in by_iri.nodes} == {"item"}


@pytest.mark.parametrize(
    "focus",
    [
        Focus(case="99.99.99-Z99-9-99"),
        Focus(person="Zyxwv Qqqq"),
        Focus(municipality="Atlantis"),
        Focus(law="Lov om tidsrejser"),
        Focus(thread="ffffffffffffffff"),
    ],
)
def test_focus_that_matches_nothing_is_an_error(store: Store, focus: Focus):
    with pytest.raises(FocusError):
        build_graph(store, focus)


# --- the size cut ---------------------------------------------------------------------------


def test_whole_store_is_cut_to_its_most_connected_part(store: Store, whole: VizGraph):
    limit = 25
    graph = build_graph(store, max_nodes=limit)
    degree = Counter(x for e in whole.edges for x in (e.source, e.target))
    kept = ids(graph)
    assert len(kept) == limit and graph.total_nodes == len(whole.nodes)
    assert min(degree[n] for n in kept) >= max(
        degree[n.id] for n in whole.nodes if n.id not in kept
    )
    assert sum(graph.left_out.values()) == len(whole.nodes) - limit
    assert graph.message and f"{len(whole.nodes):,}" in graph.message
    assert "--max-nodes" in graph.message and "--case" in graph.message
    assert all(e.source in kept and e.target in kept for e in graph.edges)


def test_focus_view_is_cut_nearest_first(store: Store):
    _, number = busiest_case(store)
    full = build_graph(store, Focus(case=number), depth=2, max_nodes=BIG)
    limit = 4
    graph = build_graph(store, Focus(case=number), depth=2, max_nodes=limit)
    assert len(graph.nodes) == limit
    furthest = max(n.distance or 0 for n in graph.nodes)
    dropped = ids(full) - ids(graph)
    assert all((node(full, d).distance or 0) >= furthest for d in dropped)
    assert graph.message and "--depth" in graph.message


def test_limits_are_checked(store: Store):
    with pytest.raises(ValueError):
        build_graph(store, max_nodes=0)
    with pytest.raises(ValueError):
        build_graph(store, depth=-1)
    assert DEFAULT_MAX_NODES == 3000


# --- the page -------------------------------------------------------------------------------


def test_page_is_self_contained_and_carries_the_graph(whole: VizGraph):
    html = render_page(whole)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("link") is None
    for tag in soup.find_all(src=True) + soup.find_all(href=True):
        pytest.fail(f"external reference in the page: {tag}")
    scripts = soup.find_all("script")
    assert any("vis-network" in (s.string or "")[:2000] for s in scripts)
    assert "url(http" not in html and "@import" not in html
    data = json.loads(soup.find("script", id="kg-data").string)
    assert len(data["nodes"]) == len(whole.nodes) and len(data["edges"]) == len(whole.edges)
    assert {n["id"] for n in data["nodes"]} == ids(whole)
    assert all("title" not in n for n in data["nodes"])  # vis would render it as HTML
    counts = {t["key"]: t["count"] for t in data["types"]}
    assert {k: v for k, v in counts.items() if v} == whole.type_counts()
    physics = data["options"]["physics"]
    assert physics["enabled"] and physics["stabilization"]["enabled"]


def test_pyvis_gets_whole_lists(whole: VizGraph):
    net = pyvis_network(whole)
    assert len(net.nodes) == len(net.node_ids) == len(whole.nodes)
    assert len(net.edges) == len(whole.edges)
    data = page_data(whole, net)
    assert data["summary"]["nodes"] == len(whole.nodes)


@given(st.text())
def test_script_json_cannot_end_its_script(text: str):
    encoded = script_json({"t": text, "k": [text]})
    lowered = encoded.lower()
    assert "</script" not in lowered and "<!--" not in lowered
    assert "\u2028" not in encoded and "\u2029" not in encoded and "<" not in encoded
    assert json.loads(encoded) == {"t": text, "k": [text]}


def test_canvas_labels_lead_with_what_differs():
    decision = VizNode("x", "decision", "Beslutning Kultur- og Fritidsudvalget 2021-03-04")
    decision.outcome, decision.date = "postponed", "2021-03-04"
    assert canvas_label(decision) == "postponed · 2021-03-04"
    meeting = VizNode("y", "meeting", "Kultur- og Fritidsudvalget 2021-03-04", date="2021-03-04")
    assert canvas_label(meeting).startswith("2021-03-04 Kultur-")
    long = VizNode("z", "item", "Punkt 7: " + "Renovering af svømmehallen i Nørre Åby " * 3)
    assert len(canvas_label(long)) <= 40 and canvas_label(long).endswith("…")
    assert node_size(0) < node_size(1) < node_size(16)


# --- the command ----------------------------------------------------------------------------


def test_cli_writes_the_page(seed_store: Path, tmp_path: Path, store: Store):
    _, number = busiest_case(store)
    out = tmp_path / "sub" / "case.html"
    result = CliRunner().invoke(
        main,
        ["--store", str(seed_store), "viz", "--case", number, "--depth", "1", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and "nodes," in result.stdout
    drawn = json.loads(
        BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").find(id="kg-data").string
    )
    assert f"{len(drawn['nodes'])} nodes, {len(drawn['edges'])} edges" in result.stdout


def test_cli_reports_a_cut_and_a_miss(seed_store: Path, tmp_path: Path):
    out = tmp_path / "g.html"
    cut = CliRunner().invoke(
        main, ["--store", str(seed_store), "viz", "--max-nodes", "10", "--out", str(out)]
    )
    assert cut.exit_code == 0 and "10 nodes" in cut.stdout
    assert "more than the limit of 10" in cut.stderr
    miss = CliRunner().invoke(
        main, ["--store", str(seed_store), "viz", "--case", "99.99.99-Z99-9-99", "--out", str(out)]
    )
    assert miss.exit_code == 1 and "error: no case" in miss.stderr
