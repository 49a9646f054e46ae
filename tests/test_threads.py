"""Recurring case threads, cross-municipality links and central actors (graph/analysis/threads.py).

The seeds give the Næstved standing-agenda thread; invented minutes (records built here,
none of the seeds' text) give postponements without a case number, references between
cases, laws/organisations/projects shared by municipalities and a person who bridges items.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from records_store import load_records as load_shared

from kommunegraf.extract.records import Record
from kommunegraf.graph.analysis.threads import (
    XSD_DOUBLE,
    _double,
    compute,
    entity_graph,
    list_threads,
    load_items,
    recompute,
    title_key,
)
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import IRI, Store, open_store

KG = "https://w3id.org/kommunegraf/ontology#"


def ingest_seeds(folder: Path, seed_paths: list[Path]) -> None:
    """The seeds through the real pipeline: extract, map, load, recompute the threads."""
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(seed_paths) and not summary.failed


def load_records(folder: Path, records: list[Record]) -> None:
    """Map and load records as ingest does, with the reference data (the laws' names are
    there), then recompute the derived graph."""
    load_shared(folder, records, reference=True)


@pytest.fixture(scope="module")
def seed_dir(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("threads-seeds") / "store"
    ingest_seeds(folder, seed_paths)
    return folder


@pytest.fixture(scope="module")
def seeds(seed_dir: Path) -> Iterator[Store]:
    with open_store(seed_dir, write=False) as store:
        yield store


def record(
    municipality: tuple[str, str], committee: str, day: str, items: list[dict[str, Any]]
) -> Record:
    name, code = municipality
    digest = hashlib.sha256(f"{name}{committee}{day}".encode()).hexdigest()
    return Record.from_json(
        {
            "source": {"path": f"{code}-{day}.txt", "sha256": digest},
            "municipality": {"name": name, "code": code},
            "meeting": {"committee": committee, "date": day, "kind": "referat"},
            "items": items,
        }
    )


def item(number: int, title: str, case: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"number": number, "title": title, "case_number": case, **extra}


def decided(body: str, day: str, outcome: str, text: str = "") -> dict[str, Any]:
    return {"body": body, "date": day, "outcome": outcome, "text": text}


HEDENSTED = ("Hedensted Kommune", "766")
SKIVE = ("Skive Kommune", "779")
TMU = "Teknik- og Miljøudvalget"
AKTIVLOV = {"kind": "act", "act": "Lov om aktiv socialpolitik", "provision": "§ 13",
            "text": "aktivlovens § 13", "canonical": "lov/aktivloven/paragraf/13"}  # fmt: skip
AKTIVLOV_LAW = {**AKTIVLOV, "provision": None, "text": "Lov om aktiv socialpolitik",
                "canonical": "lov/aktivloven"}  # fmt: skip


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store]]:
    hedensted_1 = record(HEDENSTED, TMU, "2022-03-01", [
        item(4, "Ny sti langs Åkærvej", decisions=[decided(TMU, "2022-03-01", "postponed",
                                                             "Udsat.")],
             people=[{"name": "Birthe Mølgaard", "party": "A"}],
             organizations=["Vejdirektoratet"]),
        item(5, "Trafiksikkerhedsplan", "05.01.00-P15-2-22",
             decisions=[decided(TMU, "2022-03-01", "approved", "Godkendt.")],
             people=[{"name": "Birthe Mølgaard", "party": "A"}], laws=[AKTIVLOV],
             organizations=["Ankestyrelsen"], projects=[{"name": "Sikker Skolevej"}]),
        item(6, "Busplan 2023", "05.12.00-P20-1-22",
             decisions=[decided(TMU, "2022-03-01", "noted", "Taget til efterretning.")],
             people=[{"name": "Karl Bech"}], organizations=["Midttrafik"]),
    ])  # fmt: skip
    hedensted_2 = record(HEDENSTED, TMU, "2022-04-05", [
        item(2, "Ny sti langs Åkærvej - udsat fra sidste møde",
             decisions=[decided(TMU, "2022-04-05", "approved", "Godkendt.")]),
        item(3, "Evaluering af busplanen", "05.12.00-P20-9-22",
             decisions=[decided(TMU, "2022-04-05", "noted", "Taget til efterretning.")],
             references=[{"body": None, "date": "2022-03-01", "item_number": 6}],
             people=[{"name": "Birthe Mølgaard", "party": "A"}, {"name": "Karl Bech"}],
             organizations=["Midttrafik"]),
    ])  # fmt: skip
    skive = record(SKIVE, "Beskæftigelsesudvalget", "2022-05-10", [
        item(11, "Sanktioner efter aktivloven", "15.20.00-G01-4-22",
             decisions=[decided("Beskæftigelsesudvalget", "2022-05-10", "noted")],
             laws=[AKTIVLOV_LAW], organizations=["Ankestyrelsen"],
             projects=[{"name": "Sikker skolevej"}], people=[{"name": "Jens Lund"}]),
        item(12, "Lokal jobmesse", "15.20.00-G01-5-22",
             decisions=[decided("Beskæftigelsesudvalget", "2022-05-10", "noted")],
             organizations=["Jobcenter Skive"]),
    ])  # fmt: skip
    folder = tmp_path_factory.mktemp("threads-invented") / "store"
    load_records(folder, [hedensted_1, hedensted_2, skive])
    with open_store(folder, write=False) as store:
        yield folder, store


# --- threads ------------------------------------------------------------------------------


def test_naestved_standing_agenda_thread(seeds: Store) -> None:
    assert list_threads(seeds, min_meetings=2) == []  # a standing case: listed only if asked
    rows = list_threads(seeds, min_meetings=2, standing=True)
    standing = [r for r in rows if "00.22.00-P35-34-17" in r.cases]
    assert len(standing) == 1
    thread = standing[0]
    assert (thread.meetings, thread.items) == (2, 4)
    assert (thread.first, thread.last) == ("2018-05-15", "2018-11-05")
    assert thread.municipality == "Næstved Kommune" and thread.standing
    positions = seeds.query(
        f"""SELECT ?thread ?number ?position WHERE {{
              ?thread <{KG}threadItem> ?item . ?item <{KG}threadPosition> ?position ;
                      <{KG}number> ?number }} ORDER BY ?position""",
        {"thread": IRI(thread.iri)},
    )
    assert [(r["position"], r["number"]) for r in positions] == [  # type: ignore[union-attr]
        (1, 36), (2, 42), (3, 78), (4, 84)
    ]  # fmt: skip


def test_threads_stay_within_one_municipality_and_listing_is_longest_first(seeds: Store) -> None:
    derived = compute(seeds)
    for thread in derived.threads:
        assert len({i.municipality for i in thread.items}) == 1
    rows = list_threads(seeds, min_meetings=1, standing=True)
    keys = [(r.meetings, r.items) for r in rows]
    assert keys == sorted(keys, reverse=True)


def test_postponement_without_case_number_joins_the_next_treatment(
    invented: tuple[Path, Store],
) -> None:
    _folder, store = invented
    derived = compute(store)
    by_title = {t.items[0].title: t for t in derived.threads}
    path = by_title["Ny sti langs Åkærvej"]
    assert [(i.date, i.number) for i in path.items] == [("2022-03-01", 4), ("2022-04-05", 2)]
    assert len(path.postponements) == 1
    assert path.postponements[0][0].endswith("/moede/2022-03-01/punkt/4")
    postponed_to = store.query(f"SELECT ?a ?b WHERE {{ ?a <{KG}postponedTo> ?b }}")
    assert len(list(postponed_to)) == 1  # type: ignore[arg-type]


def test_reference_joins_items_of_different_cases(invented: tuple[Path, Store]) -> None:
    _folder, store = invented
    derived = compute(store)
    bus = next(t for t in derived.threads if any(i.number == 6 for i in t.items))
    assert sorted(i.number for i in bus.items) == [3, 6]
    assert len(bus.cases) == 2 and bus.meetings == 2
    # a single item is no thread
    assert not any(len(t.items) < 2 for t in derived.threads)


def test_min_meetings_and_municipality_filter(invented: tuple[Path, Store]) -> None:
    _folder, store = invented
    assert len(list_threads(store, min_meetings=2)) == 2
    assert list_threads(store, min_meetings=3) == []
    skive = "https://w3id.org/kommunegraf/id/skive"
    assert list_threads(store, min_meetings=1, municipality=skive) == []


# --- cross-municipality links and centrality ----------------------------------------------


def test_cross_municipality_links(invented: tuple[Path, Store]) -> None:
    _folder, store = invented
    links = {(link.kind, link.label): link for link in compute(store).links}
    assert set(links) == {
        ("act", "Lov om aktiv socialpolitik"),
        ("organisation", "Ankestyrelsen"),
        ("project", "Sikker Skolevej"),
    }
    for link in links.values():
        assert [m.rsplit("/", 1)[-1] for m in link.municipalities] == ["hedensted", "skive"]
        assert len(link.items) == 2
    # same-named projects of two municipalities are two resources joined by one link
    assert len(links[("project", "Sikker Skolevej")].entities) == 2
    rows = store.query(
        f"SELECT ?label ?n WHERE {{ ?l a <{KG}CrossMunicipalityLink> ; "
        f"<http://www.w3.org/2000/01/rdf-schema#label> ?label ; <{KG}municipalityCount> ?n }}"
    )
    assert {(r["label"], r["n"]) for r in rows} == {  # type: ignore[union-attr]
        ("Lov om aktiv socialpolitik", 2), ("Ankestyrelsen", 2), ("Sikker Skolevej", 2)
    }  # fmt: skip


def test_most_central_person_bridges_items(invented: tuple[Path, Store]) -> None:
    _folder, store = invented
    central = compute(store).central
    people = [c for c in central if c.kind == "person"]
    top = people[0]
    assert top.label == "Birthe Mølgaard" and top.degree == 3
    assert top.betweenness > max(c.betweenness for c in people[1:])
    organisations = {c.label: c for c in central if c.kind == "organisation"}
    assert organisations["Ankestyrelsen"].degree == 2
    assert organisations["Jobcenter Skive"].betweenness == 0.0


def test_absence_and_votes_link_a_person_to_items_that_do_not_name_them(tmp_path: Path) -> None:
    vote = {"for": 5, "against": 1, "abstain": None, "for_names": [],
            "against_names": ["Per Kjær"], "abstain_names": []}  # fmt: skip
    minutes = record(SKIVE, "Børne- og Familieudvalget", "2023-01-10", [
        item(1, "Dagtilbudsstruktur", "17.01.00-A00-1-23",
             people=[{"name": "Anne Holm", "party": "F"}, {"name": "Per Kjær", "party": "O"}]),
        item(2, "Budgetopfølgning", "00.30.00-S00-2-23",
             decisions=[{**decided("Børne- og Familieudvalget", "2023-01-10", "approved"),
                         "absent": ["Anne Holm"]}]),
        item(3, "Lukning af klubtilbud", "17.02.00-P00-3-23",
             decisions=[{**decided("Børne- og Familieudvalget", "2023-01-10", "approved"),
                         "votes": vote}]),
    ])  # fmt: skip
    load_records(tmp_path / "store", [minutes])
    with open_store(tmp_path / "store", write=False) as store:
        items = load_items(store)
        graph = entity_graph(store, items)
    edges = ((a, b) if a in items else (b, a) for a, b in graph.edges)  # (item, entity)
    linked = {(items[i].number, graph.nodes[e]["label"]) for i, e in edges}
    assert linked == {(1, "Anne Holm"), (1, "Per Kjær"), (2, "Anne Holm"), (3, "Per Kjær")}


def test_recompute_replaces_the_derived_graph(invented: tuple[Path, Store]) -> None:
    folder, _store = invented
    counts = []
    for _ in range(2):
        with open_store(folder, write=True) as store:
            derived = recompute(store)
            counts.append(len(store.graph_ntriples(store.derived_graph).splitlines()))
        assert derived.triples == counts[-1]
    assert counts[0] == counts[1] > 0


def test_a_recompute_that_changes_nothing_writes_nothing(
    invented: tuple[Path, Store], spy_writes: Callable[[object], list[tuple[str, str]]]
) -> None:
    """Every derived line is printed as the store prints it back (betweenness as an
    xsd:double: "0", "0.000001", not "0.0", "1e-06"), so the difference is empty."""
    folder, _store = invented
    with open_store(folder, write=True) as store:
        recompute(store)
        written = spy_writes(store)
        recompute(store)
    assert not [text for name, text in written if name == "bulk_load" or "DELETE DATA" in text]


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1) | st.floats(0, 1).map(lambda x: round(x, 6)) | st.sampled_from([0.0, 1.0]))
def test_a_double_is_printed_as_the_store_prints_it(value: float) -> None:
    line = f'<https://e.org/a> <https://e.org/b> "{_double(value)}"^^<{XSD_DOUBLE}> .\n'
    store = pyoxigraph.Store()
    store.load(line.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert (
        store.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph()
        ).decode()
        == line
    )
    assert float(_double(value)) == value


# --- title matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Ny sti langs Åkærvej - udsat fra sidste møde", "ny sti langs åkærvej"),
        ("Ny sti langs Åkærvej (genoptaget)", "ny sti langs åkærvej"),
        ("Ny  sti langs ÅKÆRVEJ", "ny sti langs åkærvej"),
        ("Udsat betaling af kontingent", "udsat betaling af kontingent"),
        ("", None),
    ],
)
def test_title_key(title: str, key: str | None) -> None:
    assert title_key(title) == key


# --- the command --------------------------------------------------------------------------


def test_cli_threads(seed_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--store", str(seed_dir), "threads", "--standing"])
    assert result.exit_code == 0, result.output
    assert "00.22.00-P35-34-17" in result.output and "(standing case)" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())
    none = runner.invoke(main, ["--store", str(seed_dir), "threads", "--min-meetings", "5"])
    assert none.exit_code == 0 and "no threads" in none.output
    randers = runner.invoke(main, ["--store", str(seed_dir), "threads", "-m", "Randers"])
    assert randers.exit_code == 0 and "00.22.00-P35-34-17" not in randers.output


def test_listing_threads_needs_no_networkx(seed_dir: Path) -> None:
    code = (
        "import sys\n"
        "from kommunegraf.graph.store.local import open_store\n"
        "from kommunegraf.graph.analysis.threads import list_threads\n"
        f"with open_store({str(seed_dir)!r}, write=False) as s:\n"
        "    rows = list_threads(s, standing=True)\n"
        "print(len(rows), 'networkx' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]
