"""The notebooks: kept clean in the repository, and run from a clean kernel with nbmake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import regex

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# An absolute path written into a notebook: "/home/…", "/work/…", "C:\…", "~/…".
ABSOLUTE_PATH = regex.compile(r"""["'](?:/(?:home|work|tmp|Users|mnt|srv)/|[A-Za-z]:\\|~/)""")
# A private name imported or used from the project: "from kommunegraf.graph.store.local import
# _term", "x._store".
PRIVATE_USE = regex.compile(r"\bimport\b[^\n#]*\b_(?!_)\w+|\._(?!_)\w+")
# The plumbing under the public API, which a notebook should not need: binding parameters by
# hand ("queries.bind(…)"), resolving a municipality ("resolve_municipality"), rendering rows.
INTERNAL_USE = regex.compile(r"\bqueries\.(?:bind|render_table)\b|\bresolve_municipality\b")


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def code(path: Path) -> str:
    book = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in book.cells if c.cell_type == "code")


def test_there_are_notebooks_to_start_from() -> None:
    names = [p.name for p in notebooks()]
    assert len(names) >= 2, names


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_is_clean_valid_and_portable(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    assert book.metadata["kernelspec"]["name"] == "python3"
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs not cleared"
    source = code(path)
    assert not ABSOLUTE_PATH.search(source), ABSOLUTE_PATH.search(source)
    assert not PRIVATE_USE.search(source), PRIVATE_USE.search(source)
    assert (
        "kommunegraf.graph.cli.demo import" in source and "EXAMPLES" in source
    )  # examples found by the API
    assert not INTERNAL_USE.search(source), INTERNAL_USE.search(source)


def test_query_results_are_dataframes() -> None:
    """The first notebook gives query answers as pandas DataFrames (issue 18.9)."""
    source = code(NOTEBOOKS / "01-start-here.ipynb")
    assert "queries.query_frame(" in source


@pytest.mark.parametrize(
    ("line", "internal"),
    [
        ("bindings = queries.bind(query, given)", True),
        ("from kommunegraf.graph.answers.trace import resolve_municipality", True),
        ("queries.render_table(variables, rows, base=store.base)", True),
        ('queries.query_frame(store, "absences", municipality="Vejle")', False),
        ("from kommunegraf.graph.answers.trace import render_markdown, trace", False),
    ],
)
def test_internal_use_pattern(line: str, internal: bool) -> None:
    assert bool(INTERNAL_USE.search(line)) is internal


@pytest.mark.parametrize(
    ("line", "private"),
    [
        ("from kommunegraf.graph.store.local import _term", True),
        ("from kommunegraf.graph.store.local import IRI, _value", True),
        ("rows = store._store.query(q)", True),
        ("from kommunegraf.graph.store.local import open_store", False),
        ("from __future__ import annotations", False),
        ("result = store.select(query.text, bindings)", False),
    ],
)
def test_private_use_pattern(line: str, private: bool) -> None:
    assert bool(PRIVATE_USE.search(line)) is private


@pytest.mark.parametrize(
    ("text", "absolute"),
    [
        ('Path("/home/anna/minutes")', True),
        ("open('/work/main/examples/a.txt')", True),
        ('Path("C:\\\\Users\\\\anna")', True),
        ('Path("~/referater")', True),
        ('Path(workdir.name) / "store"', False),
    ],
)
def test_absolute_path_pattern(text: str, absolute: bool) -> None:
    assert bool(ABSOLUTE_PATH.search(text)) is absolute


@pytest.mark.slow
def test_notebooks_run_with_nbmake(tmp_path: Path) -> None:
    """Every notebook runs top to bottom in a fresh python3 kernel (this .venv's ipykernel)."""
    before = sorted(p.name for p in NOTEBOOKS.iterdir())
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("KOMMUNEGRAF_ENDPOINT", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbmake",
            "--nbmake-kernel=python3",
            "--nbmake-timeout=600",
            "-p",
            "no:cacheprovider",
            "-q",
            str(NOTEBOOKS),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(notebooks())} passed" in done.stdout
    assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before  # nothing left behind
    for path in notebooks():  # and the notebooks were not rewritten with outputs
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")


def test_a_researcher_can_open_the_notebooks() -> None:
    """`make notebooks` brings JupyterLab (the notebooks extra) and opens notebooks/; the
    README says so (issue 18.9)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = " ".join(project["optional-dependencies"]["notebooks"])
    assert "jupyterlab" in extra and "pandas" in extra and "ipykernel" in extra
    assert "pandas" in " ".join(project["optional-dependencies"]["dev"])  # CI runs them
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nnotebooks:", 1)[1].split("\n\n", 1)[0]
    assert "jupyter lab notebooks/" in target
    assert "'.[notebooks]'" in makefile
    assert "make notebooks" in (ROOT / "README.md").read_text(encoding="utf-8")
