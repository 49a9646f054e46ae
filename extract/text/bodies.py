"""Names of bodies and organisations without their genitive, and a body's one name.

The resolver keys organisations by these rules and the IRI minter names committees by them
(``udvalg/<slug of body_name>``), so they live in the text core that both may import.
"""

from __future__ import annotations

from functools import lru_cache

import regex as re

# A genitive "s" that a plain word may drop before a lower-case noun: "Arbejdsmarkeds ordinære"
_LOWER_WORD_AFTER = re.compile(r"[ ]+\p{Ll}")
# ... but not before a conjunction: "Center for Udvikling og …" keeps its words
_CONJUNCTION_AFTER = re.compile(r"[ ]+(?:og|eller|samt|&)(?!\p{L})")


def base_form(name: str, following: str = "") -> str:
    """The name without its genitive: "Ankestyrelsens" → "Ankestyrelsen", "DGI's" → "DGI".

    ``following`` is the text after the name: a plain word's trailing "s" is taken for a
    genitive only before a lower-case word ("Center for Arbejdsmarkeds ordinære tilbud").
    """
    cut = _genitive_cut(name)
    if cut is None:
        lower_word = _LOWER_WORD_AFTER.match(following)
        cut = 1 if lower_word and not _CONJUNCTION_AFTER.match(following) else 0
    return name[:-cut] if cut else name


@lru_cache(maxsize=8192)
def _genitive_cut(name: str) -> int | None:
    """How many characters of ``name`` are a genitive (see ``base_form``), or None where the
    text after the name decides ("Arbejdsmarkeds").  Kept per name: the organisation finder
    asks for the same names again and again."""
    if name.endswith(("'s", "’s")):
        return 2
    if name.endswith(("'", "’")):
        return 1
    last = name.rsplit(" ", 1)[-1].lower()
    if len(last) > 5 and last.endswith(("ets", "ens")):
        return 1  # "Byrådets", "Jobcentrets", "DGI Storstrømmens"
    if last.endswith(("kommunes", "udvalgs", "råds", "centers")):
        return 1
    if (
        len(last) > 4
        and last.endswith("s")
        and not last.endswith(("us", "ss", "is", "os", "as", "ys", "es"))
    ):
        return None
    return 0


# A council's name with its electoral period: "Byråd 2022-2025" (the period is no other body)
ELECTORAL_PERIOD = re.compile(r"[ ]+(?:19|20)\d\d[ ]*[-–][ ]*(?:19|20)\d\d$")
# A municipal body's indefinite ending → its definite one: "udvalg" → "udvalget"
_BODY_DEFINITE = (
    ("udvalg", "udvalget"),
    ("råd", "rådet"),
    ("bestyrelse", "bestyrelsen"),
    ("repræsentation", "repræsentationen"),
    ("nævn", "nævnet"),
)


@lru_cache(maxsize=4096)
def body_name(name: str) -> str:
    """One name for a municipality's political body however an item prints it: capitalised,
    definite, without genitive or electoral period ("byrådet", "Byråd", "Byrådets",
    "Byråd 2022-2025" → "Byrådet"; "økonomiudvalg" → "Økonomiudvalget").  A name that does
    not end in a body's word ("Udvalget for Teknik") is only capitalised."""
    text = " ".join(ELECTORAL_PERIOD.sub("", base_form(name.strip())).split())
    low = text.casefold()
    for indefinite, definite in _BODY_DEFINITE:
        if low.endswith(indefinite):
            text += definite[len(indefinite) :]
            break
    return text[:1].upper() + text[1:]


# A body's printed name, folded: letters only, a definite ending dropped ("Byrådet" →
# "byråd", "Sundheds- og omsorgsudvalget" → "sundhedsogomsorgsudvalg").
DEFINITE_END_RE = re.compile(r"(?:et|en)$")
NOT_LETTERS_RE = re.compile(r"[^\p{L}]+")


def body_key(name: str | None) -> str:
    """A body's name folded so that its printed forms compare equal: trace folds the same
    treatment printed by several documents into one with it, and a thread's path of bodies
    is drawn with it ("Byrådet" and "Byråd" are one body)."""
    folded = NOT_LETTERS_RE.sub("", (name or "").casefold())
    return DEFINITE_END_RE.sub("", folded)
