"""A :class:`graph.answers.viz.VizGraph` as one self-contained HTML page, drawn by pyvis'
vis-network.

pyvis fetches vis-network from a CDN unless told otherwise, and its own template also pulls
Bootstrap from one.  The page must work offline and from disk, so it uses the project's
template (graph/answers/viz_template.html) through pyvis' template machinery, with the vis-network
files pyvis ships inlined.  Node and edge lists are handed to pyvis directly: its
``add_node``/``add_edge`` scan what is already there, which is quadratic.

Nothing from a document is ever written into the page as markup.  All data travels in one
JSON block (``<script type="application/json">``) escaped so no text can end it, and the
page's script shows text with ``textContent`` only — no vis-network ``title`` tooltips, which
it would render as HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from kommunegraf.graph.answers.viz_model import NODE_TYPES, TYPES_BY_KEY, VizGraph, VizNode

TEMPLATE = Path(__file__).with_name("viz_template.html")
VIS_LIB = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
# The provision at the end of a law's label: "Lov om aktiv socialpolitik, § 13 f",
# "Serviceloven, § 11, stk. 3", "miljøbeskyttelsesloven, kapitel 3", "…, kap. 6"
PROVISION_IN_LABEL = re.compile(r"(?:,[ ]*|[ ]+)(?P<provision>(?:§|kap\.|kapitel)[ ]*\d.*)$")
CANVAS_LABEL_MAX = 40  # characters drawn under a node; the card and panel show it whole

# What may not appear in text inlined into a <script> or <style> element: it would end it.
_SCRIPT_BREAKERS = ("</script", "<!--")
_STYLE_BREAKERS = ("</style",)
# JSON escapes that keep a JSON text inert inside <script>: no tag, comment or entity can start,
# and U+2028/2029 (line terminators in older JavaScript) never appear raw.
_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(data: Any) -> str:
    """JSON that is safe as the content of a ``<script>`` element, whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


def _inline(path: Path, breakers: tuple[str, ...]) -> str:
    text = path.read_text(encoding="utf-8")
    lowered = text.lower()
    for breaker in breakers:
        if breaker in lowered:
            raise RuntimeError(f"{path} contains {breaker!r} and cannot be inlined safely")
    return text


