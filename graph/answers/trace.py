"""The history of a case number: every treatment, oldest first, its links and its status.

``kommunegraf trace`` reads like a case file: each treatment (a decision by a body on a date,
with its outcome, wording, absentees and votes), then the items linked to the case by
explicit references (both directions; a reference to minutes not yet ingested is listed as
such) and by its recurring thread, then the case's status and next step read out from the
latest treatment ("postponed on 2018-05-15 to the next meeting", "recommended to Byrådet").

Matching is tolerant (graph.rdf.casenumbers) but always an indexed exact lookup of
``kg:caseKey``; a prefix or KLE subject ("15.20.00") lists the matching cases instead, and a
miss lists near matches.  A case number printed in several municipalities is several cases:
without ``--municipality`` all of them are traced, each headed by its municipality.  Only
pyoxigraph, regex and the standard library are imported here, so a trace stays in
milliseconds (networkx, rdflib and pyvis are never loaded).

JSON shape (``--format json``)::

    {"query": "…as typed…",
     "matched": "exact" | "prefix",          # prefix: "choices" instead of "cases"
     "cases": [{
        "case": "15.00.00-P20-1-18", "case_key": "…", "iri": "…",
        "municipality": "Næstved Kommune", "municipality_iri": "…",
        "status": "approved on 2018-05-15 by …", "next_step": "…" | null,
        "treatments": [{                       # oldest first
            "date": "2018-04-10", "municipality": "…", "committee": "…",
            "outcome": "postponed" | … | null, "text": "…whole decision text…",
            "absent": ["…"], "votes": null | {"for": 6, "against": 1, "abstain": null,
                                               "for_names": [], "against_names": ["…"],
                                               "abstain_names": [], "for_parties": ["V"],
                                               "against_parties": [], "abstain_parties": []},
            "item": ITEM,                       # the item at the treating body's meeting
            "recorded_in": ITEM | null}],       # a later item whose minutes print it
        "links": [{"relation": "refers_to" | "referred_by" | "thread", "item": ITEM}],
        "thread": null | {"iri": "…", "items": 4, "meetings": 2,
                          "first": "2018-05-15", "last": "2018-11-05"}}],
     "choices": [{"case": "…", "case_key": "…", "municipality": "…", "items": 3,
                  "last": "2018-11-05", "title": "…"}]}

    ITEM = {"iri": "…" | null, "ingested": true, "date": "2018-05-15", "committee": "…",
            "number": 39 | null, "title": "…" | null, "case": "…" | null}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import regex

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.answers.effects import body_key, effect
from kommunegraf.graph.rdf.casenumbers import is_complete_kle, lookup_keys, near_matches, prefixes
from kommunegraf.graph.store.local import IRI, Store
from kommunegraf.ontology.terms import KG_NS, sparql_prefixes

TABLE_WIDTH = 80
_P = sparql_prefixes(("kg", "rdfs", "dcterms", "foaf"))

# --- reading the decision text for the next step ------------------------------------------
# The next meeting: "genoptages på næste møde", "udsat til næste udvalgsmøde", "kommende møde".
NEXT_MEETING_RE = regex.compile(
    r"\b(?:næste|kommende|førstkommende|næstkommende)\s+(?:\w+\s+)?(?:udvalgs?\s*)?møde",
    regex.IGNORECASE,
)
# A promise to bring the case back: "fremlægges på kommende udvalgsmøde", "bringes til udvalget".
RETURN_RE = regex.compile(
    r"\b(?:fremlægges|forelægges|bringes|genoptages|behandles\s+igen|kommer\s+tilbage"
    r"|(?:bliver|vil\s+blive)\s+(?:fremlagt|forelagt))\b",
    regex.IGNORECASE,
)
# A council-level body a recommendation goes to: "Byrådet", "kommunalbestyrelsen",
# "Økonomiudvalget", "Borgerrepræsentationen", "Regionsrådet".
COUNCIL_RE = regex.compile(
    r"\b(?P<body>byråd|kommunalbestyrelse|borgerrepræsentation|økonomiudvalg|regionsråd)"
    r"(?:et|en|n)?\b",
    regex.IGNORECASE,
)
# A member's demand that the council decide: "begærede sagen i byrådet", "begærer sagen for".
DEMAND_RE = regex.compile(r"\bbegær\w*\s+(?:sagen|punktet)\b", regex.IGNORECASE)
# An item IRI as graph.rdf.iris mints it: ".../udvalg/<slug>/moede/2018-03-05/punkt/21".
ITEM_IRI_RE = regex.compile(
    r"^(?P<committee>.+/udvalg/[^/]+)/moede/(?P<date>\d{4}-\d{2}-\d{2})/punkt/(?P<number>\d+)$"
)

# A municipality's name suffix: "Næstved Kommune", "Bornholms Regionskommune".
MUNICIPALITY_SUFFIX_RE = regex.compile(r"\s+(?:regions)?kommune\s*$", regex.IGNORECASE)
_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})

_COUNCIL_NAMES = {
    "byråd": "Byrådet",
    "kommunalbestyrelse": "Kommunalbestyrelsen",
    "borgerrepræsentation": "Borgerrepræsentationen",
    "økonomiudvalg": "Økonomiudvalget",
    "regionsråd": "Regionsrådet",
}

# --- queries (every value is bound through substitutions, never pasted) -------------------
FIND_EXACT = (
    _P
    + """
