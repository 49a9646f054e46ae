"""`kommunegraf fetch` against a replay portal on 127.0.0.1 (tests/replay_portal.py).

The server replays the real recorded meetings of ../shared/corpus/greve (198 of them, with a
committee list built from their own fields) or Hvidovre's recorded committee list, and
injects faults on demand.  Downloads are
counted on the server (requests per meeting), never timed; waits are counted through the
client's ``sleep``.  No request leaves the loopback interface.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf.graph.cli.main import main
from kommunegraf.graph.fetch.cache import MeetingCache, write_atomic
from kommunegraf.graph.fetch.client import PortalClient, user_agent
from kommunegraf.graph.fetch.portals import find
from kommunegraf.graph.fetch.run import (
    FetchOptions,
    FetchSummary,
    PlainFetchReporter,
    fetch_portals,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replay_portal import (
    ReplayMeeting,
    ReplayPortal,
    copies,
    meetings_from_bodies,
    meetings_from_list,
)

ROOT = Path(__file__).resolve().parent.parent
GREVE = find("Greve")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment may carry a test's requests off the machine."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture(scope="session")
def greve_files(shared_dir: Path) -> list[Path]:
    files = sorted((shared_dir / "corpus" / "greve").glob("*.json"))
    if len(files) < 100:
        pytest.skip("../shared/corpus/greve/ not found")
    return files


@pytest.fixture
def greve(greve_files: list[Path]) -> list[ReplayMeeting]:
    return meetings_from_bodies(greve_files)


class Recorder:
    """Counts the waits a client asks for instead of sleeping (no wall time in tests)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def factory(self, url: str, options: FetchOptions) -> PortalClient:
        return PortalClient(
            url,
            rate=options.rate,
            timeout=options.timeout,
            attempts=options.attempts,
            backoff=options.backoff,
            sleep=self.sleeps.append,
        )


def run(
    portal: ReplayPortal, cache: Path, recorder: Recorder | None = None, **kw: object
) -> FetchSummary:
    settings: dict = {"rate": 0, "timeout": 5.0, **kw}  # rate 0: no pause (waits counted)
    options = FetchOptions(cache=cache, portal_url=portal.url, **settings)
    recorder = recorder or Recorder()
    return fetch_portals(
        [GREVE], options, PlainFetchReporter(lambda line: None), client_factory=recorder.factory
    )


def bodies(cache: Path) -> dict[str, bytes]:
    folder = cache / "greve"
    return {
        p.name.removesuffix(".json"): p.read_bytes()
        for p in folder.glob("*.json")
        if not p.name.endswith(".meta.json")
    }


# --- against the replay portal ---------------------------------------------------------


def test_fetch_keeps_every_meeting_as_sent_with_its_sidecar(
    greve: list[ReplayMeeting], greve_files: list[Path], tmp_path: Path
) -> None:
    with ReplayPortal(greve) as portal:
        summary = run(portal, tmp_path)
        assert (summary.new, summary.failures) == (198, [])
        assert summary.requests == 200  # the cookie visit, the list, one per meeting
        assert set(portal.served.values()) == {1} and len(portal.served) == 198
        assert portal.log[0].path == "/" and portal.log[1].path == "/api/agenda/udvalgsliste"
        assert all(s.cookie for s in portal.log[1:])
        assert {s.user_agent for s in portal.log} == {user_agent()}
        assert user_agent().startswith("kommunegraf/")
    recorded = {json.loads(p.read_bytes())["Id"]: p.read_bytes() for p in greve_files}
    assert bodies(tmp_path) == recorded
    meta = json.loads((tmp_path / "greve" / f"{greve[0].meeting_id}.meta.json").read_text())
    assert meta["municipality"] == "Greve" and meta["kommunekode"] == "253"
    assert meta["meeting_id"] == greve[0].meeting_id and meta["status"] == 200
    assert meta["url"].endswith(f"/api/agenda/dagsorden/{greve[0].meeting_id}")
    assert meta["portal"] == portal.url.removeprefix("http://")
    assert meta["fetched_at"].endswith("Z") and "etag" in meta
    import hashlib

    assert meta["sha256"] == hashlib.sha256(recorded[greve[0].meeting_id]).hexdigest()
    assert {"Navn", "Afsluttet", "ReleasedDate"} <= set(meta)
    assert not list((tmp_path / "greve").glob("*.tmp"))


