"""The 98 Danish municipalities with their kommunekode, and recognising one from a text.

The tables are the project's own copy of the facts: extract/data/kommuner.tsv (names and
codes), byer.tsv (towns whose name is not their municipality's), portaler.tsv (portal and
web hosts).  A document is attributed to the municipality with the most evidence:

- each mention ("Næstved Kommune", "Randers Byråd"), worth more on the first page, where a
  page title or letterhead prints it;
- a host or e-mail address of the municipality ("dagsorden.assens.dk", "post@kolding.dk");
- a town hall, a postcode or a town in the page header ("Juelsminde Rådhus", "6000 Kolding",
  "Mødelokale 2, Slangerup");
- the file's own name ("Glostrup_2018-01-17.txt"), the name the user or portal gave it;
- case numbers that start with its kommunekode ("330-2019-57265" → Slagelse).
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
    text = (
        resources.files("kommunegraf.extract.data")
        .joinpath("kommuner.tsv")
        .read_text(encoding="utf-8")
    )
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
    """The names that ``_mention_pattern().finditer(text)`` yields, in order, then the
    mentions in capitals ("IKAST-BRANDE KOMMUNE")."""
    return [name for _, name in _mention_hits(text)]


def _mention_hits(text: str) -> list[tuple[int, str]]:
    """(start, name) of every match of ``_mention_pattern().finditer(text)``, in order, then
    of every mention in capitals."""
    pattern = _mention_pattern()
    found: list[tuple[int, str]] = []
    done = 0
    for start in _mention_starts(text):
        if start >= done and (m := pattern.match(text, start)):
            found.append((start, m["name"]))
            done = m.end()
    return found + _caps_mention_hits(text)


# " KOMMUNE", " BYRÅD": a letterhead in capitals ("IKAST-BRANDE KOMMUNE", "HERNING BYRÅD")
CAPS_MENTION_WORDS = (" KOMMUNE", " BYRÅD", "\nKOMMUNE")


@cache
def _caps_names() -> tuple[tuple[str, str], ...]:
    """(the name in capitals, the name) for every municipality, longest first."""
    pairs = [(e.short.upper(), e.short) for e in table()]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _caps_mentions(text: str) -> list[str]:
    """The names of ``_caps_mention_hits``."""
    return [name for _, name in _caps_mention_hits(text)]


def _caps_mention_hits(text: str) -> list[tuple[int, str]]:
    """The names printed in capitals before "KOMMUNE" or "BYRÅD" (a letterhead), in order.

    Looked up by the word, as ``_mention_starts`` does: the names are only compared at the
    few places the word stands.  The name must start a word ("SKIVE", not "…ESKIVE").
    """
    hits: list[tuple[int, str]] = []
    for word in CAPS_MENTION_WORDS:
        at = text.find(word)
        while at != -1:
            before = text[max(0, at - 40) : at]
            for caps, name in _caps_names():
                for form in (caps, caps + "S"):
                    if before.endswith(form):
                        cut = len(before) - len(form)
                        if cut == 0 or not before[cut - 1].isalnum():
                            hits.append((at, name))
                            break
                else:
                    continue
                break
            at = text.find(word, at + 1)
    return sorted(hits)


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


# How much of a document's start counts as its first page (title, letterhead, header)
FIRST_PAGE = 3_000
# Weights of the kinds of evidence (a mention elsewhere in the text is worth 1)
W_FIRST_PAGE, W_HOST, W_TOWN_HALL, W_TOWN, W_FILE_NAME = 2.0, 3.0, 1.5, 0.75, 2.5


def _ascii_forms(name: str) -> set[str]:
    """ "Brønderslev" → {"brønderslev", "broenderslev", "bronderslev"} (as hosts and file
    names spell it)."""
    low = name.lower()
    two = low.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    one = low.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return {low, two, one, two.replace(" ", "-"), one.replace(" ", "")}


@cache
def _places() -> dict[str, str]:
    """Town → municipality (short names), the municipalities' own names included."""
    text = (
        resources.files("kommunegraf.extract.data").joinpath("byer.tsv").read_text(encoding="utf-8")
    )
    towns = {e.short: e.short for e in table()}
    for line in text.splitlines()[1:]:
        if "\t" in line:
            town, muni = line.split("\t")
            towns[town.strip()] = muni.strip()
    return towns


