"""Named projects, programmes, schemes and offers in one agenda item's text.

A project is a bounded initiative with a proper name.  Minutes mark such names in a few
recognisable ways, and each is one rule here:

- quotation marks around a capitalised name: projektet "Sammen i Foreninger", »Go Digital«;
- a cue word right before a capitalised name: tilbuddet Vejen Frem, projektet Naboskab;
- a capitalised name right before a cue word: Sund Start ordning;
- the name glued to its cue word: Kolding-modellen, Kystbyen-projektet;
- a capitalised compound ending in a cue word inside a sentence, optionally with its year or
  owner: "i Klimaplan 2030", "for Roskilde Kommunes Klimastrategi";
- a compound cue word that is the subject of the item's title: "Orientering om
  frivilligpuljen";
- a name introduced as an offer or naming: "Unge på Vej, der er et tilbud …", "Klar til
  Start - et tilbud til …", "Trivselsløftet, som projektet kaldes";
- a programme with its abbreviation: "sundheds- og omsorgsprogrammet (SOP)";
- a political agreement by its title: "Aftale om Grøn Omstilling";
- a list entry printed as a title: "- Sund Mad.", "3. Aktiv Fritid/…".

Generic activities (lowercase "ungeindsatsen"), quotations that are not names (a target
group after "målgruppen", a talk title after "oplæg", an attachment after "bilag"), laws
and organisations are left out.  A name printed again in a shorter form ("Sund By" after
"Sund By 2.0") is the same project; a fuller form printed later
replaces a shorter one.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

from kommunegraf.extract.entities.mentions import (
    LATIN1_ALPHA,
    LATIN1_UPPER,
    lower,
    near,
    next_char,
    positions,
    skip_blanks_back,
)
from kommunegraf.extract.entities.project_patterns import (
    ABBREVIATED,
    ABBREVIATED_ENDINGS,
    ABBREVIATION_DOT,
    ACRONYM_CAPITALS,
    ACRONYM_IN_PARENTHESES,
    AGREEMENT,
    CALLED,
    CAPITALISED_COMPOUND,
    CONNECTORS,
    CUE_STEMS,
    CUE_THEN_NAME,
    ENDING_STEMS,
    HEADER_OPENERS,
    HEADING_WORDS,
    HYPHEN_STEMS,
    HYPHENATED,
    ITEM_HEADER,
    LAW_OR_DATE,
    LETTER_CHARS,
    LIST_LINE_OPENING,
    LIST_LINE_START,
    LIST_TITLE,
    LOWER_WORD,
    NAME_FOLLOWS,
    NAME_THEN_CUE,
    NAMED_AS,
    NOT_NAME_BEFORE,
    NOT_NAME_OPENERS,
    NUMBER_FOLLOWS,
    ORGANISATION_WORDS,
    OWNER_BEFORE,
    PARTY_FOLLOWS,
    PRESENTED_AS,
    PRESENTING,
    QUOTE_NEEDLES,
    QUOTED,
    STEMS,
    TITLE_SUBJECT,
    TITLE_SUBJECT_ENDINGS,
    WORD,
    WORD_CHARS,
)
from kommunegraf.extract.records import Project
from kommunegraf.extract.text.slugs import law_slug


@dataclass
class _Candidate:
    start: int
    name: str


@dataclass
class _Anchors:
    """Where the rules' patterns are tried, all found in one scan for the stems."""

    cues: list[tuple[int, int]]  # (start, end) of each cue word ("tilbuddet")
    after: list[int]  # a cue word before a capitalised word ("tilbuddet Vejen Frem")
    before: list[int]  # a cue word after a capitalised word ("Sund Start ordning")
    named: list[int]  # a cue word before "kaldet", "navnet" ("projekt, kaldet Ny Start")
    presented: list[int]  # a cue word after "er et", "- en" ("…, der er et tilbud")
    named_as: list[int]  # a cue word after "som" ("…, som projektet kaldes")
    endings: list[int]  # an ending stem inside a capitalised word ("Klimaplan")
    glued: list[int]  # a stem glued to a hyphen ("Kolding-modellen")