def test_a_second_run_downloads_nothing_and_refresh_everything(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    with ReplayPortal(greve[:20]) as portal:
        run(portal, tmp_path)
        before = bodies(tmp_path)
        again = run(portal, tmp_path)
        assert (again.new, again.updated, again.unchanged, again.requests) == (0, 0, 20, 2)
        assert sum(portal.served.values()) == 20
        refreshed = run(portal, tmp_path, refresh=True)
        assert (refreshed.updated, refreshed.requests) == (20, 22)
        assert set(portal.served.values()) == {2}
    assert bodies(tmp_path) == before


def test_agenda_becoming_minutes_is_fetched_again(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    meetings = [
        ReplayMeeting(dict(m.entry), m.committee_id, m.committee, m.body) for m in greve[:5]
    ]
    target = meetings[2]
    target.entry.update(Navn="Dagsorden", Afsluttet=False, ReleasedDate="2023-01-03T10:00:00")
    with ReplayPortal(meetings) as portal:
        run(portal, tmp_path)
        meta = json.loads((tmp_path / "greve" / f"{target.meeting_id}.meta.json").read_text())
        assert (meta["kind"], meta["Afsluttet"]) == ("dagsorden", False)
        minutes = target.body.replace(b'"Afsluttet":false', b'"Afsluttet":true') + b" "
        portal.update(
            target.meeting_id,
            body=minutes,
            Navn="Referat",
            Afsluttet=True,
            ReleasedDate="2023-01-12T09:00:00",
        )
        second = run(portal, tmp_path)
        assert (second.updated, second.unchanged, second.new) == (1, 4, 0)
        assert portal.served[target.meeting_id] == 2
        assert sum(portal.served.values()) == 6
    assert (tmp_path / "greve" / f"{target.meeting_id}.json").read_bytes() == minutes
    meta = json.loads((tmp_path / "greve" / f"{target.meeting_id}.meta.json").read_text())
    assert (meta["kind"], meta["Navn"], meta["ReleasedDate"]) == (
        "referat",
        "Referat",
        "2023-01-12T09:00:00",
    )


def test_a_republished_meeting_is_asked_for_with_its_etag(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    """The list says a meeting changed, but its body did not: a portal that keeps ETags
    answers 304, the body stays, and the sidecar takes the list entry's new state."""
    meetings = [
        ReplayMeeting(dict(m.entry), m.committee_id, m.committee, m.body) for m in greve[:3]
    ]
    target = meetings[1]
    body = tmp_path / "greve" / f"{target.meeting_id}.json"
    with ReplayPortal(meetings, etags=True) as portal:
        run(portal, tmp_path)
        meta = json.loads(body.with_suffix(".meta.json").read_text())
        assert meta["etag"] and meta["etag"].startswith('"')
        stamp = body.stat().st_mtime_ns
        portal.update(target.meeting_id, ReleasedDate="2024-05-01T10:00:00")
        second = run(portal, tmp_path)
        assert (second.unchanged, second.updated, second.requests) == (3, 0, 3)
        assert [s.outcome for s in portal.log if s.meeting_id == target.meeting_id] == [
            "served",
            "not-modified",
        ]
        third = run(portal, tmp_path)  # the sidecar has the new state: nothing to ask
        assert third.requests == 2
        refreshed = run(portal, tmp_path, refresh=True)
        assert refreshed.unchanged == 3 and sum(portal.served.values()) == 3
    assert body.stat().st_mtime_ns == stamp and body.read_bytes() == target.body
    meta = json.loads(body.with_suffix(".meta.json").read_text())
    assert meta["ReleasedDate"] == "2024-05-01T10:00:00"


def test_minutes_under_a_new_id_replace_the_cached_agenda(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    agenda = ReplayMeeting(
        dict(greve[0].entry), greve[0].committee_id, greve[0].committee, greve[0].body
    )
    agenda.entry.update(Navn="Dagsorden", Afsluttet=False)
    supplement = ReplayMeeting(
        {**agenda.entry, "Id": "11111111-0000-4000-8000-000000000001", "Navn": "Tillægsdagsorden"},
        agenda.committee_id,
        agenda.committee,
        b'{"Id": "1", "OPDIGTET": true}',
    )
    with ReplayPortal([agenda, supplement]) as portal:
        first = run(portal, tmp_path)
        assert first.new == 2  # the agenda and its supplementary agenda, both current
        minutes = ReplayMeeting(
            {
                **agenda.entry,
                "Id": "11111111-0000-4000-8000-000000000002",
                "Navn": "Referat",
                "Afsluttet": True,
            },
            agenda.committee_id,
            agenda.committee,
            b'{"Id": "2", "OPDIGTET": true}',
        )
        portal.add(minutes)
        portal.inject(minutes.meeting_id, "notjson")  # the minutes fail once:
        failed = run(portal, tmp_path, attempts=1)
        assert (len(failed.failures), failed.removed) == (1, 0)  # the agendas stay meanwhile
        assert set(bodies(tmp_path)) == {agenda.meeting_id, supplement.meeting_id}
        second = run(portal, tmp_path)
        assert (second.new, second.removed) == (1, 2)
    assert set(bodies(tmp_path)) == {minutes.meeting_id}
    assert not list((tmp_path / "greve").glob(f"{agenda.meeting_id}*"))


def test_the_real_hvidovre_list_fetches_each_meeting_once_as_its_minutes(
    shared_dir: Path, tmp_path: Path
) -> None:
    """Hvidovre's recorded committee list, served as recorded: in March 2026 one meeting is
    listed as its agenda (0332f3c0) and, under another id, its minutes (3e80684a).  A fetch
    before the minutes existed keeps the agenda; the next one replaces it by the minutes."""
    path = shared_dir / "corpus" / "firstagenda-api" / "hvidovre" / "udvalgsliste.json"
    raw = path.read_bytes()
    invented = lambda mid: json.dumps({"Id": mid, "OPDIGTET": True}).encode()  # noqa: E731
    meetings = meetings_from_list(json.loads(raw), invented)
    march = {m.meeting_id for m in meetings if m.entry["Dato"].startswith("2026-03")}
    agenda = next(m.meeting_id for m in meetings if m.meeting_id.startswith("0332f3c0"))
    minutes = next(m.meeting_id for m in meetings if m.meeting_id.startswith("3e80684a"))
    hvidovre = find("Hvidovre")
    options = FetchOptions(cache=tmp_path, since=date(2026, 3, 1), until=date(2026, 3, 31), rate=0)
    quiet = PlainFetchReporter(lambda line: None)
    before = [m for m in meetings if m.meeting_id != minutes]
    with ReplayPortal(before) as portal:
        options.portal_url = portal.url
        first = fetch_portals([hvidovre], options, quiet)
        assert (first.new, first.failures) == (11, [])
        portal.list_override = raw
        portal.add(next(m for m in meetings if m.meeting_id == minutes))
        second = fetch_portals([hvidovre], options, quiet)
        assert (second.new, second.removed, second.unchanged) == (1, 1, 10)
        assert portal.meeting_requests()[agenda] == 1 and portal.served[minutes] == 1
    folder = tmp_path / "hvidovre"
    cached = {p.name.removesuffix(".meta.json") for p in folder.glob("*.meta.json")}
    assert cached == march - {agenda} and len(cached) == 11
    meta = json.loads((folder / f"{minutes}.meta.json").read_text(encoding="utf-8"))
    assert (meta["municipality"], meta["kommunekode"], meta["kind"]) == (
        "Hvidovre",
        "167",
        "referat",
    )


@pytest.mark.parametrize(
    ("faults", "requests"),
    [(("500", "500"), 3), (("truncated",), 2), (("timeout",), 2), (("302",), 2)],
)
def test_a_passing_fault_is_retried(
    greve: list[ReplayMeeting], tmp_path: Path, faults: tuple[str, ...], requests: int
) -> None:
    recorder = Recorder()
    target = greve[3].meeting_id
    with ReplayPortal(greve[:6], slow_seconds=1.0) as portal:
        portal.inject(target, *faults)
        summary = run(portal, tmp_path, recorder, timeout=0.2, backoff=0.01)
        assert (summary.new, summary.failures) == (6, [])
        assert portal.meeting_requests()[target] == requests
        assert portal.served[target] == 1
        if faults[0] == "302":  # a session lost: a new visit to "/" before the call again
            assert [s.path for s in portal.log].count("/") == 2
        else:
            assert len([s for s in recorder.sleeps if s > 0]) == requests - 1  # backoff
    assert (tmp_path / "greve" / f"{target}.json").read_bytes() == greve[3].body


def test_429_waits_as_long_as_retry_after_asks(greve: list[ReplayMeeting], tmp_path: Path) -> None:
    recorder = Recorder()
    target = greve[1].meeting_id
    with ReplayPortal(greve[:3], retry_after=7) as portal:
        portal.inject(target, "429", "429")
        summary = run(portal, tmp_path, recorder, backoff=0.01)
        assert summary.new == 3 and portal.meeting_requests()[target] == 3
    assert recorder.sleeps.count(7.0) == 2


def test_429_asking_for_too_long_a_wait_fails_at_once(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    recorder = Recorder()
    target = greve[0].meeting_id
    with ReplayPortal(greve[:2], retry_after=3600) as portal:
        portal.inject(target, "429")
        summary = run(portal, tmp_path, recorder)
        assert portal.meeting_requests()[target] == 1
    assert [f.reason for f in summary.failures] == ["429: the portal asks to wait 3600 s"]
    assert 3600.0 not in recorder.sleeps and summary.new == 1


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("500", "HTTP 500"),
        ("timeout", "timed out"),
        ("truncated", "RemoteProtocolError"),
        ("notjson", "not JSON (text/html"),
        ("302", "302 loop"),
        ("429", "429 Too Many Requests"),
    ],
)
def test_a_lasting_fault_fails_that_meeting_only(
    greve: list[ReplayMeeting], tmp_path: Path, fault: str, reason: str
) -> None:
    bad = greve[2]
    with ReplayPortal(greve[:5], slow_seconds=0.6, retry_after=0) as portal:
        portal.inject(bad.meeting_id, fault, always=True)
        summary = run(portal, tmp_path, timeout=0.15, attempts=2, backoff=0.01)
    assert summary.new == 4 and len(summary.failures) == 1
    failure = summary.failures[0]
    assert bad.meeting_id[:8] in failure.what and reason in failure.reason
    assert failure.what.startswith(bad.entry["Dato"][:10])
    assert set(bodies(tmp_path)) == {m.meeting_id for m in greve[:5]} - {bad.meeting_id}
    assert not (tmp_path / "greve" / f"{bad.meeting_id}.meta.json").exists()
    assert not list((tmp_path / "greve").glob(".*.tmp"))


def test_a_failed_refetch_keeps_the_previous_good_document(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    target = greve[0]
    with ReplayPortal(greve[:2]) as portal:
        run(portal, tmp_path)
        meta_before = (tmp_path / "greve" / f"{target.meeting_id}.meta.json").read_bytes()
        portal.update(target.meeting_id, Navn="Referat", ReleasedDate="2024-01-01T00:00:00")
        portal.inject(target.meeting_id, "notjson", always=True)
        summary = run(portal, tmp_path)
        assert len(summary.failures) == 1 and summary.unchanged == 1
    assert (tmp_path / "greve" / f"{target.meeting_id}.json").read_bytes() == target.body
    assert (tmp_path / "greve" / f"{target.meeting_id}.meta.json").read_bytes() == meta_before


def test_a_portal_that_never_gives_a_cookie_fails_its_list(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    with ReplayPortal(greve[:2]) as portal:
        portal.inject("/", "nocookie", always=True)
        summary = run(portal, tmp_path)
        assert [(f.what, "302 loop" in f.reason) for f in summary.failures] == [
            ("committee list", True)
        ]
        assert portal.meeting_requests() == {}


def fetch_args(portal: ReplayPortal, cache: Path, *extra: str) -> list[str]:
    """`fetch Greve` against the replay portal, into ``cache``, at full speed."""
    return [
        "fetch",
        "Greve",
        "--portal",
        portal.url,
        "--cache",
        str(cache),
        "--rate",
        "1000",
        *extra,
    ]


def test_cli_reports_failures_by_meeting_and_exits_non_zero(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    bad = greve[1]
    with ReplayPortal(greve[:4]) as portal:
        portal.inject(bad.meeting_id, "500", always=True)
        args = fetch_args(portal, tmp_path, "--attempts", "1")
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "new         3" in result.output and "failed      1" in result.output
    assert f"failed: Greve: {bad.entry['Dato'][:10]}" in result.output
    assert f"({bad.meeting_id[:8]}): HTTP 500" in result.output


def test_cli_filters_by_date_and_committee(greve: list[ReplayMeeting], tmp_path: Path) -> None:
    with ReplayPortal(greve) as portal:
        args = fetch_args(
            portal,
            tmp_path,
            "--since",
            "2023-03-01",
            "--until",
            "2023-03-31",
            "--committee",
            "økonomiudvalget",
        )
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    wanted = {
        m.meeting_id
        for m in greve
        if m.committee == "Økonomiudvalget" and "2023-03-01" <= m.entry["Dato"][:10] <= "2023-03-31"
    }
    assert wanted and set(bodies(tmp_path)) == wanted


def test_unknown_committee_names_those_the_portal_has(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    with ReplayPortal(greve[:30]) as portal:
        summary = run(portal, tmp_path, committees=("Teknikudvalg",))
    assert "none named Teknikudvalg" in summary.failures[0].reason
    assert "Økonomiudvalget" in summary.failures[0].reason
    with ReplayPortal(greve[:30]) as portal:  # a committee it has, but no meeting in range
        quiet = run(portal, tmp_path, committees=("Økonomiudvalget",), since=date(2030, 1, 1))
    assert (quiet.failures, quiet.new) == ([], 0)


# --- atomic files ----------------------------------------------------------------------


def test_a_write_killed_before_its_rename_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "m.json"
    target.write_bytes(b'{"old": true}')

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing and renaming

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b'{"new": true, "long": "' + b"x" * 100_000 + b'"}')
    assert target.read_bytes() == b'{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


def test_a_new_sidecar_beside_an_old_body_is_fetched_again(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    """A kill between the sidecar's rename and the body's: the sidecar's sha256 no longer
    matches, so the next run downloads that meeting (and leftovers of the kill go)."""
    target = greve[0]
    with ReplayPortal(greve[:3]) as portal:
        run(portal, tmp_path)
        body = tmp_path / "greve" / f"{target.meeting_id}.json"
        body.write_bytes(body.read_bytes()[:-10] + b"0123456789")  # same size, other bytes
        leftover = tmp_path / "greve" / f".{target.meeting_id}.json.999.tmp"
        leftover.write_bytes(b"{half")
        summary = run(portal, tmp_path)
        assert (summary.updated, summary.unchanged) == (1, 2)
        assert portal.served[target.meeting_id] == 2
    assert body.read_bytes() == target.body and not leftover.exists()


def test_cache_folder_is_locked_against_a_second_fetch(tmp_path: Path) -> None:
    from kommunegraf.graph.fetch.cache import CacheBusy

    cache = MeetingCache(tmp_path, GREVE)
    with cache.locked(), pytest.raises(CacheBusy), MeetingCache(tmp_path, GREVE).locked():
        pass


# --- killed and started again ----------------------------------------------------------


def _fetch_process(url: str, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    args = [
        sys.executable,
        "-m",
        "kommunegraf",
        "fetch",
        "Greve",
        "--portal",
        url,
        "--cache",
        str(cache),
        "--rate",
        "1000",
    ]
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _comparable(cache: Path) -> dict[str, object]:
    """Every file of the cache; sidecars without what differs between runs by nature."""
    out: dict[str, object] = {}
    for path in sorted((cache / "greve").iterdir()):
        if path.name.endswith(".meta.json"):
            meta = json.loads(path.read_text(encoding="utf-8"))
            for key in ("fetched_at", "url", "portal"):
                meta.pop(key)
            out[path.name] = meta
        else:
            out[path.name] = path.read_bytes()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("midbody", [False, True], ids=["at-request", "mid-body"])
def test_killed_fetch_run_again_ends_as_an_uninterrupted_one(
    greve: list[ReplayMeeting], tmp_path: Path, midbody: bool
) -> None:
    meetings = copies(greve, 200)
    with ReplayPortal(meetings) as whole:
        straight = _fetch_process(whole.url, tmp_path / "straight")
        assert straight.wait(timeout=300) == 0, straight.stderr.read().decode()
    with ReplayPortal(copies(greve, 200)) as portal:
        first = _fetch_process(portal.url, tmp_path / "killed")
        portal.kill_at(117, lambda: first.pid, midbody=midbody)
        assert first.wait(timeout=300) == -9
        assert len(portal.served) == 116  # the 117th was cut off
        second = _fetch_process(portal.url, tmp_path / "killed")
        assert second.wait(timeout=300) == 0, second.stderr.read().decode()
        out = second.stdout.read().decode()
        assert "new         84" in out and "unchanged   116" in out
        # Each meeting was downloaded whole once, over both runs; the one cut off was asked
        # for twice.
        assert len(portal.served) == 200 and set(portal.served.values()) == {1}
        asked = portal.meeting_requests()
        assert sorted(asked.values()) == [1] * 199 + [2]
    assert _comparable(tmp_path / "killed") == _comparable(tmp_path / "straight")
    assert len(_comparable(tmp_path / "straight")) == 400


# --- pace, several municipalities, progress, ingest ------------------------------------


def test_default_pace_is_two_requests_a_second_in_virtual_time(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    clock = [0.0]
    starts: list[float] = []

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    def factory(url: str, options: FetchOptions) -> PortalClient:
        client = PortalClient(url, rate=options.rate, sleep=sleep, clock=lambda: clock[0])
        wait = client.limiter.wait

        def timed_wait() -> None:
            wait()
            starts.append(clock[0])

        client.limiter.wait = timed_wait  # type: ignore[method-assign]
        return client

    with ReplayPortal(greve[:6]) as portal:
        options = FetchOptions(cache=tmp_path, portal_url=portal.url)  # the default rate
        summary = fetch_portals(
            [GREVE], options, PlainFetchReporter(lambda line: None), client_factory=factory
        )
    assert summary.requests == len(starts) == 8
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 0.5 for gap in gaps)


def test_all_goes_on_after_a_municipality_whose_list_fails(
    greve: list[ReplayMeeting], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kommunegraf.graph.fetch.portals
    import kommunegraf.graph.fetch.run

    solrod = find("Solrød")
    with ReplayPortal(greve[:3]) as good, ReplayPortal(greve[3:5]) as broken:
        broken.inject("list", "500", always=True)
        hosts = {GREVE.host: good.url, solrod.host: broken.url}
        monkeypatch.setattr(
            kommunegraf.graph.fetch.portals, "firstagenda_portals", lambda: [solrod, GREVE]
        )
        monkeypatch.setattr(
            kommunegraf.graph.fetch.run, "base_url", lambda portal, override: hosts[portal.host]
        )
        args = ["fetch", "--all", "--cache", str(tmp_path), "--attempts", "1", "--rate", "1000"]
        result = CliRunner().invoke(main, args)
        assert broken.meeting_requests() == {} and len(good.served) == 3
    assert result.exit_code == 1
    assert "failed: Solrød: committee list: HTTP 500" in result.output
    assert sorted(p.name for p in (tmp_path / "greve").glob("*.meta.json")) == sorted(
        f"{m.meeting_id}.meta.json" for m in greve[:3]
    )


def test_a_portal_that_does_not_answer_fails_its_list(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    options = FetchOptions(cache=tmp_path, portal_url=url, rate=0, attempts=2, backoff=0)
    summary = fetch_portals([GREVE], options, PlainFetchReporter(lambda line: None))
    [failure] = summary.failures
    assert failure.what == "committee list" and failure.reason.startswith("ConnectError: ")
    assert failure.reason.endswith("(after 2 attempts)")


@pytest.mark.parametrize("url", ["ftp://example.org", "http://", "http://host:port", "a b"])
def test_portal_must_be_a_host_or_http_url(url: str) -> None:
    result = CliRunner().invoke(main, ["fetch", "Greve", "--portal", url])
    assert result.exit_code != 0 and "not a host or an http(s) URL" in result.output


def test_since_after_until_is_refused() -> None:
    args = ["fetch", "Greve", "--since", "2024-01-01", "--until", "2023-01-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "--since is after --until" in result.output


def test_all_refuses_names_and_portal() -> None:
    result = CliRunner().invoke(main, ["fetch", "--all", "Greve"])
    assert result.exit_code != 0 and "--all takes no MUNICIPALITY" in result.output
    result = CliRunner().invoke(main, ["fetch"])
    assert result.exit_code != 0 and "name a MUNICIPALITY (or --all)" in result.output


def test_plain_lines_name_each_download_and_the_progress_bar_runs(
    greve: list[ReplayMeeting], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kommunegraf.graph.fetch.run import ProgressFetchReporter

    lines: list[str] = []
    with ReplayPortal(greve[:3]) as portal:
        portal.inject(greve[2].meeting_id, "notjson", always=True)
        options = FetchOptions(cache=tmp_path / "a", portal_url=portal.url, rate=0)
        fetch_portals([GREVE], options, PlainFetchReporter(lines.append))
        options = FetchOptions(cache=tmp_path / "b", portal_url=portal.url, rate=0)
        fetch_portals([GREVE], options, ProgressFetchReporter())
    assert lines[0] == "fetch Greve: 3 meetings listed"
    assert lines[1].startswith("fetch Greve: 1/3 new ") and greve[0].meeting_id[:8] in lines[1]
    assert lines[3].startswith("error: Greve: ") and "not JSON" in lines[3]
    assert "not JSON" in capsys.readouterr().err


@pytest.mark.slow
def test_fetch_then_ingest_puts_the_meetings_in_the_store(
    greve: list[ReplayMeeting], tmp_path: Path
) -> None:
    chosen = greve[:4]
    with ReplayPortal(chosen) as portal:
        args = [
            "--store",
            str(tmp_path / "store"),
            "fetch",
            "Greve",
            "--portal",
            portal.url,
            "--cache",
            str(tmp_path / "cache"),
            "--rate",
            "1000",
            "--ingest",
        ]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "new         4" in result.output
    stats = CliRunner().invoke(
        main, ["--store", str(tmp_path / "store"), "stats", "--format", "json"]
    )
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    assert data["documents"] == 4
    # The municipality comes from the sidecars (Greve Kommune) into the graph.
    assert [row["name"] for row in data["municipalities"]] == ["Greve Kommune"], data


def test_bench_fetch_runs_and_prints_its_figures(greve_files: list[Path], tmp_path: Path) -> None:
    """bench/fetch.py on three meetings (CI notices when it breaks; no timing asserted)."""
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    args = [sys.executable, str(ROOT / "bench" / "fetch.py"), "--meetings", "3"]
    args += ["--rates", "1000", "--out", str(tmp_path)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and "3 of 3 meetings" in lines[0] and "5 requests" in lines[0]
    assert "0 of 3 meetings" in lines[1] and "2 requests" in lines[1]
    rows = json.loads((tmp_path / "fetch-results.json").read_text())
    assert [(r["run"], r["downloaded"], r["requests"]) for r in rows] == [
        ("first", 3, 5),
        ("again", 0, 2),
    ]
