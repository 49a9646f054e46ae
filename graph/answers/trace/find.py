"""Finding the case a user typed: an exact key (indexed), else a prefix or KLE subject's
cases to choose from, else the near matches a miss lists (graph.rdf.casenumbers decides which
keys a typed number stands for)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kommunegraf.graph.answers.trace.model import CaseChoice, CaseHit, opt_str
from kommunegraf.graph.rdf.casenumbers import lookup_keys, near_matches, prefixes
from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.queries.municipality import municipality_labels
from kommunegraf.queries.sparql import sparql


def find_exact(store: Store, text: str, municipality_iri: str | None = None) -> list[CaseHit]:
    """Cases whose stored key equals one of the typed number's lookup keys (indexed)."""
    for key in lookup_keys(text):
        bindings: dict[str, Any] = {"key": key}
        if municipality_iri:
            bindings["municipality"] = IRI(municipality_iri)
        hits = _hits(store.query(sparql("find-exact"), bindings))  # type: ignore[arg-type]
        if hits:
            return hits
    return []


def _hits(rows: Iterable[dict[str, Any]]) -> list[CaseHit]:
    found: dict[str, CaseHit] = {}
    for row in rows:
        iri = str(row["case"])
        if iri not in found:
            found[iri] = CaseHit(
                iri=iri,
                identifier=opt_str(row["identifier"]) or str(row["key"]),
                key=str(row["key"]),
                municipality_iri=str(row["municipality"]),
                municipality=opt_str(row["munLabel"]) or str(row["municipality"]),
            )
    return sorted(found.values(), key=lambda h: (h.municipality, h.key))


def find_prefix(store: Store, text: str, municipality_iri: str | None = None) -> list[CaseChoice]:
    """Cases whose key starts with the typed partial number or KLE subject."""
    for prefix in prefixes(text):
        bindings: dict[str, Any] = {"prefix": prefix}
        if municipality_iri:
            bindings["municipality"] = IRI(municipality_iri)
        choices = [
            CaseChoice(
                case=opt_str(row["identifier"]) or str(row["key"]),
                case_key=str(row["key"]),
                municipality=opt_str(row["munLabel"]) or str(row["municipality"]),
                items=int(row["items"] or 0),
                last=opt_str(row["last"]),
                title=opt_str(row["title"]),
            )
            for row in store.query(sparql("find-prefix"), bindings)  # type: ignore[union-attr]
        ]
        if choices:
            return choices
    return []


def find_near(
    store: Store, text: str, municipality_iri: str | None = None
) -> list[tuple[str, str]]:
    """(key, municipality) of the stored cases closest to the typed number."""
    bindings: dict[str, Any] = {}
    if municipality_iri:
        bindings["municipality"] = IRI(municipality_iri)
    where: dict[str, list[str]] = {}
    for row in store.query(sparql("all-keys"), bindings):  # type: ignore[union-attr]
        where.setdefault(str(row["key"]), []).append(str(row["municipality"]))
    labels = municipality_labels(store)
    return [
        (key, ", ".join(sorted(labels.get(m, m) for m in where[key])))
        for key in near_matches(text, where)
    ]