SELECT DISTINCT ?key ?case ?identifier ?municipality ?munLabel WHERE {
  ?case kg:caseKey ?key ; kg:municipality ?municipality .
  OPTIONAL { ?case dcterms:identifier ?identifier }
  OPTIONAL { ?municipality rdfs:label ?munLabel }
}"""
)
FIND_PREFIX = (
    _P
    + """
SELECT ?prefix ?case ?key ?identifier ?municipality ?munLabel
       (COUNT(DISTINCT ?item) AS ?items) (MAX(?date) AS ?last) (MIN(?t) AS ?title) WHERE {
  ?case kg:caseKey ?key ; kg:municipality ?municipality .
  FILTER(STRSTARTS(?key, ?prefix))
  OPTIONAL { ?case dcterms:identifier ?identifier }
  OPTIONAL { ?municipality rdfs:label ?munLabel }
  OPTIONAL { ?item kg:case ?case ; kg:meeting ?meeting .
             OPTIONAL { ?meeting kg:date ?date } OPTIONAL { ?item dcterms:title ?t } }
}
GROUP BY ?prefix ?case ?key ?identifier ?municipality ?munLabel
ORDER BY ?key ?munLabel"""
)
ALL_KEYS = (
    _P
    + """
SELECT DISTINCT ?key ?municipality WHERE { ?case kg:caseKey ?key ; kg:municipality ?municipality }
"""
)
MUNICIPALITY_LABEL = (
    _P + "SELECT ?municipality ?label WHERE { ?municipality a kg:Municipality ; rdfs:label ?label }"
)
MUNICIPALITY_BY_CODE = (
    _P
    + """
SELECT ?code ?municipality ?label WHERE {
  ?municipality kg:kommunekode ?code ; a kg:Municipality ; rdfs:label ?label
}"""
)
MUNICIPALITIES = (
    _P
    + """
SELECT DISTINCT ?municipality ?label ?code WHERE {
  ?municipality a kg:Municipality .
  OPTIONAL { ?municipality rdfs:label ?label }
  OPTIONAL { ?municipality kg:kommunekode ?code }
}"""
)
# The municipalities whose documents the store holds (meetings are stated only by documents).
MUNICIPALITIES_WITH_MEETINGS = (
    sparql_prefixes(("kg", "org"))
    + """
SELECT DISTINCT ?municipality WHERE {
  ?meeting a kg:Meeting ; kg:committee ?committee .
  ?committee org:subOrganizationOf ?municipality .
}"""
)
MUNICIPALITIES_LISTED = 20  # beyond this many, an unknown name gets a count, not a list
# The case's items and their decisions.  Several small queries rather than one with nested
# OPTIONALs: oxigraph answers each from its indexes in about a millisecond at 10,000
# documents, where the combined query took ten.
ITEMS = (
    _P
    + """
SELECT DISTINCT ?case ?item ?meeting ?number ?title ?date ?committee WHERE {
  ?item kg:case ?case ; kg:meeting ?meeting .
  OPTIONAL { ?item kg:number ?number }
  OPTIONAL { ?item dcterms:title ?title }
  OPTIONAL { ?meeting kg:date ?date }
  OPTIONAL { ?meeting kg:committee ?committee }
}"""
)
DECISIONS = (
    _P
    + """
SELECT DISTINCT ?case ?item ?decision ?date ?body ?outcome ?text ?vote WHERE {
  ?item kg:case ?case . ?decision kg:item ?item .
  OPTIONAL { ?decision kg:date ?date }
  OPTIONAL { ?decision kg:body ?body }
  OPTIONAL { ?decision kg:outcome ?outcome }
  OPTIONAL { ?decision kg:text ?text }
  OPTIONAL { ?decision kg:vote ?vote }
}"""
)
VOTES = (
    _P
    + """
SELECT DISTINCT ?case ?vote ?count ?n WHERE {
  ?item kg:case ?case . ?decision kg:item ?item ; kg:vote ?vote . ?vote ?count ?n .
  FILTER(?count IN (kg:votesFor, kg:votesAgainst, kg:abstentions))
}"""
)
# The parties that voted as a bloc ("For stemte (V), (D) og …"), by letter
VOTE_PARTIES = (
    sparql_prefixes(("kg", "skos"))
    + """
SELECT DISTINCT ?case ?vote ?side ?letter WHERE {
  ?item kg:case ?case . ?decision kg:item ?item ; kg:vote ?vote . ?vote ?side ?party .
  FILTER(?side IN (kg:partyVotedFor, kg:partyVotedAgainst, kg:partyAbstained))
  ?party skos:notation ?letter
}"""
)
PEOPLE = (
    _P
    + """
