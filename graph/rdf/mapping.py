"""Record → RDF: the only module that knows which ontology terms describe what.

One record (one source document) becomes N-Quads text, every quad in the document's own
named graph (``id/kilde/<sha16>``), so re-ingesting a document is replacing one graph.  The
text is written directly (no Quad objects): it is ~2.5x faster and the loader bulk-loads it.
IRIs come from kommunegraf.graph.rdf.iris, terms from kommunegraf.ontology.terms.  Data literals
are plain xsd:string
(no language tag) so that ``FILTER(?t = "Godkendt")`` matches.

What a query writer finds (prefix ``kg: <https://w3id.org/kommunegraf/ontology#>``):

- kg:SourceDocument   kg:path kg:sha256 kg:format kg:layout
- kg:Municipality     rdfs:label kg:kommunekode
- kg:Committee        rdfs:label, org:subOrganizationOf → kg:Municipality
- kg:Meeting          kg:committee kg:date (xsd:date) kg:startTime (xsd:time) kg:location
                      kg:meetingKind kg:period rdfs:label prov:wasDerivedFrom
- kg:AgendaItem       kg:meeting kg:number (xsd:integer) dcterms:title rdfs:label kg:itemKind
                      kg:open kg:case kg:documentNumber kg:spanStart kg:spanEnd
                      prov:wasDerivedFrom kg:attachment kg:mentions (people, organisations,
                      projects) eli:cites (laws and provisions) kg:citationText kg:refersTo
- kg:Decision         kg:item kg:body (→ kg:Committee) kg:date kg:outcome (→ kg:Outcome,
                      id/udfald/<approved|recommended|noted|discussed|postponed|rejected|
                      decided|other>) kg:text kg:absent (→ kg:Person) kg:vote rdfs:label
                      kg:status kg:sentBackTo kg:nextStep (→ kg:NextStep: kg:stepKind
                      kg:stepBody kg:stepDate; values as extract/next_steps.py reads them)
- kg:Vote             kg:votesFor kg:votesAgainst kg:abstentions (xsd:integer)
                      kg:votedFor kg:votedAgainst kg:abstained (→ kg:Person)
                      kg:partyVotedFor kg:partyVotedAgainst kg:partyAbstained (→ kg:Party:
                      a party voting as a bloc, "For stemte (V), (D) og …")
- kg:Case             dcterms:identifier (as printed) kg:caseKey (normalised) rdfs:label
                      kg:municipality kg:kleSubject (→ kg:KleSubject, id/kle/15.20.00)
- kg:Person           foaf:name rdfs:label kg:key kg:role kg:municipality kg:party (→ kg:Party)
- kg:PartyMembership  org:member (→ kg:Person) org:organization (→ kg:Party)
- kg:Party            skos:notation (the letter; names in the reference graph)
- kg:Organization     rdfs:label kg:key (kg:municipality for a municipal unit; a council or
                      committee named in an item is that kg:Committee; a party, its kg:Party)
- kg:Project          rdfs:label kg:key kg:municipality
- kg:Law              rdfs:label kg:lawKind (a law of the reference data: only there, as
                      skos:prefLabel too); a named rule is a kg:Law of kind "rule" with
                      kg:statedIn (→ its provision or law);  kg:Provision  eli:is_part_of
                      (→ kg:Law) rdfs:label (of a reference law: its name + "§ 13 f")
- kg:Citation         kg:cited (→ kg:Law or kg:Provision) kg:printedAs (the item's wording;
                      item kg:citation → it, ``…/punkt/N/henvisning/K``)
- kg:Attachment       dcterms:title kg:number (position, 1-based)

Attachments are resources (``…/punkt/N/bilag/K``) rather than literals: the printed title
is all a record has today, but a resource can later carry the file's URL and hash without
changing any query.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph

from kommunegraf.extract.entities import lawbook
from kommunegraf.extract.entities.names import organisation_slug
from kommunegraf.extract.entities.parties import party_letter
from kommunegraf.extract.records import OUTCOMES, Decision, Item, Law, Record
from kommunegraf.extract.text.bodies import body_name
from kommunegraf.graph.rdf.iris import (
    DEFAULT_BASE,
    IriMinter,
    normalise_case_number,
    valid_iso_date,
)
from kommunegraf.ontology.terms import (
    DCTERMS,
    ELI,
    FOAF,
    KG,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
)

KLE_TSV = Path(str(resources.files("kommunegraf.extract.data").joinpath("kle.tsv")))

# A KLE subject code at the start of a journal number: "15.20.00-A00-2-10" -> 15, 20, 00.
KLE_PREFIX_RE = re.compile(r"^\s*(\d{2})\.(\d{2})\.(\d{2})(?!\d)")
# A clock time as records carry it: "13:30" (seconds optional).
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
# Characters escaped inside an N-Quads string literal (stdlib re: this is the hot path and
# the class is plain code points): quote, backslash, C0 controls, DEL, surrogates.
# Example: 'Sag "A"\n' matches at the quotes and the newline.
LITERAL_ESCAPE_RE = re.compile('[\x00-\x1f"\\\\\x7f\ud800-\udfff]')

_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in range(0x20)}
# The short forms where Oxigraph prints them so, so that a line this module writes is the line
# the store prints back (the derived graph is patched by comparing lines).
_ESCAPES.update({0x5C: "\\\\", 0x22: '\\"', 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"})
_ESCAPES.update({0x08: "\\b", 0x0C: "\\f", 0x7F: "\\u007F"})
_ESCAPES.update({c: "\ufffd" for c in range(0xD800, 0xE000)})  # lone surrogates: no UTF-8


def _iri(value: str) -> str:
    return f"<{value}>"


# Predicates and classes, pre-bracketed once.
A = _iri(RDF.type)
LABEL = _iri(RDFS.label)
T = type("T", (), {k: _iri(v) for k, v in vars(KG).items() if not k.startswith("_") and k != "NS"})
TITLE, IDENTIFIER = _iri(DCTERMS.title), _iri(DCTERMS.identifier)
DERIVED = _iri(PROV.wasDerivedFrom)
SUB_ORG, MEMBER, ORGANIZATION = (
    _iri(ORG.subOrganizationOf),
    _iri(ORG.member),
    _iri(ORG.organization),
)
NAME, NOTATION = _iri(FOAF.name), _iri(SKOS.notation)
CITES, PART_OF = _iri(ELI.cites), _iri(ELI.is_part_of)
_INT, _DATE, _TIME, _BOOL = (f"^^<{dt}>" for dt in (XSD.integer, XSD.date, XSD.time, XSD.boolean))


def literal(value: str) -> str:
    """An N-Quads string literal; escapes \\ " \\n \\r and every code point below 0x20."""
    if LITERAL_ESCAPE_RE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def _integer(value: int) -> str:
    return f'"{int(value)}"{_INT}'


