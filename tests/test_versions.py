"""One meeting, once (issue 18.4): of several documents of one meeting the store shows one.

The documents are invented (OPDIGTET): examples/vejle_sbu_2023-05-03.txt (invented minutes)
and an agenda of the same meeting made from it here (its heading says DAGSORDEN and its
decision wording differs), so that merging the two gives one item two texts and two spans.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf.graph.answers.validate import validate_store
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.store import versions
from kommunegraf.graph.store.local import DocumentLoad, open_store

ROOT = Path(__file__).resolve().parent.parent
MINUTES = ROOT / "examples" / "vejle_sbu_2023-05-03.txt"
CASE = "00.30.14-S00-4-23"  # item 39 of the invented minutes
MINUTES_DECISION = "Godkendt."
AGENDA_DECISION = "Udvalget godkendte indstillingen med en tilføjelse (OPDIGTET)."
DAY = 86_400


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *map(str, args)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def agenda_of(minutes: Path, target: Path) -> Path:
    """The same meeting's agenda: another heading, another decision wording."""
    text = minutes.read_text(encoding="utf-8")
    text = text.replace("\nREFERAT ", "\nDAGSORDEN ", 1)
    text = text.replace(f"\n{MINUTES_DECISION}\n", f"\n{AGENDA_DECISION}\n")
    assert "DAGSORDEN" in text and AGENDA_DECISION in text
    target.write_text(text, encoding="utf-8")
    return target


def aged(path: Path, days: int) -> Path:
    """Set the file's modification time ``days`` days back."""
    when = path.stat().st_mtime - days * DAY
    os.utime(path, (when, when))
    return path


