"""The counts kept at ingest (graph/analysis/tallies.py) and the queries that sum them; and
the threads' paths through the bodies, written with the threads (graph/analysis/paths.py).

Two kinds of check:
- the counting rules on a few hand-made triples (a decision dated in two years, a provision
  counted for its law, the dated items of a project and the organisations beside it, a
  municipality left out);
- the bundled aggregates that now sum tallies, against the same aggregates counted over the
  documents directly (the queries as they were before the tallies, kept here as the
  yardstick), on a generated corpus of many municipalities: same rows, same figures.  The
  partial update (threads and tallies of the municipalities a run touched) against a whole
  recomputation is tests/test_threads_partial.py;
- each thread's path as listed against the path joined from the store as the listing did
  before the paths were written with the threads.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kommunegraf import queries
from kommunegraf.graph.analysis.tallies import ISO_DATE_RE, compute_tallies, year_of
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import Store, open_store
from kommunegraf.ontology.terms import ELI, KG, ORG, RDF

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus  # bench/corpus.py: the generated minutes

B = "https://example.org/"
M1, M2 = B + "id/a", B + "id/b"


class Triples:
    """A Source over a list of triples (only ``pairs`` is read by the tallies)."""

    base = B

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.triples = list(triples)

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        for s, p, o in self.triples:
            if p == predicate and (obj is None or o == obj):
                yield s, o


Triple = tuple[str, str, str]


def meeting(m: str, committee: str, municipality: str, day: str | None) -> list[Triple]:
    rows = [(m, KG.committee, committee), (committee, ORG.subOrganizationOf, municipality)]
    return rows + ([(m, KG.date, day)] if day else [])


def decision(name: str, body: str, outcome: str, *dates: str, typed: bool = True) -> list[Triple]:
    """A decision's triples as the mapping writes them (``typed``: with its rdf:type)."""
    d = B + name
    rows = [(d, KG.body, body), (d, KG.outcome, outcome), *((d, KG.date, day) for day in dates)]
    return [(d, RDF.type, KG.Decision), *rows] if typed else rows


def by_kind(tallies: list[Any], kind: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], Any]:
    return {(t.municipality, t.keys): t for t in tallies if t.kind == kind}


# --- the year of a date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023-05-03", "2023"),  # ISO_DATE_RE's example
        ("2019-12-31T10:00:00", "2019"),  # a date-time's year, as YEAR() reads it
        ("0999-01-01", "999"),  # YEAR() gives an integer: no leading zero
        ("3. maj 2023", None),  # not a date literal: YEAR() gives nothing
        ("", None),
    ],
)
def test_year_of(text: str, year: str | None) -> None:
    assert year_of(text) == year
    assert bool(ISO_DATE_RE.match(text)) == (year is not None)


# --- the counting rules ---------------------------------------------------------------------


def test_decisions_are_counted_per_body_year_and_outcome() -> None:
    approved, noted = B + "udfald/approved", B + "udfald/noted"
    c = B + "id/a/udvalg/x"
    triples = [
        *meeting(B + "m1", c, M1, "2022-12-01"),
        # a second meeting of the committee states its municipality again, as every document
        # states the shared descriptions it needs: the source gives the pair twice
        *meeting(B + "m2", c, M1, "2023-01-05"),
        # one decision, two dates in two years: counted once in each (as YEAR() groups it)
        *decision("d1", c, approved, "2022-12-01", "2023-01-05"),
        *decision("d2", c, approved, "2022-06-01"),
        *decision("d3", c, noted, "2022-06-01"),
        # no date: not counted (the query requires one); not typed a decision: not counted
        *decision("d4", c, noted),
        *decision("d5", c, noted, "2022-06-01", typed=False),
        # a date with no year (the mapping writes none such): not counted
        *decision("d6", c, noted, "3. maj"),
    ]
    found = {
        keys: t.count
        for (_m, keys), t in by_kind(compute_tallies(Triples(triples)), "decisions").items()
    }

    def key(outcome: str, year: str) -> tuple[tuple[str, str], ...]:
        return (("committee", c), ("outcome", outcome), ("year", year))

    assert found == {key(approved, "2022"): 2, key(approved, "2023"): 1, key(noted, "2022"): 1}


