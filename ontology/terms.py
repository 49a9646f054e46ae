"""The vocabulary's IRIs as Python string constants, so no module spells an IRI by hand.

Each namespace is a small class of ``str`` constants (``KG.Decision``, ``PROV.wasDerivedFrom``)
rather than an rdflib ``Namespace``: the mapping writes N-Quads text and wants plain strings,
and a typo becomes an ``AttributeError`` instead of a silently new IRI.  ``PREFIXES`` is the
prefix table used for Turtle output and for SPARQL written by hand.
"""

from __future__ import annotations

KG_NS = "https://w3id.org/kommunegraf/ontology#"


class KG:
    """Terms of the project's own namespace (ontology/kommunegraf.ttl)."""

    NS = KG_NS
    # classes
    Municipality = KG_NS + "Municipality"
    Committee = KG_NS + "Committee"
    Meeting = KG_NS + "Meeting"
    AgendaItem = KG_NS + "AgendaItem"
    Decision = KG_NS + "Decision"
    Vote = KG_NS + "Vote"
    Case = KG_NS + "Case"
    Person = KG_NS + "Person"
    Party = KG_NS + "Party"
    PartyMembership = KG_NS + "PartyMembership"
    Organization = KG_NS + "Organization"
    Law = KG_NS + "Law"
    Provision = KG_NS + "Provision"
    Citation = KG_NS + "Citation"
    Project = KG_NS + "Project"
    Attachment = KG_NS + "Attachment"
    SourceDocument = KG_NS + "SourceDocument"
    Outcome = KG_NS + "Outcome"
    NextStep = KG_NS + "NextStep"
    KleSubject = KG_NS + "KleSubject"
    # municipality, committee, meeting
    kommunekode = KG_NS + "kommunekode"
    committee = KG_NS + "committee"
    date = KG_NS + "date"
    startTime = KG_NS + "startTime"
    location = KG_NS + "location"
    meetingKind = KG_NS + "meetingKind"
    period = KG_NS + "period"
    # agenda item
    meeting = KG_NS + "meeting"
    number = KG_NS + "number"
    itemKind = KG_NS + "itemKind"
    open = KG_NS + "open"
    case = KG_NS + "case"
    documentNumber = KG_NS + "documentNumber"
    spanStart = KG_NS + "spanStart"
    spanEnd = KG_NS + "spanEnd"
    attachment = KG_NS + "attachment"
    mentions = KG_NS + "mentions"
    refersTo = KG_NS + "refersTo"
    citationText = KG_NS + "citationText"
    citation = KG_NS + "citation"
    cited = KG_NS + "cited"
    # decision and vote
    item = KG_NS + "item"
    body = KG_NS + "body"
    outcome = KG_NS + "outcome"
    text = KG_NS + "text"
    absent = KG_NS + "absent"
    vote = KG_NS + "vote"
    votesFor = KG_NS + "votesFor"
    votesAgainst = KG_NS + "votesAgainst"
    abstentions = KG_NS + "abstentions"
    votedFor = KG_NS + "votedFor"
    votedAgainst = KG_NS + "votedAgainst"
    abstained = KG_NS + "abstained"
    partyVotedFor = KG_NS + "partyVotedFor"
    partyVotedAgainst = KG_NS + "partyVotedAgainst"
    partyAbstained = KG_NS + "partyAbstained"
    # a decision's status and next step (extract/next_steps.py)
    status = KG_NS + "status"
    sentBackTo = KG_NS + "sentBackTo"
    nextStep = KG_NS + "nextStep"
    stepKind = KG_NS + "stepKind"
    stepBody = KG_NS + "stepBody"
    stepDate = KG_NS + "stepDate"
    # case
    caseKey = KG_NS + "caseKey"
    municipality = KG_NS + "municipality"
    kleSubject = KG_NS + "kleSubject"
    kleLevel = KG_NS + "kleLevel"
    # people, parties, organisations, projects
    key = KG_NS + "key"
    role = KG_NS + "role"
    party = KG_NS + "party"
    # laws
    lawKind = KG_NS + "lawKind"
    printedAs = KG_NS + "printedAs"
    statedIn = KG_NS + "statedIn"
    # source document
    path = KG_NS + "path"
    sha256 = KG_NS + "sha256"
    format = KG_NS + "format"
    layout = KG_NS + "layout"
    # --- derived by graph/analysis/threads.py (block at the end of kommunegraf.ttl) ---
    Thread = KG_NS + "Thread"
    CrossMunicipalityLink = KG_NS + "CrossMunicipalityLink"
    threadItem = KG_NS + "threadItem"
    threadPosition = KG_NS + "threadPosition"
    threadCase = KG_NS + "threadCase"
    threadCommittee = KG_NS + "threadCommittee"
    threadTreatments = KG_NS + "threadTreatments"
    firstDate = KG_NS + "firstDate"
    lastDate = KG_NS + "lastDate"
    itemCount = KG_NS + "itemCount"
    meetingCount = KG_NS + "meetingCount"
    postponedTo = KG_NS + "postponedTo"
    linkKind = KG_NS + "linkKind"
    linkEntity = KG_NS + "linkEntity"
    linkItem = KG_NS + "linkItem"
    municipalityCount = KG_NS + "municipalityCount"
    itemDegree = KG_NS + "itemDegree"
    betweenness = KG_NS + "betweenness"
    computedOverDocuments = KG_NS + "computedOverDocuments"
    threadsOverDocuments = KG_NS + "threadsOverDocuments"
    talliesOverDocuments = KG_NS + "talliesOverDocuments"
    # --- counts kept at ingest by graph/analysis/tallies.py (same block of kommunegraf.ttl) ---
    Tally = KG_NS + "Tally"
    tallyKind = KG_NS + "tallyKind"
    tallyCount = KG_NS + "tallyCount"
    tallyCommittee = KG_NS + "tallyCommittee"
    tallyYear = KG_NS + "tallyYear"
    tallyOutcome = KG_NS + "tallyOutcome"
    tallyEntity = KG_NS + "tallyEntity"
    tallyPartner = KG_NS + "tallyPartner"
    tallyFirst = KG_NS + "tallyFirst"
    tallyLast = KG_NS + "tallyLast"


