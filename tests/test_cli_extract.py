"""`kommunegraf extract`: the record as JSON, and one clear line for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kommunegraf.graph.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RECORD_KEYS = {"source", "municipality", "meeting", "items"}
ITEM_KEYS = {
    "number", "title", "kind", "case_number", "document_number", "open", "decisions", "people",
    "organizations", "laws", "projects", "references", "attachments",
}  # fmt: skip


def test_extract_json_has_the_record_shape() -> None:
    path = sorted(EXAMPLES.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) >= RECORD_KEYS
    assert record["items"], "an example must have items"
    for item in record["items"]:
        assert set(item) >= ITEM_KEYS
    assert record["source"]["path"] == path.name


def test_extract_bad_input_is_one_line_and_non_zero(tmp_path: Path) -> None:
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "billede.pdf"
    binary.write_bytes(bytes(range(256)) * 8)
    for path in (empty, binary, tmp_path / "mangler.txt"):
        result = CliRunner().invoke(main, ["extract", str(path)])
        assert result.exit_code != 0
        message = result.output.strip()
        assert path.name in message and "Traceback" not in message
        assert len(message.splitlines()) == 1, message


def test_extract_municipality_override() -> None:
    path = sorted(EXAMPLES.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["extract", str(path), "--municipality", "Aarhus"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["municipality"] == {"name": "Aarhus Kommune", "code": "751"}
    bad = CliRunner().invoke(main, ["extract", str(path), "--municipality", "Atlantis"])
    assert bad.exit_code != 0 and "Atlantis" in bad.output
