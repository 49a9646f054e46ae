"""The reference tables the extractors consult, read once from data files beside the code.

Laws, parties and the word lists of names are facts that change with legislation, elections
and what minutes print, not logic; keeping them in ``extract/data/*.toml`` lets a reader
correct a table without reading Python, and lets a test check each table's shape.  Each file
is parsed on first use and cached for the process.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def table(name: str) -> dict[str, Any]:
    """The parsed ``extract/data/<name>.toml``."""
    data = resources.files("kommunegraf.extract.data").joinpath(f"{name}.toml")
    return tomllib.loads(data.read_text(encoding="utf-8"))


def words(name: str, key: str) -> frozenset[str]:
    """A word list of a table: a TOML string of whitespace-separated words, or an array."""
    value = table(name)[key]
    return frozenset(value.split() if isinstance(value, str) else value)


def sequence(name: str, key: str) -> tuple[str, ...]:
    """An ordered list of a table, as a tuple (order matters: first match wins)."""
    value = table(name)[key]
    return tuple(value.split() if isinstance(value, str) else value)
