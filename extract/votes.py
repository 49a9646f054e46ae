"""Votes as minutes print them: counts, named voters, party blocs and abstentions.

Minutes print a vote in a handful of shapes, often several in one decision:

- counts: "Med stemmerne 9 for og 8 imod", "med 6 stemmer for og 1 stemme imod",
  "Forkastet med 3 stemmer mod 6", "ni for og otte imod", "Med stemmerne 18 for godkendte …";
- counts with their lists: "vedtaget med 26 stemmer (A, B, F og Ø) mod 5 (V og C)";
- a list after a side: "For stemte (V), (D) og Liselott Blixt (UP)", "Imod stemte: Ø",
  "For administrationens indstilling stemte: Ib Dam (A)", "For stemte 26: A, B, F og Ø";
- a list before a verb: "Ib Dam (V) og Kaj Lund (D) stemte imod", "A og C undlader",
  "(C) undlod at tage stilling", "Enhedslisten stemte imod", "Venstres medlemmer stemte imod";
- a majority or minority: "Et flertal bestående af (V) og (C) anbefaler",
  "Et mindretal bestående af (Ø) stemte imod".

A voter in a list is a party bloc — "(V)", "V", "(UP-1)", "Socialdemokratiet (A)" — or a
person, whose party mark is dropped ("Liselott Blixt (UP)" → "Liselott Blixt").  Counts are
those printed; a vote printed only as names has null counts (records.md).  Quoted statements
("”SF stemmer mod, da …”") are a member's words, not a vote, and are not read.  One vote
names each voter once: a voter named again opens a later vote, which is not this one's.
"""

from __future__ import annotations

from dataclasses import fields, replace
from functools import lru_cache

import regex as re

from kommunegraf.extract.entities.parties import INDEPENDENT_FORMS, PARTIES, party_letter
from kommunegraf.extract.records import Votes

_NUMBER_WORDS = {
    "ingen": 0, "nul": 0, "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4,
    "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
    "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17, "atten": 18,
    "nitten": 19, "tyve": 20, "enogtyve": 21, "toogtyve": 22, "treogtyve": 23,
    "fireogtyve": 24, "femogtyve": 25, "seksogtyve": 26, "syvogtyve": 27, "otteogtyve": 28,
    "niogtyve": 29, "tredive": 30, "enogtredive": 31,
}  # fmt: skip
_NUM = r"(?:\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![\p{L}\d])"
_SEP = r"(?:\s*,\s*|\s+og\s+|\s+)"
_STEMMER = r"(?:stemmer?\s+|stemte\s+)?"
# "med 6 stemmer for og 1 stemme imod", "Med stemmerne 9 for og 8 imod", "19 for 1 imod",
# "ni for og otte imod", "12 for og ingen imod", "7 stemmer for, 2 imod og 1 undlod",
# "26 stemte for, 5 stemte imod"
VOTE_FOR_AGAINST = re.compile(
    rf"(?<![\p{{L}}\d])(?P<for>{_NUM})\s+{_STEMMER}for{_SEP}(?P<against>{_NUM})\s+{_STEMMER}imod"
    rf"(?:(?:\s*,\s*|\s+og\s+)(?P<abstain>{_NUM})\s+(?:stemmer?\s+|stemte\s+)?"
    r"(?:undlod|undlader|hverken|blank))?",
    re.I,
)
# "Forkastet med 3 stemmer mod 6", "Godkendt med 7 mod 2 stemmer"
VOTE_X_MOD_Y = re.compile(
    rf"med\s+(?P<for>{_NUM})\s+(?:stemmer?\s+)?mod\s+(?P<against>{_NUM})", re.I
)
# Counts, each with its side's list in brackets: "vedtaget med 26 stemmer (A, B, F og Ø) mod 5
# (V og C)", "Godkendt med 7 stemmer for (A, B og Ø) og 4 imod (V og O)", "3 stemte for (Ø, F
# og A), 6 imod (V, C og O)"
VOTE_COUNTED_LISTS = re.compile(
    rf"(?<![\p{{L}}\d])(?P<for>{_NUM})\s+{_STEMMER}(?:for\s*)?\((?P<for_list>[^()]{{1,400}})\)"
    rf"(?:\s+mod\s+(?P<against>{_NUM})|\s*(?:,|og)\s*(?P<against2>{_NUM})\s+(?:stemmer?\s+)?imod)"
    r"(?:\s*(?:stemmer?\s*)?\((?P<against_list>[^()]{1,400})\))?",
    re.I,
)
# "Taget til efterretning med 6 stemmer.", "Med stemmerne 18 for godkendte byrådet …" (a count
# with no side against: only the votes for)
VOTE_ONLY_FOR = re.compile(
    rf"med\s+(?P<for>{_NUM})\s+stemmer\b(?!\s+(?:for|imod|mod)\b)"
    rf"|stemmerne\s+(?P<for2>{_NUM})\s+for\b(?!{_SEP}{_NUM}\s+{_STEMMER}imod)",
    re.I,
)

