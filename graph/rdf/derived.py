"""The derived graph as N-Triples: case threads, cross-municipality links, central actors.

The one writer of the derived graph's RDF text, beside graph.rdf.mapping (whose literal
escaping it uses) and graph.rdf.iris (which mints the threads' and links' IRIs): what
graph.analysis computes is plain data, and only this module knows which ontology terms
describe it.  The lines are written as Oxigraph prints them back (a double "0.000001", not
Python's "1e-06"), because the store updates the derived graph by the difference of its
lines: a recomputation that changes nothing must rewrite nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Protocol

from kommunegraf.graph.rdf.mapping import literal
from kommunegraf.ontology.terms import KG, RDF, RDFS, XSD

XSD_DOUBLE = XSD.NS + "double"


class ItemLike(Protocol):
    iri: str


class ThreadLike(Protocol):
    iri: str
    label: str
    municipality: str | None
    items: Sequence[ItemLike]
    postponements: Sequence[tuple[str, str]]
    treatments: Sequence[tuple[str, str]]

    @property
    def meetings(self) -> int: ...
    @property
    def first(self) -> str | None: ...
    @property
    def last(self) -> str | None: ...
    @property
    def committees(self) -> list[str]: ...
    @property
    def cases(self) -> list[str]: ...


class LinkLike(Protocol):
    iri: str
    kind: str
    label: str
    entities: Sequence[str]
    municipalities: Sequence[str]
    items: Sequence[str]


class TallyLike(Protocol):
    iri: str
    kind: str
    municipality: str
    keys: tuple[tuple[str, str], ...]
    count: int
    first: str | None
    last: str | None
    partners: Sequence[str]


class ActorLike(Protocol):
    iri: str
    degree: int
    betweenness: float


def double(value: float) -> str:
    """A betweenness as Oxigraph prints an xsd:double ("0.000001", "1", "0.5"; Python's
    "1e-06", "1.0")."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def _triple(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} ."


def _span(s: str, first: tuple[str, str | None], last: tuple[str, str | None]) -> Iterator[str]:
    """The (predicate, date) of a first and a last date, each where there is one."""
    for predicate, day in (first, last):
        if day:
            yield _triple(s, predicate, _typed(day, XSD.date))


def thread_lines(thread: ThreadLike) -> Iterator[str]:
    """One thread: its figures, committees, cases, items in order, postponements and its
    treatments ("date body date body …": graph.analysis.paths)."""
    t = thread.iri
    yield _triple(t, RDF.type, f"<{KG.Thread}>")
    yield _triple(t, RDFS.label, literal(thread.label))
    if thread.municipality:
        yield _triple(t, KG.municipality, f"<{thread.municipality}>")
    yield _triple(t, KG.itemCount, _typed(len(thread.items), XSD.integer))
    yield _triple(t, KG.meetingCount, _typed(thread.meetings, XSD.integer))
    yield from _span(t, (KG.firstDate, thread.first), (KG.lastDate, thread.last))
    for committee in thread.committees:
        yield _triple(t, KG.threadCommittee, f"<{committee}>")
    for case in thread.cases:
        yield _triple(t, KG.threadCase, f"<{case}>")
    for position, item in enumerate(thread.items, start=1):
        yield _triple(t, KG.threadItem, f"<{item.iri}>")
        yield _triple(item.iri, KG.threadPosition, _typed(position, XSD.integer))
    for source, target in thread.postponements:
        yield _triple(source, KG.postponedTo, f"<{target}>")
    if thread.treatments:
        text = " ".join(f"{day} {body}" for day, body in thread.treatments)
        yield _triple(t, KG.threadTreatments, literal(text))


def link_lines(link: LinkLike) -> Iterator[str]:
    """One cross-municipality link: its kind, counts, entities, municipalities and items."""
    s = link.iri
    yield _triple(s, RDF.type, f"<{KG.CrossMunicipalityLink}>")
    yield _triple(s, RDFS.label, literal(link.label))
    yield _triple(s, KG.linkKind, literal(link.kind))
    yield _triple(s, KG.municipalityCount, _typed(len(link.municipalities), XSD.integer))
    yield _triple(s, KG.itemCount, _typed(len(link.items), XSD.integer))
    for entity in link.entities:
        yield _triple(s, KG.linkEntity, f"<{entity}>")
    for municipality in link.municipalities:
        yield _triple(s, KG.municipality, f"<{municipality}>")
    for item in link.items:
        yield _triple(s, KG.linkItem, f"<{item}>")


# A tally's keys: each role's predicate, and whether its value is an IRI or an integer.
TALLY_ROLES = {
    "committee": (KG.tallyCommittee, None),
    "outcome": (KG.tallyOutcome, None),
    "entity": (KG.tallyEntity, None),
    "year": (KG.tallyYear, XSD.integer),
}


def tally_lines(tally: TallyLike) -> Iterator[str]:
    """One count kept at ingest (graph.analysis.tallies): its kind, municipality, keys, count,
    dates and partners."""
    iri = tally.iri
    yield _triple(iri, RDF.type, f"<{KG.Tally}>")
    yield _triple(iri, KG.tallyKind, literal(tally.kind))
    yield _triple(iri, KG.municipality, f"<{tally.municipality}>")
    for role, value in tally.keys:
        predicate, datatype = TALLY_ROLES[role]
        yield _triple(iri, predicate, _typed(value, datatype) if datatype else f"<{value}>")
    yield _triple(iri, KG.tallyCount, _typed(tally.count, XSD.integer))
    yield from _span(iri, (KG.tallyFirst, tally.first), (KG.tallyLast, tally.last))
    for partner in tally.partners:
        yield _triple(iri, KG.tallyPartner, f"<{partner}>")


def actor_lines(actor: ActorLike) -> Iterator[str]:
    """A central actor's degree and betweenness (stated of the person or organisation)."""
    yield _triple(actor.iri, KG.itemDegree, _typed(actor.degree, XSD.integer))
    yield _triple(actor.iri, KG.betweenness, _typed(double(actor.betweenness), XSD_DOUBLE))


def count_line(graph: str, predicate: str, count: int) -> str:
    """A count stated of the derived graph itself (the documents a part was computed over)."""
    return _triple(graph, predicate, _typed(count, XSD.integer))


def derived_graph_lines(
    threads: Iterable[ThreadLike],
    links: Iterable[LinkLike],
    actors: Iterable[ActorLike],
    counts: Iterable[tuple[str, str, int]] = (),
    tallies: Iterable[TallyLike] = (),
) -> Iterator[str]:
    """The derived graph as N-Triples lines (without their ends), made as they are read: at
    national scale half a million, never held whole.  ``counts``: (graph, predicate, n);
    ``tallies``: counts kept at ingest."""
    for thread in threads:
        yield from thread_lines(thread)
    for link in links:
        yield from link_lines(link)
    for actor in actors:
        yield from actor_lines(actor)
    for tally in tallies:
        yield from tally_lines(tally)
    for graph, predicate, count in counts:
        yield count_line(graph, predicate, count)
