"""Recurring case threads, cross-municipality links and central actors, computed with networkx.

A *thread* is a connected component of the item graph, whose nodes are agenda items and
whose edges are

- ``case``: the same case (a case IRI already belongs to one municipality), chained in date
  order;
- ``reference``: an explicit reference ("den 5. marts 2018 - sag 21") to an item that is in
  the store;
- ``postponement``: an item postponed at its meeting ("Udsat", "Sagen genoptages på næste
  møde") → the next treatment of the same case, or, for an item without a case number, the
  next item of the same committee with the same title once a "- udsat …" tail is dropped.

:func:`recompute` writes the threads, the laws/organisations/projects that connect items in
different municipalities and the degree and betweenness of people and organisations in the
item–entity graph to the derived graph (``<base>graph/derived``), replacing it.  Ingest calls
it after every load.  Reading the results (:func:`list_threads`) needs no networkx.

Betweenness (networkx's figure, computed by igraph: see graph.analysis.betweenness) is exact on
small
graphs; past ``BETWEENNESS_BUDGET`` node+edge visits it is estimated from a fixed-seed sample
of source nodes, so that recompute stays within seconds.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Any

import regex

from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import DCTERMS, ELI, KG, ORG, RDF, RDFS, XSD, sparql_prefixes

if TYPE_CHECKING:
    import networkx as nx

# A title's tail that only says the item was postponed before:
# "Pulje til revalidering - udsat fra sidste møde", "Ny skolestruktur (genoptaget)".
POSTPONED_TAIL_RE = regex.compile(
    r"\s*(?:[-–—,:]\s*|\()\s*(?:udsat|genoptag\w*|fortsat)\b[^()]*\)?\s*$", regex.IGNORECASE
)
# Node+edge visits allowed for betweenness (each sampled source is one search of the graph;
# igraph makes about 20 million a second): 71 sources at 10,000 documents, ≈ 3 s.  Never
# fewer than 50 sources: with 4, half the top 20 central actors at 10,000 documents were
# not those of a 2,000-source estimate; with 50 to 142, 3 or 4 were not (bench/README.md).
BETWEENNESS_BUDGET = 50_000_000
BETWEENNESS_MIN_SAMPLE = 50
BETWEENNESS_SEED = 7
POSTPONED = "postponed"
XSD_DOUBLE = XSD.NS + "double"

_P = sparql_prefixes(("kg", "rdf", "rdfs", "dcterms", "org", "eli", "xsd"))

POSTPONED_QUERY = (
    _P
    + """
SELECT ?outcome ?item ?date WHERE {
  ?decision kg:outcome ?outcome ; kg:item ?item .
  OPTIONAL { ?decision kg:date ?date }
}"""
)
# The items of one municipality (?municipality bound), as the municipality queries start.
_ITEMS_OF_MUNICIPALITY = """
  ?committee org:subOrganizationOf ?municipality .
  ?meeting kg:committee ?committee .
  ?item kg:meeting ?meeting"""
# The same for one municipality's items (?municipality bound): a threads-only update reads
# that municipality's postponements, not the country's.
MUNICIPALITY_POSTPONED_QUERY = (
    _P
    + """
SELECT ?municipality ?outcome ?item ?date WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ .
  ?decision kg:item ?item ; kg:outcome ?outcome .
  OPTIONAL { ?decision kg:date ?date }
}"""
)
# Absences and votes link people to items over two hops (the simple links are read with
# Store.pairs).  No DISTINCT: the store's default graph is a set, and rows fill sets and dicts.
# The rare link comes first: Oxigraph 0.5 joins in the order written, and starting from every
# decision's item took 2-4x as long at 10,000 documents (absences 1.28 → 0.58 s, voters
# 1.12 → 0.28 s).
ABSENT_QUERY = _P + "SELECT ?item ?entity WHERE { ?decision kg:absent ?entity ; kg:item ?item }"
VOTERS_QUERY = (
    _P
    + """
SELECT ?item ?entity WHERE {
  ?vote ?role ?entity . FILTER(?role IN (kg:votedFor, kg:votedAgainst, kg:abstained))
  ?decision kg:vote ?vote ; kg:item ?item .
}"""
)
# The entities' labels, joined in the store: every item, decision and case has a label too,
# and reading them all to keep a few thousand cost five times as much.
ENTITY_LABELS_QUERY = (
    _P
    + """
