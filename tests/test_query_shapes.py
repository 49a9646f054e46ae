"""The bundled queries keep the shapes Oxigraph 0.5 plans well (issue 21, point 4).

No test here times anything (bench/query.py --all-queries prints the seconds).  What is
checked is the shape that made `people-by-party`, `organisations-most-mentioned` and
`central-actors` slow at 10,000 documents: Oxigraph plans an OPTIONAL block and a UNION
branch without the variables bound outside it, and an alternation path (``p|q``) there is
evaluated over the whole store and then again per row.  Written as separate triple patterns
in UNION branches, or in a subquery selective on its own, the same rows come back in a
fraction of the time (tests/test_query_answers.py holds the rows unchanged).
"""

from __future__ import annotations

import re

import pytest

from kommunegraf import queries

# A comment from '#' to the end of the line, outside IRIs and strings is good enough for the
# bundled queries (none has '#' in a literal); IRIs are removed first.  e.g. "  # why"
COMMENT = re.compile(r"#[^\n]*")
# An IRI in angle brackets, e.g. "<http://www.w3.org/ns/org#>" (its '#' is not a comment).
IRI_REF = re.compile(r"<[^<>\s]*>")
# A quoted literal, e.g. '"da"' or "'person'".
LITERAL = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
# A block that Oxigraph plans on its own: "OPTIONAL {" or a UNION branch's "UNION {".
PLANNED_ALONE = re.compile(r"\b(?:OPTIONAL|UNION)\s*\{", re.IGNORECASE)
# An alternation path between two predicates, e.g. "kg:municipality|org:subOrganizationOf";
# not the boolean "||".
ALTERNATION = re.compile(r"(?<!\|)\|(?!\|)")
# A class pattern that anchors a block, e.g. "?lawIri a kg:Law": the block is then selective
# on its own (a few hundred laws), and an alternation inside it stays cheap.
CLASS_ANCHOR = re.compile(r"\s(?:a|rdf:type)\s+[\w-]+:\w+")


def _clean(text: str) -> str:
    """The query without IRIs, literals and comments, so that only syntax is left."""
    return COMMENT.sub("", LITERAL.sub('""', IRI_REF.sub("<>", text)))


def _block(text: str, start: int) -> str:
    """The text between the brace at ``start`` and its matching closing brace."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    raise ValueError("unbalanced braces")


def _first_union_branches(text: str) -> list[str]:
    """The first branch of each UNION: the brace block that ends right before the keyword."""
    branches = []
    for match in re.finditer(r"\}\s*UNION\b", text, re.IGNORECASE):
        depth, i = 0, match.start()
        while i >= 0:
            depth += {"}": 1, "{": -1}.get(text[i], 0)
            if depth == 0:
                branches.append(text[i + 1 : match.start()])
                break
            i -= 1
    return branches


def alternations_planned_alone(query: str) -> list[str]:
    """The OPTIONAL blocks and UNION branches of ``query`` that hold an alternation path and
    no class pattern to make them selective on their own."""
    text = _clean(query)
    blocks = [_block(text, m.end() - 1) for m in PLANNED_ALONE.finditer(text)]
    blocks += _first_union_branches(text)
    return [
        " ".join(b.split()) for b in blocks if ALTERNATION.search(b) and not CLASS_ANCHOR.search(b)
    ]


# --- the checker itself, on invented queries ---------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?a ?p ?b OPTIONAL { ?a <x:m>|<x:s> ?m } }",
        "SELECT * { { ?i <x:mentions> ?p } UNION { ?d <x:vote>/(<x:for>|<x:against>) ?p } }",
        "SELECT * { { ?d <x:vote>/(<x:for>|<x:against>) ?p } UNION { ?i <x:mentions> ?p } }",
        "SELECT * { ?a ?p ?b OPTIONAL { { ?a kg:x ?c } UNION { ?a kg:y|kg:z ?c } } }",
    ],
)
def test_an_alternation_in_an_optional_or_union_branch_is_found(query: str) -> None:
    assert alternations_planned_alone(query)


@pytest.mark.parametrize(
    "query",
    [
        # required alternation, outside any OPTIONAL/UNION; a boolean || in a filter
        "SELECT * { ?l a <x:Law> ; <x:label>|<x:alt> ?n FILTER(?a || ?b) }",
        # an alternation in a branch anchored by a class (items-citing-law's laws first)
        "SELECT * { { ?l a kg:Law ; <x:label>|<x:alt> ?n } UNION { ?c <x:printed> ?n } }",
        # the rewritten shape: one predicate per branch
        "SELECT * { { ?v <x:for> ?p } UNION { ?v <x:against> ?p } ?d <x:vote> ?v }",
        # '|' and '#' inside an IRI, a literal or a comment are not syntax
        'SELECT * { OPTIONAL { ?a <http://x.org/o#a|b> "x|y" } } # a|b',
    ],
)
def test_other_shapes_are_not_flagged(query: str) -> None:
    assert alternations_planned_alone(query) == []


# --- the bundled queries ------------------------------------------------------------------


@pytest.mark.parametrize("name", queries.names())
def test_no_bundled_query_has_an_alternation_planned_alone(name: str) -> None:
    """Every bundled query: no alternation path inside an OPTIONAL or a UNION branch."""
    assert alternations_planned_alone(queries.load(name).text) == []
