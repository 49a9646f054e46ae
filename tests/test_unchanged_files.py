"""A file unchanged since the store took it in is not read again (graph.ingest.stamps).

What makes a file "unchanged" is its stamp: its bytes, its fetch sidecar's bytes, the time
that orders a meeting's versions, and the code that reads it.  Each is changed here on its
own and must make the file be read; a file whose document is not wholly in the store must be
read whatever its stamp; and ``--reread`` reads everything.  (tests/test_store_contract.py
runs the same rule on a SPARQL server.)
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf.graph.cli.main import main
from kommunegraf.graph.ingest import run as ingest_run
from kommunegraf.graph.ingest import workers
from kommunegraf.graph.ingest.report import PlainReporter, Summary
from kommunegraf.graph.ingest.stamps import code_version, file_stamp
from kommunegraf.graph.store.local import INGEST_COMPLETE, open_store
from kommunegraf.graph.store.model import FILE_STAMP


@pytest.fixture
def folder(tmp_path: Path, seed_paths: list[Path]) -> Path:
    """Three of the seeds in a folder of their own (copies: the tests change them)."""
    where = tmp_path / "referater"
    where.mkdir()
    for seed in seed_paths[:3]:
        shutil.copy(seed, where / seed.name)
    return where


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files extraction is asked for (in this process: ``jobs=1``)."""
    seen: list[str] = []
    real = workers.extract_file

    def counting(path: str, base: str) -> workers.Outcome:
        seen.append(Path(path).name)
        return real(path, base)

    monkeypatch.setattr(workers, "extract_file", counting)
    return seen


def ingest(store_dir: Path, *paths: Path, reread: bool = False) -> Summary:
    with open_store(store_dir, write=True) as store:
        return ingest_run.ingest(
            list(paths),
            store,
            jobs=1,
            reporter=PlainReporter(lambda _line: None),
            reread=reread,
        )


def log_lines(store) -> set[bytes]:  # type: ignore[no-untyped-def]
    """The log's lines on documents, and the derived graph's lines (its own completion
    marker says how it was last brought up to date, which a run with nothing new restates)."""
    derived = f"<{store.derived_graph}> ".encode()
    lines = {line for line in store.log_ntriples().splitlines() if not line.startswith(derived)}
    return lines | set(store.graph_ntriples(store.derived_graph).splitlines())


