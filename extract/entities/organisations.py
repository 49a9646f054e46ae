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

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter

import regex as re

from extract.entities.names import (
    GIVEN_NAMES,
    SENTENCE_WORDS,
    acronym_fits,
    base_form,
    capitalised_tokens,
    is_place,
    looks_like_person,
    organisation_key,
    strip_definite,
)
from extract.entities.parties import BARE_ABBREVIATIONS, PARTIES

# --- patterns, each run at a known position --------------------------------------------------

# A capitalised word of a unit's name: "Arbejdsmarked", "Børn" (not "CAM")
_CAP = r"\p{Lu}\p{Ll}\p{L}*"
# One conjunct after "Center for": "Arbejdsmarked", "Tværgående funktioner" (not "Center")
_CONJUNCT = (
    r"(?!(?:Center|Centret|Team|Styrelsen|Afdeling|Afdelingen)\b)"
    rf"(?:\p{{Lu}}\p{{Ll}}+(?:ende|isk|ske|ige|ede)[ ]\p{{Ll}}{{3,}}er\b|{_CAP})"
)
# "Center for Arbejdsmarked og Integration", "… for Børn & Unge", "… for Sundhed, Kultur og
# Omsorg" (matched where a head word such as "Center" is followed by " for ")
FOR_NAME = re.compile(
    rf"\p{{Lu}}\p{{L}}+[ ]+for[ ]+(?:{_CONJUNCT}(?:[ ]*,[ ]*{_CONJUNCT})*[ ]+(?:og|&)[ ]+"
    rf"{_CONJUNCT}|{_CONJUNCT}(?:[ ]+(?:og|&)[ ]+{_CONJUNCT})?)"
)
# "Team Kontanthjælp", "Team Vest Sjælland" (at "Team")
TEAM_NAME = re.compile(rf"Team[ ]+{_CAP}(?:[ ]+{_CAP})?")
# "Region Sjælland" (at "Region")
REGION_NAME = re.compile(rf"Region[ ]+{_CAP}(?![\p{{L}}-])")
# Coordinated words ending right before a name's last word: "Kultur- og ", "Social-, Ældre- og "
COORDINATION_BEFORE = re.compile(
    r"(?<![\p{L}-])(?:\p{L}+-[ ]*,[ ]*)*\p{L}+-[ ]*(?:og|eller|&)[ ]*\n?[ ]*$"
)
# A bare word coordinated before a committee: "børn og " in "børn og skoleudvalget"
BARE_COORDINATION_BEFORE = re.compile(r"(?<![\p{L}-])(?P<word>\p{L}{3,})[ ]+og[ ]+$")
# A noun that introduces a name, ending right before it: "firmaet ", "uddannelsesinstitutionen "
INTRODUCING_NOUN = re.compile(
    r"\p{Ll}*(?:firmaet|firma|virksomheden|selskabet|fonden|fond|foreningen|organisationen"
    r"|organisationer|institutionen|afdelingen|afdeling|leverandøren|konsulenthuset)"
)
# A collaboration's list of partners (at "samarbejd…"): "samarbejde med X og Y"
COLLABORATION = re.compile(r"[Ss]amarbejd\p{Ll}*[ ]+(?:med|mellem)[ ]+(?P<list>[^.;:\n()]{2,120})")
# Separators in a list of names: ", ", " og ", " samt "
LIST_SEPARATOR = re.compile(r"[ ]*,[ ]*|[ ]+og[ ]+|[ ]+samt[ ]+")
# What the text calls the name before it (at " er en ", " var et "): "… er en genbrugsbutik"
COPULA_NOUN = re.compile(
    r"[ ](?:er|var)[ ]+(?:en|et)[ ]+(?:\p{Ll}+[ ]+){0,2}?\p{Ll}*(?:virksomhed|butik|forening"
    r"|organisation|institution|selskab|firma|fond|leverandør|fusion|forbund)(?!\p{L})"
)
# Between a name and " er en …": a bracket, ", der (også)", ", som"
COPULA_GAP = re.compile(r"(?:[ ]*\([^()\n]{1,80}\))?,?(?:[ ]+(?:der|som))?(?:[ ]+også)?$")
# A lower-case word: "beskæftigelsesråd"
LOWER_WORD = re.compile(r"\p{Ll}+(?!\p{L})")
# Brackets: "(CAM)", "(Center for Beskæftigelse og Rehabilitering)"
BRACKETED = re.compile(r"\([ ]*(?P<inner>[^()\n]{2,80}?)[ ]*\)")
# A bare abbreviation: "CAM", "G4S"
BARE_ABBREVIATION = re.compile(r"\p{Lu}[\p{Lu}\d]{1,6}")
# "…, herefter CAM", "…, UNHCR," : another name for what precedes (at the name's end)
APPOSITIVE_ABBREVIATION = re.compile(
    r"[ ]*,[ ]*(?:herefter[ ]+(?:kaldet[ ]+)?)?(?P<abbr>\p{Lu}[\p{Lu}\d]{1,6})(?=[ ]*[,.)])"
)
# A capital right after a small letter: "PwC", "MySupport" (not "KL's", "CV'er")
MIXED_CASE = re.compile(r"\p{Ll}\p{Lu}")
# A comma or a dash after a word, right before a party's name: "Ib Holm, " (Venstre)
PARTY_AFTER_NAME = re.compile(r"\p{L}[,–-][ ]?$")
# Roman numerals are no abbreviations: "II", "XIV"
ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")

# --- facts and word lists --------------------------------------------------------------------