SELECT ?entity ?label WHERE {
  VALUES ?kind { kg:Person kg:Organization kg:Project kg:Law }
  ?entity a ?kind ; rdfs:label ?label .
}"""
)
# The items of one municipality (?municipality bound) with what threading reads of them;
# a value stated twice gives two rows, and the smallest wins as in load_items.
MUNICIPALITY_ITEMS_QUERY = (
    _P
    + """
SELECT ?municipality ?item ?meeting ?date ?committee ?number ?case ?title WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ .
  FILTER EXISTS { ?item a kg:AgendaItem }  # as a pattern, Oxigraph read every item first
  OPTIONAL { ?meeting kg:date ?date }
  OPTIONAL { ?item kg:number ?number }
  OPTIONAL { ?item kg:case ?case }
  OPTIONAL { ?item dcterms:title ?title }
}"""
)
MUNICIPALITY_REFERENCES_QUERY = (
    _P
    + """
SELECT ?municipality ?item ?target WHERE {"""
    + _ITEMS_OF_MUNICIPALITY
    + """ ; kg:refersTo ?target .
}"""
)
# What the derived graph (?derived) holds of one municipality's threads: the threads, then
# their items' positions and postponements (no other derived triple is about an item).
STORED_THREADS_QUERY = (
    _P
    + """
CONSTRUCT { ?thread ?p ?o } WHERE {
  GRAPH ?derived { ?thread kg:municipality ?municipality ; a kg:Thread ; ?p ?o }
}"""
)
STORED_THREAD_ITEMS_QUERY = (
    _P
    + """
CONSTRUCT { ?item ?p ?o } WHERE {
  GRAPH ?derived {
    ?thread kg:municipality ?municipality ; a kg:Thread ; kg:threadItem ?item .
    ?item ?p ?o
  }
}"""
)
STORED_THREADS_COUNT_QUERY = (
    _P
    + """
CONSTRUCT { ?derived kg:threadsOverDocuments ?n } WHERE {
  GRAPH ?derived { ?derived kg:threadsOverDocuments ?n }
}"""
)
# The municipalities a document graph (?g bound) belongs to.
DOCUMENT_MUNICIPALITIES_QUERY = (
    _P
    + """
SELECT DISTINCT ?g ?municipality WHERE { GRAPH ?g { ?c org:subOrganizationOf ?municipality } }"""
)
THREADS_QUERY = (
    _P
    + """
SELECT ?thread ?label ?municipality ?munLabel ?items ?meetings ?first ?last ?minMeetings
       (GROUP_CONCAT(DISTINCT ?committeeLabel; SEPARATOR=" | ") AS ?committees)
       (GROUP_CONCAT(DISTINCT ?caseId; SEPARATOR=" | ") AS ?cases)
WHERE {
  ?thread a kg:Thread ; kg:itemCount ?items ; kg:meetingCount ?meetings ;
          kg:municipality ?municipality .
  FILTER(?meetings >= ?minMeetings)
  OPTIONAL { ?thread rdfs:label ?label }
  OPTIONAL { ?thread kg:firstDate ?first }
  OPTIONAL { ?thread kg:lastDate ?last }
  OPTIONAL { ?thread kg:threadCommittee/rdfs:label ?committeeLabel }
  OPTIONAL { ?thread kg:threadCase/dcterms:identifier ?caseId }
  OPTIONAL { ?municipality rdfs:label ?munLabel }
}
GROUP BY ?thread ?label ?municipality ?munLabel ?items ?meetings ?first ?last ?minMeetings
ORDER BY DESC(?meetings) DESC(?items) ?first ?thread"""
)


# Each thread's treatments (?municipality may be bound): the committee and date of each
# item's meeting, and the body and date of each decision on its items.
THREAD_PATH_QUERY = (
    _P
    + """
