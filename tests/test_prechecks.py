"""No pre-check rejects a text its regex matches (extract/text/pattern.py).

Every ``Pattern`` in the extractor's modules is found by looking at the modules, so a new one
is checked without being listed here.  Texts come from each pattern's own examples, changed by
insertions, deletions, replacements and case changes (with the characters that trip cheap
tests: ſ, İ, the Kelvin and Ångström signs, no-break and odd blanks, digits of other
scripts), and from random text.  A deliberately wrong pre-check shows the property can fail.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
import regex as re
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommunegraf.extract.patterns import CLOSED_LINE, KLE_CASE
from kommunegraf.extract.text.pattern import Pattern, first_in, holds, holds_folded

MODULES = (
    "kommunegraf.extract.patterns",
    "kommunegraf.extract.absences",
    "kommunegraf.extract.decisions",
    "kommunegraf.extract.text.dates",
    "kommunegraf.extract.layouts.catalogue",
    "kommunegraf.extract.layouts.lines",
    "kommunegraf.extract.layouts.headings",
    "kommunegraf.extract.layouts.headers",
    "kommunegraf.extract.layouts.meeting",
    "kommunegraf.extract.layouts.engine",
)


def _patterns() -> list[Pattern]:
    found: dict[str, Pattern] = {}
    for name in MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Pattern):
                found[value.name] = value
            elif isinstance(value, tuple):  # OUTCOME_CUES_CHECKED: (outcome, Pattern) pairs
                for entry in value:
                    if isinstance(entry, tuple) and entry and isinstance(entry[-1], Pattern):
                        found[entry[-1].name] = entry[-1]
    return sorted(found.values(), key=lambda p: p.name)


PATTERNS = _patterns()

# Characters that cheap tests get wrong most easily
TRICKY = (
    "ſİıK\u212bÅåÆØæøé\u00a0\u2003\u1680\x1c\x85\t\n\r "
    "()[]:;.,-–—/\\|*•…'\"§0123456789٣۴१\U0001d7d9"
)
_CHAR = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(codec="utf-8"),
    st.sampled_from("aAlLsSkK"),
    st.sampled_from(" \t"),
)
_KINDS = ("insert", "delete", "replace", "upper", "lower", "swapcase", "prefix", "suffix")
_ANY_EDIT = st.tuples(
    st.sampled_from(_KINDS), st.floats(0, 1), st.text(_CHAR, min_size=1, max_size=3)
)
# Small edits that often keep a match: blanks, brackets and punctuation at the ends or inside
_KEEPING_EDIT = st.tuples(
    st.sampled_from(("prefix", "suffix", "insert", "upper", "lower", "swapcase")),
    st.floats(0, 1),
    st.text(st.sampled_from(" \t\u00a0\u2003\x1c\n():.-"), min_size=1, max_size=2),
)
_EDIT = st.one_of(_KEEPING_EDIT, _ANY_EDIT)


def _mutate(text: str, edits: list[tuple[str, float, str]]) -> str:
    for kind, where, chars in edits:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + chars + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(chars) :]
        elif kind == "replace":
            text = text[:at] + chars + text[at + len(chars) :]
        elif kind == "prefix":
            text = chars + text
        elif kind == "suffix":
            text = text + chars
        else:
            cut = text[at : at + 6]
            text = text[:at] + getattr(cut, kind)() + text[at + 6 :]
    return text


def _texts(pattern: Pattern) -> st.SearchStrategy[str]:
    random_text = st.text(_CHAR, max_size=40)
    if not pattern.examples:
        return random_text
    mutated = st.builds(_mutate, st.sampled_from(pattern.examples), st.lists(_EDIT, max_size=3))
    return st.one_of(mutated, mutated, random_text)


def _check(pattern: Pattern, examples: int = 400) -> None:
    """Raise AssertionError with a text the regex matches and the pre-check turns away."""

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(_texts(pattern))
    def never_stricter(text: str) -> None:
        if pattern.unchecked(text) is not None:
            assert pattern.may(text), f"{pattern.name}: pre-check rejects {text!r}"

    never_stricter()


def test_the_patterns_are_found() -> None:
    names = {p.name for p in PATTERNS}
    assert len(PATTERNS) >= 25, names
    assert {"CASE_LABEL_AT_START", "DATED_BODY_CHECKED", "DATE_TEXT_CHECKED"} <= names


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_every_example_matches(pattern: Pattern) -> None:
    assert pattern.examples, f"{pattern.name} has no example to mutate"
    for example in pattern.examples:
        assert pattern.unchecked(example), f"{pattern.name} does not match {example!r}"
        assert pattern(example), f"{pattern.name}'s pre-check rejects its example {example!r}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_no_precheck_rejects_a_match(pattern: Pattern) -> None:
    _check(pattern)


@pytest.mark.parametrize(
    "wrong",
    [
        # "Lukket" only with a capital: misses "lukket punkt", "(Lukket)", " Lukket"
        Pattern("WRONG_CASE", CLOSED_LINE, lambda t: t[:1] == "L", examples=("Lukket punkt",)),
        # a first-letter test that forgot the blanks ^\s* allows
        Pattern("WRONG_BLANK", CLOSED_LINE, first_in("(lL"), examples=("Lukket",)),
        # a dot third is right for a KLE number at the start, not anywhere in the line
        Pattern(
            "WRONG_HOW",
            KLE_CASE,
            lambda t: t[2:3] == ".",
            how="search",
            examples=("Sag 00.22.00-P35-34-17",),
        ),
        # a cue that is not in every spelling: "Ikke til stede" and "Fravær" lack it
        Pattern(
            "WRONG_CUE",
            re.compile(r"^(?:Fraværende|Afbud|Fravær|Ikke\s+til\s+stede)\s*:", re.I),
            holds("ende"),
            examples=("Fraværende:", "Afbud:"),
        ),
    ],
    ids=lambda p: p.name,
)
def test_a_wrong_precheck_is_caught(wrong: Pattern) -> None:
    with pytest.raises(AssertionError, match=wrong.name):
        _check(wrong)


@pytest.mark.parametrize("cue", ["beslutning", "dIk", "ÆØÅ", "Dok"])
def test_a_cue_regex_folds_differently_is_refused(cue: str) -> None:
    with pytest.raises(ValueError, match="cue"):
        holds_folded(cue)


def test_the_checked_call_is_the_regex_behind_its_precheck() -> None:
    calls: list[str] = []

    def spy(text: str) -> bool:
        calls.append(text)
        return text.startswith("0")

    checked = Pattern("SPY", KLE_CASE, spy, examples=("00.22.00-P35-34-17",))
    assert checked("00.22.00-P35-34-17")["kle"] == "00.22.00"
    assert checked("x 00.22.00-P35-34-17") is None  # the pre-check said no: no regex
    assert calls == ["00.22.00-P35-34-17", "x 00.22.00-P35-34-17"]
    precheck: Callable[[str], bool] = holds("a", "b")
    assert precheck("xbx") and not precheck("xyz")


# An invented page with no meeting heading whose decision headers are printed in capitals
UPPER_CASE_HEADERS = """OPDIGTET TESTSIDE

1. Godkendelse af vejplan
Sagsnr.: 24/1234
Sagsfremstilling
Forvaltningen foreslår en ny vejplan for området ved havnen.
BESLUTNING I ØKONOMIUDVALGET DEN 3. MARTS 2024:
Godkendt.

2. Budgetopfølgning
Sagsnr.: 24/1235
Sagsfremstilling
Forvaltningen orienterer om budgettet.
BESLUTNING I ØKONOMIUDVALGET DEN 3. MARTS 2024:
Taget til efterretning.
"""


def test_the_meeting_comes_from_capitalised_decision_headers() -> None:
    """The pipeline's own copy of the dated header's pre-check ("eslutning" in the line) was
    stricter than the case-insensitive pattern, so capitals lost the meeting's committee and
    date; the pattern's own pre-check keeps them."""
    from kommunegraf.extract import extract_text

    record = extract_text(UPPER_CASE_HEADERS)
    assert (record.meeting.committee, record.meeting.date) == ("ØKONOMIUDVALGET", "2024-03-03")