# National bodies' abbreviations; these count even in a compound ("KL-skøn").
KNOWN_ABBREVIATIONS = frozenset(
    """
    KL DGI DIF FN LO FH DA DI STAR UNHCR WHO OECD SKAT SSI KMD FOA HK BUPL DLF DSR
    """.split()  # noqa: SIM905
)
# National bodies by name.
KNOWN_NAMES = (
    "Danmarks Statistik", "Kommunernes Landsforening", "Danske Regioner", "Skat",
    "Regeringen", "Rigsrevisionen", "Folketingets Ombudsmand", "Ombudsmanden",
    "Udbetaling Danmark", "Ældre Sagen", "Dansk Industri", "Dansk Erhverv", "Røde Kors",
    "Dansk Flygtningehjælp", "Red Barnet", "Børns Vilkår", "Dansk Arbejdsgiverforening",
    "Folketinget",
)  # fmt: skip
# Party names acting in their own name ("Venstre foreslår …"); abbreviations never count.
PARTY_NAMES = tuple(
    sorted(
        {p.name for p in PARTIES if len(p.name) > 3}
        | {"Det Radikale Venstre", "Det Konservative Folkeparti", "Socialistisk Folkeparti"},
        key=len,
        reverse=True,
    )
)
# Abbreviations that name no organisation.
NOT_ORGANISATION_ABBREVIATIONS = frozenset(
    """
    OBS NB PS PDF DOC DOCX XLS XLSX PPT PPTX JPG PNG CV IT CPR CVR SMS TV PC ID OK KR DKK
    EUR MIO MIA MV INKL EKSKL NR JF BL CA HVIS IKKE OG SKAL KUN ALLE NYT NY EVT PKT STK MAX
    MIN ATP SU FØP EU
    """.split()  # noqa: SIM905
)
# Endings of the names of bodies, printed capitalised or not ("ankestyrelsen")
SUFFIXES_ANY_CASE = ("styrelsen", "styrelse", "ministeriet", "nævnet", "direktoratet")
# Endings of committees
SUFFIXES_COUNCIL = ("udvalget", "udvalg")
# Endings of units, companies and associations, which name one only when capitalised
SUFFIXES_CAPITALISED = (
    "centret", "centeret", "center", "afdelingen", "kontoret", "huset", "skolen", "tilsynet",
    "rådet", "råd", "forbundet", "forbund", "foreningen", "fonden", "fond", "sekretariatet",
    "organisation", "organisationen", "instituttet", "hospital", "hospitalet", "universitet",
    "universitetet", "akademiet", "forum",
)  # fmt: skip
# Lower-case words of these kinds name a body only with a capitalised adjective before them
SUFFIXES_AFTER_ADJECTIVE = ("forum", "råd", "rådet", "nævn", "nævnet")
ALL_SUFFIXES = (*SUFFIXES_ANY_CASE, *SUFFIXES_COUNCIL, *SUFFIXES_CAPITALISED)
_SUFFIXES_WITH_GENITIVE = tuple({*ALL_SUFFIXES, *(s + "s" for s in ALL_SUFFIXES)})
_SUFFIX_ENDS = frozenset(s[-3:] for s in _SUFFIXES_WITH_GENITIVE)
# Where a body's name may hide in a lower-case word: "økonomiudvalget", "ankestyrelsen"
LOWERCASE_STEMS = (
    "udvalg", "styrelse", "ministeri", "nævn", "direktorat", "byråd", "regionsråd",
    "folketing",
)  # fmt: skip
_STEM_LENGTHS = tuple((stem, len(stem)) for stem in LOWERCASE_STEMS)
# What a lower-case body's word runs on over: letters (to 256, see _LATIN1_LETTERS) and
# apostrophes
_WORD_LETTERS = frozenset(c for c in map(chr, range(256)) if c.isalpha()) | {"'", "’"}
# Words that end like a body's name but name none by themselves.
GENERIC_NAMES = frozenset(
    """
    udvalg udvalget kompetenceudvalg fagudvalg fagudvalget underudvalg underudvalget
    styrelse styrelsen ministeriet nævnet direktoratet center centret centeret afdelingen
    kontoret huset rådhuset skolen folkeskolen grundskolen tilsynet rådet råd forbundet
    forbund foreningen fonden sekretariatet organisation organisationen instituttet hospital
    hospitalet universitet universitetet akademiet forum bestyrelse bestyrelsen tråd forråd
    """.split()  # noqa: SIM905
)
# Heads that take the capitalised words before them: "Næstved Ressource Center"
BARE_HEADS = frozenset(
    ["center", "centret", "fond", "fonden", "forening", "foreningen", "skole", "hus"]
)
# Heads of "X for Y" names
FOR_HEADS = frozenset(
    """
    Center Centret Centeret Styrelsen Styrelse Ministeriet Afdeling Afdelingen Institut
    Instituttet Foreningen Fonden Rådet Nævnet Sekretariatet Agenturet
    """.split()  # noqa: SIM905
)
# Endings of compound heads of "X for Y" names: "Videnscenter for …", "Aktivcenter for …"
_FOR_ENDINGS = ("center", "centret", "centeret", "styrelsen", "institut", "instituttet")
# Councils printed in lower case that still name one body
LOWERCASE_COUNCILS = frozenset(("byrådet", "byråd", "regionsrådet", "kommunalbestyrelsen"))
# Endings of place and building names: "Stenlængegård", "Obovej"
PLACE_SUFFIXES = ("gård", "gaard", "vej", "gade", "torv", "plads", "havn", "borg", "sted", "by")
# A noun before a name that makes it an offer or a project, not a unit: "tilbuddet Job og …"
PROJECT_NOUNS = frozenset(("tilbuddet", "projektet", "ordningen", "forløbet", "kurset"))
# Words that cannot start a bare coordination before a committee ("tilbud og …")
_NOT_COORDINATED = frozenset(("tilbud", "sag", "punkt", "møde"))
# Municipality words after a place: "Faxe Kommune", "Syddjurs og Norddjurs Kommuner"
MUNICIPALITY_WORDS = frozenset(("Kommune", "Kommunes", "Kommunen", "Kommuner", "Regionskommune"))
LEGAL_FORMS = frozenset(("A/S", "ApS", "I/S", "P/S", "K/S", "IVS", "AMBA"))
# Nouns after a report's author: "Cowi-rapporten", "PwC rapporten"
REPORT_WORDS = ("rapport", "analyse", "undersøgelse")


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    name: str
    abbreviation: bool = False
    veto: bool = False  # the name is something else here (an offer, a project)


@dataclass
class OrganisationFindings:
    """The item's organisations, and the abbreviations it ties to a full form."""

    names: list[str] = field(default_factory=list)
    ties: dict[str, str] = field(default_factory=dict)  # "CAM" → "Center for Arbejdsmarked"


