"""The documents' facts beside the store (graph.analysis.facts), kept in step with it.

A small SQLite file in the store's folder (``derived-facts.sqlite``, stdlib sqlite3) holds,
for each document, its completion marker (the store's digest of the quads it loaded), its
municipalities and its facts, one compressed row per predicate, so that a computation reads
one predicate of the documents it needs without the rest.  Ingest stages a document's facts
as its worker hands them over, before the store loads it; after the run :meth:`Ledger.sync`
compares the ledger with the store's documents by marker:

- a document whose (graph, marker) has a row: its facts are those of what the store holds;
- a document without one (loaded by something other than ingest, or a ledger deleted or
  spoilt): its facts are read back from the store's graph (``repaired``), and the caller
  recomputes the derived graph whole, since what it was computed over is not known;
- a row the store no longer holds (removed, replaced, moved aside, or staged by a run killed
  before its load): dropped once the derived graph is up to date.

So the facts never disagree with the store: a kill between the store's commit and the
ledger's leaves rows that either match a marker or are dropped.  ``synced`` marks the
documents the derived graph was last computed over; the municipalities of the documents
that entered or left since are the ones whose threads a run recomputes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kommunegraf.graph.analysis import facts as factsmod
from kommunegraf.ontology.terms import KG, ORG, RDF, RDFS

if TYPE_CHECKING:
    from kommunegraf.graph.store.local import Store

LEDGER_FILE = "derived-facts.sqlite"
# Bumped whenever graph.analysis.facts keeps other triples: an older ledger is then rebuilt.
FACTS_VERSION = "3"
REFERENCE = "reference"  # the reference graph's row: its marker is its text's digest

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY, graph TEXT NOT NULL, marker TEXT NOT NULL,
  synced INTEGER NOT NULL DEFAULT 0, UNIQUE (graph, marker));
CREATE TABLE IF NOT EXISTS places (doc INTEGER NOT NULL, municipality TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS places_by_municipality ON places (municipality);
CREATE INDEX IF NOT EXISTS places_by_doc ON places (doc);
CREATE TABLE IF NOT EXISTS facts (
  doc INTEGER NOT NULL, pred TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (pred, doc));
"""


def document_markers(store: Store) -> dict[str, str]:
    """Each document the store holds wholly → its completion marker."""
    documents = store.documents()
    return {graph: marker for graph, marker in store.markers().items() if graph in documents}


def municipalities_of(facts: factsmod.Facts) -> list[str]:
    """The municipalities a document's committees belong to (as the store's
    ``?committee org:subOrganizationOf ?municipality`` within its graph)."""
    return sorted({m for _c, m in facts.get(ORG.subOrganizationOf, [])})


@dataclass
class Sync:
    """The ledger compared with the store after a run."""

    current: set[int]  # the rows of the documents the store holds
    synced: set[int]  # the rows the derived graph was last computed over
    repaired: int = 0  # documents whose facts had to be read back from the store
    touched: set[str] = field(default_factory=set)  # municipalities of changed documents
    unplaced: bool = False  # a changed document names no municipality

    @property
    def changed(self) -> set[int]:
        return self.current ^ self.synced


