"""The bundled SPARQL queries: load one by name, read its header, bind its parameters.

Each ``queries/*.rq`` file opens with ``#`` comment lines: the first is a one-line
description, further lines explain, and ``# param:`` lines declare parameters::

    # param: case (case) — the case number as printed
    # param: year (integer, optional) — one year, e.g. 2018

A parameter's kind says how a typed value is bound: ``string`` (a plain literal),
``integer``, ``date`` (xsd:date), ``iri``, ``case`` (a case number, normalised as the store
keys it) or ``municipality`` (a name or kommunekode, resolved to the municipality's IRI).
Values are always bound through the store's substitutions — never pasted into the query
text — so a value is data whatever characters it holds.  An optional parameter that is not
given leaves its variable free, so the query covers everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from kommunegraf.errors import KommunegrafError

if TYPE_CHECKING:
    import pandas

    from kommunegraf.graph.store.local import Store
    from kommunegraf.queries.results import Table

QUERY_DIR = Path(__file__).resolve().parent
KINDS = ("string", "integer", "date", "iri", "case", "municipality")
# What a value of each kind looks like, for a one-line refusal ("-p year=abc").
KIND_WORDS = {
    "integer": "a whole number (an integer, e.g. 2018)",
    "date": "a date written YYYY-MM-DD (e.g. 2018-05-15)",
    "iri": "a valid iri: an absolute IRI such as <https://w3id.org/kommunegraf/id/naestved>",
    "case": "a case number (e.g. 15.00.00-P20-1-18)",
}

# A parameter line: "# param: year (integer, optional) — one year, e.g. 2018".
PARAM_RE = regex.compile(
    r"^#\s*param:\s*(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<opts>[^)]*)\))?\s*(?:[—–:-]+\s*(?P<text>.*))?$"
)
# An absolute IRI typed as a value, with or without angle brackets: "<https://…>".
IRI_VALUE_RE = regex.compile(r"^<?(?P<iri>[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+)>?$")


class QueryParamError(KommunegrafError, ValueError):
    """A parameter that is missing, unknown or cannot be read as its kind."""


class UnknownQuery(KommunegrafError, KeyError):
    """No bundled query of that name (a ``KeyError`` too, as it was before the error root)."""

    def __str__(self) -> str:  # KeyError's own would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    optional: bool
    description: str


@dataclass(frozen=True)
class BundledQuery:
    """A query file with its header read."""

    name: str
    path: Path
    description: str
    details: str
    params: tuple[Param, ...]
    text: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_header(text: str) -> tuple[str, str, tuple[Param, ...]]:
    """(description, details, params) from the leading ``#`` lines of a query."""
    comments: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        comments.append(stripped)
    params: list[Param] = []
    prose: list[str] = []
    for line in comments:
        match = PARAM_RE.match(line)
        if match:
            opts = [o.strip().lower() for o in (match["opts"] or "").split(",") if o.strip()]
            kinds = [o for o in opts if o in KINDS]
            unknown = [o for o in opts if o not in KINDS and o != "optional"]
            if unknown:
                raise QueryParamError(f"param {match['name']}: unknown option(s) {unknown}")
            params.append(
                Param(
                    name=match["name"],
                    kind=kinds[0] if kinds else "string",
                    optional="optional" in opts,
                    description=(match["text"] or "").strip(),
                )
            )
        else:
            prose.append(line.lstrip("#").strip())
    paragraphs: list[list[str]] = [[]]  # blank comment lines separate paragraphs
    for line in prose:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    text = [" ".join(" ".join(p).split()) for p in paragraphs if p]
    description = text[0] if text else ""
    details = " ".join(text[1:])
    return description, details, tuple(params)


