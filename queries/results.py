"""A query's answer as a reader wants it: names beside IRIs, no echoed parameters, whole values.

A SPARQL answer names resources by IRI (``…/id/naestved``); a reader expects "Næstved
Kommune".  ``queries.run`` binds a query's parameters, runs it, and gives a :class:`Table`
where every column of resources shows their names (skos:prefLabel, else rdfs:label, else
foaf:name; Danish first), the IRIs kept in a column of their own (``municipality_iri``).
The values of the parameters the caller gave are left out: Oxigraph returns a bound variable
as a column, and a column that repeats what the user typed on every row is noise.

``frame`` gives the same table as a pandas DataFrame (the notebooks' way in), ``json_results``
keeps the SPARQL 1.1 results JSON shape (with the datatypes the server gave), and
``render_text`` writes it for a terminal (wrapped to its width) or a pipe (values whole).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from kommunegraf.ontology.terms import FOAF, PREFIXES, RDFS, SKOS

if TYPE_CHECKING:  # pandas is the notebooks' extra, imported only by frame()
    import pandas

    from kommunegraf.graph.store.local import Store

IRI_SUFFIX = "_iri"
# Label predicates in order of preference, and languages in order of preference.
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, FOAF.name)
LANGUAGES = ("da", "", "en")
LABEL_BATCH = 400  # IRIs per label look-up
# An IRI the store gave back that is safe to write between <> in a VALUES block (no space,
# quote, angle bracket, brace, pipe, caret, backtick or backslash):
# "https://w3id.org/kommunegraf/id/naestved" yes, "urn:a b" no.
SAFE_IRI_RE = regex.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
# A prefix declared in a query's prologue: "PREFIX kg: <…>", "prefix  foaf:<…>".
PREFIX_DECLARATION_RE = regex.compile(r"(?im)^\s*PREFIX\s+(?P<prefix>[A-Za-z][\w.-]*)?:")
# A prefixed name used in a query, outside IRIs and strings: "kg:Law", "rdfs:label".
PREFIXED_NAME_RE = regex.compile(
    r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*"
    r"|(?<![\w.:?$-])(?P<prefix>[A-Za-z][\w-]*):(?=[\w%]|\s|$)"
)
# Oxigraph's syntax error: "error at 1:30: expected one of \"{\", ['0'..='9'], …".
SYNTAX_ERROR_RE = regex.compile(
    r"error at (?P<line>\d+):(?P<column>\d+):\s*(?:expected (?:one of )?(?P<expected>.*))?",
    regex.S,
)
# One item of Oxigraph's expected list: a quoted token, a character class [...], or words.
EXPECTED_ITEM_RE = regex.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\[\]]|(?R))*\]|[^,\[\]"]+')


@dataclass
class Table:
    """Rows of a SELECT answer with names beside IRIs (see the module docstring)."""

    variables: list[str]
    rows: list[dict[str, Any]]
    iri_columns: dict[str, str] = field(default_factory=dict)  # name column → its IRI column

    def shown(self) -> list[str]:
        """The columns a text table shows: names, not the IRI columns beside them."""
        hidden = set(self.iri_columns.values())
        return [v for v in self.variables if v not in hidden]


# --- the project's prefixes in hand-written SPARQL ---------------------------------------------


def with_prefixes(text: str) -> tuple[str, int]:
    """The query with the project's prefixes it uses but does not declare, declared on one
    line in front; and the number of lines added (0 or 1), to correct error positions."""
    declared = {m["prefix"] or "" for m in PREFIX_DECLARATION_RE.finditer(text)}
    used = {m["prefix"] for m in PREFIXED_NAME_RE.finditer(text) if m["prefix"]}
    missing = sorted(p for p in used - declared if p in PREFIXES)
    if not missing:
        return text, 0
    line = " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing)
    return f"{line}\n{text}", 1


def undeclared_prefixes(text: str) -> list[str]:
    """Prefixes a query uses that neither it nor the project declares ("ex:")."""
    declared = {m["prefix"] or "" for m in PREFIX_DECLARATION_RE.finditer(text)}
    used = {m["prefix"] for m in PREFIXED_NAME_RE.finditer(text) if m["prefix"]}
    return sorted(used - declared - set(PREFIXES))


def _expected_words(item: str) -> str | None:
    """One expected token in words: '"{"' stays, ['0'..='9'] is "a digit", and so on."""
    item = item.strip()
    if not item:
        return None
    if item.startswith('"'):
        return item
    if item.startswith("["):
        if "'0'" in item and "'A'" not in item and "'a'" not in item:
            return "a digit"
        if "'A'" in item or "'a'" in item or "\\u{" in item:
            return "a name"
        return None  # whitespace, '_', '%', '\\': nothing a reader types on purpose
    if item == "Prefix not found":
        return "a declared prefix"
    if item == "IRI parsing failed":
        return "a valid <IRI>"
    return item


def readable_syntax_error(message: str, text: str, shift: int = 0) -> str:
    """Oxigraph's syntax error as one line: where (line, column, the text there) and what
    was expected, in words ("a digit", not a list of Unicode ranges)."""
    match = SYNTAX_ERROR_RE.search(message)
    if not match:
        return " ".join(message.split())
    line, column = int(match["line"]) - shift, int(match["column"])
    lines = text.splitlines()[shift:] or [""]  # the query as the user wrote it
    near = lines[line - 1][column - 1 : column + 19].strip() if 0 < line <= len(lines) else ""
    words: list[str] = []
    for item in EXPECTED_ITEM_RE.findall(match["expected"] or ""):
        word = _expected_words(item)
        if word and word not in words:
            words.append(word)
    where = f"line {line}, column {column}" + (f" (at {near!r})" if near else " (at the end)")
    expected = ""
    if words:
        shown = ", ".join(words[:8]) + (", …" if len(words) > 8 else "")
        expected = f": expected {'one of ' if len(words) > 1 else ''}{shown}"
    undeclared = undeclared_prefixes("\n".join(lines))
    hint = (
        f" (prefix {', '.join(p + ':' for p in undeclared)} is not declared)" if undeclared else ""
    )
    return f"SPARQL syntax error at {where}{expected}{hint}"


# --- names for IRIs ---------------------------------------------------------------------------


def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The name of each IRI that has one: skos:prefLabel, else rdfs:label, else foaf:name;
    Danish, else untagged, else English; the smallest of equals (so reruns agree)."""
    wanted = sorted({i for i in iris if SAFE_IRI_RE.match(i)})
    best: dict[str, tuple[int, int, str]] = {}
    # The predicates as a FILTER, not a second VALUES block: Oxigraph joins two VALUES blocks
    # with ``?x ?p ?label`` by scanning the pattern (1.4 s for 400 IRIs at 2,000 documents),
    # but looks each ?x up in its index when ?p is left free and filtered (0.01 s).
    predicates = ", ".join(f"<{p}>" for p in LABEL_PREDICATES)
    for start in range(0, len(wanted), LABEL_BATCH):
        values = " ".join(f"<{iri}>" for iri in wanted[start : start + LABEL_BATCH])
        sparql = (
            f"SELECT ?x ?p ?label (LANG(?label) AS ?lang) WHERE {{ VALUES ?x {{ {values} }} "
            f"?x ?p ?label FILTER(?p IN ({predicates}) && isLITERAL(?label)) }}"
        )
        for row in store.select(sparql):
            lang = str(row["lang"] or "").lower()
            rank = (
                LABEL_PREDICATES.index(str(row["p"])),
                LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES),
                " ".join(str(row["label"]).split()),
            )
            iri = str(row["x"])
            if iri not in best or rank < best[iri]:
                best[iri] = rank
    return {iri: rank[2] for iri, rank in best.items()}


