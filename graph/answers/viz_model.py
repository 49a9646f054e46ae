"""What `kommunegraf viz` draws, as data: the node types and relations it knows, the focus,
the drawn graph, and the few SPARQL helpers every part of it reads the store with.

Kept apart from the selection (graph/answers/viz.py), the node contents
(graph/answers/viz_nodes.py), the
layout (graph/answers/viz_layout.py) and the page (graph/answers/viz_page.py), which all build on
it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.store.local import Rows, Store
from kommunegraf.ontology.terms import DCTERMS, ELI, FOAF, KG, ORG, RDFS, SKOS, sparql_prefixes

DEFAULT_DEPTH = 2
DEFAULT_MAX_NODES = 3000
CHUNK = 500  # IRIs per VALUES block: keeps each query text small and its plan bounded
MAX_SOURCES = 20  # source documents listed per node (a law may be cited by thousands)
LABEL_MAX = 40  # characters of a label drawn on the canvas; the card shows it whole

# Characters no IRI read from the store can contain; checked before an IRI is written into a
# query's VALUES block, so text from documents can never change a query.
UNSAFE_IRI_RE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# An absolute http(s) IRI given on the command line instead of a name: "https://w3id.org/…"
# (characters no IRI may hold make it a name to search for, which then matches nothing).
IRI_ARG_RE = re.compile(r'^https?://[^\x00-\x20<>"{}|^`\\]+$')
# A camelCase local name split into words for a details label: "startTime" -> "start", "Time".
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class NodeType:
    """One kind of node: the classes it covers and how the page draws it."""

    key: str
    label: str
    plural: str
    classes: tuple[str, ...]
    colour: str
    shape: str  # a vis-network shape whose label is drawn outside the node
    hub: bool = False  # drawn when reached, not walked through by a focus view


NODE_TYPES: tuple[NodeType, ...] = (
    # A meeting is drawn when reached but not walked through: from an item, its meeting would
    # pull in every other item of that meeting.
    NodeType("meeting", "Meeting", "meetings", (KG.Meeting,), "#4e79a7", "square", hub=True),
    NodeType("item", "Agenda item", "agenda items", (KG.AgendaItem,), "#76b7b2", "dot"),
    NodeType("case", "Case", "cases", (KG.Case,), "#f28e2b", "diamond"),
    NodeType("decision", "Decision", "decisions", (KG.Decision,), "#e15759", "triangle"),
    NodeType("person", "Person", "people", (KG.Person,), "#59a14f", "dot"),
    NodeType("party", "Party", "parties", (KG.Party,), "#edc948", "star", hub=True),
    NodeType(
        "organisation", "Organisation", "organisations", (KG.Organization,), "#b07aa1", "hexagon"
    ),
    NodeType(
        "law",
        "Law or provision",
        "laws and provisions",
        (KG.Law, KG.Provision),
        "#9c755f",
        "triangleDown",
    ),
    NodeType("project", "Project", "projects", (KG.Project,), "#ff9da7", "diamond"),
    NodeType("committee", "Committee", "committees", (KG.Committee,), "#a0cbe8", "square"),
    NodeType(
        "municipality",
        "Municipality",
        "municipalities",
        (KG.Municipality,),
        "#6b6b6b",
        "hexagon",
        hub=True,
    ),
)
TYPES_BY_KEY: dict[str, NodeType] = {t.key: t for t in NODE_TYPES}
# A resource with several drawable classes is drawn as the most specific: a committee that a
# document also names as an organisation is a committee.
_SPECIFIC = ("municipality", "committee")
TYPE_PRECEDENCE: tuple[str, ...] = (
    *_SPECIFIC,
    *(t.key for t in NODE_TYPES if t.key not in _SPECIFIC),
)
_TYPE_OF_CLASS: dict[str, str] = {c: t.key for t in NODE_TYPES for c in t.classes}


@dataclass(frozen=True)
class Relation:
    """A link drawn as an edge: a predicate, possibly reached through an undrawn resource."""

    predicate: str
    label: str
    via: str | None = None  # e.g. a decision's kg:vote resource, folded into the edge
    target: str | None = None  # node type of an object the store holds no type for (yet)


RELATIONS: tuple[Relation, ...] = (
    Relation(KG.meeting, "meeting"),
    Relation(KG.committee, "committee"),
    Relation(ORG.subOrganizationOf, "part of"),
    Relation(KG.case, "case"),
    Relation(KG.item, "on item"),
    Relation(KG.body, "by"),
    Relation(KG.absent, "absent"),
    Relation(KG.votedFor, "voted for", via=KG.vote),
    Relation(KG.votedAgainst, "voted against", via=KG.vote),
    Relation(KG.abstained, "abstained", via=KG.vote),
    # a party voting as a bloc ("For stemte (V), (D) …"): decision → party
    Relation(KG.partyVotedFor, "party voted for", via=KG.vote),
    Relation(KG.partyVotedAgainst, "party voted against", via=KG.vote),
    Relation(KG.partyAbstained, "party abstained", via=KG.vote),
    Relation(KG.mentions, "mentions"),
    Relation(ELI.cites, "cites"),
    Relation(ELI.is_part_of, "part of"),
    Relation(KG.refersTo, "refers to", target="item"),
    Relation(KG.party, "party"),
    Relation(KG.municipality, "municipality"),
)
RELATIONS_BY_PREDICATE: dict[str, Relation] = {r.predicate: r for r in RELATIONS}

# Literal properties that name a node, best first (the longest value of the first one wins).
LABEL_PROPERTIES: tuple[str, ...] = (
    RDFS.label,
    FOAF.name,
    DCTERMS.title,
    SKOS.prefLabel,
    DCTERMS.identifier,
    SKOS.notation,
)
# From any node to the municipality it belongs to (a SPARQL property path).
MUNICIPALITY_PATH = (
    "(kg:municipality|org:subOrganizationOf|kg:committee/org:subOrganizationOf"
    "|kg:meeting/kg:committee/org:subOrganizationOf"
    "|kg:item/kg:meeting/kg:committee/org:subOrganizationOf)"
)
# Literal properties left out of the details panel: bookkeeping, not content.
HIDDEN_PROPERTIES = frozenset({RDFS.label, KG.spanStart, KG.spanEnd, KG.key})


class FocusError(KommunegrafError, ValueError):
    """A focus (case, person, …) that matches nothing in the store."""


@dataclass(frozen=True)
class Focus:
    """What to centre the view on; empty means the whole store.

    ``municipality`` together with ``case`` or ``person`` narrows them to that municipality
    (a case number is only unique within one); alone it is the centre itself.
    """

    case: str | None = None
    person: str | None = None
    municipality: str | None = None
    law: str | None = None
    thread: str | None = None

    @property
    def empty(self) -> bool:
        return not any((self.case, self.person, self.municipality, self.law, self.thread))

    def describe(self) -> str:
        parts = [
            f"{name} {value}"
            for name, value in (
                ("case", self.case),
                ("person", self.person),
                ("law", self.law),
                ("thread", self.thread),
            )
            if value
        ]
        if self.municipality:
            parts.append(
                f"in {self.municipality}" if (self.case or self.person) else self.municipality
            )
        return " ".join(parts) if parts else "the whole store"


@dataclass(frozen=True)
class SourceLink:
    """A document a node is stated in: its graph IRI and the file name it states."""

    iri: str
    path: str | None


@dataclass
class VizNode:
    id: str
    type: str
    label: str
    degree: int = 0
    distance: int | None = None  # hops from the nearest centre (focus views)
    date: str | None = None
    outcome: str | None = None
    municipality: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)
    sources: list[SourceLink] = field(default_factory=list)
    more_sources: int = 0
    in_store: bool = True  # False for a referred item whose minutes are not ingested yet
    x: float | None = None  # a fixed position (the timeline layout), else physics places it
    y: float | None = None


@dataclass(frozen=True)
class VizEdge:
    source: str
    target: str
    predicate: str
    label: str


@dataclass
class VizGraph:
    """What the page draws, plus what was left out and why."""

    nodes: list[VizNode]
    edges: list[VizEdge]
    title: str
    centres: list[str] = field(default_factory=list)
    depth: int | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    total_nodes: int = 0
    total_edges: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # node type -> nodes not shown
    message: str | None = None
    layout: str = "network"  # network (physics) | timeline (fixed positions, viz_layout.py)

    def type_counts(self) -> dict[str, int]:
        counts = Counter(n.type for n in self.nodes)
        return {t.key: counts[t.key] for t in NODE_TYPES if counts[t.key]}


# ----- SPARQL helpers -----------------------------------------------------------------------


def _values(iris: Iterable[str]) -> str:
    """IRIs as the body of a VALUES block; refuses anything that is not a plain IRI."""
    out = []
    for iri in iris:
        if not iri or UNSAFE_IRI_RE.search(iri):
            raise ValueError(f"not an IRI that can be written into a query: {iri!r}")
        out.append(f"<{iri}>")
    return " ".join(out)


def _in(iris: Iterable[str]) -> str:
    """IRIs as the argument list of ``IN (…)``."""
    return ", ".join(_values([iri]) for iri in iris)


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _edges_query(bound: str | None, frontier: Sequence[str] = ()) -> str:
    """Edges of every relation; ``bound`` ("s" or "o") limits that end to ``frontier``.

    Predicates are filtered with ``IN``, not a second ``VALUES``: Oxigraph joins two VALUES
    blocks as a cross product and scans, ~40x slower on a store of 80k quads.
    """
    head = f"VALUES ?{bound} {{ {_values(frontier)} }} " if bound else ""
    direct = _in(r.predicate for r in RELATIONS if r.via is None)
    branches = [f"{{ {head}?s ?p ?o FILTER(?p IN ({direct})) }}"]
    by_via: dict[str, list[str]] = defaultdict(list)
    for r in RELATIONS:
        if r.via:
            by_via[r.via].append(r.predicate)
    for via, predicates in by_via.items():
        branches.append(f"{{ {head}?s <{via}> ?v . ?v ?p ?o FILTER(?p IN ({_in(predicates)})) }}")
    return f"SELECT DISTINCT ?s ?p ?o WHERE {{ {' UNION '.join(branches)} }}"


Triple = tuple[str, str, str]
Row = dict[str, Any]


def _select(store: Store, sparql: str, bindings: dict[str, Any] | None = None) -> Iterator[Row]:
    """The rows of a SELECT query (with the project's prefixes declared)."""
    result = store.query(sparql_prefixes() + sparql, bindings)
    if not isinstance(result, Rows):
        raise TypeError("expected a SELECT query")
    return iter(result)
