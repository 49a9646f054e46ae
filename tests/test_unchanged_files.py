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
from kommunegraf.graph.ingest import stamps as stamps_module
from kommunegraf.graph.ingest import workers
from kommunegraf.graph.ingest.report import PlainReporter, Summary
from kommunegraf.graph.ingest.stamps import (
    code_version,
    dependency_versions,
    file_stamp,
    tree_digest,
)
from kommunegraf.graph.store.local import CLOSED_COMPLETE, INGEST_COMPLETE, open_store
from kommunegraf.graph.store.model import FILE_STAMP, SOURCE_PATH
from kommunegraf.graph.store.updates import LONE_SURROGATE_RE, stated_name


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
    marker says how it was last brought up to date, which a run with nothing new restates;
    the log's closing time is every writer's)."""
    derived = f"<{store.derived_graph}> ".encode()
    lines = {
        line
        for line in store.log_ntriples().splitlines()
        if not line.startswith(derived) and str(CLOSED_COMPLETE).encode() not in line
    }
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


def test_a_copy_under_a_new_name_is_a_further_name_never_a_reload(
    tmp_path: Path, folder: Path, reads: list[str]
) -> None:
    """A document states the name of the file it was loaded from: a byte-identical copy
    under another name is read (its name is not the one stated) and recorded as a further
    name of the document the store keeps, on every run, and never reloads it."""
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    original = sorted(folder.iterdir())[0]
    shutil.copy2(original, folder / "kopi.txt")
    with open_store(store_dir, write=False) as store:
        before = (store.quad_count(), log_lines(store) - _runs(store))
    for _ in range(2):
        reads.clear()
        summary = ingest(store_dir, folder)
        assert reads == ["kopi.txt"]
        assert (summary.unchanged, summary.documents, summary.duplicates) == (3, 0, 1)
        assert summary.loaded == 0
        with open_store(store_dir, write=False) as store:
            assert len(store.documents()) == 3
            graph = store.graph_of_path(original)
            assert store.graph_of_path(folder / "kopi.txt") == graph
            assert store.sources()[graph] == [original.name]  # still the name it states
            assert store.quad_count() == before[0] + 2  # the copy's path and stamp, in the log
            assert before[1] <= log_lines(store)  # the copy's path and stamp added, none lost


def _runs(store) -> set[bytes]:  # type: ignore[no-untyped-def]
    return {line for line in log_lines(store) if b"ingestRun" in line}


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


def test_the_code_version_follows_every_file_of_the_code_and_no_bytecode(tmp_path: Path) -> None:
    (tmp_path / "extract" / "__pycache__").mkdir(parents=True)
    (tmp_path / "graph").mkdir()
    rule = tmp_path / "extract" / "rule.py"
    rule.write_text("PATTERN = 'a'\n", encoding="utf-8")
    (tmp_path / "graph" / "table.tsv").write_text("0253\tGreve\n", encoding="utf-8")
    before = tree_digest(tmp_path, ("extract", "graph"))
    (tmp_path / "extract" / "__pycache__" / "rule.cpython-311.pyc").write_bytes(b"\0bytes")
    (tmp_path / "docs.md").write_text("outside the folders", encoding="utf-8")
    assert tree_digest(tmp_path, ("extract", "graph")) == before
    rule.write_text("PATTERN = 'b'\n", encoding="utf-8")
    assert tree_digest(tmp_path, ("extract", "graph")) != before
    rule.write_text("PATTERN = 'a'\n", encoding="utf-8")
    rule.rename(tmp_path / "extract" / "renamed.py")  # the same bytes under another name
    assert tree_digest(tmp_path, ("extract", "graph")) != before
    version = code_version()
    assert len(version) == 16 and int(version, 16) >= 0
    assert code_version() == version  # computed once a process


def test_a_copy_of_an_earlier_version_goes_on_that_version_and_reloads_nothing(
    tmp_path: Path, seed_paths: list[Path], reads: list[str]
) -> None:
    """One meeting in two files: the older kept as an earlier version, the newer shown.  A
    byte-identical copy of the older one (same time) is a further name of the earlier
    version: no reload, no new overlap, and both its paths stay in the log."""
    folder = tmp_path / "moede"
    folder.mkdir()
    older, newer = folder / "a.txt", folder / "m.txt"
    shutil.copy(seed_paths[0], older)
    newer.write_bytes(seed_paths[0].read_bytes() + b"\nRettelse (OPDIGTET).\n")
    os.utime(older, (1_600_000_000, 1_600_000_000))
    os.utime(newer, (1_700_000_000, 1_700_000_000))
    store_dir = tmp_path / "store"
    assert ingest(store_dir, folder).overlaps == 1
    shutil.copy2(older, folder / "c.txt")
    with open_store(store_dir, write=False) as store:
        (earlier,) = store.earlier_versions()
        kept = store.graph_ntriples(earlier)
    for _ in range(3):
        reads.clear()
        summary = ingest(store_dir, folder)
        assert reads == ["c.txt"]  # its name is not the one the version states
        assert (summary.loaded, summary.overlaps, summary.superseded) == (0, 0, 0)
        with open_store(store_dir, write=False) as store:
            assert store.earlier_versions() == [earlier]
            assert store.graph_ntriples(earlier) == kept  # still stating a.txt
            assert len(store.documents()) == 1
            stamps = list(store._books.quads_for_pattern(None, FILE_STAMP, None, None))
            assert sorted(q.subject.value for q in stamps).count(earlier) == 2  # a.txt, c.txt


def test_a_file_whose_twin_went_elsewhere_restates_its_own_name(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    """Two identical files are one document, which states the first file's name.  When that
    file becomes another meeting, the twin is read in the same run and its document loaded
    again stating the twin's name (never a name that now belongs to another document)."""
    folder = tmp_path / "to"
    folder.mkdir()
    first, twin = folder / "a.txt", folder / "b.txt"
    shutil.copy(seed_paths[0], first)
    shutil.copy(seed_paths[0], twin)
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    first.write_bytes(seed_paths[1].read_bytes())
    ingest(store_dir, folder)
    with open_store(store_dir, write=False) as store:
        names = store.sources()
        assert names[store.graph_of_path(twin)] == ["b.txt"]  # type: ignore[index]
        assert names[store.graph_of_path(first)] == ["a.txt"]  # type: ignore[index]