# A party's code as printed: "V", "UP", "UP-1", "UP1", "SF"
_CODE = r"\p{Lu}{1,3}(?:-?\d)?"
_PARTY_NAMES = sorted(
    {f for p in PARTIES for f in (p.name, *p.forms) if len(f) > 3} | set(INDEPENDENT_FORMS),
    key=len,
    reverse=True,
)
_PARTY_NAME = "(?:" + "|".join(re.escape(f) for f in _PARTY_NAMES) + r")(?![\p{L}\d])"
# Capitalised words that open a sentence, never a name: "Endvidere Ib Dam stemte imod"
_NOT_FIRST = (
    r"(?!(?:Endvidere|Derudover|Desuden|Dog|Men|Og|Også|Herefter|Hvor|Her|Der|Det|Den|De|Et"
    r"|En|For|Imod|Mod|Undlod|Undlader|Hverken|Sagen|Punktet|Udvalget|Byrådet|Forslaget"
    r"|Indstillingen|Borgmester|Borgmesteren|Viceborgmester|Formand|Formanden|Næstformand"
    r"|Næstformanden|Rådmand|Rådmanden|Udvalgsformand)(?![\p{L}'’-])"
    # nor an outcome: "Godkendt Ib Dam (V) undlader", "Anbefales Ib Dam (Ø) stemmer imod"
    r"|(?:Godkend|Anbefal|Vedtag|Drøft|Tage?t\b|Tiltr|Forkast|Afvis|Udsat|Indstil|Bevil|Noteret"
    r"|Orienter|Besluttet)\p{L}*)"
)
# A word of an institution, never of a name: "Ishøj Kommune", "Økonomiudvalget", "Tune Skole"
# (a list of items run into a name: "… fra Ishøj Kommune Mehmet Zeki Dogru (Ø) stemmer imod")
_INSTITUTION = (
    r"(?!(?i:\p{L}*(?:kommunes?|udvalg(?:et|ets)?|skolen?|cent(?:er|ret|eret)|rådet|regionen?"
    r"|forvaltningen|administrationen|sekretariatet|selskab(?:et)?))(?![\p{L}'’-]))"
)
_WORD = rf"{_INSTITUTION}\p{{Lu}}\p{{Ll}}[\p{{L}}'’]*(?:-\p{{L}}[\p{{L}}'’]*)*"
_PARTICLE = r"(?:de|da|du|van|von|la|le|af)"
# A person's name of two to six words: "John T. Olsen", "Ib Ravn de Neergaard", "Hans-Jørgen Bo"
_NAME = (
    rf"{_NOT_FIRST}{_WORD}(?:\s+(?:{_PARTICLE}\s+)?(?:\p{{Lu}}\.|{_WORD})){{0,4}}"
    rf"\s+(?:{_PARTICLE}\s+)?{_WORD}"
)
_MARK = rf"\(\s*(?:{_CODE}|{_PARTY_NAME})\s*\)"
# A title before a voter's name, not part of it: "Borgmester Ib Dam (A)", "formand Eva Lund"
_ROLE = r"(?:(?i:borgmester|viceborgmester|formand|næstformand|rådmand|udvalgsformand)(?:en)?\s+)"
# A party's members as a bloc: "Venstres medlemmer", "Socialdemokratiets byrådsgruppe"
_PARTY_MEMBERS = (
    "(?:" + "|".join(re.escape(f) for f in _PARTY_NAMES) + r")s\s+(?:medlemmer(?:ne)?"
    r"|(?:byråds|udvalgs)?gruppe(?:n)?)(?![\p{L}\d])"
)
# The party name a bloc opens with: "Socialdemokratiet", "Venstre" of "Venstres medlemmer"
PARTY_NAME_START = re.compile("(?:" + "|".join(re.escape(f) for f in _PARTY_NAMES) + ")")
# One voter: a party bloc or a person (a one-word person only with a party mark).
VOTER = (
    rf"(?<![\p{{L}}\d])(?:(?P<bloc>\(\s*{_CODE}\s*\)|{_CODE}\)|{_PARTY_MEMBERS}"
    rf"|{_PARTY_NAME}(?:\s*{_MARK})?|{_CODE}(?![\p{{L}}\d'’-]))"
    rf"|{_ROLE}?(?P<person>{_NAME}|{_NOT_FIRST}{_WORD}(?=\s*\())"
    rf"(?:\s*{_MARK}|\s+fra\s+\(?{_CODE}\)?)?)"
)
# Between two voters: ", ", " og ", ", og ", " samt ", " & ", or a space after a party mark
# (a comma left out: "Ib Dam (V) Kaj Lund (D)")
LIST_SEPARATOR = r"(?:\s*,\s*(?:og\s+|samt\s+)?|\s+(?:og|samt|&)\s+|(?<=\))\s+(?=[\p{Lu}(]))"
_VOTER_PLAIN = VOTER.replace("(?P<bloc>", "(?:").replace("(?P<person>", "(?:")
# "(V), (D) og Liselott Blixt (UP)", "Ane Bro og Bo Dam (2)" (a printed count after the list)
VOTER_LIST = re.compile(
    rf"(?P<list>{_VOTER_PLAIN}(?:{LIST_SEPARATOR}{_VOTER_PLAIN})*)"
    r"(?:\s*\((?P<count>\d{1,2})\))?"
)
# One voter alone, to take a list apart: "(V)", "Liselott Blixt (UP)"
ONE_VOTER = re.compile(VOTER)

