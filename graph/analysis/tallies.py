"""Counts kept at ingest: what the aggregate queries would otherwise count over the whole store.

An aggregate such as ``decisions-by-outcome`` reads every decision of the corpus (115,000 at
10,000 documents, about 10 µs an index look-up in Oxigraph 0.5: 4 s a run).  The counts it
groups are known when the documents are: each tally here is one group's count, computed in
Python from the same reads as the case threads (graph.analysis.sources: the store, or the
documents' facts beside it) and written to the derived graph, so that the query sums a few
thousand tallies instead.

Every count is of things a document owns (decisions, agenda items), so the tallies of two
documents add up: no item or decision is in two documents.  Each tally belongs to one
municipality (the one whose committee met or decided), and an ingest recomputes the tallies
of exactly the municipalities whose documents entered or left, as it does their threads, so
that a count is never stale (unlike links and centrality, which may lag).

The kinds, each read by one bundled query (the query joins the labels, names and parties,
which are shared descriptions, when it runs):

- ``decisions`` (decisions-by-outcome): decisions per deciding committee, year and outcome;
- ``citations`` (laws-per-municipality): items citing a law (a provision counts for its law),
  per the municipality whose committee's meeting the item is on;
- ``mentions`` (organisations-most-mentioned): items naming an organisation or a project, per
  the municipality of the item's meeting;
- ``dated-mentions`` (projects): the same, of items whose meeting has a date, with the first
  and last of those dates and the organisations the same items name (its partners: a
  project's "which organisations appear with it");

Where a query groups by a label rather than a resource (a committee's or a law's name), two
resources that share a label would be counted apart and summed: an item citing both counts
twice where the query over the documents counted it once.  The mapping mints one committee
per name within a municipality and one law per name, so this does not arise for the kinds
here.  It does for people: two people of one municipality may carry one name (a short and a
full form of it: "Allan Clausen" for allan-bak-clausen beside allan-clausen), and an item
naming both would count twice; so ``people-by-party`` still counts the documents' items
(2.2 s at 10,000 documents), and there is no tally of people.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kommunegraf.graph.analysis.model import Tally
from kommunegraf.graph.analysis.sources import Source
from kommunegraf.graph.rdf.iris import IriMinter
from kommunegraf.ontology.terms import ELI, KG, ORG, RDF

Keys = tuple[tuple[str, str], ...]

# An ISO date's year, as SPARQL's YEAR() reads an xsd:date: "2023-05-03" → 2023.
# (A dateTime's too: "2023-05-03T10:00:00" → 2023.)
ISO_DATE_RE = re.compile(r"(?P<year>\d{4})-\d{2}-\d{2}")


def year_of(day: str) -> str | None:
    """The year of an ISO date or date-time, as text; None for anything else (YEAR() gives
    no value)."""
    match = ISO_DATE_RE.match(day)
    return str(int(match["year"])) if match else None


def compute_tallies(source: Source, municipalities: set[str] | None = None) -> list[Tally]:
    """Every tally of ``source`` (of ``municipalities`` only, when given), in a stable order.

    Each kind reads the predicates it needs for the subjects it needs and lets them go: at
    10,000 documents, holding every decision's body, outcome and dates beside the items'
    links added 360 MB to the ingest's peak."""
    minter = IriMinter(source.base)
    tallies = _decisions(source, minter)
    meetings = _Meetings.read(source)
    tallies += _citations(source, minter, meetings)
    tallies += _mentions(source, minter, meetings)
    if municipalities is not None:
        tallies = [t for t in tallies if t.municipality in municipalities]
    return sorted(tallies, key=lambda t: (t.municipality, t.kind, t.keys))


def _of(
    source: Source,
    predicate: str,
    subjects: set[str] | None = None,
    objects: set[str] | None = None,
) -> dict[str, list[str]]:
    """subject → its objects for ``predicate`` (of ``subjects`` and among ``objects`` only,
    when given)."""
    found: dict[str, list[str]] = defaultdict(list)
    for s, o in source.pairs(predicate):
        if (subjects is None or s in subjects) and (objects is None or o in objects):
            values = found[s]
            if o not in values:  # a shared description comes once from every document
                values.append(o)
    return found


def _typed(source: Source, kind: str) -> set[str]:
    return {s for s, _ in source.pairs(RDF.type, kind)}


