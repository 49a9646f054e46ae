"""Record → N-Quads: valid, escaped, in one named graph, and saying what the minutes say."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import SH

from kommunegraf.extract.records import (
    Decision,
    Item,
    Law,
    Meeting,
    Municipality,
    Person,
    Project,
    Record,
    Reference,
    Source,
    Votes,
)
from kommunegraf.graph.rdf.iris import DEFAULT_BASE, IRIS
from kommunegraf.graph.rdf.mapping import kle_subject_code, literal, map_record, record_turtle
from kommunegraf.ontology import SHAPES_TTL, reference_files
from kommunegraf.ontology.terms import KG, sparql_prefixes

ID = DEFAULT_BASE + "id/"
NQ = pyoxigraph.RdfFormat.N_QUADS
NT = pyoxigraph.RdfFormat.N_TRIPLES

HOSTILE = [
    'She said "no" \\ then left',
    "line one\nline two\r\nline three",
    "<script>alert('x')</script>",
    "} ; DROP ALL ; #",
    '" . <http://evil.example/s> <http://evil.example/p> "x" <http://evil.example/g> .\n#',
    "".join(chr(c) for c in range(0x20)),
    "tab\there, bell\a, escape\x1b, nul\x00 end",
    "Ærø Å Ø æøå – “quotes” ‘single’ — €",
    "\\u0022 not an escape \\n either",
]


def _store(*mapped_nquads: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for text in mapped_nquads:
        store.load(input=text, format=NQ)
    return store


def _select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    # the union default graph repeats a triple once per graph that holds it: DISTINCT rows
    query = query.replace("SELECT ?", "SELECT DISTINCT ?", 1)
    results = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def _invented_record(**overrides: object) -> Record:
    """A small record of an invented municipality and committee (not from the seeds)."""
    item = Item(
        number=4,
        title="Tilskud til Sølvgadens Idrætsforening",
        kind="decision",
        case_number="18.20.00-Ø54-3-22",
        document_number="DOK-2022-118",
        open=False,
        decisions=[
            Decision(
                body="Kultur- og Fritidsudvalget",
                date="2022-03-01",
                outcome="postponed",
                text="Udsat. Ida Østergaard var fraværende.",
                absent=["Ida Østergaard"],
            ),
            Decision(
                body=None,
                date="2022-04-05",
                outcome="rejected",
                text="Forkastet med 2 stemmer for og 5 imod.",
                votes=Votes(for_=2, against=5, abstain=0, for_names=["Bo Ærenlund"]),
            ),
            Decision(body=None, date="2022-04-05", outcome="weird-outcome", text="Tilføjelse."),
        ],
        people=[
            Person("Ida Østergaard", "Å", "formand", "ida-oestergaard"),
            Person("Bo Ærenlund", "Ø", None, None),
        ],
        organizations=["Sølvgadens Idrætsforening"],
        laws=[
            Law("act", "Lov om idræt i kommuner", "§ 3, stk. 2", "idrætslovens § 3, stk. 2"),
            Law("act", None, "§ 9", "§ 9"),
            Law(
                "act",
                "Folkeoplysningsloven",
                None,
                "folkeoplysningsloven",
                "https://www.retsinformation.dk/eli/lta/2018/1115",
            ),
        ],
        projects=[Project("Aktiv hele livet", None)],
        references=[
            Reference(None, "2021-11-02", 17),
            Reference("Økonomiudvalget", "2021-12-07", 201),
            Reference(None, "2021-10-01", None),
        ],
        attachments=["Ansøgning fra foreningen.pdf", "Budget 2022"],
        span=(120, 2048),
    )
    record = Record(
        source=Source("fjordby/kultur-2022-04-05.txt", "c0ffee" + "0" * 58, "text", "generic"),
        municipality=Municipality("Fjordby Kommune", None),
        meeting=Meeting(
            "Kultur- og Fritidsudvalget",
            "2022-2025",
            "2022-04-05",
            "16:00",
            "Rådhuset, lokale 3",
            "referat",
        ),
        items=[item],
    )
    for key, value in overrides.items():
        setattr(record, key, value)
    return record


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_round_trips_through_pyoxigraph(text: str) -> None:
    line = f"<http://a.example/s> <http://a.example/p> {literal(text)} <http://a.example/g> .\n"
    quads = list(pyoxigraph.parse(line, format=NQ))
    assert len(quads) == 1
    assert quads[0].object.value == text


def test_hostile_record_round_trips_and_injects_nothing() -> None:
    record = _invented_record()
    item = record.items[0]
    item.title = HOSTILE[4]
    item.case_number = HOSTILE[3]
    item.attachments = HOSTILE
    item.decisions[0].text = HOSTILE[5]
    item.decisions[0].absent = [HOSTILE[0], HOSTILE[1]]
    item.people = [Person(HOSTILE[2], "F", HOSTILE[6], None)]
    item.organizations = [HOSTILE[7]]
    item.projects = [Project(HOSTILE[8], HOSTILE[4])]
    item.laws = [Law("act", HOSTILE[4], HOSTILE[1], HOSTILE[3], HOSTILE[2])]
    record.meeting.committee = HOSTILE[4]
    record.meeting.location = HOSTILE[1]
    record.municipality.name = HOSTILE[3]
    record.source.path = HOSTILE[4]

    mapped = map_record(record)
    quads = list(pyoxigraph.parse(mapped.nquads, format=NQ))
    assert len(quads) == mapped.quads
    assert {q.graph_name.value for q in quads} == {mapped.graph}
    assert not any("evil.example" in str(q.subject) + str(q.predicate) for q in quads)
    values = {q.object.value for q in quads if isinstance(q.object, pyoxigraph.Literal)}
    for text in HOSTILE:
        assert text in values, text


PRINTED_AS_STORED = [
    *HOSTILE,
    "ctl\x01\x08\x0c\x1f\x7f",
    'tab\tnew\nret\r "quoted" back\\slash',
    "lone\ud800sur",
    "æøå Ærø \u2028\u2029\x85 \U0001d518",
]


@pytest.mark.parametrize("text", PRINTED_AS_STORED)
def test_literal_is_printed_as_the_store_prints_it(text: str) -> None:
    """The derived graph is patched by deleting lines as the store prints them: a line made
    with literal() must be that line, or a patch would leave the old triple behind."""
    line = f"<http://a.example/s> <http://a.example/p> {literal(text)} ."
    store = pyoxigraph.Store()
    store.load(line.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    (quad,) = store.quads_for_pattern(None, None, None)
    assert f"{quad.triple} ." == line


def test_lone_surrogate_becomes_replacement_character() -> None:
    lone = "a\ud800b"
    line = f"<http://a.example/s> <http://a.example/p> {literal(lone)} .\n"
    quads = list(pyoxigraph.parse(line, format=NQ))
    assert quads[0].object.value == "a\ufffdb"


# --- content of an invented record ----------------------------------------------------


def test_invented_record_maps_what_it_says() -> None:
    mapped = map_record(_invented_record())
    store = _store(mapped.nquads)
    mun = ID + "fjordby"
    committee = mun + "/udvalg/kultur-og-fritidsudvalget"
    item = committee + "/moede/2022-04-05/punkt/4"
    assert mapped.graph == ID + "kilde/c0ffee0000000000"
    assert (mapped.items, mapped.decisions) == (1, 3)

    rows = _select(
        store,
        f"""SELECT ?d ?date ?outcome ?body WHERE {{
              ?d a kg:Decision ; kg:item <{item}> ; kg:outcome ?outcome ; kg:body ?body ;
                 kg:date ?date }} ORDER BY ?d""",
    )
    assert [(r["d"].rsplit("/", 1)[1], r["outcome"].rsplit("/", 1)[1]) for r in rows] == [
        ("2022-03-01", "postponed"),
        ("2022-04-05", "rejected"),
        ("2022-04-05-2", "other"),
    ]
    assert {r["body"] for r in rows} == {committee}

    rows = _select(
        store,
        f"""SELECT ?n ?open ?start ?end ?case ?key ?kle ?doc WHERE {{
              <{item}> kg:number ?n ; kg:open ?open ; kg:spanStart ?start ; kg:spanEnd ?end ;
                 kg:documentNumber ?doc ; prov:wasDerivedFrom <{mapped.graph}> ;
                 kg:case ?case . ?case kg:caseKey ?key ; kg:municipality <{mun}> .
              OPTIONAL {{ ?case kg:kleSubject ?kle }} }}""",
    )
    assert rows == [
        {
            "n": "4",
            "open": "false",
            "start": "120",
            "end": "2048",
            "case": mun + "/sag/18.20.00-Ø54-3-22",
            "key": "18.20.00-Ø54-3-22",
            "kle": ID + "kle/18.20.00",
            "doc": "DOK-2022-118",
        }
    ]

    absent = _select(store, "SELECT ?p ?name WHERE { ?d kg:absent ?p . ?p foaf:name ?name }")
    assert absent == [{"p": mun + "/person/ida-oestergaard", "name": "Ida Østergaard"}]
    votes = _select(
        store,
        """SELECT ?for ?against ?abstain ?who WHERE { ?d kg:vote ?v . ?v a kg:Vote ;
             kg:votesFor ?for ; kg:votesAgainst ?against ; kg:abstentions ?abstain ;
             kg:votedFor ?who }""",
    )
    assert votes == [
        {"for": "2", "against": "5", "abstain": "0", "who": mun + "/person/bo-aerenlund"}
    ]
    party = _select(
        store,
        """SELECT ?p ?party ?letter WHERE { ?m a kg:PartyMembership ; org:member ?p ;
             org:organization ?party . ?party skos:notation ?letter } ORDER BY ?p""",
    )
    assert party == [
        {"p": mun + "/person/bo-aerenlund", "party": ID + "parti/oe", "letter": "Ø"},
        {"p": mun + "/person/ida-oestergaard", "party": ID + "parti/aa", "letter": "Å"},
    ]


def test_invented_record_laws_references_and_attachments() -> None:
    mapped = map_record(_invented_record())
    store = _store(mapped.nquads)
    item = ID + "fjordby/udvalg/kultur-og-fritidsudvalget/moede/2022-04-05/punkt/4"
    cited = {r["x"] for r in _select(store, f"SELECT ?x WHERE {{ <{item}> eli:cites ?x }}")}
    law = ID + "lov/lov-om-idraet-i-kommuner"
    assert cited == {
        law,
        law + "/paragraf/3-stk-2",
        "https://www.retsinformation.dk/eli/lta/2018/1115",
    }
    part = _select(store, "SELECT ?p ?l WHERE { ?p a kg:Provision ; eli:is_part_of ?l }")
    assert part == [{"p": law + "/paragraf/3-stk-2", "l": law}]
    loose = _select(store, f"SELECT ?t WHERE {{ <{item}> kg:citationText ?t }}")
    assert loose == [{"t": "§ 9"}]
    refs = {r["r"] for r in _select(store, f"SELECT ?r WHERE {{ <{item}> kg:refersTo ?r }}")}
    assert refs == {
        ID + "fjordby/udvalg/kultur-og-fritidsudvalget/moede/2021-11-02/punkt/17",
        ID + "fjordby/udvalg/oekonomiudvalget/moede/2021-12-07/punkt/201",
    }
    attachments = _select(
        store,
        f"""SELECT ?a ?n ?t WHERE {{ <{item}> kg:attachment ?a . ?a a kg:Attachment ;
              kg:number ?n ; dcterms:title ?t }} ORDER BY ?n""",
    )
    assert [(r["a"].rsplit("/", 2)[1:], r["t"]) for r in attachments] == [
        (["bilag", "1"], "Ansøgning fra foreningen.pdf"),
        (["bilag", "2"], "Budget 2022"),
    ]


def test_record_without_municipality_or_date_still_maps() -> None:
    record = _invented_record(municipality=Municipality(None, None))
    record.meeting.date = None
    record.items[0].decisions = [Decision(None, None, "approved", "Godkendt.")]
    mapped = map_record(record)
    quads = list(pyoxigraph.parse(mapped.nquads, format=NQ))
    subjects = {q.subject.value for q in quads}
    meeting = ID + "ukendt/udvalg/kultur-og-fritidsudvalget/moede/kilde-c0ffee0000000000"
    assert meeting in subjects
    assert meeting + "/punkt/4/beslutning/udateret-1" in subjects


def test_mapping_is_deterministic_and_base_configurable() -> None:
    assert map_record(_invented_record()).nquads == map_record(_invented_record()).nquads
    other = map_record(_invented_record(), base="https://kg.example.dk/")
    assert other.graph == "https://kg.example.dk/id/kilde/c0ffee0000000000"
    assert "w3id.org/kommunegraf/id" not in other.nquads


def test_record_turtle_has_the_same_triples() -> None:
    record = _invented_record()
    mapped = map_record(record)
    turtle = record_turtle(record)
    triples = list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == mapped.quads
    assert "kg:Decision" in turtle


@pytest.mark.parametrize(
    ("case_number", "code"),
    [
        ("15.20.00-A00-2-10", "15.20.00"),
        ("00.22.02-P35-7-14", "00.22.02"),
        ("15.20.99-G01-1-21", "15.20"),  # unknown emne → its gruppe
        ("330-2019-57265", None),
        ("17/46", None),
        ("15.20.001-A00", None),
    ],
)
def test_kle_subject_code(case_number: str, code: str | None) -> None:
    assert kle_subject_code(case_number) == code


# --- the gold records -----------------------------------------------------------------


@pytest.fixture(scope="module")
def gold_mapped(gold_records: dict[str, dict]) -> dict[str, object]:
    return {stem: map_record(Record.from_json(data)) for stem, data in gold_records.items()}


@pytest.fixture(scope="module")
def gold_store(gold_mapped: dict[str, object]) -> pyoxigraph.Store:
    return _store(*(m.nquads for m in gold_mapped.values()))


def test_gold_records_parse_into_their_own_graphs(gold_mapped: dict, gold_records: dict) -> None:
    assert len(gold_mapped) == 4
    for stem, mapped in gold_mapped.items():
        quads = list(pyoxigraph.parse(mapped.nquads, format=NQ))
        assert len(quads) == mapped.quads > 100
        assert {q.graph_name.value for q in quads} == {mapped.graph}
        assert mapped.graph == IRIS.source(gold_records[stem]["source"]["sha256"])
        assert mapped.items == len(gold_records[stem]["items"])


def test_gold_naestved_item_39_postponed_with_absentee(gold_store: pyoxigraph.Store) -> None:
    rows = _select(
        gold_store,
        """SELECT ?date ?name WHERE {
             ?meeting a kg:Meeting ; kg:date "2018-05-15"^^xsd:date ; kg:committee ?c .
             ?c org:subOrganizationOf ?m . ?m kg:kommunekode "370" .
             ?item kg:meeting ?meeting ; kg:number 39 .
             ?d kg:item ?item ; kg:outcome <https://w3id.org/kommunegraf/id/udfald/postponed> ;
                kg:date ?date ; kg:absent ?p . ?p foaf:name ?name }""",
    )
    assert rows == [{"date": "2018-04-10", "name": "Kristian Skov-Andersen"}]


def test_gold_randers_item_150_vote(gold_store: pyoxigraph.Store) -> None:
    rows = _select(
        gold_store,
        """SELECT ?for ?against ?name WHERE {
             ?item a kg:AgendaItem ; kg:number 150 ;
                   kg:meeting/kg:committee/org:subOrganizationOf ?m .
             ?m kg:kommunekode "730" .
             ?d kg:item ?item ; kg:vote ?v .
             ?v kg:votesFor ?for ; kg:votesAgainst ?against ; kg:votedAgainst ?p .
             ?p foaf:name ?name }""",
    )
    assert rows == [{"for": "6", "against": "1", "name": "Kasper Fuhr Christensen"}]


def test_gold_reference_points_to_the_future_item_iri(gold_store: pyoxigraph.Store) -> None:
    rows = _select(
        gold_store,
        """SELECT ?c ?target WHERE {
             ?meeting kg:date "2018-05-15"^^xsd:date ; kg:committee ?c .
             ?item kg:meeting ?meeting ; kg:number 39 ; kg:refersTo ?target }""",
    )
    targets = {r["target"] for r in rows}
    committee = rows[0]["c"]
    assert committee + "/moede/2018-03-05/punkt/21" in targets
    assert committee + "/moede/2017-06-19/punkt/77" in targets


def test_gold_randers_earlier_body_is_its_own_committee(gold_store: pyoxigraph.Store) -> None:
    rows = _select(
        gold_store,
        """SELECT DISTINCT ?body ?label WHERE {
             ?item kg:number 150 . ?d kg:item ?item ; kg:date "2017-11-30"^^xsd:date ;
             kg:body ?body . ?body a kg:Committee ; rdfs:label ?label }""",
    )
    assert rows == [
        {
            "body": ID + "randers/udvalg/miljoe-og-teknikudvalget",
            "label": "Miljø- og teknikudvalget",
        }
    ]


def test_gold_cases_are_per_municipality_with_kle_subject(gold_store: pyoxigraph.Store) -> None:
    rows = _select(
        gold_store,
        """SELECT ?case ?kle (COUNT(DISTINCT ?item) AS ?n) WHERE {
             ?item kg:case ?case . ?case dcterms:identifier "00.22.00-P35-34-17" ;
             kg:kleSubject ?kle } GROUP BY ?case ?kle""",
    )
    # the standing "approve the agenda" case of one Næstved committee, in two documents
    assert rows == [
        {"case": ID + "naestved/sag/00.22.00-P35-34-17", "kle": ID + "kle/00.22.00", "n": "4"}
    ]


def test_gold_with_reference_data_conforms_to_the_shapes(gold_mapped: dict) -> None:
    """The mapped gold records plus the reference graph satisfy ontology/shapes.ttl.

    Only warnings remain: the hand-made gold records carry no character spans.
    """
    data = rdflib.Graph()
    for path in reference_files():
        data.parse(path, format="turtle")
    for mapped in gold_mapped.values():
        triples = (q.triple for q in pyoxigraph.parse(mapped.nquads, format=NQ))
        data.parse(data=pyoxigraph.serialize(triples, format=NT), format="nt")
    shapes = rdflib.Graph().parse(SHAPES_TTL)
    conforms, results, text = validate(data, shacl_graph=shapes, allow_warnings=True)
    assert conforms, text
    warned = {
        (str(results.value(r, SH.resultPath)), str(results.value(r, SH.focusNode)))
        for r in results.subjects(SH.resultSeverity, SH.Warning)
    }
    items = sum(m.items for m in gold_mapped.values())
    assert {path for path, _ in warned} == {KG.spanStart, KG.spanEnd}
    assert len(warned) == 2 * items
