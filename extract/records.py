"""The extraction record (spec/records.md) as typed dataclasses, with JSON round-tripping.

The record is the contract between the extractors and everything after them, so the JSON
keys here are exactly those of records.md.  A few additive keys carry what the graph needs
and a user of ``extract`` finds useful: an item's ``span`` (character offsets in the
normalised source text), its ``sections`` and ``organization_keys`` (the resolved identity
of each organisation name printed in the item).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kommunegraf.extract.next_steps import NextStep, next_step_of, status_of

OUTCOMES = (
    "approved",
    "recommended",
    "noted",
    "discussed",
    "postponed",
    "rejected",
    "decided",
    "other",
)
ITEM_KINDS = ("decision", "orientation", "discussion")
LAW_KINDS = ("act", "executive_order", "guidance", "rule", "ruling")


@dataclass
class Source:
    path: str
    sha256: str
    format: str = "text"  # text | pdf | html
    layout: str = "generic"


@dataclass
class Municipality:
    name: str | None = None
    code: str | None = None


@dataclass
class Meeting:
    committee: str | None = None
    period: str | None = None
    date: str | None = None
    start_time: str | None = None
    location: str | None = None
    kind: str | None = None  # referat | dagsorden
    # A supplementary agenda (tillægsdagsorden): items added to a meeting's agenda.
    supplementary: bool = False


@dataclass
class Votes:
    for_: int | None = None
    against: int | None = None
    abstain: int | None = None
    for_names: list[str] = field(default_factory=list)
    against_names: list[str] = field(default_factory=list)
    abstain_names: list[str] = field(default_factory=list)
    # Parties that vote as a bloc, by letter or local list code as printed ("V", "UP"):
    # "For stemte (V), (D) og Liselott Blixt (UP)" → for_parties ["V", "D"]
    for_parties: list[str] = field(default_factory=list)
    against_parties: list[str] = field(default_factory=list)
    abstain_parties: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["for"] = data.pop("for_")
        return {"for": data["for"], **{k: v for k, v in data.items() if k != "for"}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Votes:
        return cls(
            for_=data.get("for"),
            against=data.get("against"),
            abstain=data.get("abstain"),
            for_names=list(data.get("for_names") or []),
            against_names=list(data.get("against_names") or []),
            abstain_names=list(data.get("abstain_names") or []),
            for_parties=list(data.get("for_parties") or []),
            against_parties=list(data.get("against_parties") or []),
            abstain_parties=list(data.get("abstain_parties") or []),
        )


@dataclass
class Decision:
    body: str | None
    date: str | None
    outcome: str = "other"
    text: str = ""
    absent: list[str] = field(default_factory=list)
    votes: Votes | None = None
    # Read from the wording when the record is made (extract.next_steps): the finer effect,
    # where a case sent back goes, and the next step.  None on a decision built by hand.
    status: str | None = None
    sent_back_to: str | None = None
    next_step: NextStep | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "date": self.date,
            "outcome": self.outcome,
            "text": self.text,
            "absent": list(self.absent),
            "votes": self.votes.to_json() if self.votes else None,
            "status": self.status,
            "sent_back_to": self.sent_back_to,
            "next_step": self.next_step.to_json() if self.next_step else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        """A decision from its JSON; one without ``status`` (written by hand, or before the
        key existed) has its status and next step read from its text now."""
        votes = data.get("votes")
        decision = cls(
            body=data.get("body"),
            date=data.get("date"),
            outcome=data.get("outcome") or "other",
            text=data.get("text") or "",
            absent=list(data.get("absent") or []),
            votes=Votes.from_json(votes) if votes else None,
        )
        if "status" in data:
            step = data.get("next_step")
            decision.status = data["status"]
            decision.sent_back_to = data.get("sent_back_to")
            decision.next_step = NextStep.from_json(step) if step else None
            return decision
        return read_steps(decision)


def read_steps(decision: Decision) -> Decision:
    """``decision`` with its status, sent_back_to and next step read from its wording."""
    decision.status, decision.sent_back_to = status_of(decision.outcome, decision.text)
    decision.next_step = next_step_of(decision.outcome, decision.text, decision.date)
    return decision


@dataclass
class Person:
    name: str
    party: str | None = None
    role: str | None = None
    key: str | None = None


@dataclass
class Law:
    kind: str
    act: str | None
    provision: str | None
    text: str
    canonical: str | None = None


def _law(data: dict[str, Any]) -> Law:
    """A cited law from its JSON; one without a canonical identifier (a record written by
    hand) is resolved now with the project's law table, as extraction resolves it, so that
    the graph links the same law."""
    law = Law(
        data.get("kind") or "act",
        data.get("act"),
        data.get("provision"),
        data.get("text") or "",
        data.get("canonical"),
    )
    if not law.canonical:
        from kommunegraf.extract.entities.lawbook import canonical_law

        law.canonical = canonical_law(law.act, law.provision, law.kind)
    return law


@dataclass
class Project:
    name: str
    key: str | None = None


@dataclass
class Reference:
    body: str | None
    date: str | None
    item_number: int | None


@dataclass
class Section:
    heading: str
    text: str


@dataclass
class Item:
    number: int
    title: str
    kind: str | None = None
    case_number: str | None = None
    document_number: str | None = None
    open: bool = True
    decisions: list[Decision] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    laws: list[Law] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    # Additive keys (not in the gold files): provenance and structure.
    span: tuple[int, int] | None = None
    sections: list[Section] = field(default_factory=list)
    organization_keys: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "kind": self.kind,
            "case_number": self.case_number,
            "document_number": self.document_number,
            "open": self.open,
            "decisions": [d.to_json() for d in self.decisions],
            "people": [asdict(p) for p in self.people],
            "organizations": list(self.organizations),
            "laws": [asdict(law) for law in self.laws],
            "projects": [asdict(p) for p in self.projects],
            "references": [asdict(r) for r in self.references],
            "attachments": list(self.attachments),
            "span": list(self.span) if self.span else None,
            "sections": [asdict(s) for s in self.sections],
            "organization_keys": dict(self.organization_keys),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        span = data.get("span")
        return cls(
            number=int(data["number"]),
            title=data.get("title") or "",
            kind=data.get("kind"),
            case_number=data.get("case_number"),
            document_number=data.get("document_number"),
            open=bool(data.get("open", True)),
            decisions=[Decision.from_json(d) for d in data.get("decisions") or []],
            people=[
                Person(p["name"], p.get("party"), p.get("role"), p.get("key"))
                for p in data.get("people") or []
            ],
            organizations=list(data.get("organizations") or []),
            laws=[_law(x) for x in data.get("laws") or []],
            projects=[Project(p["name"], p.get("key")) for p in data.get("projects") or []],
            references=[
                Reference(r.get("body"), r.get("date"), r.get("item_number"))
                for r in data.get("references") or []
            ],
            attachments=list(data.get("attachments") or []),
            span=(int(span[0]), int(span[1])) if span else None,
            sections=[Section(s["heading"], s.get("text", "")) for s in data.get("sections") or []],
            organization_keys=dict(data.get("organization_keys") or {}),
        )


@dataclass
class Record:
    source: Source
    municipality: Municipality = field(default_factory=Municipality)
    meeting: Meeting = field(default_factory=Meeting)
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": asdict(self.source),
            "municipality": asdict(self.municipality),
            "meeting": asdict(self.meeting),
            "items": [item.to_json() for item in self.items],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        src = data["source"]
        return cls(
            source=Source(
                path=src.get("path", ""),
                sha256=src.get("sha256", ""),
                format=src.get("format", "text"),
                layout=src.get("layout", "generic"),
            ),
            municipality=Municipality(**(data.get("municipality") or {})),
            meeting=Meeting(
                **{
                    k: v
                    for k, v in (data.get("meeting") or {}).items()
                    if k in Meeting.__annotations__
                }
            ),
            items=[Item.from_json(i) for i in data.get("items") or []],
        )
