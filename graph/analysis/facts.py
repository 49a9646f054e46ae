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
- the decisions' ``kg:body`` and ``kg:outcome`` (the tallies of graph.analysis.tallies count
  decisions by them);
- links of items to entities: ``kg:mentions``, ``eli:cites``, ``eli:is_part_of``,
  ``kg:absent``, ``kg:votedFor``, ``kg:votedAgainst``, ``kg:abstained``;
- ``rdf:type`` only as an agenda item, decision, person, organisation, project or law;
  ``rdfs:label`` and ``kg:key`` only of what the same graph types as one of those (a
  decision aside) or as a committee (a committee named in an item is an organisation), and
  ``kg:lawKind``.

The mapping types every entity in each graph that labels it, so keeping a graph's labels of
what it types loses nothing a join over all graphs would find (tests/test_derived_facts.py
compares the two on the seeds and a generated corpus).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable

import pyoxigraph as ox

from kommunegraf.ontology.terms import DCTERMS, ELI, KG, ORG, RDF, RDFS

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
        KG.body,
        KG.outcome,
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
KEPT_TYPES = ENTITY_KINDS | {KG.AgendaItem, KG.Decision}
WANTED = PLAIN | ITEM_VALUES | ENTITY_VALUES | {RDF.type}
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


def _plain_term(token: str) -> str | None:
    """An IRI's or a literal's value read off its N-Triples form, or None where the form needs
    a parser (an escape, a blank node, a language tag)."""
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    if token.startswith('"'):
        if token.endswith('"') and len(token) > 1:
            return token[1:-1]
        end = token.rfind('"^^<')
        if end > 0 and token.endswith(">"):
            return token[1:end]
    return None


def _rows(lines: Iterable[str], quads: bool) -> Iterable[tuple[str, str, str]]:
    """(subject, predicate, object's value) of N-Quads/N-Triples lines: read by hand where a
    line has no escape and no blank node (nearly all: a tenth of a parser's cost per line),
    by pyoxigraph's parser otherwise."""
    hard: list[str] = []
    for line in lines:
        if "\\" in line or "_:" in line:
            hard.append(line)
            continue
        subject, predicate, rest = line.split(" ", 2)
        term = rest.rsplit(" ", 2)[0] if quads else rest[:-2]
        s, o = _plain_term(subject), _plain_term(term)
        if s is None or o is None or not subject.startswith("<"):
            hard.append(line)
            continue
        yield s, predicate[1:-1], o
    if hard:
        fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
        for quad in ox.parse("\n".join(hard).encode("utf-8"), format=fmt):
            yield quad.subject.value, quad.predicate.value, quad.object.value


def document_facts(text: str, *, quads: bool = True) -> Facts:
    """The facts of one graph, from its N-Quads (``quads``: as the mapping writes them) or
    its N-Triples (as the store prints a graph back)."""
    rows = list(_rows(_kept_lines(text), quads))
    typed: dict[str, set[str]] = {}
    for s, p, o in rows:
        if p == RDF.type:
            typed.setdefault(s, set()).add(o)
    items = {s for s, kinds in typed.items() if KG.AgendaItem in kinds}
    entities = {s for s, kinds in typed.items() if kinds & ENTITY_KINDS}
    committees = {s for s, kinds in typed.items() if KG.Committee in kinds}
    facts: Facts = {}
    for s, p, o in rows:
        if p == RDF.type:
            keep = o in KEPT_TYPES
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


def part_key(predicate: str, obj: str | None = None) -> str:
    """The key one part of a document's facts is kept under: the predicate, and for
    ``rdf:type`` the class too ("<rdf:type> <kg:Person>"), so that the people of every
    document are read without the items, laws and organisations."""
    return f"{predicate} {obj}" if predicate == RDF.type and obj else predicate


def type_keys() -> list[str]:
    """The keys of every kept ``rdf:type`` part."""
    return [part_key(RDF.type, kind) for kind in sorted(KEPT_TYPES)]


def encode_parts(facts: Facts) -> dict[str, bytes]:
    """Each part's pairs (see :func:`part_key`) as compressed JSON: a computation reads one
    part of many documents at a time, and the IRIs share long stems, so the text shrinks
    several times."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for predicate, pairs in facts.items():
        for pair in pairs:
            parts.setdefault(part_key(predicate, pair[1]), []).append(pair)
    return {
        key: zlib.compress(
            json.dumps(pairs, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1
        )
        for key, pairs in parts.items()
    }


def decode_pairs(blob: bytes | None) -> list[list[str]]:
    """The [subject, object] pairs :func:`encode_parts` wrote for one part (none for
    ``None``)."""
    if not blob:
        return []
    return json.loads(zlib.decompress(blob))  # type: ignore[no-any-return]


def decode_parts(parts: dict[str, bytes]) -> Facts:
    """The facts :func:`encode_parts` wrote, by predicate again."""
    facts: Facts = {}
    for key, blob in parts.items():
        predicate = key.split(" ", 1)[0]
        facts.setdefault(predicate, []).extend((s, o) for s, o in decode_pairs(blob))
    for pairs in facts.values():
        pairs.sort()
    return facts
