"""The bundled SPARQL queries (queries/*.rq): headers, binding, and answers a user would check.

Each query runs against the seeds' store or against invented minutes whose answers are
known by construction (records built here; no seed text), and its rows are asserted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from records_store import load_records as load_shared

from kommunegraf import queries
from kommunegraf.extract import extract_path
from kommunegraf.extract.records import Record
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import Store, open_store
from kommunegraf.queries.municipality import resolve_municipality


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
def seed_records(seed_paths: list[Path]) -> list[Record]:
    return [extract_path(p) for p in seed_paths]


@pytest.fixture(scope="module")
def seed_dir(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("queries-seeds") / "store"
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


LEMVIG, STRUER = ("Lemvig Kommune", "665"), ("Struer Kommune", "671")
SSU, AMU = "Social- og Sundhedsudvalget", "Arbejdsmarkedsudvalget"
RULE = {"kind": "rule", "act": "225-timersreglen", "provision": None, "text": "225-timersreglen"}
HOLM = {"name": "Mads Holm", "party": "V"}
BERG = {"name": "Lise Berg", "party": "A"}
VINTHER = {"name": "Per Vinther", "party": "C"}


def decided(body: str, day: str, outcome: str, text: str = "", **extra: Any) -> dict[str, Any]:
    return {"body": body, "date": day, "outcome": outcome, "text": text, **extra}


def invented_records() -> list[Record]:
    january = record(LEMVIG, SSU, "2023-01-16", [
        {"number": 1, "title": "Godkendelse af dagsorden", "case_number": "00.01.00-A00-1-23",
         "decisions": [decided(SSU, "2023-01-16", "approved", "Godkendt.", absent=["Mads Holm"])],
         "people": [HOLM]},
        {"number": 2, "title": "Aktivering og 225-timersreglen", "case_number": "15.00.00-G01-3-23",
         "decisions": [decided(SSU, "2023-01-16", "recommended", "Indstilles godkendt.",
                               votes={"for": 5, "against": 2,
                                      "against_names": ["Mads Holm", "Lise Berg"]})],
         "people": [HOLM, BERG], "laws": [RULE],
         "organizations": ["Ankestyrelsen", "Jobcenter Lemvig"],
         "projects": [{"name": "Vejen til job"}]},
        {"number": 3, "title": "Ny plejeboligplan", "case_number": "27.30.00-P20-2-23",
         "decisions": [decided(SSU, "2023-01-16", "postponed", "Sagen udsættes.")]},
    ])  # fmt: skip
    february = record(LEMVIG, SSU, "2023-02-13", [
        {"number": 4, "title": "Aktivering og 225-timersreglen", "case_number": "15.00.00-G01-3-23",
         "decisions": [decided(SSU, "2023-02-13", "approved", "Godkendt.", absent=["Mads Holm"])],
         "people": [HOLM]},
    ])  # fmt: skip
    march = record(STRUER, AMU, "2023-03-06", [
        {"number": 7, "title": "Status på rådighedsreglerne", "case_number": "15.00.00-G01-9-23",
         "decisions": [decided(AMU, "2023-03-06", "noted", "Taget til efterretning.",
                               votes={"for": 6, "against": 1, "against_names": ["Per Vinther"],
                                      "for_parties": ["A", "UP"], "against_parties": ["Ø"]})],
         "people": [VINTHER], "laws": [RULE], "organizations": ["Ankestyrelsen"],
         "projects": [{"name": "Vejen til Job"}]},
    ])  # fmt: skip
    return [january, february, march]


@pytest.fixture(scope="module")
def invented_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("queries-invented") / "store"
    load_records(folder, invented_records())
    return folder


@pytest.fixture(scope="module")
def invented(invented_dir: Path) -> Iterator[Store]:
    with open_store(invented_dir, write=False) as store:
        yield store


def run(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    query = queries.load(name)
    bindings = queries.bind(query, params, municipality=lambda m: resolve_municipality(store, m)[0])
    return list(store.query(query.text, bindings))  # type: ignore[arg-type]


def tail(iri: Any) -> str:
    return str(iri).rsplit("/", 1)[-1]


# --- the library --------------------------------------------------------------------------


def test_at_least_twelve_queries_each_with_a_header() -> None:
    bundled = queries.all_queries()
    assert len(bundled) >= 12
    for q in bundled:
        assert q.description and not q.description.startswith("param"), q.name
        assert q.text.lstrip().startswith("#"), q.name
        for p in q.params:
            assert p.kind in queries.KINDS and p.description, (q.name, p)
            assert f"?{p.name}" in q.text, (q.name, p.name)


def test_parse_header() -> None:
    text = (
        "# Ruter pr. busselskab.\n#\n# Tæller ruter.\n"
        "# param: selskab — navnet som trykt\n"
        "# param: aar (integer, optional) — årstallet\n"
        "SELECT * WHERE { ?s ?p ?o }\n# param: ignored — after the query\n"
    )
    description, details, params = queries.parse_header(text)
    assert description == "Ruter pr. busselskab."
    assert details == "Tæller ruter."
    assert params == (
        queries.Param("selskab", "string", False, "navnet som trykt"),
        queries.Param("aar", "integer", True, "årstallet"),
    )
    with pytest.raises(ValueError, match="unknown option"):
        queries.parse_header("# x\n# param: a (heltal) — y\n")


def test_description_may_wrap_over_lines() -> None:
    description, details, _params = queries.parse_header(
        "# Veje og stier, som flere\n#   kommuner nævner.\n#\n# Første afsnit.\n#\n# Andet.\n"
    )
    assert description == "Veje og stier, som flere kommuner nævner."
    assert details == "Første afsnit. Andet."


VALID = {"case": "00.22.00-P35-34-17", "municipality": "Næstved", "integer": "2018",
         "date": "2018-05-15", "iri": "<https://w3id.org/kommunegraf/id/naestved>",
         "string": "a"}  # fmt: skip


def test_every_parameter_binds_and_runs(seeds: Store) -> None:
    for query in queries.all_queries():
        required = {p.name: VALID[p.kind] for p in query.params if not p.optional}
        run(seeds, query.name, **required)
        for param in query.params:
            run(seeds, query.name, **{**required, param.name: VALID[param.kind]})


def test_unknown_query_suggests_close_names() -> None:
    with pytest.raises(KeyError, match="case-history"):
        queries.load("case-histroy")


def test_binding_checks_names_kinds_and_requirements() -> None:
    query = queries.load("decisions-by-outcome")
    assert queries.bind(query, {"year": " 2019 "}) == {"year": 2019}
    with pytest.raises(queries.QueryParamError, match="integer"):
        queries.bind(query, {"year": "nitten"})
    with pytest.raises(queries.QueryParamError, match="takes: municipality, year, outcome"):
        queries.bind(query, {"aar": "2019"})
    with pytest.raises(queries.QueryParamError, match="--param case="):
        queries.bind(queries.load("case-history"), {})
    bound = queries.bind(queries.load("case-history"), {"case": "0.22.00 – P35-34-17"})
    assert bound == {"case": "00.22.00-P35-34-17"}
    assert queries.parse_params(["a=b=c", "law= x "]) == {"a": "b=c", "law": " x "}
    with pytest.raises(queries.QueryParamError):
        queries.parse_params(["no-equals-sign"])


# --- each bundled query, with asserted answers --------------------------------------------


def test_case_history(seeds: Store) -> None:
    rows = run(seeds, "case-history", case="0.22.00-P35-34-17", municipality="Næstved")
    assert [(r["meetingDate"], r["number"]) for r in rows] == [
        ("2018-05-15", 36), ("2018-05-15", 42), ("2018-11-05", 78), ("2018-11-05", 84)
    ]  # fmt: skip
    postponed = run(seeds, "case-history", case="15.00.00-P20-1-18")
    assert [(r["decisionDate"], r["outcome"]) for r in postponed] == [
        ("2018-04-10", "postponed"), ("2018-05-15", "approved")
    ]  # fmt: skip


def test_decisions_by_outcome(invented: Store, seeds: Store, seed_records: list[Record]) -> None:
    rows = run(invented, "decisions-by-outcome", municipality="Lemvig", year="2023")
    assert {(r["committee"], r["outcome"], r["decisions"]) for r in rows} == {
        (SSU, "approved", 2), (SSU, "recommended", 1), (SSU, "postponed", 1)
    }  # fmt: skip
    assert run(invented, "decisions-by-outcome", outcome="noted")[0]["committee"] == AMU
    # the seeds: the store's counts are the records' counts
    expected: dict[tuple[str, str], int] = {}
    for rec in seed_records:
        for item in rec.items:
            for d in item.decisions:
                key = (d.date[:4] if d.date else "", d.outcome)
                expected[key] = expected.get(key, 0) + 1
    got: dict[tuple[str, str], int] = {}
    for r in run(seeds, "decisions-by-outcome"):
        key = (str(r["year"]), str(r["outcome"]))
        got[key] = got.get(key, 0) + int(r["decisions"])
    assert got == expected


def test_votes_against(invented: Store, seeds: Store) -> None:
    rows = run(invented, "votes-against")
    assert {(r["name"], r["number"], r["kind"]) for r in rows} == {
        ("Mads Holm", 2, "person"), ("Lise Berg", 2, "person"), ("Per Vinther", 7, "person"),
        ("Enhedslisten", 7, "party"),  # a party voting against as a bloc
    }  # fmt: skip
    assert {r["party"] for r in rows} == {"V", "A", "C", "Ø"}
    assert [r["party"] for r in run(invented, "votes-against", person="enheds")] == ["Ø"]
    only = run(invented, "votes-against", person="VINTHER")
    assert [(r["name"], r["votesFor"], r["votesAgainst"]) for r in only] == [("Per Vinther", 6, 1)]
    seed_rows = run(seeds, "votes-against", person="fuhr")
    assert sorted(r["number"] for r in seed_rows) == [147, 150]


def test_votes_by_party(invented: Store) -> None:
    rows = run(invented, "votes-by-party")
    assert {(r["party"], r["side"], r.get("member"), r["number"]) for r in rows} == {
        ("V", "against", "Mads Holm", 2), ("A", "against", "Lise Berg", 2),
        ("C", "against", "Per Vinther", 7),
        ("A", "for", None, 7), ("UP", "for", None, 7), ("Ø", "against", None, 7),
    }  # fmt: skip
    a = run(invented, "votes-by-party", party="A")
    assert sorted((r["number"], r["side"]) for r in a) == [(2, "against"), (7, "for")]
    assert {r["partyName"] for r in a} == {"Socialdemokratiet"}
    struer = run(invented, "votes-by-party", municipality="Struer")
    assert {r["number"] for r in struer} == {7} and len(struer) == 4
    assert {(r["votesFor"], r["votesAgainst"]) for r in struer} == {(6, 1)}


def test_absences(invented: Store) -> None:
    rows = run(invented, "absences", municipality="Lemvig")
    assert [(r["name"], r["meetings"], r["decisions"]) for r in rows] == [("Mads Holm", 2, 2)]
    assert (rows[0]["first"], rows[0]["last"]) == ("2023-01-16", "2023-02-13")
    assert run(invented, "absences", municipality="Struer") == []


def test_items_citing_a_rule_across_municipalities(invented: Store) -> None:
    rows = run(invented, "items-citing-law", law="225-TIMERS")
    assert {(tail(r["municipality"]), r["number"]) for r in rows} == {("lemvig", 2), ("struer", 7)}
    assert {r["kind"] for r in rows} == {"rule"}
    assert run(invented, "items-citing-law", law="serviceloven") == []


def test_laws_per_municipality(invented: Store) -> None:
    rows = run(invented, "laws-per-municipality")
    assert {(tail(r["municipality"]), r["law"], r["items"]) for r in rows} == {
        ("lemvig", "225-timersreglen", 1), ("struer", "225-timersreglen", 1)
    }  # fmt: skip


def test_projects_with_organisations(invented: Store) -> None:
    rows = run(invented, "projects", municipality="Lemvig")
    assert len(rows) == 1
    assert rows[0]["project"] == "Vejen til job" and rows[0]["items"] == 1
    assert set(str(rows[0]["organisations"]).split("; ")) == {"Ankestyrelsen", "Jobcenter Lemvig"}


def test_people_by_party(invented: Store) -> None:
    rows = run(invented, "people-by-party", party="V")
    assert [(r["name"], r["committee"], r["items"]) for r in rows] == [("Mads Holm", SSU, 3)]
    everyone = run(invented, "people-by-party")
    assert {(r["party"], r["name"]) for r in everyone} == {
        ("V", "Mads Holm"), ("A", "Lise Berg"), ("C", "Per Vinther")
    }  # fmt: skip


def test_threads_query(seeds: Store, invented: Store) -> None:
    rows = run(seeds, "threads")
    assert [(r["cases"], r["meetings"], r["items"]) for r in rows] == [("00.22.00-P35-34-17", 2, 4)]
    lemvig = run(invented, "threads", municipality="Lemvig")
    assert [(r["cases"], r["first"], r["last"]) for r in lemvig] == [
        ("15.00.00-G01-3-23", "2023-01-16", "2023-02-13")
    ]


def test_items_per_kle(seeds: Store, seed_records: list[Record]) -> None:
    rows = run(seeds, "items-per-kle", municipality="Næstved")
    got = {r["kle"]: r["items"] for r in rows}
    assert got["00.22.00"] == 4
    naestved = [i for r in seed_records if r.municipality.code == "370" for i in r.items]
    kle_items = [i for i in naestved if i.case_number and i.case_number[:2].isdigit()]
    assert sum(got.values()) == len(kle_items)


def test_most_mentioned_organisations(invented: Store) -> None:
    rows = run(invented, "organisations-most-mentioned")
    assert (rows[0]["organisation"], rows[0]["items"], rows[0]["municipalities"]) == (
        "Ankestyrelsen", 2, 2
    )  # fmt: skip
    assert {r["organisation"] for r in rows} == {"Ankestyrelsen", "Jobcenter Lemvig"}


def test_meetings_per_committee(seeds: Store, invented: Store) -> None:
    rows = {
        (tail(r["municipality"]), r["committee"]): r for r in run(seeds, "meetings-per-committee")
    }
    naestved = rows[("naestved", "Beskæftigelses- og Uddannelsesudvalget")]
    assert (naestved["meetings"], naestved["items"]) == (2, 14)
    lemvig = run(invented, "meetings-per-committee", municipality="665")
    assert [(r["committee"], r["meetings"], r["items"]) for r in lemvig] == [(SSU, 2, 4)]


def test_cross_municipality_links(invented: Store) -> None:
    rows = run(invented, "cross-municipality-links")
    assert {(r["kind"], r["entity"], r["municipalityCount"]) for r in rows} == {
        ("rule", "225-timersreglen", 2),
        ("organisation", "Ankestyrelsen", 2),
        ("project", "Vejen til Job", 2),  # same-named projects, one label chosen
    }
    for r in rows:
        assert set(str(r["municipalities"]).split("; ")) == {"Lemvig Kommune", "Struer Kommune"}
    assert [r["entity"] for r in run(invented, "cross-municipality-links", kind="rule")] == [
        "225-timersreglen"
    ]


def test_central_actors(invented: Store) -> None:
    people = run(invented, "central-actors", type="person")
    assert people[0]["name"] == "Mads Holm" and people[0]["items"] == 3
    assert {r["type"] for r in people} == {"person"}
    organisations = run(invented, "central-actors", type="organisation")
    assert {r["name"] for r in organisations} == {"Ankestyrelsen", "Jobcenter Lemvig"}


def test_postponed_cases(invented: Store, seeds: Store, seed_records: list[Record]) -> None:
    rows = run(invented, "postponed-cases")
    assert [(r["case"], r["date"]) for r in rows] == [("27.30.00-P20-2-23", "2023-01-16")]
    # the seeds: cases whose latest decision is a postponement, from the records
    latest: dict[tuple[str | None, str], tuple[str, str]] = {}
    for rec in seed_records:
        for item in rec.items:
            for d in item.decisions:
                key = (rec.municipality.code, item.case_number or "")
                if d.date and (key not in latest or d.date >= latest[key][0]):
                    latest[key] = (d.date, d.outcome)
    expected = {case for (_m, case), (_d, outcome) in latest.items() if outcome == "postponed"}
    assert {r["case"] for r in run(seeds, "postponed-cases")} == expected


def test_postponed_cases_leaves_out_cases_settled_later_or_the_same_day(tmp_path: Path) -> None:
    """Only a case whose latest treatment is a postponement and nothing else is waiting."""
    waiting, settled_later, settled_same_day = (
        "01.02.03-A00-1-24",
        "01.02.03-A00-2-24",
        ("01.02.03-A00-3-24"),
    )
    april = record(STRUER, AMU, "2024-04-08", [
        {"number": 1, "title": "Ny busrute", "case_number": waiting,
         "decisions": [decided(AMU, "2024-04-08", "postponed", "Udsat.")]},
        {"number": 2, "title": "Havnebad", "case_number": settled_later,
         "decisions": [decided(AMU, "2024-04-08", "postponed", "Udsat.")]},
        {"number": 3, "title": "Skolevej", "case_number": settled_same_day,
         "decisions": [decided(AMU, "2024-04-08", "postponed", "Udsat til efter pausen."),
                       decided(AMU, "2024-04-08", "approved", "Godkendt efter pausen.")]},
    ])  # fmt: skip
    may = record(STRUER, AMU, "2024-05-13", [
        {"number": 4, "title": "Havnebad", "case_number": settled_later,
         "decisions": [decided(AMU, "2024-05-13", "approved", "Godkendt.")]},
    ])  # fmt: skip
    folder = tmp_path / "store"
    load_records(folder, [april, may])
    with open_store(folder, write=False) as store:
        rows = run(store, "postponed-cases")
        assert [(r["case"], r["date"]) for r in rows] == [(waiting, "2024-04-08")]
        assert run(store, "postponed-cases", municipality="Struer") == rows


# --- the commands -------------------------------------------------------------------------


def test_cli_queries_lists_every_query() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    for q in queries.all_queries():
        assert f"{q.name:<30} {q.description}" in result.output
    assert "--param case=…  (case)" in result.output


def test_cli_query_formats(invented_dir: Path) -> None:
    runner = CliRunner()
    base = ["--store", str(invented_dir), "query"]
    table = runner.invoke(
        main, [*base, "absences", "-p", "municipality=Lemvig"], env={"COLUMNS": "80"}
    )
    assert table.exit_code == 0, table.output
    assert "Mads Holm" in table.output and "(1 row)" in table.output
    assert all(len(line) <= 80 for line in table.output.splitlines())
    as_csv = runner.invoke(main, [*base, "absences", "--format", "csv"])
    parsed = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [(r["name"], r["meetings"]) for r in parsed] == [("Mads Holm", "2")]
    as_json = runner.invoke(main, [*base, "votes-against", "-p", "person=holm", "--format", "json"])
    bindings = json.loads(as_json.output)["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == ["Mads Holm"]


def test_cli_query_file_and_expression(invented_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--store", str(invented_dir), "query"]
    own = tmp_path / "udvalg.rq"
    own.write_text(
        "# Udvalg med et bestemt navn.\n# param: navn — udvalgets navn\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT DISTINCT ?c ?navn WHERE { ?c rdfs:label ?navn }\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, [*base, str(own), "-p", f"navn={AMU}", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["results"]["bindings"]) == 1
    expr = runner.invoke(main, [*base, "-e", "ASK { ?s ?p ?o }"])
    assert expr.output.strip() == "true"
    both = runner.invoke(main, [*base, "absences", "-e", "ASK {}"])
    assert both.exit_code != 0
    missing = runner.invoke(main, [*base, "case-history"])
    assert missing.exit_code == 1 and "--param case=" in missing.output
    unknown = runner.invoke(main, [*base, "absenses"])
    assert unknown.exit_code == 1 and "absences" in unknown.output
