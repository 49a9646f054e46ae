"""No query can read a local path, or a hash of one that could be reversed by guessing.

The ingest log keeps, per document, a key of the file's absolute path (to replace the graph
of an edited file).  It used to be the plain sha256 of the path, which `query -e` and `serve`
could read and a dictionary of likely paths could reverse.  Now it is an HMAC under a secret
kept in the store folder, outside every graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pyoxigraph as ox
from kg_cli import kg

from kommunegraf.graph.store import pathkeys
from kommunegraf.graph.store.local import SOURCE_PATH, forget_unkeyed_paths, open_store
from kommunegraf.graph.store.model import BOOKS_DIR

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "horsens_kmu_2023-09-11.txt"
EVERY_VALUE = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def test_query_cannot_read_a_path_or_its_plain_hash(tmp_path: Path) -> None:
    folder = tmp_path / "hemmelig-mappe-hos-journalisten"
    folder.mkdir()
    doc = folder / "referat.txt"
    doc.write_bytes(EXAMPLE.read_bytes())
    store = tmp_path / "store"
    assert kg(store, "ingest", str(doc)).returncode == 0
    done = kg(store, "query", "-e", EVERY_VALUE, "--format", "json")
    assert done.returncode == 0, done.stderr
    seen = json.dumps(json.loads(done.stdout), ensure_ascii=False)
    absolute = os.path.abspath(doc)
    assert "hemmelig-mappe" not in seen
    for guess in (absolute, str(doc), os.path.realpath(doc)):
        assert hashlib.sha256(guess.encode()).hexdigest() not in seen, guess
    secret_file = store / pathkeys.PATH_KEY_FILE
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.read_text().strip() not in seen
    # the keyed entry is still how an edited file finds its old graph
    with open_store(store, write=False) as reader:
        assert reader.graph_of_path(doc) is not None
        assert reader.graph_of_path(folder / "andet.txt") is None


def test_a_writer_drops_the_plain_hashes_an_earlier_version_wrote(tmp_path: Path) -> None:
    store = tmp_path / "store"
    doc = tmp_path / "referat.txt"
    doc.write_bytes(EXAMPLE.read_bytes())
    assert kg(store, "ingest", str(doc)).returncode == 0
    (store / pathkeys.PATH_KEY_FILE).unlink()  # as a store of the earlier version had none
    plain = hashlib.sha256(os.path.abspath(doc).encode()).hexdigest()
    inner = ox.Store(str(store / BOOKS_DIR))  # the ingest log is in the bookkeeping store
    log = ox.NamedNode("https://w3id.org/kommunegraf/graph/ingest-log")
    graph = next(iter(inner.quads_for_pattern(None, SOURCE_PATH, None, log))).subject
    inner.update(forget_unkeyed_paths(log))
    inner.add(ox.Quad(graph, SOURCE_PATH, ox.Literal(plain), log))
    inner.flush()
    del inner
    other = tmp_path / "andet.txt"
    other.write_bytes(EXAMPLE.read_bytes().replace(b"Horsens", b"Horsens ", 1))
    assert kg(store, "ingest", str(other)).returncode == 0
    done = kg(store, "query", "-e", EVERY_VALUE, "--format", "json")
    assert plain not in done.stdout