def _is_iri(value: Any) -> bool:
    from kommunegraf.ontology.values import IRI

    return isinstance(value, IRI)


def tabulate(
    store: Store, variables: list[str], rows: Iterable[Mapping[str, Any]], hide: Iterable[str] = ()
) -> Table:
    """Rows with the ``hide`` columns left out, and each column of named resources shown by
    name with its IRIs in ``<column>_iri`` beside it."""
    hidden = set(hide)
    kept = [v for v in variables if v not in hidden]
    listed = [{v: row.get(v) for v in kept} for row in rows]
    iris = {value for row in listed for value in row.values() if _is_iri(value)}
    names = labels(store, iris) if iris else {}
    table = Table([], [], {})
    named = {v for v in kept if any(_is_iri(r[v]) and r[v] in names for r in listed)}
    for v in kept:
        table.variables.append(v)
        if v in named:
            table.variables.append(v + IRI_SUFFIX)
            table.iri_columns[v] = v + IRI_SUFFIX
    for row in listed:
        out: dict[str, Any] = {}
        for v in kept:
            value = row[v]
            if v in named:
                out[v] = names.get(value, value) if _is_iri(value) else value
                out[v + IRI_SUFFIX] = value if _is_iri(value) else None
            else:
                out[v] = value
        table.rows.append(out)
    return table


