"""The reference table of the laws municipal minutes cite most, and the canonical-id rule.

Minutes name the same law in many ways ("aktivloven", "lov om aktiv socialpolitik", "LAS",
"aktiv socialpolitik § 27 a"); the graph should link them all to one law.  ``LAWS`` maps the
common short and long names to one entry each, ``RULES`` maps named rules to the provision
they come from, and ``canonical_law`` turns a citation into the identifier the graph links.

The identifier (``canonical``) is, in order of preference:

1. the law's ELI on retsinformation.dk when it is known for certain:
   a citation that prints a number and a four-digit year ("Lov nr. 548 af 7. maj 2019",
   "Bek. nr. 77 af 2/2-2021") → ``https://www.retsinformation.dk/eli/lta/2019/548``
   (retsinformation uses ``lta`` for acts, consolidated acts and executive orders alike);
   a numbered guidance ("Vejledning nr. 9876 af 1/7-2021") →
   ``https://www.retsinformation.dk/eli/retsinfo/2021/9876``;
   a law of the table whose ELI is recorded there (only where the number and year of the
   original act were checked);
2. ``lov/<key>`` for a law of the table without a recorded ELI ("lov/serviceloven");
3. ``lov/<slug of the printed name>`` for any other named act, and for every named rule
   ("lov/finanslov-2021", "lov/tilskudsreglerne", "lov/225-timersreglen"): a rule is a
   resource of its own, and ``RULES`` says which provision of which law lays it down (the
   graph links the two; the rule never becomes its law); a ruling by its kind and number
   ("Ankestyrelsens principafgørelse 44-18" → "lov/principafgoerelse-44-18");
4. ``None`` when nothing names the law (a bare "§ 17, stk. 4") or a numbered document
   prints no year (its number alone is not unique).

A provision is appended as one more path segment, so that the graph can split it off:

    "§ 27a", "§ 27 a"       → …/paragraf/27a      (a letter joins its number)
    "§ 9, stk. 3"           → …/paragraf/9-stk-3
    "§ 3, stk. 1, nr. 2"    → …/paragraf/3-stk-1-nr-2
    "§ 10, litra a"         → …/paragraf/10-litra-a
    "§§ 2-4"                → …/paragraf/2-4
    "kap. 6", "kapitel 6"   → …/kapitel/6
    "kapitel 3-5"           → …/kapitel/3-5

Only facts are recorded here (names, numbers, years); nothing is guessed: an ELI is left
``None`` unless the act's number and year are certain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex as re

from kommunegraf.extract.tables import table
from kommunegraf.extract.text.provisions import provision_slug
from kommunegraf.extract.text.slugs import law_slug

ELI_BASE = "https://www.retsinformation.dk/eli/"


@dataclass(frozen=True)
class LawEntry:
    """One canonical law: ``title`` is its official title in lower case, as cited after "Lov"."""

    key: str
    title: str
    short_names: tuple[str, ...]
    eli: str | None
    kind: str = "act"


def _eli(year: int, number: int) -> str:
    return f"{ELI_BASE}lta/{year}/{number}"


def _laws() -> tuple[LawEntry, ...]:
    """The table of extract/data/laws.toml: ``short_names`` hold every other printed form
    (the "-loven" name, indefinite and variant spellings, abbreviations in upper case and
    hyphenated "XYZ-loven" forms)."""
    return tuple(
        LawEntry(
            law["key"],
            law["title"],
            tuple(law.get("names", ())),
            _eli(law["eli"]["year"], law["eli"]["number"]) if "eli" in law else None,
            law.get("kind", "act"),
        )
        for law in table("laws")["law"]
    )


LAWS: tuple[LawEntry, ...] = _laws()

# Named rules → (law key, provision).  Keys are rule names as ``rule_key`` folds them.
RULES: dict[str, tuple[str, str | None]] = {
    name: (rule["law"], rule.get("provision")) for name, rule in table("laws")["rules"].items()
}

# "nr. 548 af 7. maj 2019", "Nr. 77 af 2/2-2021", "nr 9876 af 01/07/2021"
NUMBER_AND_YEAR = re.compile(
    r"(?i)\bnr\.?\s*(?P<number>\d{1,6})\s+af\s+[^§]*?(?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)"
)
# "nr. 9876", "Nr 77": the number of a numbered document
NUMBER = re.compile(r"(?i)\bnr\.?\s*(?P<number>\d{1,6})(?!\d)")
# "44-18", "C-3-05", "A-12-19": the number of a ruling (principafgørelse, SM …)
RULING_NUMBER = re.compile(r"(?<![\p{L}\p{N}])(?:[A-ZÆØÅ]-)?\d{1,4}-\d{2,4}(?![\p{N}])")
# "225 timers-reglen", "225timersregel", "Tilskudsreglerne": a rule's ending
_RULE_ENDING = re.compile(r"(?i)[\s-]*(?:reglen|reglerne|regler|regelen|regel)$")
# "225 timers", "9-måneders", "26 ugers": a numbered rule's measure
_RULE_MEASURE = re.compile(
    r"(?i)^(?P<n>\d{1,4})\s*-?\s*(?P<unit>timer|måneder|uger|dage|år)s?[\s-]*$"
)


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """A law's name in the form the table is keyed by: lower case, single spaces, "mv."."""
    text = " ".join(name.replace("m.v.", "mv.").split()).lower()
    return text.removesuffix(" mv.").removesuffix(" mv")