def test_citations_count_an_item_once_per_law_and_a_provision_for_its_law() -> None:
    law, other = B + "lov/x", B + "lov/y"
    triples = [
        *meeting(B + "m1", B + "c1", M1, "2023-01-01"),
        *meeting(B + "m2", B + "c2", M2, "2023-01-02"),
        (B + "i1", KG.meeting, B + "m1"),
        (B + "i1", ELI.cites, law + "/p1"),
        (B + "i1", ELI.cites, law + "/p2"),  # two provisions of one law: the item once
        (law + "/p1", ELI.is_part_of, law),
        (law + "/p2", ELI.is_part_of, law),
        (B + "i2", KG.meeting, B + "m1"),
        (B + "i2", ELI.cites, law),
        (B + "i2", ELI.cites, other),
        (B + "i3", KG.meeting, B + "m2"),
        (B + "i3", ELI.cites, other),
    ]
    found = by_kind(compute_tallies(Triples(triples)), "citations")
    assert {k: t.count for k, t in found.items()} == {
        (M1, (("entity", law),)): 2,
        (M1, (("entity", other),)): 1,
        (M2, (("entity", other),)): 1,
    }


def test_mentions_keep_the_dated_items_dates_and_the_names_beside_a_project() -> None:
    project, org = B + "id/a/projekt/p", B + "org"
    triples = [
        *meeting(B + "m1", B + "c1", M1, "2023-03-01"),
        *meeting(B + "m2", B + "c1", M1, "2023-01-01"),
        *meeting(B + "m3", B + "c1", M1, None),  # an undated meeting
        (project, RDF.type, KG.Project),
        (org, RDF.type, KG.Organization),
        (B + "i1", KG.meeting, B + "m1"),
        (B + "i1", KG.mentions, project),
        (B + "i1", KG.mentions, org),
        (B + "i2", KG.meeting, B + "m2"),
        (B + "i2", KG.mentions, project),
        (B + "i3", KG.meeting, B + "m3"),
        (B + "i3", KG.mentions, project),
        (B + "i3", KG.mentions, org),
    ]
    tallies = compute_tallies(Triples(triples))
    mentions = {k: t.count for k, t in by_kind(tallies, "mentions").items()}
    assert mentions == {(M1, (("entity", project),)): 3, (M1, (("entity", org),)): 2}
    dated = by_kind(tallies, "dated-mentions")[(M1, (("entity", project),))]
    assert (dated.count, dated.first, dated.last) == (2, "2023-01-01", "2023-03-01")
    assert dated.partners == (org,)  # named beside the project in the dated item i1
    other = B + "org2"  # named only in the undated item: no partner
    tallies = compute_tallies(
        Triples([*triples, (B + "i3", KG.mentions, other), (other, RDF.type, KG.Organization)])
    )
    assert by_kind(tallies, "dated-mentions")[(M1, (("entity", project),))].partners == (org,)


def test_only_the_municipalities_asked_for() -> None:
    triples = [
        *meeting(B + "m1", B + "c1", M1, "2023-01-01"),
        *meeting(B + "m2", B + "c2", M2, "2023-01-02"),
        (B + "i1", KG.meeting, B + "m1"),
        (B + "i1", ELI.cites, B + "lov"),
        (B + "i2", KG.meeting, B + "m2"),
        (B + "i2", ELI.cites, B + "lov"),
    ]
    assert {t.municipality for t in compute_tallies(Triples(triples), {M2})} == {M2}
    assert {t.municipality for t in compute_tallies(Triples(triples))} == {M1, M2}


# --- the queries that sum tallies, against the documents counted directly ------------------

_P = """PREFIX kg: <https://w3id.org/kommunegraf/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
# Each aggregate counted over the documents themselves: the bundled query as it was before
# the tallies (projects: its organisations read apart, since an item without one made
# GROUP_CONCAT fail and the list vanish: the bug the tallies fixed).
DIRECT = {
    "decisions-by-outcome": """
SELECT ?municipality ?committee ?year ?outcome (COUNT(DISTINCT ?decision) AS ?decisions) WHERE {
  { SELECT ?body ?municipality (MIN(?label) AS ?committee)
    WHERE { ?body a kg:Committee ; rdfs:label ?label ; org:subOrganizationOf ?municipality }
    GROUP BY ?body ?municipality }
  ?decision kg:body ?body .
  ?decision a kg:Decision ; kg:outcome ?outcomeIri ; kg:date ?date .
  BIND(YEAR(?date) AS ?year)
  BIND(STRAFTER(STR(?outcomeIri), "/udfald/") AS ?outcome)
} GROUP BY ?municipality ?committee ?year ?outcome""",
    "laws-per-municipality": """
