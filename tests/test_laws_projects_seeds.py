"""Law citations and named projects on the seed minutes, scored against the gold records.

Each seed is split into its items at the "Punkt N:" headers (the table of contents before
the first header is skipped) and each item's text goes through ``find_laws`` and
``find_projects``; the result is compared with the gold item of the same number.

Laws match on kind + act (case-insensitive, whitespace folded) + provision; projects on
the case-insensitive name.  A per-field precision/recall/F1 table is printed (run with
``-s`` to see it); the thresholds are the project's: laws F1 ≥ 0.9 with kind accuracy
≥ 0.95 (over the matched act + provision pairs), projects F1 ≥ 0.65.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import regex as re

from kommunegraf.extract.entities.lawbook import NUMBER, NUMBER_AND_YEAR
from kommunegraf.extract.entities.laws import find_laws
from kommunegraf.extract.entities.projects import find_projects

# "Punkt 39: Beslutning om …": an item's header line in the seeds' layouts
ITEM_HEADER = re.compile(r"(?m)^Punkt (\d+):")


def split_items(text: str) -> dict[int, str]:
    """Item number → item text, from each "Punkt N:" line to the next (the TOC is skipped)."""
    heads = list(ITEM_HEADER.finditer(text))
    return {
        int(m[1]): text[m.start() : heads[k + 1].start() if k + 1 < len(heads) else len(text)]
        for k, m in enumerate(heads)
    }


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, got: Counter, expected: Counter) -> None:
        common = sum((got & expected).values())
        self.tp += common
        self.fp += sum(got.values()) - common
        self.fn += sum(expected.values()) - common


@dataclass
class Report:
    laws: Score
    projects: Score
    kind_right: int
    kind_total: int
    misses: list[str]

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.kind_total if self.kind_total else 1.0

    def table(self) -> str:
        rows = [f"{'field':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, s in (("laws", self.laws), ("projects", self.projects)):
            rows.append(
                f"{name:<16}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                f"{s.tp:>5}{s.fp:>5}{s.fn:>5}"
            )
        rows.append(
            f"{'law kind acc.':<16}{self.kind_accuracy:>7.3f}"
            f"   ({self.kind_right}/{self.kind_total} act+provision pairs)"
        )
        return "\n".join(rows)


def evaluate(seed_paths: list[Path], gold_records: dict[str, dict]) -> Report:
    laws, projects = Score(), Score()
    kind_right = kind_total = 0
    misses: list[str] = []
    for path in seed_paths:
        gold = gold_records[path.stem]
        items = split_items(path.read_text(encoding="utf-8"))
        for gold_item in gold["items"]:
            text = items.get(gold_item["number"], "")
            found_laws = find_laws(text)
            got = Counter((x.kind, _fold(x.act), x.provision) for x in found_laws)
            expected = Counter(
                (x["kind"], _fold(x["act"]), x["provision"]) for x in gold_item["laws"]
            )
            laws.add(got, expected)
            kinds = {(_fold(x.act), x.provision): x.kind for x in found_laws}
            for x in gold_item["laws"]:
                key = (_fold(x["act"]), x["provision"])
                if key in kinds:
                    kind_total += 1
                    kind_right += kinds[key] == x["kind"]
            got_p = Counter(_fold(p.name) for p in find_projects(text))
            expected_p = Counter(_fold(p["name"]) for p in gold_item["projects"])
            projects.add(got_p, expected_p)
            where = f"{path.stem[:3]} item {gold_item['number']}"
            misses += [f"{where} law FP {k}" for k in got - expected]
            misses += [f"{where} law FN {k}" for k in expected - got]
            misses += [f"{where} project FP {k}" for k in got_p - expected_p]
            misses += [f"{where} project FN {k}" for k in expected_p - got_p]
    return Report(laws, projects, kind_right, kind_total, misses)


@pytest.fixture(scope="module")
def report(seed_paths: list[Path], gold_records: dict[str, dict]) -> Report:
    result = evaluate(seed_paths, gold_records)
    print("\n" + result.table())
    for miss in result.misses:
        print("  " + miss)
    return result


def test_every_gold_item_is_found_in_its_seed(seed_paths, gold_records) -> None:
    for path in seed_paths:
        numbers = set(split_items(path.read_text(encoding="utf-8")))
        gold_numbers = {item["number"] for item in gold_records[path.stem]["items"]}
        assert gold_numbers <= numbers, path.name


def test_laws_f1_on_the_seeds(report: Report) -> None:
    assert report.laws.f1 >= 0.9, report.table()


def test_law_kind_accuracy_on_the_seeds(report: Report) -> None:
    assert report.kind_total > 0
    assert report.kind_accuracy >= 0.95, report.table()


def test_projects_f1_on_the_seeds(report: Report) -> None:
    assert report.projects.f1 >= 0.65, report.table()


def test_every_named_law_gets_a_canonical_id(seed_paths) -> None:
    # only a bare "§" and a numbered document printed without its year have none
    for path in seed_paths:
        for text in split_items(path.read_text(encoding="utf-8")).values():
            for law in find_laws(text):
                if law.act and not (NUMBER.search(law.act) and not NUMBER_AND_YEAR.search(law.act)):
                    assert law.canonical, law
