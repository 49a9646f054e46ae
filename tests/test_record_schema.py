"""Every record the project writes or measures against fits docs/record.schema.json.

The schema is the record's contract in a form a machine checks: the extractor's output must
fit it exactly (every key present, no stray key, closed vocabularies, dates and times in
their shapes), gold files must fit its gold variant (keys below the top may be left out, as a
key left out of a gold item is not scored), and docs/records.md must name every key the
schema defines, so that the prose, the schema and the code cannot drift apart unnoticed.
docs/design.md is held to the command line the same way: every command and option, and
every room of the graph package, must be in it.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from kommunegraf.extract import extract_path
from kommunegraf.extract.layouts.profiles import bundled
from kommunegraf.extract.records import (
    ITEM_KINDS,
    LAW_KINDS,
    OUTCOMES,
    Decision,
    Item,
    Law,
    Meeting,
    Municipality,
    Person,
    Project,
    Record,
    Reference,
    Section,
    Source,
    Votes,
)
from kommunegraf.graph.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "record.schema.json").read_text(encoding="utf-8"))
RECORDS_DOC = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix != ".md")
PROFILE_SAMPLES = sorted((ROOT / "tests" / "profiles").glob("*/sample.txt"))
# The project's own gold files: the held-out samples scored by bench/ and the accuracy tests
# (tests/data holds other JSON too, such as saved query answers: only these folders are gold)
OWN_GOLD = sorted(
    [
        *(ROOT / "tests" / "heldout_general").glob("*/*.gold.json"),
        *(ROOT / "tests" / "data" / "unseen").glob("*.json"),
        *(ROOT / "tests" / "data" / "profiles-heldout").glob("*.json"),
    ]
)
# Every how-many'th Greve meeting is extracted: ~20 of 198, spread over both years
GREVE_STEP = 10


def gold_variant(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as gold files use it: only ``items`` is required (a key a gold file leaves
    out is not scored), but every type, vocabulary, pattern and closed object still holds,
    so a misspelt key or a wrong value in a gold file still fails."""
    relaxed = copy.deepcopy(schema)
    relaxed["required"] = ["items"]
    for definition in relaxed["$defs"].values():
        definition.pop("required", None)
    return relaxed


