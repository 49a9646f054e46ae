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
    """The source's reads the tallies share, each read once."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._cache: dict[str, dict[str, set[str]]] = {}

    def of(self, predicate: str) -> dict[str, set[str]]:
        """subject → its objects for ``predicate``."""
        if predicate not in self._cache:
            found: dict[str, set[str]] = defaultdict(set)
            for s, o in self.source.pairs(predicate):
                found[s].add(o)
            self._cache[predicate] = found
        return self._cache[predicate]

    def typed(self, kind: str) -> set[str]:
        return {s for s, _ in self.source.pairs(RDF.type, kind)}

    def municipalities_of_item(self, item: str) -> set[str]:
        """The municipalities of the committees of the item's meetings."""
        found: set[str] = set()
        for meeting in self.of(KG.meeting).get(item, ()):
            for committee in self.of(KG.committee).get(meeting, ()):
                found |= self.of(ORG.subOrganizationOf).get(committee, set())
        return found

    def dates_of_item(self, item: str) -> set[str]:
        """The dates of the item's meetings."""
        found: set[str] = set()
        for meeting in self.of(KG.meeting).get(item, ()):
            found |= self.of(KG.date).get(meeting, set())
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
    dates, outcomes, bodies = reads.of(KG.date), reads.of(KG.outcome), reads.of(KG.body)
    municipality_of = reads.of(ORG.subOrganizationOf)

    def groups() -> Iterable[tuple[str, tuple[tuple[str, str], ...]]]:
        for decision in reads.typed(KG.Decision):
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
    whole_of = reads.of(ELI.is_part_of)

    def groups() -> Iterable[tuple[str, tuple[tuple[str, str], ...]]]:
        for item, cited in reads.of(ELI.cites).items():
            laws = {law for c in cited for law in (whole_of.get(c) or {c})}
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
    wanted = organisations | projects
    items: dict[tuple[str, str], set[str]] = defaultdict(set)
    dated: dict[tuple[str, str], set[str]] = defaultdict(set)
    days: dict[tuple[str, str], set[str]] = defaultdict(set)
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, entities in reads.of(KG.mentions).items():
        named = entities & wanted
        if not named:
            continue
        places = reads.municipalities_of_item(item)
        item_days = reads.dates_of_item(item)
        for entity in named:
            for municipality in places:
                key = (municipality, entity)
                items[key].add(item)
                if item_days:
                    dated[key].add(item)
                    days[key] |= item_days
                    if entity in projects:
                        partners[key] |= entities & organisations
    tallies = []
    for (municipality, entity), found in items.items():
        key = (municipality, entity)
        when = days.get(key)
        keys = (("entity", entity),)
        tallies.append(Tally("mentions", municipality, keys, len(found)))
        if when:
            tallies.append(
                Tally(
                    "dated-mentions",
                    municipality,
                    keys,
                    len(dated[key]),
                    min(when),
                    max(when),
                    tuple(sorted(partners.get(key, ()))),
                )
            )
    return tallies