# "Økonomiudvalget", "byrådet", "Kommunalbestyrelsen": a municipality's political bodies
LOCAL_BODY = re.compile(r"udvalg|byråd|kommunalbestyrelse|borgerrepræsentation", re.I)
# The word after a municipality's name: "Næstved Kommune" → "Næstved"
MUNICIPALITY_WORD = re.compile(r"\s+(?:Regionskommune|Kommune)$")
# "Center for Arbejdsmarked", "Team Integration", "Jobcenter Næstved", "Jobcentret",
# "Sygedagpengeafdelingen": a municipality's units (a definite unit is the municipality's own)
MUNICIPAL_UNIT = re.compile(
    r"^(?:center|centret|team|afdeling|sekretariat|forvaltning|direktion|jobcent(?:er|re)"
    r"|ydelseskontor)"
    r"|forvaltning(?:en)?$|ressource\s?center|(?:kontor|afdeling|sekretariat)(?:en|et)$"
    r"|cent(?:er|re)t$",
    re.I,
)


@dataclass(frozen=True)
class MappedDocument:
    """One document's quads as N-Quads text, with counts for the ingest summary."""

    graph: str
    nquads: str
    quads: int
    items: int
    decisions: int


@cache
def kle_codes() -> frozenset[str]:
    """The KLE codes (all three levels) the reference data defines concepts for."""
    if not KLE_TSV.exists():
        return frozenset()
    with KLE_TSV.open(encoding="utf-8", newline="") as fh:
        return frozenset(row["code"].strip() for row in csv.DictReader(fh, delimiter="\t"))