SELECT ?thread ?municipality ?date ?body ?label WHERE {
  ?thread a kg:Thread ; kg:municipality ?municipality ; kg:threadItem ?item .
  { ?item kg:meeting ?meeting . ?meeting kg:date ?date ; kg:committee ?body }
  UNION { ?decision kg:item ?item ; kg:date ?date ; kg:body ?body }
  OPTIONAL { ?body rdfs:label ?label }
}"""
)


# --- the item graph -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemNode:
    """What threading needs to know of one agenda item."""

    iri: str
    number: int | None
    meeting: str
    date: str | None
    committee: str | None
    municipality: str | None
    case: str | None
    title: str | None


@dataclass
class Thread:
    """One recurring case thread (a connected component of two or more items)."""

    iri: str
    municipality: str | None
    items: list[ItemNode]
    label: str
    postponements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return len({item.meeting for item in self.items})

    @property
    def first(self) -> str | None:
        return min((i.date for i in self.items if i.date), default=None)

    @property
    def last(self) -> str | None:
        return max((i.date for i in self.items if i.date), default=None)

    @property
    def committees(self) -> list[str]:
        return sorted({i.committee for i in self.items if i.committee})

    @property
    def cases(self) -> list[str]:
        return sorted({i.case for i in self.items if i.case})


@dataclass
class CrossLink:
    """A law, rule, organisation or project that items of several municipalities mention."""

    iri: str
    kind: str
    label: str
    entities: list[str]
    municipalities: list[str]
    items: list[str]


@dataclass
class Centrality:
    iri: str
    kind: str  # "person" | "organisation"
    label: str
    degree: int
    betweenness: float


@dataclass
class Derived:
    """Everything :func:`recompute` wrote to the derived graph."""

    threads: list[Thread]
    links: list[CrossLink]
    central: list[Centrality]
    triples: int = 0
    graph: str = ""  # the derived graph's IRI: what the two counts are stated of
    documents: int | None = None  # the documents links and centrality were computed over
    threads_documents: int | None = None  # the documents the threads are up to date with


def title_key(title: str | None) -> str | None:
    """A title for matching a postponed item to its next treatment (tail and case folded)."""
    if not title:
        return None
    core = POSTPONED_TAIL_RE.sub("", title)
    return " ".join(core.casefold().split()) or None


def _sort_key(item: ItemNode) -> tuple[str, str, int]:
    return (item.date or "9999-99-99", item.committee or "", item.number or 0)


def load_items(store: Store) -> dict[str, ItemNode]:
    """Every agenda item in the store, once each (an item in two documents is one node).

    Read as one index scan per property and joined here: the equivalent SELECT with six
    OPTIONALs costs several times more on a national corpus.  Where documents disagree on a
    value, the smallest wins, so that reruns agree.  Each IRI is held once (the dicts map a
    string to its first copy): a national corpus has a hundred thousand items, and every
    pair read is a fresh copy of its strings.
    """
    kept = {item: item for item, _ in store.pairs(RDF.type, KG.AgendaItem)}
    shared: dict[str, str] = {}  # meetings, committees, municipalities, dates, cases

    def values(predicate: str, subjects: dict[str, str], share: bool = True) -> dict[str, str]:
        found: dict[str, str] = {}
        for subject, value in store.pairs(predicate):
            subject = subjects.get(subject)  # type: ignore[assignment]
            if subject is not None and (subject not in found or value < found[subject]):
                found[subject] = shared.setdefault(value, value) if share else value
        return found

    meeting_of = values(KG.meeting, kept)
    meetings = {meeting: meeting for meeting in meeting_of.values()}
    dates = values(KG.date, meetings)
    committees = values(KG.committee, meetings)
    municipalities = values(ORG.subOrganizationOf, {c: c for c in committees.values()})
    numbers = values(KG.number, kept, share=False)
    cases = values(KG.case, kept)
    titles = values(DCTERMS.title, kept, share=False)
    items: dict[str, ItemNode] = {}
    for iri, meeting in meeting_of.items():
        committee = committees.get(meeting)
        number = numbers.get(iri)
        items[iri] = ItemNode(
            iri=iri,
            number=_item_number(number),
            meeting=meeting,
            date=dates.get(meeting),
            committee=committee,
            municipality=municipalities.get(committee) if committee else None,
            case=cases.get(iri),
            title=titles.get(iri),
        )
    return items


def _item_number(text: str | None) -> int | None:
    """An item's number as stated ("7"), or None where it is not a plain number."""
    return int(text) if text is not None and text.isdigit() else None


def municipality_items(store: Store, municipality: str) -> dict[str, ItemNode]:
    """The items :func:`load_items` gives for ``municipality``, read from that municipality
    alone: what a partial update costs grows with the municipality, not the country."""
    found: dict[str, dict[str, str]] = {}
    rows = store.query(MUNICIPALITY_ITEMS_QUERY, {"municipality": IRI(municipality)})
    for row in rows:  # type: ignore[union-attr]
        values = found.setdefault(str(row["item"]), {})
        for name in ("meeting", "date", "committee", "number", "case", "title"):
            value = row[name]
            if value is not None:
                text = str(value)  # lexical forms, compared as load_items compares them
                if name not in values or text < values[name]:
                    values[name] = text
    items: dict[str, ItemNode] = {}
    for iri, values in found.items():
        number = values.get("number")
        items[iri] = ItemNode(
            iri=iri,
            number=_item_number(number),
            meeting=values["meeting"],
            date=values.get("date"),
            committee=values.get("committee"),
            municipality=municipality,
            case=values.get("case"),
            title=values.get("title"),
        )
    return items


