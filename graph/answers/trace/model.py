"""What a trace is made of: the dataclasses its builder fills and its renderers read, and
the errors a trace raises (their messages are for the user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kommunegraf.errors import KommunegrafError
from kommunegraf.queries.municipality import UnknownMunicipality

__all__ = [
    "CaseChoice",
    "CaseHit",
    "CaseNotFound",
    "CaseTrace",
    "ItemRef",
    "Link",
    "Step",
    "ThreadInfo",
    "TraceError",
    "TraceResult",
    "Treatment",
    "UnknownMunicipality",
]


@dataclass
class ItemRef:
    """An agenda item, in the store or only known from a reference to it (or neither: an
    earlier treatment whose item number the minutes do not give has no IRI)."""

    iri: str | None
    ingested: bool
    date: str | None = None
    committee: str | None = None
    number: int | None = None
    title: str | None = None
    case: str | None = None


@dataclass
class Step:
    """Where the case goes after a decision: kg:nextStep as extraction read it."""

    kind: str  # next_meeting | returns | to_council | council_on_demand | recommended_unnamed
    bodies: list[str] = field(default_factory=list)
    date: str | None = None


@dataclass
class Treatment:
    """One decision on the case: a body, a date, an outcome and its wording."""

    date: str | None
    municipality: str
    committee: str | None
    outcome: str | None
    text: str
    item: ItemRef
    recorded_in: ItemRef | None = None
    absent: list[str] = field(default_factory=list)
    votes: dict[str, Any] | None = None
    effect: str | None = None  # what it did, in words (graph.answers.effects): "sent back to …"
    # As extraction read them (extract/next_steps.py); status None on a decided treatment:
    # a store ingested before they were read.  Not in the JSON (effect, status say them).
    status: str | None = field(default=None, repr=False)
    sent_back_to: str | None = field(default=None, repr=False)
    next_step: Step | None = field(default=None, repr=False)
    body_iri: str | None = field(default=None, repr=False)
    decision_iri: str | None = field(default=None, repr=False)


@dataclass
class Link:
    relation: str  # refers_to | referred_by | thread
    item: ItemRef


@dataclass
class ThreadInfo:
    iri: str
    items: int
    meetings: int
    first: str | None
    last: str | None


@dataclass
class CaseTrace:
    case: str
    case_key: str
    iri: str
    municipality: str
    municipality_iri: str
    treatments: list[Treatment]
    links: list[Link]
    thread: ThreadInfo | None
    status: str
    next_step: str | None


@dataclass
class CaseChoice:
    """A case matching a prefix or KLE subject, for the user to pick."""

    case: str
    case_key: str
    municipality: str
    items: int
    last: str | None
    title: str | None


@dataclass
class TraceResult:
    query: str
    matched: str  # exact | prefix
    cases: list[CaseTrace] = field(default_factory=list)
    choices: list[CaseChoice] = field(default_factory=list)


class TraceError(KommunegrafError):
    """A trace that cannot be answered; the message is for the user.  (An unknown
    municipality is the lookup's :class:`UnknownMunicipality`, also a KommunegrafError.)"""


class CaseNotFound(TraceError):
    def __init__(self, query: str, near: list[tuple[str, str]], municipality: str | None):
        self.query, self.near, self.municipality = query, near, municipality
        where = f" in {municipality}" if municipality else ""
        message = f"no case {query!r}{where} in the store"
        if near:
            message += "; near matches: " + ", ".join(f"{k} ({m})" for k, m in near)
        super().__init__(message)


@dataclass(frozen=True)
class CaseHit:
    iri: str
    identifier: str
    key: str
    municipality_iri: str
    municipality: str


def opt_str(value: Any) -> str | None:
    """A SPARQL value as text, or None for an unbound one."""
    return None if value is None else str(value)


def opt_int(value: Any) -> int | None:
    """An integer SPARQL value, or None (a boolean is not a number here)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
