"""Building a case's trace: its items, decisions, votes, people, links and thread, each from
one small indexed query (queries/answers/*.rq), joined here into a timeline oldest first."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kommunegraf.extract.text.bodies import body_key
from kommunegraf.graph.answers.effects import effect
from kommunegraf.graph.answers.trace.find import find_exact, find_near, find_prefix
from kommunegraf.graph.answers.trace.model import (
    CaseHit,
    CaseNotFound,
    CaseTrace,
    ItemRef,
    Link,
    Step,
    ThreadInfo,
    TraceResult,
    Treatment,
    opt_int,
    opt_str,
)
from kommunegraf.graph.answers.trace.status import read_status, timeline_key
from kommunegraf.graph.rdf.casenumbers import is_complete_kle
from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import KG_NS
from kommunegraf.queries.municipality import resolve_municipality
from kommunegraf.queries.sparql import sparql

# An item IRI as graph.rdf.iris mints it: ".../udvalg/<slug>/moede/2018-03-05/punkt/21".
ITEM_IRI_RE = re.compile(
    r"^(?P<committee>.+/udvalg/[^/]+)/moede/(?P<date>\d{4}-\d{2}-\d{2})/punkt/(?P<number>\d+)$"
)


def _unseen_item(iri: str) -> ItemRef:
    """A referenced item whose minutes are not in the store: what its IRI tells."""
    match = ITEM_IRI_RE.match(iri)
    if not match:
        return ItemRef(iri=iri, ingested=False)
    return ItemRef(
        iri=iri,
        ingested=False,
        date=match["date"],
        committee=match["committee"],  # an IRI here; labelled afterwards where known
        number=int(match["number"]),
    )


def _ingested_item(iri: str, row: dict[str, Any], case: str | None) -> ItemRef:
    """An item the store holds, from a row of the ``item`` or ``items`` query."""
    return ItemRef(
        iri=iri,
        ingested=True,
        date=opt_str(row["date"]),
        committee=opt_str(row["committee"]),
        number=opt_int(row["number"]),
        title=opt_str(row["title"]),
        case=case,
    )


class _CaseBuilder:
    """Gathers one case's trace with a handful of indexed queries, joined here."""

    def __init__(self, store: Store, hit: CaseHit) -> None:
        self.store = store
        self.hit = hit
        self.bind = {"case": IRI(hit.iri)}
        self._labels: dict[str, str | None] = {}
        self._identifiers: dict[str, str | None] = {}

    def build(self) -> CaseTrace:
        items, hosts = self._items()
        refs = self._refs()
        treatments = self._treatments(items, hosts, refs)
        links = self._links(items, treatments, refs)
        thread, thread_links = self._thread()
        linked = set(items) | {link.item.iri for link in links}
        links += [link for link in thread_links if link.item.iri not in linked]
        for ref in [t.item for t in treatments] + [link.item for link in links]:
            if ref.committee and ref.committee.startswith(("http://", "https://")):
                ref.committee = self.label(ref.committee) or ref.committee.rsplit("/", 1)[-1]
        status, next_step = read_status(treatments)
        return CaseTrace(
            case=self.hit.identifier,
            case_key=self.hit.key,
            iri=self.hit.iri,
            municipality=self.hit.municipality,
            municipality_iri=self.hit.municipality_iri,
            treatments=treatments,
            links=links,
            thread=thread,
            status=status,
            next_step=next_step,
        )

    # --- lookups, cached per trace ---------------------------------------------------
    def _query(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        return list(self.store.query(sparql, bindings))  # type: ignore[arg-type]

    def label(self, iri: str) -> str | None:
        if iri not in self._labels:
            rows = self._query(sparql("label"), x=IRI(iri))
            self._labels[iri] = min((str(r["label"]) for r in rows), default=None)
        return self._labels[iri]

    def identifier(self, iri: str) -> str | None:
        if iri not in self._identifiers:
            rows = self._query(sparql("identifier"), x=IRI(iri))
            self._identifiers[iri] = min((str(r["identifier"]) for r in rows), default=None)
        return self._identifiers[iri]

    def item(self, iri: str) -> ItemRef:
        """Any item by IRI: from the store, or as a reference to minutes not yet ingested."""
        rows = self._query(sparql("item"), item=IRI(iri))
        if not rows:
            return _unseen_item(iri)
        row = rows[0]
        case = opt_str(row["itemCase"])
        return _ingested_item(iri, row, self.identifier(case) if case else None)

    # --- the parts of a trace --------------------------------------------------------
    def _items(self) -> tuple[dict[str, ItemRef], dict[str, tuple[str | None, str | None]]]:
        """The case's items, and each one's meeting as (committee IRI, date)."""
        items: dict[str, ItemRef] = {}
        hosts: dict[str, tuple[str | None, str | None]] = {}
        for row in self._query(sparql("items"), **self.bind):
            iri = str(row["item"])
            if iri in items:
                continue
            items[iri] = _ingested_item(iri, row, self.hit.identifier)
            hosts[iri] = (opt_str(row["committee"]), opt_str(row["date"]))
        return items, hosts

    def _refs(self) -> dict[str, list[str]]:
        """Each item of the case → the items it refers to."""
        refs: dict[str, list[str]] = {}
        for row in self._query(sparql("refers-to"), **self.bind):
            refs.setdefault(str(row["item"]), []).append(str(row["other"]))
        for targets in refs.values():
            targets.sort()
        return refs

    def _treatments(
        self,
        items: dict[str, ItemRef],
        hosts: dict[str, tuple[str | None, str | None]],
        refs: dict[str, list[str]],
    ) -> list[Treatment]:
        decisions: dict[str, Treatment] = {}
        vote_of: dict[str, str] = {}  # vote IRI → decision IRI
        for row in self._query(sparql("decisions"), **self.bind):
            iri, host = str(row["decision"]), items.get(str(row["item"]))
            if iri in decisions or host is None:
                continue
            outcome, body = opt_str(row["outcome"]), opt_str(row["body"])
            decisions[iri] = Treatment(
                date=opt_str(row["date"]),
                municipality=self.hit.municipality,
                committee=body,
                outcome=outcome.rsplit("/", 1)[-1] if outcome else None,
                text=opt_str(row["text"]) or "",
                item=host,
                body_iri=body,
                decision_iri=iri,
                status=opt_str(row["status"]),
                sent_back_to=opt_str(row["sentBackTo"]),
            )
            if row["vote"] is not None:
                vote_of[str(row["vote"])] = iri
        self._steps(decisions)
        self._votes(decisions, vote_of)
        self._people(decisions)
        for treatment in decisions.values():
            host = treatment.item
            committee, day = hosts[str(host.iri)]
            body = treatment.body_iri or committee
            when = treatment.date or day
            if body == committee and when == day:
                continue
            # An earlier treatment printed in these minutes: its own item at the body's
            # meeting is the one the item refers to, if it does.
            own = ItemRef(
                iri=None, ingested=False, date=when, committee=body, case=self.hit.identifier
            )
            prefix = f"{body}/moede/{when}/punkt/"
            target = next((t for t in refs.get(str(host.iri), []) if t.startswith(prefix)), None)
            if target is not None:
                own = self.item(target)
            treatment.recorded_in, treatment.item = host, own
        with_decision = {t.item.iri for t in decisions.values()} | {
            t.recorded_in.iri for t in decisions.values() if t.recorded_in
        }
        timeline = _dedupe(
            list(decisions.values()), lambda t: body_key(self.label(t.body_iri or "") or t.body_iri)
        )
        for iri, item in items.items():
            if iri not in with_decision:  # an agenda without minutes yet: on the agenda
                timeline.append(
                    Treatment(item.date, self.hit.municipality, item.committee, None, "", item)
                )
        for treatment in timeline:
            if treatment.committee and treatment.committee.startswith(("http://", "https://")):
                treatment.committee = self.label(treatment.committee) or treatment.committee
            treatment.effect = effect(
                treatment.outcome, treatment.status, treatment.sent_back_to, treatment.votes
            )
        timeline.sort(key=timeline_key)
        return timeline

    def _steps(self, decisions: dict[str, Treatment]) -> None:
        """Each decision's next step.  The graph keeps its bodies unordered; they are listed
        in descending name order, which puts Økonomiudvalget before the council it
        recommends on to (the order a case travels; a text names at most these two)."""
        steps: dict[str, Step] = {}
        for row in self._query(sparql("next-steps"), **self.bind):
            decision = str(row["decision"])
            step = steps.setdefault(decision, Step(str(row["kind"]), [], opt_str(row["date"])))
            body = opt_str(row["body"])
            if body and body not in step.bodies:
                step.bodies.append(body)
        for decision, step in steps.items():
            if decision in decisions:
                step.bodies.sort(reverse=True)
                decisions[decision].next_step = step

    def _votes(self, decisions: dict[str, Treatment], vote_of: dict[str, str]) -> None:
        if not vote_of:
            return
        kinds = {KG_NS + "votesFor": "for", KG_NS + "votesAgainst": "against"}
        kinds[KG_NS + "abstentions"] = "abstain"
        for decision in vote_of.values():
            decisions[decision].votes = {"for": None, "against": None, "abstain": None}
            for side in ("for", "against", "abstain"):
                decisions[decision].votes[f"{side}_parties"] = []  # type: ignore[index]
        for row in self._query(sparql("votes"), **self.bind):
            decision = vote_of.get(str(row["vote"]))
            if decision is not None:
                decisions[decision].votes[kinds[str(row["count"])]] = row["n"]  # type: ignore[index]
        sides = {
            KG_NS + "partyVotedFor": "for",
            KG_NS + "partyVotedAgainst": "against",
            KG_NS + "partyAbstained": "abstain",
        }
        for row in self._query(sparql("vote-parties"), **self.bind):
            decision = vote_of.get(str(row["vote"]))
            if decision is not None:
                listed = decisions[decision].votes[f"{sides[str(row['side'])]}_parties"]  # type: ignore[index]
                listed.append(str(row["letter"]))
                listed.sort()

    def _people(self, decisions: dict[str, Treatment]) -> None:
        names: dict[tuple[str, str], dict[str, str]] = {}
        for row in self._query(sparql("people"), **self.bind):
            slot = names.setdefault((str(row["decision"]), str(row["role"])), {})
            person, name = str(row["person"]), opt_str(row["name"]) or str(row["person"])
            if len(name) > len(slot.get(person, "")):
                slot[person] = name  # the fullest spelling of the person
        for (decision, role), people in names.items():
            treatment = decisions.get(decision)
            if treatment is None:
                continue
            listed = sorted(people.values())
            if role == "absent":
                treatment.absent = listed
                continue
            if treatment.votes is None:
                treatment.votes = {"for": None, "against": None, "abstain": None}
            treatment.votes[f"{role}_names"] = listed
        for treatment in decisions.values():
            if treatment.votes is not None:
                for role in ("for", "against", "abstain"):
                    treatment.votes.setdefault(f"{role}_names", [])

    def _links(
        self, items: dict[str, ItemRef], timeline: list[Treatment], refs: dict[str, list[str]]
    ) -> list[Link]:
        shown = set(items) | {t.item.iri for t in timeline}
        links: list[Link] = []
        for target in sorted({t for targets in refs.values() for t in targets}):
            if target not in shown:
                shown.add(target)
                links.append(Link("refers_to", self.item(target)))
        for row in self._query(sparql("referred-by"), **self.bind):
            source = str(row["other"])
            if source not in shown:
                shown.add(source)
                links.append(Link("referred_by", self.item(source)))
        links.sort(key=lambda link: (link.item.date or "", link.item.number or 0))
        return links

    def _thread(self) -> tuple[ThreadInfo | None, list[Link]]:
        rows = self._query(sparql("thread"), **self.bind)
        if not rows:
            return None, []
        row = min(rows, key=lambda r: str(r["thread"]))  # one thread per item by construction
        info = ThreadInfo(
            iri=str(row["thread"]),
            items=int(row["size"]),
            meetings=int(row["meetings"]),
            first=opt_str(row["first"]),
            last=opt_str(row["last"]),
        )
        members: dict[str, int] = {}
        for other in self._query(sparql("thread-items"), **self.bind, thread=IRI(info.iri)):
            position = opt_int(other["position"])
            members.setdefault(str(other["other"]), position or 0)
        ordered = sorted(members, key=lambda iri: (members[iri], iri))
        return info, [Link("thread", self.item(iri)) for iri in ordered]


def _dedupe(
    treatments: list[Treatment], body: Callable[[Treatment], str] | None = None
) -> list[Treatment]:
    """Each treatment once: one printed in later minutes ("Sagens forløb") is dropped when
    the body's own minutes give it, and of several later copies the first is kept.  A
    treatment is (body, date) within the case; ``body`` folds the body's printed name
    (extract.text.bodies.body_key) so that "Byrådet" in a later item is the "Byråd" that met."""
    body = body or (lambda t: t.body_iri or "")
    own = {(body(t), t.date) for t in treatments if t.recorded_in is None}
    kept: list[Treatment] = []
    copies: set[tuple[str, str | None]] = set()

    def order(t: Treatment) -> tuple[bool, tuple[str, int, str], str, int]:
        """Own minutes first, then the copies in the order later minutes printed them."""
        r = t.recorded_in
        return (
            r is not None,
            timeline_key(t),
            r.date or "" if r else "",
            r.number or 0 if r else 0,
        )

    for t in sorted(treatments, key=order):
        if t.recorded_in is not None:
            key = (body(t), t.date)
            if key in own or key in copies:
                continue
            copies.add(key)
        kept.append(t)
    return kept


def trace_case(store: Store, hit: CaseHit) -> CaseTrace:
    return _CaseBuilder(store, hit).build()


def trace(store: Store, text: str, municipality: str | None = None) -> TraceResult:
    """Trace a typed case number; raises :class:`TraceError` subclasses the CLI prints."""
    municipality_iri, municipality_label = (None, None)
    if municipality:
        municipality_iri, municipality_label = resolve_municipality(store, municipality)
    hits = find_exact(store, text, municipality_iri)
    if hits:
        return TraceResult(text, "exact", cases=[trace_case(store, h) for h in hits])
    # A whole KLE number that is not stored is a miss, not a prefix ("…-2-1" of "…-2-10").
    choices = [] if is_complete_kle(text) else find_prefix(store, text, municipality_iri)
    if choices:
        return TraceResult(text, "prefix", choices=choices)
    raise CaseNotFound(text, find_near(store, text, municipality_iri), municipality_label)
