"""One meeting, once: which of several documents of the same meeting the store shows.

Every document of a meeting mints the same meeting, item and decision IRIs (graph.rdf.iris names
them after the municipality, committee and date), so an agenda and its minutes, a file and
an edited copy under another name, or the same minutes as ``.txt`` and ``.pdf``, all state
the same items.  Merged, they give two titles, two decision texts and two character spans on
one item: ``trace`` showed one of them at random and SHACL's ``maxCount 1`` failed.

The rule (README, "One meeting, once"): of the documents of one meeting (the same meeting
IRI — municipality, committee and date), the store shows one:

1. minutes (``referat``) before a document of unknown kind, before an agenda
   (``dagsorden``, ``tillægsdagsorden``): the minutes supersede the agenda;
2. of two of the same kind, the newer: the FirstAgenda sidecar's ``ReleasedDate`` (else its
   ``fetched_at``), else the file's modification time (an edited copy is younger than its
   original; a re-ingest of an unchanged file keeps its time, so ingesting twice gives the
   same store whatever the order);
3. a full tie (same kind, same time) goes to the larger graph IRI: arbitrary, but the same
   on every run.

The others are kept as earlier versions: each is moved whole to ``graph/earlier/<sha16>``
(marked complete, with its log entries and ``kg:supersededBy`` the shown document) in the
same transaction that marks the batch complete, so a kill leaves either the old or the new
state.  An earlier version is in no graph a query reads (the embedded store keeps it in its
bookkeeping store; a SPARQL server's merged default graph leaves it out), not one of
``Store.documents()`` (so ``validate``, ``trace`` and the queries never see it), and not
exported; re-ingesting it leaves it where it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kommunegraf.ontology.terms import KG_NS as KG

OF_MEETING = f"<{KG}ofMeeting>"  # log: <document> kg:ofMeeting <meeting>
VERSION_KEY = f"<{KG}versionKey>"  # log: <document> kg:versionKey "2|2023-03-06T…"
SUPERSEDED_BY = f"<{KG}supersededBy>"  # log: <earlier graph> kg:supersededBy <document>
EARLIER_OF = f"<{KG}earlierVersionOf>"  # log: <earlier graph> kg:earlierVersionOf <document>
EARLIER_PATH = "graph/earlier/"

# Minutes first, then a document whose kind the extractor could not tell, then agendas.
KIND_RANK = {"referat": 2, "dagsorden": 0, "tillægsdagsorden": 0, "tillaegsdagsorden": 0}
UNKNOWN_KIND_RANK = 1
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_TIMES = ("ReleasedDate", "released_at", "fetched_at")  # first present wins


@dataclass(frozen=True)
class Overlap:
    """Two documents of one meeting: ``earlier`` is kept aside, ``shown`` is in the graph."""

    meeting: str
    shown: str
    shown_names: tuple[str, ...]
    earlier: str
    earlier_names: tuple[str, ...]

    def line(self) -> str:
        """One line for the ingest's warnings, by file name."""
        shown = ", ".join(self.shown_names) or self.shown
        earlier = ", ".join(self.earlier_names) or self.earlier
        meeting = self.meeting.rsplit("/udvalg/", 1)[-1]
        return (
            f"{earlier}: the same meeting ({meeting}) as {shown}; "
            f"{shown} is shown, {earlier} is kept as an earlier version"
        )


def kind_rank(kind: str | None) -> int:
    """Minutes 2, unknown 1, agendas 0 (see the module docstring)."""
    if not kind:
        return UNKNOWN_KIND_RANK
    return KIND_RANK.get(kind.strip().casefold(), UNKNOWN_KIND_RANK)


def _utc(text: str) -> str | None:
    """An ISO-8601 time as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (naive times taken as UTC)."""
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sidecar_of(path: str | os.PathLike[str]) -> Path:
    """``<meeting-id>.json`` → ``<meeting-id>.meta.json`` (the fetch's sidecar)."""
    p = Path(path)
    return p.with_name(p.name[: -len(p.suffix)] + SIDECAR_SUFFIX if p.suffix else p.name)