def json_results(store: Store, raw: bytes, hide: Iterable[str] = ()) -> bytes:
    """SPARQL 1.1 results JSON with the same names as :func:`tabulate`: the hidden columns
    removed, and a plain-literal name column beside each column of named resources (whose
    IRIs move to ``<column>_iri``).  Anything else (an ASK answer, RDF) is returned as is."""
    try:
        doc = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(doc, dict) or "results" not in doc:
        return raw
    hidden = set(hide)
    variables = [v for v in doc["head"].get("vars", []) if v not in hidden]
    bindings = [
        {k: b for k, b in row.items() if k not in hidden} for row in doc["results"]["bindings"]
    ]
    iris = {b["value"] for row in bindings for b in row.values() if b.get("type") == "uri"}
    names = labels(store, iris) if iris else {}
    named = [v for v in variables if any(_named_uri(row.get(v), names) for row in bindings)]
    head: list[str] = []
    for v in variables:
        head += [v, v + IRI_SUFFIX] if v in named else [v]
    out_rows = []
    for row in bindings:
        out: dict[str, Any] = {}
        for v in variables:
            if v not in row:
                continue
            term = row[v]
            if v in named and term.get("type") == "uri":
                out[v + IRI_SUFFIX] = term
                if term["value"] in names:
                    out[v] = {"type": "literal", "value": names[term["value"]]}
            else:
                out[v] = term
        out_rows.append({k: out[k] for k in head if k in out})
    doc["head"]["vars"] = head
    doc["results"]["bindings"] = out_rows
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n"


def _named_uri(term: dict[str, str] | None, names: Mapping[str, str]) -> bool:
    return bool(term) and term.get("type") == "uri" and term.get("value") in names


def frame(table: Table) -> pandas.DataFrame:
    """The table as a pandas DataFrame (pandas comes with the ``notebooks`` extra)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "pandas is needed for DataFrames: pip install 'kommunegraf[notebooks]'"
        ) from exc
    return pd.DataFrame(
        [[_plain(row.get(v)) for v in table.variables] for row in table.rows],
        columns=table.variables,
    )


def _plain(value: Any) -> Any:
    """An IRI as a plain str (pandas keeps the subclass otherwise)."""
    return str(value) if _is_iri(value) else value


# --- text -------------------------------------------------------------------------------------


def cell(value: Any, base: str) -> str:
    """A value for a text table: IRIs below the base as ``id:…``, known prefixes folded,
    whitespace runs as one space."""
    if value is None:
        return ""
    if _is_iri(value):
        if value.startswith(base + "id/"):
            return "id:" + value[len(base) + 3 :]
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns) :]}"
        return f"<{value}>"
    if isinstance(value, float):
        return f"{value:.4g}"
    return " ".join(str(value).split())


MIN_WRAPPED = 12  # a wrapped column is never narrower than this (or its header)


def render_text(table: Table, *, base: str, width: int | None = None) -> str:
    """The table as aligned text.  ``width=None`` (not a terminal): every value whole, however
    wide.  Otherwise the widest columns are wrapped onto more lines until the table fits
    ``width``; nothing is cut."""
    columns = table.shown()
    cells = [[cell(row.get(v), base) for v in columns] for row in table.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(columns)]
    if width is not None:
        budget = width - 2 * (len(columns) - 1)
        # first wrap between words only (no column narrower than its longest word), then,
        # if that is not enough, down to MIN_WRAPPED characters
        words = [
            max([len(w) for r in cells for w in r[i].split()] or [0]) for i in range(len(columns))
        ]
        for least in (words, [MIN_WRAPPED] * len(columns)):
            floors = [
                min(w, max(len(v), n)) for v, w, n in zip(columns, widths, least, strict=True)
            ]
            while sum(widths) > budget:
                shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
                if not shrinkable:
                    break
                widest = max(shrinkable, key=lambda i: widths[i])
                widths[widest] -= 1
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    wrapped = [
        [
            (textwrap.wrap(c, w, break_long_words=True, break_on_hyphens=True) or [""])
            if len(c) > w
            else [c]
            for c, w in zip(row, widths, strict=True)
        ]
        for row in cells
    ]
    spaced = any(len(part) > 1 for parts in wrapped for part in parts)
    for number, parts in enumerate(wrapped):
        if spaced and number:
            lines.append("")  # wrapped rows are told apart by a blank line
        for k in range(max(len(p) for p in parts) if parts else 1):
            lines.append(
                "  ".join(
                    (p[k] if k < len(p) else "").ljust(w)
                    for p, w in zip(parts, widths, strict=True)
                ).rstrip()
            )
    n = len(cells)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)
