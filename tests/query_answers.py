"""Every bundled query's answer on a store, and trace's, in a form two equal stores agree on.

Why: issues 20 (the namespace move, the split of big modules) and 21 (the store redesign)
change how the code is laid out and how the store keeps its data, not what a user gets back.
``tests/test_query_answers.py`` holds the answers of today's code on two stores (the seeds with
examples/, and the 198 Greve meetings) in ``tests/data/query-answers/*.json`` and asserts that
the code under test gives the same ones.

Each bundled query (``queries/*.rq``) runs through the queries package's own ``run`` with its
default parameters (an optional parameter left free).  A required parameter is bound to a
value read from the store by a fixed rule (:data:`CHOOSERS`): the cases with the most items,
the laws cited by the most items.  An answer is ``{"params", "variables", "rows"}``; the rows
are sorted, each a ``{variable: text}`` with unbound variables left out, so that what may
legitimately differ between two equal stores does not count:

- the order of rows (ORDER BY ties, and whatever order the store scans in);
- blank node labels (a store mints its own; they are written ``_:``);
- how a number is typed or printed (``1`` / ``1.0`` / ``1.0E0``);
- the order of the values a ``GROUP_CONCAT`` joins (SPARQL leaves it to the store);
- betweenness, when it is estimated: see :func:`betweenness_estimated`.

trace's answer is ``kommunegraf trace CASE --format json`` for ten cases chosen by a fixed
rule (:func:`trace_cases`), with each list sorted (a tie in date order may come either way)
and each case's sequence of treatment dates kept beside it, so that "oldest first" still
counts.  A key trace gains beside the saved ones (it may say more) does not count; a key it
loses, or a value that changes, does.

Regenerating the saved answers is for a deliberate change of answers that someone has
reviewed, never to make the test pass: a difference the test reports after a refactoring is
a regression to look at.  From the project root, with the tree under test importable
(the editable install, or this tree first on PYTHONPATH)::

    python tests/query_answers.py --write            # both stores, all four files
    python tests/query_answers.py                    # only compare, print the differences

It builds both stores in a temporary folder (the Greve one takes a minute or two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import regex
from tree import use_this_tree

use_this_tree()  # run as a script: this checkout is the kommunegraf imported (tests: conftest)

from kommunegraf import queries  # noqa: E402
from kommunegraf.graph.store.local import IRI, BNode, Store, open_store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "query-answers"
EXAMPLES = ROOT / "examples"
FILES = {
    "seeds": DATA / "seeds.json",
    "greve": DATA / "greve.json",
    "seeds-trace": DATA / "seeds-trace.json",
    "greve-trace": DATA / "greve-trace.json",
}

# A GROUP_CONCAT in a query's projection, its separator and the variable it is bound to:
# '(GROUP_CONCAT(DISTINCT ?munName; SEPARATOR="; ") AS ?municipalities)' → "; ", municipalities.
GROUP_CONCAT_RE = regex.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\((?:[^()])*\))*?;\s*SEPARATOR\s*=\s*"
    r"(?P<quote>[\"'])(?P<separator>.*?)(?P=quote)\s*\)\s*AS\s*[?$](?P<variable>\w+)",
    regex.IGNORECASE | regex.DOTALL,
)

# Parameters bound per run (the brief's "sensible value taken from the store"), how many runs.
CASE_RUNS = 3
LAW_RUNS = 2
TRACE_CASES = 10

_P = (
    "PREFIX kg: <https://w3id.org/kommunegraf/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
)
# Each case number as printed (the smallest of its printings) with its number of items.
CASES_QUERY = (
    _P
    + """SELECT ?key (MIN(STR(?id)) AS ?printed) (COUNT(DISTINCT ?item) AS ?items) WHERE {
  ?case kg:caseKey ?key ; dcterms:identifier ?id .
  ?item kg:case ?case .
} GROUP BY ?key"""
)
# Each treatment of a case: the case, how it was printed, the decision's date, outcome, body.
DECISIONS_QUERY = (
    _P
    + """SELECT ?key ?id ?decision ?date ?outcome ?body WHERE {
  ?case kg:caseKey ?key ; dcterms:identifier ?id .
  ?item kg:case ?case .
  ?decision kg:item ?item .
  OPTIONAL { ?decision kg:date ?date }
  OPTIONAL { ?decision kg:outcome ?outcome }
  OPTIONAL { ?decision kg:body ?body }
}"""
)
# Each law (or rule) by its name, with the number of items citing it or a provision of it.
LAWS_QUERY = (
    _P
    + """SELECT ?law (MIN(STR(?label)) AS ?name) (COUNT(DISTINCT ?item) AS ?items) WHERE {
  ?law a kg:Law ; rdfs:label ?label .
  { ?item eli:cites ?law } UNION { ?cited eli:is_part_of ?law . ?item eli:cites ?cited }
} GROUP BY ?law"""
)


# --- choosing values for required parameters ----------------------------------------------


def _ranked(rows: Iterable[Mapping[str, Any]], name: str) -> list[str]:
    """The ``name`` values by their item count, most first; ties by the value, so that two
    equal stores choose the same whatever order they return rows in."""
    counted = {str(r[name]): int(r["items"]) for r in rows if r.get(name) is not None}
    return sorted(counted, key=lambda value: (-counted[value], value))


def case_numbers(store: Store) -> list[str]:
    """Every case number as printed, the cases with the most items first."""
    return _ranked(store.select(CASES_QUERY), "printed")


def chosen_cases(store: Store) -> list[str]:
    return case_numbers(store)[:CASE_RUNS]


def chosen_laws(store: Store) -> list[str]:
    """The names of the laws the most items cite (items-citing-law takes part of a name)."""
    return _ranked(store.select(LAWS_QUERY), "name")[:LAW_RUNS]


# A required parameter's values, by the parameter's name or else its kind.  A query that
# gains a required parameter without a rule here makes runs() fail with its name.
CHOOSERS: dict[str, Callable[[Store], list[str]]] = {
    "case": chosen_cases,
    "law": chosen_laws,
}


def runs(store: Store) -> list[tuple[queries.BundledQuery, dict[str, str]]]:
    """Each bundled query with the parameters it is run with: none when every parameter is
    optional; else one run per chosen value of its (one) required parameter."""
    found: list[tuple[queries.BundledQuery, dict[str, str]]] = []
    for query in queries.all_queries():
        required = [p for p in query.params if not p.optional]
        if not required:
            found.append((query, {}))
            continue
        if len(required) > 1:
            raise ValueError(f"{query.name}: more than one required parameter; add a rule")
        param = required[0]
        choose = CHOOSERS.get(param.name) or CHOOSERS.get(param.kind)
        if choose is None:
            raise ValueError(
                f"{query.name}: no rule to choose a value of its required parameter "
                f"{param.name} ({param.kind}); add one to CHOOSERS in tests/query_answers.py"
            )
        values = choose(store)
        if not values:
            raise ValueError(f"{query.name}: the store holds no value for {param.name}")
        found.extend((query, {param.name: value}) for value in values)
    return found


def run_key(name: str, params: Mapping[str, str]) -> str:
    """The answer's name in the saved file: "case-history case=22-000248"."""
    return " ".join([name, *(f"{k}={v}" for k, v in sorted(params.items()))])


