"""What the derived graph is made of: items, threads, cross-municipality links, central
actors (plain data; computed in graph.analysis, written by graph.rdf.derived)."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

# A title's tail that only says the item was postponed before:
# "Pulje til revalidering - udsat fra sidste møde", "Ny skolestruktur (genoptaget)".
POSTPONED_TAIL_RE = regex.compile(
    r"\s*(?:[-–—,:]\s*|\()\s*(?:udsat|genoptag\w*|fortsat)\b[^()]*\)?\s*$", regex.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ItemNode:
    """What threading needs to know of one agenda item."""

    iri: str
    number: int | None
    meeting: str
    date: str | None
    committee: str | None
    municipality: str | None
    case: str | None
    title: str | None


@dataclass
class Thread:
    """One recurring case thread (a connected component of two or more items)."""

    iri: str
    municipality: str | None
    items: list[ItemNode]
    label: str
    postponements: list[tuple[str, str]] = field(default_factory=list)
    # (date, body) of each meeting and decision of its items, sorted (graph.analysis.paths)
    treatments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return len({item.meeting for item in self.items})

    @property
    def first(self) -> str | None:
        return min((i.date for i in self.items if i.date), default=None)

    @property
    def last(self) -> str | None:
        return max((i.date for i in self.items if i.date), default=None)

    @property
    def committees(self) -> list[str]:
        return sorted({i.committee for i in self.items if i.committee})

    @property
    def cases(self) -> list[str]:
        return sorted({i.case for i in self.items if i.case})


@dataclass
class CrossLink:
    """A law, rule, organisation or project that items of several municipalities mention."""

    iri: str
    kind: str
    label: str
    entities: list[str]
    municipalities: list[str]
    items: list[str]


@dataclass
class Centrality:
    iri: str
    kind: str  # "person" | "organisation"
    label: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class Tally:
    """One group's count: ``keys`` are (role, value) pairs, a role being one of ``committee``,
    ``year``, ``outcome`` and ``entity``."""

    iri: str
    kind: str
    municipality: str
    keys: tuple[tuple[str, str], ...]
    count: int
    first: str | None = None
    last: str | None = None
    partners: tuple[str, ...] = ()  # organisations named beside a project (dated-mentions)


@dataclass
class Derived:
    """Everything a computation wrote to the derived graph."""

    threads: list[Thread]
    links: list[CrossLink]
    central: list[Centrality]
    tallies: list[Tally] = field(default_factory=list)  # counts kept at ingest
    triples: int = 0
    graph: str = ""  # the derived graph's IRI: what the two counts are stated of
    documents: int | None = None  # the documents links and centrality were computed over
    threads_documents: int | None = None  # the documents the threads are up to date with


def title_key(title: str | None) -> str | None:
    """A title for matching a postponed item to its next treatment (tail and case folded)."""
    if not title:
        return None
    core = POSTPONED_TAIL_RE.sub("", title)
    return " ".join(core.casefold().split()) or None


def sort_key(item: ItemNode) -> tuple[str, str, int]:
    """Items in date order (undated last), then by committee and number."""
    return (item.date or "9999-99-99", item.committee or "", item.number or 0)
