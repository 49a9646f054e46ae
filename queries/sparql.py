"""The SPARQL that code binds: ``queries/answers/*.rq`` (bundled beside the user's queries,
each with a comment header, but not listed by ``kommunegraf queries``: they take values only
code binds).  Trace, viz and the municipality lookup read theirs here.

Read by path, cached, with nothing imported: a trace must start fast.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ANSWERS_SPARQL = Path(__file__).resolve().parent / "answers"


@cache
def sparql(name: str) -> str:
    """The text of ``queries/answers/<name>.rq``; every value in it is bound by the caller."""
    return (ANSWERS_SPARQL / f"{name}.rq").read_text(encoding="utf-8")
