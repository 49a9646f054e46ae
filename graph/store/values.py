"""Python values and RDF terms, both ways: what a query binds and what its rows hold.

Shared by the embedded store and the server client, so that a binding means the same term
and a row gives the same Python value whichever backend answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from kommunegraf.ontology import terms
from kommunegraf.ontology.values import IRI, BNode  # below the store: queries/ binds them too

XSD = terms.XSD.NS  # the namespaces are ontology/terms.py's
# XSD's integer datatypes, whose literals come back as int (the rdflib peer reads the same list).
INTEGER_TYPE_NAMES = (
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedInt",
    "unsignedLong",
    "unsignedShort",
    "unsignedByte",
)
_INTEGER_TYPES = {XSD + t for t in INTEGER_TYPE_NAMES}


Value = IRI | BNode | str | int | float | Decimal | bool | dt.date


@dataclass(frozen=True)
class Rows:
    """The solutions of a SELECT query: variable names and one dict per row."""

    variables: list[str]
    rows: Iterator[dict[str, Value | None]]

    def __iter__(self) -> Iterator[dict[str, Value | None]]:
        return self.rows


def to_term(value: Value) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as the RDF term it binds to (typed literals for numbers and dates)."""
    if isinstance(value, IRI):
        return ox.NamedNode(value)
    if isinstance(value, BNode):
        return ox.BlankNode(value)
    if isinstance(value, bool):
        return ox.Literal(value)
    if isinstance(value, int):
        return ox.Literal(value)
    if isinstance(value, float):
        return ox.Literal(value)
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot bind a {type(value).__name__} into SPARQL")


def to_value(term: Any) -> Value | None:
    """An RDF term as a plain Python value; IRIs come back as :class:`IRI`."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == XSD + "decimal":
                return Decimal(term.value)
            if datatype in (XSD + "double", XSD + "float"):
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return str(term)


def bindings_of(bindings: dict[str, Value] | None) -> dict[ox.Variable, Any] | None:
    if not bindings:
        return None
    return {ox.Variable(name.lstrip("?$")): to_term(value) for name, value in bindings.items()}
