"""The pieces of `kommunegraf fetch` that need no server: the portal table, the committee
list (which document of a meeting is current), Retry-After and the pace.

The committee list test reads the real Hvidovre list from ../shared/corpus; the others use
the project's own table and invented entries (marked OPDIGTET).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kommunegraf.graph.cli.main import main
from kommunegraf.graph.fetch.client import (
    PortalClient,
    PortalRequestError,
    RateLimiter,
    retry_after_seconds,
)
from kommunegraf.graph.fetch.listing import current_documents, parse_committee_list, select
from kommunegraf.graph.fetch.portals import Portal, PortalError, find, firstagenda_portal, table


@pytest.fixture(scope="session")
def hvidovre_list(shared_dir: Path) -> object:
    path = shared_dir / "corpus" / "firstagenda-api" / "hvidovre" / "udvalgsliste.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return json.loads(path.read_text(encoding="utf-8"))


# --- the portal table ----------------------------------------------------------------------


def test_portal_table_has_every_municipality_with_its_kommunekode() -> None:
    rows = table()
    assert len(rows) == 98 and len({p.kommunekode for p in rows}) == 98
    assert sum(p.is_firstagenda for p in rows) == 88
    assert find("Greve") == Portal("253", "Greve", "firstagenda", "dagsordener.greve.dk")
    assert find("Greve Kommune") == find("253") == find("greve")
    assert find("Nordfyns Kommune").host == "dagsordener.nordfynskommune.dk"
    assert find("Køge").slug == "koege"


def test_portal_table_is_built_from_the_portal_list(shared_dir: Path) -> None:
    from kommunegraf.ontology.build_portals import PORTALS_TSV, rows_from

    source = shared_dir / "corpus" / "firstagenda-api" / "dagsorden_portaler.json"
    rows = rows_from(json.loads(source.read_text(encoding="utf-8")))
    committed = [
        tuple(line.split("\t")) for line in PORTALS_TSV.read_text("utf-8").splitlines()[1:]
    ]
    assert rows == committed


def test_unknown_municipality_names_the_near_matches() -> None:
    with pytest.raises(PortalError, match=r"unknown municipality 'Grve'.*Greve"):
        firstagenda_portal("Grve")
    result = CliRunner().invoke(main, ["fetch", "Hillerod"])
    assert result.exit_code != 0
    assert "unknown municipality 'Hillerod'; did you mean Hillerød" in result.output


@pytest.mark.parametrize(
    ("name", "system"),
    [
        ("Billund", "Meetings+ (billund.meetingsplus.dk)"),
        ("Syddjurs", "Åben Dagsorden (aabendagsorden.syddjurs.dk)"),
        ("København", "JSON:API"),
        ("Ishøj", "no portal recorded"),
    ],
)
def test_municipality_on_another_system_gets_one_line_naming_it(name: str, system: str) -> None:
    result = CliRunner().invoke(main, ["fetch", name])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and system in lines[0] and name in lines[0]


# --- the committee list ----------------------------------------------------------------


def test_hvidovre_list_keeps_one_current_document_per_meeting(hvidovre_list: object) -> None:
    listed = parse_committee_list(hvidovre_list)
    assert len(listed) == 1400
    current, superseded = current_documents(listed)
    assert len(current) + len(superseded) == 1400
    by_meeting: dict[tuple[str, str], list] = {}
    for m in listed:
        by_meeting.setdefault(m.meeting_key, []).append(m)
    for key, docs in by_meeting.items():
        kept = [m for m in current if m.meeting_key == key]
        minutes = [m for m in docs if m.is_minutes]
        if minutes:  # only the newest minutes stay
            newest = max(m.released or "" for m in minutes)
            assert len(kept) == 1 and kept[0].is_minutes and (kept[0].released or "") == newest
        else:  # an agenda and a supplementary agenda both stay
            assert len(kept) == len(docs) <= 2
    # The real list has meetings listed twice: minutes beside the supplementary agenda (41),
    # beside the agenda (1) and beside earlier minutes (1).
    kinds = sorted(m.kind for m in superseded)
    assert kinds == ["dagsorden"] + ["referat"] + ["tillaegsdagsorden"] * 41


def test_list_selects_by_date_and_committee() -> None:
    # OPDIGTET: an invented list of three documents.
    data = {
        "Udvalg": {
            "Udvalg 2022-2025": [
                {
                    "Id": "c1",
                    "Navn": "Byråd 2022-2025",
                    "Moeder": [
                        {"Id": "a", "Dato": "2023-01-10T16:00:00+01:00", "Navn": "Dagsorden"},
                        {
                            "Id": "a",
                            "Dato": "2023-01-10T16:00:00+01:00",
                            "Navn": "Referat",
                            "Afsluttet": True,
                        },
                        {"Id": "b", "Dato": "2022-12-01T16:00:00+01:00", "Navn": "Referat"},
                    ],
                },
                {
                    "Id": "c2",
                    "Navn": "Økonomiudvalget",
                    "Moeder": [
                        {
                            "Id": "c",
                            "Dato": "2023-02-01T08:00:00+01:00",
                            "Navn": "Tillægsdagsorden",
                        },
                    ],
                },
            ]
        }
    }
    listed = parse_committee_list(data)
    assert [(m.meeting_id, m.kind) for m in listed] == [
        ("b", "referat"),
        ("a", "referat"),
        ("c", "tillaegsdagsorden"),
    ]
    since = select(listed, since=date(2023, 1, 1))
    assert [m.meeting_id for m in since] == ["a", "c"]
    assert [m.meeting_id for m in select(listed, until=date(2023, 1, 10))] == ["b", "a"]
    assert [m.meeting_id for m in select(listed, committees=("byråd",))] == ["b", "a"]


@pytest.mark.parametrize(
    ("wanted", "chosen"),
    [
        (("byråd",), {"Byråd 2022-2025"}),  # whole: not the Q&A list "… til Byrådet"
        (("BYRÅD 2022-2025",), {"Byråd 2022-2025"}),
        (("økonomiudvalget",), {"Økonomiudvalget", "Økonomiudvalget 2018-2021"}),
        (("byråde",), {".Spørgsmål / Svar til Byrådet 2022-2025"}),  # part of a name
        (("teknik", "byråd"), {"Klima-, Teknik- og Miljøudvalget", "Byråd 2022-2025"}),
        (("skoleudvalg",), set()),
    ],
)
def test_committee_named_whole_or_by_a_part(wanted: tuple[str, ...], chosen: set[str]) -> None:
    from kommunegraf.graph.fetch.listing import committee_base, committee_matcher

    # OPDIGTET: committee names shaped like the portals' (one with its period, one without).
    names = [
        "Byråd 2022-2025",
        ".Spørgsmål / Svar til Byrådet 2022-2025",
        "Økonomiudvalget",
        "Økonomiudvalget 2018-2021",
        "Klima-, Teknik- og Miljøudvalget",
    ]
    assert committee_matcher(wanted, names) == chosen
    assert committee_base("Byråd 2022-2025") == "byråd"
    assert committee_base("Udvalg 20x2-2025") == "udvalg 20x2-2025"


def test_newest_minutes_by_release_time_and_dateless_documents_stay_apart() -> None:
    # OPDIGTET: two minutes of one meeting, released across the change to summer time: the
    # newer (01:50 UTC) has the smaller clock reading; and two documents without a date.
    meeting = {"Dato": "2026-03-30T17:00:00+02:00", "Afsluttet": True, "Navn": "Referat"}
    data = {
        "Udvalg": [
            {
                "Id": "c1",
                "Navn": "Byråd",
                "Moeder": [
                    {**meeting, "Id": "older", "ReleasedDate": "2026-03-29T03:10:00+02:00"},
                    {**meeting, "Id": "newer", "ReleasedDate": "2026-03-29T02:50:00+01:00"},
                    {"Id": "x", "Navn": "Dagsorden"},
                    {"Id": "y", "Navn": "Dagsorden"},
                ],
            }
        ]
    }
    current, superseded = current_documents(parse_committee_list(data))
    assert sorted(m.meeting_id for m in current) == ["newer", "x", "y"]
    assert [m.meeting_id for m in superseded] == ["older"]


def test_retry_after_in_seconds_or_as_a_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_rate_limiter_keeps_the_pace_in_virtual_time() -> None:
    clock = [0.0]
    limiter = RateLimiter(
        2.0, sleep=lambda s: clock.__setitem__(0, clock[0] + s), clock=lambda: clock[0]
    )
    for _ in range(5):
        limiter.wait()
    assert clock[0] == pytest.approx(2.0)  # 5 starts at 2/s: 0, 0.5, 1.0, 1.5, 2.0


def test_progress_shows_one_municipality_at_a_time() -> None:
    from kommunegraf.graph.fetch.run import ProgressFetchReporter

    reporter = ProgressFetchReporter()
    try:
        reporter.start("Greve", 3)
        reporter.start("Køge", 2)
        assert [(t.description, t.visible) for t in reporter.progress.tasks] == [
            ("Greve", False),
            ("Køge", True),
        ]
    finally:
        reporter.stop()


def _client(handler: object, **kw: object) -> PortalClient:
    import httpx

    transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
    return PortalClient("http://portal.invalid", transport=transport, rate=0, backoff=0, **kw)


def test_a_front_page_that_redirects_forever_is_one_failure() -> None:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/"})

    with _client(handler) as client, pytest.raises(PortalRequestError, match="TooManyRedirects"):
        client.committees()


def test_a_body_that_does_not_decompress_is_retried_then_reported() -> None:
    import httpx

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/":
            return httpx.Response(200, headers={"Set-Cookie": "s=1; Path=/"}, text="ok")
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"\x1f\x8bcut")

    with _client(handler, attempts=3) as client, pytest.raises(PortalRequestError) as caught:
        client.meeting("m1")
    assert "DecodingError" in str(caught.value) and "after 3 attempts" in str(caught.value)
    assert calls == ["/"] + ["/api/agenda/dagsorden/m1"] * 3
