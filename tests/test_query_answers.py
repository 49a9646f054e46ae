"""The bundled queries and trace give the same answers as before (issues 20 and 21).

The saved answers in tests/data/query-answers/ were computed with the code before the
namespace move and the store redesign (tests/query_answers.py says how, and when regenerating
them is allowed).  Each test rebuilds the store, answers every bundled query and ten traces,
and lists the first differences: a refactoring that changes an answer fails here.  The Greve
store's comparisons are in tests/test_greve.py, beside the other users of that store, so that
`pytest -n 2 --dist loadfile` (make test) ingests the 198 meetings once.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import query_answers as qa

from kommunegraf import queries
from kommunegraf.graph.store.local import IRI, BNode


@pytest.fixture(scope="module")
def seeds_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four seeds and examples/ ingested as `kommunegraf ingest` does (a few seconds)."""
    folder = tmp_path_factory.mktemp("answers-seeds") / "store"
    return qa.build_store(qa.seeds_inputs(shared_dir), folder)


@pytest.fixture(scope="module")
def seeds_answers(seeds_store: Path) -> dict[str, Any]:
    return qa.store_query_answers(seeds_store)


@pytest.fixture(scope="module")
def seeds_traces(seeds_store: Path) -> dict[str, Any]:
    return qa.store_trace_answers(seeds_store)


# --- the answers, before and after ----------------------------------------------------------


def test_every_bundled_query_is_saved_for_both_stores() -> None:
    for which in ("seeds", "greve"):
        saved = {name.split(" ")[0] for name in qa.load_saved(which)}
        assert saved == set(queries.names()), which


def test_the_seeds_answers_are_unchanged(seeds_answers: dict[str, Any]) -> None:
    qa.assert_same("seeds", seeds_answers)


def test_the_seeds_traces_are_unchanged(seeds_traces: dict[str, Any]) -> None:
    assert len(seeds_traces) == qa.TRACE_CASES
    qa.assert_same("seeds-trace", seeds_traces)


# --- the comparison fails when an answer changes ------------------------------------------


def test_a_changed_answer_is_reported(seeds_answers: dict[str, Any]) -> None:
    """Saved answers perturbed in memory: each change is named with its query and row."""
    assert qa.compare(qa.load_saved("seeds"), seeds_answers) == []
    saved = copy.deepcopy(qa.load_saved("seeds"))
    row = saved["postponed-cases"]["rows"][0]
    row["date"] = "1999-01-01"  # one value changed
    dropped = saved["absences"]["rows"].pop()  # one row fewer saved: one more now
    saved["threads"]["variables"].append("colour")  # a column more
    del saved["projects"]  # a query not saved
    lines = qa.compare(saved, seeds_answers)
    text = "\n".join(lines)
    assert any(line.startswith("postponed-cases: ") and "1 only saved" in line for line in lines)
    assert '"date": "1999-01-01"' in text and "  - " in text and "  + " in text
    assert any(
        line.startswith("absences: ") and "0 only saved, 1 only now" in line for line in lines
    )
    assert f"  + {qa.row_key(dropped)}" in lines
    assert any(line.startswith("threads: variables was") for line in lines)
    assert "projects: answered now, but not saved" in lines
    assert len([line for line in lines if not line.startswith("  ")]) == 4


def test_a_changed_trace_is_reported(seeds_traces: dict[str, Any]) -> None:
    saved = copy.deepcopy(qa.load_saved("seeds-trace"))
    case = next(c for c in saved.values() if c.get("cases"))
    case["cases"][0]["status"] = "approved on 1999-01-01"
    case["cases"][0]["timeline_dates"].reverse()
    case["cases"][0]["timeline_dates"].append("2000-01-01")
    lines = qa.compare(saved, seeds_traces)
    assert any('/cases/0/status: was "approved on 1999-01-01"' in line for line in lines)
    assert any("/cases/0/timeline_dates" in line for line in lines)


def test_a_key_trace_gains_does_not_count_but_one_it_loses_does(
    seeds_traces: dict[str, Any],
) -> None:
    """A new field beside the same answer (trace may say more) is no change; a lost one is."""
    saved = qa.load_saved("seeds-trace")
    grown = copy.deepcopy(seeds_traces)
    for doc in grown.values():
        for case in doc.get("cases", []):
            case["status_kind"] = "approved"
            for treatment in case["treatments"]:
                treatment["next_step"] = {"kind": "returns", "bodies": [], "date": None}
    assert qa.compare(saved, grown) == []
    shrunk = copy.deepcopy(seeds_traces)
    name, doc = next((n, d) for n, d in shrunk.items() if d.get("cases"))
    del doc["cases"][0]["thread"]
    assert qa.compare(saved, shrunk) == [f"{name}: /cases/0/thread: absent now"]


