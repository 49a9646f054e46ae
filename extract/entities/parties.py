"""Danish political parties: ballot letters, official names and the short forms minutes print.

A person's party is recorded as the ballot letter ("Jette Leth Buhl SF" → F,
"Morten Hass Augustsen (V)" → V); "Løsgænger" (an independent) is recorded as L.  A local
list's own single ballot letter is kept as printed, since the document ties it to the person.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re


@dataclass(frozen=True)
class Party:
    letter: str
    name: str  # the official name
    forms: tuple[str, ...] = ()  # other names and abbreviations as minutes print them


PARTIES: tuple[Party, ...] = (
    Party("A", "Socialdemokratiet", ("Socialdemokraterne", "S", "Soc.dem.")),
    Party("B", "Radikale Venstre", ("Det Radikale Venstre", "De Radikale", "Radikale", "RV")),
    Party("C", "Det Konservative Folkeparti", ("Konservative", "De Konservative", "K", "KF")),
    Party("D", "Nye Borgerlige", ()),
    Party("F", "SF", ("Socialistisk Folkeparti", "SF - Socialistisk Folkeparti")),
    Party("I", "Liberal Alliance", ("LA",)),
    Party("K", "Kristendemokraterne", ("KD", "Kristeligt Folkeparti")),
    Party("M", "Moderaterne", ()),
    Party("O", "Dansk Folkeparti", ("DF",)),
    Party("V", "Venstre", ("Venstre, Danmarks Liberale Parti",)),
    Party("Æ", "Danmarksdemokraterne", ("DD",)),
    Party(
        "Ø", "Enhedslisten", ("EL", "Enhedslisten - De Rød-Grønne", "Enhedslisten – De Rød-Grønne")
    ),
    Party("Å", "Alternativet", ("ALT",)),
)  # fmt: skip

# Independents: no party, recorded as the letter L.
INDEPENDENT_FORMS = ("Løsgænger", "Løsgængere", "Uden for partierne", "Udenfor parti", "UFP")

_LOOKUP: dict[str, str] = {}
for _party in PARTIES:
    for _form in (_party.name, *_party.forms):
        _LOOKUP[_form.casefold()] = _party.letter
for _form in INDEPENDENT_FORMS:
    _LOOKUP[_form.casefold()] = "L"

# Multi-letter abbreviations that may follow a name bare: "Jette Leth Buhl SF,".
BARE_ABBREVIATIONS = ("SF", "DF", "EL", "LA", "RV", "KD", "KF", "DD", "UFP")
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