@dataclass(slots=True)
class _Item:
    """The item's text and its capitalised tokens, with lookups the finders share.

    ``kinds`` holds each token's _K_* bits (what the token could be by its own letters), so
    a finder visits only the few tokens that can start one of its names.
    """

    text: str
    tokens: tuple[tuple[int, int, str], ...]
    kinds: tuple[int, ...] = ()
    marked: tuple[int, ...] = ()  # indices of the tokens with any kind bit
    present: int = 0  # the kind bits of any token
    # Indices of the tokens after the last letter of "og" or of a word that cues a name
    # ("firmaet X"), or before the first letter of a report word ("X rapport"): what
    # _unit_pairs and _cued_names look at, found in one pass.
    watched: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        kinds = tuple(map(_KINDS.get, map(_WORD, self.tokens)))
        if None in kinds:  # new tokens: their kinds first
            for word in set(map(_WORD, self.tokens)).difference(_KINDS):
                _token_kinds(word)
            kinds = tuple(map(_KINDS.get, map(_WORD, self.tokens)))
            if None in kinds:  # (the table was emptied meanwhile)
                kinds = tuple(map(_kinds_of, map(_WORD, self.tokens)))
        self.kinds = kinds
        self.marked = tuple(compress(range(len(kinds)), kinds))
        for kind in set(kinds):
            self.present |= kind
        # two_before[start] is text[start - 2], one_after[end] is text[end + 1] (or a space)
        two_before, one_after = "  " + self.text, self.text[1:] + "  "
        self.watched = [
            i
            for i, (start, end, _) in enumerate(self.tokens)
            if two_before[start] in _LETTERS_BEFORE or one_after[end] in _LETTERS_AFTER
        ]

    def of_kind(self, kind: int) -> list[int]:
        """Indices of the tokens with the ``kind`` bit, in order."""
        if not self.present & kind:
            return []
        kinds = self.kinds
        return [i for i in self.marked if kinds[i] & kind]

    def index_from(self, pos: int) -> int:
        """The index of the first token that starts at or after ``pos``."""
        return bisect_left(self.tokens, pos, key=_START)

    def index_at(self, pos: int) -> int | None:
        i = self.index_from(pos)
        return i if i < len(self.tokens) and self.tokens[i][0] == pos else None

    def token_before(self, i: int, gap: str = " ") -> tuple[int, int, str] | None:
        """The token right before token ``i`` with exactly ``gap`` between them."""
        if i <= 0:
            return None
        prev = self.tokens[i - 1]
        return prev if self.text[prev[1] : self.tokens[i][0]] == gap else None

    def token_after(self, i: int, gap: str = " ") -> tuple[int, int, str] | None:
        if i + 1 >= len(self.tokens):
            return None
        nxt = self.tokens[i + 1]
        return nxt if self.text[self.tokens[i][1] : nxt[0]] == gap else None

    def word_before(self, pos: int) -> str:
        """The lower-case word ending one space before ``pos`` ("" if none)."""
        if pos < 2 or self.text[pos - 1] != " " or not self.text[pos - 2].isalpha():
            return ""
        j = self.text.rfind(" ", max(0, pos - 40), pos - 1) + 1
        word = self.text[j : pos - 1]
        return word if word.isalpha() else word.rsplit("\n", 1)[-1]


# Python's letters among the first 256 characters, to test one with a set lookup (a call
# to str.isalpha() costs more); beyond, the call decides.
_LATIN1_LETTERS = frozenset(c for c in map(chr, range(256)) if c.isalpha())
# The characters before a token that make it mid-sentence (_mid_sentence), to 256
_MID_SENTENCE_BEFORE = frozenset(
    c for c in map(chr, range(256)) if c.islower() or c in ",;0123456789"
)


def _base(name: str, text: str, end: int) -> str:
    """``base_form(name, text[end : end + 16])``, called only for a name that ends in "s"
    or an apostrophe, as no other has a base form of its own."""
    return base_form(name, text[end : end + 16]) if name[-1:] in _GENITIVE_ENDS else name


_GENITIVE_ENDS = frozenset(("s", "S", "'", "’", ""))


@lru_cache(maxsize=8192)
def _plain_word(token: str) -> bool:
    """A capitalised word that can be part of a name ("Næstved", not "CAM", "Den")."""
    return token[1:].islower() and token.lower() not in SENTENCE_WORDS


def _mid_sentence(text: str, pos: int) -> bool:
    """A lower-case letter, a digit or a comma and a space before ``pos``."""
    return (
        pos >= 2
        and text[pos - 1] == " "
        and (text[pos - 2].islower() or text[pos - 2] in ",;0123456789")
    )


@lru_cache(maxsize=8192)
def _is_abbreviation(name: str) -> bool:
    first = name.split(" ", 1)[0].split("-", 1)[0]
    return len(first) >= 2 and first.isupper()


# What a capitalised token can be by its own letters (bits of ``_token_kinds``)
_K_SUFFIX = 1  # ends like a body or a unit: "Ankestyrelsens", "Jobcentret"
_K_ADJECTIVE = 2  # a capitalised adjective: "Lokale"
_K_FOR_HEAD = 4  # a head of "X for Y": "Center", "Videnscenter"
_K_HEAD = 8  # another fixed head: "Team", "Region", "Kommune", "ApS"
_K_REPORT_TAIL = 16  # a report's author in a compound: "Cowi-rapporten"
_K_MIXED_CASE = 32  # a brand: "PwC", "VeteranCaféen"
_K_ABBREVIATION = 64  # an abbreviation used as a name: "CAM", "KL-skøn"
_K_SLASH = 128  # two words joined by a slash: "Børneforsorg/Fredhjem"
_K_KNOWN = 256  # the first word of a known body's or a party's name: "Danmarks", "Venstre"


# Tokens seen and their _K_* bits: a plain dict, as a lookup must be cheap for every token
_KINDS: dict[str, int] = {}
_START, _WORD = itemgetter(0), itemgetter(2)  # of a token (start, end, word)
_KINDS_MAX = 1 << 16


def _token_kinds(token: str) -> int:
    """The _K_* bits of a capitalised token: the tests of the finders that need no context,
    run once per distinct token (then looked up in ``_KINDS``)."""
    known = _KINDS.get(token)
    if known is not None:
        return known
    if len(_KINDS) >= _KINDS_MAX:
        _KINDS.clear()
    kinds = _KINDS[token] = _kinds_of(token)
    return kinds