def load_file(path: str | Path) -> BundledQuery:
    """A query from any ``.rq`` file (its header is optional)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    description, details, params = parse_header(text)
    return BundledQuery(p.stem, p, description, details, params, text)


def names() -> list[str]:
    """The bundled queries' names, sorted."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def load(name: str) -> BundledQuery:
    """A bundled query by name (with or without ``.rq``); a miss suggests close names."""
    stem = name.removesuffix(".rq")
    path = QUERY_DIR / f"{stem}.rq"
    if stem not in names():
        close = difflib.get_close_matches(stem, names(), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `kommunegraf queries`"
        raise UnknownQuery(f"no bundled query {name!r}{hint}")
    return load_file(path)


def all_queries() -> list[BundledQuery]:
    return [load(name) for name in names()]


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``key=value`` strings (``--param``) as a dict; the value may hold any character."""
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not regex.fullmatch(r"[A-Za-z_]\w*", key):
            raise QueryParamError(f"--param takes key=value, got {pair!r}")
        given[key] = value
    return given


def bind(
    query: BundledQuery,
    given: Mapping[str, str],
    *,
    municipality: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The substitutions for ``query``: each given value converted to its declared kind.

    ``municipality`` resolves a typed municipality to its IRI (the store knows them).
    A query without declared parameters (``-e``, a file without a header) binds every
    given value as a string, or as an IRI when it is written ``<…>``.
    """
    from kommunegraf.extract.text.casenumbers import canonical_key
    from kommunegraf.ontology.values import IRI

    declared = {p.name: p for p in query.params}
    if declared:
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryParamError(
                f"{query.name} has no parameter {', '.join(unknown)}; "
                f"it takes: {', '.join(declared)}"
            )
        missing = [p.name for p in query.params if not p.optional and p.name not in given]
        if missing:
            raise QueryParamError(
                f"{query.name} needs --param {' --param '.join(m + '=…' for m in missing)}"
            )
    bindings: dict[str, Any] = {}
    for name, value in given.items():
        param = declared.get(name)
        kind = param.kind if param else ("iri" if value.startswith("<") else "string")
        try:
            if kind == "integer":
                bindings[name] = int(value.strip())
            elif kind == "date":
                bindings[name] = dt.date.fromisoformat(value.strip())
            elif kind == "iri":
                match = IRI_VALUE_RE.match(value.strip())
                if not match:
                    raise ValueError("not an absolute IRI")
                bindings[name] = IRI(match["iri"])
            elif kind == "case":
                bindings[name] = canonical_key(value)
            elif kind == "municipality":
                if municipality is None:
                    raise ValueError("no store to resolve municipalities in")
                bindings[name] = IRI(municipality(value))
            else:
                bindings[name] = value
        except KommunegrafError:  # the lookup's own message (near names) says it better
            raise
        except ValueError:
            raise QueryParamError(
                f"--param {name}: {value!r} is not {KIND_WORDS.get(kind, 'a valid ' + kind)}"
            ) from None
    return bindings


# --- the public way in: run a query, its answer as names beside IRIs (queries/results.py) ---


def run(store: Store, query: str, **params: Any) -> Table:
    """A bundled query by name (or SPARQL text, the project's prefixes predeclared) with its
    parameters bound as data: the answer as a :class:`Table` of names and IRIs.

    >>> run(store, "items-citing-law", law="225-timersreglen")  # doctest: +SKIP
    """
    from kommunegraf.queries.municipality import resolve_municipality
    from kommunegraf.queries.results import tabulate, with_prefixes

    if any(ch.isspace() for ch in query.strip()):
        text, _shift = with_prefixes(query)
        bundled = BundledQuery("sparql", QUERY_DIR, "", "", (), text)
    else:
        bundled = load(query)
    given = {key: str(value) for key, value in params.items()}
    bindings = bind(bundled, given, municipality=lambda m: resolve_municipality(store, m)[0])
    result = store.select(bundled.text, bindings)
    return tabulate(store, result.variables, result, hide=given)


def query_frame(store: Store, query: str, **params: Any) -> pandas.DataFrame:
    """:func:`run` as a pandas DataFrame: one column per name, ``…_iri`` beside it."""
    from kommunegraf.queries.results import frame

    return frame(run(store, query, **params))


def __getattr__(name: str) -> Any:
    """``Table``, looked up in queries/results.py when first asked for (PEP 562): the results
    module imports nothing of this package, and this package imports it only when needed."""
    if name == "Table":
        from kommunegraf.queries.results import Table

        return Table
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "KINDS",
    "BundledQuery",
    "Param",
    "QueryParamError",
    "Table",
    "UnknownQuery",
    "all_queries",
    "bind",
    "load",
    "load_file",
    "names",
    "parse_header",
    "parse_params",
    "query_frame",
    "run",
]