SELECT ?municipality ?law ?kind (COUNT(DISTINCT ?item) AS ?items) WHERE {
  ?item eli:cites ?cited ; kg:meeting ?meeting .
  ?meeting kg:committee ?c . ?c org:subOrganizationOf ?municipality .
  OPTIONAL { ?cited eli:is_part_of ?whole }
  BIND(COALESCE(?whole, ?cited) AS ?lawIri)
  { SELECT ?lawIri (COALESCE(STR(SAMPLE(?pref)), MIN(STR(?l))) AS ?law) (MIN(?k) AS ?kind)
    WHERE { ?lawIri a kg:Law ; rdfs:label ?l .
            OPTIONAL { ?lawIri skos:prefLabel ?pref FILTER(LANGMATCHES(LANG(?pref), "da")) }
            OPTIONAL { ?lawIri kg:lawKind ?k } }
    GROUP BY ?lawIri }
} GROUP BY ?municipality ?law ?kind""",
    "organisations-most-mentioned": """
SELECT ?organisation ?municipality (COUNT(DISTINCT ?item) AS ?items)
       (COUNT(DISTINCT ?mentionedIn) AS ?municipalities) WHERE {
  { SELECT ?o (MIN(?l) AS ?organisation) WHERE { ?o a kg:Organization ; rdfs:label ?l }
    GROUP BY ?o }
  OPTIONAL { { SELECT DISTINCT ?o ?municipality WHERE { ?o a kg:Organization .
      { ?o kg:municipality ?municipality } UNION { ?o org:subOrganizationOf ?municipality } } } }
  ?item kg:mentions ?o ; kg:meeting ?meeting .
  ?meeting kg:committee ?c . ?c org:subOrganizationOf ?mentionedIn .
} GROUP BY ?o ?organisation ?municipality""",
    "projects": """