def test_a_file_rewritten_while_it_was_read_is_read_again(
    tmp_path: Path, folder: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp is taken before a worker reads the file: when the bytes the worker read are
    not those stamped, no stamp is kept, and the next run reads the file again."""
    victim = sorted(folder.iterdir())[0]
    original, times = victim.read_bytes(), (victim.stat().st_atime, victim.stat().st_mtime)
    real = workers.extract_file

    rewritten: list[str] = []

    def rewriting(path: str, base: str) -> workers.Outcome:
        if Path(path) == victim and not rewritten:
            rewritten.append(path)
            victim.write_bytes(victim.read_bytes() + b"\nSkrevet imens (OPDIGTET).\n")
        return real(path, base)

    monkeypatch.setattr(workers, "extract_file", rewriting)
    store_dir = tmp_path / "store"
    assert ingest(store_dir, folder).documents == 3
    monkeypatch.setattr(workers, "extract_file", real)
    victim.write_bytes(original)  # back to the bytes (and time) that were stamped
    os.utime(victim, times)
    summary = ingest(store_dir, folder)  # the store holds the rewritten text: read again
    assert (summary.unchanged, summary.documents, summary.superseded) == (2, 1, 1)
    assert ingest(store_dir, folder).unchanged == 3


def test_a_store_whose_path_secret_is_new_keeps_no_dead_stamps(
    tmp_path: Path, folder: Path
) -> None:
    store_dir = tmp_path / "store"
    ingest(store_dir, folder)
    (store_dir / "path-key").unlink()  # a lost secret: the paths' keys cannot be matched
    assert ingest(store_dir, folder).unchanged == 0
    with open_store(store_dir, write=False) as store:
        stamps = list(store._books.quads_for_pattern(None, FILE_STAMP, None, None))
        paths = list(store._books.quads_for_pattern(None, SOURCE_PATH, None, None))
        assert len(stamps) == len(paths) == 3
    assert ingest(store_dir, folder).unchanged == 3


def test_an_upgraded_library_changes_the_code_version(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = dependency_versions()
    names = {line.split(" ")[0] for line in lines}
    assert {"pypdf", "pypdfium2", "charset-normalizer", "regex", "beautifulsoup4"} <= names
    assert not {"click", "httpx", "rich", "networkx"} & names  # they change no document
    assert lines[-1].startswith("tesseract ")
    before = code_version()
    real = stamps_module.metadata.version
    monkeypatch.setattr(
        stamps_module.metadata,
        "version",
        lambda name: "999.0" if name == "pypdf" else real(name),
    )
    code_version.cache_clear()
    try:
        assert code_version() != before
    finally:
        monkeypatch.undo()
        code_version.cache_clear()
    assert code_version() == before


def test_names_that_are_no_utf8_or_leave_no_room_for_a_sidecar_are_stamped(
    tmp_path: Path, seed_paths: list[Path], reads: list[str]
) -> None:
    """A file name with a byte that is no UTF-8 (a Latin-1 "æ") is stated with U+FFFD by the
    mapping and must be matched so; a name of 254 bytes leaves no room for a sidecar's name
    (the check for one fails with "file name too long"), which is no reason to read it."""
    folder = tmp_path / "navne"
    folder.mkdir()
    latin1 = folder / os.fsdecode(b"m\xe6de.txt")
    longest = folder / ("l" * 250 + ".txt")
    shutil.copy(seed_paths[0], latin1)
    shutil.copy(seed_paths[1], longest)
    store_dir = tmp_path / "store"
    assert ingest(store_dir, folder).documents == 2
    reads.clear()
    summary = ingest(store_dir, folder)
    assert (summary.unchanged, summary.documents, summary.errors) == (2, 0, 0)
    assert reads == []


def test_the_stated_name_of_a_path_is_its_base_name_with_undecodable_bytes_replaced() -> None:
    """LONE_SURROGATE_RE: Python names a Latin-1 "æ" in a UTF-8 file system "\\udce6"; the
    mapping states it as U+FFFD (graph.rdf.mapping), so the name is matched so."""
    assert stated_name("/data/" + os.fsdecode(b"m\xe6de.txt")) == "m\ufffdde.txt"
    assert stated_name("/data/møde 1.txt") == "møde 1.txt"
    assert LONE_SURROGATE_RE.search("\udce6") and not LONE_SURROGATE_RE.search("æ")
