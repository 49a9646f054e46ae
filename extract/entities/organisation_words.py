"""The organisation finders' word lists, read once from extract/data/organisation_words.toml.

Kept as data so that the finders' modules hold only logic, and a list can grow without
touching code.  Each constant is the ready form the finders look things up in (frozensets
for membership, tuples for ``str.endswith``).
"""

from __future__ import annotations

import tomllib
from importlib import resources

from kommunegraf.extract.entities.parties import PARTIES

_DATA = tomllib.loads(
    resources.files("kommunegraf.extract.data")
    .joinpath("organisation_words.toml")
    .read_text(encoding="utf-8")
)


def _words(key: str) -> tuple[str, ...]:
    """A list of the data file: a TOML array, or a string of words split on white space."""
    value = _DATA[key]
    return tuple(value.split() if isinstance(value, str) else value)


KNOWN_ABBREVIATIONS = frozenset(_words("known_abbreviations"))
KNOWN_NAMES = _words("known_names")
# Party names acting in their own name ("Venstre foreslår …"); abbreviations never count.
PARTY_NAMES = tuple(
    sorted(
        {p.name for p in PARTIES if len(p.name) > 3} | set(_words("extra_party_names")),
        key=len,
        reverse=True,
    )
)
NOT_ORGANISATION_ABBREVIATIONS = frozenset(_words("not_organisation_abbreviations"))
SUFFIXES_ANY_CASE = _words("suffixes_any_case")
SUFFIXES_COUNCIL = _words("suffixes_council")
SUFFIXES_CAPITALISED = _words("suffixes_capitalised")
SUFFIXES_AFTER_ADJECTIVE = _words("suffixes_after_adjective")
ALL_SUFFIXES = (*SUFFIXES_ANY_CASE, *SUFFIXES_COUNCIL, *SUFFIXES_CAPITALISED)
SUFFIXES_WITH_GENITIVE = tuple({*ALL_SUFFIXES, *(s + "s" for s in ALL_SUFFIXES)})
SUFFIX_ENDS = frozenset(s[-3:] for s in SUFFIXES_WITH_GENITIVE)
LOWERCASE_STEMS = _words("lowercase_stems")
GENERIC_NAMES = frozenset(_words("generic_names"))
BARE_HEADS = frozenset(_words("bare_heads"))
FOR_HEADS = frozenset(_words("for_heads"))
FOR_ENDINGS = _words("for_endings")
LOWERCASE_COUNCILS = frozenset(_words("lowercase_councils"))
PLACE_SUFFIXES = _words("place_suffixes")
PROJECT_NOUNS = frozenset(_words("project_nouns"))
NOT_COORDINATED = frozenset(_words("not_coordinated"))
MUNICIPALITY_WORDS = frozenset(_words("municipality_words"))
LEGAL_FORMS = frozenset(_words("legal_forms"))
REPORT_WORDS = _words("report_words")
INTRODUCING_ENDINGS = _words("introducing_endings")
KNOWN_FULL_NAMES: dict[str, str] = dict(_DATA["known_full_names"])
