"""Each bundled profile has a fixture folder (tests/profiles/<name>/): an invented sample in
that system's shape (OPDIGTET) and the record it must give.  ``expected.json`` holds only the
fields it checks; every one of them must come out exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract.layouts.profiles import bundled

FIXTURES = Path(__file__).parent / "profiles"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def _subset(got: Any, want: Any, where: str) -> list[str]:
    """The places where ``got`` differs from ``want`` (dict keys beyond ``want`` ignored)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: {got!r} is no object"]
        return [d for k, v in want.items() for d in _subset(got.get(k), v, f"{where}.{k}")]
    if isinstance(want, list) and want and isinstance(want[0], dict):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: {len(got or [])} entries, want {len(want)}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in _subset(g, w, f"{where}[{i}]")]  # fmt: skip
    return [] if got == want else [f"{where}: {got!r} != {want!r}"]


def test_every_bundled_profile_has_a_fixture() -> None:
    assert {p.name for p in bundled()} <= {f.name for f in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_fixture_extracts_to_its_expected_record(folder: Path) -> None:
    sample = folder / "sample.txt"
    assert sample.read_text(encoding="utf-8").startswith("OPDIGTET")
    got = extract_path(sample).to_json()
    want = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert _subset(got, want, folder.name) == []