# --- normalising ----------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A value as text that two equal stores agree on: an IRI as ``<…>``, a blank node as
    ``_:`` (its label is the store's own), a number without its typing (1, 1.0 and 1.0E0 are
    "1"), a date in ISO form."""
    if isinstance(value, IRI):
        return f"<{value}>"
    if isinstance(value, BNode):
        return "_:"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)).normalize()
        return format(number, "f") if number == number.to_integral_value() else str(number)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def group_concat_separators(text: str) -> dict[str, str]:
    """{variable: separator} of each GROUP_CONCAT a query's text binds to a variable."""
    return {m["variable"]: m["separator"] for m in GROUP_CONCAT_RE.finditer(text)}


def row_key(row: Mapping[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def betweenness_estimated(store: Store) -> bool:
    """Whether the store's betweenness is estimated from a sample of source nodes.

    The sample is drawn with a fixed seed from the item–entity graph's nodes in the order the
    store gave the links (graph/analysis/threads.py and betweenness.py): two equal stores that scan
    in different orders (as a redesigned store may) sample different sources and estimate
    different figures, all of them right.  Then only who is central and their degree is
    compared, not the estimate.  An exact figure (small stores: the seeds) is compared to
    four significant digits, since the summation order may move its last digits.
    """
    from kommunegraf.graph.analysis.threads import betweenness_sample, entity_graph, load_items

    return betweenness_sample(entity_graph(store, load_items(store))) is not None


def normalise_row(
    row: Mapping[str, Any], joined: Mapping[str, str], betweenness: int | str | None = None
) -> dict[str, str]:
    """A row as ``{variable: text}``: unbound variables left out, the values a GROUP_CONCAT
    joined (``joined``: variable → separator) sorted, ``betweenness`` to that many significant
    digits or left out (``"left out"``; see :func:`betweenness_estimated`)."""
    out: dict[str, str] = {}
    for variable, value in row.items():
        if value is None:
            continue
        if variable == "betweenness" and betweenness is not None:
            if not isinstance(betweenness, int):
                continue
            value = float(f"{float(value):.{betweenness}g}")
        text = text_of(value)
        separator = joined.get(variable)
        if separator:
            text = separator.join(sorted(text.split(separator)))
        out[variable] = text
    return out


def answer(
    store: Store, query: queries.BundledQuery, params: Mapping[str, str], *, estimated: bool
) -> dict[str, Any]:
    """One run's normalised answer (see the module docstring)."""
    table = queries.run(store, query.name, **params)
    joined = group_concat_separators(query.text)
    between = None if query.name != "central-actors" else ("left out" if estimated else 4)
    rows = [normalise_row(row, joined, between) for row in table.rows]
    result: dict[str, Any] = {
        "params": dict(params),
        "variables": list(table.variables),
        "rows": sorted(rows, key=row_key),
    }
    if query.name == "central-actors":
        result["betweenness"] = "estimated: left out" if estimated else "exact: 4 digits"
    return result


def query_answers(store: Store) -> dict[str, dict[str, Any]]:
    """Every bundled query's normalised answer on ``store``, by :func:`run_key`."""
    estimated = betweenness_estimated(store)
    return {
        run_key(query.name, params): answer(store, query, params, estimated=estimated)
        for query, params in runs(store)
    }


# --- trace ---------------------------------------------------------------------------------


def trace_cases(store: Store, n: int = TRACE_CASES) -> list[str]:
    """``n`` case numbers whose traces differ in kind: for each outcome of a case's latest
    treatment (what trace's status and next step are read from), the case with the most
    deciding bodies, then the most treatments; then the longest stories across bodies; then
    cases spread evenly over the rest in the order of their printed number.  Ties go by the
    printed number, so that two equal stores choose the same."""
    cases: dict[str, dict[str, Any]] = {}
    for row in store.select(DECISIONS_QUERY):
        case = cases.setdefault(
            str(row["key"]), {"printed": set(), "bodies": set(), "decisions": set(), "dated": []}
        )
        case["printed"].add(str(row["id"]))
        case["decisions"].add(text_of(row["decision"]))
        if row.get("body") is not None:
            case["bodies"].add(str(row["body"]))
        outcome = str(row["outcome"]).rsplit("/", 1)[-1] if row.get("outcome") else ""
        case["dated"].append((str(row.get("date") or ""), outcome))
    ranked = sorted(
        cases.values(),
        key=lambda c: (-len(c["bodies"]), -len(c["decisions"]), min(c["printed"])),
    )
    chosen: list[str] = []

    def pick(case: dict[str, Any]) -> None:
        if len(chosen) < n and min(case["printed"]) not in chosen:
            chosen.append(min(case["printed"]))

    for outcome in sorted({max(c["dated"])[1] for c in ranked}):
        pick(next(c for c in ranked if max(c["dated"])[1] == outcome))
    for case in ranked[: n // 2]:
        pick(case)
    rest = sorted(min(c["printed"]) for c in ranked if min(c["printed"]) not in chosen)
    want = n - len(chosen)
    if want > 0:
        chosen += [rest[i * len(rest) // want] for i in range(want)] if len(rest) > want else rest
    return chosen


def _sorted_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_lists(v) for v in value), key=row_key)
    return value


def normalise_trace(doc: dict[str, Any]) -> dict[str, Any]:
    """trace's JSON with every list sorted, and each case's treatment dates in the order
    trace gave them kept as ``timeline_dates`` (oldest first is part of the answer; which of
    two treatments on one date comes first is not)."""
    out = _sorted_lists({k: v for k, v in doc.items() if k != "cases"})
    if "cases" in doc:
        cases = []
        for case in doc["cases"]:
            shown = _sorted_lists(case)
            shown["timeline_dates"] = [t.get("date") or "" for t in case.get("treatments", [])]
            cases.append(shown)
        out["cases"] = sorted(cases, key=row_key)
    return out


def trace_answers(store_dir: Path, cases: Iterable[str]) -> dict[str, Any]:
    """``kommunegraf --store STORE trace CASE --format json`` for each case, normalised (run
    in this process through click's runner: the command's own output, without a start-up
    per case)."""
    from click.testing import CliRunner

    from kommunegraf.graph.cli.main import main

    found: dict[str, Any] = {}
    for case in cases:
        result = CliRunner().invoke(
            main, ["--store", str(store_dir), "trace", case, "--format", "json"]
        )
        if result.exit_code != 0:
            found[case] = {"exit_code": result.exit_code, "output": result.output.strip()}
        else:
            found[case] = normalise_trace(json.loads(result.stdout))
    return found


def store_trace_answers(store_dir: Path) -> dict[str, Any]:
    with open_store(store_dir, write=False) as store:
        cases = trace_cases(store)
    return trace_answers(store_dir, cases)


def store_query_answers(store_dir: Path) -> dict[str, dict[str, Any]]:
    with open_store(store_dir, write=False) as store:
        return query_answers(store)


# --- comparing and saving ---------------------------------------------------------------------


def compare(saved: Mapping[str, Any], now: Mapping[str, Any], limit: int = 5) -> list[str]:
    """The differences between two sets of answers, one line each, the first ``limit`` rows
    that differ per answer: an answer missing or new, its parameters or columns changed, rows
    only in the saved answer (``-``) or only in the new one (``+``)."""
    lines: list[str] = []
    for name in sorted(set(saved) | set(now)):
        if name not in now:
            lines.append(f"{name}: saved, but not answered now")
            continue
        if name not in saved:
            lines.append(f"{name}: answered now, but not saved")
            continue
        before, after = saved[name], now[name]
        if not isinstance(before, dict) or "rows" not in before or "rows" not in after:
            after = _known_keys(after, _key_paths(before))  # a trace: one document a case
            if row_key(before) != row_key(after):
                lines.extend(_document_diff(name, before, after, limit))
            continue
        for field in sorted((set(before) | set(after)) - {"rows"}):
            if before.get(field) != after.get(field):
                lines.append(f"{name}: {field} was {before.get(field)!r}, now {after.get(field)!r}")
        old = Counter(row_key(r) for r in before["rows"])
        new = Counter(row_key(r) for r in after["rows"])
        gone, came = sorted((old - new).elements()), sorted((new - old).elements())
        if gone or came:
            lines.append(
                f"{name}: {len(before['rows'])} rows saved, {len(after['rows'])} now; "
                f"{len(gone)} only saved, {len(came)} only now"
            )
            lines.extend(f"  - {r}" for r in gone[:limit])
            lines.extend(f"  + {r}" for r in came[:limit])
    return lines


def _key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key's path in a JSON document, list positions left out: "cases/treatments/date"."""
    if isinstance(value, dict):
        found = set()
        for key, inner in value.items():
            found.add(prefix + key)
            found |= _key_paths(inner, prefix + key + "/")
        return found
    if isinstance(value, list):
        return set().union(*(_key_paths(v, prefix) for v in value))
    return set()


def _known_keys(value: Any, known: set[str], prefix: str = "") -> Any:
    """The document with only the keys the saved one has (lists sorted again): a key trace
    gains (another field beside the same answer) is not a changed answer; a key it loses, or a
    value that changes, is."""
    if isinstance(value, dict):
        return {
            key: _known_keys(inner, known, prefix + key + "/")
            for key, inner in value.items()
            if prefix + key in known
        }
    if isinstance(value, list):
        return sorted((_known_keys(v, known, prefix) for v in value), key=row_key)
    return value


def _document_diff(name: str, before: Any, after: Any, limit: int, path: str = "") -> list[str]:
    """Where two JSON documents differ, as ``name: path: was …, now …`` lines."""
    if isinstance(before, dict) and isinstance(after, dict):
        lines: list[str] = []
        for key in sorted(set(before) | set(after)):
            if key not in after or key not in before:
                side = "now" if key not in after else "saved"
                lines.append(f"{name}: {path}/{key}: absent {side}")
            elif row_key(before[key]) != row_key(after[key]):
                lines.extend(
                    _document_diff(name, before.get(key), after.get(key), limit, f"{path}/{key}")
                )
        return lines[:limit]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        lines = []
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if row_key(b) != row_key(a):
                lines.extend(_document_diff(name, b, a, limit, f"{path}/{i}"))
        return lines[:limit]
    shown = [json.dumps(v, ensure_ascii=False)[:300] for v in (before, after)]
    return [f"{name}: {path or '/'}: was {shown[0]}, now {shown[1]}"]


def dump(answers: Mapping[str, Any]) -> str:
    """Answers as JSON for a readable diff: sorted keys, indented, but each row of a query on
    one line (a changed row is one changed line)."""
    parts = []
    for name in sorted(answers):
        entry = answers[name]
        if isinstance(entry, dict) and "rows" in entry:
            head = {k: v for k, v in entry.items() if k != "rows"}
            fields = [
                f"    {json.dumps(k)}: {json.dumps(head[k], ensure_ascii=False, sort_keys=True)}"
                for k in sorted(head)
            ]
            rows = ",\n".join(f"      {row_key(r)}" for r in entry["rows"])
            fields.append('    "rows": [\n' + rows + "\n    ]" if rows else '    "rows": []')
            body = "{\n" + ",\n".join(fields) + "\n  }"
        else:
            body = json.dumps(entry, ensure_ascii=False, sort_keys=True, indent=2)
            body = body.replace("\n", "\n  ")
        parts.append(f"  {json.dumps(name, ensure_ascii=False)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def load_saved(which: str) -> dict[str, Any]:
    return json.loads(FILES[which].read_text(encoding="utf-8"))


REGENERATE = (
    "\nIf, and only if, this change of answers is deliberate and reviewed: "
    "python tests/query_answers.py --write (see its docstring)."
)


def assert_same(which: str, now: Mapping[str, Any]) -> None:
    """Fail with the first differences between the saved answers ``which`` and ``now``."""
    lines = compare(load_saved(which), now)
    assert not lines, f"{which}: {len(lines)} differences\n" + "\n".join(lines[:60]) + REGENERATE


# --- building the stores and regenerating (run as a script) --------------------------------


def build_store(paths: list[Path], folder: Path) -> Path:
    """A store of ``paths`` as `kommunegraf ingest` builds it (two workers, as the tests)."""
    from kommunegraf.graph.ingest.run import PlainReporter, ingest

    with open_store(folder, write=True) as store:
        summary = ingest(paths, store, jobs=2, reporter=PlainReporter(lambda _line: None))
    if summary.failed:
        raise RuntimeError(f"ingest of {folder.name} failed: {summary.error_lines}")
    return folder


def seeds_inputs(shared: Path) -> list[Path]:
    """The four seeds and the invented examples/ (the store the seeds answers come from)."""
    return [*sorted((shared / "seeds").glob("*.txt")), EXAMPLES]


def greve_inputs(shared: Path) -> list[Path]:
    return sorted((shared / "corpus" / "greve").glob("*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="save the answers (reviewed!)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="query-answers-") as tmp:
        for which, inputs in (("seeds", seeds_inputs), ("greve", greve_inputs)):
            folder = build_store(inputs(args.shared), Path(tmp) / which)
            found[which] = store_query_answers(folder)
            found[f"{which}-trace"] = store_trace_answers(folder)
    differences = 0
    for which, answers in found.items():
        if args.write:
            FILES[which].parent.mkdir(parents=True, exist_ok=True)
            FILES[which].write_text(dump(answers), encoding="utf-8")
            print(f"wrote {FILES[which].relative_to(ROOT)} ({len(answers)} answers)")
        elif FILES[which].is_file():
            lines = compare(load_saved(which), answers)
            differences += len(lines)
            print(f"{which}: " + ("same" if not lines else f"{len(lines)} differences"))
            if lines:
                print("\n".join(lines[:200]))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