SELECT DISTINCT ?case ?decision ?role ?person ?name WHERE {
  ?item kg:case ?case . ?decision kg:item ?item .
  { ?decision kg:absent ?person BIND("absent" AS ?role) }
  UNION { ?decision kg:vote/kg:votedFor ?person BIND("for" AS ?role) }
  UNION { ?decision kg:vote/kg:votedAgainst ?person BIND("against" AS ?role) }
  UNION { ?decision kg:vote/kg:abstained ?person BIND("abstain" AS ?role) }
  OPTIONAL { ?person foaf:name ?name }
}"""
)
REFERS_TO = (
    _P + "SELECT DISTINCT ?case ?item ?other WHERE { ?item kg:case ?case ; kg:refersTo ?other }"
)
REFERRED_BY = (
    _P + "SELECT DISTINCT ?case ?other WHERE { ?item kg:case ?case . ?other kg:refersTo ?item }"
)
THREAD = (
    _P
    + """
SELECT DISTINCT ?case ?thread ?size ?meetings ?first ?last WHERE {
  ?item kg:case ?case .
  ?thread kg:threadItem ?item ; kg:itemCount ?size ; kg:meetingCount ?meetings .
  OPTIONAL { ?thread kg:firstDate ?first }
  OPTIONAL { ?thread kg:lastDate ?last }
}"""
)
# The thread's items of other cases (items of this case are the timeline already).
THREAD_ITEMS = (
    _P
    + """
SELECT DISTINCT ?case ?thread ?other ?position WHERE {
  ?thread kg:threadItem ?other .
  FILTER NOT EXISTS { ?other kg:case ?case }
  OPTIONAL { ?other kg:threadPosition ?position }
}"""
)
# One item outside the case (a reference's target or source, a thread member).
ITEM = (
    _P
    + """
SELECT ?item ?meeting ?number ?title ?date ?committee ?itemCase WHERE {
  ?item kg:meeting ?meeting .
  OPTIONAL { ?item kg:number ?number }
  OPTIONAL { ?item dcterms:title ?title }
  OPTIONAL { ?meeting kg:date ?date }
  OPTIONAL { ?meeting kg:committee ?committee }
  OPTIONAL { ?item kg:case ?itemCase }
}"""
)
LABEL = _P + "SELECT ?x ?label WHERE { ?x rdfs:label ?label }"
IDENTIFIER = _P + "SELECT ?x ?identifier WHERE { ?x dcterms:identifier ?identifier }"


# --- results ------------------------------------------------------------------------------


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
    """A trace that cannot be answered; the message is for the user."""


class CaseNotFound(TraceError):
    def __init__(self, query: str, near: list[tuple[str, str]], municipality: str | None):
        self.query, self.near, self.municipality = query, near, municipality
        where = f" in {municipality}" if municipality else ""
        message = f"no case {query!r}{where} in the store"
        if near:
            message += "; near matches: " + ", ".join(f"{k} ({m})" for k, m in near)
        super().__init__(message)


class UnknownMunicipality(TraceError):
    pass


# --- finding the case ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseHit:
    iri: str
    identifier: str
    key: str
    municipality_iri: str
    municipality: str


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _fold_name(text: str) -> str:
    """A municipality name or slug folded for comparison: "Næstved Kommune" → "naestved"."""
    folded = MUNICIPALITY_SUFFIX_RE.sub("", text.strip()).casefold().translate(_DANISH_FOLD)
    return "".join(ch for ch in folded if ch.isalnum())


def resolve_municipality(store: Store, text: str) -> tuple[str, str]:
    """(IRI, label) of a municipality in the store, by name, slug or kommunekode.

    "Næstved", "næstved kommune", "naestved" and "370" all name Næstved Kommune.  A code or
    a name as labelled is an indexed lookup; other spellings are compared with each of the
    store's municipalities (at most 98).  No IRI is minted here.
    """
    typed = text.strip()
    if typed.isdigit():
        rows = list(store.query(MUNICIPALITY_BY_CODE, {"code": typed}))  # type: ignore[arg-type]
    else:
        capital = typed[:1].upper() + typed[1:]
        rows = []
        for name in dict.fromkeys((typed, capital, f"{capital} Kommune")):
            rows = list(store.query(MUNICIPALITY_LABEL, {"label": name}))  # type: ignore[arg-type]
            if rows:
                break
    if rows:
        first = min(rows, key=lambda r: str(r["municipality"]))
        return str(first["municipality"]), str(first["label"])
    typed = _fold_name(text)
    known: dict[str, str] = {}
    for row in store.query(MUNICIPALITIES):  # type: ignore[union-attr]
        iri, label = str(row["municipality"]), _s(row["label"]) or str(row["municipality"])
        known.setdefault(iri, label)
        names = {_fold_name(label), _fold_name(iri.rsplit("/", 1)[-1]), str(row["code"] or "")}
        names |= {n[:-1] for n in names if n.endswith("s")}  # "Københavns" → "københavn"
        if typed and typed in names:
            return iri, label
    raise UnknownMunicipality(_unknown_municipality(store, text, known))


def _unknown_municipality(store: Store, text: str, known: dict[str, str]) -> str:
    """Why a municipality was not found: the names near what was typed, and the
    municipalities that have documents (not every one the reference data names)."""
    import difflib

    names = sorted(set(known.values()))
    folded = {_fold_name(name): name for name in names}
    near = [
        folded[n]
        for n in difflib.get_close_matches(_fold_name(text), list(folded), n=3, cutoff=0.6)
    ]
    near += [
        name
        for name in names
        if name not in near
        and _fold_name(text)
        and _fold_name(name).startswith(_fold_name(text)[:4])
        and len(near) < 3
    ]
    held = sorted(
        {known.get(str(r["municipality"]), str(r["municipality"]))
         for r in store.query(MUNICIPALITIES_WITH_MEETINGS)}  # type: ignore[union-attr]
    )  # fmt: skip
    message = f"no municipality {text!r} in the store"
    if near:
        message += f"; did you mean {' or '.join(near)}?"
    if not held:
        return message + " (it holds no documents yet)"
    message += "." if not near else ""
    if len(held) > MUNICIPALITIES_LISTED:
        return message + f" Documents from {len(held)} municipalities (`kommunegraf stats`)."
    return message + f" Documents from: {', '.join(held)}."


def find_exact(store: Store, text: str, municipality_iri: str | None = None) -> list[CaseHit]:
    """Cases whose stored key equals one of the typed number's lookup keys (indexed)."""
    for key in lookup_keys(text):
        bindings: dict[str, Any] = {"key": key}
        if municipality_iri:
            bindings["municipality"] = IRI(municipality_iri)
        hits = _hits(store.query(FIND_EXACT, bindings))  # type: ignore[arg-type]
        if hits:
            return hits
    return []