class Ledger:
    """The facts file of one writable store (see the module docstring)."""

    def __init__(self, path: Path, base: str) -> None:
        self.path = path
        self.base = base
        self.db = sqlite3.connect(path, isolation_level=None)  # transactions by hand
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if meta.get("version") != FACTS_VERSION or meta.get("base") != base:
            self._reset()
        self._staging = False

    @classmethod
    def of(cls, store: Store) -> Ledger:
        """The ledger beside ``store`` (made empty when missing)."""
        return cls(Path(store.path) / LEDGER_FILE, store.base)

    def close(self) -> None:
        if self._staging:
            self.db.execute("COMMIT")
            self._staging = False
        self.db.close()

    def _reset(self) -> None:
        """Empty the ledger (another facts version or base): every document is repaired."""
        with self._transaction():
            for table in ("docs", "places", "facts", "meta"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("version", FACTS_VERSION), ("base", self.base), ("since_links", "0")],
            )

    def _transaction(self) -> _Tx:
        return _Tx(self.db)

    # ----- staging (during an ingest) -----------------------------------------------------

    def stage(self, graph: str, marker: str, parts: dict[str, bytes]) -> None:
        """Keep a document's facts (``parts``: graph.analysis.facts.encode_parts) under its
        marker; committed by :meth:`commit_staged`, before the store loads the document."""
        if not self._staging:
            self.db.execute("BEGIN")
            self._staging = True
        found = self.db.execute(
            "SELECT id FROM docs WHERE graph = ? AND marker = ?", (graph, marker)
        ).fetchone()
        if found:
            return
        places = sorted({m for _c, m in factsmod.decode_pairs(parts.get(ORG.subOrganizationOf))})
        self._insert(graph, marker, places, parts)

    def commit_staged(self) -> None:
        if self._staging:
            self.db.execute("COMMIT")
            self._staging = False

    def _insert(self, graph: str, marker: str, places: list[str], parts: dict[str, bytes]) -> int:
        cursor = self.db.execute("INSERT INTO docs (graph, marker) VALUES (?, ?)", (graph, marker))
        doc = int(cursor.lastrowid or 0)
        self.db.executemany("INSERT INTO places VALUES (?, ?)", [(doc, m) for m in places])
        self.db.executemany(
            "INSERT INTO facts VALUES (?, ?, ?)", [(doc, p, d) for p, d in parts.items()]
        )
        return doc

    # ----- keeping step with the store ----------------------------------------------------

    def sync(self, store: Store) -> Sync:
        """Compare with the store's documents; read back the facts of any document the
        ledger lacks; and refresh the reference data's facts."""
        self.commit_staged()
        markers = document_markers(store)
        rows = self.db.execute("SELECT id, graph, marker, synced FROM docs").fetchall()
        by_key = {(graph, marker): doc for doc, graph, marker, _ in rows}
        synced = {doc for doc, graph, _, flag in rows if flag and graph != REFERENCE}
        current: set[int] = set()
        repaired = 0
        with self._transaction():
            for graph, marker in markers.items():
                doc = by_key.get((graph, marker))
                if doc is None:
                    # its own triples and the shared descriptions it points at, as loaded
                    text = store.document_ntriples(graph).decode("utf-8")
                    found = factsmod.document_facts(text, quads=False)
                    doc = self._insert(
                        graph, marker, municipalities_of(found), factsmod.encode_parts(found)
                    )
                    repaired += 1
                current.add(doc)
            self._refresh_reference(store, by_key)
        sync = Sync(current=current, synced=synced, repaired=repaired)
        changed = sync.changed
        placed: set[int] = set()
        for doc, municipality in self._places(changed):
            sync.touched.add(municipality)
            placed.add(doc)
        sync.unplaced = bool(changed - placed)
        return sync

    def _refresh_reference(self, store: Store, by_key: dict[tuple[str, str], int]) -> None:
        """The reference graph's facts (laws' names and kinds), read when its text changed."""
        import hashlib

        text = store.graph_ntriples(store.reference_graph)
        marker = hashlib.sha256(text).hexdigest()
        if (REFERENCE, marker) in by_key:
            return
        self._drop([doc for (graph, _), doc in by_key.items() if graph == REFERENCE])
        found = factsmod.document_facts(text.decode("utf-8"), quads=False)
        doc = self._insert(REFERENCE, marker, [], factsmod.encode_parts(found))
        self.db.execute("UPDATE docs SET synced = 1 WHERE id = ?", (doc,))

    def _places(self, docs: Iterable[int]) -> Iterator[tuple[int, str]]:
        for chunk in _chunks(sorted(docs)):
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT doc, municipality FROM places WHERE doc IN ({marks})",
                chunk,
            )

    def docs_of(self, municipalities: Iterable[str], among: set[int]) -> set[int]:
        """The documents of ``among`` that name one of ``municipalities``."""
        found: set[int] = set()
        for chunk in _chunks(sorted(set(municipalities))):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT doc FROM places WHERE municipality IN ({marks})",
                chunk,
            )
            found.update(doc for (doc,) in rows if doc in among)
        return found

    def settle(self, sync: Sync, *, links_computed: bool) -> None:
        """After the derived graph was brought up to ``sync.current``: mark those rows as
        what it is computed over and drop every other document's row."""
        with self._transaction():
            self.db.execute("UPDATE docs SET synced = 0 WHERE graph != ?", (REFERENCE,))
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS current_rows (id INTEGER PRIMARY KEY)")
            self.db.execute("DELETE FROM current_rows")
            self.db.executemany(
                "INSERT INTO current_rows VALUES (?)", [(d,) for d in sorted(sync.current)]
            )
            self.db.execute("UPDATE docs SET synced = 1 WHERE id IN (SELECT id FROM current_rows)")
            stale = [
                doc
                for (doc,) in self.db.execute(
                    "SELECT id FROM docs WHERE synced = 0 AND graph != ?", (REFERENCE,)
                )
            ]
            self._drop(stale)
            since = 0 if links_computed else self.since_links() + len(sync.changed)
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'since_links'", (str(since),))

    def since_links(self) -> int:
        """Documents that entered or left since links and centrality were last computed."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'since_links'").fetchone()
        return int(row[0]) if row else 0

    def _drop(self, docs: list[int]) -> None:
        for chunk in _chunks(docs):
            marks = ",".join("?" * len(chunk))
            for table, column in (("facts", "doc"), ("places", "doc"), ("docs", "id")):
                self.db.execute(
                    f"DELETE FROM {table} WHERE {column} IN ({marks})",
                    chunk,
                )

    def reference_rows(self) -> set[int]:
        return {d for (d,) in self.db.execute("SELECT id FROM docs WHERE graph = ?", (REFERENCE,))}

    def pairs(self, key: str, docs: set[int]) -> Iterator[list[str]]:
        """[subject, object] of the part ``key`` (graph.analysis.facts.part_key) of the
        documents ``docs``."""
        for doc, data in self.db.execute("SELECT doc, data FROM facts WHERE pred = ?", (key,)):
            if doc in docs:
                yield from factsmod.decode_pairs(data)


def _chunks(values: list, size: int = 500) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Tx:
    """BEGIN … COMMIT (ROLLBACK on an error) on a connection in autocommit mode."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


