"""Reading the case threads back from the derived graph (``kommunegraf threads``): no
networkx, only the store's SPARQL, and rendering them as text."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from kommunegraf.graph.store.local import Store
from kommunegraf.ontology.terms import DCTERMS, KG, RDF, RDFS, sparql_prefixes

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

    A treatment is (body, date); a body's printed names are folded (extract.text.bodies.body_key)
    so that "Byrådet" printed in a later item is the "Byråd" whose meeting it was.

    Read as index scans of the few predicates involved and joined here (Store.pairs), not as
    one SPARQL join: at 10,000 documents Oxigraph took 11.5 s over the join of threads, items,
    meetings and decisions, the scans and the dictionaries take a tenth of that."""
    from kommunegraf.extract.text.bodies import body_key

    events: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    treatments = _treatments(store, municipality)
    labels = _labels(store, {body for _thread, _day, body in treatments})
    for thread, day, body in treatments:
        seen = events[thread]
        for label in labels.get(body) or [body.rsplit("/", 1)[-1]]:
            key = (day, body_key(label))
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


def _many(store: Store, predicate: str, subjects: set[str] | None = None) -> dict[str, list[str]]:
    """Every ``predicate`` triple as subject → its objects (of ``subjects`` only, if given)."""
    found: dict[str, list[str]] = defaultdict(list)
    for subject, obj in store.pairs(predicate):
        if subjects is None or subject in subjects:
            found[subject].append(obj)
    return found


def _treatments(store: Store, municipality: str | None) -> list[tuple[str, str, str]]:
    """(thread, date, body) of each thread's items: the committee and date of the item's
    meeting, and the body and date of each decision on the item (a treatment without a date
    or a body is none)."""
    items = _many(store, KG.threadItem)
    if municipality is not None:
        kept = {thread for thread, _m in store.pairs(KG.municipality, municipality)}
        items = {thread: its for thread, its in items.items() if thread in kept}
    wanted = {item for its in items.values() for item in its}
    dates = _many(store, KG.date)
    meetings = _many(store, KG.meeting)
    committees = _many(store, KG.committee)
    bodies = _many(store, KG.body)
    decisions: dict[str, list[str]] = defaultdict(list)
    for decision, item in store.pairs(KG.item):
        if item in wanted:
            decisions[item].append(decision)
    found: list[tuple[str, str, str]] = []
    for thread, its in items.items():
        for item in its:
            for meeting in meetings.get(item, ()):
                for day in dates.get(meeting, ()):
                    found += [(thread, day, body) for body in committees.get(meeting, ())]
            for decision in decisions.get(item, ()):
                for day in dates.get(decision, ()):
                    found += [(thread, day, body) for body in bodies.get(decision, ())]
    return found


def _labels(store: Store, bodies: set[str]) -> dict[str, list[str]]:
    """The labels of ``bodies`` (committees and deciding bodies: a few hundred)."""
    return _many(store, RDFS.label, bodies)


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
    rows = thread_rows(store, min_meetings, municipality)
    from kommunegraf.graph.analysis.standing import standing_flags

    paths = thread_paths(store, municipality)
    marked = [
        replace(r, standing=f, path=paths.get(r.iri, []))
        for r, f in zip(rows, standing_flags(store, rows), strict=True)
    ]
    rows = [r for r in marked if standing or not r.standing]
    if min_committees > 1:
        from kommunegraf.extract.text.bodies import body_key

        rows = [r for r in rows if len({body_key(b) for b in r.path}) >= min_committees]
    return rows


def thread_rows(store: Store, min_meetings: int, municipality: str | None) -> list[ThreadRow]:
    """The threads of the derived graph with at least ``min_meetings`` meetings (of
    ``municipality`` if given), one row per thread and combination of its values, longest
    first: read by index scans of the derived graph's predicates and the labels they need,
    joined here.  One SPARQL query with two GROUP_CONCATs (tests/test_thread_paths.py keeps
    it as the oracle) took 3.9 s at 10,000 documents (13,841 threads)."""
    threads = {t for t, _ in store.pairs(RDF.type, KG.Thread)}
    places = _many(store, KG.municipality, threads)
    if municipality is not None:
        places = {t: [m for m in ms if m == municipality] for t, ms in places.items()}
    counts = _many(store, KG.meetingCount, threads)
    sizes = _many(store, KG.itemCount, threads)
    firsts, lasts = _many(store, KG.firstDate, threads), _many(store, KG.lastDate, threads)
    committees = _many(store, KG.threadCommittee, threads)
    cases = _many(store, KG.threadCase, threads)
    wanted = {c for cs in committees.values() for c in cs}
    wanted |= {m for ms in places.values() for m in ms}
    labels = _many(store, RDFS.label, wanted | threads)  # one scan of every label
    identifiers = _many(store, DCTERMS.identifier, {c for cs in cases.values() for c in cs})
    rows: list[ThreadRow] = []
    for thread in threads:
        bodies = " | ".join(
            label for c in committees.get(thread, ()) for label in labels.get(c, ())
        )
        numbers = " | ".join(i for c in cases.get(thread, ()) for i in identifiers.get(c, ()))
        for place in places.get(thread, ()):
            for meetings in counts.get(thread, ()):
                if int(meetings) < min_meetings:
                    continue
                for items in sizes.get(thread, ()):
                    for label, first, last, place_label in itertools.product(
                        labels.get(thread) or [None],
                        firsts.get(thread) or [None],
                        lasts.get(thread) or [None],
                        labels.get(place) or [None],
                    ):
                        rows.append(
                            ThreadRow(
                                iri=thread,
                                label=label or "",
                                municipality=place_label or place,
                                items=int(items),
                                meetings=int(meetings),
                                first=first,
                                last=last,
                                committees=_split(bodies),
                                cases=_split(numbers),
                            )
                        )
    rows.sort(key=lambda r: (-r.meetings, -r.items, r.first is not None, r.first or "", r.iri))
    return rows


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
