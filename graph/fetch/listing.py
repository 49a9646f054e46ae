"""The portal's committee list → the meetings to fetch, and which document of each is current.

``GET /api/agenda/udvalgsliste`` lists every committee with its meetings under the election
periods (``{"Udvalg": {"Udvalg 2022-2025": [{"Id", "Navn", "Moeder": [...]}]}}``).  Each
entry of ``Moeder`` is one published document: its agenda (``Navn`` "Dagsorden"), a
supplementary agenda ("Tillægsdagsorden") or its minutes ("Referat", "Lukket referat" …).
Portals do it two ways: some keep one ``Id`` and change the entry as the meeting goes from
agenda to minutes; others list the minutes beside the agenda under a new ``Id``, for the same
committee and time.  Either way a meeting should end up in the cache once, as its newest
document: the minutes when there are any (they hold every item, the supplementary ones too),
else the agenda and any supplementary agenda.  The other documents are "superseded" and are
removed from the cache, so that the store never holds an agenda beside its minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kommunegraf.errors import KommunegrafError

# The list entry's fields that change as a meeting's documents are published; a change in
# any of them means the cached document is out of date.
STATE_KEYS = ("Navn", "Afsluttet", "ReleasedDate", "IsSupplementaryAgenda")


@dataclass(frozen=True)
class ListedMeeting:
    """One document of the committee list (a meeting's agenda, supplementary agenda or minutes)."""

    meeting_id: str
    committee: str  # "Byråd 2022-2025", "Økonomiudvalget"
    committee_id: str
    period: str  # the list's heading: "Udvalg 2022-2025"
    dato: str  # "2023-01-10T16:00:00+01:00" as listed
    navn: str  # "Referat", "Dagsorden", "Tillægsdagsorden", …
    afsluttet: bool
    released: str | None
    supplementary_flag: bool

    @property
    def day(self) -> date | None:
        try:
            return date.fromisoformat(self.dato[:10])
        except ValueError:
            return None

    @property
    def is_minutes(self) -> bool:
        """Minutes: the meeting is over, or the document says it is a "referat"."""
        return self.afsluttet or "referat" in self.navn.casefold()

    @property
    def is_supplementary(self) -> bool:
        # Portals leave IsSupplementaryAgenda false on their "Tillægsdagsorden" entries.
        return self.supplementary_flag or "tillæg" in self.navn.casefold()

    @property
    def kind(self) -> str:
        """ "referat", "tillaegsdagsorden" or "dagsorden": what the cached file is."""
        if self.is_minutes:
            return "referat"
        return "tillaegsdagsorden" if self.is_supplementary else "dagsorden"

    @property
    def meeting_key(self) -> tuple[str, str]:
        """The meeting this document belongs to: its committee and its time (a document
        without a time is a meeting of its own, never grouped with another)."""
        if not self.dato:
            return ("", self.meeting_id)
        return (self.committee_id or self.committee.casefold(), self.dato)

    @property
    def released_at(self) -> datetime | None:
        """``ReleasedDate`` as an aware time (offsets differ around summer time)."""
        try:
            when = datetime.fromisoformat(self.released or "")
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)

    def state(self) -> dict[str, object]:
        """The list entry's fields that the sidecar keeps, to see later whether it changed."""
        return {
            "Navn": self.navn,
            "Afsluttet": self.afsluttet,
            "ReleasedDate": self.released,
            "IsSupplementaryAgenda": self.supplementary_flag,
        }

    def label(self) -> str:
        """How a message names the meeting: "2023-01-10 Byråd 2022-2025, Referat (5034dee3)"."""
        return f"{self.dato[:10]} {self.committee}, {self.navn or '?'} ({self.meeting_id[:8]})"


class ListError(KommunegrafError, ValueError):
    """A committee list that is not the shape the portals send."""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _committees(data: object) -> Iterator[tuple[str, dict]]:
    """(period heading, committee) pairs of the list; a list without periods is accepted."""
    if not isinstance(data, dict) or "Udvalg" not in data:
        raise ListError('no "Udvalg" in the committee list')
    groups = data["Udvalg"]
    if isinstance(groups, list):
        groups = {"": groups}
    if not isinstance(groups, dict):
        raise ListError('"Udvalg" is neither an object nor a list')
    for period, committees in groups.items():
        for committee in committees if isinstance(committees, list) else []:
            if isinstance(committee, dict):
                yield str(period), committee


