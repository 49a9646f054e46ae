"""`kommunegraf query` answers a reader can use (issue 18.2 and 18.3).

Names instead of IRIs (the IRIs kept in csv/json columns of their own), the project's
prefixes without declaring them, a syntax error in one readable line, whole values when the
output is piped, wrapped (never cut) columns on a terminal, and no echo of the parameters.
Invented minutes (OPDIGTET: Lemvig, invented people and items).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kommunegraf import queries
from kommunegraf.extract.records import Record
from kommunegraf.graph.analysis.threads import recompute
from kommunegraf.graph.cli.main import main
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import IRI, DocumentLoad, open_store
from kommunegraf.queries.results import (
    EXPECTED_ITEM_RE,
    PREFIX_DECLARATION_RE,
    PREFIXED_NAME_RE,
    SAFE_IRI_RE,
    SYNTAX_ERROR_RE,
    Table,
    readable_syntax_error,
    render_text,
    with_prefixes,
)

LEMVIG = "https://w3id.org/kommunegraf/id/lemvig"
COMMITTEE = "Social-, Sundheds- og Arbejdsmarkedsudvalget"
LONG_TITLE = (
    "Godkendelse af retningslinjer for den kommunale pulje til revalidering og "
    "opkvalificering af ledige i samarbejde med de lokale virksomheder og uddannelsessteder"
)


def invented_record() -> Record:
    return Record.from_json(
        {
            "source": {"path": "opdigtet-lemvig.txt",
                       "sha256": hashlib.sha256(b"opdigtet-lemvig").hexdigest()},
            "municipality": {"name": "Lemvig Kommune", "code": "665"},
            "meeting": {"committee": COMMITTEE, "date": "2023-01-16", "kind": "referat"},
            "items": [
                {"number": 4, "title": LONG_TITLE, "case_number": "15.00.00-G01-3-23",
                 "decisions": [{"body": COMMITTEE, "date": "2023-01-16", "outcome": "approved",
                                "text": "Godkendt.",
                                "votes": {"for": 5, "against": 1,
                                          "against_names": ["Mads Holmgaard"]}}],
                 "people": [{"name": "Mads Holmgaard", "party": "V"}]},
            ],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("query-output") / "store"
    rec = invented_record()
    mapped = map_record(rec)
    with open_store(folder, write=True) as store:
        store.load_reference()
        store.replace_documents([DocumentLoad(mapped.graph, mapped.nquads, rec.source.sha256, ())])
        recompute(store)
    return folder


def query(store_dir: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["--store", str(store_dir), "query", *args])


def test_tables_name_resources_and_csv_keeps_the_iri_beside(store_dir: Path) -> None:
    table = query(store_dir, "meetings-per-committee")
    assert table.exit_code == 0, table.output
    assert "Lemvig Kommune" in table.output and "id:lemvig" not in table.output
    rows = list(csv.DictReader(io.StringIO(query(store_dir, "meetings-per-committee",
                                                 "--format", "csv").output)))  # fmt: skip
    assert [(r["municipality"], r["municipality_iri"]) for r in rows] == [
        ("Lemvig Kommune", LEMVIG)
    ]
    as_json = json.loads(query(store_dir, "meetings-per-committee", "--format", "json").output)
    assert as_json["head"]["vars"][:2] == ["municipality", "municipality_iri"]
    first = as_json["results"]["bindings"][0]
    assert first["municipality"] == {"type": "literal", "value": "Lemvig Kommune"}
    assert first["municipality_iri"] == {"type": "uri", "value": LEMVIG}
    assert first["meetings"]["datatype"].endswith("#integer")  # the server's datatypes kept


def test_parameters_are_not_echoed_as_columns(store_dir: Path) -> None:
    table = query(store_dir, "votes-against", "-p", "person=holm")
    assert table.exit_code == 0, table.output
    assert "Mads Holmgaard" in table.output
    assert "person" not in table.output.splitlines()[0].split()
    rows = list(
        csv.DictReader(
            io.StringIO(
                query(store_dir, "votes-against", "-p", "person=holm", "--format", "csv").output
            )
        )
    )
    assert rows and "person" not in rows[0]
    as_json = json.loads(query(store_dir, "votes-against", "-p", "person=holm",
                               "--format", "json").output)  # fmt: skip
    assert "person" not in as_json["head"]["vars"]


def test_piped_tables_print_whole_values(store_dir: Path) -> None:
    done = query(store_dir, "case-history", "-p", "case=15.00.00-G01-3-23")
    assert done.exit_code == 0, done.output
    assert LONG_TITLE in done.output and COMMITTEE in done.output
    assert "…" not in done.output


def test_a_terminal_table_wraps_and_cuts_nothing() -> None:
    variables = ["municipality", "title", "decision"]
    decision = "Godkendt med den bemærkning, at puljen evalueres efter et år."
    rows = [{"municipality": "Lemvig Kommune", "title": LONG_TITLE, "decision": decision}]
    text = render_text(Table(variables, rows), base="https://w3id.org/kommunegraf/", width=60)
    lines = text.splitlines()
    assert all(len(line) <= 60 for line in lines), text
    assert "…" not in text
    words = " ".join(line for line in lines[2:-1]).split()
    for value in rows[0].values():
        for word in value.split():
            assert word in words, word
    whole = render_text(Table(variables, rows), base="https://w3id.org/kommunegraf/", width=None)
    assert LONG_TITLE in whole


def test_expressions_know_the_projects_prefixes(store_dir: Path) -> None:
    done = query(store_dir, "-e", "SELECT ?m WHERE { ?m a kg:Meeting ; kg:committee ?c }",
                 "--format", "csv")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0] == "m,m_iri"
    text, added = with_prefixes("PREFIX kg: <urn:x#>\nSELECT * WHERE { ?s rdfs:label ?o }")
    assert added == 1 and text.count("PREFIX kg:") == 1 and "PREFIX rdfs:" in text
    assert with_prefixes("ASK { <urn:a:b> ?p 'kg:x' }") == ("ASK { <urn:a:b> ?p 'kg:x' }", 0)


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ('SELECT ?s WHERE { ?s ?p "x }', "line 1, column 29"),
        ("SELECT ?s\nWHERE { ?s kg:date ?d . FILTER(?d = ) }", "line 2"),
        ("SELECT ?s WHERE { ?s ex:foo ?o }", "prefix ex: is not declared"),
        ("SELECT ?s WHERE { ?s ?p 1 } LIMIT", "a digit"),
    ],
)
def test_a_syntax_error_is_one_readable_line(store_dir: Path, sparql: str, expected: str) -> None:
    done = query(store_dir, "-e", sparql)
    assert done.exit_code == 1
    message = done.output.strip()
    assert message.startswith("error: SPARQL syntax error at line") and "\n" not in message
    assert expected in message, message
    assert "\\u{" not in message and "..=" not in message  # no Unicode ranges


def test_a_missing_query_file_is_named_as_missing(store_dir: Path) -> None:
    done = query(store_dir, "missing.rq")
    assert done.exit_code == 1
    assert "missing.rq: no such query file" in done.output and "bundled" not in done.output


def test_query_frame_gives_a_dataframe(store_dir: Path) -> None:
    pandas = pytest.importorskip("pandas", reason="pandas comes with the notebooks extra")
    with open_store(store_dir, write=False) as store:
        frame = queries.query_frame(store, "votes-against", person="holm")
        assert isinstance(frame, pandas.DataFrame)
        assert list(frame["name"]) == ["Mads Holmgaard"] and "person" not in frame.columns
        table = queries.run(store, "meetings-per-committee", municipality="Lemvig")
        assert "municipality" not in table.variables  # a parameter: not echoed
        assert [r["committee"] for r in table.rows] == [COMMITTEE]
        every = queries.run(store, "meetings-per-committee")
        assert [(r["municipality"], r["municipality_iri"]) for r in every.rows] == [
            ("Lemvig Kommune", IRI(LEMVIG))
        ]


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (SAFE_IRI_RE, "https://w3id.org/kommunegraf/id/naestved", True),
        (SAFE_IRI_RE, "urn:a b", False),
        (SAFE_IRI_RE, "urn:a>b", False),
        (PREFIX_DECLARATION_RE, "prefix  foaf:<http://xmlns.com/foaf/0.1/>", True),
        (PREFIX_DECLARATION_RE, "SELECT ?prefix WHERE {}", False),
        (PREFIXED_NAME_RE, "?s rdfs:label ?o", True),
        (SYNTAX_ERROR_RE, 'error at 1:30: expected one of "{", [_]', True),
        (SYNTAX_ERROR_RE, "no such thing", False),
        (EXPECTED_ITEM_RE, "['0'..='9']", True),
    ],
)
def test_patterns(pattern: Any, text: str, found: bool) -> None:
    if pattern is PREFIXED_NAME_RE:
        assert any(m["prefix"] for m in pattern.finditer(text)) is found
    else:
        assert bool(pattern.search(text)) is found


def test_readable_syntax_error_words() -> None:
    message = (
        "error at 1:9: expected one of \"{\", ['0'..='9'], ['A' ..= 'Z' | 'a' ..= 'z' | "
        "'\\u{00C0}'..='\\u{00D6}'], Prefix not found, [_]"
    )
    line = readable_syntax_error(message, "SELECT * x")
    assert line == (
        "SPARQL syntax error at line 1, column 9 (at 'x'): expected one of \"{\", a digit, "
        "a name, a declared prefix"
    )