def _index() -> dict[str, LawEntry]:
    table: dict[str, LawEntry] = {}
    for entry in LAWS:
        for name in (entry.title, *entry.short_names):
            table.setdefault(normalise_name(name), entry)
            # the genitive-free indefinite/definite pairs: "servicelov" ↔ "serviceloven"
            if name.endswith("loven"):
                table.setdefault(normalise_name(name[:-2]), entry)
    return table


_BY_NAME: dict[str, LawEntry] = _index()
_BY_KEY: dict[str, LawEntry] = {entry.key: entry for entry in LAWS}


@lru_cache(maxsize=8192)
def lookup(name: str | None) -> LawEntry | None:
    """The table's law for a printed name ("Servicelovens" excepted: pass the base form)."""
    if not name:
        return None
    return _BY_NAME.get(normalise_name(name))


def by_key(key: str) -> LawEntry | None:
    return _BY_KEY.get(key)


def abbreviations() -> tuple[str, ...]:
    """The upper-case abbreviations of the table ("SEL", "LAS", …), longest first."""
    names = {n for e in LAWS for n in e.short_names if n.isupper() and n.isalpha()}
    return tuple(sorted(names, key=len, reverse=True))


def elliptic_titles() -> tuple[str, ...]:
    """Titles without their "lov om" ("aktiv socialpolitik"), cited before a "§"; longest first."""
    names: set[str] = set()
    for entry in LAWS:
        for name in (entry.title, *entry.short_names):
            rest = name.removeprefix("lov om ").removesuffix(" m.v.")
            if name.startswith("lov om ") and "(" not in name and " " in rest:
                names.add(rest)
    return tuple(sorted(names, key=len, reverse=True))


def known_titles() -> tuple[str, ...]:
    """Every "lov om …" name of the table, longest first (to match the longest printed title)."""
    names = {
        normalise_name(n)
        for e in LAWS
        for n in (e.title, *e.short_names)
        if n.startswith("lov om ") and "(" not in n
    }
    return tuple(sorted(names, key=len, reverse=True))


def rule_key(name: str) -> str:
    """A rule's name folded: "225 timers-reglen", "225timersregel" → "225-timersreglen"."""
    stem = _RULE_ENDING.sub("", name.strip())
    measure = _RULE_MEASURE.match(stem + " ")
    if measure:
        return f"{measure['n']}-{measure['unit'].lower()}sreglen"
    return " ".join(stem.lower().split()) + "reglerne"