SELECT ?municipality ?project ?items ?first ?last ?organisations WHERE {
  { SELECT ?municipality ?project (COUNT(DISTINCT ?item) AS ?items) (MIN(?date) AS ?first)
           (MAX(?date) AS ?last) WHERE {
      ?p a kg:Project ; kg:municipality ?municipality .
      { SELECT ?p (MIN(?l) AS ?project) WHERE { ?p a kg:Project ; rdfs:label ?l } GROUP BY ?p }
      ?item kg:mentions ?p ; kg:meeting/kg:date ?date .
    } GROUP BY ?municipality ?project }
  OPTIONAL { { SELECT ?municipality ?project
                 (GROUP_CONCAT(DISTINCT ?organisation; SEPARATOR="; ") AS ?organisations) WHERE {
      ?p a kg:Project ; kg:municipality ?municipality .
      { SELECT ?p (MIN(?l) AS ?project) WHERE { ?p a kg:Project ; rdfs:label ?l } GROUP BY ?p }
      ?item kg:mentions ?p ; kg:meeting/kg:date ?date .
      ?item kg:mentions ?o . ?o a kg:Organization ; rdfs:label ?organisation .
    } GROUP BY ?municipality ?project } }
}""",
}


def rows(store: Store, query: str) -> list[tuple[str | None, ...]]:
    """The answer as sorted tuples of text; a concatenated list of names as a sorted set."""
    found = []
    for row in store.select(query):
        values = []
        for key in sorted(row):
            value = row[key]
            text = None if value is None else str(value)
            if key == "organisations" and text is not None:
                text = "; ".join(sorted(set(text.split("; "))))
            values.append(text)
        found.append(tuple(values))
    return sorted(found, key=lambda r: tuple("" if v is None else v for v in r))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """120 generated minutes of many municipalities, ingested (tallies from the facts)."""
    root = tmp_path_factory.mktemp("tallies")
    corpus.write_corpus(root / "minutes", 120, seed=5)
    with open_store(root / "store", write=True) as store:
        ingest([root / "minutes"], store, jobs=1, reporter=PlainReporter(lambda _line: None))
    with open_store(root / "store", write=False) as store:
        yield store


@pytest.mark.parametrize("name", sorted(DIRECT))
def test_the_sums_of_tallies_are_the_counts_over_the_documents(generated: Store, name: str) -> None:
    summed = rows(generated, queries.load(name).text)
    assert summed, f"{name}: no rows on the generated corpus"
    assert summed == rows(generated, _P + DIRECT[name])


# --- the threads' paths, computed with the threads, against the store's join ---------------

# Each thread's treatments as the listing joined them in the store before the paths were
# written with the threads: the yardstick.
THREAD_TREATMENTS = """
SELECT ?thread ?date ?body ?label WHERE {
  ?thread a kg:Thread ; kg:threadItem ?item .
  { ?item kg:meeting ?meeting . ?meeting kg:date ?date ; kg:committee ?body }
  UNION { ?decision kg:item ?item ; kg:date ?date ; kg:body ?body }
  OPTIONAL { ?body rdfs:label ?label }
}"""


def joined_treatments(
    store: Store,
) -> tuple[dict[str, set[tuple[str, str]]], dict[str, set[str]]]:
    """Each thread's (date, body) treatments and each body's names, joined in the store as
    the listing did before the treatments were written with the threads (the oracle)."""
    treatments: dict[str, set[tuple[str, str]]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    for row in store.select(_P + THREAD_TREATMENTS):
        treatments[str(row["thread"])].add((str(row["date"]), str(row["body"])))
        if row["label"] is not None:
            labels[str(row["body"])].add(str(row["label"]))
    return treatments, labels


def test_the_thread_paths_are_those_the_store_joins(generated: Store) -> None:
    from kommunegraf.graph.analysis.listing import list_threads
    from kommunegraf.graph.analysis.paths import path_of

    treatments, labels = joined_treatments(generated)
    listed = list_threads(generated, min_meetings=1, standing=True)
    assert len(listed) == len(treatments) > 10
    longer = 0
    for thread in listed:
        assert thread.path == path_of(sorted(treatments[thread.iri]), labels), thread.iri
        longer += len(thread.path) > 1
    assert longer, "no thread of the generated corpus passes two bodies"


# --- a committee's name a replaced document took away (found by the review) ---------------


def test_a_thread_path_after_a_partial_update_is_that_of_a_whole_recomputation(
    tmp_path: Path,
) -> None:
    """A document names its committee "Social og Beskæftigelsesudvalget" (the same IRI as
    "Social- og …": one slug), then is replaced by its original wording.  The store keeps the
    other name on the committee (a shared description still pointed at is not collected), so
    the path the partial update computes from the facts ("Social- og …") is not the one a
    whole recomputation from the store, or the listing's old join, gives ("Social og …")."""
    from shutil import copy

    from kommunegraf.graph.analysis.listing import list_threads
    from kommunegraf.graph.analysis.paths import path_of

    examples = Path(__file__).resolve().parents[1] / "examples"
    minutes = tmp_path / "minutes"
    minutes.mkdir()
    names = ("vejle_sbu_2023-05-03.txt", "vejle_sbu_2023-08-15.txt", "vejle_byraad_2023-09-27.json")
    for name in names:
        copy(examples / name, minutes / name)
    edited = minutes / "vejle_sbu_2023-08-15.txt"
    original = edited.read_text(encoding="utf-8")
    edited.write_text(
        original.replace("Social- og Beskæftigelsesudvalget", "Social og Beskæftigelsesudvalget"),
        encoding="utf-8",
    )
    quiet = PlainReporter(lambda _line: None)

    def paths(store: Store) -> dict[str, list[str]]:
        return {r.iri: r.path for r in list_threads(store, min_meetings=1, standing=True)}

    with open_store(tmp_path / "store", write=True) as store:
        ingest([minutes], store, jobs=1, reporter=quiet)
        edited.write_text(original, encoding="utf-8")  # the original wording back
        ingest([minutes], store, jobs=1, reporter=quiet, derived="threads")
        partial = paths(store)
        treatments, labels = joined_treatments(store)
        joined = {t: path_of(sorted(treatments[t]), labels) for t in partial}
        ingest([minutes], store, jobs=1, reporter=quiet, derived="whole")
        whole = paths(store)
    assert any(len(p) > 1 for p in whole)
    assert partial == whole
    assert partial == joined