def test_a_row_order_does_not_count() -> None:
    saved = qa.load_saved("seeds")
    shuffled = copy.deepcopy(saved)
    for entry in shuffled.values():
        entry["rows"].reverse()
    assert qa.compare(saved, shuffled) == []


# --- what may differ between equal stores -------------------------------------------------


def test_values_are_compared_as_text_equal_stores_agree_on() -> None:
    assert qa.text_of(BNode("b0")) == qa.text_of(BNode("x9f")) == "_:"
    assert qa.text_of(1) == qa.text_of(1.0) == qa.text_of(Decimal("1.00")) == "1"
    assert qa.text_of(0.25) == qa.text_of(Decimal("0.250")) == "0.25"
    assert qa.text_of(IRI("https://w3id.org/kommunegraf/id/greve")) == (
        "<https://w3id.org/kommunegraf/id/greve>"
    )
    assert qa.text_of("https://w3id.org/kommunegraf/id/greve") == (
        "https://w3id.org/kommunegraf/id/greve"
    )  # a literal is not an IRI


def test_group_concat_values_are_compared_in_any_order() -> None:
    # GROUP_CONCAT_RE's example, and the three bundled queries that join values
    text = '(GROUP_CONCAT(DISTINCT ?munName; SEPARATOR="; ") AS ?municipalities)'
    assert qa.group_concat_separators(text) == {"municipalities": "; "}
    lowercase = "(group_concat(str(?x) ; separator = ', ') as $xs)"
    assert qa.group_concat_separators(lowercase) == {"xs": ", "}
    assert qa.group_concat_separators("SELECT (COUNT(?x) AS ?n) WHERE {}") == {}
    joined = {
        name: qa.group_concat_separators(queries.load(name).text)
        for name in ("cross-municipality-links", "projects", "threads")
    }
    assert joined == {
        "cross-municipality-links": {"municipalities": "; "},
        "projects": {"organisations": "; "},
        "threads": {"cases": "; "},
    }
    one = qa.normalise_row({"municipalities": "Vejle; Greve", "n": 2}, {"municipalities": "; "})
    other = qa.normalise_row({"municipalities": "Greve; Vejle", "n": 2}, {"municipalities": "; "})
    assert one == other == {"municipalities": "Greve; Vejle", "n": "2"}


def test_betweenness_is_rounded_when_exact_and_left_out_when_estimated() -> None:
    row = {"name": "KL", "betweenness": 0.2271684, "municipality": None}
    assert qa.normalise_row(row, {}, 4) == {"name": "KL", "betweenness": "0.2272"}
    assert qa.normalise_row(row, {}, "left out") == {"name": "KL"}
    assert qa.normalise_row(row, {}) == {"name": "KL", "betweenness": "0.2271684"}
    saved = qa.load_saved("seeds")["central-actors"]
    assert saved["betweenness"] == "exact: 4 digits"  # the seeds' graph is small
    assert all("betweenness" in r for r in saved["rows"])
    greve = qa.load_saved("greve")["central-actors"]
    assert greve["betweenness"] == "estimated: left out"  # Greve's is sampled
    assert not any("betweenness" in r for r in greve["rows"])


def test_a_trace_is_compared_without_the_order_of_ties() -> None:
    doc = {
        "query": "1",
        "matched": "exact",
        "cases": [
            {
                "treatments": [
                    {"date": "2022-01-01", "committee": "B", "absent": ["Y", "X"]},
                    {"date": "2022-01-01", "committee": "A", "absent": []},
                    {"date": "2023-01-01", "committee": "C", "absent": []},
                ]
            }
        ],
    }
    swapped = copy.deepcopy(doc)
    treatments = swapped["cases"][0]["treatments"]
    treatments[0], treatments[1] = treatments[1], treatments[0]
    treatments[1]["absent"].reverse()
    assert qa.normalise_trace(doc) == qa.normalise_trace(swapped)
    assert qa.normalise_trace(doc)["cases"][0]["timeline_dates"] == [
        "2022-01-01",
        "2022-01-01",
        "2023-01-01",
    ]
    newest_first = copy.deepcopy(doc)
    newest_first["cases"][0]["treatments"].reverse()
    assert qa.normalise_trace(doc) != qa.normalise_trace(newest_first)


def test_the_saved_files_are_written_as_dump_writes_them() -> None:
    """Each file as --write leaves it (one row a line), so a diff of a change is readable."""
    for which, path in qa.FILES.items():
        text = path.read_text(encoding="utf-8")
        assert qa.dump(json.loads(text)) == text, which