def _anchors(text: str, lowered: str) -> _Anchors:
    """Find the stems (in any case; ``lowered`` is ``text.lower()``) and sort each occurrence
    to the rules that try their patterns there.

    One scan per stem (str.find is fast) and plain character tests in place of a regex call at
    each occurrence: a text holds about a dozen stems, most in words that name nothing.
    """
    if len(lowered) == len(text):
        hay, needles = lowered, STEMS
    else:  # a letter whose lower case is longer shifts positions: search each case instead
        hay, needles = text, STEMS + tuple(stem.capitalize() for stem in STEMS)
    size = len(text)
    cues: list[tuple[int, int]] = []
    endings: list[int] = []
    glued: list[int] = []
    for needle in needles:
        if needle not in hay:  # most stems are absent; "in" is as fast as str.find
            continue
        at = hay.find(needle)
        stem = needle.lower()
        cue, ending, hyphen = stem in CUE_STEMS, stem in ENDING_STEMS, stem in HYPHEN_STEMS
        while at >= 0:
            prev = text[at - 1] if at else ""
            inside = prev in LATIN1_ALPHA or (prev > "\xff" and prev.isalpha())
            if cue:
                # a cue word ("tilbuddet", "pilotprojektet"), not a compound ("specialtilbud")
                start = at
                if inside:
                    start = -1
                    if prev in "tT" and text[at - 5 : at].lower() == "pilot":
                        c = text[at - 6] if at > 5 else ""
                        if not (c in LATIN1_ALPHA or (c > "\xff" and c.isalpha())):
                            start = at - 5
                if start >= 0:
                    end = at + len(stem)  # a stem is all letters; the word may go on
                    while end < size and (
                        text[end] in LETTER_CHARS.latin1
                        or (text[end] > "\xff" and text[end] in LETTER_CHARS)
                    ):
                        end += 1
                    cues.append((start, end))
            if ending and inside:  # inside a capitalised word (a short walk back)
                i = at - 1
                while (
                    i > 0
                    and at - i < 40
                    and (
                        text[i - 1] in LATIN1_ALPHA
                        or (text[i - 1] > "\xff" and text[i - 1].isalpha())
                    )
                ):
                    i -= 1
                if text[i] in LATIN1_UPPER or (text[i] > "\xff" and text[i].isupper()):
                    endings.append(at)
            if hyphen and prev == "-":
                glued.append(at)
            at = hay.find(needle, at + 1)
    cues.sort()
    endings.sort()
    glued.sort()
    return _cue_contexts(text, cues, endings, glued)


def _cue_contexts(
    text: str, cues: list[tuple[int, int]], endings: list[int], glued: list[int]
) -> _Anchors:
    """Sort the cue words to the rules by what stands around them."""
    anchors = _Anchors(cues, [], [], [], [], [], endings, glued)
    size = len(text)
    word_chars = WORD_CHARS.latin1
    for start, end in cues:
        i = end
        while i < size and text[i] in " \t":
            i += 1
        if i > end and i < size:
            c = text[i]
            if c in LATIN1_UPPER or (c > "\xff" and c.isupper()):
                anchors.after.append(start)
        if start and text[start - 1] in " \t\n":
            # PREVIOUS_WORD searched in the 40 characters before the cue word, walked back
            # over the characters as it would match; is the word's first letter a capital?
            window = start - 40 if start > 40 else 0
            stop = start - 1 if text[start - 1] == "\n" else start  # "$" before a last "\n"
            blanks = stop
            while blanks > window and text[blanks - 1] in " \t":
                blanks -= 1
            first = blanks
            while first > window and (
                text[first - 1] in word_chars
                or (text[first - 1] > "\xff" and text[first - 1] in WORD_CHARS)
            ):
                first -= 1
            if blanks < stop and first < blanks:
                c = text[first - 1] if first else ""
                # at the window's edge, the word must not go on before it (a lookbehind)
                whole = first > window or not (c in word_chars or (c > "\xff" and c in WORD_CHARS))
                c = text[first]
                if whole and (c in LATIN1_UPPER or (c > "\xff" and c.isupper())):
                    anchors.before.append(start)
        after = text[end : end + 60]
        if "kaldet" in after or "navnet" in after:  # a naming within 60 characters
            anchors.named.append(start)
        before = text[start - 15 if start > 15 else 0 : start]
        if (" et " in before or " en " in before) and PRESENTING.search(before):
            anchors.presented.append(start)
        if "som" in before:
            anchors.named_as.append(start)
    return anchors


def _fold(text: str) -> str:
    return " ".join(text.split())


def _words_before(text: str, start: int, n: int) -> list[str]:
    return [w.lower().strip(".,:;") for w in text[max(0, start - 60) : start].split()[-n:]]


