"""Name-shape helpers shared by the people and organisation finders and the resolver.

Danish minutes print people as runs of capitalised tokens ("Anne-Mette Juul Sørensen",
"Jens Peter la Cour"); telling a person from a place or a unit needs a few facts: common
given names, place names (the 98 municipalities plus some countries) and the words that make
a capitalised run an organisation or a street.  The tables here are such facts, not seed text.
"""

from __future__ import annotations

import re as _re
from array import array
from functools import cache, lru_cache

import regex as re

from kommunegraf.extract.municipalities import table as _municipality_table
from kommunegraf.extract.tables import sequence, words
from kommunegraf.extract.text.bodies import base_form
from kommunegraf.extract.text.slugs import key_slug

# The word lists of extract/data/names.toml (what each list is for is written there).
PARTICLES = sequence("names", "particles")
GIVEN_NAMES = words("names", "given_names")
NON_NAME_WORDS = words("names", "non_name_words")
NON_NAME_SUFFIXES = sequence("names", "non_name_suffixes")
SENTENCE_WORDS = words("names", "sentence_words")
COUNTRIES = words("names", "countries")
SURNAME_ENDINGS = sequence("names", "surname_endings")


@cache
def place_names() -> frozenset[str]:
    """Lower-case place names: municipalities and countries (and their genitives)."""
    names = {e.short.lower() for e in _municipality_table()} | set(COUNTRIES)
    names |= {"aarhus", "århus", "københavn", "storkøbenhavn"}
    return frozenset(names | {n + "s" for n in names})


@lru_cache(maxsize=4096)
def is_place(word: str) -> bool:
    return word.lower() in place_names()


@lru_cache(maxsize=8192)
def is_given_name(token: str) -> bool:
    """``token`` is a common given name, or a hyphenated pair that starts with one."""
    low = token.lower()
    return low in GIVEN_NAMES or low.split("-", 1)[0] in GIVEN_NAMES


@lru_cache(maxsize=4096)
def is_name_like_token(token: str) -> bool:
    low = token.lower()
    return low not in NON_NAME_WORDS and not low.endswith(NON_NAME_SUFFIXES) and not is_place(low)


def looks_like_person(name: str) -> bool:
    """A run of tokens that starts with a given name and has no unit or place word in it."""
    tokens = name.split()
    if len(tokens) < 2 or not is_given_name(tokens[0]):
        return False
    return all(t in PARTICLES or is_name_like_token(t) for t in tokens)


def has_surname_shape(token: str) -> bool:
    return token.lower().endswith(SURNAME_ENDINGS)


# --- organisation names ----------------------------------------------------------------------

_DEFINITE_ENDINGS = ("et", "en")
# Spaces, hyphens and dots that spelling variants of one name differ in
_KEY_NOISE = re.compile(r"[\s\-–.]+")


def strip_definite(word: str) -> str:
    """The indefinite form: "Sundhedscentret" → "Sundhedscenter", "VeteranCaféen" →
    "VeteranCafé"."""
    low = word.lower()
    for ending, replacement in (("centeret", "center"), ("centret", "center")):
        if low.endswith(ending):
            return word[: len(word) - len(ending)] + replacement
    for ending in _DEFINITE_ENDINGS:
        if low.endswith(ending) and len(low) >= len(ending) + 4:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=4096)
def organisation_key(name: str) -> str:
    """The key under which spelling variants of one organisation's name meet.

    "Center for Børn & Unge" ~ "Center for Børn og Unge", "Jobcenteret" ~ "Jobcentret",
    "LO-Næstved" ~ "LO Næstved", "Næstved Ressource Center" ~ "Næstved Ressourcecenter",
    "Ankestyrelsens" ~ "ankestyrelsen".
    """
    key = base_form(name).casefold().replace("&", " og ")
    key = _KEY_NOISE.sub("", key)
    key = key.replace("centeret", "centret").replace("kommunen", "kommune")
    return _indefinite_key(key)


def _indefinite_key(key: str) -> str:
    """The key's last word as its stem ("byrådet" → "byråd", "jobcentret" → "jobcenter",
    "bestyrelsen" and "bestyrelse" → "bestyrels"), so the definite and indefinite forms of
    one name meet ("Økonomiudvalg" ~ "Økonomiudvalget")."""
    if key.endswith("centret"):
        return key[: -len("centret")] + "center"
    if key.endswith(_DEFINITE_ENDINGS) and len(key) >= 6:
        key = key[:-2]
    # "bestyrelse" + "n": a word's final e goes too, so both forms end in "bestyrels"
    # ("kommune" is kept whole: the finders look for it at a key's end)
    if key.endswith("e") and len(key) >= 6 and not key.endswith("kommune"):
        return key[:-1]
    return key


@lru_cache(maxsize=4096)
def organisation_slug(name: str) -> str:
    """A readable key for an organisation's IRI that spelling variants share across documents:
    "Jobcenteret" and "Jobcentret" → "jobcentret", "Center for Børn & Unge" and "… og Unge" →
    "center-for-boern-og-unge", "Ankestyrelsens" → "ankestyrelsen"."""
    text = base_form(name).replace("&", " og ")
    return key_slug(CENTER_VARIANT.sub("centret", text))


# "Jobcenteret", "CENTERET": the long spelling of "-centret"
CENTER_VARIANT = re.compile(r"(?i)centeret")