def _hits(rows: Iterable[dict[str, Any]]) -> list[CaseHit]:
    found: dict[str, CaseHit] = {}
    for row in rows:
        iri = str(row["case"])
        if iri not in found:
            found[iri] = CaseHit(
                iri=iri,
                identifier=_s(row["identifier"]) or str(row["key"]),
                key=str(row["key"]),
                municipality_iri=str(row["municipality"]),
                municipality=_s(row["munLabel"]) or str(row["municipality"]),
            )
    return sorted(found.values(), key=lambda h: (h.municipality, h.key))


def find_prefix(store: Store, text: str, municipality_iri: str | None = None) -> list[CaseChoice]:
    """Cases whose key starts with the typed partial number or KLE subject."""
    for prefix in prefixes(text):
        bindings: dict[str, Any] = {"prefix": prefix}
        if municipality_iri:
            bindings["municipality"] = IRI(municipality_iri)
        choices = [
            CaseChoice(
                case=_s(row["identifier"]) or str(row["key"]),
                case_key=str(row["key"]),
                municipality=_s(row["munLabel"]) or str(row["municipality"]),
                items=int(row["items"] or 0),
                last=_s(row["last"]),
                title=_s(row["title"]),
            )
            for row in store.query(FIND_PREFIX, bindings)  # type: ignore[union-attr]
        ]
        if choices:
            return choices
    return []


def find_near(
    store: Store, text: str, municipality_iri: str | None = None
) -> list[tuple[str, str]]:
    """(key, municipality) of the stored cases closest to the typed number."""
    bindings: dict[str, Any] = {}
    if municipality_iri:
        bindings["municipality"] = IRI(municipality_iri)
    where: dict[str, list[str]] = {}
    for row in store.query(ALL_KEYS, bindings):  # type: ignore[union-attr]
        where.setdefault(str(row["key"]), []).append(str(row["municipality"]))
    labels = {
        str(r["municipality"]): str(r["label"])
        for r in store.query(MUNICIPALITY_LABEL)  # type: ignore[union-attr]
    }
    return [
        (key, ", ".join(sorted(labels.get(m, m) for m in where[key])))
        for key in near_matches(text, where)
    ]


