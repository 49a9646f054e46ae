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

from dataclasses import dataclass

import regex as re

from extract.entities.names import (
    PARTICLES,
    SENTENCE_WORDS,
    capitalised_tokens,
    has_surname_shape,
    is_given_name,
    is_name_like_token,
    is_name_token,
    is_place,
)
from extract.entities.parties import PARTY_BARE, PARTY_IN_BRACKETS, party_letter
from extract.records import Person

# Endings of title words: "teamleder", "Afdelingsleder", "borgmester", "direktør"
ROLE_ENDINGS = (
    "leder", "chef", "direktør", "konsulent", "koordinator", "rådgiver", "formand", "mester",
    "sekretær", "fuldmægtig", "specialist", "minister", "rådmand", "ordfører", "sagsbehandler",
    "psykolog", "jurist", "revisor", "advokat", "sygeplejerske", "terapeut", "inspektør",
    "forstander", "udvalgsmedlem", "byrådsmedlem",
)  # fmt: skip
_ROLE_ENDINGS_DEFINITE = tuple(e + "en" for e in ROLE_ENDINGS)
# Prepositions between a title and its unit: "afdelingsleder i …", "leder af …"
_ROLE_PREPOSITIONS = frozenset(("i", "for", "ved", "hos", "på", "af"))

# A title after the name (and its party): ", afdelingsleder i …", " - formand", " (formand)"
ROLE_AFTER = re.compile(r"[ \t]*(?:,|-|–|\()[ \t]*(?P<word>\p{L}+)")
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
PERSON_VERB_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:var[ \t]+(?:fraværende|ikke[ \t]+til[ \t]+stede|inhabil)|deltog"
    r"|deltager|stemte|undlod|tog[ \t]+forbehold|begærede|mener|mente|foreslog|foreslår"
    r"|anbefaler|anbefalede|bemærkede|bemærker|oplyste|orienterede|fremlagde|præsenterede"
    r"|forlod|havde[ \t]+afbud|meldte[ \t]+afbud|erklærede|ønskede[ \t]+at|tilkendegav"
    r"|spurgte)(?!\p{L})",
    re.IGNORECASE,
)
# Between two names of one list: ", ", " og ", ", samt " (a party mark may sit before it)
LIST_GAP = re.compile(
    r"(?:[ \t]*\([^()\n]{1,25}\))?(?:[ \t]+(?:SF|DF|EL|LA|RV|KD))?"
    r"(?:[ \t]*,[ \t]*(?:og[ \t]+|samt[ \t]+)?|[ \t]+(?:og|samt)[ \t]+)"
)
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
    tokens: list[str]
    role: str | None = None
    party: str | None = None
    strong: bool = False  # a party or a title beside it: a person whatever the tokens
    list_cue: bool = False  # a label or a verb that its whole list shares
    after: int = 0  # where the text after the name (and its party) starts


def _runs(text: str) -> list[_Run]:
    """Runs of name tokens on one line: "Kasper Fuhr Christensen", "Ib Ravn de Neergaard"."""
    runs: list[_Run] = []
    current: _Run | None = None
    for start, end, token in capitalised_tokens(text):
        if not is_name_token(token):
            current = None
            continue
        if current is not None and text[current.end : start] in NAME_GAPS:
            current.tokens.append(token)
            current.end = end
        else:
            current = _Run(start, end, [token])
            runs.append(current)
    return runs


def _trim(run: _Run, text: str) -> None:
    """Drop sentence words and a leading title ("Teamleder Lis-Birgit") from the left."""
    while run.tokens:
        first = run.tokens[0]
        if first.lower() in SENTENCE_WORDS:
            pass
        elif len(run.tokens) > 1 and is_role(first):
            run.role = run.role or normal_role(first)
            run.strong = True
        elif len(run.tokens) > 2 and not is_given_name(first) and is_given_name(run.tokens[1]):
            pass  # "Godkendt Jens Hansen": a capitalised word opening the sentence
        else:
            return
        if len(run.tokens) == 1:
            run.tokens = []
            return
        run.start = text.index(run.tokens[1], run.start + len(first))
        run.tokens = run.tokens[1:]


def _previous_words(text: str, line_start: int, start: int, width: int = 90) -> list[str]:
    return text[max(line_start, start - width) : start].split()


def _role_before(text: str, line_start: int, start: int) -> str | None:
    """A title before the name: "teamleder Nicolai Vedsted", "Afdelingsleder i
    Sygedagpengeafdelingen, Lars Holm"."""
    words = _previous_words(text, line_start, start)
    if not words:
        return None
    last = words[-1].rstrip(",")
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
    """Party, role and list cues from the text around the run."""
    line_start = text.rfind("\n", 0, run.start) + 1
    run.after = run.end
    m = PARTY_IN_BRACKETS.match(text, run.end)
    if m and not (len(m["party"]) == 1 and TITLE_LINE.match(text, line_start)):
        letter = party_letter(m["party"])
        if letter:
            run.party, run.after = letter, m.end()
    if run.party is None:
        m = PARTY_BARE.match(text, run.end)
        if m:
            run.party, run.after = party_letter(m["party"]), m.end()
    if run.party and len(run.tokens) >= 2:
        run.strong = True
    if run.role is None:
        blank = text.rfind("\n\n", 0, run.start)  # a title may end the line before
        role = _role_before(text, blank + 2 if blank >= 0 else 0, run.start)
        if role is None:
            m = ROLE_AFTER.match(text, run.after)
            if m and is_role(m["word"]):
                role = normal_role(m["word"])
        if role:
            run.role, run.strong = role, True
    prefix = text[line_start : run.start]
    if (
        (":" in prefix and LIST_LABEL.match(prefix))
        or (("stemte" in prefix or "ndlod" in prefix) and VOTE_BEFORE.search(prefix[-40:]))
        or PERSON_VERB_AFTER.match(text, run.after)
    ):
        run.list_cue = True


def _may_be_person(run: _Run, text: str) -> bool:
    """A cheap first look: a run of one token is a person only beside a title or a given name."""
    tokens = run.tokens
    if len(tokens) == 1 and not run.role and not is_given_name(tokens[0]):
        before = text[max(0, run.start - 40) : run.start].split()
        if not before or not is_role(before[-1].rstrip(",")):
            return False
    return not is_place(tokens[0]) and all(t in PARTICLES or is_name_like_token(t) for t in tokens)


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
    for run in _runs(text):
        _trim(run, text)
        if run.tokens and _may_be_person(run, text):
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
        person = people.setdefault(name.casefold(), Person(name))
        person.party = person.party or party
        person.role = person.role or role
    return merge_name_forms(list(people.values()))


def merge_name_forms(people: list[Person]) -> list[Person]:
    """Join a short form of a name ("Lis-Birgit", "Kasper Christensen") to the one fuller name
    it fits ("Lis-Birgit Holm", "Kasper Fuhr Christensen"), keeping the fuller name.

    Only when exactly one fuller name fits: two people who share a surname stay apart.
    """
    out = list(people)
    for short in sorted(people, key=lambda p: len(p.name.split())):
        short_tokens = short.name.casefold().split()
        fits = [
            p
            for p in out
            if p is not short
            and len(p.name.split()) > len(short_tokens)
            and is_short_form(short_tokens, p.name.casefold().split())
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