def _kinds_of(token: str) -> int:
    kinds = 0
    low = token.lower()
    if (
        token[-3:] in _SUFFIX_ENDS
        # "KL-skøn", "APV-mødet": a compound's head is no name; "A/B" pairs later
        and "/" not in token
        and ("-" not in token or token.rsplit("-", 1)[1][:1].isupper())
        and low.endswith(_SUFFIXES_WITH_GENITIVE)
        and not low.endswith(("området", "områdets"))
    ):
        kinds |= _K_SUFFIX
    if token.endswith("e") and token[1:].islower():
        kinds |= _K_ADJECTIVE
    if token in FOR_HEADS or token.endswith(_FOR_ENDINGS):
        kinds |= _K_FOR_HEAD
    if token in _HEAD_TOKENS:
        kinds |= _K_HEAD
    if token in _KNOWN_BY_FIRST_WORD:
        kinds |= _K_KNOWN
    head, _, tail = token.partition("-")
    if tail.startswith(REPORT_WORDS) and not is_place(head) and not head.isupper():
        kinds |= _K_REPORT_TAIL
    if (
        not head[1:].islower()
        and not token.isupper()
        and head not in LEGAL_FORMS
        and MIXED_CASE.search(head)
    ):
        kinds |= _K_MIXED_CASE
    if _abbreviation_parts(token) is not None:
        kinds |= _K_ABBREVIATION
    if "/" in token and token not in LEGAL_FORMS:
        kinds |= _K_SLASH
    return kinds


# --- names that end like a body or a unit -----------------------------------------------------


def _suffix_words(item: _Item) -> Iterable[_Candidate]:
    tokens = item.tokens
    for i in item.of_kind(_K_SUFFIX):
        start, end, token = tokens[i]
        candidate = _suffix_candidate(item, start, end, token, i)
        if candidate:
            yield candidate
    yield from _lowercase_suffix_words(item)


def _adjective_bodies(item: _Item) -> Iterable[_Candidate]:
    """A capitalised adjective before a lower-case body: "det Lokale beskæftigelsesråd",
    "det Beskæftigelsespolitiske dialogforum"."""
    text, tokens = item.text, item.tokens
    for i in item.of_kind(_K_ADJECTIVE):
        start, end, _ = tokens[i]
        if start < 2 or text[start - 1] != " " or text[end : end + 1] != " ":
            continue  # (neither mid-sentence nor after "det ", or no word after it)
        before = text[start - 2]  # (_mid_sentence, inline)
        if not (before in _MID_SENTENCE_BEFORE or (before > "\xff" and before.islower())) and (
            text[start - 4 if start > 4 else 0 : start].lower() != "det "
        ):
            continue
        m = LOWER_WORD.match(text, end + 1)
        if m is not None and m[0].endswith(_ADJECTIVE_BODIES):
            name = _base(text[start : m.end()], text, m.end())
            yield _Candidate(start, m.end(), name)


_ADJECTIVE_BODIES = tuple({*SUFFIXES_AFTER_ADJECTIVE, *(s + "s" for s in SUFFIXES_AFTER_ADJECTIVE)})


def _lowercase_suffix_words(item: _Item) -> Iterable[_Candidate]:
    """Bodies printed in lower case: "økonomiudvalget", "ankestyrelsen", "byrådets"."""
    text, tokens = item.text, item.tokens
    size = len(text)
    seen: set[int] = set()
    for stem, length in _STEM_LENGTHS:
        pos = text.find(stem)
        while pos >= 0:
            hit = pos
            end = pos + length
            while end < size and (
                text[end] in _WORD_LETTERS or (text[end] > "\xff" and text[end].isalpha())
            ):
                end += 1
            pos = text.find(stem, end)
            k = bisect_left(tokens, hit + 1, key=_START) - 1  # (item.index_from)
            if k >= 0 and tokens[k][1] >= end:
                continue  # inside a capitalised token: found with the tokens
            word_end = text[hit:end].lower()
            # (every suffix is at least three letters long: a cheap first test)
            suffixed = word_end[-3:] in _SUFFIX_ENDS and word_end.endswith(_SUFFIXES_WITH_GENITIVE)
            if not (suffixed or word_end[:11] == "folketinget"):
                continue
            start = hit
            while start > 0 and (
                text[start - 1] in _LATIN1_LETTERS
                or (text[start - 1] > "\xff" and text[start - 1].isalpha())
            ):
                start -= 1
            if start in seen or not text[start].islower() or (start and text[start - 1] == "-"):
                continue
            seen.add(start)
            word = text[start:end]
            if word[:11] == "folketinget":
                yield _Candidate(start, start + len("folketinget"), "folketinget")
            # (the word ends in lower case as word_end does: the suffix test holds for both)
            elif "områd" not in word and (
                suffixed or word.lower().endswith(_SUFFIXES_WITH_GENITIVE)
            ):
                candidate = _suffix_candidate(item, start, end, word, None)
                if candidate:
                    yield candidate


def _suffix_candidate(
    item: _Item, start: int, end: int, word: str, i: int | None
) -> _Candidate | None:
    text = item.text
    base = base_form(word, text[end : end + 16]) if word[-1] in _GENITIVE_ENDS else word
    facts = _suffix_facts(base)
    if facts is None:
        return None
    blow, suffix, alone_if_capital, alone_if_lower, bare_head = facts
    capital = i is not None and word[0].isupper()  # (a lower-case word has no token)
    # The cheap tests of _coordination and _adjective_before come here, to spare the calls;
    # mostly a space and a letter but for g, & or r (og, &, eller) settle the first.
    before, space = (text[start - 2], text[start - 1]) if start >= 2 else ("", "")
    if space == " " and before in _NOT_COORDINATION_ENDS:
        pre = None
    elif text[start - 8 if start > 8 else 0 : start].rstrip().endswith(_COORDINATION_ENDS):
        pre = _coordination(text, start, suffix)
    else:
        pre = None
    if (
        pre is None
        and before == "e"
        and space == " "
        and start >= 3
        and not (capital and bare_head)
        and (capital or suffix in SUFFIXES_AFTER_ADJECTIVE)
    ):
        pre = _adjective_before(item, start)
    if pre is None and not (alone_if_capital if capital else alone_if_lower):
        return None  # see _accepted
    name = base
    tokens = item.tokens
    if pre is not None:
        name, start = pre + name, start - len(pre)
    elif capital and i and tokens[i - 1][1] == tokens[i][0] - 1:  # (a one-letter gap)
        name, start = _extend_before(item, i, name, start, blow)
    if (
        name == base
        and capital
        and i is not None
        and i + 1 < len(tokens)
        and tokens[i + 1][0] - tokens[i][1] in (1, 3, 6)  # (gaps as long as " ", " i ", " afd. ")
    ):
        name, end = _extend_after(item, i, name, end, blow)
    if name == base and blow in GENERIC_NAMES:
        return None  # "Center" alone names nothing
    return _Candidate(start, end, name)


