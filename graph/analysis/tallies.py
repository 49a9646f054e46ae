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

from kommunegraf.graph.analysis.model import Tally
from kommunegraf.graph.analysis.sources import Source
from kommunegraf.ontology.terms import ELI, KG, ORG, RDF

TALLY_KINDS = ("decisions", "citations", "mentions", "dated-mentions")

# An ISO date's year, as SPARQL's YEAR() reads an xsd:date: "2023-05-03" → 2023.
# (A dateTime's too: "2023-05-03T10:00:00" → 2023.)
ISO_DATE_RE = re.compile(r"(?P<year>\d{4})-\d{2}-\d{2}")


def year_of(day: str) -> str | None:
    """The year of an ISO date or date-time, as text; None for anything else (YEAR() gives
    no value)."""
    match = ISO_DATE_RE.match(day)
    return str(int(match["year"])) if match else None


class _Reads:
    """The source's reads the tallies share.  Each kind reads the predicates it needs for the
    subjects it needs and lets them go (at 10,000 documents, holding every decision's body,
    outcome and dates beside the items' links added 360 MB to the ingest's peak)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._meetings: dict[str, list[str]] | None = None
        self._places: dict[str, set[str]] | None = None
        self._dates: dict[str, list[str]] | None = None

    def of(
        self, predicate: str, subjects: set[str] | None = None, objects: set[str] | None = None
    ) -> dict[str, list[str]]:
        """subject → its objects for ``predicate`` (of ``subjects`` and among ``objects``
        only, when given)."""
        found: dict[str, list[str]] = defaultdict(list)
        for s, o in self.source.pairs(predicate):
            if (subjects is None or s in subjects) and (objects is None or o in objects):
                values = found[s]
                if o not in values:  # a shared description comes once from every document
                    values.append(o)
        return found

    def typed(self, kind: str) -> set[str]:
        return {s for s, _ in self.source.pairs(RDF.type, kind)}

    def _item_meetings(self) -> dict[str, list[str]]:
        """Each item's meetings; the meetings' municipalities and dates (read once)."""
        if self._meetings is None:
            self._meetings = self.of(KG.meeting)
            meetings = {m for ms in self._meetings.values() for m in ms}
            committees = self.of(KG.committee, meetings)
            municipality_of = self.of(
                ORG.subOrganizationOf, {c for cs in committees.values() for c in cs}
            )
            self._places = {
                m: {place for c in cs for place in municipality_of.get(c, ())}
                for m, cs in committees.items()
            }
            self._dates = self.of(KG.date, meetings)
        return self._meetings

    def municipalities_of_item(self, item: str) -> set[str]:
        """The municipalities of the committees of the item's meetings."""
        found: set[str] = set()
        for meeting in self._item_meetings().get(item, ()):
            found |= self._places.get(meeting, set()) if self._places else set()
        return found

    def dates_of_item(self, item: str) -> set[str]:
        """The dates of the item's meetings."""
        found: set[str] = set()
        for meeting in self._item_meetings().get(item, ()):
            found.update(self._dates.get(meeting, ()) if self._dates else ())
        return found


def compute_tallies(source: Source, municipalities: set[str] | None = None) -> list[Tally]:
    """Every tally of ``source`` (of ``municipalities`` only, when given), in a stable order."""
    reads = _Reads(source)
    tallies = [
        *_decisions(reads),
        *_citations(reads),
        *_mentions(reads),
    ]
    if municipalities is not None:
        tallies = [t for t in tallies if t.municipality in municipalities]
    return sorted(tallies, key=lambda t: (t.municipality, t.kind, t.keys))


def _counted(kind: str, groups: Iterable[tuple[str, tuple[tuple[str, str], ...]]]) -> list[Tally]:
    """Tallies from (municipality, keys) groups, one per distinct thing counted (the caller
    yields each group once per thing)."""
    return [Tally(kind, m, keys, n) for (m, keys), n in Counter(groups).items()]


def _decisions(reads: _Reads) -> list[Tally]:
    """Decisions (typed so, with an outcome and a date) per body, year and outcome.  A date
    with no year (not an ISO date: the mapping writes none such) is not counted; the query
    over the documents counted it under no year."""
    decisions = reads.typed(KG.Decision)
    bodies = reads.of(KG.body, decisions)
    outcomes = reads.of(KG.outcome, decisions)
    dates = reads.of(KG.date, decisions)
    municipality_of = reads.of(ORG.subOrganizationOf, {b for bs in bodies.values() for b in bs})

    def groups() -> Iterable[tuple[str, tuple[tuple[str, str], ...]]]:
        for decision in decisions:
            years = {year_of(day) for day in dates.get(decision, ())} - {None}
            for body in bodies.get(decision, ()):
                for municipality in municipality_of.get(body, ()):
                    for outcome in outcomes.get(decision, ()):
                        for year in years:
                            yield (
                                municipality,
                                (
                                    ("committee", body),
                                    ("outcome", outcome),
                                    ("year", str(year)),
                                ),
                            )

    return _counted("decisions", groups())


def _citations(reads: _Reads) -> list[Tally]:
    """Items citing a law, per the municipality of the item's meeting: a cited provision
    counts for the law it is part of, anything else cited for itself."""
    cites = reads.of(ELI.cites)
    whole_of = reads.of(ELI.is_part_of, {c for cs in cites.values() for c in cs})

    def groups() -> Iterable[tuple[str, tuple[tuple[str, str], ...]]]:
        for item, cited in cites.items():
            laws = {law for c in cited for law in (whole_of.get(c) or [c])}
            for municipality in reads.municipalities_of_item(item):
                for law in laws:
                    yield municipality, (("entity", law),)

    return _counted("citations", groups())


def _mentions(reads: _Reads) -> list[Tally]:
    """Items naming an organisation or a project, per municipality of the item's meeting;
    how many items had a dated meeting, the first and last of those dates, and for a project
    the organisations those items name (a project typed an organisation too among them)."""
    organisations = reads.typed(KG.Organization)
    projects = reads.typed(KG.Project)
    # each item is met once, and names each entity once: counting is enough
    items: Counter[tuple[str, str]] = Counter()
    dated: Counter[tuple[str, str]] = Counter()
    span: dict[tuple[str, str], tuple[str, str]] = {}
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, named_list in reads.of(KG.mentions, objects=organisations | projects).items():
        named = set(named_list)
        places = reads.municipalities_of_item(item)
        item_days = reads.dates_of_item(item)
        for entity in named:
            for municipality in places:
                key = (municipality, entity)
                items[key] += 1
                if item_days:
                    dated[key] += 1
                    first, last = span.get(key, (min(item_days), max(item_days)))
                    span[key] = (min(first, *item_days), max(last, *item_days))
                    if entity in projects:
                        partners[key] |= named & organisations
    tallies = []
    for (municipality, entity), found in items.items():
        key = (municipality, entity)
        keys = (("entity", entity),)
        tallies.append(Tally("mentions", municipality, keys, found))
        if key in span:
            first, last = span[key]
            tallies.append(
                Tally(
                    "dated-mentions",
                    municipality,
                    keys,
                    dated[key],
                    first,
                    last,
                    tuple(sorted(partners.get(key, ()))),
                )
            )
    return tallies