def touched_municipalities(store: Store, graphs: Iterable[str]) -> set[str] | None:
    """The municipalities of the document ``graphs``; None when one names none (its items
    thread under no municipality, which only a whole recomputation reaches)."""
    found: set[str] = set()
    for graph in graphs:
        rows = list(store.query(DOCUMENT_MUNICIPALITIES_QUERY, {"g": IRI(graph)}))  # type: ignore[arg-type]
        if not rows:
            return None
        found.update(str(row["municipality"]) for row in rows)
    return found


def forget_threads_count(store: Store) -> None:
    """Drop the count of documents the threads are up to date with, before a run changes
    documents: a run stopped before its thread step then leaves no count, and the next run
    recomputes whole instead of patching only its own municipalities."""
    if not store.is_complete(store.derived_graph):
        return
    lines = store.construct_lines(STORED_THREADS_COUNT_QUERY, {"derived": IRI(store.derived_graph)})
    if lines:
        store.patch_derived(sorted(lines), [])


def update_threads(store: Store, municipalities: Iterable[str]) -> Derived:
    """Recompute the threads of ``municipalities`` only and patch them into the derived graph.

    Exact for those threads (an item graph's edges never leave a municipality: cases are
    minted per municipality, references resolve within it, postponements follow a case or a
    committee).  Cross-municipality links and centrality are left as last computed.
    """
    municipalities = sorted(set(municipalities))
    items: dict[str, ItemNode] = {}
    references: list[tuple[str, str]] = []
    for municipality in municipalities:
        items.update(municipality_items(store, municipality))
        bound = {"municipality": IRI(municipality)}
        references += _pairs(store, MUNICIPALITY_REFERENCES_QUERY, "item", "target", bound)
    graph = item_graph(items, references, postponed_items(store, items, municipalities))
    threads = find_threads(graph, items, store.base)
    del graph
    covered = len(store.documents())
    part = Derived(threads, [], [], graph=store.derived_graph, threads_documents=covered)
    new = set(derived_lines(part))
    derived = IRI(store.derived_graph)
    old = store.construct_lines(STORED_THREADS_COUNT_QUERY, {"derived": derived})
    for municipality in municipalities:  # what is stored of these municipalities' threads
        for query in (STORED_THREADS_QUERY, STORED_THREAD_ITEMS_QUERY):
            bindings = {"municipality": IRI(municipality), "derived": derived}
            old |= store.construct_lines(query, bindings)
    part.triples = store.patch_derived(sorted(old - new), sorted(new - old))
    return part


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def postponed_items(
    store: Store, items: dict[str, ItemNode], municipalities: Iterable[str] | None = None
) -> set[str]:
    """Items postponed at their own meeting (a postponed decision dated that day, or undated);
    read from ``municipalities`` only when given (``items`` are theirs)."""
    from kommunegraf.graph.rdf.iris import IriMinter

    outcome = IRI(IriMinter(store.base).outcome(POSTPONED))

    def read(query: str, **bound: IRI) -> Iterable[Any]:
        return store.query(query, {"outcome": outcome, **bound})  # type: ignore[return-value]

    if municipalities is None:
        rows = read(POSTPONED_QUERY)
    else:
        places = (IRI(m) for m in municipalities)
        rows = chain.from_iterable(
            read(MUNICIPALITY_POSTPONED_QUERY, municipality=m) for m in places
        )
    found: set[str] = set()
    for row in rows:
        item = items.get(str(row["item"]))
        if item is None:
            continue
        day = _text(row["date"])
        if day is None or day == item.date:
            found.add(item.iri)
    return found


