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
from kommunegraf.extract.text.bodies import base_form
from kommunegraf.extract.text.slugs import key_slug

# Lower-case particles inside a surname: "Jens Peter la Cour", "Hans von Holstein-Rathlou".
PARTICLES = ("la", "le", "de", "du", "da", "di", "von", "van", "der", "den", "af", "zu", "ten")

# Common Danish given names (facts, lower case).  A capitalised run that starts with one is
# taken for a person even without a party mark or a role beside it.
GIVEN_NAMES = frozenset(
    """
    aage aase abdi adam adrian agnes ahmad ahmed aksel albert alberte alexander alfred ali
    alice allan alma amalie amanda amir anders andrea andreas anette anita anja ann anna
    anne annette anni annie ansgar anton arne arnold asger asta astrid august axel bastian
    benedikte benjamin bent bente berit bernhard bettina birgit birgitte birte birthe bjarke
    bjarne bjørn bo bodil brian britt britta brigitte bruno camilla carina carl carla
    caroline carsten cecilie charlotte christa christian christina christine christoffer
    claus connie conny dagmar dan daniel dennis ditte dorte dorthe ebbe edith egon eigil
    einar ejnar eli elin elisabeth ella ellen elly else emil emilie emma erik erling ernst
    esben esther eva ferhat filip finn flemming frank frede frederik freja frida gitte grete
    grethe gunnar gustav hakon hamid hanne hannah hans harald hasse heidi heinz helen helena
    helene helga helge helle henning henrik henriette herdis hilda holger ib ida inge inger
    ingrid irene iben ivan jacob jakob jan jane janni jannie jannik jean jeanette jens jeppe
    jesper jette jimmy joachim johan johanne johannes john johnny jonas jonathan jan jørgen
    jørn josefine julie julius jytte kaj kamilla karen karin karina karl karsten kasper
    katrine kenneth kent kenn kim kirsten kirstine kjeld klara klaus knud kristian kristina
    kristine kurt lars laila laura lea leif lena lene leo lillian line lis lisa lisbeth lise
    lisbet liselotte lone lotte louise lucas ludvig lykke mads magnus maja malene malou
    maria mariam marianne marie mark marlene martin mathias mathilde mette michael michelle
    mie mikael mikkel mille mogens mohamed mohammad mona morten nadia naja nanna natasja
    nicolai nicolaj nicklas niels nikolaj nina noah ole oliver olivia orla oscar ove ozan
    palle patrick paw peder per pernille peter pia poul preben rasmus rene rené rikke rita
    robert rolf rosa ruth rune sabrina sanne sara sarah sebastian signe simon sofie solveig
    sonja sophie steen sten stefan steffen stig susanne svend sven søren sune tage tanja
    thomas thor thorkild tim tina tobias toke tom tommy tonny tove troels trine turid ulla
    ulrik ulrich uffe vagn valdemar verner vibeke victor viktor villads vivi walther werner
    william yvonne zakaria åse
    """.split()  # noqa: SIM905
)

# Words that make a capitalised run something other than a person (units, places, streets).
NON_NAME_WORDS = frozenset(
    """
    kommune kommunes kommunen kommuner region regionen center centret centeret team afdeling
    afdelingen udvalget udvalg byråd byrådet ministeriet styrelsen fond fonden forening
    foreningen skole skolen vej gade allé plads torv stræde park boulevard kirke hospital
    hus huset sekretariat sekretariatet gruppe gruppen bilag punkt sag sagen sagsnr
    beslutning indstilling resume sagsfremstilling økonomi kompetence baggrund vurdering
    bemærkninger godkendt mandag tirsdag onsdag torsdag fredag lørdag søndag januar februar
    marts april maj juni juli august september oktober november december danmark folketinget
    regeringen venstre socialdemokratiet enhedslisten alternativet moderaterne
    kristendemokraterne folkeparti folkepartiet radikale konservative liberal alliance
    borgerlige danmarksdemokraterne
    fraværende afbud deltagere mødedeltagere medlemmer tilstede stede stemte imod for
    """.split()  # noqa: SIM905
)

# Name endings of units and streets: a token ending so is not part of a person's name.
NON_NAME_SUFFIXES = (
    "udvalget", "udvalg", "rådet", "styrelsen", "ministeriet", "centret", "centeret", "center",
    "afdelingen", "kontoret", "huset", "skolen", "tilsynet", "vej", "vejen", "gade", "gaden",
    "allé", "plads", "pladsen", "torv", "torvet", "stræde", "kommune", "kommunes",
)  # fmt: skip

# Capitalised function words that open sentences: "Derfor", "Herefter", "Det".
SENTENCE_WORDS = frozenset(
    """
    af alle alt at bl da de dem den denne der derefter derfor dermed desuden det dette du
    efter eller en endelig endvidere et eftersom for fordi fra før han har heraf herefter
    her herudover hos hun hvad hvis hvor hvordan hvornår i ifølge igen ikke ind inden jf jo
    kan med men mens mere mod når nu og også om op over på samt se selv siden skal som til
    under ud udover uden ved vi vil være
    """.split()  # noqa: SIM905
)

COUNTRIES = frozenset(
    """
    danmark sverige norge finland island grønland færøerne tyskland polen frankrig england
    storbritannien irland holland belgien spanien italien grækenland tyrkiet rusland ukraine
    usa amerika kina indien pakistan afghanistan iran irak syrien libanon somalia eritrea
    etiopien sudan marokko egypten europa afrika asien jylland fyn sjælland bornholm
    """.split()  # noqa: SIM905
)

# Common surname endings, a weaker sign than a given name.
SURNAME_ENDINGS = (
    "sen", "søn", "gaard", "gård", "strup", "rup", "holm", "berg", "lund", "skov", "bæk",
    "dal", "mann", "hoff", "feldt", "bjerg", "høj",
)  # fmt: skip


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


def _bmp_class(prop: str) -> str:
    """The characters of the Basic Multilingual Plane that ``regex`` matches with ``prop``
    ("\\p{Lu}"), as the inside of a character class for the standard ``re`` module."""
    every = array("I", range(0x10000)).tobytes().decode("utf-32-le", "surrogatepass")
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


@lru_cache(maxsize=8)
def capitalised_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every capitalised token of ``text`` as (start, end, token), in order.

    The people and the organisation finders of one item read the same scan.  Text without
    characters beyond the Basic Multilingual Plane (no surrogate pairs in UTF-16: nearly
    all) is scanned with CAPITALISED_TOKEN_BMP, in two thirds of the time.
    """
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        pattern = CAPITALISED_TOKEN_BMP
    else:
        pattern = CAPITALISED_TOKEN
    return tuple([(m.start(), m.end(), m[0]) for m in pattern.finditer(text)])


@lru_cache(maxsize=8192)
def is_name_token(token: str) -> bool:
    """A token a person's name can have: "Lis-Birgit", "Skov-Andersen" (not "CAM", "PwC",
    "Behandler.dk", "Cowi-rapporten")."""
    for part in token.split("-"):
        if len(part) < 2 or not part[0].isupper() or not part[1:].islower() or not part.isalpha():
            return False
    return True