def kle_subject_code(case_number: str) -> str | None:
    """The most specific known KLE code a journal number starts with ("15.20.02-G01-…").

    An emne code missing from the table (newer than it) falls back to its gruppe, then its
    hovedgruppe, so the case is still labelled with a concept the reference graph holds.
    """
    match = KLE_PREFIX_RE.match(case_number)
    if not match:
        return None
    main, group, subject = match.groups()
    known = kle_codes()
    for code in (f"{main}.{group}.{subject}", f"{main}.{group}", main):
        if code in known:
            return code
    return None


class _Writer:
    """Collects N-Quads lines for one named graph and declares each resource once."""

    def __init__(self, graph_iri: str) -> None:
        self.tail = f" <{graph_iri}> .\n"
        self.lines: list[str] = []
        self.declared: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o}{self.tail}")

    def text(self, s: str, p: str, value: str | None) -> None:
        if value is not None and value != "":
            self.lines.append(f"{s} {p} {literal(value)}{self.tail}")

    def first(self, iri: str) -> bool:
        """True the first time a resource is seen: its type and names are written once."""
        if iri in self.declared:
            return False
        self.declared.add(iri)
        return True


class _RecordMapper:
    def __init__(self, record: Record, minter: IriMinter) -> None:
        self.record = record
        self.iris = minter
        src = record.source
        self.source_iri = minter.source(src.sha256, src.path)
        self.w = _Writer(self.source_iri)
        self.src = _iri(self.source_iri)
        mun = record.municipality
        self.municipality_iri = minter.municipality(mun.name, mun.code)
        self.mun = _iri(self.municipality_iri)
        self.committee_iri = minter.committee(self.municipality_iri, record.meeting.committee)
        self.meeting_iri = minter.meeting(self.committee_iri, record.meeting.date, self.source_iri)
        # Names of people as printed → their resolved key, so absentees and voters join the
        # person the item's people list describes.
        self.person_keys: dict[str, str] = {}
        for item in record.items:
            for person in item.people:
                self.person_keys.setdefault(person.name, person.key or person.name)
                self.person_keys.setdefault(person.name.casefold(), person.key or person.name)
        self.decisions = 0

    # --- document-level resources ---------------------------------------------------------
    def map(self) -> MappedDocument:
        self._source()
        self._municipality()
        self._committee(self.committee_iri, self.record.meeting.committee)
        self._meeting()
        for item in self.record.items:
            self._item(item)
        lines = list(dict.fromkeys(self.w.lines))
        return MappedDocument(
            graph=self.source_iri,
            nquads="".join(lines),
            quads=len(lines),
            items=len(self.record.items),
            decisions=self.decisions,
        )

    def _source(self) -> None:
        w, s, src = self.w, self.src, self.record.source
        w.add(s, A, T.SourceDocument)
        w.text(s, T.path, src.path)
        w.text(s, T.sha256, src.sha256)
        w.text(s, T.format, src.format)
        w.text(s, T.layout, src.layout)

    def _municipality(self) -> None:
        w, m, mun = self.w, self.mun, self.record.municipality
        w.first(self.municipality_iri)
        w.add(m, A, T.Municipality)
        unknown = self.municipality_iri == self.iris.municipality(None, None)
        w.text(m, LABEL, mun.name or ("Ukendt kommune" if unknown else None))
        w.text(m, T.kommunekode, mun.code)

    def _committee(self, iri: str, name: str | None) -> str:
        c = _iri(iri)
        if self.w.first(iri):
            self.w.add(c, A, T.Committee)
            self.w.text(c, LABEL, body_name(name) if name else "Ukendt udvalg")
            self.w.add(c, SUB_ORG, self.mun)
        return c

    def _meeting(self) -> None:
        w, m, meeting = self.w, _iri(self.meeting_iri), self.record.meeting
        w.add(m, A, T.Meeting)
        w.add(m, T.committee, _iri(self.committee_iri))
        day = valid_iso_date(meeting.date)
        if day:
            w.add(m, T.date, f'"{day}"{_DATE}')
        time = _xsd_time(meeting.start_time)
        if time:
            w.add(m, T.startTime, f'"{time}"{_TIME}')
        w.text(m, T.location, meeting.location)
        w.text(m, T.meetingKind, meeting.kind)
        w.text(m, T.period, meeting.period)
        w.text(m, LABEL, " ".join(x for x in (meeting.committee, day) if x) or "Møde")
        w.add(m, DERIVED, self.src)

    # --- items ----------------------------------------------------------------------------
    def _item(self, item: Item) -> None:
        w = self.w
        item_iri = self.iris.item(self.meeting_iri, item.number)
        i = _iri(item_iri)
        w.add(i, A, T.AgendaItem)
        w.add(i, T.meeting, _iri(self.meeting_iri))
        w.add(i, T.number, _integer(item.number))
        w.text(i, TITLE, item.title)
        w.text(i, LABEL, f"Punkt {item.number}: {item.title}" if item.title else None)
        w.text(i, T.itemKind, item.kind)
        w.add(i, T.open, f'"{"true" if item.open else "false"}"{_BOOL}')
        w.text(i, T.documentNumber, item.document_number)
        if item.span:
            w.add(i, T.spanStart, _integer(item.span[0]))
            w.add(i, T.spanEnd, _integer(item.span[1]))
        w.add(i, DERIVED, self.src)
        if item.case_number and item.case_number.strip():
            w.add(i, T.case, self._case(item.case_number))
        for position, title in enumerate(item.attachments, start=1):
            a = _iri(self.iris.attachment(item_iri, position))
            w.add(i, T.attachment, a)
            w.add(a, A, T.Attachment)
            w.text(a, TITLE, title)
            w.add(a, T.number, _integer(position))
        for person in item.people:
            p = self._person(person.key or person.name, person.name, person.party, person.role)
            w.add(i, T.mentions, p)
        for name in item.organizations:
            w.add(i, T.mentions, self._organisation(name, item.organization_keys.get(name)))
        for project in item.projects:
            w.add(i, T.mentions, self._project(project.name, project.key))
        for position, law in enumerate(item.laws, start=1):
            # Resolved by extraction (extract/entities/laws.py, or Record.from_json for a
            # record written by hand): the mapping links what the record says.
            law_iri, provision_iri = self.iris.law_and_provision(
                law.canonical, law.act, law.provision
            )
            if law_iri is None:
                w.text(i, T.citationText, law.text or law.provision)
                continue
            w.add(i, CITES, self._law(law_iri, law.kind, law.act, law.text))
            if provision_iri:
                w.add(i, CITES, self._provision(provision_iri, law_iri, law.act, law))
            citation = _iri(self.iris.citation(item_iri, position))
            w.add(i, T.citation, citation)
            w.add(citation, A, T.Citation)
            w.add(citation, T.cited, _iri(provision_iri or law_iri))
            w.text(citation, T.printedAs, law.text or law.act or law.provision)
        for ref in item.references:
            if ref.item_number is None:
                continue
            target = self.iris.reference(
                self.municipality_iri,
                ref.body or self.record.meeting.committee,
                ref.date,
                ref.item_number,
            )
            if target:
                w.add(i, T.refersTo, _iri(target))
        per_day: dict[str | None, int] = {}
        for decision in item.decisions:
            day = valid_iso_date(decision.date)
            per_day[day] = per_day.get(day, 0) + 1
            self._decision(decision, item_iri, i, day, per_day[day])

    def _decision(self, d: Decision, item_iri: str, i: str, day: str | None, n: int) -> None:
        w = self.w
        self.decisions += 1
        decision_iri = self.iris.decision(item_iri, day, n)
        s = _iri(decision_iri)
        body_name = d.body or self.record.meeting.committee
        body = self._committee(self.iris.committee(self.municipality_iri, body_name), body_name)
        w.add(s, A, T.Decision)
        w.add(s, T.item, i)
        w.add(s, T.body, body)
        if day:
            w.add(s, T.date, f'"{day}"{_DATE}')
        outcome = d.outcome if d.outcome in OUTCOMES else "other"
        w.add(s, T.outcome, _iri(self.iris.outcome(outcome)))
        w.text(s, T.text, d.text)
        w.text(s, LABEL, " ".join(x for x in ("Beslutning", body_name, day) if x))
        for name in d.absent:
            w.add(s, T.absent, self._named_person(name))
        w.text(s, T.status, d.status)
        w.text(s, T.sentBackTo, d.sent_back_to)
        if d.next_step is not None:
            step, when = _iri(self.iris.next_step(decision_iri)), valid_iso_date(d.next_step.date)
            w.add(s, T.nextStep, step)
            w.add(step, A, T.NextStep)
            w.text(step, T.stepKind, d.next_step.kind)
            for name in d.next_step.bodies:
                w.text(step, T.stepBody, name)
            if when:
                w.add(step, T.stepDate, f'"{when}"{_DATE}')
        votes = d.votes
        if votes is None:
            return
        v = _iri(self.iris.vote(decision_iri))
        w.add(s, T.vote, v)
        w.add(v, A, T.Vote)
        for predicate, count in (
            (T.votesFor, votes.for_),
            (T.votesAgainst, votes.against),
            (T.abstentions, votes.abstain),
        ):
            if count is not None:
                w.add(v, predicate, _integer(count))
        for predicate, names in (
            (T.votedFor, votes.for_names),
            (T.votedAgainst, votes.against_names),
            (T.abstained, votes.abstain_names),
        ):
            for name in names:
                w.add(v, predicate, self._named_person(name))
        for predicate, letters in (
            (T.partyVotedFor, votes.for_parties),
            (T.partyVotedAgainst, votes.against_parties),
            (T.partyAbstained, votes.abstain_parties),
        ):
            for letter in letters:
                if letter and letter.strip():
                    w.add(v, predicate, self._party(letter.strip()))

    # --- entities -------------------------------------------------------------------------
    def _case(self, number: str) -> str:
        number = number.strip()
        iri = self.iris.case(self.municipality_iri, number)
        c = _iri(iri)
        if self.w.first(iri):
            w = self.w
            w.add(c, A, T.Case)
            w.text(c, IDENTIFIER, number)
            w.text(c, T.caseKey, normalise_case_number(number))
            w.text(c, LABEL, number)
            w.add(c, T.municipality, self.mun)
            kle = kle_subject_code(number)
            if kle:
                w.add(c, T.kleSubject, _iri(self.iris.kle(kle)))
        return c

    def _named_person(self, name: str) -> str:
        key = self.person_keys.get(name) or self.person_keys.get(name.casefold()) or name
        return self._person(key, name, None, None)

    def _person(self, key: str, name: str, party: str | None, role: str | None) -> str:
        w = self.w
        iri = self.iris.person(self.municipality_iri, key)
        p = _iri(iri)
        if w.first(iri):
            w.add(p, A, T.Person)
            w.add(p, T.municipality, self.mun)
            w.text(p, T.key, key)
        w.text(p, NAME, name)
        w.text(p, LABEL, name)
        w.text(p, T.role, role)
        if party and party.strip():
            party_node = self._party(party.strip())
            membership = _iri(self.iris.membership(iri, party.strip()))
            w.add(p, T.party, party_node)
            w.add(membership, A, T.PartyMembership)
            w.add(membership, MEMBER, p)
            w.add(membership, ORGANIZATION, party_node)
        return p

    def _organisation(self, name: str, key: str | None) -> str:
        """A municipality's own bodies are scoped to it; other organisations are national.

        "Økonomiudvalget" or "Byrådet" in an item is that municipality's committee (the same
        IRI as when it decides), so two municipalities' "Byrådet" never merge into one node.
        """
        letter = party_letter(name) if len(name) > 1 else None
        if letter is not None:  # "Dansk Folkeparti", "SF": the party, not an organisation
            return self._party(letter)
        if LOCAL_BODY.search(name):
            # "byrådet", "Byråd", "Byrådets", "Greve Byråd" are one body, named as its minutes
            # head it
            label = body_name(self._without_own_name(name))
            iri = self.iris.committee(self.municipality_iri, label)
            committee = self._committee(iri, label)
            if self.w.first(iri + "#org"):  # typed once, without inference at read time
                self.w.add(committee, A, T.Organization)
            return committee
        local = MUNICIPAL_UNIT.search(name) is not None
        key = key or organisation_slug(name)  # (a hand-made record has no keys)
        if local:
            iri = self.iris.local_organisation(self.municipality_iri, key)
        else:
            iri = self.iris.organisation(key)
        o = _iri(iri)
        if self.w.first(iri):
            self.w.add(o, A, T.Organization)
            self.w.text(o, T.key, key)
            if local:
                self.w.add(o, T.municipality, self.mun)
        self.w.text(o, LABEL, name[:1].upper() + name[1:])  # "ankestyrelsen" → "Ankestyrelsen"
        return o

    def _without_own_name(self, name: str) -> str:
        """A body's name without its municipality's in front: "Greve Byråd", "Greve Kommunes
        Økonomiudvalg" → "Byråd", "Økonomiudvalg" (the same body as its own minutes name)."""
        own = MUNICIPALITY_WORD.sub("", self.record.municipality.name or "").strip()
        if not own:
            return name
        for prefix in (f"{own} Kommunes ", f"{own}s ", f"{own} "):
            if name.casefold().startswith(prefix.casefold()) and len(name) > len(prefix):
                return name[len(prefix) :]
        return name

    def _party(self, letter: str) -> str:
        """The party's resource (its names are in the reference graph)."""
        iri = self.iris.party(letter)
        party = _iri(iri)
        if self.w.first(iri):
            self.w.add(party, A, T.Party)
            self.w.text(party, NOTATION, letter.upper())
        return party

    def _project(self, name: str, key: str | None) -> str:
        iri = self.iris.project(self.municipality_iri, key or name)
        p = _iri(iri)
        if self.w.first(iri):
            self.w.add(p, A, T.Project)
            self.w.add(p, T.municipality, self.mun)
            self.w.text(p, T.key, key)
        self.w.text(p, LABEL, name)
        return p

    def _law(self, iri: str, kind: str, act: str | None, text: str) -> str:
        """A cited law.  One of the reference data is only typed here: its name is the
        reference's, and what this document printed stays on the citation."""
        w, law = self.w, _iri(iri)
        if w.first(iri):
            w.add(law, A, T.Law)
        if iri not in _reference_laws(self.iris.base):
            w.text(law, T.lawKind, kind)
            w.text(law, LABEL, act or text)
        return law

    def _provision(self, iri: str, law_iri: str, act: str | None, law: Law) -> str:
        w, p = self.w, _iri(iri)
        if w.first(iri):
            w.add(p, A, T.Provision)
            w.add(p, PART_OF, _iri(law_iri))
        known = _reference_laws(self.iris.base).get(law_iri)
        if known is not None:  # named the same by every document: the law's name + "§ 13 f"
            label = lawbook.provision_label(iri[len(law_iri) + 1 :]) or law.provision
            w.text(p, LABEL, " ".join(x for x in (known, label) if x))
        else:
            w.text(p, LABEL, ", ".join(x for x in (act, law.provision) if x) or law.text)
        return p


