"""Which portal publishes a municipality's minutes: the project's portal table, and lookups.

88 of the 98 municipalities publish on FirstAgenda Publication portals, which `fetch` reads;
the others use other systems (Meetings+, Åben Dagsorden, a municipality's own CMS …).  A
user names a municipality loosely ("greve", "Greve Kommune", "253"); a name that matches
nothing gets the nearest names, and one on another system gets a message naming it, rather
than a failed download from a host that does not speak the FirstAgenda API.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

from kommunegraf.errors import KommunegrafError
from kommunegraf.extract import municipalities
from kommunegraf.graph.rdf.iris import municipality_slug

FIRSTAGENDA = "firstagenda"
UNKNOWN = "unknown"

# What each system type of the table is, for the one-line message about it.
SYSTEM_NAMES = {
    FIRSTAGENDA: "FirstAgenda Publication",
    "meetingsplus": "Meetings+",
    "aabendagsorden": "Åben Dagsorden",
    "kk_jsonapi": "Københavns Kommune's own JSON:API",
    "frederikssund": "the municipality's own website (frederikssund.dk)",
    "hedensted": "an SBSYS agenda module on the municipality's website",
    "rksk": "eDoc agendas on the municipality's website (rksk.dk)",
    "aalborg": "Aalborg Kommune's own agenda system",
    UNKNOWN: "no portal recorded in the portal table",
}


@dataclass(frozen=True)
class Portal:
    """One row of ontology/reference/portals.tsv."""

    kommunekode: str
    municipality: str  # the official short name: "Greve", "Ringkøbing-Skjern"
    system: str  # "firstagenda", "meetingsplus", …, "unknown"
    host: str  # "dagsordener.greve.dk" ("" when the table has none)

    @property
    def is_firstagenda(self) -> bool:
        return self.system == FIRSTAGENDA and bool(self.host)

    @property
    def slug(self) -> str:
        """The cache folder's name, the same slug the graph's IRIs use ("koege")."""
        return municipality_slug(self.municipality, self.kommunekode)

    @property
    def system_name(self) -> str:
        return SYSTEM_NAMES.get(self.system, self.system)


class PortalError(KommunegrafError, LookupError):
    """A municipality that `fetch` cannot download from; the message is one line."""


@cache
def table() -> tuple[Portal, ...]:
    """Every municipality's portal, in kommunekode order."""
    text = (
        resources.files("kommunegraf.ontology")
        .joinpath("reference/portals.tsv")
        .read_text(encoding="utf-8")
    )
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return tuple(Portal(*(cell.strip() for cell in row)) for row in rows)


def firstagenda_portals() -> list[Portal]:
    """The municipalities on FirstAgenda (`fetch --all`), in kommunekode order."""
    return [p for p in table() if p.is_firstagenda]


def near_matches(name: str, limit: int = 3) -> list[str]:
    """The municipality names closest to a misspelt one ("Grve" → Greve, …)."""
    names = [p.municipality for p in table()]
    found = process.extract(
        name.strip(), names, scorer=fuzz.WRatio, processor=str.casefold, limit=limit
    )
    return [match for match, score, _ in found if score >= 60]


def find(name: str) -> Portal:
    """The portal row of a municipality named by a user (a name, "X Kommune" or a code).

    Raises PortalError for a name that is no municipality (naming the near matches).
    """
    entry = municipalities.lookup(name)
    if entry is None:
        near = near_matches(name)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise PortalError(f"unknown municipality {name!r}{hint}")
    by_code = {p.kommunekode: p for p in table()}
    return by_code.get(entry.code, Portal(entry.code, entry.short, UNKNOWN, ""))


def firstagenda_portal(name: str) -> Portal:
    """Like find(), and also a PortalError for a municipality on another system."""
    portal = find(name)
    if portal.is_firstagenda:
        return portal
    where = f" ({portal.host})" if portal.host else ""
    if portal.system == UNKNOWN:
        raise PortalError(
            f"{portal.municipality}: no portal recorded in the portal table; "
            "give its FirstAgenda host with --portal if it has one"
        )
    raise PortalError(
        f"{portal.municipality} publishes on {portal.system_name}{where}, not FirstAgenda: "
        "fetch cannot read it"
    )
