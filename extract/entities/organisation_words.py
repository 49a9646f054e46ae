"""The organisation finders' word lists, read once from extract/data/organisation_words.toml.

Kept as data so that the finders' modules hold only logic, and a list can grow without
touching code.  Each constant is the ready form the finders look things up in (frozensets
for membership, tuples for ``str.endswith``).
"""

from __future__ import annotations

from kommunegraf.extract.entities.parties import PARTIES
from kommunegraf.extract.tables import sequence, table, words

_BOOK = "organisation_words"  # extract/data/organisation_words.toml

KNOWN_ABBREVIATIONS = words(_BOOK, "known_abbreviations")
KNOWN_NAMES = sequence(_BOOK, "known_names")
# Party names acting in their own name ("Venstre foreslår …"); abbreviations never count.
PARTY_NAMES = tuple(
    sorted(
        {p.name for p in PARTIES if len(p.name) > 3} | set(sequence(_BOOK, "extra_party_names")),
        key=len,
        reverse=True,
    )
)
NOT_ORGANISATION_ABBREVIATIONS = words(_BOOK, "not_organisation_abbreviations")
SUFFIXES_ANY_CASE = sequence(_BOOK, "suffixes_any_case")
SUFFIXES_COUNCIL = sequence(_BOOK, "suffixes_council")
SUFFIXES_CAPITALISED = sequence(_BOOK, "suffixes_capitalised")
SUFFIXES_AFTER_ADJECTIVE = sequence(_BOOK, "suffixes_after_adjective")
ALL_SUFFIXES = (*SUFFIXES_ANY_CASE, *SUFFIXES_COUNCIL, *SUFFIXES_CAPITALISED)
SUFFIXES_WITH_GENITIVE = tuple({*ALL_SUFFIXES, *(s + "s" for s in ALL_SUFFIXES)})
SUFFIX_ENDS = frozenset(s[-3:] for s in SUFFIXES_WITH_GENITIVE)
LOWERCASE_STEMS = sequence(_BOOK, "lowercase_stems")
GENERIC_NAMES = words(_BOOK, "generic_names")
BARE_HEADS = words(_BOOK, "bare_heads")
FOR_HEADS = words(_BOOK, "for_heads")
FOR_ENDINGS = sequence(_BOOK, "for_endings")
LOWERCASE_COUNCILS = words(_BOOK, "lowercase_councils")
PLACE_SUFFIXES = sequence(_BOOK, "place_suffixes")
PROJECT_NOUNS = words(_BOOK, "project_nouns")
NOT_COORDINATED = words(_BOOK, "not_coordinated")
MUNICIPALITY_WORDS = words(_BOOK, "municipality_words")
LEGAL_FORMS = words(_BOOK, "legal_forms")
REPORT_WORDS = sequence(_BOOK, "report_words")
INTRODUCING_ENDINGS = sequence(_BOOK, "introducing_endings")
KNOWN_FULL_NAMES: dict[str, str] = dict(table(_BOOK)["known_full_names"])
