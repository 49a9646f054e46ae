"""Organisations and administrative units named in one agenda item.

Recognised by structure rather than by a list of names: the endings of body and unit names
(-udvalget, -styrelsen, -ministeriet, -centret, -afdelingen, …) with the coordinated words in
front of them ("Kultur- og Fritidsudvalget"), "Center for X og Y", "Team X", "X Kommune",
"Region X", unit names of capitalised nouns ("Rådgivning og Udbetaling"), legal forms
("X ApS"), a noun that introduces a name ("firmaet X", "fonden X"), the partners of a
collaboration ("i samarbejde med X"), a name the text calls a company or an institution,
mixed-case brand names ("PwC"), abbreviations the text uses as names, and a small table of
national bodies.

Each name is listed once, in its base form ("Ankestyrelsens" → "Ankestyrelsen"); an
abbreviation is dropped when the item ties it to a full form it also prints ("Center for
Arbejdsmarked (CAM)", or letters that spell the full form).  The meeting's own committee and
the municipality itself are left out.

For speed the finders read the item's capitalised tokens once (``names.capitalised_tokens``)
and otherwise search only for fixed words; regular expressions run at known positions.  What a
token can be by its own letters is worked out once per distinct token (``_token_kinds``), and
one pass over the tokens notes those whose neighbouring letters a finder needs
(``_Item.watched``), so each finder visits only the few tokens that can start one of its names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import attrgetter

from kommunegraf.extract.entities.names import (
    acronym_fits,
    capitalised_tokens,
    organisation_key,
    strip_definite,
)
from kommunegraf.extract.entities.organisation_bodies import (
    _adjective_bodies,
    _suffix_words,
)
from kommunegraf.extract.entities.organisation_names import (
    _abbreviations,
    _collaborations,
    _copulas,
    _cued_names,
    _headed_names,
    _slash_pairs,
    _unit_pairs,
)
from kommunegraf.extract.entities.organisation_patterns import (
    APPOSITIVE_ABBREVIATION,
    BARE_ABBREVIATION,
    BRACKETED,
)
from kommunegraf.extract.entities.organisation_tokens import (
    _K_SLASH,
    OrganisationFindings,
    _Candidate,
    _is_abbreviation,
    _Item,
)

FINDERS: tuple[Callable[[_Item], Iterable[_Candidate]], ...] = (
    _suffix_words, _adjective_bodies, _headed_names, _cued_names, _abbreviations, _unit_pairs,
    _collaborations, _copulas,
)  # fmt: skip


# --- assembling the item's list --------------------------------------------------------------


_SPAN_START = attrgetter("start")


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates; the longer wins an overlap, then the earlier. (No span is
    empty: every candidate has a name.)"""
    if len(candidates) < 2:
        return list(candidates)
    by_start = sorted(candidates, key=_SPAN_START)
    end = -1
    for c in by_start:
        if c.start < end:
            break
        end = c.end
    else:  # no two overlap: all are chosen
        return by_start
    # The longest first, then by start (a stable sort of by_start by length); a few
    # candidates each, so a plain scan of the chosen ones finds an overlap.
    minus_lengths = [c.start - c.end for c in by_start]
    chosen: list[_Candidate] = []
    for k in sorted(range(len(by_start)), key=minus_lengths.__getitem__):
        c = by_start[k]
        start, end = c.start, c.end
        for d in chosen:
            if d.start < end and start < d.end:
                break
        else:
            chosen.append(c)
    return sorted(chosen, key=_SPAN_START)


def _ties(text: str, chosen: list[_Candidate]) -> tuple[dict[str, str], set[str]]:
    """Abbreviation → full form ("X (ABBR)", "ABBR Y (X)", "X, herefter ABBR"), and the
    abbreviations the text defines as something else ("arbejdspladsvurdering (APV)")."""
    ties: dict[str, str] = {}
    others: set[str] = set()
    pos = text.find("(")
    if pos >= 0:
        by_end = {c.end: c for c in chosen}
        by_start = {c.start: c for c in chosen}
    while pos >= 0:
        m = BRACKETED.match(text, pos)
        pos = text.find("(", pos + 1)
        if m is None:
            continue
        inner = m["inner"]
        before = by_end.get(m.start()) or by_end.get(m.start() - 1)
        inside = by_start.get(m.start("inner"))
        if BARE_ABBREVIATION.fullmatch(inner):
            if before and not before.abbreviation:
                ties[inner] = before.name
            elif before is None:
                others.add(inner)
        elif before and before.abbreviation and inside and inside.end == m.end("inner"):
            ties[before.name] = inside.name
            ties[before.name.split()[0]] = inside.name
    for c in chosen:
        after = text[c.end : c.end + 2]
        if (after[:1] == "," and not c.abbreviation) or after == " ,":
            m = APPOSITIVE_ABBREVIATION.match(text, c.end)
            if m:
                ties[m["abbr"]] = c.name
    return ties, others


def _display(variants: list[tuple[int, str]]) -> str:
    """The form to list: the first printed, unless a later one is fuller (a capital, a
    coordination hyphen, not an abbreviation)."""
    if len(variants) == 1:
        return variants[0][1]
    ordered = [name for _, name in sorted(variants)]
    return max(
        ordered,
        key=lambda n: (not _is_abbreviation(n), n[:1].isupper(), "- " in n, -ordered.index(n)),
    )


