"""`validate` on a large store: each violation once, however many documents state its node,
and progress on stderr (issue 18.4).  The documents are invented, stated by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kommunegraf.graph.answers.validate import Progress, report_lines, validate_store
from kommunegraf.graph.store.local import DEFAULT_BASE, KG, DocumentLoad, open_store

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SHARED_NODE = f"{DEFAULT_BASE}id/hedeby/udvalg/teknik/moede/2021-03-01/punkt/1/beslutning/x"


def document(n: int) -> DocumentLoad:
    """A document stating its own file name and one decision node it shares with every other
    document: a decision with no item, body or outcome (three violations of its shape)."""
    sha = hashlib.sha256(f"OPDIGTET {n}".encode()).hexdigest()
    graph = f"{DEFAULT_BASE}id/kilde/{sha[:16]}"
    lines = [
        f'<{graph}> <{KG}path> "hedeby_{n:03}.txt" <{graph}> .',
        f"<{SHARED_NODE}> {RDF_TYPE} <{KG}Decision> <{graph}> .",
    ]
    return DocumentLoad(graph, "\n".join(lines) + "\n", sha, (f"/x/hedeby_{n:03}.txt",))


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with open_store(path, write=True) as store:
        store.replace_documents([document(n) for n in range(12)], run="r")
    return path


def test_a_violation_on_a_node_many_documents_state_is_reported_once(store_dir: Path) -> None:
    with open_store(store_dir, write=False) as store:
        one_batch = validate_store(store)
        many_batches = validate_store(store, batch_quads=2)  # a batch per document
        lines = report_lines(many_batches, store)
    assert many_batches.violations == one_batch.violations > 0
    assert len(many_batches.findings) == len(one_batch.findings) == many_batches.violations
    assert all(len(f.graphs) == 12 for f in many_batches.findings)
    where = [line for line in lines if line.startswith("in ")]
    assert where == [where[0]] and where[0].startswith("in 12 documents: ")
    assert where[0].count("hedeby_") == 3 and where[0].endswith(" and 9 more")
    assert sum(1 for line in lines if "Violation" in line) == many_batches.violations


def test_progress_is_plain_lines_off_a_terminal(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    progress = Progress(terminal=False)
    with open_store(store_dir, write=False) as store:
        validate_store(store, batch_quads=8, progress=progress)
    progress.stop()
    err = capsys.readouterr().err.splitlines()
    assert len(err) >= 2 and err[-1] == "validate: 12/12 documents checked"
    assert all(
        line.startswith("validate: ") and line.endswith("/12 documents checked") for line in err
    )


def test_progress_is_a_bar_on_a_terminal(store_dir: Path) -> None:
    progress = Progress(terminal=True)
    with open_store(store_dir, write=False) as store:
        validate_store(store, batch_quads=8, progress=progress)
    assert progress._bar is not None
    assert progress._bar.tasks[0].completed == progress._bar.tasks[0].total == 12
    progress.stop()
