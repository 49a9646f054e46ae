"""Shared fixtures: where ../shared/ is, and the seeds and gold records in it.

The seeds and gold files are data for tests only; they are read from ../shared/ at run time
and never copied into the project.  On a user's fresh clone ../shared/ is absent and those
tests skip with a reason; under CI (CI=true) its absence is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tree import use_this_tree

ROOT = Path(__file__).resolve().parent.parent


TREE_PATH = use_this_tree(ROOT)  # before anything imports kommunegraf
SHARED = Path(os.environ.get("KOMMUNEGRAF_SHARED", ROOT.parent / "shared"))


def _require_shared() -> Path:
    if (SHARED / "seeds").is_dir() and (SHARED / "gold").is_dir():
        return SHARED
    reason = f"../shared/ (seeds and gold) not found at {SHARED}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run with shared/ beside the clone", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def seed_paths(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def gold_records(shared_dir: Path) -> dict[str, dict]:
    """Gold records keyed by the seed's file stem."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((shared_dir / "gold").glob("*.json"))
    }


class _WriteSpy:
    """Wraps a writable Store's pyoxigraph handle and records the text of every SPARQL update
    and bulk load (name, text), then lets the call through."""

    def __init__(self, inner: object, written: list[tuple[str, str]]) -> None:
        self._inner = inner
        self._written = written

    def __getattr__(self, name: str) -> object:
        attr = getattr(self._inner, name)
        if name not in ("update", "bulk_load"):
            return attr

        def call(*args: object, **kwargs: object) -> object:
            text = args[0] if args else kwargs.get("input", b"")
            shown = text.decode() if isinstance(text, bytes) else str(text)
            self._written.append((name, shown))
            return attr(*args, **kwargs)

        return call


@pytest.fixture
def spy_writes():  # type: ignore[no-untyped-def]
    """``spy_writes(store)`` → the list the store's updates and bulk loads are recorded in."""

    def spy(store: object) -> list[tuple[str, str]]:
        written: list[tuple[str, str]] = []
        store._store = _WriteSpy(store._store, written)  # type: ignore[attr-defined]
        return written

    return spy


@pytest.fixture(scope="session")
def greve_meetings(shared_dir: Path) -> list[Path]:
    """The 198 real Greve meetings as the FirstAgenda API served them (../shared/corpus/greve)."""
    files = sorted((shared_dir / "corpus" / "greve").glob("*.json"))
    if not files:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("../shared/corpus/greve/ is empty or missing under CI", pytrace=False)
        pytest.skip("../shared/corpus/greve/ not found")
    return files


@pytest.fixture(scope="session")
def greve_gold(shared_dir: Path, greve_meetings: list[Path]) -> dict[Path, dict]:
    """Each Greve meeting that has a gold record in ../shared/corpus/gold, with that record."""
    gold_dir = shared_dir / "corpus" / "gold"
    pairs = {
        path: json.loads((gold_dir / path.name).read_text(encoding="utf-8"))
        for path in greve_meetings
        if (gold_dir / path.name).is_file()
    }
    if not pairs:
        pytest.skip("no gold records for the Greve meetings under ../shared/corpus/gold")
    return pairs


@pytest.fixture(scope="session")
def greve_paths(shared_dir: Path) -> list[Path]:
    """The 198 real Greve meetings as the FirstAgenda API served them (../shared/corpus)."""
    paths = sorted((shared_dir / "corpus" / "greve").glob("*.json"))
    if not paths:
        reason = f"no Greve meetings in {shared_dir / 'corpus' / 'greve'}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return paths


@pytest.fixture(scope="session")
def greve_store(greve_paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the 198 Greve meetings, ingested once per test session (a minute or
    two); tests open it read-only."""
    from kommunegraf.graph.ingest.run import PlainReporter, ingest
    from kommunegraf.graph.store.local import open_store

    folder = tmp_path_factory.mktemp("greve") / "store"
    with open_store(folder, write=True) as store:
        summary = ingest(greve_paths, store, jobs=2, reporter=PlainReporter(lambda _line: None))
    assert summary.documents == len(greve_paths) and not summary.failed, summary.error_lines
    return folder