@lru_cache(maxsize=4096)
def _suffix_of(word: str) -> str | None:
    return next((s for s in ALL_SUFFIXES if word.endswith(s)), None)


@lru_cache(maxsize=8192)
def _suffix_facts(base: str) -> tuple[str, str, bool, bool, bool] | None:
    """What a name's base form says by itself: (lower case, suffix, accepted with nothing
    before it when capitalised, … when in lower case, a bare head); None when no words
    before it make it a body's name (no suffix; "bestyrelsen"). See ``_accepted``."""
    blow = base.lower()
    suffix = _suffix_of(blow)
    if suffix is None or not _accepted(blow, suffix, False, ""):
        return None
    alone_if_capital = _accepted(blow, suffix, True, None)
    alone_if_lower = _accepted(blow, suffix, False, None)
    return blow, suffix, alone_if_capital, alone_if_lower, blow in BARE_HEADS


_COORDINATION_ENDS = ("og", "&", "eller")
# Characters that are no space and end none of _COORDINATION_ENDS
_NOT_COORDINATION_ENDS = frozenset(
    c for c in map(chr, range(33, 256)) if not c.isspace() and c not in "g&r"
)


def _coordination(text: str, start: int, suffix: str) -> str | None:
    """Coordinated words before a name: "Kultur- og " (Fritidsudvalget), "børn og "
    (skoleudvalget)."""
    tail = text[max(0, start - 8) : start].rstrip()
    if not tail.endswith(_COORDINATION_ENDS):
        return None
    window = text[max(0, start - 80) : start]
    # A search from the window's start tries every position, slowly; the words a match can
    # have are read backwards from the window's end, and the search starts at the first.
    ending = window.rstrip(" \n")
    if ending.endswith("og"):
        conjunction = "og"
    elif ending.endswith("&"):
        conjunction = "&"
    elif ending.endswith("eller"):
        conjunction = "eller"
    else:  # (a tab or another space after it)
        return None
    last = len(ending) - len(conjunction)  # where the conjunction starts
    first = _hyphenated_run_start(window, last)
    if first is not None:
        m = COORDINATION_BEFORE.search(window, first)
        if m:
            return m[0]
    if suffix in SUFFIXES_COUNCIL and conjunction == "og" and window[last - 1 : last] == " ":
        j = last - 1
        while j > 0 and window[j - 1] == " ":
            j -= 1
        first = _word_start(window, j)
        m = BARE_COORDINATION_BEFORE.search(window, first)
        if m and _can_coordinate(m["word"]):
            return m[0]
    return None


def _maybe_letter(char: str) -> bool:
    """``char`` may be a letter to the regex module (\\p{L}): Python's letters, and any other
    character beyond ASCII, as the regex module may know a newer Unicode."""
    return char.isalpha() or not char.isascii()


def _word_start(text: str, end: int) -> int:
    """The start of the (maybe) letters that end at ``end``; no \\p{L}+ ending there starts
    before it."""
    while end > 0 and (text[end - 1] > "\x7f" or text[end - 1] in _LATIN1_LETTERS):
        end -= 1  # (_maybe_letter, inline)
    return end


def _hyphenated_run_start(window: str, last: int) -> int | None:
    """The first of the hyphenated words that end before ``last`` ("Social-, Ældre- " in
    "Social-, Ældre- og "): no match of COORDINATION_BEFORE starts before it; None if
    there is no "letter-" before ``last``."""
    j = last
    while j > 0 and window[j - 1] == " ":
        j -= 1
    if j < 2 or window[j - 1] != "-" or not _maybe_letter(window[j - 2]):
        return None
    first = _word_start(window, j - 1)
    while True:  # back over "word-, " as long as there is one
        k = first
        while k > 0 and window[k - 1] == " ":
            k -= 1
        if k < 1 or window[k - 1] != ",":
            return first
        k -= 1
        while k > 0 and window[k - 1] == " ":
            k -= 1
        if k < 2 or window[k - 1] != "-" or not _maybe_letter(window[k - 2]):
            return first
        first = _word_start(window, k - 1)


def _can_coordinate(word: str) -> bool:
    """A word that may be coordinated: "børn" in "børn og skoleudvalget" (not "byrådet og …",
    "forvaltningen og …")."""
    low = word.lower()
    return (
        low not in SENTENCE_WORDS
        and low not in _NOT_COORDINATED
        and not low.endswith(("et", "en", "ne", "er", *ALL_SUFFIXES))
    )


def _adjective_before(item: _Item, start: int) -> str | None:
    """A capitalised adjective before a body: "Beskæftigelsespolitiske " (dialogforum),
    "Lokale " (Beskæftigelsesråd)."""
    text = item.text
    if (
        start < 3
        or text[start - 1] != " "
        or (text[start - 2] != "e" and text[start - 3 : start - 1] != "ke")
    ):
        return None
    j = item.index_from(start) - 1
    if j < 0:
        return None
    s, e, token = item.tokens[j]
    if e != start - 1 or not token.endswith(("e", "ske")) or not token[1:].islower():
        return None
    if not _mid_sentence(text, s) and not text[max(0, s - 4) : s].lower().endswith("det "):
        return None
    return text[s:start]


def _accepted(blow: str, suffix: str, capital: bool, pre: str | None) -> bool:
    if blow in LOWERCASE_COUNCILS:
        return True
    if "bestyrelse" in blow and blow != "kommunalbestyrelsen":
        return False  # a board of something, not a body of its own
    generic = blow in GENERIC_NAMES or len(blow) - len(suffix) < 3
    if generic and pre is None and not (capital and blow in BARE_HEADS):
        return False
    if capital or pre is not None:
        return True
    if suffix in SUFFIXES_ANY_CASE:
        return True
    return suffix == "udvalget"  # "økonomiudvalget"; not the indefinite "fagudvalg"


