"""Resolution: one stable key for each person and organisation of a document.

The finders work one item at a time; here the mentions of a whole document meet.  The same
person under two forms ("Jette Leth Buhl SF" in one item, "Jette Leth Buhl (F)" in another;
"Kasper Christensen" beside "Kasper Fuhr Christensen") gets one key, and a party printed with
any mention is given to all of them.  People who only share a surname are never joined.
Organisations are joined by their spelling-variant key, by an abbreviation the document ties
to a full form ("Center for Arbejdsmarked (CAM)"), and by near-identical spelling (rapidfuzz).

Keys are slugs of the fullest name ("jette-leth-buhl", "center-for-arbejdsmarked").  A
``KnownEntities`` carries the keys of earlier documents of the same municipality, so that a
person or a unit keeps its key across documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from kommunegraf.extract.entities.names import (
    acronym_fits,
    organisation_key,
    organisation_slug,
)
from kommunegraf.extract.entities.organisation_words import KNOWN_FULL_NAMES
from kommunegraf.extract.entities.organisations import explicit_ties
from kommunegraf.extract.entities.people import merge_name_forms
from kommunegraf.extract.records import Item, Person, Record
from kommunegraf.extract.text.slugs import key_slug

# Near-identical organisation keys (spaces and hyphens already folded) are one name.
ORGANISATION_SIMILARITY = 92.0
# Near-identical person names (a typo in a long name) are one person.
PERSON_SIMILARITY = 95.0
_MIN_FUZZY_LENGTH = 10


@dataclass
class KnownPerson:
    key: str
    name: str
    party: str | None = None


@dataclass
class KnownEntities:
    """People and organisations resolved in earlier documents of one municipality."""

    people: dict[str, KnownPerson] = field(default_factory=dict)  # key → person
    organisations: dict[str, str] = field(default_factory=dict)  # organisation_key → key
    abbreviations: dict[str, str] = field(default_factory=dict)  # "CAM" → key


class _Clusters:
    """Union-find over string ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        parent = self.parent
        root = parent.setdefault(x, x)
        if root == x:  # most ids are their own root
            return x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return out


def resolve_record(record: Record, known: KnownEntities | None = None) -> None:
    """Give every person and organisation of ``record`` a stable key, in place.

    ``known`` (optional) holds what earlier documents of the same municipality resolved; it
    is updated with this document's entities.
    """
    known = known if known is not None else KnownEntities()
    for item in record.items:
        item.people = merge_name_forms(item.people)
    _resolve_people(record, known)
    _resolve_organisations(record, known)


# --- people ----------------------------------------------------------------------------------


def _fullest(names: list[str]) -> str:
    return max(names, key=lambda n: (len(n.split()), len(n), -names.index(n)))


@lru_cache(maxsize=8192)
def _tokens(name: str) -> tuple[str, ...]:
    """The case-folded words of a name."""
    return tuple(name.casefold().split())


def _same_person(a: str, b: str) -> bool:
    """Two forms of one name: a short form ("Kasper Christensen" of "Kasper Fuhr
    Christensen") or a typo in a long name.  A shared surname alone is not enough."""
    ta, tb = _tokens(a), _tokens(b)
    if ta[0] != tb[0] or len(ta) < 2 or len(tb) < 2:
        return False
    short, full = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if short[-1] == full[-1] and all(t in full for t in short):
        return True
    return (
        len(ta) == len(tb)
        and min(len(a), len(b)) >= 16
        and fuzz.ratio(a.casefold(), b.casefold()) >= PERSON_SIMILARITY
    )


def _resolve_people(record: Record, known: KnownEntities) -> None:
    mentions: list[Person] = [p for item in record.items for p in item.people]
    names = list(dict.fromkeys(p.name for p in mentions))
    clusters = _Clusters()
    for name in names:
        clusters.add(name.casefold())
    tokens = [_tokens(name) for name in names]
    for i, a in enumerate(names):
        ta = tokens[i]
        candidates = [
            names[j]
            for j in range(i + 1, len(names))
            # two forms of one name share their first word (checked here before the call)
            if (not ta or not tokens[j] or tokens[j][0] == ta[0]) and _same_person(a, names[j])
        ]
        for b in candidates:
            if _ambiguous(a, b, names):
                continue
            clusters.union(a.casefold(), b.casefold())
    root_of = {name: clusters.find(name.casefold()) for name in names}
    by_root: dict[str, list[Person]] = {}
    for p in mentions:
        by_root.setdefault(root_of[p.name], []).append(p)
    for group in by_root.values():
        canonical = _fullest([p.name for p in group])
        parties: dict[str, int] = {}  # party → mentions, in order of first mention
        for p in group:
            if p.party:
                parties[p.party] = parties.get(p.party, 0) + 1
        party = max(parties, key=parties.__getitem__) if parties else None  # the first of ties
        key = _known_person_key(canonical, known) or key_slug(canonical)
        for p in group:
            p.key = key
            if party and (p.party is None or len(parties) == 1):
                p.party = party
        entry = known.people.setdefault(key, KnownPerson(key, canonical, party))
        if len(canonical.split()) > len(entry.name.split()):
            entry.name = canonical
        entry.party = entry.party or party
    for item in record.items:  # two forms of one person in an item are listed once
        kept: dict[str, Person] = {}
        for p in item.people:
            first = kept.setdefault(p.key or p.name, p)
            if first is not p:
                if len(p.name) > len(first.name):
                    first.name = p.name
                first.party = first.party or p.party
                first.role = first.role or p.role
        item.people = list(kept.values())