def item_graph(
    items: dict[str, ItemNode],
    references: Iterable[tuple[str, str]],
    postponed: set[str],
) -> nx.Graph:
    """The item graph: item IRIs as nodes; each edge's ``kinds`` says why it exists."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(items)

    def link(a: str, b: str, kind: str) -> None:
        if a == b:
            return
        if graph.has_edge(a, b):
            graph.edges[a, b]["kinds"].add(kind)
        else:
            graph.add_edge(a, b, kinds={kind})

    by_case: dict[str, list[ItemNode]] = defaultdict(list)
    by_title: dict[tuple[str | None, str], list[ItemNode]] = defaultdict(list)
    for item in items.values():
        if item.case:
            by_case[item.case].append(item)
        key = title_key(item.title)
        if key:
            by_title[(item.committee, key)].append(item)
    for group in (*by_case.values(), *by_title.values()):
        group.sort(key=_sort_key)
    for group in by_case.values():
        for a, b in pairwise(group):
            link(a.iri, b.iri, "case")

    for source, target in references:
        if source in items and target in items:
            link(source, target, "reference")

    for iri in postponed:
        item = items[iri]
        if item.date is None:
            continue
        if item.case:
            group = by_case[item.case]
        else:
            group = by_title.get((item.committee, title_key(item.title) or ""), [])
        dates = [g.date or "" for g in group]
        index = bisect_right(dates, item.date)
        if index < len(group):
            link(iri, group[index].iri, "postponement")
            graph.edges[iri, group[index].iri].setdefault("postponed", []).append(
                (iri, group[index].iri)
            )
    return graph


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def thread_iri(base: str, municipality: str | None, first_item: str) -> str:
    """A thread is named after its earliest item, so it keeps its IRI as later items join."""
    scope = municipality or (base + "id/ukendt")
    return f"{scope}/traad/{_short_hash(first_item)}"


def link_iri(base: str, kind: str, key: str) -> str:
    return f"{base}id/forbindelse/{kind}/{_short_hash(key)}"


def find_threads(graph: nx.Graph, items: dict[str, ItemNode], base: str) -> list[Thread]:
    """Connected components of two or more items, longest first."""
    import networkx as nx

    threads: list[Thread] = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        members = sorted((items[i] for i in component), key=_sort_key)
        first = members[0]
        municipalities = {m.municipality for m in members if m.municipality}
        municipality = first.municipality or (min(municipalities) if municipalities else None)
        cases = sorted({m.case for m in members if m.case})
        label = first.title or (cases[0].rsplit("/", 1)[-1] if cases else first.iri)
        postponements = [
            pair
            for a, b in graph.subgraph(component).edges
            for pair in graph.edges[a, b].get("postponed", [])
        ]
        threads.append(
            Thread(
                iri=thread_iri(base, municipality, first.iri),
                municipality=municipality,
                items=members,
                label=label,
                postponements=sorted(postponements),
            )
        )
    threads.sort(key=lambda t: (-t.meetings, -len(t.items), t.first or "", t.iri))
    return threads


# --- the item–entity graph ----------------------------------------------------------------

_KIND_NAMES = {
    KG.Person: "person",
    KG.Organization: "organisation",
    KG.Project: "project",
    KG.Law: "law",
}


def _pairs(
    store: Store, query: str, a: str, b: str, bindings: dict[str, Any] | None = None
) -> Iterator[tuple[str, str]]:
    """(a, b) value pairs of a two-variable query, as strings."""
    rows = store.query(query, bindings)
    return ((str(r[a]), str(r[b])) for r in rows)  # type: ignore[union-attr]


def _first_by_entity(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One value per entity, the smallest, so reruns pick the same label."""
    found: dict[str, str] = {}
    for entity, value in pairs:
        if entity not in found or value < found[entity]:
            found[entity] = value
    return found


def entity_graph(store: Store, items: dict[str, ItemNode]) -> nx.Graph:
    """Bipartite graph of items and the people, organisations, projects and laws they name.

    Entity nodes carry ``kind``, ``label``, ``law_kind`` and ``key`` attributes (item nodes
    none: ``items`` knows them); a citation of a provision counts for its law.  People are
    linked by mention, absence and vote.  The links are added as they are read, never all
    held: a national corpus has a million.
    """
    import networkx as nx

    kinds: dict[str, str] = {}
    for kind_iri, kind in _KIND_NAMES.items():
        kinds.update((entity, kind) for entity, _ in store.pairs(RDF.type, kind_iri))
    labels = _first_by_entity(_pairs(store, ENTITY_LABELS_QUERY, "entity", "label"))
    keys = _first_by_entity((e, v) for e, v in store.pairs(KG.key) if e in kinds)
    law_kinds = _first_by_entity(store.pairs(KG.lawKind))
    whole = dict(store.pairs(ELI.is_part_of))
    links = chain(
        store.pairs(KG.mentions),
        ((i, whole.get(e, e)) for i, e in store.pairs(ELI.cites)),
        _pairs(store, ABSENT_QUERY, "item", "entity"),
        _pairs(store, VOTERS_QUERY, "item", "entity"),
    )

    graph = nx.Graph()
    nodes = graph.nodes
    for item, entity in links:
        kind = kinds.get(entity)
        node = items.get(item)
        if node is None or kind is None:
            continue
        item = node.iri  # the items' own copy of the IRI
        if item not in nodes:  # items first: the betweenness sample follows node order
            graph.add_node(item)
        if entity not in nodes:
            graph.add_node(
                entity,
                kind=kind,
                label=labels.get(entity, entity),
                key=keys.get(entity),
                law_kind=law_kinds.get(entity),
            )
        graph.add_edge(item, entity)
    return graph


