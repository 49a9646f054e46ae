"""Compare extracted records with gold records (records.md shape), field by field.

Used by the accuracy tests and by ``bench/accuracy.py``; a research group with its own gold
files can run the same comparison on its minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kommunegraf.extract.text.fold import fold_space


def _norm(value: Any) -> str:
    return fold_space(str(value)).casefold() if value is not None else ""


@dataclass
class Score:
    """Counts for one field: set matching (tp/fp/fn) or accuracy (right/total)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

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

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add_sets(self, got: set[Any], want: set[Any], where: str) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.misses += [f"{where}: extra {x}" for x in sorted(map(str, got - want))]
        self.misses += [f"{where}: missing {x}" for x in sorted(map(str, want - got))]

    def add_check(self, ok: bool, where: str, got: Any = None, want: Any = None) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(f"{where}: got {got!r}, want {want!r}")


SET_FIELDS = (
    "items",
    "decisions",
    "absences",
    "attachments",
    "references",
    "people",
    "organizations",
    "laws",
    "projects",
)
ACCURACY_FIELDS = (
    "meeting",
    "municipality",
    "item number",
    "title",
    "case_number",
    "document_number",
    "kind",
    "open",
    "outcome",
    "votes",
    "reference body",
    "party",
    "role",
    "law kind",
)