@pytest.fixture
def meeting(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "files"
    folder.mkdir()
    minutes = folder / "vejle_sbu_referat.txt"
    minutes.write_bytes(MINUTES.read_bytes())
    agenda = agenda_of(MINUTES, folder / "vejle_sbu_dagsorden.txt")
    aged(minutes, 1)  # the agenda is the younger file: kind decides, not time
    return agenda, minutes


def decision_text(store_dir: Path) -> str:
    code, out, err = run(store_dir, "trace", CASE, "--format", "json")
    assert code == 0, err
    (case,) = json.loads(out)["cases"]
    (treatment,) = [t for t in case["treatments"] if t["outcome"]]
    return treatment["text"]


def merged(store_dir: Path) -> set[str]:
    """What queries read: the union of the data store's graphs (each triple once)."""
    with open_store(store_dir, write=False) as store:
        return {str(q.triple) for q in store._store.quads_for_pattern(None, None, None, None)}


@pytest.mark.parametrize("order", ["agenda first", "minutes first", "together"])
def test_the_minutes_supersede_the_agenda_of_their_meeting(
    tmp_path: Path, meeting: tuple[Path, Path], order: str
) -> None:
    agenda, minutes = meeting
    store_dir = tmp_path / "store"
    runs = {
        "agenda first": [[agenda], [minutes]],
        "minutes first": [[minutes], [agenda]],
        "together": [[agenda, minutes]],
    }[order]
    errors = ""
    for files in runs:
        code, _out, err = run(store_dir, "ingest", "--jobs", "1", *files)
        assert code == 0, err
        errors += err
    # The overlap is reported by file name, once.
    lines = [line for line in errors.splitlines() if "earlier version" in line]
    assert len(lines) == 1 and agenda.name in lines[0] and minutes.name in lines[0], errors
    assert decision_text(store_dir).startswith(MINUTES_DECISION + " Udvalget")
    with open_store(store_dir, write=False) as store:
        report = validate_store(store)
        assert report.conforms, [f.message for f in report.findings]
        assert report.documents == 1
        (shown,) = store.documents()
        assert not [g for g in store.named_graphs() if versions.EARLIER_PATH in g]  # no query
        kept = store.earlier_versions()
        assert len(kept) == 1  # the agenda, whole, as an earlier version
        log = store.log_ntriples().decode("utf-8")
        assert f"<{kept[0]}> {versions.SUPERSEDED_BY} <{shown}> ." in log
        assert store.quad_count(kept[0]) > 100


def test_either_order_gives_the_same_store_and_a_reingest_changes_nothing(
    tmp_path: Path, meeting: tuple[Path, Path]
) -> None:
    agenda, minutes = meeting
    first, second = tmp_path / "one", tmp_path / "two"
    run(first, "ingest", "--jobs", "1", agenda)
    run(first, "ingest", "--jobs", "1", minutes)
    run(second, "ingest", "--jobs", "1", minutes)
    run(second, "ingest", "--jobs", "1", agenda)
    assert merged(first) == merged(second)
    before = merged(first)
    code, out, err = run(first, "ingest", "--jobs", "1", agenda, minutes)
    assert code == 0 and "earlier version" not in err and "overlaps" not in out
    assert merged(first) == before


def test_of_two_minutes_of_one_meeting_the_newer_is_shown(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    original = folder / "a_referat.txt"
    original.write_bytes(MINUTES.read_bytes())
    aged(original, 2)
    edited = folder / "b_referat_rettet.txt"  # an edited copy under another name
    edited.write_text(
        MINUTES.read_text(encoding="utf-8").replace(
            f"\n{MINUTES_DECISION}\n", "\nGodkendt med rettelser (OPDIGTET).\n"
        ),
        encoding="utf-8",
    )
    store_dir = tmp_path / "store"
    # The older file comes last: time decides, not the order of the ingest.
    run(store_dir, "ingest", "--jobs", "1", edited)
    code, _out, err = run(store_dir, "ingest", "--jobs", "1", original)
    assert code == 0 and original.name in err and "earlier version" in err
    assert decision_text(store_dir).startswith("Godkendt med rettelser (OPDIGTET).")
    with open_store(store_dir, write=False) as store:
        assert validate_store(store).conforms


def test_the_sidecar_s_release_time_decides_before_the_file_s_time(tmp_path: Path) -> None:
    later = tmp_path / "m1.json"
    later.write_text("{}")
    os.utime(later, (1_577_880_000, 1_577_880_000))  # 2020-01-01T12:00:00Z
    (tmp_path / "m1.meta.json").write_text(
        json.dumps({"ReleasedDate": "2023-05-04T10:00:00+02:00", "fetched_at": "2023-06-01"})
    )
    assert versions.stamp_of(later) == "2023-05-04T08:00:00Z"
    (tmp_path / "m1.meta.json").write_text(json.dumps({"fetched_at": "2023-06-01T12:00:00Z"}))
    assert versions.stamp_of(later) == "2023-06-01T12:00:00Z"
    (tmp_path / "m1.meta.json").write_text("not json")
    assert versions.stamp_of(later) == "2020-01-01T12:00:00Z"  # the file's own time
    assert versions.stamp_of(tmp_path / "missing.txt") == ""


def test_minutes_outrank_unknown_outrank_agendas_whatever_their_time() -> None:
    keys = {
        "agenda": versions.version_key("dagsorden", "2024-01-01T00:00:00Z"),
        "supplement": versions.version_key("Tillægsdagsorden", "2024-01-02T00:00:00Z"),
        "unknown": versions.version_key(None, "2023-01-01T00:00:00Z"),
        "minutes": versions.version_key("referat", "2020-01-01T00:00:00Z"),
        "older minutes": versions.version_key("referat", "2019-01-01T00:00:00Z"),
    }
    assert versions.winner(keys) == "minutes"
    del keys["minutes"], keys["older minutes"]
    assert versions.winner(keys) == "unknown"
    del keys["unknown"]
    assert versions.winner(keys) == "supplement"  # the newer of two agendas
    assert versions.winner({"b": "1|", "a": "1|"}) == "b"  # a tie: the same every run


def _doc(store, path: Path, *, version: str, name: str) -> DocumentLoad:  # type: ignore[no-untyped-def]
    from kommunegraf.extract import extract_path
    from kommunegraf.graph.rdf.mapping import map_record

    record = extract_path(path)
    mapped = map_record(record, base=store.base)
    return DocumentLoad(
        mapped.graph,
        mapped.nquads,
        record.source.sha256,
        (name,),
        versions.meeting_of(record, store.base),
        version,
    )


def test_the_meeting_key_is_the_meeting_the_mapping_mints(meeting: tuple[Path, Path]) -> None:
    from kommunegraf.extract import extract_path
    from kommunegraf.graph.rdf.mapping import map_record

    record = extract_path(meeting[1])
    nquads = map_record(record).nquads
    iri = versions.meeting_of(record, "https://w3id.org/kommunegraf/")
    assert f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in nquads


def test_a_failure_while_setting_aside_leaves_the_store_as_it_was(
    tmp_path: Path, meeting: tuple[Path, Path]
) -> None:
    """The move aside is part of the batch's one log transaction: if that transaction fails,
    the minutes are unmarked (removed on the next open) and the agenda stays shown."""
    agenda, minutes = meeting
    store_dir = tmp_path / "store"
    run(store_dir, "ingest", "--jobs", "1", agenda)
    before = merged(store_dir)
    with open_store(store_dir, write=True) as store:
        doc = _doc(store, minutes, version=versions.version_key("referat", "9"), name="m")
        inner = store._books
        real_update = inner.update

        class Failing:
            def __getattr__(self, name: str) -> object:
                return getattr(inner, name)

            def update(self, text: str) -> None:
                if versions.SUPERSEDED_BY in text:
                    raise OSError("disk full (simulated)")
                real_update(text)

        store._books = Failing()
        with pytest.raises(OSError):
            store.replace_documents([doc], run="r")
        store._books = inner
    with open_store(store_dir, write=True):
        pass  # a writer opens: the unmarked minutes go
    assert merged(store_dir) == before
    assert decision_text(store_dir).startswith(AGENDA_DECISION)


@pytest.fixture
def remote_url(tmp_path: Path) -> Iterator[str]:
    from test_remote import start_server, stop

    process, url = start_server(tmp_path / "db")
    try:
        yield url
    finally:
        stop(process)


@pytest.mark.server
def test_the_same_rule_holds_on_a_sparql_server(
    remote_url: str, meeting: tuple[Path, Path], tmp_path: Path
) -> None:
    agenda, minutes = meeting
    env = {"KOMMUNEGRAF_ENDPOINT": None}
    runner = CliRunner()
    for files in ([minutes], [agenda], [agenda, minutes]):
        result = runner.invoke(
            main, ["--endpoint", remote_url, "ingest", "--jobs", "1", *map(str, files)], env=env
        )
        assert result.exit_code == 0, result.output
        if files == [agenda]:
            assert agenda.name in result.stderr and "earlier version" in result.stderr
    traced = runner.invoke(
        main, ["--endpoint", remote_url, "trace", CASE, "--format", "json"], env=env
    )
    (case,) = json.loads(traced.stdout)["cases"]
    (text,) = [t["text"] for t in case["treatments"] if t["outcome"]]
    assert text.startswith(MINUTES_DECISION + " Udvalget")
    from kommunegraf.graph.store.remote import open_remote

    with open_remote(remote_url, write=False, env={}) as remote:
        assert len(remote.documents()) == 1
        assert validate_store(remote).conforms  # type: ignore[arg-type]
        kept = [g for g in remote.named_graphs() if versions.EARLIER_PATH in g]
        assert len(kept) == 1