def _extend_before(item: _Item, i: int, name: str, start: int, blow: str) -> tuple[str, int]:
    if i <= 0:
        return name, start
    prev = item.tokens[i - 1]  # (item.token_before(i), inline)
    if item.text[prev[1] : item.tokens[i][0]] != " ":
        return name, start
    if prev[2].endswith(("'s", "’s")) and prev[2][:-2].isupper():  # "FN's Flygtningeorganisation"
        return f"{prev[2]} {name}", prev[0]
    if blow in BARE_HEADS:  # "Næstved Ressource Center"
        text, tokens = item.text, item.tokens
        j, first = i, start
        while j > 0 and i - j < 3:
            before = tokens[j - 1]  # (item.token_before(j), inline)
            if text[before[1] : tokens[j][0]] != " " or not _plain_word(before[2]):
                break
            j, first = j - 1, before[0]
        return text[first:start] + name, first
    if is_place(prev[2]):  # "Randers Sundhedscenter"
        return f"{prev[2]} {name}", prev[0]
    return name, start


def _extend_after(item: _Item, i: int, name: str, end: int, blow: str) -> tuple[str, int]:
    if i + 1 >= len(item.tokens):
        return name, end
    text = item.text
    nxt = item.tokens[i + 1]
    gap = text[item.tokens[i][1] : nxt[0]]
    if gap == " ":
        if blow.endswith("center") and is_place(nxt[2]) and not item.token_after(i + 1):
            return f"{name} {nxt[2]}", nxt[1]  # "Jobcenter Randers"
    elif gap == " i ":
        if is_place(nxt[2]) and not item.token_after(i + 1):  # "Veterancentret i Ringsted"
            return f"{name} i {nxt[2]}", nxt[1]
    elif gap == " afd. ":  # "Kobberbakkeskolen afd. Sjølund"
        return text[text.index(name, end - len(name) - 2) : nxt[1]], nxt[1]
    return name, end


# --- names with a fixed head or a fixed word beside them --------------------------------------


def _headed_names(item: _Item) -> Iterable[_Candidate]:
    """Names with a fixed head word: "Center for X", "Team X", "Region X", "X Kommune",
    "X ApS"; known bodies and parties by name."""
    text, tokens, kinds = item.text, item.tokens, item.kinds
    for i in item.of_kind(_K_FOR_HEAD | _K_HEAD | _K_KNOWN):
        start, end, token = tokens[i]
        kind = kinds[i]
        if kind & _K_FOR_HEAD and text[end : end + 5] == " for ":
            m = FOR_NAME.match(text, start)  # "Center for …", "Videnscenter for …"
            if m:
                yield _Candidate(start, m.end(), _base(m[0], text, m.end()))
            continue
        if kind & _K_HEAD:
            if token == "Team":
                m = TEAM_NAME.match(text, start)
                if m:
                    yield _Candidate(start, m.end(), _base(m[0], text, m.end()))
            elif token == "Region":
                m = REGION_NAME.match(text, start)
                if m:
                    yield _Candidate(start, m.end(), base_form(m[0]))
            elif token in MUNICIPALITY_WORDS:
                yield from _municipalities(item, i)
            elif token in LEGAL_FORMS:
                yield from _legal_form(item, i)
        if not kind & _K_KNOWN or not text.startswith(_KNOWN_BY_FIRST_WORD[token], start):
            continue
        for known in _KNOWN_BY_FIRST_WORD[token]:
            if text.startswith(known, start):
                if known in PARTY_NAMES and _beside_person(text, start):
                    continue
                end_known = start + len(known)
                if text.startswith("s", end_known):
                    end_known += 1
                yield _Candidate(start, end_known, known)
                break


_KNOWN_BY_FIRST_WORD: dict[str, tuple[str, ...]] = {}
for _name in sorted((*KNOWN_NAMES, *PARTY_NAMES), key=len, reverse=True):
    _first = _name.split()[0]
    _KNOWN_BY_FIRST_WORD[_first] = (*_KNOWN_BY_FIRST_WORD.get(_first, ()), _name)


_HEAD_TOKENS = frozenset({"Team", "Region", *MUNICIPALITY_WORDS, *LEGAL_FORMS})


def _beside_person(text: str, start: int) -> bool:
    """A party printed beside a person ("(Venstre)", "Ib Holm, Venstre") is not acting."""
    before = text[max(0, start - 3) : start]
    return "(" in before or bool(PARTY_AFTER_NAME.search(before))


def _municipalities(item: _Item, i: int) -> Iterable[_Candidate]:
    """Municipalities: "Faxe Kommune"; "Syddjurs og Norddjurs Kommuner" is two municipalities."""
    text, tokens = item.text, item.tokens
    names: list[tuple[int, int, str]] = []  # from the last one back
    j, gap = i, " "
    while j > 0:
        prev = tokens[j - 1]  # (item.token_before(j, gap), inline)
        if text[prev[1] : tokens[j][0]] != gap or not _plain_word(prev[2]):
            break
        names.append(prev)
        j -= 1
        gap = text[tokens[j - 1][1] : tokens[j][0]] if j > 0 else ""
        if gap not in (", ", " og ", ","):
            break
    names.reverse()
    for k, (start, end, name) in enumerate(names):
        if name[-1:] == "s" and not is_place(name) and is_place(name[:-1]):
            name = name[:-1]
        stop = item.tokens[i][1] if k == len(names) - 1 else end
        yield _Candidate(start, stop, f"{name} Kommune")


def _legal_form(item: _Item, i: int) -> Iterable[_Candidate]:
    """A company with its legal form: "RSV Randers ApS"."""
    j, first = i, None
    while i - j < 4:
        prev = item.token_before(j) or item.token_before(j, " & ")  # "Rent & Klart A/S"
        if prev is None or prev[2].lower() in SENTENCE_WORDS:
            break
        j, first = j - 1, prev[0]
    if first is not None:
        end = item.tokens[i][1]
        yield _Candidate(first, end, item.text[first:end])


def _run_from(item: _Item, i: int, max_tokens: int = 5, joiners: tuple[str, ...] = (" ",)) -> str:
    """The capitalised tokens from token ``i`` on, joined by ``joiners``: "Guld og Grønne
    Skove"; a second name starts at an abbreviation after a word ("Lærdansk DGI")."""
    text = item.text
    start, end, _ = item.tokens[i]
    j = i
    while j + 1 < len(item.tokens) and j - i + 1 < max_tokens:
        gap = text[item.tokens[j][1] : item.tokens[j + 1][0]]
        nxt = item.tokens[j + 1][2]
        if gap not in joiners or (nxt.isupper() and not item.tokens[j][2].isupper()):
            break  # "Lærdansk DGI": a second name starts
        if nxt.lower() in SENTENCE_WORDS:
            break
        j += 1
        end = item.tokens[j][1]
    return text[start:end]