# A side, then its list: "For stemte (V)", "Imod stemte: Ø", "For forslaget stemte Eva Gran",
# "For administrationens indstilling stemte:", "Undlod at stemme: F", "Hverken for eller imod:",
# "For stemte 26: A, B, F og Ø" (the side's count before its list)
SIDE_BEFORE = re.compile(
    r"(?<![\p{L}\d])(?P<side>For|Imod|Mod|Undlod\s+at\s+(?:stemme|tage\s+stilling)|Undlader"
    r"|Hverken\s+for\s+eller\s+imod|Blank(?:t|e)?)"
    r"(?:\s+(?:\p{Ll}+s\s+)?(?:indstilling|forslag|ændringsforslag|punkt|beslutningsforslag)"
    r"\p{Ll}*(?:\s+\d{1,2}\p{Ll}?)?)?"
    r"(?:(?:(?:\s+stemte)+|\s+stemmer)"
    r"(?:\s+(?P<count>\d{1,2})\s*:|\s*\((?P<count2>\d{1,2})\)\s*:|\s*:)?|\s*:)\s*"
)
# A list, then its verb: "Ib Dam (V) stemte imod", "A og C undlader", "(C) undlod at tage
# stilling", "V, D og Liselott Blixt (UP) stemmer imod", "(F) udlod at tage stilling"
SIDE_AFTER = re.compile(
    r"(?P<side>stemte\s+(?:for|imod|i\s+mod|mod|blankt)|stemmer\s+(?:for|imod|i\s+mod|mod|blankt)"
    r"|u(?:nd|d)?l(?:od|ader)(?:\s+at\s+(?:stemme|tage\s+stilling)|\s+stillingtagen)?"
    r"|tog\s+ikke\s+stilling|afstod\s+fra\s+at\s+stemme|afholdt\s+sig\s+fra\s+at\s+stemme)"
    r"(?![\p{L}\d])"  # lower case: "Undlod at stemme: …" opens a list, it ends none
)
# "Et flertal bestående af (V) og (C) anbefaler", "et mindretal (Ø)", "Flertallet: A og V",
# "et flertal bestående af forligsparterne; Venstre, …" (a label before the list)
MAJORITY = re.compile(
    r"(?<![\p{L}\d])(?P<side>flertal|mindretal)(?:let)?(?:\s+i\s+\p{L}+)?"
    r"\s*(?:bestående\s+af|\(|:)\s*(?:\p{L}+\s*[;:]\s*)?",
    re.I,
)
# A member's competence put to a vote: "Ib Dam (A) spurgte, om han var inhabil i sagens
# behandling", "Udvalget stemte om Ib Dam kunne deltage i sagens behandling"
COMPETENCE = re.compile(
    r"\b(?:in)?habil(?:itet)?\b|\bkunne\s+deltage\s+i\s+(?:sagens|punktets)\s+behandling", re.I
)
# The body's ruling that ends that vote: "Udvalget erklærede Ib Dam for inhabil …."
COMPETENCE_RULING = re.compile(r"\berklære(?:de|r)\b[^.]*", re.I)
# A quoted statement: ”…”, “…”, "…", «…», „…“
QUOTED = re.compile(r"[\"”“„«][^\"”“„«»]*[\"”“»]")


