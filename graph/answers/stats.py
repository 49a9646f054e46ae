"""What the store holds: counts per class, per municipality and per committee.

Counted over the document graphs (a document graph is one that describes itself as a
``kg:SourceDocument``), the descriptions of the shared things they mention (the embedded store
keeps those once, in its shared graph) and the things of the reference data that documents or
those descriptions point at (a cited law, a party, a municipality, a case's KLE subject: typed
by the reference, whose copy is the one kept), so that the reference data the documents never
mention (98 municipalities, the KLE plan) does not swell the numbers.  Every count is
``COUNT(DISTINCT …)``: a case or person described in two graphs is one thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import PREFIXES as PREFIX_TABLE
from kommunegraf.ontology.terms import sparql_prefixes

PREFIXES = sparql_prefixes()

CLASSES = (
    PREFIXES
    + """
SELECT ?class ?shared ?reference (COUNT(DISTINCT ?s) AS ?n) WHERE {
  { GRAPH ?doc { ?doc a kg:SourceDocument . ?s a ?class } }
  UNION { GRAPH ?shared { ?s a ?class } }
  UNION {
    GRAPH ?reference { ?s a ?class }
    FILTER EXISTS {
      { GRAPH ?mentioning { ?mentioning a kg:SourceDocument . ?x ?p ?s } }
      UNION { GRAPH ?shared { ?y ?q ?s } }
    }
  }
} GROUP BY ?class ?shared ?reference ORDER BY DESC(?n) ?class
"""
)

COMMITTEES = (
    PREFIXES
    + """
SELECT ?committee ?municipality (SAMPLE(?c_label) AS ?name) (SAMPLE(?m_label) AS ?m_name)
       (SAMPLE(?m_code) AS ?code) WHERE {
  GRAPH ?doc { ?doc a kg:SourceDocument .
               ?meeting a kg:Meeting ; kg:committee ?committee . }
  ?committee org:subOrganizationOf ?municipality .
  OPTIONAL { ?committee rdfs:label ?c_label }
  OPTIONAL { ?municipality rdfs:label ?m_label }
  OPTIONAL { ?municipality kg:kommunekode ?m_code }
} GROUP BY ?committee ?municipality
"""
)

# One query per measure: joining all measures in one query would multiply rows (meetings x
# items x decisions) before counting.  ``{group}`` ties a meeting to what it is counted under.
MEASURES = {
    "documents": """
SELECT ?group (COUNT(DISTINCT ?doc) AS ?n) WHERE {
  GRAPH ?doc { ?doc a kg:SourceDocument . ?meeting a kg:Meeting }
  {group}
} GROUP BY ?group""",
    "meetings": """
SELECT ?group (COUNT(DISTINCT ?meeting) AS ?n) WHERE {
  ?meeting a kg:Meeting . {group}
} GROUP BY ?group""",
    "items": """
SELECT ?group (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?item a kg:AgendaItem ; kg:meeting ?meeting . {group}
} GROUP BY ?group""",
    "decisions": """
SELECT ?group (COUNT(DISTINCT ?decision) AS ?n) WHERE {
  ?decision a kg:Decision ; kg:item ?item . ?item kg:meeting ?meeting . {group}
} GROUP BY ?group""",
    "cases": """