def _cued_names(item: _Item) -> Iterable[_Candidate]:
    """A name after a noun that introduces it ("firmaet Schultz") or after a person and "fra"
    ("Dennis Hansen fra DBoss"); a report's author ("Cowi-rapporten"); a brand ("PwC")."""
    text, tokens = item.text, item.tokens
    # Visit only the tokens after a cue and a space, before a report word, or marked by
    # their own letters.
    visit = {
        i
        for i in item.watched
        if text[tokens[i][0] - 4 : tokens[i][0] - 1] in _CUE_ENDS
        or (
            text[tokens[i][1] + 1 : tokens[i][1] + 2] in _LETTERS_AFTER
            and text.startswith(_REPORT_AFTER, tokens[i][1])
        )
    }
    visit.update(item.of_kind(_K_REPORT_TAIL | _K_MIXED_CASE))
    for i in sorted(visit):
        start, end, token = tokens[i]
        if start >= 2 and text[start - 1] == " " and text[start - 2].islower():
            before = item.word_before(start)
            if before == "fra":
                yield from _employer(item, i)
            elif before.endswith(_INTRODUCING_ENDINGS) and INTRODUCING_NOUN.fullmatch(before):
                yield from _introduced(item, i, before)
            elif (
                text.startswith(_REPORT_AFTER, end) and token[1:].islower() and not is_place(token)
            ):
                yield _Candidate(start, end, token)  # "Cowi rapporten"
        head, _, tail = token.partition("-")
        if (
            tail.startswith(REPORT_WORDS)
            and _mid_sentence(text, start)
            and not is_place(head)
            and not head.isupper()
        ):
            yield _Candidate(start, start + len(head), head)  # "Cowi-rapportens"
        if (
            not head[1:].islower()
            and not token.isupper()
            and head not in LEGAL_FORMS
            and MIXED_CASE.search(head)
        ):
            yield from _mixed_case(item, i, head)


_INTRODUCING_ENDINGS = (
    "firmaet", "firma", "virksomheden", "selskabet", "fonden", "fond", "foreningen",
    "organisationen", "organisationer", "institutionen", "afdelingen", "afdeling",
    "leverandøren", "konsulenthuset",
)  # fmt: skip
_REPORT_AFTER = tuple(" " + w for w in REPORT_WORDS)
# The last three letters of the words that cue a name: "fra", "firmaet", …
_CUE_ENDS = frozenset(w[-3:] for w in ("fra", *_INTRODUCING_ENDINGS))
# The letters that _Item.watched looks for before and after a token
_LETTERS_BEFORE = frozenset(w[-1] for w in ("og", *_CUE_ENDS))
_LETTERS_AFTER = frozenset(w[1] for w in _REPORT_AFTER)


def _introduced(item: _Item, i: int, noun: str) -> Iterable[_Candidate]:
    start = item.tokens[i][0]
    if noun.endswith("organisationer"):  # a plural noun introduces a list
        name = _run_from(item, i, joiners=(" ", " og ", ", "))
        pos = start
        for part in LIST_SEPARATOR.split(name):
            pos = item.text.index(part, pos)
            if not looks_like_person(part):
                yield _Candidate(pos, pos + len(part), part)
            pos += len(part)
        return
    name = _run_from(item, i, joiners=(" ", " og ", " & ", " for "))
    if name and not looks_like_person(name) and not is_place(name):
        end = start + len(name)
        yield _Candidate(start, end, _base(name, item.text, end))


def _employer(item: _Item, i: int) -> Iterable[_Candidate]:
    """A person's firm: "Dennis Hansen fra DBoss": the name after a person and "fra"."""
    start = item.tokens[i][0]
    j = i - 1
    if j < 0 or item.text[item.tokens[j][1] : start] != " fra ":
        return
    first = j
    while first > 0 and j - first < 4 and item.token_before(first):
        first -= 1
    person = item.text[item.tokens[first][0] : item.tokens[j][1]]
    if not looks_like_person(person):
        return
    name = _run_from(item, i, max_tokens=4)
    if name and not is_place(name) and not looks_like_person(name):
        yield _Candidate(start, start + len(name), name)


def _mixed_case(item: _Item, i: int, head: str) -> Iterable[_Candidate]:
    """Mixed-case brand names: "PwC", "MySupport", "VeteranCafé Næstved" (a town after a
    brand belongs to it)."""
    start = item.tokens[i][0]
    if any(ch.isdigit() for ch in head):
        return
    nxt = item.token_after(i) if head == item.tokens[i][2] else None
    if nxt and is_place(nxt[2]) and not item.token_after(i + 1):
        yield _Candidate(start, nxt[1], f"{head} {nxt[2]}")
    else:
        yield _Candidate(start, start + len(head), head)


def _abbreviations(item: _Item) -> Iterable[_Candidate]:
    """Abbreviations used as names: "CAM", "SIND", "G4S", "KL" (also in "KL-skøn"),
    "DGI Storstrømmen", "LO-Næstved"."""
    text, tokens = item.text, item.tokens
    for i in item.of_kind(_K_ABBREVIATION):
        start, end, token = tokens[i]
        parts = _abbreviation_parts(token)
        if parts is None:  # (not so for a token of this kind)
            continue
        head, rest, known = parts
        if not known and _in_capitals_heading(text, start, end):
            continue
        if rest[:1].isupper() and rest.isalpha():  # "LO-Næstved"
            yield _Candidate(start, end, token, abbreviation=True)
            continue
        j = i  # capitalised words after it belong to it: "DGI Storstrømmen", "ISS Facility"
        while not rest and head == token and j - i < 3:
            nxt = item.token_after(j)
            if nxt is None or not nxt[2].isalpha() or not nxt[2][1:].islower():
                break
            if nxt[2].lower() in SENTENCE_WORDS:
                break
            j += 1
        if j > i:
            end = item.tokens[j][1]
            yield _Candidate(start, end, text[start:end], abbreviation=True)
            continue
        yield _Candidate(start, start + len(head), head, abbreviation=True)