def _side(words: str) -> str:
    """for | against | abstain from the words that name a side ("stemte imod" → against)."""
    w = words.lower()
    if "hverken" in w or "undl" in w or "udlod" in w or "blank" in w or "stilling" in w:
        return "abstain"
    if "afstod" in w or "afholdt" in w:
        return "abstain"
    if "mindretal" in w or w.endswith("mod") or "imod" in w:
        return "against"
    return "for"


def _competence_spans(text: str) -> list[tuple[int, int]]:
    """Where a member's competence is voted on, from the question to the body's ruling.

    That vote is about a member ("For stemte: … Udvalget erklærede Ib Dam for inhabil"), not
    about the item; the decision's own vote comes after it.
    """
    spans: list[tuple[int, int]] = []
    if "habil" not in text and "deltage" not in text:
        return spans
    for m in COMPETENCE.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue  # the ruling's own "inhabil"
        ruling = COMPETENCE_RULING.search(text, m.end(), m.end() + 1_500)
        spans.append((m.start(), ruling.end() if ruling else m.end()))
    return spans


def _number(token: str | None) -> int | None:
    if token is None:
        return None
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token.lower())


def _blank_quotes(text: str) -> str:
    """The text with quoted statements blanked out (same length, so positions still hold)."""
    if not any(q in text for q in '"”“„«'):
        return text
    return QUOTED.sub(lambda m: " " * len(m.group()), text)


def _voters(listed: str) -> tuple[list[str], list[str]]:
    """Person names (party marks dropped) and party codes in a list of voters."""
    names: list[str] = []
    parties: list[str] = []
    for m in ONE_VOTER.finditer(listed):
        if m["person"]:
            names.append(" ".join(m["person"].split()))
            continue
        token = m["bloc"]
        inner = re.search(r"\((?P<c>[^()]*)\)", token)  # "(V)", "Socialdemokratiet (A)" → A
        named = PARTY_NAME_START.match(token)  # "Venstres medlemmer" → Venstre
        printed = token.strip("() ")
        if inner or named:
            printed = inner["c"].strip() if inner else named.group()  # type: ignore[union-attr]
        parties.append(party_letter(printed) or printed)
    return names, parties


