"""Which municipality a user means: a name, a slug or a kommunekode, resolved to the store's IRI.

``trace``, ``threads``, ``query`` (a municipality parameter), ``viz`` and ``serve`` all take a
municipality as typed ("Næstved", "næstved kommune", "naestved", "370"); this module is the one
place that turns it into the IRI the store holds, or a one-line error naming the near names
and the municipalities that have documents.  No IRI is minted here, and nothing beyond
pyoxigraph's store and the standard library is imported, so a trace stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kommunegraf.errors import KommunegrafError
from kommunegraf.extract.text.fold import fold_municipality_name
from kommunegraf.queries.sparql import sparql

if TYPE_CHECKING:  # any store that answers SPARQL will do; the lookup imports none
    from kommunegraf.graph.store.local import Store

MUNICIPALITIES_LISTED = 20  # beyond this many, an unknown name gets a count, not a list


class UnknownMunicipality(KommunegrafError):
    """No municipality of the store goes by the typed name or code; the message says which
    names are near and which municipalities have documents.  Not a ValueError: a bundled
    query's parameter binding takes those for a value of the wrong kind and would hide it."""


def fold_name(text: str) -> str:
    """A municipality name or slug folded for comparison, letters and digits only (the text
    core folds suffix, case and Danish letters): "Lyngby-Taarbæk Kommune" → "lyngbytaarbaek"."""
    return "".join(ch for ch in fold_municipality_name(text) if ch.isalnum())


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def resolve_municipality(store: Store, text: str) -> tuple[str, str]:
    """(IRI, label) of a municipality in the store, by name, slug or kommunekode.

    "Næstved", "næstved kommune", "naestved" and "370" all name Næstved Kommune.  A code or
    a name as labelled is an indexed lookup; other spellings are compared with each of the
    store's municipalities (at most 98).  No IRI is minted here.
    """
    typed = text.strip()
    if typed.isdigit():
        rows = list(store.query(sparql("municipality-by-code"), {"code": typed}))  # type: ignore[arg-type]
    else:
        capital = typed[:1].upper() + typed[1:]
        rows = []
        for name in dict.fromkeys((typed, capital, f"{capital} Kommune")):
            rows = list(store.query(sparql("municipality-label"), {"label": name}))  # type: ignore[arg-type]
            if rows:
                break
    if rows:
        first = min(rows, key=lambda r: str(r["municipality"]))
        return str(first["municipality"]), str(first["label"])
    typed = fold_name(text)
    known: dict[str, str] = {}
    for row in store.query(sparql("municipalities")):  # type: ignore[union-attr]
        iri, label = str(row["municipality"]), _s(row["label"]) or str(row["municipality"])
        known.setdefault(iri, label)
        names = {fold_name(label), fold_name(iri.rsplit("/", 1)[-1]), str(row["code"] or "")}
        names |= {n[:-1] for n in names if n.endswith("s")}  # "Københavns" → "københavn"
        if typed and typed in names:
            return iri, label
    raise UnknownMunicipality(_unknown_municipality(store, text, known))


def municipality_labels(store: Store) -> dict[str, str]:
    """IRI → label of every municipality the store names."""
    return {
        str(r["municipality"]): str(r["label"])
        for r in store.query(sparql("municipality-label"))  # type: ignore[union-attr]
    }


def _unknown_municipality(store: Store, text: str, known: dict[str, str]) -> str:
    """Why a municipality was not found: the names near what was typed, and the
    municipalities that have documents (not every one the reference data names)."""
    import difflib  # only on a miss

    names = sorted(set(known.values()))
    folded = {fold_name(name): name for name in names}
    near = [
        folded[n] for n in difflib.get_close_matches(fold_name(text), list(folded), n=3, cutoff=0.6)
    ]
    near += [
        name
        for name in names
        if name not in near
        and fold_name(text)
        and fold_name(name).startswith(fold_name(text)[:4])
        and len(near) < 3
    ]
    held = sorted(
        {known.get(str(r["municipality"]), str(r["municipality"]))
         for r in store.query(sparql("municipalities-with-meetings"))}  # type: ignore[union-attr]
    )  # fmt: skip
    message = f"no municipality {text!r} in the store"
    if near:
        message += f"; did you mean {' or '.join(near)}?"
    if not held:
        return message + " (it holds no documents yet)"
    message += "." if not near else ""
    if len(held) > MUNICIPALITIES_LISTED:
        return message + f" Documents from {len(held)} municipalities (`kommunegraf stats`)."
    return message + f" Documents from: {', '.join(held)}."