def extracted_variant(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as the extractor of today must meet it: every property of every object is
    present.  The schema itself leaves a few optional (``status``, ``sent_back_to`` and
    ``next_step`` of a decision: a record written before issue 20 lacks them), but what
    ``extract`` writes now carries them all, and a key it stopped writing fails here."""
    complete = copy.deepcopy(schema)
    for definition in complete["$defs"].values():
        if "properties" in definition:
            definition["required"] = list(definition["properties"])
    return complete


RECORD = Draft202012Validator(SCHEMA)
GOLD = Draft202012Validator(gold_variant(SCHEMA))
EXTRACTED = Draft202012Validator(extracted_variant(SCHEMA))


def problems(validator: Draft202012Validator, record: Any) -> list[str]:
    """Each validation error as 'path: message', for a readable assertion."""
    return [
        "/".join(str(p) for p in error.absolute_path) + ": " + error.message[:200]
        for error in validator.iter_errors(record)
    ]


def _extracted(path: Path) -> dict[str, Any]:
    return extract_path(path).to_json()


# --- the schema itself, and its agreement with the code ---------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_closed_vocabularies_are_the_codes_own() -> None:
    defs = SCHEMA["$defs"]
    assert defs["decision"]["properties"]["outcome"]["enum"] == list(OUTCOMES)
    assert defs["item"]["properties"]["kind"]["enum"] == [*ITEM_KINDS, None]
    assert defs["law"]["properties"]["kind"]["enum"] == list(LAW_KINDS)


def _every_part() -> Record:
    """A record with one of every object the code can write, each key set."""
    votes = Votes(
        for_=9, against=8, abstain=None, for_names=["Ib Opdigtet"], against_names=[],
        abstain_names=["Kaj Opdigtet"], for_parties=["V", "UP-1"], against_parties=["Ø"],
        abstain_parties=[],
    )  # fmt: skip
    decision = Decision("Økonomiudvalget", "2024-03-04", "recommended", "Anbefales.", [], votes)
    item = Item(
        number=4,
        title="Opdigtet sag",
        kind="decision",
        case_number="24-000001",
        document_number="330-2024-1",
        open=True,
        decisions=[decision],
        people=[Person("Ib Opdigtet", "V", "formand", "ib-opdigtet")],
        organizations=["Center for Opdigt"],
        laws=[Law("act", "Planloven", "§ 19", "planlovens § 19", "lov/planloven/paragraf/19")],
        projects=[Project("Grøn Opdigt 2030", "gron-opdigt-2030")],
        references=[Reference("Byrådet", "2023-12-11", 7)],
        attachments=["Bilag 1 - opdigtet notat"],
        span=(10, 200),
        sections=[Section("Beslutning", "Anbefales.")],
        organization_keys={"Center for Opdigt": "center-for-opdigt"},
    )
    return Record(
        source=Source("opdigtet.txt", "0" * 64, "text", "generic"),
        municipality=Municipality("Greve Kommune", "253"),
        meeting=Meeting(
            "Økonomiudvalget", "2022-2025", "2024-03-04", "16:00", "Rådhuset", "referat", False
        ),
        items=[item],
    )


def test_a_record_with_every_part_fits_and_uses_every_key() -> None:
    """A key added to the code's records but not to the schema fails here (closed objects),
    and a key in the schema the code no longer writes fails the 'required' check."""
    record = _every_part().to_json()
    assert problems(EXTRACTED, record) == []
    assert problems(EXTRACTED, Record.from_json(record).to_json()) == []


# --- gold files ---------------------------------------------------------------------------


def test_shared_gold_records_fit(gold_records: dict[str, dict], shared_dir: Path) -> None:
    corpus_gold = sorted((shared_dir / "corpus" / "gold").glob("*.json"))
    assert gold_records and corpus_gold
    found = {f"gold/{stem}": r for stem, r in gold_records.items()}
    found |= {f"corpus/gold/{p.name}": json.loads(p.read_text("utf-8")) for p in corpus_gold}
    bad = {name: errs for name, r in found.items() if (errs := problems(GOLD, r))}
    assert bad == {}


def test_the_projects_own_gold_files_fit() -> None:
    assert OWN_GOLD, "tests/heldout_general and tests/data hold gold files"
    bad = {
        str(p.relative_to(ROOT)): errs
        for p in OWN_GOLD
        if (errs := problems(GOLD, json.loads(p.read_text(encoding="utf-8"))))
    }
    assert bad == {}


# --- what extract writes ----------------------------------------------------------------


def test_seed_records_fit(seed_paths: list[Path]) -> None:
    assert len(seed_paths) == 4
    bad = {p.name: errs for p in seed_paths if (errs := problems(EXTRACTED, _extracted(p)))}
    assert bad == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_records_fit(path: Path) -> None:
    assert problems(EXTRACTED, _extracted(path)) == []


@pytest.mark.parametrize("path", PROFILE_SAMPLES, ids=lambda p: p.parent.name)
def test_profile_fixture_records_fit(path: Path) -> None:
    assert problems(EXTRACTED, _extracted(path)) == []


def test_a_sample_of_greve_meetings_fits(greve_meetings: list[Path]) -> None:
    sample = greve_meetings[::GREVE_STEP]
    assert len(sample) >= 15
    bad = {p.name: errs for p in sample if (errs := problems(EXTRACTED, _extracted(p)))}
    assert bad == {}


def test_a_saved_portal_page_fits(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "corpus" / "firstagenda-html").glob("*.html"))
    assert pages
    for page in pages:
        record = _extracted(page)
        assert record["source"]["layout"] == "firstagenda-html"
        assert problems(EXTRACTED, record) == []


def test_the_cli_prints_a_record_that_fits() -> None:
    path = next(p for p in EXAMPLES if p.suffix == ".txt")
    result = CliRunner().invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert problems(EXTRACTED, json.loads(result.output)) == []


# --- records that must not fit ----------------------------------------------------------


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    """An extracted record with at least one decision, to spoil in one place at a time."""
    for path in EXAMPLES:
        record = _extracted(path)
        if any(item["decisions"] for item in record["items"]):
            return record
    raise AssertionError("no example has a decision")


def _first_decision(record: dict[str, Any]) -> dict[str, Any]:
    return next(d for item in record["items"] for d in item["decisions"])


def _spoil(record: dict[str, Any], how: str) -> dict[str, Any]:
    bad = copy.deepcopy(record)
    item, decision = bad["items"][0], _first_decision(bad)
    if how == "misspelt item key":
        item["case_nummer"] = item.pop("case_number")
    elif how == "misspelt top-level key":
        bad["meting"] = bad.pop("meeting")
    elif how == "outcome not in the vocabulary":
        decision["outcome"] = "approve"
    elif how == "date not ISO":
        bad["meeting"]["date"] = "15.05.2018"
    elif how == "month 13":
        decision["date"] = "2023-13-01"
    elif how == "time without leading zero":
        bad["meeting"]["start_time"] = "9:30"
    elif how == "unknown source format":
        bad["source"]["format"] = "docx"
    elif how == "item number as text":
        item["number"] = "4"
    elif how == "party as a name":
        decision["votes"] = {
            "for": None, "against": None, "abstain": None, "for_names": [],
            "against_names": [], "abstain_names": [], "for_parties": ["Venstre"],
            "against_parties": [], "abstain_parties": [],
        }  # fmt: skip
    elif how == "next step of an unknown kind":
        decision["next_step"] = {"kind": "soon", "bodies": [], "date": None}
    elif how == "status not a string":
        decision["status"] = 1
    elif how == "title with edge spaces":
        item["title"] = f" {item['title']} "
    else:
        raise AssertionError(how)
    return bad


SPOILS = (
    "misspelt item key", "misspelt top-level key", "outcome not in the vocabulary",
    "date not ISO", "month 13", "time without leading zero", "unknown source format",
    "item number as text", "party as a name", "next step of an unknown kind",
    "status not a string", "title with edge spaces",
)  # fmt: skip


@pytest.mark.parametrize("how", SPOILS)
def test_a_spoilt_record_fails(good: dict[str, Any], how: str) -> None:
    assert problems(RECORD, good) == []
    bad = _spoil(good, how)
    assert problems(RECORD, bad), f"{how}: the schema let it through"
    assert problems(GOLD, bad), f"{how}: the gold variant let it through"


def test_an_extracted_record_may_not_leave_a_key_out(good: dict[str, Any]) -> None:
    bad = copy.deepcopy(good)
    del bad["items"][0]["span"]
    del bad["meeting"]["supplementary"]
    assert len(problems(RECORD, bad)) == 2
    assert problems(GOLD, bad) == []  # a gold file may


def test_a_record_from_before_issue_20_fits_but_not_as_extracted(good: dict[str, Any]) -> None:
    old = copy.deepcopy(good)
    for item in old["items"]:
        for decision in item["decisions"]:
            for key in ("status", "sent_back_to", "next_step"):
                decision.pop(key, None)
    assert problems(RECORD, old) == []
    assert problems(EXTRACTED, old), "today's extractor writes status and next_step"


def test_status_and_next_step_as_the_contract_gives_them_fit(good: dict[str, Any]) -> None:
    record = copy.deepcopy(good)
    decision = _first_decision(record)
    decision["status"] = "sent_back"
    decision["next_step"] = {"kind": "to_council", "bodies": ["Byrådet"], "date": "2024-04-01"}
    assert problems(RECORD, record) == []
    decision["status"], decision["next_step"] = None, None
    assert problems(RECORD, record) == []


# --- the prose follows the schema --------------------------------------------------------


def _defined_keys(schema: dict[str, Any]) -> set[str]:
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    return keys


def _enum_values(schema: dict[str, Any]) -> set[str]:
    values: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            values.update(v for v in node.get("enum", []) if isinstance(v, str))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    return values


def test_records_md_names_every_key_and_value_of_the_schema() -> None:
    missing = sorted(k for k in _defined_keys(SCHEMA) if f"`{k}`" not in RECORDS_DOC)
    assert missing == [], "docs/records.md does not describe these keys"
    unnamed = sorted(v for v in _enum_values(SCHEMA) if f"`{v}`" not in RECORDS_DOC)
    assert unnamed == [], "docs/records.md does not name these values"


def test_records_md_names_every_bundled_layout() -> None:
    layouts = {"firstagenda-json", "firstagenda-html"}
    for profile in bundled():
        layouts |= {profile.layout} | {v.layout for v in profile.variants}
    assert sorted(x for x in layouts if f"`{x}`" not in RECORDS_DOC) == []


# --- the design document follows the command line and the code's rooms --------------------

DESIGN_DOC = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
# "--batch-quads", "-m", "--ocr/--no-ocr": an option as the design's command list prints it
OPTION_TOKEN = re.compile(r"(?<![\w-])--?[a-z][\w-]*")


def test_design_md_lists_every_command_and_option() -> None:
    """A command or option added to the CLI but not to docs/design.md fails here."""
    import click

    printed = set(OPTION_TOKEN.findall(DESIGN_DOC.replace("/--", " --")))
    missing = []
    for name, command in sorted(main.commands.items()):
        if not re.search(rf"^{re.escape(name)}\b", DESIGN_DOC, re.M):
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option) and not set(param.opts) & printed:
                missing.append(f"{name} {param.opts[0]}")
    for param in main.params:
        if isinstance(param, click.Option) and not set(param.opts) & printed:
            missing.append(param.opts[0])
    assert missing == [], "docs/design.md does not list these"


def test_design_md_names_every_room_of_the_graph_package() -> None:
    rooms = sorted(p.parent.name for p in (ROOT / "graph").glob("*/__init__.py"))
    assert [r for r in rooms if f"graph/{r}/" not in DESIGN_DOC] == []


# "kg:Decision a owl:Class ;": a class of the vocabulary, as ontology/kommunegraf.ttl declares it
OWL_CLASS = re.compile(r"^kg:(?P<name>\w+)\s+a\s+owl:Class\b", re.M)


def test_design_md_names_every_class_of_the_ontology() -> None:
    turtle = (ROOT / "ontology" / "kommunegraf.ttl").read_text(encoding="utf-8")
    classes = OWL_CLASS.findall(turtle)
    assert len(classes) >= 15
    assert [c for c in classes if not re.search(rf"\b{c}\b", DESIGN_DOC)] == []
