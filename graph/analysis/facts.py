"""A document's facts for the derived graph: the few of its triples that threads, links and
centrality read, kept beside the store so that they are computed without reading it back.

Reading the store back was the derived graph's cost (at 10,000 documents, 14.5 s of its
33 s went into decoding the items and the item–entity links from Oxigraph).  The triples it
needs are known when a document is mapped: :func:`document_facts` picks them out of the
N-Quads the mapping wrote (in the worker, beside the mapping), and the same function picks
them out of a graph the store prints back, so that facts read from either are the same.

Which triples (see graph.analysis.sources, whose joins read them as the store's default
graph would give them):

- the items' and meetings' own: ``kg:meeting``, ``kg:date``, ``kg:committee``,
  ``org:subOrganizationOf``, ``kg:case``, ``kg:refersTo``, ``kg:item``, ``kg:vote``;
  ``kg:number`` and ``dcterms:title`` of agenda items only (attachments have them too);
- ``kg:outcome`` only where it is the postponed outcome;
- links of items to entities: ``kg:mentions``, ``eli:cites``, ``eli:is_part_of``,
  ``kg:absent``, ``kg:votedFor``, ``kg:votedAgainst``, ``kg:abstained``;
- ``rdf:type`` only as an agenda item, person, organisation, project or law; ``rdfs:label``
  and ``kg:key`` only of what the same graph types as one of those or as a committee (a
  committee named in an item is an organisation), and ``kg:lawKind``.

The mapping types every entity in each graph that labels it, so keeping a graph's labels of
what it types loses nothing a join over all graphs would find (tests/test_derived_facts.py
compares the two on the seeds and a generated corpus).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable

import pyoxigraph as ox

from kommunegraf.graph.rdf.iris import IriMinter
from kommunegraf.ontology.terms import DCTERMS, ELI, KG, ORG, RDF, RDFS

POSTPONED = "postponed"
# Kept whatever their subject or object.
PLAIN = frozenset(
    {
        KG.meeting,
        KG.date,
        KG.committee,
        ORG.subOrganizationOf,
        KG.case,
        KG.refersTo,
        KG.item,
        KG.vote,
        KG.mentions,
        ELI.cites,
        ELI.is_part_of,
        KG.absent,
        KG.votedFor,
        KG.votedAgainst,
        KG.abstained,
        KG.lawKind,
    }
)
ITEM_VALUES = frozenset({KG.number, DCTERMS.title})  # of agenda items only
ENTITY_VALUES = frozenset({RDFS.label, KG.key})  # of entities (and committees) only
ENTITY_KINDS = frozenset({KG.Person, KG.Organization, KG.Project, KG.Law})
KEPT_TYPES = ENTITY_KINDS | {KG.AgendaItem}
WANTED = PLAIN | ITEM_VALUES | ENTITY_VALUES | {RDF.type, KG.outcome}
# The predicates as they stand in a line of N-Triples/N-Quads ("<…#meeting>").
_WANTED_TOKENS = frozenset(f"<{p}>" for p in WANTED)

Facts = dict[str, list[tuple[str, str]]]  # predicate IRI → (subject, object value) pairs


def _kept_lines(text: str) -> Iterable[str]:
    """The lines whose predicate is one the facts may keep (a cheap look at the second
    token: a subject IRI holds no space, and neither does a blank node's label)."""
    for line in text.split("\n"):
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in _WANTED_TOKENS:
            yield line


def document_facts(text: str, base: str, *, quads: bool = True) -> Facts:
    """The facts of one graph, from its N-Quads (``quads``: as the mapping writes them) or
    its N-Triples (as the store prints a graph back)."""
    kept = "\n".join(_kept_lines(text))
    fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    postponed = IriMinter(base).outcome(POSTPONED)
    rows: list[tuple[str, str, str]] = []  # (subject, predicate, object's value)
    typed: dict[str, set[str]] = {}
    for quad in ox.parse(kept.encode("utf-8"), format=fmt):
        s, p, o = quad.subject.value, quad.predicate.value, quad.object
        if p == RDF.type:
            typed.setdefault(s, set()).add(o.value)
        rows.append((s, p, o.value))
    items = {s for s, kinds in typed.items() if KG.AgendaItem in kinds}
    entities = {s for s, kinds in typed.items() if kinds & ENTITY_KINDS}
    committees = {s for s, kinds in typed.items() if KG.Committee in kinds}
    facts: Facts = {}
    for s, p, o in rows:
        if p == RDF.type:
            keep = o in KEPT_TYPES
        elif p == KG.outcome:
            keep = o == postponed
        elif p in ITEM_VALUES:
            keep = s in items
        elif p in ENTITY_VALUES:
            keep = s in entities or s in committees
        else:
            keep = True
        if keep:
            facts.setdefault(p, []).append((s, o))
    for pairs in facts.values():
        pairs[:] = sorted(set(pairs))  # a set, as the store holds it
    return facts


def encode_parts(facts: Facts) -> dict[str, bytes]:
    """Each predicate's pairs as compressed JSON (a computation reads one predicate of many
    documents at a time; the IRIs share long stems, so the text shrinks several times)."""
    return {
        predicate: zlib.compress(
            json.dumps(pairs, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1
        )
        for predicate, pairs in facts.items()
    }


def decode_pairs(blob: bytes | None) -> list[tuple[str, str]]:
    """The pairs :func:`encode_parts` wrote for one predicate (none for ``None``)."""
    if not blob:
        return []
    return [(s, o) for s, o in json.loads(zlib.decompress(blob).decode("utf-8"))]