def test_a_second_ingest_reads_nothing_and_changes_nothing(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    store_dir = tmp_path / "store"
    first = ingest(store_dir, folder)
    assert (first.documents, first.unchanged, len(reads)) == (3, 0, 3)
    with open_store(store_dir, write=False) as store:
        before = (store.quad_count(), store.documents(), log_lines(store))
    reads.clear()

    again = ingest(store_dir, folder)
    assert reads == []
    assert (again.files, again.unchanged, again.documents, again.quads) == (3, 3, 0, 0)
    assert again.threads_partial == 0  # nothing added: the derived graph stands
    with open_store(store_dir, write=False) as store:
        assert (store.quad_count(), store.documents(), log_lines(store)) == before
        stamps = list(store._books.quads_for_pattern(None, FILE_STAMP, None, None))
        assert len(stamps) == 3  # one a path, each "<path key> <stamp>"
        assert all(len(q.object.value.split(" ")) == 2 for q in stamps)

    reread = ingest(store_dir, folder, reread=True)
    assert sorted(reads) == sorted(p.name for p in folder.iterdir())
    assert (reread.unchanged, reread.documents, reread.superseded) == (0, 3, 0)
    with open_store(store_dir, write=False) as store:
        assert (store.quad_count(), store.documents()) == before[:2]


def test_only_the_edited_file_is_read(tmp_path: Path, folder: Path, reads: list[str]) -> None:
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    edited = sorted(folder.iterdir())[0]
    edited.write_bytes(edited.read_bytes() + "\nEt tillæg (OPDIGTET).\n".encode())
    reads.clear()
    summary = ingest(store_dir, folder)
    assert reads == [edited.name]
    assert (summary.unchanged, summary.documents, summary.superseded) == (2, 1, 1)


def test_a_touched_file_without_a_sidecar_is_read(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    """Without a sidecar the file's modification time orders a meeting's versions, and the
    log keeps it per document: a new time is read (and kept), even with the same bytes."""
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    touched = sorted(folder.iterdir())[1]
    stat = touched.stat()
    os.utime(touched, (stat.st_atime, stat.st_mtime + 3600))
    reads.clear()
    summary = ingest(store_dir, folder)
    assert reads == [touched.name]
    assert (summary.unchanged, summary.documents, summary.superseded) == (2, 1, 0)
    reads.clear()
    assert ingest(store_dir, folder).unchanged == 3 and reads == []


def test_a_file_whose_document_is_not_whole_is_read(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    """A stamp counts only beside its document's completion marker: a document left without
    one (a killed writer) is read again, however its file's stamp reads."""
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    victim = sorted(folder.iterdir())[2]
    with open_store(store_dir, write=True) as store:
        graph = store.graph_of_path(victim)
        assert graph is not None
        store._books.update(f"DELETE WHERE {{ GRAPH ?l {{ <{graph}> {INGEST_COMPLETE} ?m }} }}")
    reads.clear()
    summary = ingest(store_dir, folder)
    assert reads == [victim.name]
    assert summary.unchanged == 2
    with open_store(store_dir, write=False) as store:
        assert len(store.documents()) == 3 and store.graph_of_path(victim) == graph


def test_a_file_that_failed_is_read_and_reported_again(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    bad = folder / "tom.txt"
    bad.write_bytes(b"")
    store_dir = tmp_path / "store"
    assert ingest(store_dir, folder).errors == 1
    reads.clear()
    summary = ingest(store_dir, folder)
    assert reads == ["tom.txt"]
    assert (summary.errors, summary.unchanged) == (1, 3)


def test_a_copy_under_a_new_name_is_read_once_and_then_both_are_unchanged(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    original = sorted(folder.iterdir())[0]
    shutil.copy(original, folder / "kopi.txt")
    reads.clear()
    summary = ingest(store_dir, folder)
    assert reads == ["kopi.txt"]
    # the same document under a new name: recorded as a name, not loaded again
    assert (summary.unchanged, summary.documents, summary.duplicates) == (3, 0, 1)
    with open_store(store_dir, write=False) as store:
        assert len(store.documents()) == 3
        assert store.graph_of_path(folder / "kopi.txt") == store.graph_of_path(original)
    reads.clear()
    assert ingest(store_dir, folder).unchanged == 4 and reads == []


def test_new_code_reads_every_file(
    tmp_path: Path, folder: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    monkeypatch.setattr(ingest_run, "code_version", lambda: "another-version")
    reads.clear()
    summary = ingest(store_dir, folder)
    assert len(reads) == 3 and summary.unchanged == 0
    reads.clear()
    assert ingest(store_dir, folder).unchanged == 3 and reads == []


def test_the_cli_says_what_it_passed_over_and_rereads_on_request(
    tmp_path: Path, folder: Path
) -> None:
    store_dir = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store_dir), "ingest", str(folder)]).exit_code == 0
    again = runner.invoke(main, ["--store", str(store_dir), "ingest", str(folder)])
    assert again.exit_code == 0
    assert "unchanged  3 file(s) as last ingested: not read again" in again.stdout
    forced = runner.invoke(main, ["--store", str(store_dir), "ingest", str(folder), "--reread"])
    assert forced.exit_code == 0
    assert not [line for line in forced.stdout.splitlines() if line.startswith("unchanged ")]


# --- the stamp itself ------------------------------------------------------------------------


def test_a_stamp_follows_the_bytes_the_sidecar_the_time_and_the_code(tmp_path: Path) -> None:
    meeting = tmp_path / "4711.json"
    meeting.write_text(json.dumps({"invented": "a meeting"}), encoding="utf-8")
    os.utime(meeting, (1_700_000_000, 1_700_000_000))
    plain = file_stamp(meeting)
    assert plain is not None and plain == file_stamp(meeting, code_version())
    assert file_stamp(meeting, "other code") != plain

    os.utime(meeting, (1_700_000_000, 1_700_000_100))
    assert file_stamp(meeting) != plain  # no sidecar: the modification time counts
    os.utime(meeting, (1_700_000_000, 1_700_000_000))
    assert file_stamp(meeting) == plain

    sidecar = tmp_path / "4711.meta.json"
    meta = {"meeting_id": "4711", "fetched_at": "2026-01-05T10:00:00Z", "sha256": "00"}
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    with_sidecar = file_stamp(meeting)
    assert with_sidecar not in (None, plain)
    os.utime(meeting, (1_700_000_000, 1_700_000_900))
    assert file_stamp(meeting) == with_sidecar  # the sidecar's time orders it, not the file's
    sidecar.write_text(json.dumps({**meta, "municipality": "0253"}), encoding="utf-8")
    assert file_stamp(meeting) != with_sidecar

    meeting.write_text(json.dumps({"invented": "another meeting"}), encoding="utf-8")
    assert file_stamp(meeting) != with_sidecar
    assert file_stamp(tmp_path / "absent.json") is None


def test_the_code_version_is_a_digest_of_the_package_code() -> None:
    version = code_version()
    assert len(version) == 16 and int(version, 16) >= 0
    assert code_version() == version  # computed once a process