def _short(text: str, limit: int = CANVAS_LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_size(degree: int) -> float:
    """Area grows with degree, so hubs stand out without dwarfing everything else."""
    return round(10 + 5 * math.sqrt(degree), 1)


def canvas_label(node: VizNode) -> str:
    """The short label drawn under a node: what tells it apart from its neighbours first.

    Decisions all read "Beslutning <committee> <date>" and meetings "<committee> <date>", so
    theirs lead with the outcome or date; the card and the panel show the full label.
    """
    if node.type == "decision" and node.in_store:
        return " · ".join(x for x in (node.outcome or "decision", node.date) if x)
    if not node.in_store and node.date:
        # "(not ingested) Næstved, <committee>, 2018-03-05, item 21": the date and the item
        return _short(f"(not ingested) {node.date}, {node.label.rsplit(', ', 1)[-1]}")
    provision = PROVISION_IN_LABEL.search(node.label) if node.type == "law" else None
    if provision:  # provisions of one law differ only in what follows its name
        act = node.label[: provision.start()].strip(" ,")
        return _short(" · ".join(x for x in (provision["provision"], act) if x))
    if node.type == "meeting" and node.date and node.date in node.label:
        rest = " ".join(node.label.replace(node.date, " ").split())
        return _short(f"{node.date} {rest}".strip())
    return _short(node.label)


def _vis_node(node: VizNode, centre: bool) -> dict[str, Any]:
    kind = TYPES_BY_KEY[node.type]
    colour = kind.colour if node.in_store else "#ffffff"
    return {
        "id": node.id,
        "label": canvas_label(node),
        "shape": kind.shape,
        "size": node_size(node.degree),
        "color": {
            "background": colour,
            "border": "#222222" if centre else kind.colour if node.in_store else "#999999",
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 4 if centre else 1,
        "kgType": node.type,
        **({"x": node.x, "y": node.y} if node.x is not None and node.y is not None else {}),
    }


def _info(node: VizNode) -> dict[str, Any]:
    """What the hover card and the details panel show, as plain text and checked links."""
    return {
        "type": node.type,
        "label": node.label,
        "date": node.date,
        "outcome": node.outcome,
        "municipality": node.municipality,
        "distance": node.distance,
        "inStore": node.in_store,
        "details": [list(pair) for pair in node.details],
        # The store keeps only each document's file name (local paths stay private), so the
        # link goes to the document's IRI and shows the file name.
        "sources": [{"iri": s.iri, "path": s.path, "href": s.iri} for s in node.sources],
        "moreSources": node.more_sources,
    }


def vis_options(node_count: int, fixed: bool = False) -> dict[str, Any]:
    """Physics that settles: a bounded stabilisation run, after which the page turns it off.
    With ``fixed`` positions (the timeline) there is no physics at all."""
    iterations = 1000 if node_count <= 300 else max(150, 300_000 // node_count)
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 12, "face": "sans-serif", "color": "#222222"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b5b5b5", "highlight": "#333333", "hover": "#666666"},
            "font": {"size": 9, "align": "middle", "color": "#555555", "strokeWidth": 2},
            "smooth": False,
            "width": 1,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 90,
                "springConstant": 0.08,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 1,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25},
        },
        "layout": {"randomSeed": 7, "improvedLayout": node_count <= 150},
        "interaction": {
            "hover": True,
            "hideEdgesOnDrag": node_count > 800,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
        },
    }
    if fixed:
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"type": "cubicBezier", "roundness": 0.3}
    return options


def pyvis_network(graph: VizGraph) -> Network:
    """The pyvis network of the graph, built from whole lists (not node by node)."""
    net = Network(
        height="100%", width="100%", directed=True, cdn_resources="in_line", heading=graph.title
    )
    centres = set(graph.centres)
    net.nodes = [_vis_node(n, n.id in centres) for n in graph.nodes]
    net.node_ids = [n.id for n in graph.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [
        {"id": f"e{i}", "from": e.source, "to": e.target, "label": e.label}
        for i, e in enumerate(graph.edges)
    ]
    net.options = vis_options(len(graph.nodes), fixed=graph.layout == "timeline")
    net.set_template_dir(str(TEMPLATE.parent) + "/", TEMPLATE.name)
    return net


def page_data(graph: VizGraph, net: Network) -> dict[str, Any]:
    """Everything the page's script needs, in one JSON-able object."""
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    counts = graph.type_counts()
    return {
        "title": graph.title,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "info": {n.id: _info(n) for n in graph.nodes},
        "types": [
            {
                "key": t.key,
                "label": t.label,
                "colour": t.colour,
                "shape": t.shape,
                "count": counts.get(t.key, 0),
            }
            for t in NODE_TYPES
        ],
        "centres": graph.centres,
        "layout": graph.layout,
        "message": graph.message,
        "summary": {
            "nodes": len(graph.nodes),
            "edges": len(graph.edges),
            "totalNodes": graph.total_nodes,
            "totalEdges": graph.total_edges,
            "depth": graph.depth,
        },
    }


def render_page(graph: VizGraph) -> str:
    """The page as one HTML string: vis-network, styles, data and script all inline."""
    net = pyvis_network(graph)
    template = net.templateEnv.get_template(net.path)
    return template.render(
        title=html.escape(graph.title),
        vis_css=_inline(VIS_LIB / "vis-network.css", _STYLE_BREAKERS),
        vis_js=_inline(VIS_LIB / "vis-network.min.js", _SCRIPT_BREAKERS),
        data=script_json(page_data(graph, net)),
    )


def write_page(graph: VizGraph, out: Path) -> Path:
    """Write the page (creating its folder) and return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(graph), encoding="utf-8")
    return out