def _ambiguous(a: str, b: str, names: list[str]) -> bool:
    """A short form that fits more than one fuller name in the document stays apart."""
    short = a if len(a.split()) <= len(b.split()) else b
    if len(short.split()) == len((b if short is a else a).split()):
        return False
    fuller = [n for n in names if n != short and len(n.split()) > len(short.split())]
    return sum(_same_person(short, n) for n in fuller) > 1


def _known_person_key(name: str, known: KnownEntities) -> str | None:
    key = key_slug(name)
    if key in known.people:
        return key
    first = _tokens(name)[:1]
    fits = [
        k
        for k, p in known.people.items()
        # two forms of one name share their first word (checked here before the call)
        if (not first or _tokens(p.name)[:1] in (first, ())) and _same_person(name, p.name)
    ]
    return fits[0] if len(fits) == 1 else None


# --- organisations ---------------------------------------------------------------------------


def _item_text(item: Item) -> str:
    parts = [item.title]
    for section in item.sections:  # one join: the section texts are copied once
        parts += (section.heading, section.text)
    return "\n".join(parts)


@lru_cache(maxsize=8192)
def _is_abbreviation(name: str) -> bool:
    first = name.split()[0].split("-")[0]
    return len(first) >= 2 and first.isupper()


@lru_cache(maxsize=8192)
def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _resolve_organisations(record: Record, known: KnownEntities) -> None:
    clusters = _Clusters()
    printed: dict[str, list[str]] = {}  # organisation_key → printed names, in order
    abbreviation_of: dict[str, str] = {}  # abbreviation's key → full form's key
    for item in record.items:
        for name in item.organizations:
            key = organisation_key(name)
            clusters.add(key)
            printed.setdefault(key, [])
            if name not in printed[key]:
                printed[key].append(name)
        if item.organizations:
            for abbr, full in explicit_ties(_item_text(item), item.organizations).items():
                abbreviation_of[organisation_key(abbr)] = organisation_key(full)
    for abbr_key, full_key in abbreviation_of.items():
        if abbr_key in printed and full_key in printed:
            clusters.union(full_key, abbr_key)
    keys = [k for k in printed if not _is_abbreviation(printed[k][0])]
    for k, names in printed.items():  # "CAM" spells exactly one full form of the document
        if _is_abbreviation(names[0]) and clusters.find(k) == k:
            abbr = names[0].split()[0].split("-")[0]
            fits = [f for f in keys if any(acronym_fits(abbr, n) for n in printed[f])]
            if len(fits) == 1:
                clusters.union(fits[0], k)
                abbreviation_of.setdefault(k, fits[0])
    long_keys = [k for k in keys if len(k) >= _MIN_FUZZY_LENGTH]
    digits = [_digits(k) for k in long_keys]
    for i, a in enumerate(long_keys):
        for j in range(i + 1, len(long_keys)):
            if digits[j] == digits[i] and fuzz.ratio(
                a, long_keys[j], score_cutoff=ORGANISATION_SIMILARITY
            ):
                clusters.union(a, long_keys[j])

    key_of: dict[str, str] = {}
    for members in clusters.groups().values():
        names = [n for m in members for n in printed[m]]
        full_names = [n for n in names if not _is_abbreviation(n)] or names
        canonical = full_names[0]
        # a national body named by its abbreviation alone is keyed by its full name, as in a
        # document that prints both ("KL" and "Kommunernes Landsforening (KL)")
        canonical = KNOWN_FULL_NAMES.get(canonical, canonical)
        entity_key = _known_organisation_key(members, names, known) or organisation_slug(canonical)
        for m in members:
            key_of[m] = entity_key
            known.organisations.setdefault(m, entity_key)
        for n in names:
            if _is_abbreviation(n) and " " not in n:
                known.abbreviations.setdefault(n, entity_key)
    for abbr_key, full_key in abbreviation_of.items():
        if full_key in key_of:
            known.abbreviations.setdefault(abbr_key.upper(), key_of[full_key])

    for item in record.items:
        kept: list[str] = []
        seen: dict[str, str] = {}
        for name in item.organizations:
            entity_key = key_of[organisation_key(name)]
            if entity_key in seen:
                if _is_abbreviation(seen[entity_key]) and not _is_abbreviation(name):
                    kept[kept.index(seen[entity_key])] = name  # the full form replaces it
                    seen[entity_key] = name
                continue
            seen[entity_key] = name
            kept.append(name)
        item.organizations = kept
        item.organization_keys = {name: key_of[organisation_key(name)] for name in kept}


def _known_organisation_key(
    members: list[str], names: list[str], known: KnownEntities
) -> str | None:
    for m in members:
        if m in known.organisations:
            return known.organisations[m]
    for n in names:
        if n in known.abbreviations:
            return known.abbreviations[n]
    return None