# --- building a case's trace --------------------------------------------------------------


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


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
            rows = self._query(LABEL, x=IRI(iri))
            self._labels[iri] = min((str(r["label"]) for r in rows), default=None)
        return self._labels[iri]

    def identifier(self, iri: str) -> str | None:
        if iri not in self._identifiers:
            rows = self._query(IDENTIFIER, x=IRI(iri))
            self._identifiers[iri] = min((str(r["identifier"]) for r in rows), default=None)
        return self._identifiers[iri]

    def item(self, iri: str) -> ItemRef:
        """Any item by IRI: from the store, or as a reference to minutes not yet ingested."""
        rows = self._query(ITEM, item=IRI(iri))
        if not rows:
            return _unseen_item(iri)
        row = rows[0]
        case = _s(row["itemCase"])
        return ItemRef(
            iri=iri,
            ingested=True,
            date=_s(row["date"]),
            committee=_s(row["committee"]),
            number=_number(row["number"]),
            title=_s(row["title"]),
            case=self.identifier(case) if case else None,
        )

    # --- the parts of a trace --------------------------------------------------------
    def _items(self) -> tuple[dict[str, ItemRef], dict[str, tuple[str | None, str | None]]]:
        """The case's items, and each one's meeting as (committee IRI, date)."""
        items: dict[str, ItemRef] = {}
        hosts: dict[str, tuple[str | None, str | None]] = {}
        for row in self._query(ITEMS, **self.bind):
            iri = str(row["item"])
            if iri in items:
                continue
            items[iri] = ItemRef(
                iri=iri,
                ingested=True,
                date=_s(row["date"]),
                committee=_s(row["committee"]),
                number=_number(row["number"]),
                title=_s(row["title"]),
                case=self.hit.identifier,
            )
            hosts[iri] = (_s(row["committee"]), _s(row["date"]))
        return items, hosts

    def _refs(self) -> dict[str, list[str]]:
        """Each item of the case → the items it refers to."""
        refs: dict[str, list[str]] = {}
        for row in self._query(REFERS_TO, **self.bind):
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
        for row in self._query(DECISIONS, **self.bind):
            iri, host = str(row["decision"]), items.get(str(row["item"]))
            if iri in decisions or host is None:
                continue
            outcome, body = _s(row["outcome"]), _s(row["body"])
            decisions[iri] = Treatment(
                date=_s(row["date"]),
                municipality=self.hit.municipality,
                committee=body,
                outcome=outcome.rsplit("/", 1)[-1] if outcome else None,
                text=_s(row["text"]) or "",
                item=host,
                body_iri=body,
                decision_iri=iri,
            )
            if row["vote"] is not None:
                vote_of[str(row["vote"])] = iri
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
            treatment.effect = effect(treatment.outcome, treatment.text, treatment.votes)
        timeline.sort(key=_timeline_key)
        return timeline

    def _votes(self, decisions: dict[str, Treatment], vote_of: dict[str, str]) -> None:
        if not vote_of:
            return
        kinds = {KG_NS + "votesFor": "for", KG_NS + "votesAgainst": "against"}
        kinds[KG_NS + "abstentions"] = "abstain"
        for decision in vote_of.values():
            decisions[decision].votes = {"for": None, "against": None, "abstain": None}
            for side in ("for", "against", "abstain"):
                decisions[decision].votes[f"{side}_parties"] = []  # type: ignore[index]
        for row in self._query(VOTES, **self.bind):
            decision = vote_of.get(str(row["vote"]))
            if decision is not None:
                decisions[decision].votes[kinds[str(row["count"])]] = row["n"]  # type: ignore[index]
        sides = {
            KG_NS + "partyVotedFor": "for",
            KG_NS + "partyVotedAgainst": "against",
            KG_NS + "partyAbstained": "abstain",
        }
        for row in self._query(VOTE_PARTIES, **self.bind):
            decision = vote_of.get(str(row["vote"]))
            if decision is not None:
                listed = decisions[decision].votes[f"{sides[str(row['side'])]}_parties"]  # type: ignore[index]
                listed.append(str(row["letter"]))
                listed.sort()

    def _people(self, decisions: dict[str, Treatment]) -> None:
        names: dict[tuple[str, str], dict[str, str]] = {}
        for row in self._query(PEOPLE, **self.bind):
            slot = names.setdefault((str(row["decision"]), str(row["role"])), {})
            person, name = str(row["person"]), _s(row["name"]) or str(row["person"])
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
        for row in self._query(REFERRED_BY, **self.bind):
            source = str(row["other"])
            if source not in shown:
                shown.add(source)
                links.append(Link("referred_by", self.item(source)))
        links.sort(key=lambda link: (link.item.date or "", link.item.number or 0))
        return links

    def _thread(self) -> tuple[ThreadInfo | None, list[Link]]:
        rows = self._query(THREAD, **self.bind)
        if not rows:
            return None, []
        row = min(rows, key=lambda r: str(r["thread"]))  # one thread per item by construction
        info = ThreadInfo(
            iri=str(row["thread"]),
            items=int(row["size"]),
            meetings=int(row["meetings"]),
            first=_s(row["first"]),
            last=_s(row["last"]),
        )
        members: dict[str, int] = {}
        for other in self._query(THREAD_ITEMS, **self.bind, thread=IRI(info.iri)):
            position = _number(other["position"])
            members.setdefault(str(other["other"]), position or 0)
        ordered = sorted(members, key=lambda iri: (members[iri], iri))
        return info, [Link("thread", self.item(iri)) for iri in ordered]


def _timeline_key(t: Treatment) -> tuple[str, int, str]:
    return (t.date or t.item.date or "9999", t.item.number or 0, t.committee or "")


