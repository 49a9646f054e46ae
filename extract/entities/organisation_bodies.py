"""Names that end like a body or a unit: "Ankestyrelsen", "Kultur- og Fritidsudvalget",
"økonomiudvalget", "det Lokale beskæftigelsesråd", "Randers Sundhedscenter".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from kommunegraf.extract.entities.names import (
    SENTENCE_WORDS,
    base_form,
    is_place,
)
from kommunegraf.extract.entities.organisation_patterns import (
    BARE_COORDINATION_BEFORE,
    COORDINATION_BEFORE,
    LOWER_WORD,
)
from kommunegraf.extract.entities.organisation_tokens import (
    _GENITIVE_ENDS,
    _K_ADJECTIVE,
    _K_SUFFIX,
    _LATIN1_LETTERS,
    _MID_SENTENCE_BEFORE,
    _START,
    _base,
    _Candidate,
    _Item,
    _mid_sentence,
    _plain_word,
)
from kommunegraf.extract.entities.organisation_words import (
    ALL_SUFFIXES,
    BARE_HEADS,
    GENERIC_NAMES,
    LOWERCASE_COUNCILS,
    LOWERCASE_STEMS,
    NOT_COORDINATED,
    SUFFIX_ENDS,
    SUFFIXES_AFTER_ADJECTIVE,
    SUFFIXES_ANY_CASE,
    SUFFIXES_COUNCIL,
    SUFFIXES_WITH_GENITIVE,
)

_STEM_LENGTHS = tuple((stem, len(stem)) for stem in LOWERCASE_STEMS)
# What a lower-case body's word runs on over: letters (to 256, see _LATIN1_LETTERS) and
# apostrophes
_WORD_LETTERS = frozenset(c for c in map(chr, range(256)) if c.isalpha()) | {"'", "’"}

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
            suffixed = word_end[-3:] in SUFFIX_ENDS and word_end.endswith(SUFFIXES_WITH_GENITIVE)
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
                suffixed or word.lower().endswith(SUFFIXES_WITH_GENITIVE)
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
        and low not in NOT_COORDINATED
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
