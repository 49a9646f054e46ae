"""Names with a fixed head or a fixed word beside them ("Center for X", "Team X", "X
Kommune", "X ApS", "firmaet X"), abbreviations used as names, capitalised nouns that name a
unit ("Rådgivning og Udbetaling"), a collaboration's partners and names the text calls a company.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from kommunegraf.extract.entities.names import (
    GIVEN_NAMES,
    SENTENCE_WORDS,
    base_form,
    is_place,
    looks_like_person,
    organisation_key,
)
from kommunegraf.extract.entities.organisation_patterns import (
    COLLABORATION,
    COPULA_GAP,
    COPULA_NOUN,
    FOR_NAME,
    INTRODUCING_NOUN,
    LIST_SEPARATOR,
    MIXED_CASE,
    NUMBERED_LABEL_AFTER,
    PARTY_AFTER_NAME,
    REGION_NAME,
    TEAM_NAME,
)
from kommunegraf.extract.entities.organisation_tokens import (
    _CUE_ENDS,
    _K_ABBREVIATION,
    _K_FOR_HEAD,
    _K_HEAD,
    _K_KNOWN,
    _K_MIXED_CASE,
    _K_REPORT_TAIL,
    _K_SLASH,
    _KNOWN_BY_FIRST_WORD,
    _LETTERS_AFTER,
    _REPORT_AFTER,
    _abbreviation_parts,
    _base,
    _Candidate,
    _Item,
    _mid_sentence,
    _plain_word,
)
from kommunegraf.extract.entities.organisation_words import (
    ALL_SUFFIXES,
    INTRODUCING_ENDINGS,
    LEGAL_FORMS,
    MUNICIPALITY_WORDS,
    PARTY_NAMES,
    PLACE_SUFFIXES,
    PROJECT_NOUNS,
    REPORT_WORDS,
)

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
            elif before.endswith(INTRODUCING_ENDINGS) and INTRODUCING_NOUN.fullmatch(before):
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
        if not known and (
            _in_capitals_heading(text, start, end) or _labels_numbered_part(text, start, end)
        ):
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


def _labels_numbered_part(text: str, start: int, end: int) -> bool:
    """A word in capitals that opens a line and labels a numbered part ("BILAG 1. …",
    "NOTAT 2:", "BILAG:"), not an abbreviation used as a name."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and NUMBERED_LABEL_AFTER.match(text, end) is not None


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
        if before.endswith(INTRODUCING_ENDINGS):
            continue  # "de to organisationer X og Y": two names, found by their noun
        veto = before in PROJECT_NOUNS
        name = _base(text[first_start:end], text, end)
        yield _Candidate(first_start, end, name, veto=veto)


# Definite endings of nouns ("Erhvervsstrategien", "Miljøet"), on words long enough that the
# ending is no part of the stem ("Viden")
_DEFINITE_NOUN_ENDINGS = ("en", "et")
_DEFINITE_MIN = 7


@lru_cache(maxsize=8192)
def _unit_word(word: str) -> bool:
    """A capitalised noun that can be a word of a unit's name (no place, person, sentence
    word, or word of a body or a place of its own).  A unit is named by its fields in the
    indefinite form ("Sundhed, Kultur og Omsorg"); a definite noun makes a list of things
    ("Uddannelse, Erhvervsplaymakeren og Erhvervsstrategien")."""
    low = word.lower()
    return not (
        not word[1:].islower()
        or (len(low) >= _DEFINITE_MIN and low.endswith(_DEFINITE_NOUN_ENDINGS))
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
