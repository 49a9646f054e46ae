"""Shared fixtures: where ../shared/ is, and the seeds and gold records in it.

The seeds and gold files are data for tests only; they are read from ../shared/ at run time
and never copied into the project.  On a user's fresh clone ../shared/ is absent and those
tests skip with a reason; under CI (CI=true) its absence is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KOMMUNEGRAF_SHARED", ROOT.parent / "shared"))


def _require_shared() -> Path:
    if (SHARED / "seeds").is_dir() and (SHARED / "gold").is_dir():
        return SHARED
    reason = f"../shared/ (seeds and gold) not found at {SHARED}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: CI must run with shared/ beside the clone", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _require_shared()


@pytest.fixture(scope="session")
def seed_paths(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def gold_records(shared_dir: Path) -> dict[str, dict]:
    """Gold records keyed by the seed's file stem."""
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((shared_dir / "gold").glob("*.json"))
    }