def cross_links(graph: nx.Graph, items: dict[str, ItemNode], base: str) -> list[CrossLink]:
    """Entities whose items lie in two or more municipalities.

    Laws and organisations are one resource across municipalities; projects are minted per
    municipality, so same-named projects (by key, else label, case-folded) are joined.
    An entity's municipalities and items are its neighbours in the item–entity graph.
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind in ("law", "organisation"):
            groups[(kind, node)].append(node)
        elif kind == "project":
            name = (data.get("key") or data.get("label") or node).casefold()
            groups[("project", " ".join(name.split()))].append(node)

    nodes = graph.nodes
    links: list[CrossLink] = []
    for group, members in groups.items():
        municipalities: set[str] = set()
        linked: set[str] = set()
        for entity in members:
            for item in graph.neighbors(entity):
                municipality = items[item].municipality
                if municipality:
                    municipalities.add(municipality)
                    linked.add(item)
        if len(municipalities) < 2:
            continue
        first = nodes[min(members)]
        kind = (first.get("law_kind") or "act") if group[0] == "law" else group[0]
        links.append(
            CrossLink(
                iri=link_iri(base, group[0], group[1]),
                kind=kind,
                label=min(nodes[m].get("label") or m for m in members),
                entities=sorted(members),
                municipalities=sorted(municipalities),
                items=sorted(linked),
            )
        )
    links.sort(key=lambda link: (-len(link.municipalities), -len(link.items), link.label))
    return links


def betweenness_sample(graph: nx.Graph) -> int | None:
    """How many source nodes betweenness is estimated from (None: exact, from every node)."""
    size = graph.number_of_nodes() + graph.number_of_edges()
    if size * graph.number_of_nodes() <= BETWEENNESS_BUDGET:
        return None
    return max(BETWEENNESS_MIN_SAMPLE, BETWEENNESS_BUDGET // size)


def centrality(graph: nx.Graph) -> list[Centrality]:
    """Degree (items linked) and betweenness of people and organisations, most central first."""
    from kommunegraf.graph.analysis.betweenness import betweenness

    if graph.number_of_nodes() == 0:
        return []
    between = betweenness(graph, k=betweenness_sample(graph), seed=BETWEENNESS_SEED)
    found = [
        Centrality(
            iri=node,
            kind=data["kind"],
            label=data.get("label") or node,
            degree=graph.degree(node),
            betweenness=round(between.get(node, 0.0), 6),
        )
        for node, data in graph.nodes(data=True)
        if data.get("kind") in ("person", "organisation")
    ]
    found.sort(key=lambda c: (-c.betweenness, -c.degree, c.label))
    return found


# --- writing the derived graph ------------------------------------------------------------


def _literal(value: str) -> str:
    from kommunegraf.graph.rdf.mapping import literal

    return literal(value)


def _double(value: float) -> str:
    """A betweenness as Oxigraph prints an xsd:double ("0.000001", "1", "0.5"; Python's
    "1e-06", "1.0"), so that a recomputation that changes nothing rewrites nothing: the
    derived graph is updated by the difference of its lines."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def derived_lines(derived: Derived) -> Iterator[str]:
    """The derived graph as N-Triples lines (without their ends), made as they are read: at
    national scale half a million, never held whole."""

    def triple(s: str, p: str, o: str) -> str:
        return f"<{s}> <{p}> {o} ."

    for thread in derived.threads:
        t = thread.iri
        yield triple(t, RDF.type, f"<{KG.Thread}>")
        yield triple(t, RDFS.label, _literal(thread.label))
        if thread.municipality:
            yield triple(t, KG.municipality, f"<{thread.municipality}>")
        yield triple(t, KG.itemCount, _typed(len(thread.items), XSD.integer))
        yield triple(t, KG.meetingCount, _typed(thread.meetings, XSD.integer))
        if thread.first:
            yield triple(t, KG.firstDate, _typed(thread.first, XSD.date))
        if thread.last:
            yield triple(t, KG.lastDate, _typed(thread.last, XSD.date))
        for committee in thread.committees:
            yield triple(t, KG.threadCommittee, f"<{committee}>")
        for case in thread.cases:
            yield triple(t, KG.threadCase, f"<{case}>")
        for position, item in enumerate(thread.items, start=1):
            yield triple(t, KG.threadItem, f"<{item.iri}>")
            yield triple(item.iri, KG.threadPosition, _typed(position, XSD.integer))
        for source, target in thread.postponements:
            yield triple(source, KG.postponedTo, f"<{target}>")

    for link in derived.links:
        yield triple(link.iri, RDF.type, f"<{KG.CrossMunicipalityLink}>")
        yield triple(link.iri, RDFS.label, _literal(link.label))
        yield triple(link.iri, KG.linkKind, _literal(link.kind))
        yield triple(link.iri, KG.municipalityCount, _typed(len(link.municipalities), XSD.integer))
        yield triple(link.iri, KG.itemCount, _typed(len(link.items), XSD.integer))
        for entity in link.entities:
            yield triple(link.iri, KG.linkEntity, f"<{entity}>")
        for municipality in link.municipalities:
            yield triple(link.iri, KG.municipality, f"<{municipality}>")
        for item in link.items:
            yield triple(link.iri, KG.linkItem, f"<{item}>")

    for actor in derived.central:
        yield triple(actor.iri, KG.itemDegree, _typed(actor.degree, XSD.integer))
        yield triple(actor.iri, KG.betweenness, _typed(_double(actor.betweenness), XSD_DOUBLE))

    if derived.graph and derived.documents is not None:
        count = _typed(derived.documents, XSD.integer)
        yield triple(derived.graph, KG.computedOverDocuments, count)
    if derived.graph and derived.threads_documents is not None:
        count = _typed(derived.threads_documents, XSD.integer)
        yield triple(derived.graph, KG.threadsOverDocuments, count)


