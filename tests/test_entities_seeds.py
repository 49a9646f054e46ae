"""People, parties, roles and organisations of the four seeds against their gold records.

Items are matched by number, people by name and organisations by case-insensitive name
(extract.evaluation).  Run with -s to see the per-field table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kommunegraf.extract import extract_path
from kommunegraf.extract.evaluation import Score, compare

FIELDS = ("people", "party", "role", "organizations")


@pytest.fixture(scope="module")
def entity_scores(seed_paths: list[Path], gold_records: dict[str, dict]) -> dict[str, Score]:
    assert len(seed_paths) == 4, "expected the four seeds in ../shared/seeds"
    scores: dict[str, Score] = {}
    for path in seed_paths:
        compare(extract_path(path).to_json(), gold_records[path.stem], scores)
    lines = [f"{'field':<14} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'n':>5}"]
    for name in FIELDS:
        s = scores[name]
        if name in ("party", "role"):
            lines.append(f"{name:<14} {'':>6} {'':>6} {'':>6} {s.accuracy:6.3f} {s.total:5d}")
        else:
            n = s.tp + s.fn
            lines.append(
                f"{name:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {'':>6} {n:5d}"
            )
    print("\n" + "\n".join(lines))
    return scores


@pytest.mark.parametrize(
    ("field", "metric", "minimum"),
    [
        ("people", "f1", 0.92),
        ("party", "accuracy", 0.97),
        ("role", "accuracy", 0.85),
        ("organizations", "f1", 0.75),
    ],
)
def test_entity_thresholds(
    entity_scores: dict[str, Score], field: str, metric: str, minimum: float
) -> None:
    s = entity_scores[field]
    assert getattr(s, metric) >= minimum, s.misses


def test_every_person_and_organisation_has_a_key(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        for item in extract_path(path).items:
            assert all(p.key for p in item.people), (path.name, item.number)
            assert set(item.organization_keys) == set(item.organizations), (path.name, item.number)
