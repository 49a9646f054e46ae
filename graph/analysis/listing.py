"""Reading the case threads back from the derived graph (``kommunegraf threads``): no
networkx, only the store's SPARQL, and rendering them as text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from kommunegraf.graph.analysis.paths import path_of
from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import sparql_prefixes

_P = sparql_prefixes(("kg", "rdf", "rdfs", "dcterms", "org", "eli", "xsd"))

# The municipalities a document graph (?g bound) belongs to: its meetings' committees' (a
# committee's municipality is a shared description, outside the document's graph).
DOCUMENT_MUNICIPALITIES_QUERY = (
    _P
    + """
SELECT DISTINCT ?g ?municipality WHERE {
  GRAPH ?g { ?meeting a kg:Meeting ; kg:committee ?c }
  ?c org:subOrganizationOf ?municipality .
}"""
)
THREADS_QUERY = (
    _P
    + """
SELECT ?thread ?label ?municipality ?munLabel ?items ?meetings ?first ?last ?minMeetings
       ?treatments ?committees ?cases
WHERE {
  ?thread a kg:Thread ; kg:itemCount ?items ; kg:meetingCount ?meetings ;
          kg:municipality ?municipality .
  FILTER(?meetings >= ?minMeetings)
  OPTIONAL { ?thread rdfs:label ?label }
  OPTIONAL { ?thread kg:firstDate ?first }
  OPTIONAL { ?thread kg:lastDate ?last }
  OPTIONAL { ?thread kg:threadTreatments ?treatments }
  OPTIONAL { ?municipality rdfs:label ?munLabel }
  # each list in a subquery of its own: in one group the committees times the cases of a
  # thread were joined row by row (a standing thread: hundreds of cases)
  OPTIONAL { { SELECT ?thread (GROUP_CONCAT(DISTINCT ?committeeLabel; SEPARATOR=" | ")
                               AS ?committees)
               WHERE { ?thread kg:threadCommittee/rdfs:label ?committeeLabel } GROUP BY ?thread } }
  OPTIONAL { { SELECT ?thread (GROUP_CONCAT(DISTINCT ?caseId; SEPARATOR=" | ") AS ?cases)
               WHERE { ?thread kg:threadCase/dcterms:identifier ?caseId } GROUP BY ?thread } }
}
ORDER BY DESC(?meetings) DESC(?items) ?first ?thread"""
)


# The committees' names, which name the threads' treatments (graph.analysis.paths).
COMMITTEE_NAMES_QUERY = (
    _P + "SELECT ?body ?label WHERE { ?body a kg:Committee ; rdfs:label ?label }"
)


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
    path: list[str] = field(default_factory=list)  # the bodies in date order (paths.py)


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
    whose path (graph.analysis.paths, computed with the threads) passes that many distinct
    bodies."""
    bindings: dict[str, Any] = {"minMeetings": min_meetings}
    if municipality:
        bindings["municipality"] = IRI(municipality)
    names: dict[str, set[str]] = defaultdict(set)
    for row in store.query(COMMITTEE_NAMES_QUERY):  # type: ignore[union-attr]
        names[str(row["body"])].add(str(row["label"]))
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
                path=_named(row["treatments"], names),
            )
        )
    from kommunegraf.graph.analysis.standing import standing_flags

    flags = standing_flags(store, rows)
    marked = [replace(r, standing=f) for r, f in zip(rows, flags, strict=True)]
    rows = [r for r in marked if standing or not r.standing]
    if min_committees > 1:
        from kommunegraf.extract.text.bodies import body_key

        rows = [r for r in rows if len({body_key(b) for b in r.path}) >= min_committees]
    return rows


def _named(treatments: Any, names: dict[str, set[str]]) -> list[str]:
    """The path of a thread's stored treatments ("date body date body …"), its bodies named
    with the store's names of them."""
    parts = str(treatments or "").split()
    return path_of(zip(parts[::2], parts[1::2], strict=True), names)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


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