def _dedupe(
    treatments: list[Treatment], body: Callable[[Treatment], str] | None = None
) -> list[Treatment]:
    """Each treatment once: one printed in later minutes ("Sagens forløb") is dropped when
    the body's own minutes give it, and of several later copies the first is kept.  A
    treatment is (body, date) within the case; ``body`` folds the body's printed name
    (graph.answers.effects.body_key) so that "Byrådet" in a later item is the "Byråd" that met."""
    body = body or (lambda t: t.body_iri or "")
    own = {(body(t), t.date) for t in treatments if t.recorded_in is None}
    kept: list[Treatment] = []
    copies: set[tuple[str, str | None]] = set()

    def order(t: Treatment) -> tuple[bool, tuple[str, int, str], str, int]:
        """Own minutes first, then the copies in the order later minutes printed them."""
        r = t.recorded_in
        return (
            r is not None,
            _timeline_key(t),
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


# --- status and next step -----------------------------------------------------------------


def _council_bodies(text: str) -> list[str]:
    found = [_COUNCIL_NAMES[m["body"].lower()] for m in COUNCIL_RE.finditer(text)]
    return list(dict.fromkeys(found))


def _next_meeting_date(text: str, after: str | None) -> str | None:
    if not any(ch.isdigit() for ch in text):
        return None
    # Imported here: the extract package is slow to import and most traces never need it.
    from kommunegraf.extract.text.dates import find_dates

    year = int(after[:4]) if after else None
    for _start, _end, day in find_dates(text, default_year=year):
        if after is None or day > after:
            return day
    return None


def read_status(timeline: list[Treatment]) -> tuple[str, str | None]:
    """The case's status and next step, read from its latest treatment as a user says them."""
    decided = [t for t in timeline if t.outcome]
    if not decided:
        if timeline:
            latest = timeline[-1]
            return (f"on the agenda of {latest.committee} on {latest.date}", "awaits a decision")
        return ("no treatment recorded", None)
    latest = max(decided, key=_timeline_key)
    on = f"on {latest.date}" if latest.date else "(undated)"
    by = f" by {latest.committee}" if latest.committee else ""
    text = latest.text
    councils = _council_bodies(text)
    demanded = bool(DEMAND_RE.search(text)) and councils
    outcome = latest.outcome
    if outcome == "postponed":
        if NEXT_MEETING_RE.search(text):
            day = _next_meeting_date(text, latest.date)
            when = f" ({day})" if day else ""
            return (
                f"postponed {on} to the next meeting{when}",
                f"resumes at the next meeting of {latest.committee}{when}",
            )
        return (f"postponed {on}{by}", f"to be resumed by {latest.committee} at a later meeting")
    if outcome == "recommended":
        if councils:
            to = " and ".join(councils)
            return (f"recommended to {to} {on}{by}", f"awaits the decision of {to}")
        return (
            f"recommended {on}{by}",
            "awaits the decision of the body it was recommended to (not named in the minutes)",
        )
    verbs = {
        "approved": "approved",
        "noted": "noted",
        "discussed": "discussed",
        "rejected": "rejected",
        "decided": "decided",
    }
    status = f"{verbs.get(outcome or '', 'treated')} {on}{by}"
    if demanded:
        return status, f"goes to {' and '.join(councils)} (a member asked for it)"
    if (
        outcome != "approved"
        and outcome != "rejected"
        and (RETURN_RE.search(text) or NEXT_MEETING_RE.search(text))
    ):
        day = _next_meeting_date(text, latest.date)
        return status, f"returns to {latest.committee}" + (f" ({day})" if day else "")
    return status, None


# --- the whole trace ----------------------------------------------------------------------


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


# --- output -------------------------------------------------------------------------------


def to_json(result: TraceResult) -> dict[str, Any]:
    """The documented JSON shape (module docstring)."""
    data: dict[str, Any] = {"query": result.query, "matched": result.matched}
    if result.choices:
        data["choices"] = [asdict(c) for c in result.choices]
        return data
    cases = []
    for case in result.cases:
        entry = asdict(case)
        for treatment in entry["treatments"]:
            treatment.pop("body_iri", None)
            treatment.pop("decision_iri", None)
        cases.append(entry)
    data["cases"] = cases
    return data


def render_json(result: TraceResult) -> str:
    return json.dumps(to_json(result), ensure_ascii=False, indent=2)


def _item_label(ref: ItemRef) -> str:
    return f"item {ref.number}" if ref.number is not None else "item ?"


def _title(t: Treatment) -> str | None:
    """The item's title, or that of the later item whose minutes record the treatment."""
    return t.item.title or (t.recorded_in.title if t.recorded_in else None)


# A sentence of a decision that only notes who was absent: "Kristian Skov-Andersen var
# fraværende.", "Fraværende: Ib Dam", "Afbud fra Jens Hansen", "… deltog ikke i sagens
# behandling."  The table puts such sentences after the decision's effect, not first.
ABSENCE_SENTENCE_RE = regex.compile(
    r"\b(?:var\s+fraværende|fraværende\s*:|afbud\b|deltog\s+ikke)", regex.IGNORECASE
)
# Where a decision's text parts into sentences: after a word's . ! ? (not a part number's
# "2." nor an abbreviation's: "stk. 2", "nr. 4", "jf. § 3", "kr. 5 mio.") before a capital, a
# digit or a parenthesis.
SENTENCE_END_RE = regex.compile(
    r"(?<=\p{L}{2}[.!?])(?<!\b(?i:stk|jf|nr|pkt|kr|mio|mia|ca|dvs|bl\.a|f\.eks)\.)"
    r"\s+(?=[\p{Lu}\d(])"
)


def decision_shown(text: str) -> str:
    """The decision's words with the notes of absence moved after the decision itself."""
    text = " ".join((text or "").split())
    sentences = SENTENCE_END_RE.split(text) if text else []
    notes = [x for x in sentences if ABSENCE_SENTENCE_RE.search(x)]
    if not notes or len(notes) == len(sentences):
        return text
    return " ".join([x for x in sentences if x not in notes] + notes)


def _votes_line(votes: dict[str, Any] | None) -> str | None:
    if not votes:
        return None
    parts = []
    for key, word in (("for", "for"), ("against", "against"), ("abstain", "abstaining")):
        names = votes.get(f"{key}_names") or []
        parties = votes.get(f"{key}_parties") or []  # blocs: "9 for (V, D, Liselott Blixt)"
        count = votes.get(key)
        if count is None and not names and not parties:
            continue
        if count is not None:
            shown = f"{count} {word}"
        else:  # a bloc's members are not counted: no number where only parties are printed
            shown = f"{len(names)} {word}" if names and not parties else word
        if parties or names:
            shown += f" ({', '.join([*parties, *names])})"
        parts.append(shown)
    return "votes: " + "; ".join(parts) if parts else None


def render_table(result: TraceResult, width: int | None = TABLE_WIDTH) -> str:
    """Plain text.  With a ``width`` (a terminal's) every line fits it, long values wrapped,
    never cut; with None (a pipe, a file) every value is printed whole, a line each."""
    if result.choices:
        return _choices_table(result, width)
    blocks = [_case_table(case, width) for case in result.cases]
    if len(result.cases) > 1:
        note = (
            f"{result.query} is a case number in {len(result.cases)} municipalities; "
            "each is its own case (narrow with --municipality)."
        )
        blocks.insert(0, "\n".join(_wrap(note, width)))
    return "\n\n".join(blocks)


def _wrap(text: str, width: int | None, indent: str = "", first: str = "") -> list[str]:
    """``first`` + ``text`` wrapped to ``width`` (continuation lines take ``indent``); None:
    one line, whole."""
    import textwrap

    text = " ".join((text or "").split())
    if width is None:
        return [(first + text).rstrip()]
    lines = textwrap.wrap(
        text,
        width=max(width, len(first) + 8),
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    return lines or [first.rstrip()]


def _grid(cells: list[str], widths: list[int | None]) -> list[str]:
    """One table row: each cell wrapped to its column (None: whole), lines side by side."""
    import textwrap

    columns = []
    for cell, w in zip(cells, widths, strict=True):
        text = " ".join((cell or "").split())
        columns.append(
            [text]
            if w is None
            else textwrap.wrap(text, w, break_on_hyphens=False, break_long_words=False) or [""]
        )
    height = max(len(c) for c in columns)
    lines = []
    for n in range(height):
        parts = []
        for column, w in zip(columns, widths, strict=True):
            part = column[n] if n < len(column) else ""
            parts.append(part if w is None else part.ljust(w))
        lines.append("  ".join(parts).rstrip())
    return lines


def _widths(case: CaseTrace, width: int | None) -> list[int | None]:
    """Date, committee, item and effect: on a terminal the committee takes what its values
    need up to what the line leaves, the effect the rest (each wraps, none is cut)."""
    committee = max([len(t.committee or "") for t in case.treatments] + [9])
    effect_w = max([len(t.effect or "(agenda)") for t in case.treatments] + [6])
    if width is None:
        return [10, committee, 4, None]
    effect_w = min(effect_w, max(12, width // 4))
    committee = min(committee, max(12, width - 10 - 4 - effect_w - 6))
    return [10, committee, 4, max(width - 10 - committee - 4 - 6, 8)]


def _case_table(case: CaseTrace, width: int | None) -> str:
    """Each treatment: a row (date, committee, item, effect), then the decision's words
    (effect first, notes of absence last), the item's title, absences and votes."""
    lines = _wrap(f"Case {case.case} · {case.municipality}", width, " " * 5)
    lines += _wrap(case.status, width, " " * 8, "Status: ")
    lines += _wrap(case.next_step or "no further step recorded", width, " " * 8, "Next:   ")
    lines.append("")
    widths = _widths(case, width)
    lines += _grid(["Date", "Committee", "Item", "Effect"], widths)
    lines.append("  ".join(("-" * w) if w is not None else "-" * 8 for w in widths))
    pad = " " * 12
    inner = None if width is None else width - len(pad)
    for t in case.treatments:
        number = str(t.item.number) if t.item.number is not None else "?"
        lines += _grid([t.date or "", t.committee or "", number, t.effect or "(agenda)"], widths)
        notes = []
        if t.text:
            notes.append(decision_shown(t.text))
        if t.recorded_in is not None:
            r = t.recorded_in
            notes.append(f"recorded in the minutes of {r.date}, item {r.number}")
        title = _title(t)
        if title:
            notes.append("item: " + title)
        if t.absent:
            notes.append("absent: " + ", ".join(t.absent))
        votes = _votes_line(t.votes)
        if votes:
            notes.append(votes)
        for note in notes:
            lines += [pad + line for line in _wrap(note, inner, "  ")]
    if case.links:
        lines += ["", "Linked items"]
        names = {
            "refers_to": "refers to",
            "referred_by": "referred by",
            "thread": "same thread",
        }
        for link in case.links:
            ref = link.item
            state = (ref.title or "") if ref.ingested else "not yet ingested"
            cells = [
                names[link.relation],
                ref.date or "?",
                ref.committee or "",
                _item_label(ref),
                state,
            ]
            link_widths: list[int | None] = [11, 10, 20, 8, None]
            if width is not None:
                link_widths[-1] = max(width - 2 - (11 + 10 + 20 + 8) - 8, 12)
            lines += ["  " + line for line in _grid(cells, link_widths)]
    if case.thread:
        th = case.thread
        lines.append("")
        lines += _wrap(
            f"Thread: {th.items} items over {th.meetings} meetings, {th.first} – {th.last}",
            width,
        )
    return "\n".join(lines)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _choices_table(result: TraceResult, width: int | None) -> str:
    lines = _wrap(
        f"{_cases(len(result.choices))} match {result.query!r}; trace one of them:", width
    )
    lines.append("")
    case_w = max([len(c.case) for c in result.choices] + [4])
    municipality_w = max([len(c.municipality) for c in result.choices] + [12])
    if width is not None:
        case_w, municipality_w = min(case_w, 22), min(municipality_w, 18)
    title_w = None if width is None else max(width - case_w - municipality_w - 5 - 10 - 8, 12)
    widths: list[int | None] = [case_w, municipality_w, 5, 10, title_w]
    lines += _grid(["Case", "Municipality", "Items", "Last", "Title"], widths)
    lines.append("  ".join("-" * (w or 8) for w in widths))
    for c in result.choices:
        cells = [c.case, c.municipality, str(c.items).rjust(5), c.last or "", c.title or ""]
        lines += _grid(cells, widths)
    return "\n".join(lines)


def _md(text: Any) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


def render_markdown(result: TraceResult) -> str:
    """GitHub-flavoured Markdown: a heading per case, a table of treatments, a table of links."""
    if result.choices:
        rows = [
            f"{_cases(len(result.choices))} match `{_md(result.query)}`:",
            "",
            "| Case | Municipality | Items | Last | Title |",
            "|---|---|---:|---|---|",
        ]
        rows += [
            f"| {_md(c.case)} | {_md(c.municipality)} | {c.items} | {_md(c.last)} | "
            f"{_md(c.title)} |"
            for c in result.choices
        ]
        return "\n".join(rows) + "\n"
    out: list[str] = []
    for case in result.cases:
        out += [
            f"## {_md(case.case)} — {_md(case.municipality)}",
            "",
            f"**Status:** {_md(case.status)}  ",
            f"**Next step:** {_md(case.next_step or 'no further step recorded')}",
            "",
            "| Date | Municipality | Committee | Meeting | Item | Title | Outcome | Decision "
            "| Absent | Votes |",
            "|---|---|---|---|---:|---|---|---|---|---|",
        ]
        for t in case.treatments:
            meeting = t.item.date or ""
            if t.recorded_in is not None:
                meeting = (
                    f"{t.item.date or '?'} (recorded in minutes of {t.recorded_in.date}, "
                    f"item {t.recorded_in.number})"
                )
            votes = (_votes_line(t.votes) or "").removeprefix("votes: ")
            out.append(
                f"| {_md(t.date)} | {_md(t.municipality)} | {_md(t.committee)} | {_md(meeting)} "
                f"| {_md(t.item.number)} | {_md(_title(t))} | {_md(t.outcome)} "
                f"| {_md(t.text)} | {_md(', '.join(t.absent))} | {_md(votes)} |"
            )
        if case.links:
            out += [
                "",
                "### Linked items",
                "",
                "| Relation | Date | Committee | Item | Title | Case | In store |",
                "|---|---|---|---:|---|---|---|",
            ]
            for link in case.links:
                ref = link.item
                out.append(
                    f"| {link.relation.replace('_', ' ')} | {_md(ref.date)} | {_md(ref.committee)} "
                    f"| {_md(ref.number)} | {_md(ref.title)} | {_md(ref.case)} "
                    f"| {'yes' if ref.ingested else 'not yet ingested'} |"
                )
        if case.thread:
            th = case.thread
            out += [
                "",
                f"Thread: {th.items} items over {th.meetings} meetings, {th.first} – {th.last}.",
            ]
        out.append("")
    return "\n".join(out)
