"""Danish political parties: ballot letters, official names and the short forms minutes print.

A person's party is recorded as the ballot letter ("Jette Leth Buhl SF" → F,
"Morten Hass Augustsen (V)" → V); "Løsgænger" (an independent) is recorded as L.  A local
list's own single ballot letter is kept as printed, since the document ties it to the person.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from kommunegraf.extract.tables import sequence, table


@dataclass(frozen=True)
class Party:
    letter: str
    name: str  # the official name
    forms: tuple[str, ...] = ()  # other names and abbreviations as minutes print them


# The table of extract/data/parties.toml.
PARTIES: tuple[Party, ...] = tuple(
    Party(party["letter"], party["name"], tuple(party.get("forms", ())))
    for party in table("parties")["party"]
)

# Independents: no party, recorded as the letter L.
INDEPENDENT_FORMS = sequence("parties", "independent_forms")

_LOOKUP: dict[str, str] = {}
for _party in PARTIES:
    for _form in (_party.name, *_party.forms):
        _LOOKUP[_form.casefold()] = _party.letter
for _form in INDEPENDENT_FORMS:
    _LOOKUP[_form.casefold()] = "L"

# Multi-letter abbreviations that may follow a name bare: "Jette Leth Buhl SF,".
BARE_ABBREVIATIONS = sequence("parties", "bare_abbreviations")
# Single ballot letters (national parties, L for independents, local lists' own letters).
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"

_NAME_FORMS = sorted(
    {f for p in PARTIES for f in (p.name, *p.forms) if len(f) > 3} | set(INDEPENDENT_FORMS),
    key=len,
    reverse=True,
)
# What may stand in brackets after a name: "(V)", "(SF)", "(Løsgænger)", "(Enhedslisten)"
PARTY_TOKEN = "(?:" + "|".join(re.escape(f) for f in _NAME_FORMS) + r"|[A-ZÆØÅ]{1,3}|løsgænger)"
# A party printed in brackets right after a name: " (V)", "(Løsgænger)"
PARTY_IN_BRACKETS = re.compile(rf"\s*\(\s*(?P<party>{PARTY_TOKEN})\s*\)")
# A bare abbreviation right after a name: " SF," in "Jette Leth Buhl SF, anbefaler"
PARTY_BARE = re.compile(r"[ \u00a0]+(?P<party>" + "|".join(BARE_ABBREVIATIONS) + r")(?![\p{L}\d-])")


def party_letter(token: str) -> str | None:
    """The ballot letter for a party as printed ("SF" → F, "(V)" → V, "Løsgænger" → L)."""
    cleaned = " ".join(token.strip().strip("()[]{}.,;: ").split())
    if not cleaned:
        return None
    found = _LOOKUP.get(cleaned.casefold())
    if found:
        return found
    if len(cleaned) == 1 and cleaned.upper() in LETTERS:
        return cleaned.upper()
    return None


def party_by_letter(letter: str) -> Party | None:
    for party in PARTIES:
        if party.letter == letter:
            return party
    return None