def _by_number(items: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {int(i["number"]): i for i in items}


def _keyed(items: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> dict:
    out: dict[Any, dict[str, Any]] = {}
    for x in items:
        out.setdefault(key(x), x)
    return out


def _law_key(law: dict[str, Any]) -> tuple[str, str]:
    provision = _norm(law.get("provision")).replace("§", "§ ").replace("  ", " ")
    return _norm(law.get("act")), " ".join(provision.split())


def compare(got: dict[str, Any], want: dict[str, Any], scores: dict[str, Score]) -> None:
    """Add one document's comparison to ``scores`` (a dict of field name → Score)."""
    for name in (*SET_FIELDS, *ACCURACY_FIELDS):
        scores.setdefault(name, Score())
    doc = want.get("source", {}).get("path", "?")
    for key in ("committee", "period", "date", "start_time", "location", "kind"):
        g, w = got["meeting"].get(key), want["meeting"].get(key)
        scores["meeting"].add_check(_norm(g) == _norm(w), f"{doc} meeting.{key}", g, w)
    for key in ("name", "code"):
        g, w = got["municipality"].get(key), want["municipality"].get(key)
        scores["municipality"].add_check(_norm(g) == _norm(w), f"{doc} municipality.{key}", g, w)
    g_items, w_items = _by_number(got["items"]), _by_number(want["items"])
    scores["items"].add_sets(set(g_items), set(w_items), doc)
    for number in sorted(set(g_items) & set(w_items)):
        g, w = g_items[number], w_items[number]
        where = f"{doc} item {number}"
        scores["item number"].add_check(True, where)
        for key in ("title", "case_number", "document_number", "kind", "open"):
            ok = _norm(g.get(key)) == _norm(w.get(key))
            scores[key].add_check(ok, f"{where} {key}", g.get(key), w.get(key))
        _compare_decisions(g, w, where, scores)
        scores["attachments"].add_sets(
            {_norm(a) for a in g["attachments"]}, {_norm(a) for a in w["attachments"]}, where
        )
        g_refs = _keyed(g["references"], lambda r: (r.get("date"), r.get("item_number")))
        w_refs = _keyed(w["references"], lambda r: (r.get("date"), r.get("item_number")))
        scores["references"].add_sets(set(g_refs), set(w_refs), where)
        for key in set(g_refs) & set(w_refs):
            gb, wb = g_refs[key].get("body"), w_refs[key].get("body")
            scores["reference body"].add_check(_norm(gb) == _norm(wb), f"{where} ref {key}", gb, wb)
        _compare_entities(g, w, where, scores)


def _compare_decisions(g: dict, w: dict, where: str, scores: dict[str, Score]) -> None:
    g_dec = _keyed(g["decisions"], lambda d: (_norm(d.get("body")), d.get("date")))
    w_dec = _keyed(w["decisions"], lambda d: (_norm(d.get("body")), d.get("date")))
    scores["decisions"].add_sets(set(g_dec), set(w_dec), where)
    for key in set(g_dec) & set(w_dec):
        gd, wd = g_dec[key], w_dec[key]
        scores["outcome"].add_check(
            gd["outcome"] == wd["outcome"], f"{where} {key} outcome", gd["outcome"], wd["outcome"]
        )
        scores["absences"].add_sets(
            {_norm(n) for n in gd.get("absent") or []},
            {_norm(n) for n in wd.get("absent") or []},
            f"{where} {key}",
        )
        # the party blocs are scored where the gold records them (as eval_records.py does)
        parties = [k for k in _PARTY_KEYS if k in (wd.get("votes") or {})]
        scores["votes"].add_check(
            _votes(gd.get("votes"), parties) == _votes(wd.get("votes"), parties),
            f"{where} {key} votes",
            gd.get("votes"),
            wd.get("votes"),
        )


_PARTY_KEYS = ("for_parties", "against_parties", "abstain_parties")


def _votes(votes: dict[str, Any] | None, parties: list[str] | tuple[str, ...] = ()) -> Any:
    """A vote's comparable form: counts, the names on each side and the ``parties`` keys."""
    if not votes:
        return None
    return (
        votes.get("for"),
        votes.get("against"),
        votes.get("abstain"),
        tuple(sorted(_norm(n) for n in votes.get("for_names") or [])),
        tuple(sorted(_norm(n) for n in votes.get("against_names") or [])),
        tuple(sorted(_norm(n) for n in votes.get("abstain_names") or [])),
        *(tuple(sorted(_norm(p) for p in votes.get(k) or [])) for k in parties),
    )


def _compare_entities(g: dict, w: dict, where: str, scores: dict[str, Score]) -> None:
    g_people = _keyed(g["people"], lambda p: _norm(p["name"]))
    w_people = _keyed(w["people"], lambda p: _norm(p["name"]))
    scores["people"].add_sets(set(g_people), set(w_people), where)
    for name in set(g_people) & set(w_people):
        for key in ("party", "role"):
            gv, wv = g_people[name].get(key), w_people[name].get(key)
            scores[key].add_check(_norm(gv) == _norm(wv), f"{where} {name} {key}", gv, wv)
    scores["organizations"].add_sets(
        {_norm(o) for o in g["organizations"]}, {_norm(o) for o in w["organizations"]}, where
    )
    g_laws = _keyed(g["laws"], _law_key)
    w_laws = _keyed(w["laws"], _law_key)
    scores["laws"].add_sets(set(g_laws), set(w_laws), where)
    for key in set(g_laws) & set(w_laws):
        gk, wk = g_laws[key]["kind"], w_laws[key]["kind"]
        scores["law kind"].add_check(gk == wk, f"{where} {key} kind", gk, wk)
    scores["projects"].add_sets(
        {_norm(p["name"]) for p in g["projects"]}, {_norm(p["name"]) for p in w["projects"]}, where
    )


def table(scores: dict[str, Score]) -> str:
    """A per-field table: precision/recall/F1 for set fields, accuracy for the others."""
    lines = [f"{'field':<16} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'n':>5}"]
    for name in SET_FIELDS:
        s = scores.get(name)
        if s:
            n = s.tp + s.fn
            lines.append(
                f"{name:<16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {'':>6} {n:5d}"
            )
    for name in ACCURACY_FIELDS:
        s = scores.get(name)
        if s:
            lines.append(f"{name:<16} {'':>6} {'':>6} {'':>6} {s.accuracy:6.3f} {s.total:5d}")
    return "\n".join(lines)
