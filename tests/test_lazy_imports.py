"""The light modules stay light: importing them does not import the extractors.

``kommunegraf trace`` and the IRI minter need the text core and the municipality table, not
the decision parser, the entity finders or the layouts (most of a second to import).  Each
check runs in a fresh interpreter (the test process has imported everything already), which
inherits the tree on ``PYTHONPATH`` from conftest.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "kommunegraf.extract.pipeline",
    "kommunegraf.extract.decisions",
    "kommunegraf.extract.entities",
    "kommunegraf.extract.layouts",
)


def imported_after(statement: str) -> set[str]:
    """The kommunegraf modules a fresh interpreter holds after running ``statement``."""
    script = (
        f"import json, sys\n{statement}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('kommunegraf'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "statement",
    [
        "import kommunegraf.graph.answers.trace",
        "import kommunegraf.graph.rdf.iris",
        "import kommunegraf.graph.rdf.casenumbers",
        "import kommunegraf.extract.text.slugs, kommunegraf.extract.text.dates",
        "import kommunegraf.extract.municipalities",
    ],
)
def test_no_extractor_is_imported(statement: str) -> None:
    modules = imported_after(statement)
    heavy = sorted(m for m in modules if m.startswith(HEAVY))
    assert heavy == [], f"{statement!r} imported {heavy}"


def test_the_text_core_imports_nothing_of_the_project_but_itself() -> None:
    modules = imported_after(
        "import kommunegraf.extract.text.slugs, kommunegraf.extract.text.dates, "
        "kommunegraf.extract.text.casenumbers, kommunegraf.extract.text.bodies, "
        "kommunegraf.extract.text.provisions, kommunegraf.extract.text.fold"
    )
    assert modules <= {"kommunegraf", "kommunegraf.extract"} | {
        m for m in modules if m.startswith("kommunegraf.extract.text")
    }


def test_the_entry_points_still_come_from_the_package() -> None:
    modules = imported_after(
        "from kommunegraf.extract import extract_text\n"
        "assert extract_text.__module__ == 'kommunegraf.extract.pipeline'"
    )
    assert "kommunegraf.extract.decisions" in modules


def test_an_unknown_name_is_an_attribute_error() -> None:
    import kommunegraf.extract

    with pytest.raises(AttributeError, match="no_such_name"):
        kommunegraf.extract.no_such_name  # noqa: B018