@cache
def _hosts() -> dict[str, str]:
    """Host → municipality: the portal table and the usual forms of a municipality's site."""
    text = (
        resources.files("kommunegraf.extract.data")
        .joinpath("portaler.tsv")
        .read_text(encoding="utf-8")
    )
    hosts: dict[str, str] = {}
    for entry in table():
        for form in _ascii_forms(entry.short):
            for host in (f"{form}.dk", f"{form}kommune.dk", f"{form}-kommune.dk"):
                hosts[host] = entry.short
    for line in text.splitlines()[1:]:
        if "\t" in line:
            host, muni = line.split("\t")
            hosts[host.strip().lower()] = muni.strip()
    return hosts


# "Juelsminde", "Hvide Sande", "Nykøbing F": a capitalised word and up to two more after it
CAPITALISED_RUN = re.compile(r"\p{Lu}[\p{L}-]*(?:[ \t]+\p{Lu}[\p{L}-]*){0,2}")
# "Rådhus", "Rådhuset" after a town: its town hall
TOWN_HALL_AFTER = re.compile(r"\s+Rådhus")
# "Rådhuset i " before a town; "6000 " (a postcode) before a town
TOWN_HALL_BEFORE = re.compile(r"(?:Rådhuset\s+i|\b\d{4})\s+$")


# "www.kolding.dk", "dagsorden.assens.dk", "post@rksk.dk": a Danish host, read back from ".dk"
HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-æøå")


def _hosts_in(text: str) -> list[str]:
    """The municipalities whose hosts the text prints (each ".dk" read back to its host)."""
    known = _hosts()
    found: list[str] = []
    at = text.find(".dk")
    while at != -1:
        if not text[at + 3 : at + 4].isalnum():
            start = at
            while start > 0 and text[start - 1].lower() in HOST_CHARS:
                start -= 1
            host = text[start : at + 3].lower().lstrip(".-")
            parts = host.split(".")
            for i in range(len(parts) - 1):  # "dagsorden.assens.dk", then "assens.dk"
                muni = known.get(".".join(parts[i:]))
                if muni:
                    found.append(muni)
                    break
        at = text.find(".dk", at + 3)
    return found


@cache
def _file_name_forms() -> dict[str, str]:
    """Every spelling of a municipality's name that a file name may use → its short name."""
    forms: dict[str, str] = {}
    for entry in table():
        for form in _ascii_forms(entry.short):
            forms[form] = entry.short
    return forms


# "ringkobing-skjern", "holbaek": the words of a file name (letters, joined by hyphens)
FILE_NAME_WORDS = re.compile(r"[a-zæøå]+(?:-[a-zæøå]+)*")


def _from_file_name(path: str) -> list[str]:
    """Municipalities named in a file's name ("Ringkøbing-Skjern_2019-03-19.txt")."""
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    forms = _file_name_forms()
    found: list[str] = []
    for word in FILE_NAME_WORDS.findall(stem):
        parts = [word] if word in forms else word.split("-")
        found += [forms[p] for p in parts if p in forms and forms[p] not in found]
    return found


def _town_evidence(head: str) -> dict[str, float]:
    """Towns in a document's first page: a town hall or postcode before or after the name
    counts more than the name alone (a bare name of under five letters may be a word)."""
    scores: dict[str, float] = {}
    places = _places()
    for m in CAPITALISED_RUN.finditer(head):
        run = m.group(0)
        words = run.split()
        i = 0
        while i < len(words):
            for n in range(len(words) - i, 0, -1):  # the longest town from this word on
                town = " ".join(words[i : i + n])
                if town in places:
                    break
            else:
                i += 1
                continue
            start = m.start() + run.find(town)
            end = start + len(town)
            hall = bool(TOWN_HALL_AFTER.match(head, end)) or bool(
                TOWN_HALL_BEFORE.search(head[max(0, start - 16) : start])
            )
            if hall or len(town) >= 5:
                muni = places[town]
                scores[muni] = scores.get(muni, 0.0) + (W_TOWN_HALL if hall else W_TOWN)
            i += n
    return scores


def recognise(text: str, path: str | None = None) -> MunicipalityEntry | None:
    """The municipality a document belongs to (see the module's docstring for the evidence).

    ``path`` is the file's name, if it has one; it is read, never opened.
    """
    by_short, by_code = _lookups()
    scores: dict[str, float] = {}
    head = text[:FIRST_PAGE]
    for start, name in _mention_hits(text):
        weight = W_FIRST_PAGE if start < FIRST_PAGE else 1.0
        scores[name] = scores.get(name, 0.0) + weight
    if ".dk" in text:
        for name in _hosts_in(text):
            scores[name] = scores.get(name, 0.0) + W_HOST
    for name, weight in _town_evidence(head).items():
        scores[name] = scores.get(name, 0.0) + weight
    if path:
        for name in _from_file_name(path):
            scores[name] = scores.get(name, 0.0) + W_FILE_NAME
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
