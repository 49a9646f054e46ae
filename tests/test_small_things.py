"""Small things a user trips on (issue 18.8), each as the user meets it on the command line.

The store is the bundled invented examples (examples/, OPDIGTET: Vejle, Esbjerg, Horsens).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kommunegraf.graph.analysis.standing import (
    STANDING_TITLE_RE,
    is_standing_title,
    recurs_at_nearly_every_meeting,
)
from kommunegraf.graph.analysis.threads import list_threads
from kommunegraf.graph.cli.demo import EXAMPLES
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest.run import PlainReporter, ingest
from kommunegraf.graph.store.local import Store, open_store
from kommunegraf.ontology.terms import PREFIXES


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-things") / "store"
    with open_store(folder, write=True) as store:
        ingest([EXAMPLES], store, jobs=1, reporter=PlainReporter(lambda _line: None))
    return folder


@pytest.fixture(scope="module")
def store(store_dir: Path) -> Iterator[Store]:
    with open_store(store_dir, write=False) as opened:
        yield opened


def cli(store_dir: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--store", str(store_dir), *args])


def one_line_error(result: Any) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_export_into_a_missing_folder_writes_the_file(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "dir" / "x.trig"
    done = cli(store_dir, "export", "--format", "trig", "--out", str(out))
    assert done.exit_code == 0, done.output
    assert out.stat().st_size > 0
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    line = one_line_error(cli(store_dir, "export", "--out", str(blocked / "x.nq")))
    assert "cannot write" in line


def test_turtle_export_declares_every_project_prefix(store_dir: Path) -> None:
    done = cli(store_dir, "export", "--format", "ttl")
    assert done.exit_code == 0
    declared = {line.split()[1].rstrip(":") for line in done.output.splitlines()
                if line.startswith("@prefix")}  # fmt: skip
    assert set(PREFIXES) <= declared


def test_a_parameter_of_the_wrong_kind_is_one_line(store_dir: Path) -> None:
    line = one_line_error(cli(store_dir, "query", "decisions-by-outcome", "-p", "year=abc"))
    assert "year" in line and "whole number" in line
    assert "invalid literal" not in line and "base 10" not in line
    date = one_line_error(cli(store_dir, "query", "-e", "SELECT ?d WHERE { }", "-p", "d=<x y>"))
    assert "iri" in date


def test_an_unknown_municipality_gets_near_names_and_those_with_documents(
    store_dir: Path,
) -> None:
    line = one_line_error(cli(store_dir, "trace", "15.20.00-A00-2-23", "-m", "Vejel"))
    assert "did you mean Vejle Kommune" in line
    assert "Documents from: Esbjerg Kommune, Horsens Kommune, Vejle Kommune." in line
    assert "Næstved" not in line  # in the reference data, but no documents: not listed
    far = one_line_error(cli(store_dir, "query", "absences", "-p", "municipality=Qwerty"))
    assert "did you mean" not in far and "Documents from:" in far


def test_the_ingest_summary_names_skipped_files_and_counts_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "vejle_sbu_2023-05-03.txt", folder)
    (folder / "noter.docx").write_bytes(b"PK\x03\x04")
    lines: list[str] = []
    with open_store(tmp_path / "store", write=True) as store:
        summary = ingest([folder], store, jobs=1, reporter=PlainReporter(lines.append))
        summary_lines = summary.lines()
        lines_missing: list[str] = []
        missing = ingest([tmp_path / "gone.txt"], store, jobs=1,
                         reporter=PlainReporter(lines_missing.append))  # fmt: skip
    skipped = next(line for line in summary_lines if line.startswith("skipped"))
    assert "noter.docx" in skipped
    assert any("1 document loaded" in line for line in lines), lines
    assert not any("1 documents" in line for line in lines + summary_lines)
    assert missing.errors == 1
    assert not any("0 documents loaded" in line for line in lines_missing), lines_missing
    quads = next(line for line in summary_lines if line.startswith("quads"))
    assert "reference data" in quads


@pytest.mark.parametrize(
    "title",
    ["Godkendelse af dagsorden", "Godkendelse af dagsordenen (B)", "Meddelelser",
     "Meddelelser fra formanden, medlemmer m.fl.", "Underskriftsark", "Eventuelt",
     "Gensidig orientering", "Orientering fra direktøren", "Punkter til kommende møder",
     "Siden sidst", "Godkendelse af referat", "Meddelelser og orientering (O)"],
)  # fmt: skip
def test_procedural_titles_are_standing(title: str) -> None:
    assert is_standing_title(title) and STANDING_TITLE_RE.match(title)


@pytest.mark.parametrize(
    "title",
    ["Orientering om klagesagsstatistik - 1. kvartal 2023", "Godkendelse af budget 2024",
     "Meddelelse om tilsynsbesøg på Solbakken", "Eventuelt salg af Skolevej 4",
     "Dagsorden for borgermødet i Hvidbjerg", "Orientering om underskriftsindsamling"],
)  # fmt: skip
def test_matters_are_not_standing(title: str) -> None:
    assert not is_standing_title(title)


def test_a_case_on_nearly_every_agenda_is_standing() -> None:
    assert recurs_at_nearly_every_meeting(11, 12)
    assert not recurs_at_nearly_every_meeting(6, 12)  # half the meetings: a matter
    assert not recurs_at_nearly_every_meeting(3, 3)  # too few meetings to tell


def test_threads_leave_standing_cases_out_unless_asked(store: Store, store_dir: Path) -> None:
    default = list_threads(store, min_meetings=2)
    every = list_threads(store, min_meetings=2, standing=True)
    assert {r.label for r in every if r.standing} >= {"Godkendelse af dagsorden"}
    assert [r for r in every if not r.standing] == default and default
    shown = cli(store_dir, "threads")
    assert "Godkendelse af dagsorden" not in shown.output
    asked = cli(store_dir, "threads", "--standing")
    assert "Godkendelse af dagsorden  (standing case)" in asked.output


def test_demo_out_has_help() -> None:
    done = CliRunner().invoke(main, ["demo", "--help"])
    assert done.exit_code == 0
    options = done.output.split("Options:", 1)[1]
    after = options.split("--out", 1)[1].split("\n  -", 1)[0]
    assert "graph" in after and "HTML" in after


def test_stats_say_what_the_store_holds_beside_the_documents(store_dir: Path) -> None:
    done = cli(store_dir, "stats")
    assert done.exit_code == 0, done.output
    assert "reference data" in done.output.splitlines()[1]
    committees = next(line for line in done.output.splitlines() if line.startswith("kg:Committee"))
    total, met = committees.split()[1], committees.split("(")[1].split()[0]
    assert int(met) == 5 < int(total)  # five committees met; the rest are only named
