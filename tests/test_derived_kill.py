"""A writer killed while it writes the derived graph: readers see the old derived graph or
the new one, never none; a derived graph left missing is announced by `threads`, `stats` and
`query`, and the next ingest rebuilds it.

Before, the derived graph was unmarked while it changed, so a kill then left it unmarked and
the next open retracted it whole: `threads` said "no threads spanning 2 or more meetings",
`central-actors` returned no row, and nothing said why.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kg_cli import kg

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Opens the store as a writer, computes the derived graph again with a few lines left out
# (so that there is something to change), and SIGKILLs itself at its second write to either
# of the store's two stores while replacing the derived graph (or after the replacement).
# With "first", the stored derived graph is removed beforehand: the kill then lands in a
# first computation.
DRIVER = r"""
import os, signal, sys
from kommunegraf.graph.analysis import threads
from kommunegraf.graph.store.local import open_store

store_dir, mode = sys.argv[1], sys.argv[2]

writes = [0]  # to either store: the data, or the bookkeeping (the markers)

class KillAtWrite:
    def __init__(self, inner):
        self._inner = inner
    def __getattr__(self, name):
        attr = getattr(self._inner, name)
        if name in ("update", "bulk_load"):
            def counted(*args, **kwargs):
                writes[0] += 1
                if writes[0] == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                return attr(*args, **kwargs)
            return counted
        return attr

with open_store(store_dir, write=True) as store:
    lines = list(threads.derived_lines(threads.compute(store)))
    node = store._log.__class__(store.derived_graph)
    if mode == "first":
        store._books.update(" ;\n".join(store._forget_ops({node})))
        store._store.update(" ;\n".join(store._retract_ops([node])))
    store._store = KillAtWrite(store._store)
    store._books = KillAtWrite(store._books)
    store.replace_graph(store.derived_graph, lines[: len(lines) - 3])
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store of the invented examples, and its threads as `threads --format json` gives."""
    store = tmp_path_factory.mktemp("derived-kill") / "store"
    done = kg(store, "ingest", str(EXAMPLES))
    assert done.returncode == 0, done.stderr
    threads = kg(store, "threads", "--format", "json")
    assert json.loads(threads.stdout), "the examples should make at least one thread"
    return store, threads.stdout


def _copy(store: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(store, to, ignore=shutil.ignore_patterns("*.lock"))
    return to


def _kill_while_writing_derived(store: Path, mode: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(store), mode], cwd=ROOT, capture_output=True
    )
    assert done.returncode == -9, done.stderr.decode()


def test_a_kill_while_the_derived_graph_changes_leaves_the_old_one(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    store = _copy(ingested[0], tmp_path / "store")
    _kill_while_writing_derived(store, "update")
    after = kg(store, "threads", "--format", "json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout), "the threads are gone"  # the old ones, or the new ones
    assert "missing" not in after.stderr, after.stderr
    central = kg(store, "query", "central-actors", "--format", "json")
    assert json.loads(central.stdout)["results"]["bindings"], central.stderr


def test_a_missing_derived_graph_is_announced_and_rebuilt(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    store = _copy(ingested[0], tmp_path / "store")
    _kill_while_writing_derived(store, "first")
    for command in (["threads"], ["stats"], ["query", "threads"]):
        said = kg(store, *command)
        assert said.returncode == 0, said.stderr
        assert "derived graph" in said.stderr and "missing" in said.stderr, (command, said)
        assert "kommunegraf ingest" in said.stderr
    again = kg(store, "ingest", str(EXAMPLES))
    assert again.returncode == 0, again.stderr
    rebuilt = kg(store, "threads", "--format", "json")
    assert rebuilt.stdout == ingested[1]
    assert "warning" not in rebuilt.stderr


def test_a_derived_graph_from_before_the_tallies_is_announced_and_rebuilt(
    ingested: tuple[Path, str], tmp_path: Path
) -> None:
    """A store whose derived graph an earlier kommunegraf wrote has threads but none of the
    counts the aggregate queries sum: they would answer nothing without a word.  The reader
    is told, and the next ingest (even of nothing new) recomputes the derived graph whole."""
    from kommunegraf.graph.store.local import IRI, open_store
    from kommunegraf.ontology.terms import KG

    store = _copy(ingested[0], tmp_path / "store")
    with open_store(store, write=True) as writable:
        stale = {
            line
            for line in writable.construct_lines(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                {"g": IRI(writable.derived_graph)},
            )
            if f"<{KG.Tally}>" in line or "/optaelling/" in line or "talliesOver" in line
        }
        assert any("talliesOver" in line for line in stale)
        writable.patch_derived(sorted(stale), [])
    said = kg(store, "query", "decisions-by-outcome", "--format", "json")
    assert said.returncode == 0, said.stderr
    assert not json.loads(said.stdout)["results"]["bindings"]
    assert "earlier kommunegraf" in said.stderr and "kommunegraf ingest" in said.stderr
    again = kg(store, "ingest", str(EXAMPLES))
    assert again.returncode == 0, again.stderr
    rebuilt = kg(store, "query", "decisions-by-outcome", "--format", "json")
    assert json.loads(rebuilt.stdout)["results"]["bindings"], rebuilt.stderr
    assert "warning" not in rebuilt.stderr