def _mid_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` follows a word of the same sentence."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return 0 < i < start and (text[i - 1].isalpha() or text[i - 1] == ",")


def _plausible(name: str) -> bool:
    """No more than a dozen words, no law or date, and no heading's or note's first word
    ("Orientering om …", "Status på …")."""
    words = name.split()
    return (
        bool(words)
        and len(words) <= 12
        and words[0].casefold() not in HEADING_WORDS
        and not LAW_OR_DATE.search(name)
    )


def _organisation(name: str) -> bool:
    """An unquoted capitalised name that opens or ends like an organisation ("Center Nord",
    "ABC Kolding": an abbreviation before a place)."""
    words = name.split()
    if len(words) > 1 and len(words[0]) > 1 and words[0].isupper():
        return True
    return words[0].lower() in ORGANISATION_WORDS or words[-1].lower() in ORGANISATION_WORDS


def _quoted(text: str) -> list[_Candidate]:
    found = []
    done = 0
    for anchor in positions(text, QUOTE_NEEDLES):
        if anchor < done:
            continue  # inside (or closing) the quotation just read
        m = QUOTED.match(text, anchor)
        if not m:
            continue
        done = m.end()
        name = _fold(m["name"]).strip(" ,.;:-–")
        if not name or not name[0].isupper() or name.endswith(("?", "!")):
            continue
        if name.isupper() or name.startswith("...") or ":" in name:
            continue
        if set(_words_before(text, m.start(), 5)) & NOT_NAME_BEFORE:
            continue
        found.append(_Candidate(m.start("name"), name))
    return found


def _cue_names(text: str, anchors: _Anchors) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in near(CUE_THEN_NAME, text, anchors.after, 0, 100):
        found.append(_Candidate(m.start("name"), m["name"]))
    for m in near(NAME_THEN_CUE, text, anchors.before, 100, 20):
        words = m["name"].split()
        if words[0].lower() in NOT_NAME_OPENERS or words[-2].endswith("s"):
            continue  # "Det nye projekt", "Vordingborg Kommunes projekt": no name
        found.append(_Candidate(m.start("name"), m["name"]))
    for m in near(CALLED, text, anchors.named, 0, 160):
        found.append(_Candidate(m.start("name"), m["name"]))
    for m in near(HYPHENATED, text, anchors.glued, 40, 15):
        found.append(_Candidate(m.start("name"), m["name"]))
    acronyms = [
        at
        for at in positions(text, ("(",))
        if text[at + 1 : at + 2] in ACRONYM_CAPITALS
        # ABBREVIATED's name ends in "…programmet", "…puljen", … before the parenthesis
        and text.endswith(ABBREVIATED_ENDINGS, 0, skip_blanks_back(text, at))
        and ACRONYM_IN_PARENTHESES.match(text, at)
    ]
    for m in near(ABBREVIATED, text, acronyms, 90, 10):
        found.append(_Candidate(m.start("name"), m["name"]))
    done = 0
    for at in positions(text, ("Aftale",)):  # AGREEMENT's matches, left to right
        if at < done or text[at + 6 : at + 7] not in ("n", " ", "\t"):
            continue
        m = AGREEMENT.match(text, at)
        if m:
            done = m.end()
            found.append(_Candidate(m.start("name"), m["name"]))
    return [c for c in found if not _organisation(c.name)]


def _compounds(text: str, endings: list[int]) -> list[_Candidate]:
    found = []
    for m in near(CAPITALISED_COMPOUND, text, endings, 60, 25):
        name, start = m["name"], m.start("name")
        if name.lower().startswith("budget"):
            continue  # "Budget 2019", "Budgetaftale 2019-2022": the budget, not a project
        spaced = text[m.end() : m.end() + 1] in (" ", "\t")  # both patterns open with blanks
        if spaced and NAME_FOLLOWS.match(text, m.end()):
            continue  # "Pilotprojektet Naboskab": a cue word before the real name
        if spaced and NUMBER_FOLLOWS.match(text, m.end()):
            continue  # "Lokalplan 1.87", "Tillæg 3": a numbered document, not an initiative
        before = text[max(0, start - 60) : start]
        owner = None
        if "Kommunes" in before or "Regions" in before:
            owner = OWNER_BEFORE.search(text, max(0, start - 60), start)
        if owner:
            found.append(_Candidate(owner.start(), _fold(text[owner.start() : m.end("name")])))
        elif _mid_sentence(text, start):
            found.append(_Candidate(start, name))
    return found


def _title_subject(text: str) -> list[_Candidate]:
    offset = 0
    while offset < len(text) and text[offset].isspace():  # as str.lstrip()
        offset += 1
    line_end = text.find("\n", offset)
    first_line = text[offset:] if line_end < 0 else text[offset:line_end]
    for ending in TITLE_SUBJECT_ENDINGS:
        if ending in first_line:
            break
    else:
        return []  # no name of TITLE_SUBJECT's ends in the line
    return [
        _Candidate(offset + m.start("name"), m["name"])
        for m in TITLE_SUBJECT.finditer(first_line)
        if not NAME_FOLLOWS.match(first_line, m.end())  # "pilotprojektet "Sund By"": a cue
    ]


def _name_ending_at(text: str, end: int) -> _Candidate | None:
    """The name printed just before ``end``, within its clause.

    A name ending in a capitalised word is the run of capitalised words (and short
    connectors) before ``end`` ("Unge på Vej"); one ending in lower case ("Klar til start") opens
    at the first capitalised word of the last four.  A clause-initial noun in the definite
    form ("Rådgivningen Unge på Vej") is the sentence's subject, not part of the name.
    """
    i = end
    while i > 0 and text[i - 1] not in ",.;:\n\t(":
        i -= 1
    words = list(WORD.finditer(text, i, end))
    if not words:
        return None
    if words[-1].group()[0].isupper():
        first = len(words) - 1
        while first > 0:
            before = words[first - 1].group()
            if before[0].isupper():
                first -= 1
            elif before in CONNECTORS and first > 1 and words[first - 2].group()[0].isupper():
                first -= 2
            else:
                break
    else:
        tail = range(max(0, len(words) - 4), len(words))
        first = next((k for k in tail if words[k].group()[0].isupper()), -1)
        if first < 0:
            return None
    subject = words[0].group().endswith(("en", "et", "ne"))
    if first == 0 and subject and len(words) > 1 and words[1].group()[0].isupper():
        first = 1
    start = words[first].start()
    return _Candidate(start, _fold(text[start:end]))


def _presented(text: str, anchors: _Anchors) -> list[_Candidate]:
    found = []
    matches = near(PRESENTED_AS, text, anchors.presented, 40, 20) + near(
        NAMED_AS, text, anchors.named_as, 20, 30
    )
    for m in matches:
        candidate = _name_ending_at(text, m.start())
        if candidate and len(candidate.name.split()) <= 5:
            found.append(candidate)
    return found


def _item_header(text: str) -> re.Match | bool:
    """ITEM_HEADER matched at the text's start (False when it does not match)."""
    if text[:1] in HEADER_OPENERS:  # "Punkt 6: …", "6. …": the header is the first line
        line_end = text.find("\n")
        header = ITEM_HEADER.match(text, 0, line_end if line_end >= 0 else len(text))
    else:
        header = ITEM_HEADER.match(text)
    return header or False


def _list_titles(text: str) -> list[_Candidate]:
    own_title: re.Match | bool | None = None  # the item's header, read when first needed
    found = []
    first = next_char(text, 0)
    # LIST_TITLE opens with a bullet or a number ("\d": any digit beyond Latin-1 too)
    starts = [0] if first and (first in "-•*0123456789" or first > "\xff") else []
    for m in LIST_LINE_OPENING.finditer(text):
        if LIST_LINE_START.match(text, m.start()):
            starts.append(m.start() + 1)
    for start in starts:
        m = LIST_TITLE.match(text, start)
        if not m:
            continue
        words = m["name"].split()
        if LOWER_WORD.match(words[-1]) or words[0].lower() in NOT_NAME_OPENERS:
            continue
        if ABBREVIATION_DOT.match(text, m.end("name") - 1):
            continue  # "- Om A.P. Møller projekt": cut at an initial's dot, mid-name
        if m["name"].isupper():
            continue  # "1. GODKENDELSE AF DAGSORDEN": a heading
        if own_title is None:
            own_title = _item_header(text)
        if own_title and own_title["title"].startswith(m["name"]):
            continue  # "6. Drøftelse af Handleplan 2024 (D)": the item's own header
        party = next_char(text, m.end("name")) == "(" and PARTY_FOLLOWS.match(text, m.end("name"))
        if _organisation(m["name"]) or party:
            continue  # "- ABC Kolding", "- Lene Holm (V)": an organisation, a person
        found.append(_Candidate(m.start("name"), m["name"]))
    return found


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """One entry per project: a shorter form joins the fuller one, a fuller one replaces."""
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -len(c.name))):
        name = _fold(cand.name)
        if not _plausible(name):
            continue
        lower = f" {name.lower()} "
        merged = False
        for k in kept:
            known = f" {k.name.lower()} "
            if lower in known:
                merged = True
                break
            if lower.startswith(known[:-1] + " ") or lower.startswith(known.rstrip() + "."):
                k.name = name  # printed more fully later: "Mere tid. … En enklere …"
                merged = True
                break
        if not merged:
            kept.append(_Candidate(cand.start, name))
    return kept


def find_projects(text: str, lowered: str | None = None) -> list[Project]:
    """The named projects and initiatives of an item's text, once each, in order of appearance.

    ``lowered`` is ``text.lower()`` when the caller has it already.
    """
    anchors = _anchors(text, lower(text) if lowered is None else lowered)
    candidates = [
        *_quoted(text),
        *_cue_names(text, anchors),
        *_compounds(text, anchors.endings),
        *_title_subject(text),
        *_presented(text, anchors),
        *_list_titles(text),
    ]
    return [Project(c.name, law_slug(c.name)) for c in _merge(candidates)]