@dataclass(frozen=True)
class _Meetings:
    """Each item's meetings, and the meetings' municipalities and dates: what citations and
    mentions are counted by."""

    of_item: dict[str, list[str]]
    places: dict[str, set[str]]
    dates: dict[str, list[str]]

    @classmethod
    def read(cls, source: Source) -> _Meetings:
        of_item = _of(source, KG.meeting)
        meetings = {m for ms in of_item.values() for m in ms}
        committees = _of(source, KG.committee, meetings)
        municipality_of = _of(
            source, ORG.subOrganizationOf, {c for cs in committees.values() for c in cs}
        )
        places = {
            m: {place for c in cs for place in municipality_of.get(c, ())}
            for m, cs in committees.items()
        }
        return cls(of_item, places, _of(source, KG.date, meetings))

    def municipalities(self, item: str) -> set[str]:
        """The municipalities of the committees of the item's meetings."""
        return {p for m in self.of_item.get(item, ()) for p in self.places.get(m, ())}

    def days(self, item: str) -> set[str]:
        """The dates of the item's meetings."""
        return {d for m in self.of_item.get(item, ()) for d in self.dates.get(m, ())}


def _tally(
    minter: IriMinter,
    kind: str,
    municipality: str,
    keys: Keys,
    count: int,
    span: tuple[str, str] | None = None,
    partners: tuple[str, ...] = (),
) -> Tally:
    """A tally, named after its kind, municipality and keys (minted where it is made, as a
    thread is)."""
    iri = minter.tally(municipality, kind, [value for _role, value in keys])
    first, last = span or (None, None)
    return Tally(iri, kind, municipality, keys, count, first, last, partners)


def _counted(minter: IriMinter, kind: str, groups: Iterable[tuple[str, Keys]]) -> list[Tally]:
    """Tallies from (municipality, keys) groups, one per distinct thing counted (the caller
    yields each group once per thing)."""
    return [_tally(minter, kind, m, keys, n) for (m, keys), n in Counter(groups).items()]


def _decisions(source: Source, minter: IriMinter) -> list[Tally]:
    """Decisions (typed so, with an outcome and a date) per body, year and outcome.  A date
    with no year (not an ISO date: the mapping writes none such) is not counted; the query
    over the documents counted it under no year."""
    decisions = _typed(source, KG.Decision)
    bodies = _of(source, KG.body, decisions)
    outcomes = _of(source, KG.outcome, decisions)
    dates = _of(source, KG.date, decisions)
    municipality_of = _of(source, ORG.subOrganizationOf, {b for bs in bodies.values() for b in bs})

    def groups() -> Iterable[tuple[str, Keys]]:
        for decision in decisions:
            years = {y for y in map(year_of, dates.get(decision, ())) if y is not None}
            for body in bodies.get(decision, ()):
                for municipality in municipality_of.get(body, ()):
                    for outcome in outcomes.get(decision, ()):
                        for year in years:
                            keys = (("committee", body), ("outcome", outcome), ("year", year))
                            yield municipality, keys

    return _counted(minter, "decisions", groups())


def _citations(source: Source, minter: IriMinter, meetings: _Meetings) -> list[Tally]:
    """Items citing a law, per the municipality of the item's meeting: a cited provision
    counts for the law it is part of, anything else cited for itself."""
    cites = _of(source, ELI.cites)
    whole_of = _of(source, ELI.is_part_of, {c for cs in cites.values() for c in cs})

    def groups() -> Iterable[tuple[str, Keys]]:
        for item, cited in cites.items():
            laws = {law for c in cited for law in (whole_of.get(c) or [c])}
            for municipality in meetings.municipalities(item):
                for law in laws:
                    yield municipality, (("entity", law),)

    return _counted(minter, "citations", groups())


def _mentions(source: Source, minter: IriMinter, meetings: _Meetings) -> list[Tally]:
    """Items naming an organisation or a project, per municipality of the item's meeting;
    how many items had a dated meeting, the first and last of those dates, and for a project
    the organisations those items name (a project typed an organisation too among them)."""
    organisations = _typed(source, KG.Organization)
    projects = _typed(source, KG.Project)
    # each item is met once, and names each entity once: counting is enough
    items: Counter[tuple[str, str]] = Counter()
    dated: Counter[tuple[str, str]] = Counter()
    span: dict[tuple[str, str], tuple[str, str]] = {}
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, named_list in _of(source, KG.mentions, objects=organisations | projects).items():
        named = set(named_list)
        days = meetings.days(item)
        for entity in named:
            for municipality in meetings.municipalities(item):
                key = (municipality, entity)
                items[key] += 1
                if days:
                    dated[key] += 1
                    first, last = span.get(key, (min(days), max(days)))
                    span[key] = (min(first, *days), max(last, *days))
                    if entity in projects:
                        partners[key] |= named & organisations
    tallies = []
    for key, found in items.items():
        municipality, entity = key
        keys = (("entity", entity),)
        tallies.append(_tally(minter, "mentions", municipality, keys, found))
        if key in span:
            together = tuple(sorted(partners.get(key, ())))
            tallies.append(
                _tally(
                    minter, "dated-mentions", municipality, keys, dated[key], span[key], together
                )
            )
    return tallies
