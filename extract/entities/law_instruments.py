"""Legal instruments that minutes cite by a name without "lov" or "bekendtgørelse" in it.

Danish municipal minutes name a few instruments so often, and by names the law finder's
heads ("…loven", "Lov om …", "§") cannot see, that they are known here by name: the
unwritten municipal powers ("kommunalfuldmagten"), the building regulations and the
Greater Copenhagen planning directive (both issued as executive orders), the state-aid
rules, and the idiom "§ 3-beskyttet natur" (nature protected by naturbeskyttelsesloven § 3).
Each is a fact about Danish law, not about any one document.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

__all__ = ["Instrument", "find_instruments"]

# name stem (lower case) → its name in the definite form, the one identity of all its forms
INSTRUMENT_NAMES = {
    "kommunalfuldmagt": "kommunalfuldmagten",
    "statsstøtteregl": "statsstøttereglerne",
    "bygningsreglement": "bygningsreglementet",
    "fingerplan": "fingerplanen",
}
# name stem (lower case) → the kind of instrument it is
INSTRUMENT_KINDS = {
    "kommunalfuldmagt": "rule",  # the unwritten rules on what a municipality may do
    "statsstøtteregl": "rule",  # EU state-aid rules
    "bygningsreglement": "executive_order",  # BR18: bekendtgørelse om bygningsreglement
    "fingerplan": "executive_order",  # landsplandirektiv for hovedstadsområdet (a bekendtgørelse)
}
# "kommunalfuldmagten", "Kommunalfuldmagtens", "Bygningsreglementet", "bygningsreglement 2018",
# "Fingerplan 2019", "fingerplanens", "statsstøttereglerne": a named instrument and its forms
NAMED_INSTRUMENT = re.compile(
    r"(?i)(?<![\p{L}\p{N}-])(?P<stem>kommunalfuldmagt|statsstøtteregl|bygningsreglement|fingerplan)"
    r"(?P<ending>en|et|erne|er|s)?(?P<genitive>s)?(?P<year>[ \t]+(?:19|20)\d\d)?(?![\p{L}\p{N}])"
)
# "§ 3-beskyttede natur", "§3-beskyttet", "§ 3-beskyttelsen": naturbeskyttelsesloven § 3
PROTECTED_NATURE = re.compile(r"§[ \t]?3[ \t]?-[ \t]?beskytte(?:t|de|lse|lsen)(?![\p{L}])", re.I)
PROTECTED_NATURE_ACT = "naturbeskyttelsesloven"


@dataclass(frozen=True)
class Instrument:
    """A citation found by name: where it is printed, its kind, name and provision."""

    start: int
    end: int
    kind: str
    act: str  # the definite form ("Fingerplan 2019" → "Fingerplanen"), so that forms are one
    provision: str | None = None


def find_instruments(text: str, lowered: str) -> list[Instrument]:
    """The named instruments in an item's text (``lowered`` is its lower case, same length)."""
    found: list[Instrument] = []
    for stem in INSTRUMENT_KINDS:
        at = lowered.find(stem)
        while at != -1:
            m = NAMED_INSTRUMENT.match(text, at)
            if m:
                name = INSTRUMENT_NAMES[stem]
                if text[at].isupper():  # "Bygningsreglementet" as printed at the first
                    name = name[0].upper() + name[1:]
                found.append(Instrument(m.start(), m.end(), INSTRUMENT_KINDS[stem], name))
            at = lowered.find(stem, at + len(stem))
    if "§" in text and "beskytte" in lowered:
        for m in PROTECTED_NATURE.finditer(text):
            found.append(Instrument(m.start(), m.end(), "act", PROTECTED_NATURE_ACT, "§ 3"))
    return found