@lru_cache(maxsize=8192)
def _abbreviation_parts(token: str) -> tuple[str, str, bool] | None:
    """(abbreviation, what follows its hyphen, a national body's) for a token that can be
    an abbreviation used as a name by its letters: "CAM", "KL-skøn", "LO-Næstved", "DGI's"."""
    if not token[1:2].isupper() and not token[1:2].isdigit():
        return None
    head, _, rest = token.partition("-")
    if head.endswith(("'s", "’s")):
        head = head[:-2]
    if not head.isupper() or not 2 <= len(head) <= 6 or not head[0].isalpha():
        return None
    if not head.replace("/", "").isalnum() or "/" in head:
        return None
    known = head in KNOWN_ABBREVIATIONS
    if not known and (
        (rest and not rest[:1].isupper())
        or len(head) < 3
        or head in NOT_ORGANISATION_ABBREVIATIONS
        or head in BARE_ABBREVIATIONS
        or ROMAN_NUMERAL.fullmatch(head)
        or sum(ch.isalpha() for ch in head) < 2
    ):
        return None
    return head, rest, known


def _in_capitals_heading(text: str, start: int, end: int) -> bool:
    """A heading in capitals ("INDSTILLING OG BESLUTNING"), not an abbreviation."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(line.strip()) > end - start and line.isupper()


def _unit_pairs(item: _Item) -> Iterable[_Candidate]:
    """Capitalised nouns as a unit's name: "Rådgivning og Udbetaling", "Sundhed, Kultur og
    Omsorg" (not inside a longer capitalised run, as in a list of people)."""
    text, tokens = item.text, item.tokens
    for i in item.watched:
        start = tokens[i][0]
        if not i or tokens[i - 1][1] != start - 4 or text[start - 4 : start] != " og ":
            continue
        j = i - 1
        while j > 0 and text[tokens[j - 1][1] : tokens[j][0]] in (", ", ","):
            j -= 1
        words = [t[2] for t in tokens[j : i + 1]]
        first_start = tokens[j][0]
        if j > 0 and text[tokens[j - 1][1] : first_start] == " ":
            continue  # "Torben Hansen og Kim …": part of a longer run
        end = tokens[i][1]
        if i + 1 < len(tokens) and text[end : tokens[i + 1][0]] == " ":
            continue  # (item.token_after(i), inline): a longer run
        if text[end : end + 2] == " (" or text[end : end + 1] in ("(", "-"):
            continue
        if not all(map(_unit_word, words)):
            continue
        before = item.word_before(first_start).lower()
        if before.endswith(_INTRODUCING_ENDINGS):
            continue  # "de to organisationer X og Y": two names, found by their noun
        veto = before in PROJECT_NOUNS
        name = _base(text[first_start:end], text, end)
        yield _Candidate(first_start, end, name, veto=veto)


@lru_cache(maxsize=8192)
def _unit_word(word: str) -> bool:
    """A capitalised noun that can be a word of a unit's name (no place, person, sentence
    word, or word of a body or a place of its own)."""
    low = word.lower()
    return not (
        not word[1:].islower()
        or not word.isalpha()
        or is_place(word)
        or low in SENTENCE_WORDS
        or low in GIVEN_NAMES
        or low.endswith((*ALL_SUFFIXES, *PLACE_SUFFIXES))
    )


def _collaborations(item: _Item) -> Iterable[_Candidate]:
    """The partners in "i samarbejde med X og Y", up to the list's first lower-case word."""
    text = item.text
    pos = text.find("amarbejd")
    while pos >= 0:
        m = COLLABORATION.match(text, pos - 1) if pos else None
        pos = text.find("amarbejd", pos + 8)
        if m is None:
            continue
        at = m.start("list")
        for part in LIST_SEPARATOR.split(m["list"]):
            start = text.index(part, at)
            at = start + len(part)
            i = item.index_at(start)
            if i is None:
                if part.split(" ", 1)[0] in ("de", "det", "den") or INTRODUCING_NOUN.match(part):
                    continue  # "uddannelsesinstitutionen Lærdansk" is found by its noun
                break
            name = _run_from(item, i, joiners=(" ", " & ", " for "))
            if not looks_like_person(name) and not is_place(name):
                end = start + len(name)
                yield _Candidate(start, end, _base(name, text, end))
            if len(name) < len(part.strip()):
                break  # lower-case words follow: the list has ended


def _copulas(item: _Item) -> Iterable[_Candidate]:
    """A name the text calls a company or an institution: "Finderiet er en
    genbrugsbutik"; "X (…), der også er en institution"."""
    text = item.text
    for word in (" er e", " var e"):
        pos = text.find(word)
        while pos >= 0:
            m = COPULA_NOUN.match(text, pos)
            hit = pos
            pos = text.find(word, pos + 4)
            if m is None:
                continue
            gap = COPULA_GAP.search(text, max(0, hit - 100), hit)
            j = item.index_from(gap.start() if gap else hit) - 1
            if j < 0 or item.tokens[j][1] != (gap.start() if gap else hit):
                continue
            k = j
            while k > 0 and j - k < 3 and item.text[item.tokens[k - 1][1] : item.tokens[k][0]] in (
                " ", "- og ",
            ):  # fmt: skip
                k -= 1
            while k < j and item.tokens[k][2].lower() in SENTENCE_WORDS:
                k += 1
            start, end = item.tokens[k][0], item.tokens[j][1]
            name = text[start:end]
            if item.tokens[k][2].lower() in SENTENCE_WORDS or looks_like_person(name):
                continue
            if is_place(name):
                continue
            if k == j and not _printed_mid_sentence(item, name):
                continue  # "Tilbuddet er et …": a common noun opening a sentence
            yield _Candidate(start, end, name)


def _printed_mid_sentence(item: _Item, name: str) -> bool:
    return any(t == name and _mid_sentence(item.text, s) for s, _, t in item.tokens)


def _slash_pairs(item: _Item, keys: set[str]) -> Iterable[_Candidate]:
    """Two names of the item joined by a slash: "Jysk Børneforsorg/Fredhjem"."""
    for i in item.of_kind(_K_SLASH):
        start, end, token = item.tokens[i]
        left_word, right = token.split("/", 1)
        first, left = start, left_word
        j = i
        while organisation_key(left) not in keys and j > 0 and i - j < 3:
            prev = item.token_before(j)
            if prev is None:
                break
            j, first = j - 1, prev[0]
            left = item.text[first:start] + left_word
        if organisation_key(left) in keys and organisation_key(right) in keys:
            yield _Candidate(first, end, item.text[first:end])


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
        if key in excluded or key in ("udvalget", "kommune"):
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