def compute(store: Store) -> Derived:
    """Threads, cross-municipality links and centrality from the store's documents."""
    items = load_items(store)
    references = store.pairs(KG.refersTo)
    graph = item_graph(items, references, postponed_items(store, items))
    threads = find_threads(graph, items, store.base)
    del graph  # before the larger item–entity graph is built
    entities = entity_graph(store, items)
    documents = len(store.documents())
    return Derived(
        threads=threads,
        links=cross_links(entities, items, store.base),
        central=centrality(entities),
        graph=store.derived_graph,
        documents=documents,
        threads_documents=documents,
    )


def computed_over(store: Store) -> int | None:
    """How many documents the store held when its cross-municipality links and centrality
    were last computed whole (None: never, or by a version that did not say)."""
    return _count(store, KG.computedOverDocuments)


def threads_over(store: Store) -> int | None:
    """How many documents the store held when its threads were last brought up to date: none
    while a run that writes documents has not yet updated them (see forget_threads_count)."""
    return _count(store, KG.threadsOverDocuments)


def threads_current(store: Store, existing: set[str]) -> bool:
    """Whether the store's case threads are up to date with its documents ``existing``."""
    return store.is_complete(store.derived_graph) and threads_over(store) == len(existing)


def _count(store: Store, predicate: str) -> int | None:
    """The derived graph's one count stated with ``predicate``."""
    return next((int(value) for _graph, value in store.pairs(predicate)), None)


def recompute(store: Store) -> Derived:
    """Recompute the derived graph and replace it in the (writable) store."""
    derived = compute(store)
    derived.triples = store.replace_graph(store.derived_graph, derived_lines(derived))
    return derived


# --- reading threads back (no networkx) ---------------------------------------------------


@dataclass(frozen=True)
class ThreadRow:
    """A thread as listed by ``kommunegraf threads``."""

    iri: str
    label: str
    municipality: str
    items: int
    meetings: int
    first: str | None
    last: str | None
    committees: list[str]
    cases: list[str]
    standing: bool = False  # the agenda's own procedure (graph.analysis.standing)
    path: list[str] = field(default_factory=list)  # the bodies in date order (see thread_paths)