@lru_cache(maxsize=8192)
def acronym_fits(abbreviation: str, name: str) -> bool:
    """``abbreviation`` spells ``name``: every capitalised word gives a letter, in order, and
    the other letters come from inside those words ("CAI" ← "Center for Arbejdsmarked og
    Integration", "CAM" ← "Center for Arbejdsmarked", "JC" ← "Jobcenteret")."""
    letters = abbreviation.casefold()
    words = name.replace("/", " ").split()
    if len(letters) < 2 or not words or not words[0][:1].isupper():
        return False
    text = "".join(w.casefold() for w in words)
    starts: list[int] = []
    pos = 0
    for w in words:
        if w[:1].isupper():
            starts.append(pos)
        pos += len(w)
    if letters[0] != text[0]:
        return False

    def match(i: int, k: int, s: int) -> bool:
        # letters[i:] from text[k:]; starts[s:] are the capital words not yet given a letter
        if i == len(letters):
            return s == len(starts)
        stop = starts[s] if s < len(starts) else len(text) - 1
        for j in range(k, stop + 1):
            if text[j] == letters[i] and match(
                i + 1, j + 1, s + 1 if j == stop and s < len(starts) else s
            ):
                return True
        return False

    return match(1, 1, 1)


# --- one scan of the capitalised tokens, shared by the finders --------------------------------

# A token that starts with a capital: "Lis-Birgit", "CAM", "PwC", "KL-skøn", "DGI's", "A/S",
# "Behandler.dk", "Børneforsorg/Fredhjem"
CAPITALISED_TOKEN = re.compile(
    r"(?<![\p{L}\d'’-])\p{Lu}[\p{L}\d]*(?:(?:['’]|[-./](?=[\p{L}\d]))[\p{L}\d]+)*"
)


def _bmp_class(prop: str, limit: int = 0x10000) -> str:
    """The characters of the Basic Multilingual Plane (below ``limit``) that ``regex`` matches
    with ``prop`` ("\\p{Lu}"), as the inside of a character class for the standard ``re``
    module."""
    every = array("I", range(limit)).tobytes().decode("utf-32-le", "surrogatepass")
    parts = []
    for m in re.finditer(prop + "+", every):
        first, last = _re.escape(m[0][0]), _re.escape(m[0][-1])
        parts.append(first if len(m[0]) == 1 else f"{first}-{last}")
    return "".join(parts)


_UPPER, _LETTER_OR_DIGIT = _bmp_class(r"\p{Lu}"), _bmp_class(r"[\p{L}\d]")
# CAPITALISED_TOKEN for the standard ``re`` module, which scans faster, with the same letter
# classes (read from ``regex``) for text without characters beyond the Basic Multilingual
# Plane: "Lis-Birgit", "CAM", "KL-skøn", "DGI's", "A/S", "Behandler.dk"
CAPITALISED_TOKEN_BMP = _re.compile(
    rf"[{_UPPER}](?<![{_LETTER_OR_DIGIT}'’\-].)[{_LETTER_OR_DIGIT}]*"
    rf"(?:(?:['’]|[-./](?=[{_LETTER_OR_DIGIT}]))[{_LETTER_OR_DIGIT}]+)*"
)


_UPPER_1, _LETTER_OR_DIGIT_1 = _bmp_class(r"\p{Lu}", 0x100), _bmp_class(r"[\p{L}\d]", 0x100)
# CAPITALISED_TOKEN for text of Latin-1 characters only (most Danish minutes): its classes
# hold 256 characters at most, which ``re`` tests with one small bitmap, and "’" cannot occur:
# "Ærø-Kommune's", "KL-skøn", "A/S"
CAPITALISED_TOKEN_LATIN1 = _re.compile(
    rf"[{_UPPER_1}](?<![{_LETTER_OR_DIGIT_1}'\-].)[{_LETTER_OR_DIGIT_1}]*"
    rf"(?:(?:'|[-./](?=[{_LETTER_OR_DIGIT_1}]))[{_LETTER_OR_DIGIT_1}]+)*"
)


def token_pattern(text: str) -> _re.Pattern[str] | re.Pattern[str]:
    """The fastest of the three equal token patterns that reads ``text`` as CAPITALISED_TOKEN
    does: Latin-1 text (its encoding drops nothing), else text without characters beyond
    the Basic Multilingual Plane (no surrogate pairs in UTF-16), else the ``regex`` one."""
    if len(text.encode("latin-1", "ignore")) == len(text):
        return CAPITALISED_TOKEN_LATIN1
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return CAPITALISED_TOKEN_BMP
    return CAPITALISED_TOKEN


@lru_cache(maxsize=8)
def capitalised_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every capitalised token of ``text`` as (start, end, token), in order.

    The people and the organisation finders of one item read the same scan, by the fastest
    pattern that reads the text as CAPITALISED_TOKEN does (``token_pattern``).
    """
    pattern = token_pattern(text)
    return tuple([(m.start(), m.end(), m[0]) for m in pattern.finditer(text)])


@lru_cache(maxsize=8192)
def is_name_token(token: str) -> bool:
    """A token a person's name can have: "Lis-Birgit", "Skov-Andersen" (not "CAM", "PwC",
    "Behandler.dk", "Cowi-rapporten")."""
    for part in token.split("-"):
        if len(part) < 2 or not part[0].isupper() or not part[1:].islower() or not part.isalpha():
            return False
    return True