class _Sides:
    """Names and party codes on each side, in order of first appearance."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {"for": [], "against": [], "abstain": []}
        self.parties: dict[str, list[str]] = {"for": [], "against": [], "abstain": []}
        self.counts: dict[str, int] = {}
        self.seen: set[str] = set()

    def add(self, side: str, listed: str, count: str | None = None) -> bool:
        """Add a list to its side; False (and nothing added) where a voter of it has voted
        already: one vote holds each voter once, so the list belongs to a later vote."""
        names, parties = _voters(listed)
        voters = {f"name:{n}" for n in names} | {f"party:{p}" for p in parties}
        if voters & self.seen:
            return False
        self.seen |= voters
        for name in names:
            if name not in self.names[side]:
                self.names[side].append(name)
        for party in parties:
            if party not in self.parties[side]:
                self.parties[side].append(party)
        if count and side not in self.counts:
            self.counts[side] = int(count)
        return True

    def __bool__(self) -> bool:
        return any(self.names.values()) or any(self.parties.values()) or bool(self.counts)


# "ingen" after a side: "Imod stemte: ingen" (nobody, a count of 0)
NOBODY = re.compile(r"ingen(?![\p{L}\d])", re.I)


# More lists than one vote ever prints: a scan stops after this many (the reading stops at
# the first voter named twice, long before, in any real vote)
_MAX_LISTS = 60
# More sides than one decision ever prints: a scan stops after this many
_MAX_SIDES = 240
# Longer than any list of voters (a council of 31, each "Hans-Jørgen Kirstein (UP-2), "):
# a list is read no further
_LIST_SPAN = 2_000


def _read_lists(
    text: str,
    start: int,
    stop: int,
    given: list[tuple[int, str, str | None, str | None]],
    procedural: list[tuple[int, int]],
) -> _Sides:
    """The lists of voters of the first vote between ``start`` and ``stop``, by side.

    Lists are read in the order printed; the first list that names a voter again opens a
    later vote ("A stemmer for og V stemmer imod. … V stemmer for og A undlader"), and ends
    the reading.  Lists inside ``procedural`` spans (a vote on a member's competence) are
    skipped.
    """
    lowered = text.lower()
    found = list(given)  # (start, side, list, count): the lists a count printed, and …
    covered: list[tuple[int, int]] = []  # the lists found so far: no list is read twice
    if "stem" in lowered or ":" in text:
        for n, m in enumerate(SIDE_BEFORE.finditer(text, start, stop)):
            if len(found) > _MAX_LISTS or n > _MAX_SIDES:
                break
            side = _side(m["side"])
            end = min(stop, m.end() + _LIST_SPAN)
            printed = m["count"] or m["count2"]  # "For stemte 26: …"
            if NOBODY.match(text, m.end(), end):
                found.append((m.start(), side, None, "0"))
            elif listed := VOTER_LIST.match(text, m.end(), end):
                found.append((m.start(), side, listed["list"], printed or listed["count"]))
                covered.append((listed.start(), listed.end()))
    if "stem" in lowered or "lod" in lowered or "lader" in lowered or "stilling" in lowered:
        for n, m in enumerate(SIDE_AFTER.finditer(text, start, stop)):
            if len(covered) > _MAX_LISTS or n > _MAX_SIDES:
                break
            # the list starts after any list found before it, within 400 characters
            before = [b for _, b in covered if b <= m.start()]
            window_start = max(start, m.start() - 400, *before)
            listed = _list_ending_at(text, window_start, m.start())
            if listed is not None:
                found.append((listed.start(), _side(m["side"]), listed.group("list"), None))
                covered.append((listed.start(), listed.end()))
    if "flertal" in lowered or "mindretal" in lowered:
        for n, m in enumerate(MAJORITY.finditer(text, start, stop)):
            if n > _MAX_SIDES:
                break
            listed = VOTER_LIST.match(text, m.end(), min(stop, m.end() + _LIST_SPAN))
            if listed and not any(a <= listed.start() < b for a, b in covered):
                found.append((m.start(), _side(m["side"]), listed["list"], None))
    sides = _Sides()
    for at, side, listed, count in sorted(found, key=lambda f: f[0]):
        if any(a <= at < b for a, b in procedural):
            continue  # a vote on a member's competence

        if listed is None:
            sides.counts.setdefault(side, 0)
        elif not sides.add(side, listed, count):
            break
    return sides


# The end of a list right before its verb
_LIST_BEFORE_VERB = re.compile(rf"(?:{VOTER_LIST.pattern})\s*$")


def _list_ending_at(text: str, start: int, end: int) -> re.Match[str] | None:
    """The longest list of voters that ends right before ``end`` (its verb)."""
    return _LIST_BEFORE_VERB.search(text, start, end)


# A vote's words: a text without any of them (or a colon) holds no vote
_VOTE_WORDS = ("stem", "undl", "udlod", "flertal", "mindretal", "mod", "stilling", "afstod")


def votes_of(text: str) -> Votes | None:
    """The first vote printed in a decision: counts, and the names and parties on each side.

    A decision may print several votes (an amendment, then the proposal); names and blocs
    belong to the first count's vote, up to the next count.  Read once per wording (most
    decisions print one of a few); each caller gets its own copy, since records are mutable.
    """
    kept = _votes_kept(text)
    if kept is None:
        return None
    return replace(kept, **{name: list(getattr(kept, name)) for name in _LIST_FIELDS})


# The fields of Votes that hold lists (copied for each caller of votes_of)
_LIST_FIELDS = tuple(f.name for f in fields(Votes) if f.default_factory is list)


@lru_cache(maxsize=4096)
def _votes_kept(text: str) -> Votes | None:
    """``votes_of`` before the copy: never changed by anyone, as it is shared."""
    lowered = text.lower()
    if ":" not in text and not any(w in lowered for w in _VOTE_WORDS):
        return None
    text = _blank_quotes(text)
    stemme = "stem" in lowered
    patterns = (
        (VOTE_FOR_AGAINST, "for" in lowered),
        (VOTE_COUNTED_LISTS, "(" in text and "mod" in lowered),
        (VOTE_X_MOD_Y, "mod" in lowered),
        (VOTE_ONLY_FOR, stemme),
    )
    procedural = _competence_spans(text)
    counts = [
        m
        for pattern, cue in patterns
        if cue
        for m in pattern.finditer(text)
        if not any(a <= m.start() < b for a, b in procedural)  # not a member's competence
    ]
    counts.sort(key=lambda m: (m.start(), -m.end()))
    # counts that overlap are one vote ("stemmerne 9 for" in "9 for og 8 imod", "med 26
    # stemmer" in "26 stemmer (A, B) mod 5 (V)"): the longest reading stands
    kept: list[re.Match[str]] = []
    for m in counts:
        if kept and m.start() < kept[-1].end():
            if m.end() - m.start() > kept[-1].end() - kept[-1].start():
                kept[-1] = m
            continue
        kept.append(m)
    first = kept[0] if kept else None
    stop = kept[1].start() if len(kept) > 1 else len(text)
    given: list[tuple[int, str, str | None, str | None]] = []
    if first is not None and first.re is VOTE_COUNTED_LISTS:
        given.append((first.start("for_list"), "for", first["for_list"], None))
        if first["against_list"]:
            given.append((first.start("against_list"), "against", first["against_list"], None))
    sides = _read_lists(text, 0, stop, given, procedural)
    if first is None and not sides:
        return None
    votes = Votes()
    if first is not None:
        groups = first.groupdict()
        votes.for_ = _number(groups.get("for") or groups.get("for2"))
        votes.against = _number(groups.get("against") or groups.get("against2"))
        votes.abstain = _number(groups.get("abstain"))
    if votes.for_ is None:
        votes.for_ = sides.counts.get("for")
    if votes.against is None:
        votes.against = sides.counts.get("against")
    if votes.abstain is None:
        votes.abstain = sides.counts.get("abstain")
    votes.for_names, votes.for_parties = sides.names["for"], sides.parties["for"]
    votes.against_names, votes.against_parties = sides.names["against"], sides.parties["against"]
    votes.abstain_names, votes.abstain_parties = sides.names["abstain"], sides.parties["abstain"]
    return votes
