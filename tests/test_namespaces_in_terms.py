"""The ontology's namespaces are written once, in ontology/terms.py.

A module that spells a namespace IRI itself ("http://www.w3.org/2001/XMLSchema#") keeps a
copy that can drift from the one the ontology, the mapping and the bundled queries use.  The
check reads each module's string constants (not its docstrings or comments).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The namespaces ontology/terms.py declares, as a module would spell one
NAMESPACES = (
    "https://w3id.org/kommunegraf/ontology",
    "http://www.w3.org/",
    "http://purl.org/dc/",
    "http://xmlns.com/foaf/",
    "http://data.europa.eu/eli/",
    "http://data.vlaanderen.be/ns/",
)
FOLDERS = ("extract", "graph", "queries")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the nodes that are docstrings (a module's, class's or function's first string)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.add(id(value))
    return out


def namespace_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``source`` that holds a namespace IRI."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and any(ns in node.value for ns in NAMESPACES)
    ]


def test_the_check_finds_a_copy_and_ignores_prose() -> None:
    source = '"""Prefix kg: <https://w3id.org/kommunegraf/ontology#>."""\nXSD = "http://www.w3.org/2001/XMLSchema#"\n'
    assert namespace_literals(source) == [(2, "http://www.w3.org/2001/XMLSchema#")]


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_module_spells_a_namespace(path: Path) -> None:
    assert namespace_literals(path.read_text(encoding="utf-8")) == []
