"""Named natural persons in one agenda item, with the party and the role printed beside them.

A person is a run of capitalised name tokens ("Anne-Mette Juul Sørensen", "Jens Peter la
Cour") that the text marks as one: a party in brackets or a bare party abbreviation after it
("Helle Blak (F)", "Jette Leth Buhl SF"), a title before or after it ("teamleder Nicolai
Vedsted", "Lars Holm, afdelingsleder i …"), a labelled list ("Fraværende: …", "Imod stemte
…"), a verb that only people do ("… var fraværende", "… begærede sagen"), or a common given
name at its start.  Places, units and streets are not people, however they are capitalised.

The scan reads the item's capitalised tokens once (``names.capitalised_tokens``) and looks at
the text around a run only where the run could be a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex as re

from kommunegraf.extract.entities.names import (
    PARTICLES,
    SENTENCE_WORDS,
    capitalised_tokens,
    has_surname_shape,
    is_given_name,
    is_name_like_token,
    is_name_token,
    is_place,
)
from kommunegraf.extract.entities.parties import (
    BARE_ABBREVIATIONS,
    PARTY_BARE,
    PARTY_IN_BRACKETS,
    party_letter,
)
from kommunegraf.extract.records import Person

# Endings of title words: "teamleder", "Afdelingsleder", "borgmester", "direktør"
ROLE_ENDINGS = (
    "leder", "chef", "direktør", "konsulent", "koordinator", "rådgiver", "formand", "mester",
    "sekretær", "fuldmægtig", "specialist", "minister", "rådmand", "ordfører", "sagsbehandler",
    "psykolog", "jurist", "revisor", "advokat", "sygeplejerske", "terapeut", "inspektør",
    "forstander", "udvalgsmedlem", "byrådsmedlem",
)  # fmt: skip
_ROLE_ENDINGS_DEFINITE = tuple(e + "en" for e in ROLE_ENDINGS)
_ALL_ROLE_ENDINGS = ROLE_ENDINGS + _ROLE_ENDINGS_DEFINITE
# The proper tails of those endings ("der", "eder" of "leder"): the end of a word cut off by
# the few characters read before a name may be the start of a title's ending
_ROLE_ENDING_TAILS = frozenset(e[k:] for e in _ALL_ROLE_ENDINGS for k in range(1, len(e)))
# Prepositions between a title and its unit: "afdelingsleder i …", "leder af …"
_ROLE_PREPOSITIONS = frozenset(("i", "for", "ved", "hos", "på", "af"))

# A title after the name (and its party): ", afdelingsleder i …", " - formand", " (formand)"
ROLE_AFTER = re.compile(r"[ \t]*(?:,|-|–|\()[ \t]*(?P<word>\p{L}+)")
# What ROLE_AFTER needs after spaces and tabs: a cheap first test
_ROLE_AFTER_MARKS = frozenset(",-–(")
# A label that opens a list of people: "Fraværende:", "Afbud:", "Imod stemte:", "Til stede:"
LIST_LABEL = re.compile(
    r"[ \t]*[-•*]?[ \t]*(?:Fraværende|Afbud|Meldt afbud|Deltagere|Mødedeltagere|Til stede"
    r"|Tilstede|Medlemmer|Desuden deltog|Imod stemte|For stemte|Stemte imod|Stemte for"
    r"|Undlod at stemme|Undlod|Inhabil|Inhabile|Fraværende med afbud|Afbud fra)\b[^:\n]{0,25}:",
    re.IGNORECASE,
)
# A vote phrase right before the names: "Imod stemte ", "For stemte: ", "Undlod at stemme: "
VOTE_BEFORE = re.compile(
    r"(?:(?:For|Imod)[ \t]+stemte|stemte[ \t]+(?:for|imod)|Undlod[ \t]+at[ \t]+stemme)"
    r"[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
# What only people do, right after the name: "var fraværende", "stemte imod", "begærede"
_PERSON_VERBS = (
    r"var[ \t]+(?:fraværende|ikke[ \t]+til[ \t]+stede|inhabil)", "deltog", "deltager", "stemte",
    "undlod", r"tog[ \t]+forbehold", "begærede", "mener", "mente", "foreslog", "foreslår",
    "anbefaler", "anbefalede", "bemærkede", "bemærker", "oplyste", "orienterede", "fremlagde",
    "præsenterede", "forlod", r"havde[ \t]+afbud", r"meldte[ \t]+afbud", "erklærede",
    r"ønskede[ \t]+at", "tilkendegav", "spurgte",
)  # fmt: skip
PERSON_VERB_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:" + "|".join(_PERSON_VERBS) + r")(?!\p{L})", re.IGNORECASE
)
# The first three letters of the verbs (each starts with three plain letters): a cheap first
# test before PERSON_VERB_AFTER
_VERB_HEADS = frozenset(v[:3] for v in _PERSON_VERBS)
# Between two names of one list: ", ", " og ", ", samt " (a party mark may sit before it)
LIST_GAP = re.compile(
    r"(?:[ \t]*\([^()\n]{1,25}\))?(?:[ \t]+(?:SF|DF|EL|LA|RV|KD))?"
    r"(?:[ \t]*,[ \t]*(?:og[ \t]+|samt[ \t]+)?|[ \t]+(?:og|samt)[ \t]+)"
)
# What PARTY_BARE needs after a name: a space, then the first letter of an abbreviation
_BARE_SPACES = frozenset(" \u00a0")
_BARE_INITIALS = frozenset(a[0] for a in BARE_ABBREVIATIONS)
# The title line of an item, whose "(B)"/"(O)"/"(D)" is a kind mark, not a party
TITLE_LINE = re.compile(r"[ \t]*(?:Punkt[ \t]+\d+[ \t]*[:.]|\d{1,3}\.[ \t])", re.IGNORECASE)
# A lower-case word right after a name: "oplæg" in "Jan Kjeldmanns oplæg"
NEXT_WORD = re.compile(r"[ \t]+(?P<word>\p{Ll}+)")

# What may stand between two tokens of one name: a space, or particles ("Ib Ravn de Neergaard")
NAME_GAPS = frozenset(
    [" ", "\u00a0"]
    + [f" {p} " for p in PARTICLES]
    + [f" {p} {q} " for p in ("van", "von", "de") for q in ("der", "den", "la", "le")]
)
# Words after a name that show it is no genitive ("Lars Holms" + "og" …)
_NOT_GENITIVE_NOUNS = frozenset(
    """
    er var har havde blev vil skal kan kunne og samt eller fra på i til med om som der
    """.split()  # noqa: SIM905
)
_GENITIVE_CONSONANTS = frozenset("bcdfghjklmnpqrtvwxz")


@lru_cache(maxsize=8192)
def is_role(word: str) -> bool:
    low = word.lower()
    return low.endswith(ROLE_ENDINGS) or low.endswith(_ROLE_ENDINGS_DEFINITE)


def normal_role(word: str) -> str:
    """The title as recorded: "Teamleder" → "teamleder", "formanden" → "formand"."""
    low = word.lower()
    return low[:-2] if low.endswith(_ROLE_ENDINGS_DEFINITE) else low


@dataclass
class _Run:
    start: int
    end: int
    tokens: tuple[str, ...]
    role: str | None = None
    party: str | None = None
    strong: bool = False  # a party or a title beside it: a person whatever the tokens
    list_cue: bool = False  # a label or a verb that its whole list shares
    after: int = 0  # where the text after the name (and its party) starts


def _token_kind(token: str) -> str:
    """The token's kind: "x" for no name token ("CAM", "Behandler.dk"), else what a run of
    it alone may be (as ``_trim`` tells of longer runs): "n" never a person ("Byrådet",
    "Derfor"), "a" always one (a given name), "t" one only after a title ("teamleder
    Vedsted")."""
    if not is_name_token(token):
        return "x"
    if token.lower() in SENTENCE_WORDS:
        return "n"
    if is_place(token) or not (token in PARTICLES or is_name_like_token(token)):
        return "n"
    return "a" if is_given_name(token) else "t"


class _Kept(dict[str, Any]):
    """A pure function's answers per key, kept (cleared past 50,000): on the scan's hot path
    a dict lookup costs less than a call through ``lru_cache``."""

    def __init__(self, function: Callable[[str], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> Any:
        if len(self) >= 50_000:
            self.clear()
        answer = self[key] = self.function(key)
        return answer


# ``_token_kind`` per token: the scan reads an item's some 700 capitalised tokens
_KINDS = _Kept(_token_kind)
# The longest gap in NAME_GAPS: a longer one is not looked up
_LONGEST_GAP = max(map(len, NAME_GAPS))


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of name tokens on one line ("Kasper Fuhr Christensen", "Ib Ravn de Neergaard"),
    without the runs of one token that cannot be a person alone: "Byrådet", "Det", or
    "Vedsted" where no title stands before it."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []  # the last run kept
    first: tuple[int, int, str] | None = None  # a run so far of one token never a person alone
    last = -_LONGEST_GAP - 1  # where the run before the token ends (far back: no run)
    kinds, titles = _KINDS, _TITLE_KEYS
    for token in capitalised_tokens(text):
        kind = kinds[token[2]]
        if kind == "x":
            last = -_LONGEST_GAP - 1
        elif token[0] - last <= _LONGEST_GAP and text[last : token[0]] in NAME_GAPS:
            if first is not None:  # the run is kept from its second token on
                current = [first, token]
                runs.append(current)
                first = None
            else:
                current.append(token)
            last = token[1]
        else:
            keep: bool | None = kind == "a"
            if kind == "t":  # a lone token that is a person only after a title
                start = token[0]
                keep = titles[text[start - _TITLE_KEY : start]] if start >= _TITLE_KEY else None
                if keep is None:
                    keep = _title_just_before(text, start)
            if keep:
                current = [token]
                runs.append(current)
                first = None
            else:
                first = token  # kept only if a token joins it
            last = token[1]
    return runs


@lru_cache(maxsize=8192)
def _trim(name: str) -> tuple[int, str | None, tuple[str, ...], str]:
    """For a run of name tokens as printed: how many tokens to drop from the left (sentence
    words, a leading title as in "Teamleder Lis-Birgit"), the title so dropped, the tokens
    left, and what they may be: "n" no person, "t" one only after a title, "y" one if the
    context agrees.

    Kept per run: an item has some 70 runs of two or more tokens, mostly the same few ("Det
    Lokale Beskæftigelsesråd", "Jens Holm").
    """
    # the tokens, without the particles between them ("Jens Peter la Cour")
    words = tuple(w for w in name.split() if w not in PARTICLES)
    drop, role = 0, None
    while drop < len(words):
        first = words[drop]
        if first.lower() in SENTENCE_WORDS:
            pass
        elif len(words) - drop > 1 and is_role(first):
            role = role or normal_role(first)
        elif len(words) - drop > 2 and not is_given_name(first) and is_given_name(words[drop + 1]):
            pass  # "Godkendt Jens Hansen": a capitalised word opening the sentence
        else:
            break
        drop += 1
    rest = words[drop:]
    if not rest:
        return drop, role, rest, "n"
    if is_place(rest[0]) or not all(t in PARTICLES or is_name_like_token(t) for t in rest):
        return drop, role, rest, "n"
    if len(rest) == 1 and not role and not is_given_name(rest[0]):
        return drop, role, rest, "t"  # a run of one token is a person only beside a title
    return drop, role, rest, "y"


def _is_title_line(text: str, line_start: int) -> bool:
    """TITLE_LINE matches at ``line_start``; not tried where the line (after spaces and
    tabs) starts with a plain ASCII character other than "P", "p" or a digit."""
    first = text[line_start : line_start + 12].lstrip(" \t")[:1]
    if first and first.isascii() and first not in ("P", "p") and not first.isdigit():
        return False
    return bool(TITLE_LINE.match(text, line_start))


def _role_before(text: str, start: int) -> str | None:
    """A title before the name: "teamleder Nicolai Vedsted", "Afdelingsleder i
    Sygedagpengeafdelingen, Lars Holm"; it may end the line before, not a paragraph."""
    if start >= _TITLE_KEY:  # most names: a plain word before them, in the same paragraph
        key = text[start - _TITLE_KEY : start]
        if "\n\n" not in key and _TITLE_KEYS[key] is False and not key.rstrip().endswith(","):
            return None
    # the paragraph's start: a blank line further back than the 90 characters read does
    # not matter
    blank = text.rfind("\n\n", max(0, start - 91), start)
    line_start = blank + 2 if blank >= 0 else 0
    window = text[max(line_start, start - 90) : start]
    tail = window.rsplit(None, 1)
    if not tail:
        return None
    last = tail[-1].rstrip(",")
    if not tail[-1].endswith(",") and not (is_role(last) and last.isalpha()):
        return None
    words = window.rsplit(None, 8)  # the last eight words are read
    if is_role(last) and last.isalpha():
        earlier = words[-2] if len(words) > 1 else ""
        if words[-1].endswith(",") and (
            earlier in ("-", "–") or earlier.rstrip(",").endswith(")") or earlier.endswith(",")
        ):
            return None  # "Ib Holm (A) - formand, Eva Lund": the title is Ib Holm's
        return normal_role(last)
    if not words[-1].endswith(","):
        return None
    for i in range(len(words) - 2, max(-1, len(words) - 9), -1):
        if words[i].endswith((".", ":", ";")):
            return None
        if is_role(words[i]) and words[i].isalpha() and words[i + 1] in _ROLE_PREPOSITIONS:
            return normal_role(words[i])
    return None


def _read_context(run: _Run, text: str) -> None:
    """Party, role and list cues from the text around the run.

    Each pattern is tried only where the next few characters allow it (a "(" after white
    space, a capital after a space, …): most names are followed by none of them.
    """
    start, end = run.start, run.end
    line_start = text.rfind("\n", 0, start) + 1
    party, after = None, end
    ahead = text[end : end + 12]
    rest = ahead.lstrip()
    if not rest or rest[0] == "(":
        m = PARTY_IN_BRACKETS.match(text, end)
        if m and not (len(m["party"]) == 1 and _is_title_line(text, line_start)):
            letter = party_letter(m["party"])
            if letter:
                party, after = letter, m.end()
    if party is None and ahead[:1] in _BARE_SPACES:
        rest = ahead.lstrip(" \u00a0")
        if not rest or rest[0] in _BARE_INITIALS:
            m = PARTY_BARE.match(text, end)
            if m:
                party, after = party_letter(m["party"]), m.end()
    run.party, run.after = party, after
    if party and len(run.tokens) >= 2:
        run.strong = True
    if after != end:
        ahead = text[after : after + 12]
    if run.role is None:
        role = _role_before(text, start)
        if role is None:
            rest = ahead.lstrip(" \t")
            if not rest or rest[0] in _ROLE_AFTER_MARKS:
                m = ROLE_AFTER.match(text, after)
                if m and is_role(m["word"]):
                    role = normal_role(m["word"])
        if role:
            run.role, run.strong = role, True
    prefix = text[line_start:start]
    if (
        (":" in prefix and LIST_LABEL.match(prefix))
        or (("stemte" in prefix or "ndlod" in prefix) and VOTE_BEFORE.search(prefix[-40:]))
        or (_may_be_verb(ahead.lstrip(" \t,")[:3]) and PERSON_VERB_AFTER.match(text, after))
    ):
        run.list_cue = True


def _may_be_verb(head: str) -> bool:
    """``head``, the first three characters after a name (and its comma), may open a verb of
    PERSON_VERB_AFTER.  Plain ASCII matches a verb, whatever its case, only where its lower
    case does; other characters are left to the pattern."""
    return len(head) < 3 or not head.isascii() or head.lower() in _VERB_HEADS


def _title_just_before(text: str, start: int) -> bool:
    """The word before ``start`` is a title: "teamleder" in "teamleder Vedsted"."""
    before = text[max(0, start - 40) : start].rsplit(None, 1)  # the last word only
    return bool(before) and is_role(before[-1].rstrip(","))


# How many characters before a name _title_in_key reads
_TITLE_KEY = 7


def _title_in_key(key: str) -> bool | None:
    """Whether the last word of ``key``, the few characters before a name, is a title, when
    they tell: a whole word (" til ") or the end of one that no title ends in ("2023. ",
    "ller "); else None."""
    words = key.rsplit(None, 1)
    if not words:
        return None
    last = words[-1]
    if len(words) == 2 or key[0].isspace():  # the whole word is in the key
        return is_role(last.rstrip(","))
    end = last.rstrip(",")  # the end of the word before: its lower case ends the word's
    if not end or "Σ" in end:  # ("Σ" lowers by what stands before it)
        return None
    low = end.lower()
    if is_role(low):
        return True
    if low in _ROLE_ENDING_TAILS:
        return None
    return False


# ``_title_in_key`` per key: an item has some 250 runs that only a title makes a person
# ("teamleder Vedsted"), and most have the same few plain words before them
_TITLE_KEYS = _Kept(_title_in_key)


def _groups(runs: list[_Run], text: str) -> list[list[_Run]]:
    """Runs that form one list ("A (V), B og C")."""
    out: list[list[_Run]] = []
    for run in runs:
        if out:
            prev = out[-1][-1]
            gap = text[prev.end : run.start]
            if len(gap) <= 40 and "\n" not in gap and LIST_GAP.fullmatch(gap):
                out[-1].append(run)
                continue
        out.append([run])
    return out


def _without_genitive(run: _Run, text: str) -> str:
    """The name without a genitive: "Jan Kjeldmanns oplæg" → "Jan Kjeldmann" (not "Lars
    Holms" before a verb)."""
    name = " ".join(text[run.start : run.end].split())  # with particles: "Jens Peter la Cour"
    last = run.tokens[-1]
    if len(last) <= 4 or not last.endswith("s") or last[-2] not in _GENITIVE_CONSONANTS:
        return name
    nxt = NEXT_WORD.match(text, run.end)
    if (
        nxt
        and nxt["word"] not in _NOT_GENITIVE_NOUNS
        and not PERSON_VERB_AFTER.match(text, run.end)
    ):
        return name[:-1]
    return name


def _is_person(run: _Run, shared_cue: bool) -> bool:
    n = len(run.tokens)
    if run.tokens[-1] in PARTICLES:
        return False
    if run.strong and (n >= 2 or (run.role and is_given_name(run.tokens[0]))):
        return True
    if n < 2:
        return False
    if is_given_name(run.tokens[0]) or run.list_cue:
        return True
    return shared_cue and has_surname_shape(run.tokens[-1])


def _mentions(text: str) -> list[tuple[int, str, str | None, str | None]]:
    """Every person mention as (position, name, party letter, role)."""
    runs = []
    for tokens in _runs(text):
        if len(tokens) == 1:  # most runs: decided by the token's kind, without a _Run
            start, end, token = tokens[0]
            run = _Run(start, end, (token,))
        else:
            end = tokens[-1][1]
            drop, role, words, verdict = _trim(text[tokens[0][0] : end])
            start = tokens[drop][0] if drop < len(tokens) else 0
            if verdict == "n" or (verdict == "t" and not _title_just_before(text, start)):
                continue
            run = _Run(start, end, words, role, strong=role is not None)
        _read_context(run, text)
        runs.append(run)
    found = []
    for group in _groups(runs, text):
        shared = group[0].list_cue or group[-1].list_cue
        for run in group:
            if _is_person(run, shared):
                found.append((run.start, _without_genitive(run, text), run.party, run.role))
    return found


def find_people(text: str) -> list[Person]:
    """The people named in an item, once each, in order of first mention.

    Each gets the fullest form of the name the item prints (a first-name-only mention joins
    the one full name that starts with it), the party letter printed with any mention, and
    the first title printed beside the name.
    """
    people: dict[str, Person] = {}
    for _, name, party, role in _mentions(text):
        person = people.get(name.casefold())
        if person is None:
            person = people[name.casefold()] = Person(name)
        person.party = person.party or party
        person.role = person.role or role
    return merge_name_forms(list(people.values()))


def merge_name_forms(people: list[Person]) -> list[Person]:
    """Join a short form of a name ("Lis-Birgit", "Kasper Christensen") to the one fuller name
    it fits ("Lis-Birgit Holm", "Kasper Fuhr Christensen"), keeping the fuller name.

    Only when exactly one fuller name fits: two people who share a surname stay apart.
    """
    out = list(people)
    if len(out) < 2:
        return out
    # each name's count of words and its case-folded words, split once
    split = {id(p): (len(p.name.split()), p.name.casefold().split()) for p in people}
    for short in sorted(people, key=lambda p: split[id(p)][0]):
        short_tokens = split[id(short)][1]
        fits = [
            p
            for p in out
            if p is not short
            and split[id(p)][0] > len(short_tokens)
            and is_short_form(short_tokens, split[id(p)][1])
        ]
        if len(fits) != 1 or short not in out:
            continue
        full = fits[0]
        if short.party and full.party and short.party != full.party:
            continue
        full.party = full.party or short.party
        full.role = full.role or short.role
        position = min(out.index(short), out.index(full))
        out.remove(short)
        out.remove(full)
        out.insert(position, full)
    return out


def is_short_form(short: list[str], full: list[str]) -> bool:
    """["lis-birgit"] of ["lis-birgit", "holm"]; ["kasper", "christensen"] of ["kasper",
    "fuhr", "christensen"].  Tokens are case-folded."""
    if short[0] != full[0]:
        return False
    if len(short) == 1:
        return True
    return short[-1] == full[-1] and all(t in full for t in short)