def _merge_definite_forms(groups: dict[str, list[tuple[int, str]]]) -> None:
    """Definite forms of a fuller name: "Sundhedscentret" is "Randers Sundhedscenter";
    "VeteranCaféen" is "VeteranCafé Næstved"
    when exactly one fuller name has that word first or last."""
    for key in list(groups):
        stripped = _indefinite(groups[key][0][1])
        if stripped is None:
            continue
        fits = [
            k
            for k, v in groups.items()
            if k != key
            and " " in v[0][1]
            and stripped in (v[0][1].split()[0].casefold(), v[0][1].split()[-1].casefold())
        ]
        if len(fits) == 1:
            groups[fits[0]].extend(groups.pop(key))


@lru_cache(maxsize=4096)
def _indefinite(name: str) -> str | None:
    """The casefolded indefinite form of a one-word definite name ("sundhedscenter"), or
    None."""
    if " " in name:
        return None
    stripped = strip_definite(name).casefold()
    return None if stripped == name.casefold() else stripped


@lru_cache(maxsize=256)
def _excluded_keys(exclude: tuple[str, ...]) -> frozenset[str]:
    """The keys of the meeting's own names, and "…skommune" for "… Kommune"."""
    excluded = {organisation_key(n) for n in exclude}
    excluded |= {k[: -len("kommune")] + "skommune" for k in excluded if k.endswith("kommune")}
    return frozenset(excluded)


def find_organisation_mentions(text: str, exclude: list[str] | None = None) -> OrganisationFindings:
    """The item's organisations (base form, once each, in order of first appearance) and the
    abbreviations it ties to a full form."""
    item = _Item(text, capitalised_tokens(text))
    candidates = [c for finder in FINDERS for c in finder(item)]
    vetoed = {organisation_key(c.name) for c in candidates if c.veto}
    if vetoed:
        candidates = [c for c in candidates if organisation_key(c.name) not in vetoed]
    chosen = _select(candidates)
    if item.present & _K_SLASH:
        keys = {organisation_key(c.name) for c in chosen}
        slashed = list(_slash_pairs(item, keys))
        if slashed:  # (re-selecting the chosen alone gives them back as they are)
            chosen = _select([*chosen, *slashed])
    ties, defined_otherwise = _ties(text, chosen)

    excluded = _excluded_keys(tuple(exclude or ()))
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in chosen:
        key = organisation_key(c.name)
        if key in excluded or key in ("udvalg", "kommune"):
            continue
        if c.abbreviation:
            if c.name in defined_otherwise:
                continue
            if any(acronym_fits(c.name.split()[0], n) for n in exclude or []):
                continue  # "BEU" for the meeting's own committee
        group = groups.get(key)
        if group is None:
            groups[key] = [(c.start, c.name)]
        else:
            group.append((c.start, c.name))

    for abbr, full in ties.items():  # "CAM" goes with "Center for Arbejdsmarked"
        abbr_key, full_key = organisation_key(abbr), organisation_key(full)
        if abbr_key in groups and full_key in groups and abbr_key != full_key:
            groups[full_key].extend(groups.pop(abbr_key))
    for key in [
        k
        for k, v in groups.items()
        if _is_abbreviation(v[0][1]) and all(_is_abbreviation(n) for _, n in v)
    ]:
        abbr = groups[key][0][1].split()[0]
        fits = [
            k
            for k, v in groups.items()
            if k != key and any(not _is_abbreviation(n) and acronym_fits(abbr, n) for _, n in v)
        ]
        if len(fits) == 1:  # "CAI" spells "Center for Arbejdsmarked og Integration"
            ties.setdefault(abbr, _display(groups[fits[0]]))
            groups[fits[0]].extend(groups.pop(key))
    _merge_definite_forms(groups)
    # by first position (min(v) is (its position, a name), and no two share a position)
    ordered = sorted(groups.values(), key=min)
    return OrganisationFindings(
        [" ".join((v[0][1] if len(v) == 1 else _display(v)).split()) for v in ordered], ties
    )


def find_organisations(text: str, exclude: list[str] | None = None) -> list[str]:
    """The organisations and administrative units named in an item's text, once each.

    ``exclude`` names the meeting's own committee and the municipality ("Næstved Kommune");
    their case variants, genitives and abbreviations are left out too.
    """
    return find_organisation_mentions(text, exclude).names


def abbreviation_ties(text: str) -> dict[str, str]:
    """Abbreviation → full form as the text ties them ("Center for Arbejdsmarked (CAM)")."""
    return find_organisation_mentions(text).ties


def explicit_ties(text: str, names: list[str]) -> dict[str, str]:
    """Abbreviation → full form for the given organisation names, where ``text`` prints them
    together: "Center for Arbejdsmarked (CAM)", "CBR Randers (Center for …)", "…, herefter CAM".

    Used across a document's items, whose names are already found.
    """
    ties: dict[str, str] = {}
    full_forms = [n for n in names if not _is_abbreviation(n)]
    abbreviated = [n for n in names if _is_abbreviation(n)]
    pos = text.find("(")
    while pos >= 0:
        m = BRACKETED.match(text, pos)
        pos = text.find("(", pos + 1)
        if m is None:
            continue
        before = text[max(0, m.start() - 120) : m.start()].rstrip()
        inner = m["inner"]
        if BARE_ABBREVIATION.fullmatch(inner):
            for full in full_forms:
                if before.endswith(full):
                    ties[inner] = full
                    break
        elif inner in full_forms:
            for abbr in abbreviated:
                if before.endswith(abbr):
                    ties[abbr] = inner
                    ties[abbr.split()[0]] = inner
                    break
    for full in full_forms:
        at = text.find(full)
        while at >= 0:
            appositive = APPOSITIVE_ABBREVIATION.match(text, at + len(full))
            if appositive:
                ties[appositive["abbr"]] = full
            at = text.find(full, at + 1)
    return ties