def _with_provision(base: str, provision: str | None) -> str:
    tail = provision_slug(provision) if provision else None
    return f"{base}/{tail}" if tail else base


def _law_base(entry: LawEntry) -> str:
    return entry.eli or f"lov/{entry.key}"


def law_path(entry: LawEntry) -> str:
    """The canonical identifier of a law of the table: its ELI, else ``lov/<key>``."""
    return _law_base(entry)


def rule_path(key: str) -> str:
    """The canonical identifier of a named rule (folded by ``rule_key``): ``lov/<slug>``.

    The same whether or not ``RULES`` knows the rule, so adding a rule to the table later
    links it to its law without renaming it.
    """
    return f"lov/{law_slug(key)}"


def preferred_label(entry: LawEntry) -> str:
    """A law's name in the graph: its official title with a capital ("Lov om social service").

    The graph names a law of the table by this only, never by a document's wording (which
    stays on the document's citation), so every query shows one name per law.
    """
    return entry.title[:1].upper() + entry.title[1:]


# The pieces of a provision path, in order: "9-stk-3" → 9 | stk | 3; "2-4" → the range 2-4;
# "13f" → 13 with the letter f; "10-litra-a" → 10 | litra | a
PROVISION_PATH_PIECE = re.compile(
    r"(?P<range>\d+-\d+)$|(?P<num>\d+)(?P<letter>[a-z]?)(?![a-z])|(?P<word>[a-z]+)"
)


def provision_label(path: str) -> str | None:
    """A provision path written as Danish law prints it, the inverse of ``provision_slug``:

    "paragraf/13f" → "§ 13 f", "paragraf/9-stk-3" → "§ 9, stk. 3", "paragraf/10-litra-a" →
    "§ 10, litra a", "paragraf/2-4" → "§§ 2-4", "kapitel/6" → "kapitel 6".  Every document
    citing the provision then gives it the same name, however it printed it.
    """
    head, _, rest = path.partition("/")
    if not rest:
        return None
    if head == "kapitel":
        return f"kapitel {rest}"
    if head != "paragraf":
        return None
    words: list[str] = []
    pieces = list(PROVISION_PATH_PIECE.finditer(rest))
    for n, m in enumerate(pieces):
        if m["range"]:
            words.append(("§§ " if n == 0 else "") + m["range"])
        elif m["num"]:
            number = m["num"] + (f" {m['letter']}" if m["letter"] else "")
            words.append(("§ " if n == 0 else "") + number)
        elif n and pieces[n - 1]["word"] == "litra":  # "litra a": the letter is its argument
            words.append(m["word"])
        else:
            words.append(f", {m['word']}" + ("." if m["word"] in ("stk", "nr", "pkt") else ""))
    text = " ".join(words).replace(" ,", ",")
    return text or None


@lru_cache(maxsize=8192)
def canonical_law(act: str | None, provision: str | None, kind: str) -> str | None:
    """The identifier the graph links for a citation (rules in the module docstring)."""
    if not act:
        return None
    if kind in ("act", "executive_order", "guidance") and NUMBER.search(act):
        numbered = NUMBER_AND_YEAR.search(act)
        if not numbered:
            return None
        branch = "retsinfo" if kind == "guidance" else "lta"
        eli = f"{ELI_BASE}{branch}/{numbered['year']}/{int(numbered['number'])}"
        return _with_provision(eli, provision)
    if kind == "rule":
        return _with_provision(rule_path(rule_key(act)), provision)
    if kind == "ruling":
        number = RULING_NUMBER.search(act)
        word = "principmeddelelse" if "meddelelse" in act.lower() else "principafgørelse"
        if number:
            return f"lov/{law_slug(word + ' ' + number.group())}"
    if kind == "act":
        entry = lookup(act)
        if entry:
            return _with_provision(_law_base(entry), provision)
    name = law_slug(act)
    return _with_provision(f"lov/{name}", provision) if name else None
