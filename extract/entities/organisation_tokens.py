"""An item's capitalised tokens and what each can be by its own letters.

Shared by the organisation finders: ``_Item`` reads the tokens once and notes what kind each
token can be (``_token_kinds``), so a finder visits only the few tokens that can start one of
its names.  The candidates the finders return are ``_Candidate`` spans.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from kommunegraf.extract.entities.names import (
    SENTENCE_WORDS,
    base_form,
    is_place,
)
from kommunegraf.extract.entities.organisation_patterns import (
    MIXED_CASE,
    ROMAN_NUMERAL,
)
from kommunegraf.extract.entities.organisation_words import (
    FOR_ENDINGS,
    FOR_HEADS,
    INTRODUCING_ENDINGS,
    KNOWN_ABBREVIATIONS,
    KNOWN_NAMES,
    LEGAL_FORMS,
    MUNICIPALITY_WORDS,
    NOT_ORGANISATION_ABBREVIATIONS,
    PARTY_NAMES,
    REPORT_WORDS,
    SUFFIX_ENDS,
    SUFFIXES_WITH_GENITIVE,
)
from kommunegraf.extract.entities.parties import BARE_ABBREVIATIONS


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
        token[-3:] in SUFFIX_ENDS
        # "KL-skøn", "APV-mødet": a compound's head is no name; "A/B" pairs later
        and "/" not in token
        and ("-" not in token or token.rsplit("-", 1)[1][:1].isupper())
        and low.endswith(SUFFIXES_WITH_GENITIVE)
        and not low.endswith(("området", "områdets"))
    ):
        kinds |= _K_SUFFIX
    if token.endswith("e") and token[1:].islower():
        kinds |= _K_ADJECTIVE
    if token in FOR_HEADS or token.endswith(FOR_ENDINGS):
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


_KNOWN_BY_FIRST_WORD: dict[str, tuple[str, ...]] = {}
for _name in sorted((*KNOWN_NAMES, *PARTY_NAMES), key=len, reverse=True):
    _first = _name.split()[0]
    _KNOWN_BY_FIRST_WORD[_first] = (*_KNOWN_BY_FIRST_WORD.get(_first, ()), _name)


_HEAD_TOKENS = frozenset({"Team", "Region", *MUNICIPALITY_WORDS, *LEGAL_FORMS})

_REPORT_AFTER = tuple(" " + w for w in REPORT_WORDS)
# The last three letters of the words that cue a name: "fra", "firmaet", …
_CUE_ENDS = frozenset(w[-3:] for w in ("fra", *INTRODUCING_ENDINGS))
# The letters that _Item.watched looks for before and after a token
_LETTERS_BEFORE = frozenset(w[-1] for w in ("og", *_CUE_ENDS))
_LETTERS_AFTER = frozenset(w[1] for w in _REPORT_AFTER)


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
        or head[-1].isdigit()  # a code, not a name: "BO1", "SFO2", "CO2", "DK2020"
    ):
        return None
    return head, rest, known
