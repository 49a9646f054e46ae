"""`kommunegraf trace`: a case's history from the real pipeline (seeds → records → store).

The seeds are extracted, mapped and loaded once per module; invented minutes (built as
records, not from the seeds) cover what the seeds do not: one number in two
municipalities, references in both directions, a treatment printed twice.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from records_store import load_records

from kommunegraf.extract import extract_path
from kommunegraf.extract.records import Record
from kommunegraf.graph.answers.trace import (
    CaseNotFound,
    Treatment,
    UnknownMunicipality,
    decision_shown,
    read_status,
    render_markdown,
    render_table,
    to_json,
    trace,
)
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.rdf.casenumbers import (
    canonical_key,
    is_complete_kle,
    kle_prefix,
    lookup_keys,
    near_matches,
)
from kommunegraf.graph.rdf.iris import normalise_case_number
from kommunegraf.graph.store.local import Store, open_store

# --- stores -------------------------------------------------------------------------------


def ingest_seeds(folder: Path, seed_paths: list[Path]) -> None:
    """The seeds through the real pipeline: extract, map, load, recompute the threads."""
    with open_store(folder, write=True) as store:
        summary = ingest(seed_paths, store, jobs=1, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(seed_paths) and not summary.failed


@pytest.fixture(scope="module")
def seed_dir(seed_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trace-seeds") / "store"
    ingest_seeds(folder, seed_paths)
    return folder


@pytest.fixture(scope="module")
def seeds(seed_dir: Path) -> Iterator[Store]:
    with open_store(seed_dir, write=False) as store:
        yield store


def decision(body: str, day: str, outcome: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"body": body, "date": day, "outcome": outcome, "text": text, **extra}


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


VEJLE = ("Vejle Kommune", "630")
ODDER = ("Odder Kommune", "727")
BFU = "Børne- og Familieudvalget"
SHARED_NUMBER = "27.69.48-A00-3-20"


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Invented minutes: two Vejle meetings and one in Odder."""
    february = record(
        VEJLE,
        BFU,
        "2021-02-02",
        [
            {"number": 3, "title": "Legepladser i Bøgeparken", "case_number": "05.04.02-G01-7-20",
             "decisions": [decision(BFU, "2021-02-02", "postponed",
                                    "Sagen genoptages på næste møde.", absent=["Rikke Dal"])]},
            {"number": 4, "title": "Dagplejens åbningstider", "case_number": SHARED_NUMBER,
             "decisions": [decision(BFU, "2021-02-02", "noted", "Taget til efterretning.")]},
        ],
    )  # fmt: skip
    march = record(
        VEJLE,
        BFU,
        "2021-03-02",
        [
            {"number": 7, "title": "Legepladser i Bøgeparken", "case_number": "05.04.02-G01-7-20",
             "decisions": [
                 decision(BFU, "2021-02-02", "postponed", "Sagen genoptages på næste møde."),
                 decision(BFU, "2021-03-02", "recommended",
                          "Anbefales over for Økonomiudvalget og Byrådet.",
                          votes={"for": 5, "against": 2, "against_names": ["Ove Krogh"],
                                 "for_parties": ["V", "A"]}),
             ],
             "references": [{"body": None, "date": "2021-02-02", "item_number": 3},
                            {"body": None, "date": "2020-12-01", "item_number": 9}]},
        ],
    )  # fmt: skip
    odder = record(
        ODDER,
        "Udvalget for Børn og Unge",
        "2021-04-12",
        [
            {"number": 2, "title": "Dagplejens åbningstider", "case_number": SHARED_NUMBER,
             "decisions": [decision("Udvalget for Børn og Unge", "2021-04-12", "approved",
                                    "Godkendt.")]},
        ],
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("trace-invented") / "store"
    load_records(folder, [february, march, odder])
    with open_store(folder, write=False) as store:
        yield store


# --- the seeds ----------------------------------------------------------------------------


def test_standing_case_shows_both_naestved_meetings_in_date_order(seeds: Store) -> None:
    result = trace(seeds, "00.22.00-P35-34-17", "Næstved")
    assert len(result.cases) == 1
    case = result.cases[0]
    assert case.municipality == "Næstved Kommune"
    rows = [(t.date, t.item.number) for t in case.treatments]
    assert rows == [
        ("2018-05-15", 36),
        ("2018-05-15", 42),
        ("2018-11-05", 78),
        ("2018-11-05", 84),
    ]
    assert case.thread is not None and case.thread.meetings == 2


@pytest.mark.parametrize(
    "typed",
    ["0.22.00-P35-34-17", "00.22.00 – P35-34-17", "00.22.00—P35—34—17", " 00.22.00-p35-34-17 "],
)
def test_case_numbers_match_tolerantly(seeds: Store, typed: str) -> None:
    result = trace(seeds, typed, "naestved")
    assert [c.case for c in result.cases] == ["00.22.00-P35-34-17"]


def test_postponement_approval_and_references_not_yet_ingested(seeds: Store) -> None:
    case = trace(seeds, "15.00.00-P20-1-18").cases[0]
    first, second = case.treatments
    assert (first.date, first.outcome) == ("2018-04-10", "postponed")
    assert first.recorded_in is not None and first.recorded_in.number == 39
    assert "Kristian Skov-Andersen" in first.absent
    assert (second.date, second.outcome, second.item.number) == ("2018-05-15", "approved", 39)
    refs = {(link.item.date, link.item.number, link.item.ingested) for link in case.links}
    assert {("2017-06-19", 77, False), ("2018-03-05", 21, False)} <= refs
    assert all(link.relation == "refers_to" for link in case.links)
    assert case.status.startswith("approved on 2018-05-15")
    table = render_table(trace(seeds, "15.00.00-P20-1-18"))
    assert table.count("not yet ingested") == 2


def test_earlier_body_recommendation_comes_before_the_committee(seeds: Store) -> None:
    case = trace(seeds, "07.08.00-Ø40-1-17").cases[0]
    bodies = [(t.date, t.committee) for t in case.treatments]
    assert bodies[0] == ("2017-11-30", "Miljø- og teknikudvalget")
    assert bodies[1][0] == "2017-12-05" and bodies[1][1] != "Miljø- og teknikudvalget"
    earlier = case.treatments[0]
    assert earlier.outcome == "recommended"
    assert earlier.item.number == 248 and not earlier.item.ingested  # "pkt. 248" of its minutes
    assert earlier.recorded_in is not None and earlier.recorded_in.number == 150
    own = case.treatments[1]
    assert own.votes is not None and own.votes["against"] == 1
    assert own.votes["against_names"] == ["Kasper Fuhr Christensen"]
    assert case.status.startswith("recommended to Byrådet")


def test_postponed_to_the_next_meeting_reads_out_the_date(seeds: Store) -> None:
    case = trace(seeds, "15.20.00-A00-2-10").cases[0]
    assert case.status == "postponed on 2018-05-15 to the next meeting (2018-06-12)"
    assert case.next_step and "2018-06-12" in case.next_step


def test_prefix_and_kle_subject_list_the_matching_cases(
    seeds: Store, seed_paths: list[Path]
) -> None:
    numbers = {i.case_number for p in seed_paths for i in extract_path(p).items if i.case_number}
    for typed, prefix in (("15.20", "15.20"), ("15.20.00", "15.20.00"), ("330-2019", "330-2019")):
        result = trace(seeds, typed)
        assert result.matched == "prefix" and not result.cases
        expected = {n for n in numbers if normalise_case_number(n).startswith(prefix)}
        assert expected and {c.case for c in result.choices} == expected


def test_not_found_lists_near_matches(seeds: Store) -> None:
    with pytest.raises(CaseNotFound) as caught:
        trace(seeds, "00.22.00-P35-34-71")
    assert any(key == "00.22.00-P35-34-17" for key, _m in caught.value.near)
    assert "Næstved Kommune" in str(caught.value)


def test_unknown_municipality_names_the_ones_held(seeds: Store) -> None:
    with pytest.raises(UnknownMunicipality, match="Atlantis"):
        trace(seeds, "00.22.00-P35-34-17", "Atlantis")


# --- invented minutes ---------------------------------------------------------------------


def test_one_number_in_two_municipalities_is_two_cases(invented: Store) -> None:
    result = trace(invented, SHARED_NUMBER)
    assert [(c.municipality, c.treatments[0].date) for c in result.cases] == [
        ("Odder Kommune", "2021-04-12"),
        ("Vejle Kommune", "2021-02-02"),
    ]
    table = render_table(result)
    assert "2 municipalities" in table and "Odder Kommune" in table and "Vejle Kommune" in table
    only = trace(invented, SHARED_NUMBER, "727")
    assert [c.municipality for c in only.cases] == ["Odder Kommune"]


def test_treatment_in_its_own_minutes_is_not_repeated(invented: Store) -> None:
    case = trace(invented, "05.04.02-G01-7-20").cases[0]
    assert [(t.date, t.item.number, t.recorded_in) for t in case.treatments] == [
        ("2021-02-02", 3, None),
        ("2021-03-02", 7, None),
    ]
    assert case.treatments[0].absent == ["Rikke Dal"]
    assert case.status == "recommended to Økonomiudvalget and Byrådet on 2021-03-02 by " + BFU
    unseen = [link.item for link in case.links if not link.item.ingested]
    assert [(i.date, i.number, i.committee) for i in unseen] == [("2020-12-01", 9, BFU)]


def test_party_blocs_are_shown_with_their_vote(invented: Store) -> None:
    result = trace(invented, "05.04.02-G01-7-20", "Vejle")
    (voted,) = [t for t in result.cases[0].treatments if t.votes]
    assert voted.votes is not None
    assert (voted.votes["for_parties"], voted.votes["against_names"]) == (["A", "V"], ["Ove Krogh"])
    assert voted.votes["against_parties"] == [] and voted.votes["abstain_parties"] == []
    assert "votes: 5 for (A, V); 2 against (Ove Krogh)" in render_table(result)


def test_votes_line_of_blocs_without_counts() -> None:
    from kommunegraf.graph.answers.trace import _votes_line

    only_blocs = {"for": None, "against": None, "abstain": None, "against_parties": ["Ø"]}
    assert _votes_line(only_blocs) == "votes: against (Ø)"
    names = {"for": None, "against": None, "abstain": None, "abstain_names": ["Ib Dam"]}
    assert _votes_line(names) == "votes: 1 abstaining (Ib Dam)"


def test_references_are_followed_in_both_directions(invented: Store) -> None:
    # March item 7 refers to February item 3; both carry the same case here, so a
    # reference to an item of another case is shown from that case's side.
    shared = trace(invented, SHARED_NUMBER, "Vejle").cases[0]
    assert shared.treatments[0].item.number == 4
    assert not [link for link in shared.links if link.relation == "referred_by"]
    playground = trace(invented, "05.04.02-G01-7-20").cases[0]
    assert not [link for link in playground.links if link.item.number == 3]  # own item


# --- status read-out (invented wording) ---------------------------------------------------


def _t(outcome: str | None, text: str, day: str = "2022-01-10") -> Treatment:
    """A treatment as trace builds it from the graph: its status and next step read from its
    text by extraction (extract/next_steps.py), as the mapping stores them."""
    from kommunegraf.extract.next_steps import next_step_of, status_of
    from kommunegraf.graph.answers.trace import ItemRef, Step

    status, sent_back_to = status_of(outcome, text)
    step = next_step_of(outcome, text, day)
    return Treatment(
        day, "Kommune", "Teknik- og Miljøudvalget", outcome, text, ItemRef("x", True),
        status=status, sent_back_to=sent_back_to,
        next_step=Step(step.kind, step.bodies, step.date) if step else None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("outcome", "text", "status", "next_step"),
    [
        ("postponed", "Punktet genoptages på næste møde.",
         "postponed on 2022-01-10 to the next meeting",
         "resumes at the next meeting of Teknik- og Miljøudvalget"),
        ("postponed", "Udsat til kommende udvalgsmøde den 7. februar 2022.",
         "postponed on 2022-01-10 to the next meeting (2022-02-07)",
         "resumes at the next meeting of Teknik- og Miljøudvalget (2022-02-07)"),
        ("postponed", "Udsat.", "postponed on 2022-01-10 by Teknik- og Miljøudvalget",
         "to be resumed by Teknik- og Miljøudvalget at a later meeting"),
        ("recommended", "Anbefales over for Kommunalbestyrelsen.",
         "recommended to Kommunalbestyrelsen on 2022-01-10 by Teknik- og Miljøudvalget",
         "awaits the decision of Kommunalbestyrelsen"),
        ("recommended", "Indstilles godkendt.",
         "recommended on 2022-01-10 by Teknik- og Miljøudvalget",
         "awaits the decision of the body it was recommended to (not named in the minutes)"),
        ("approved", "Godkendt.", "approved on 2022-01-10 by Teknik- og Miljøudvalget", None),
        ("noted", "Taget til efterretning. Søren Vig begærede sagen i Byrådet.",
         "noted on 2022-01-10 by Teknik- og Miljøudvalget",
         "goes to Byrådet (a member asked for it)"),
        ("discussed", "Drøftet. Et oplæg fremlægges for udvalget i april.",
         "discussed on 2022-01-10 by Teknik- og Miljøudvalget",
         "returns to Teknik- og Miljøudvalget"),
        ("rejected", "Ikke godkendt.", "rejected on 2022-01-10 by Teknik- og Miljøudvalget", None),
    ],
)  # fmt: skip
def test_status_reads_the_latest_treatment(
    outcome: str, text: str, status: str, next_step: str | None
) -> None:
    earlier = _t("postponed", "Udsat.", "2021-12-06")
    assert read_status([earlier, _t(outcome, text)]) == (status, next_step)


def test_status_without_decisions_is_on_the_agenda() -> None:
    status, next_step = read_status([_t(None, "")])
    assert status.startswith("on the agenda of Teknik- og Miljøudvalget")
    assert next_step == "awaits a decision"


# --- output formats -----------------------------------------------------------------------


def all_case_numbers(store: Store) -> list[str]:
    rows = store.query(
        "PREFIX kg: <https://w3id.org/kommunegraf/ontology#> "
        "SELECT DISTINCT ?key WHERE { ?c kg:caseKey ?key }"
    )
    return sorted(str(r["key"]) for r in rows)  # type: ignore[union-attr]


def test_every_table_fits_80_columns(seeds: Store, invented: Store) -> None:
    for store in (seeds, invented):
        numbers = all_case_numbers(store)
        assert numbers
        for number in numbers + sorted({n[:5] for n in numbers}):
            text = render_table(trace(store, number))
            too_wide = [line for line in text.splitlines() if len(line) > 80]
            assert not too_wide, (number, too_wide)


def test_json_has_the_documented_shape(seeds: Store) -> None:
    data = json.loads(json.dumps(to_json(trace(seeds, "07.08.00-Ø40-1-17"))))
    assert data["matched"] == "exact"
    (case,) = data["cases"]
    assert set(case) == {
        "case", "case_key", "iri", "municipality", "municipality_iri", "treatments", "links",
        "thread", "status", "next_step",
    }  # fmt: skip
    first = case["treatments"][0]
    assert set(first) == {
        "date", "municipality", "committee", "outcome", "text", "item", "recorded_in", "absent",
        "votes", "effect",
    }  # fmt: skip
    assert set(first["item"]) == {"iri", "ingested", "date", "committee", "number", "title", "case"}
    # whole decision text in JSON (the table shortens it)
    assert first["text"].endswith("deltog ikke i sagens behandling.")


def test_markdown_renders_tables(seeds: Store) -> None:
    text = render_markdown(trace(seeds, "15.00.00-P20-1-18"))
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Date |"))
    assert lines[header + 1].startswith("|---")
    columns = lines[header].count("|")
    body = lines[header + 2 : header + 4]
    assert all(
        line.startswith("|") and line.count("|") - line.count("\\|") == columns for line in body
    )
    assert "not yet ingested" in text
    assert "Godkendt med den bemærkning at målgruppen er lig med revalideringsmålgruppen." in text


# --- the command --------------------------------------------------------------------------


def test_cli_trace_formats_and_exit_codes(seed_dir: Path) -> None:
    runner = CliRunner()
    base = ["--store", str(seed_dir), "trace"]
    table = runner.invoke(main, [*base, "00.22.00-P35-34-17", "-m", "Næstved"])
    assert table.exit_code == 0, table.output
    assert "2018-11-05" in table.output
    # piped (not a terminal): whole values, the decision's words on one line each
    decisions = trace_of(seed_dir, "00.22.00-P35-34-17").cases[0].treatments
    assert all(decision_shown(t.text) in table.output for t in decisions if t.text)
    as_json = runner.invoke(main, [*base, "15.00.00-P20-1-18", "--format", "json"])
    assert json.loads(as_json.output)["cases"][0]["case"] == "15.00.00-P20-1-18"
    md = runner.invoke(main, [*base, "15.00.00-P20-1-18", "--format", "markdown"])
    assert md.exit_code == 0 and "| Date |" in md.output
    missing = runner.invoke(main, [*base, "00.22.00-P35-34-71"])
    assert missing.exit_code == 1
    assert "00.22.00-P35-34-17" in missing.output and "Traceback" not in missing.output
    assert "trace" in runner.invoke(main, ["trace", "--help"]).output


def trace_of(folder: Path, number: str) -> Any:
    with open_store(folder, write=False) as store:
        return trace(store, number, "Næstved")


def loaded_after(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """Those of ``modules`` a fresh interpreter holds after running the command line with
    ``args`` (the test process has imported everything already)."""
    code = (
        "import sys\n"
        "from kommunegraf.graph.cli.main import main\n"
        f"main({args!r}, standalone_mode=False)\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_trace_loads_no_heavy_library(seed_dir: Path, seeds: Store) -> None:
    """What keeps trace fast as a process: it never imports the graph libraries, nor the HTTP
    client of `fetch` (httpx and tenacity were ~150 ms of every command until the fetch
    defaults moved out of the client).  Its speed is measured in bench/query.py, not asserted
    here."""
    assert trace(seeds, "15.00.00-P20-1-18").cases
    heavy = ("networkx", "rdflib", "pyvis", "httpx", "tenacity")
    args = ["--store", str(seed_dir), "trace", "00.22.00-P35-34-17"]
    assert loaded_after(args, heavy) == []


def test_trace_loads_no_minter(seed_dir: Path) -> None:
    """A reader never mints: the store took the IRI minter (and with it the municipality
    table and the date and provision patterns) only for the ownership rule, a string test now
    in graph.rdf.ownership; 26 ms of each `trace` process (bench/query.py)."""
    minting = (
        "kommunegraf.graph.rdf.iris",
        "kommunegraf.extract.municipalities",
        "kommunegraf.extract.text.dates",
        "kommunegraf.extract.text.provisions",
    )
    args = ["--store", str(seed_dir), "trace", "00.22.00-P35-34-17"]
    assert loaded_after(args, minting) == []


def test_a_bundled_query_loads_no_extractor(seed_dir: Path) -> None:
    """`kommunegraf query` checks the derived graph's counts before it answers; that check
    imported the derived graph's computation, and with it the mapping and every extractor's
    patterns (0.43 s of each query process at 10,000 documents).  The query's own answer is
    tested in test_query_answers; here only what the process imported."""
    heavy = ("kommunegraf.extract.entities", "kommunegraf.graph.rdf.mapping", "networkx")
    args = ["--store", str(seed_dir), "query", "absences", "--format", "csv"]
    assert loaded_after(args, heavy) == []


# --- case numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("0.22.00-P35-34-17", "00.22.00-P35-34-17"),
        ("7.8.0 – ø40 – 001 – 17", "07.08.00-Ø40-1-17"),
        ("Sagsnr.: 330-2019-57265", "330-2019-57265"),
        ("J.nr. 24/1234", "24/1234"),
        ("sags id: emn-2025-009242", "EMN-2025-009242"),
        ("27.12.04-P20-3-23", "27.12.04-P20-3-23"),
    ],
)
def test_canonical_key(typed: str, key: str) -> None:
    assert canonical_key(typed) == key
    assert lookup_keys(typed)[0] == key


def test_lookup_keys_keep_the_typed_spelling_second() -> None:
    assert lookup_keys("0.22.00-P35-34-17") == ["00.22.00-P35-34-17", "0.22.00-P35-34-17"]


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [("15.20.00", "15.20.00"), ("15.20", "15.20"), ("0.22", "00.22"), ("15", "15"),
     ("15.20.00-A00", None), ("Bøgeparken", None)],
)  # fmt: skip
def test_kle_prefix(typed: str, prefix: str | None) -> None:
    assert kle_prefix(typed) == prefix


def test_complete_kle_numbers_are_not_prefixes() -> None:
    assert is_complete_kle("15.20.00-A00-2-10") and is_complete_kle("5.4.2-G01-7-20")
    assert not is_complete_kle("15.20.00-A00-2-1") and not is_complete_kle("330-2019-57265")


def test_near_matches_rank_the_closest_first() -> None:
    keys = ["05.04.02-G01-7-20", "05.04.02-G01-7-21", "27.69.48-A00-3-20", "330-2021-1"]
    assert near_matches("05.04.02-G01-7-02", keys)[:2] == ["05.04.02-G01-7-20", "05.04.02-G01-7-21"]
    assert near_matches("helt andet", keys) == []
