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

# Every mention ends with one of these words ("Kommune" and "Kommunalbestyrelse" share the
# first; the pattern is case-sensitive).
_MENTION_WORDS = ("Kommun", "Byråd", "Regionskommune")


@cache
def _lookups() -> tuple[dict[str, MunicipalityEntry], dict[str, MunicipalityEntry]]:
    return {e.short: e for e in table()}, {e.code: e for e in table()}


@cache
def _names_by_ending() -> tuple[int, dict[str, tuple[str, ...]]]:
    """The names by their last letters (as many as the shortest name has), and that number."""
    size = min(len(e.short) for e in table())
    by_ending: dict[str, tuple[str, ...]] = {}
    for entry in table():
        ending = entry.short[-size:]
        by_ending[ending] = (*by_ending.get(ending, ()), entry.short)
    return size, by_ending


def _mention_starts(text: str) -> list[int]:
    """Where a mention may start: a name (and "s") right before blanks and a mention word.

    Scanning the text for the words first and looking back from them is much faster than
    trying the pattern of 98 names at every position; the pattern then confirms each start.
    """
    size, by_ending = _names_by_ending()
    starts: set[int] = set()
    for word in _MENTION_WORDS:
        at = text.find(word)
        while at != -1:
            blank = at
            while blank > 0 and text[blank - 1].isspace():
                blank -= 1
            if blank < at:  # the name ends at ``blank``, or one "s" before it
                for end in (blank, blank - 1) if text[blank - 1 : blank] == "s" else (blank,):
                    if end < size:
                        continue
                    for name in by_ending.get(text[end - size : end], ()):
                        if len(name) <= end and text.startswith(name, end - len(name)):
                            starts.add(end - len(name))
            at = text.find(word, at + 1)
    return sorted(starts)


def _mentions(text: str) -> list[str]:
    """The names that ``_mention_pattern().finditer(text)`` yields, in order."""
    pattern = _mention_pattern()
    found: list[str] = []
    done = 0
    for start in _mention_starts(text):
        if start >= done and (m := pattern.match(text, start)):
            found.append(m["name"])
            done = m.end()
    return found


def _case_codes(text: str) -> list[str]:
    """The codes of ``CODE_PREFIXED_CASE.finditer(text)``, in order.

    A code stands right before "-19"/"-20", so the pattern is only tried there.  That finds
    the same matches as a scan: two cannot overlap, since inside a match every character
    follows a digit or a dash, where the pattern cannot start.
    """
    starts: list[int] = []
    for cue in ("-19", "-20"):
        at = text.find(cue, 3)
        while at != -1:
            starts.append(at - 3)
            at = text.find(cue, at + 1)
    starts.sort()
    return [m["code"] for start in starts if (m := CODE_PREFIXED_CASE.match(text, start))]


def recognise(text: str) -> MunicipalityEntry | None:
    """The municipality a document belongs to, from its mentions and case-number prefixes."""
    by_short, by_code = _lookups()
    scores: dict[str, float] = {}
    for name in _mentions(text):
        scores[name] = scores.get(name, 0.0) + 1.0
    for code in _case_codes(text):
        entry = by_code.get(code)
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