def thread_paths(store: Store, municipality: str | None = None) -> dict[str, list[str]]:
    """Each thread's way through the bodies: the committees of its items' meetings and the
    bodies of their decisions (the earlier treatments later minutes print under "Sagens
    forløb" among them), in date order, each treatment once, a body met twice in a row
    named once: "Plan- og Tryghedsudvalget → Økonomiudvalget → Byråd".

    A treatment is (body, date); a body's printed names are folded (graph.answers.effects.body_key)
    so that "Byrådet" printed in a later item is the "Byråd" whose meeting it was."""
    from kommunegraf.graph.answers.effects import body_key

    bindings: dict[str, Any] = {"municipality": IRI(municipality)} if municipality else {}
    events: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for row in store.query(THREAD_PATH_QUERY, bindings):  # type: ignore[union-attr]
        label = _text(row["label"]) or str(row["body"]).rsplit("/", 1)[-1]
        day = _text(row["date"]) or ""
        key = (day, body_key(label))
        seen = events[str(row["thread"])]
        seen[key] = min(label, seen.get(key, label))  # one name, the same on every run
    paths: dict[str, list[str]] = {}
    for thread, seen in events.items():
        path: list[str] = []
        last = None
        for (_day, key), label in sorted(seen.items()):
            if key != last:
                path.append(label)
            last = key
        paths[thread] = path
    return paths


def list_threads(
    store: Store,
    *,
    min_meetings: int = 2,
    municipality: str | None = None,
    standing: bool = False,
    min_committees: int = 1,
) -> list[ThreadRow]:
    """Threads from the derived graph, longest first; ``municipality`` is its IRI.

    Standing cases ("Godkendelse af dagsorden", "Meddelelser" …: graph.analysis.standing) are left
    out unless ``standing``; then they are listed, marked.  ``min_committees``: only threads
    whose path (:func:`thread_paths`) passes that many distinct bodies."""
    bindings: dict[str, Any] = {"minMeetings": min_meetings}
    if municipality:
        bindings["municipality"] = IRI(municipality)
    rows: list[ThreadRow] = []
    for row in store.query(THREADS_QUERY, bindings):  # type: ignore[union-attr]
        rows.append(
            ThreadRow(
                iri=str(row["thread"]),
                label=_text(row["label"]) or "",
                municipality=_text(row["munLabel"]) or str(row["municipality"]),
                items=int(row["items"]),  # type: ignore[arg-type]
                meetings=int(row["meetings"]),  # type: ignore[arg-type]
                first=_text(row["first"]),
                last=_text(row["last"]),
                committees=_split(row["committees"]),
                cases=_split(row["cases"]),
            )
        )
    from kommunegraf.graph.analysis.standing import standing_flags

    paths = thread_paths(store, municipality)
    marked = [
        replace(r, standing=f, path=paths.get(r.iri, []))
        for r, f in zip(rows, standing_flags(store, rows), strict=True)
    ]
    rows = [r for r in marked if standing or not r.standing]
    if min_committees > 1:
        from kommunegraf.graph.answers.effects import body_key

        rows = [r for r in rows if len({body_key(b) for b in r.path}) >= min_committees]
    return rows


def _split(value: Any) -> list[str]:
    return sorted({part for part in str(value or "").split(" | ") if part})


def render_threads(rows: list[ThreadRow], width: int | None = 80) -> str:
    """Threads as text: a line of figures and cases, then the title and the path of bodies.

    Values are never cut: with a ``width`` (a terminal) the cases, title and path wrap under
    their own indent; without one (piped, redirected) each is printed whole on its line, so
    that a script or a reader of a saved file gets every case number and every body.
    """
    import textwrap

    pad = " " * 6

    def wrapped(text: str, indent: str = pad, first: str | None = None) -> list[str]:
        lead = indent if first is None else first
        if width is None:
            return [lead + text]
        return textwrap.wrap(
            text,
            width=max(width, 40),
            initial_indent=lead,
            subsequent_indent=indent,
            break_on_hyphens=False,
        ) or [lead]

    head = f"{'Mtgs':>4}  {'Items':>5}  {'First':<10}  {'Last':<10}  {'Municipality':<16}  Cases"
    lines = [head, "-" * min(width or 80, 80)]
    for r in rows:
        figures = (
            f"{r.meetings:>4}  {r.items:>5}  {r.first or '':<10}  {r.last or '':<10}  "
            f"{r.municipality:<16}  "
        )
        cases = ", ".join(r.cases) or "(no case number)"
        if width is not None and len(figures) > width - 20:  # no room beside: their own lines
            lines += [figures.rstrip(), *wrapped(cases)]
        else:
            lines += wrapped(cases, indent=" " * len(figures), first=figures)
        lines += wrapped(r.label + ("  (standing case)" if r.standing else ""))
        if len(r.path) > 1:
            lines += wrapped(" → ".join(r.path))
    return "\n".join(lines)