_NEVER = datetime.min.replace(tzinfo=UTC)


def _rank(m: ListedMeeting) -> tuple[bool, datetime, str]:
    """Newer documents rank higher: minutes over agendas, then the later release (the id
    last, so that the choice never depends on the list's order)."""
    return (m.is_minutes, m.released_at or _NEVER, m.meeting_id)


def parse_committee_list(data: object) -> list[ListedMeeting]:
    """Every document of the list once (an ``Id`` listed twice keeps its newest entry)."""
    by_id: dict[str, ListedMeeting] = {}
    for period, committee in _committees(data):
        for entry in committee.get("Moeder") or []:
            if not isinstance(entry, dict) or not _text(entry.get("Id")):
                continue
            listed = ListedMeeting(
                meeting_id=_text(entry["Id"]),
                committee=_text(committee.get("Navn")),
                committee_id=_text(committee.get("Id")),
                period=period,
                dato=_text(entry.get("Dato")) or _text(entry.get("MeetingBeginUtc")),
                navn=_text(entry.get("Navn")),
                afsluttet=entry.get("Afsluttet") is True,
                released=_text(entry.get("ReleasedDate")) or None,
                supplementary_flag=entry.get("IsSupplementaryAgenda") is True,
            )
            known = by_id.get(listed.meeting_id)
            if known is None or _rank(listed) > _rank(known):
                by_id[listed.meeting_id] = listed
    return sorted(by_id.values(), key=lambda m: (m.dato, m.committee, m.meeting_id))


def committee_base(name: str) -> str:
    """A committee's name without a trailing election period, case folded:
    "Byråd 2022-2025" → "byråd"; "Økonomiudvalget" → "økonomiudvalget"."""
    head, _, tail = name.strip().rpartition(" ")
    is_period = len(tail) == 9 and tail[4] == "-" and tail[:4].isdigit() and tail[5:].isdigit()
    return (head if head and is_period else name.strip()).casefold()


def committee_matcher(wanted: tuple[str, ...], names: Iterable[str]) -> set[str]:
    """The committees of ``names`` that ``--committee`` values name.  A value naming a
    committee whole (case and period aside: "byråd" → "Byråd 2022-2025") takes just those;
    otherwise it takes every committee containing it ("teknik" → "Klima-, Teknik- og …").
    So "Byråd" does not also take "Spørgsmål / Svar til Byrådet"."""
    names = set(names)
    chosen: set[str] = set()
    for value in wanted:
        want = value.strip().casefold()
        if not want:
            continue
        whole = {n for n in names if committee_base(n) == want}
        chosen |= whole or {n for n in names if want in n.casefold()}
    return chosen


def select(
    meetings: Iterable[ListedMeeting],
    *,
    since: date | None = None,
    until: date | None = None,
    committees: tuple[str, ...] = (),
) -> list[ListedMeeting]:
    """The documents of meetings held from ``since`` to ``until`` (inclusive) in the committees."""
    meetings = list(meetings)
    named = committee_matcher(committees, (m.committee for m in meetings))
    chosen = []
    for m in meetings:
        day = m.day
        if (since or until) and day is None:
            continue
        if since and day and day < since:
            continue
        if until and day and day > until:
            continue
        if committees and m.committee not in named:
            continue
        chosen.append(m)
    return chosen


def current_documents(
    meetings: Iterable[ListedMeeting],
) -> tuple[list[ListedMeeting], list[ListedMeeting]]:
    """(current, superseded): per meeting its newest minutes, else its newest agenda and
    newest supplementary agenda; everything else listed for that meeting is superseded."""
    groups: dict[tuple[str, str], list[ListedMeeting]] = {}
    for m in meetings:
        groups.setdefault(m.meeting_key, []).append(m)
    current: list[ListedMeeting] = []
    superseded: list[ListedMeeting] = []
    for docs in groups.values():
        minutes = [m for m in docs if m.is_minutes]
        if minutes:
            keep = [max(minutes, key=_rank)]
        else:
            keep = [
                max(kind, key=_rank)
                for kind in (
                    [m for m in docs if not m.is_supplementary],
                    [m for m in docs if m.is_supplementary],
                )
                if kind
            ]
        current.extend(keep)
        superseded.extend(m for m in docs if m not in keep)
    key = lambda m: (m.dato, m.committee, m.meeting_id)  # noqa: E731
    return sorted(current, key=key), sorted(superseded, key=key)
