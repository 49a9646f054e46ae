"""The public API (issue 20.1): ``import kommunegraf`` gives extract(), open_store(), ingest()
and trace(), each working on the invented examples, and the import itself loads nothing heavy
(the rooms are imported when a function is first called)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kommunegraf
from kommunegraf.graph.cli.demo import DEMO_CASE, DEMO_JSON_CASE

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_api_names_its_functions_and_the_error_root() -> None:
    assert set(kommunegraf.__all__) == {
        "KommunegrafError",
        "extract",
        "ingest",
        "open_store",
        "trace",
    }
    from kommunegraf.errors import KommunegrafError

    assert kommunegraf.KommunegrafError is KommunegrafError


def test_extract_gives_a_document_record() -> None:
    record = kommunegraf.extract(EXAMPLES / "vejle_sbu_2023-05-03.txt")
    assert record.municipality.name == "Vejle Kommune"
    assert record.meeting.date == "2023-05-03"
    assert any(item.case_number == DEMO_CASE for item in record.items)
    overridden = kommunegraf.extract(EXAMPLES / "vejle_sbu_2023-05-03.txt", municipality="751")
    assert overridden.municipality.name == "Aarhus Kommune"
    with pytest.raises(kommunegraf.KommunegrafError, match=r"mangler\.txt"):
        kommunegraf.extract(EXAMPLES / "mangler.txt")


def test_extract_is_callable_after_the_extract_package_is_imported(tmp_path: Path) -> None:
    """Importing ``kommunegraf.extract.*`` rebinds ``kommunegraf.extract`` to the package
    (Python does that for every submodule); the call must still work, before and after."""
    example = EXAMPLES / "vejle_sbu_2023-05-03.txt"
    code = (
        "import kommunegraf, types\n"
        f"first = kommunegraf.extract({str(example)!r})\n"
        "import kommunegraf.extract.records\n"
        "assert isinstance(kommunegraf.extract, types.ModuleType)\n"
        f"again = kommunegraf.extract({str(example)!r}, municipality='Vejle')\n"
        "print(first.meeting.date, again.municipality.name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2023-05-03", "Vejle", "Kommune"]


def test_ingest_open_store_and_trace_on_the_examples(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with kommunegraf.open_store(folder, write=True) as store:
        summary = kommunegraf.ingest([EXAMPLES], store, jobs=1)
    documents = [p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".json")]
    assert summary.failed == 0 and summary.documents == len(documents), summary.lines()
    with kommunegraf.open_store(folder) as store:  # read-only by default
        result = kommunegraf.trace(store, DEMO_CASE, municipality="Vejle")
        [case] = result.cases
        assert case.case == DEMO_CASE and case.municipality == "Vejle Kommune"
        dates = [t.date for t in case.treatments]
        assert dates[:2] == ["2023-05-03", "2023-08-15"] and dates == sorted(dates)
        # a number typed loosely finds the FirstAgenda example's case through three bodies
        loose = kommunegraf.trace(store, DEMO_JSON_CASE.replace("-", " – ", 1))
        assert len(loose.cases[0].treatments) >= 3
        with pytest.raises(kommunegraf.KommunegrafError, match="no case"):
            kommunegraf.trace(store, "99.99.99-Z99-9-99")
    with (
        pytest.raises(kommunegraf.KommunegrafError, match="no store"),
        kommunegraf.open_store(tmp_path / "ingen"),
    ):
        pass


# Modules `import kommunegraf` must not load: the stores' and the graph libraries, the
# extractors' regex engine, and any room of the package beyond the error root.
HEAVY = ("pyoxigraph", "rdflib", "networkx", "igraph", "pyvis", "regex", "click", "httpx")


def test_importing_kommunegraf_loads_nothing_heavy() -> None:
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import kommunegraf\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "kommunegraf" in loaded  # the probe sees the import it measures
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY]
    rooms = [m for m in loaded if m.startswith("kommunegraf.")]
    assert not heavy and not rooms, (heavy, rooms)
