"""Bindings for a SPARQL server: each bound value written into the query as an escaped RDF
term in a one-row ``VALUES`` block in every group pattern outside sub-queries.

Bindings cannot travel as pyoxigraph substitutions over the protocol; this is how Oxigraph's
substitutions scope too (they reach UNION branches and OPTIONALs, not sub-queries; a BIND to
a bound variable filters), so a query answers alike on both backends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
import regex

from kommunegraf.graph.store.model import QueryError
from kommunegraf.graph.store.values import Value
from kommunegraf.graph.store.values import to_term as _term

# One SPARQL token, in the order tried: a comment "# …", a long or short string
# ('''…''', "…"), an IRI "<https://…>", a language tag "@da", a variable "?case" / "$case",
# a blank node "_:b0", a prefixed name "kg:item" / ":x", a word "SELECT", or one other
# character ("{", "(", "." …).  An IRI cannot hold braces, so a "<" read as one by mistake
# (in "?a<?b") never hides a group.
SPARQL_TOKEN = regex.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<var>[?$]\w+)
      | (?P<bnode>_:[\w.-]*)
      | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.:%\\-]*)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<space>\s+)
      | (?P<other>.)""",
    regex.VERBOSE | regex.DOTALL,
)
# A variable name as SPARQL allows it: "case", "minMeetings", "år".
VARNAME = regex.compile(r"\w+")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> list[_Token]:
    """The query's significant tokens (no spaces, no comments)."""
    found = []
    for m in SPARQL_TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(_Token(kind, m.group(), m.start(), m.end()))
    return found


def values_block(bindings: Mapping[str, Value]) -> str:
    """``VALUES (?a ?b) { (term term) }`` with each value as an escaped RDF term."""
    names, terms = [], []
    for name, value in bindings.items():
        var = name.lstrip("?$")
        if not VARNAME.fullmatch(var):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        try:
            term = _term(value)
        except (TypeError, ValueError) as exc:
            raise QueryError(f"cannot bind ?{var}: {exc}") from None
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"cannot bind ?{var} to a blank node on a SPARQL endpoint")
        names.append(f"?{var}")
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _matching(tokens: list[_Token], i: int, opening: str, closing: str) -> int:
    """The index of the token that closes the bracket at ``tokens[i]``."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == opening:
            depth += 1
        elif tokens[j].text == closing:
            depth -= 1
            if depth == 0:
                return j
    raise QueryError(f"SPARQL syntax error: a '{opening}' is never closed")


def _binds_to(tokens: list[_Token], words: list[str], i: int, names: set[str]) -> int | None:
    """For ``BIND(… AS ?v)`` at ``tokens[i]`` with ?v bound: the index of its ``)``."""
    if i + 1 >= len(tokens) or tokens[i + 1].text != "(":
        return None
    close = _matching(tokens, i + 1, "(", ")")
    target = tokens[close - 1]
    if words[close - 2] == "AS" and target.kind == "var" and target.text[1:] in names:
        return close
    return None


def bind_values(sparql: str, bindings: Mapping[str, Value] | None) -> str:
    """The query with its bindings written in as a ``VALUES`` block in each group pattern.

    The block opens each group, or follows a ``BIND(… AS ?v)`` of a bound ?v in it (a BIND
    of a bound variable then filters, as with pyoxigraph's substitutions).  Skipped:
    CONSTRUCT templates, ``VALUES`` data blocks and sub-queries (whose variables are their
    own).  Every value is an escaped RDF term, so it is data whatever it holds.
    """
    if not bindings:
        return sparql
    block = " " + values_block(bindings) + " "
    names = {name.lstrip("?$") for name in bindings}
    tokens = _tokens(sparql)
    present = {t.text[1:] for t in tokens if t.kind == "var"}
    for name in sorted(names - present):
        raise QueryError(f"the query has no variable ?{name} to bind")
    words = [t.text.upper() if t.kind == "word" else t.text for t in tokens]
    form = next((w for w in words if w in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), None)
    if form is None:
        raise QueryError("bindings need a SELECT, ASK, CONSTRUCT or DESCRIBE query")

    inserts: list[int] = []
    groups: list[int] = []  # for each open group: where its block goes (a character offset)
    skip_to = -1  # inside a skipped block until this token index
    values_pending = False
    for i, token in enumerate(tokens):
        if i <= skip_to:
            continue
        word = words[i]
        if word == "VALUES":
            values_pending = True
        elif word == "BIND" and groups:
            close = _binds_to(tokens, words, i, names)
            if close is not None:
                groups[-1] = tokens[close].end
        elif word == "{":
            previous = words[i - 1] if i else ""
            following = words[i + 1] if i + 1 < len(words) else ""
            if values_pending or following == "SELECT" or previous == "CONSTRUCT":
                skip_to = _matching(tokens, i, "{", "}")
                values_pending = False
            elif previous == "WHERE" and i >= 2 and words[i - 2] == "CONSTRUCT":
                raise QueryError("bindings need the long CONSTRUCT { … } WHERE { … } form")
            else:
                groups.append(token.end)
        elif word == "}" and groups:
            inserts.append(groups.pop())
    if not inserts:
        if form != "DESCRIBE":
            raise QueryError("SPARQL syntax error: the query has no WHERE { … } pattern")
        # "DESCRIBE ?x" has no pattern: give it one, before any LIMIT/OFFSET.
        tail = next(
            (t.start for t, w in zip(tokens, words, strict=True) if w in ("LIMIT", "OFFSET")),
            len(sparql),
        )
        return f"{sparql[:tail]} WHERE {{{block}}} {sparql[tail:]}"
    parts, last = [], 0
    for at in sorted(inserts):
        parts += [sparql[last:at], block]
        last = at
    parts.append(sparql[last:])
    return "".join(parts)
