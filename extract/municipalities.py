"""The 98 Danish municipalities with their kommunekode, and recognising one from a text.

The table is the project's own copy of the facts (extract/data/kommuner.tsv).  A document is
attributed to the municipality it names most ("Næstved Kommune", "Randers Byråd"), with a
bonus for case numbers that start with its kommunekode ("330-2019-57265" → Slagelse).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex as re

# Official names that do not follow "<name> Kommune".
_SPECIAL_NAMES = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}


@dataclass(frozen=True)
class MunicipalityEntry:
    code: str
    short: str  # "Næstved"

    @property
    def name(self) -> str:
        return _SPECIAL_NAMES.get(self.short, f"{self.short} Kommune")


@cache
def table() -> tuple[MunicipalityEntry, ...]:
    text = resources.files("extract").joinpath("data/kommuner.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return tuple(MunicipalityEntry(code.strip(), name.strip()) for code, name in rows)


@cache
def _mention_pattern() -> re.Pattern[str]:
    names = sorted((re.escape(e.short) for e in table()), key=len, reverse=True)
    # "Næstved Kommune", "Københavns Kommune", "Randers Byråd", "Bornholms Regionskommune"
    return re.compile(
        rf"\b(?P<name>{'|'.join(names)})s?\s+(?:Kommune|Regionskommune|Byråd|Kommunalbestyrelse)",
    )


# "330-2019-57265": a case number that starts with a three-digit kommunekode
CODE_PREFIXED_CASE = re.compile(r"(?<![\d.-])(?P<code>\d{3})-(?:19|20)\d\d-\d{2,7}(?![\d-])")


def recognise(text: str) -> MunicipalityEntry | None:
    """The municipality a document belongs to, from its mentions and case-number prefixes."""
    by_short = {e.short: e for e in table()}
    by_code = {e.code: e for e in table()}
    scores: dict[str, float] = {}
    for m in _mention_pattern().finditer(text):
        scores[m["name"]] = scores.get(m["name"], 0.0) + 1.0
    for m in CODE_PREFIXED_CASE.finditer(text):
        entry = by_code.get(m["code"])
        if entry:
            scores[entry.short] = scores.get(entry.short, 0.0) + 0.5
    if not scores:
        return None
    return by_short[max(scores, key=lambda k: scores[k])]


def lookup(value: str) -> MunicipalityEntry | None:
    """A municipality from a user's --municipality: a code ("370"), a name or "X Kommune"."""
    wanted = value.strip().lower().removesuffix(" kommune").removesuffix(" regionskommune")
    for entry in table():
        if wanted in (entry.code, entry.short.lower(), entry.name.lower()):
            return entry
        if wanted.rstrip("s") == entry.short.lower():
            return entry
    return None
