"""The parser on our own invented minutes in layouts the seeds do not show (tests/data/unseen).

Each document has a hand-made gold record; the thresholds are the seeds' thresholds, so a
rule tuned to the seeds that breaks other publishing systems fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract.evaluation import Score, compare, table

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
DOCS = sorted(
    p for p in UNSEEN.iterdir() if p.suffix in {".txt", ".html"} and p.with_suffix(".json").exists()
)


@pytest.fixture(scope="module")
def unseen_scores() -> dict[str, Score]:
    assert len(DOCS) >= 2, "tests/data/unseen must hold invented documents"
    scores: dict[str, Score] = {}
    for path in DOCS:
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        compare(extract_path(path).to_json(), gold, scores)
    print("\n" + table(scores))
    return scores


@pytest.mark.parametrize(
    ("field", "metric", "minimum"),
    [
        ("items", "f1", 1.0),
        ("title", "accuracy", 1.0),
        ("case_number", "accuracy", 1.0),
        ("meeting", "accuracy", 0.9),
        ("municipality", "accuracy", 1.0),
        ("decisions", "f1", 0.95),
        ("outcome", "accuracy", 0.9),
        ("absences", "f1", 0.9),
        ("votes", "accuracy", 0.9),
        ("attachments", "f1", 0.9),
        ("references", "f1", 0.85),
        ("people", "f1", 0.92),
        ("party", "accuracy", 0.95),
        ("role", "accuracy", 0.85),
        ("laws", "f1", 0.85),
        ("law kind", "accuracy", 0.95),
        ("organizations", "f1", 0.7),
        ("projects", "f1", 0.65),
    ],
)
def test_unseen_thresholds(
    unseen_scores: dict[str, Score], field: str, metric: str, minimum: float
) -> None:
    s = unseen_scores[field]
    assert getattr(s, metric) >= minimum, s.misses