class RDF:
    NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    type = NS + "type"


class RDFS:
    NS = "http://www.w3.org/2000/01/rdf-schema#"
    label = NS + "label"
    subClassOf = NS + "subClassOf"
    subPropertyOf = NS + "subPropertyOf"


class XSD:
    NS = "http://www.w3.org/2001/XMLSchema#"
    string = NS + "string"
    integer = NS + "integer"
    nonNegativeInteger = NS + "nonNegativeInteger"
    boolean = NS + "boolean"
    date = NS + "date"
    time = NS + "time"


class SKOS:
    NS = "http://www.w3.org/2004/02/skos/core#"
    Concept = NS + "Concept"
    ConceptScheme = NS + "ConceptScheme"
    prefLabel = NS + "prefLabel"
    altLabel = NS + "altLabel"
    notation = NS + "notation"
    broader = NS + "broader"
    inScheme = NS + "inScheme"
    topConceptOf = NS + "topConceptOf"
    definition = NS + "definition"


class DCTERMS:
    NS = "http://purl.org/dc/terms/"
    identifier = NS + "identifier"
    title = NS + "title"
    date = NS + "date"
    isPartOf = NS + "isPartOf"
    references = NS + "references"
    subject = NS + "subject"
    type = NS + "type"


class PROV:
    NS = "http://www.w3.org/ns/prov#"
    wasDerivedFrom = NS + "wasDerivedFrom"


class ORG:
    NS = "http://www.w3.org/ns/org#"
    Organization = NS + "Organization"
    Membership = NS + "Membership"
    member = NS + "member"
    organization = NS + "organization"
    subOrganizationOf = NS + "subOrganizationOf"
    memberOf = NS + "memberOf"


class FOAF:
    NS = "http://xmlns.com/foaf/0.1/"
    name = NS + "name"
    Person = NS + "Person"


class ELI:
    NS = "http://data.europa.eu/eli/ontology#"
    LegalResource = NS + "LegalResource"
    LegalResourceSubdivision = NS + "LegalResourceSubdivision"
    is_part_of = NS + "is_part_of"
    cites = NS + "cites"


class BESLUIT:
    NS = "http://data.vlaanderen.be/ns/besluit#"


class MANDAAT:
    NS = "http://data.vlaanderen.be/ns/mandaat#"


PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "rdf": RDF.NS,
    "rdfs": RDFS.NS,
    "xsd": XSD.NS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": SKOS.NS,
    "dcterms": DCTERMS.NS,
    "prov": PROV.NS,
    "org": ORG.NS,
    "foaf": FOAF.NS,
    "person": "http://www.w3.org/ns/person#",
    "eli": ELI.NS,
    "besluit": BESLUIT.NS,
    "mandaat": MANDAAT.NS,
    "schema": "http://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prefixes(names: tuple[str, ...] | None = None) -> str:
    """PREFIX lines for a hand-written SPARQL query (all known prefixes by default)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in chosen)