def stamp_of(path: str | os.PathLike[str]) -> str:
    """When this version of the document appeared: the sidecar's release or fetch time, else
    the file's modification time (UTC, second precision); "" when neither can be read."""
    sidecar = sidecar_of(path)
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if isinstance(meta, dict):
        for key in SIDECAR_TIMES:
            value = meta.get(key)
            if isinstance(value, str) and (when := _utc(value)):
                return when
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def version_key(kind: str | None, stamp: str) -> str:
    """A string that sorts the documents of one meeting: the largest is shown."""
    return f"{kind_rank(kind)}|{stamp}"


def meeting_of(record: object, base: str) -> str:
    """The meeting IRI graph.rdf.mapping mints for ``record`` (the key documents overlap on)."""
    # imported here: only a writer mints, and the minter brings the extractors' patterns,
    # which every reader of the store (`trace` in 0.1 s) would otherwise load for nothing
    from kommunegraf.graph.rdf.iris import IriMinter

    minter = IriMinter(base)
    source = record.source  # type: ignore[attr-defined]
    mun = record.municipality  # type: ignore[attr-defined]
    meeting = record.meeting  # type: ignore[attr-defined]
    municipality = minter.municipality(mun.name, mun.code)
    committee = minter.committee(municipality, meeting.committee)
    return minter.meeting(committee, meeting.date, minter.source(source.sha256, source.path))


def winner(versions: dict[str, str]) -> str:
    """The graph to show among ``{graph: version key}``: the largest key, then graph IRI."""
    return max(versions, key=lambda g: (versions[g], g))


def set_aside(
    candidates: dict[str, dict[str, str]],
    names: Callable[[str], tuple[str, ...]],
    overlaps: list[Overlap] | None,
) -> list[tuple[str, str]]:
    """For each meeting's ``{graph: version key}`` (its documents stored and loading), the
    graphs to move aside, each with the one shown instead: ``(loser, shown)`` pairs, in a
    fixed order.  Each is reported in ``overlaps`` (with the file ``names`` of both), so that
    the two backends decide and report alike and differ only in how they read and write."""
    pairs: list[tuple[str, str]] = []
    for meeting, versions in sorted(candidates.items()):
        if len(versions) < 2:
            continue
        shown = winner(versions)
        for loser in sorted(set(versions) - {shown}):
            if overlaps is not None:
                overlaps.append(Overlap(meeting, shown, names(shown), loser, names(loser)))
            pairs.append((loser, shown))
    return pairs


def earlier_graph(base: str, document_graph: str) -> str:
    """Where an earlier version of a document is kept: ``graph/earlier/<sha16>``."""
    return base + EARLIER_PATH + document_graph.rsplit("/", 1)[-1]


def not_earlier(variable: str, base: str) -> str:
    """A SPARQL filter expression: ``variable`` is no earlier version's graph."""
    return f'!STRSTARTS(STR({variable}), "{base}{EARLIER_PATH}")'


def aside_log_ops(loser: str, earlier: str, shown: str, log: str) -> list[str]:
    """SPARQL Update operations on the log (all terms written ``<iri>``) moving document
    ``loser``'s entries (its completion marker with them) to its earlier version's graph
    ``earlier``, replacing any such entries from before, and saying which document is shown
    instead; the copy of its quads and the drop of its graph are the backend's
    (graph.store.updates.Aside), so that the earlier version is complete wherever the old
    graph was."""
    return [
        f"DELETE WHERE {{ GRAPH {log} {{ {earlier} ?p ?o }} }}",
        f"DELETE {{ GRAPH {log} {{ {loser} ?p ?o }} }} "
        f"INSERT {{ GRAPH {log} {{ {earlier} ?p ?o }} }} "
        f"WHERE {{ GRAPH {log} {{ {loser} ?p ?o }} }}",
        f"INSERT DATA {{ GRAPH {log} {{ {earlier} {SUPERSEDED_BY} {shown} . "
        f"{earlier} {EARLIER_OF} {loser} }} }}",
    ]