class FactSource:
    """The reads of graph.analysis.sources.Source from a ledger's facts of ``docs`` (and the
    reference data's): the store's SPARQL joins, done in Python."""

    def __init__(self, ledger: Ledger, docs: set[int]) -> None:
        self.ledger = ledger
        self.base = ledger.base
        self.docs = set(docs)
        self.rows = self.docs | ledger.reference_rows()
        self._decision_items: dict[str, list[str]] | None = None

    def pairs(self, predicate: str, obj: str | None = None) -> Iterator[tuple[str, str]]:
        if predicate == RDF.type:
            keys = [factsmod.part_key(predicate, obj)] if obj else factsmod.type_keys()
        else:
            keys = [predicate]
        for key in keys:
            for s, o in self.ledger.pairs(key, self.rows):
                if obj is None or o == obj:
                    yield s, o

    def _items_of(self) -> dict[str, list[str]]:
        """Each decision's items (read once: absences, votes and postponements join them)."""
        if self._decision_items is None:
            found: dict[str, list[str]] = defaultdict(list)
            for decision, item in self.pairs(KG.item):
                found[decision].append(item)
            self._decision_items = found
        return self._decision_items

    def postponed(self, outcome: str) -> Iterator[tuple[str, str | None]]:
        decisions = {d for d, _ in self.pairs(KG.outcome, outcome)}
        if not decisions:
            return
        dates: dict[str, list[str]] = defaultdict(list)
        for decision, day in self.pairs(KG.date):
            if decision in decisions:
                dates[decision].append(day)
        items_of = self._items_of()
        for decision in decisions:
            for item in items_of.get(decision, ()):
                for day in dates.get(decision) or [None]:  # type: ignore[list-item]
                    yield item, day

    def absences(self) -> Iterator[tuple[str, str]]:
        items_of = self._items_of()
        for decision, person in self.pairs(KG.absent):
            for item in items_of.get(decision, ()):
                yield item, person

    def voters(self) -> Iterator[tuple[str, str]]:
        items_of = self._items_of()
        decisions_of: dict[str, list[str]] = defaultdict(list)
        for decision, vote in self.pairs(KG.vote):
            decisions_of[vote].append(decision)
        for role in (KG.votedFor, KG.votedAgainst, KG.abstained):
            for vote, person in self.pairs(role):
                for decision in decisions_of.get(vote, ()):
                    for item in items_of.get(decision, ()):
                        yield item, person

    def entity_labels(self) -> Iterator[tuple[str, str]]:
        typed: set[str] = set()
        for kind in (KG.Person, KG.Organization, KG.Project, KG.Law):
            typed.update(s for s, _ in self.pairs(RDF.type, kind))
        for entity, label in self.pairs(RDFS.label):
            if entity in typed:
                yield entity, label

    def document_count(self) -> int:
        return len(self.docs)
