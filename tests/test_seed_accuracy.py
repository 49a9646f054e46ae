"""The extractor against the hand-made gold records of the four seeds (../shared/).

Prints the per-field table (run with -s to see it) and asserts the parser thresholds of the
foundation issue.  Entity thresholds are asserted in the entity tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract.evaluation import Score, compare, table


@pytest.fixture(scope="module")
def seed_scores(seed_paths: list[Path], gold_records: dict[str, dict]) -> dict[str, Score]:
    assert len(seed_paths) == 4, "expected the four seeds in ../shared/seeds"
    scores: dict[str, Score] = {}
    for path in seed_paths:
        compare(extract_path(path).to_json(), gold_records[path.stem], scores)
    print("\n" + table(scores))
    return scores


@pytest.mark.parametrize(
    "field",
    ["items", "item number", "case_number", "title", "meeting", "municipality"],
)
def test_exact_fields(seed_scores: dict[str, Score], field: str) -> None:
    s = seed_scores[field]
    value = s.f1 if field == "items" else s.accuracy
    assert value == 1.0, s.misses


@pytest.mark.parametrize(
    ("field", "metric", "minimum"),
    [
        ("decisions", "f1", 0.98),
        ("outcome", "accuracy", 0.95),
        ("absences", "f1", 0.95),
        ("votes", "accuracy", 1.0),
        ("attachments", "f1", 0.95),
        ("references", "f1", 0.9),
    ],
)
def test_thresholds(seed_scores: dict[str, Score], field: str, metric: str, minimum: float) -> None:
    s = seed_scores[field]
    assert getattr(s, metric) >= minimum, s.misses


def test_record_source_fields(seed_paths: list[Path], gold_records: dict[str, dict]) -> None:
    for path in seed_paths:
        got = extract_path(path).to_json()
        want = gold_records[path.stem]["source"]
        assert (got["source"]["sha256"], got["source"]["layout"]) == (
            want["sha256"],
            want["layout"],
        )