SELECT ?group (COUNT(DISTINCT ?case) AS ?n) WHERE {
  ?item kg:case ?case ; kg:meeting ?meeting . {group}
} GROUP BY ?group""",
}
BY_COMMITTEE = "?meeting kg:committee ?group ."
BY_MUNICIPALITY = "?meeting kg:committee ?committee . ?committee org:subOrganizationOf ?group ."
MEASURE_NAMES = tuple(MEASURES)


@dataclass
class Row:
    """Counts for one committee or one municipality."""

    iri: str
    name: str
    municipality: str | None = None
    code: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURE_NAMES, 0))


@dataclass
class Stats:
    documents: int
    quads: int
    classes: dict[str, int]
    municipalities: list[Row]
    committees: list[Row]
    links_computed_over: int | None = None  # documents links and centrality were computed over
    reference_quads: int = 0  # of the reference graph (municipalities, parties, laws, KLE …)
    derived_quads: int = 0  # of the derived graph (threads, links, centrality)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "quads": self.quads,
            "links_computed_over": self.links_computed_over,
            "reference_quads": self.reference_quads,
            "derived_quads": self.derived_quads,
            "committees_with_meetings": len(self.committees),
            "classes": self.classes,
            "municipalities": [_row_json(r) for r in self.municipalities],
            "committees": [_row_json(r) for r in self.committees],
        }


def _row_json(row: Row) -> dict[str, Any]:
    data = asdict(row)
    counts = data.pop("counts")
    return {**data, **counts}


def _curie(iri: str) -> str:
    for prefix, ns in PREFIX_TABLE.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def collect(store: Store) -> Stats:
    """Count what the store's documents hold."""
    # a server's documents hold their own copies: its shared graph IRI names no graph
    graphs = {"shared": IRI(store.shared_graph), "reference": IRI(store.reference_graph)}
    rows = store.select(CLASSES, graphs)
    classes = {_curie(str(r["class"])): int(r["n"] or 0) for r in rows}
    committees: dict[str, Row] = {}
    municipalities: dict[str, Row] = {}
    for r in store.select(COMMITTEES):
        iri, m_iri = str(r["committee"]), str(r["municipality"])
        code = str(r["code"]) if r["code"] is not None else None
        m_name = str(r["m_name"] or m_iri.rsplit("/", 1)[-1])
        name = str(r["name"] or iri.rsplit("/", 1)[-1])
        committees[iri] = Row(iri=iri, name=name, municipality=m_name, code=code)
        municipalities.setdefault(m_iri, Row(iri=m_iri, name=m_name, code=code))
    for measure, query in MEASURES.items():
        for rows, group in ((committees, BY_COMMITTEE), (municipalities, BY_MUNICIPALITY)):
            for r in store.select(PREFIXES + query.replace("{group}", group)):
                row = rows.get(str(r["group"]))
                if row is not None:
                    row.counts[measure] = int(r["n"] or 0)
    from kommunegraf.graph.analysis.health import computed_over

    return Stats(
        links_computed_over=computed_over(store),
        reference_quads=store.quad_count(store.reference_graph),
        derived_quads=store.quad_count(store.derived_graph),
        documents=len(store.documents()),
        quads=store.quad_count(),
        classes=classes,
        municipalities=sorted(municipalities.values(), key=lambda r: r.name.lower()),
        committees=sorted(
            committees.values(), key=lambda r: (r.municipality or "", r.name.lower())
        ),
    )


def _table(headers: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i >= numeric_from else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [fmt(headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


def _class_count(stats: Stats, curie: str, n: int) -> str:
    """A class's count; committees say how many met (the others are only named: a body
    that decided in another's minutes, "Byrådet" mentioned in an item)."""
    if curie == "kg:Committee" and len(stats.committees) != n:
        return f"{n} ({len(stats.committees)} with meetings)"
    return str(n)


def table_lines(stats: Stats) -> list[str]:
    """The statistics as three plain-text tables."""
    lines = [
        f"{stats.documents} document{'s' * (stats.documents != 1)}, {stats.quads} quads in the "
        "store",
        f"  of them {stats.reference_quads} reference data (the 98 municipalities, parties, "
        f"laws, KLE subjects, outcomes) and {stats.derived_quads} derived (threads, links, "
        "centrality); the rest are the documents' (each triple stored once)",
    ]
    if stats.links_computed_over is not None and stats.links_computed_over != stats.documents:
        lines.append(
            "cross-municipality links and centrality were computed "
            f"over {stats.links_computed_over} of the documents "
            "(`ingest --derived whole` recomputes them)"
        )
    lines.append("")
    lines += _table(
        ["class", "count"], [[c, _class_count(stats, c, n)] for c, n in stats.classes.items()], 1
    )
    measures = list(MEASURE_NAMES)
    lines += [""]
    lines += _table(
        ["municipality", "code", *measures],
        [
            [r.name, r.code or "", *(str(r.counts[m]) for m in measures)]
            for r in stats.municipalities
        ],
        2,
    )
    lines += [""]
    lines += _table(
        ["committee", "municipality", *measures],
        [
            [r.name, r.municipality or "", *(str(r.counts[m]) for m in measures)]
            for r in stats.committees
        ],
        2,
    )
    return lines