@cache
def _reference_laws(base: str) -> dict[str, str]:
    """IRI → preferred name of every law and named rule the reference data describes."""
    iris = _minter(base)
    names: dict[str, str] = {}
    for entry in lawbook.LAWS:
        iri = iris.law(lawbook.law_path(entry))
        if iri:
            names[iri] = lawbook.preferred_label(entry)
    for rule in lawbook.RULES:
        iri = iris.law(lawbook.rule_path(rule))
        if iri:
            names[iri] = rule
    return names


def _xsd_time(value: str | None) -> str | None:
    match = TIME_RE.match(value.strip()) if value else None
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return f"{hours}:{minutes}:{seconds or '00'}"


def map_record(record: Record, *, base: str = DEFAULT_BASE) -> MappedDocument:
    """The record's quads as N-Quads text, all in the document's named graph."""
    return _RecordMapper(record, _minter(base)).map()


@cache
def _minter(base: str) -> IriMinter:
    return IriMinter(base)


def record_quads(record: Record, *, base: str = DEFAULT_BASE) -> Iterable[pyoxigraph.Quad]:
    """The record's quads as pyoxigraph objects (parsed from the N-Quads text)."""
    mapped = map_record(record, base=base)
    return pyoxigraph.parse(mapped.nquads, format=pyoxigraph.RdfFormat.N_QUADS)


def record_turtle(record: Record, *, base: str = DEFAULT_BASE) -> str:
    """The record's triples as Turtle with the project's prefixes (for ``extract --format ttl``).

    Turtle has no graphs; the document's graph IRI is the ``kg:SourceDocument`` subject in it.
    """
    triples = (quad.triple for quad in record_quads(record, base=base))
    data = pyoxigraph.serialize(
        triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES, base_iri=_minter(base).base
    )
    return data.decode("utf-8")
