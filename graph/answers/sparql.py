"""The SPARQL of graph/answers, read from ``queries/answers/*.rq`` (bundled beside the user's
queries, each with a comment header, but not listed by ``kommunegraf queries``: they take
values only code binds).

Read by path from the package root rather than through ``kommunegraf.queries``: answers sit
below the queries package, and a trace must not import it (nor anything heavy) to start.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ANSWERS_SPARQL = Path(__file__).resolve().parents[2] / "queries" / "answers"


@cache
def sparql(name: str) -> str:
    """The text of ``queries/answers/<name>.rq``; every value in it is bound by the caller."""
    return (ANSWERS_SPARQL / f"{name}.rq").read_text(encoding="utf-8")
