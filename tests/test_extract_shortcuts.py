"""The cheaper routes that extraction takes to the same answers (issue 21.3).

Each shortcut replaces a slower test that said the same thing; these properties hold every
shortcut equal to the test it replaced (kept here as the oracle), on invented text.
"""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunegraf.extract import decisions as d
from kommunegraf.extract.entities import people
from kommunegraf.extract.entities.names import (
    CAPITALISED_TOKEN,
    CAPITALISED_TOKEN_BMP,
    CAPITALISED_TOKEN_LATIN1,
    capitalised_tokens,
    token_pattern,
)

# Latin-1 text rich in what the token pattern looks at: capitals, letters, digits, the
# apostrophe and the joiners (- . /), blanks; and every other Latin-1 character now and then
_LATIN1_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("AÆÅØÉZaæåøéz09'-./ \n"),
        st.characters(max_codepoint=0xFF),
    ),
    max_size=40,
)


def test_latin1_token_pattern_examples() -> None:
    assert CAPITALISED_TOKEN_LATIN1.fullmatch("Ærø-Kommune's")
    assert [m[0] for m in CAPITALISED_TOKEN_LATIN1.finditer("KL-skøn, A/S og xÆble 1A")] == [
        "KL-skøn",
        "A/S",
    ]
    # the pattern is chosen by the characters the text holds
    assert token_pattern("Ærø Kommune") is CAPITALISED_TOKEN_LATIN1
    assert token_pattern("Ærø – Kommune’s") is CAPITALISED_TOKEN_BMP
    assert token_pattern("𝔸 Kommune") is CAPITALISED_TOKEN
    assert [t for _, _, t in capitalised_tokens("Mødet i ÅBEN sag med Émile")] == [
        "Mødet",
        "ÅBEN",
        "Émile",
    ]


@settings(max_examples=400, deadline=None)
@given(_LATIN1_TEXT)
def test_latin1_token_pattern_agrees_on_latin1_text(text: str) -> None:
    assert [m.span() for m in CAPITALISED_TOKEN_LATIN1.finditer(text)] == [
        m.span() for m in CAPITALISED_TOKEN.finditer(text)
    ]


def _role_tail_oracle(low: str) -> bool:
    """The test _title_in_key made before the tails were a set."""
    return any(e.endswith(low) for e in people._ALL_ROLE_ENDINGS if len(e) > len(low))


def test_role_ending_tails() -> None:
    assert "eder" in people._ROLE_ENDING_TAILS  # of "leder"
    assert "handler" in people._ROLE_ENDING_TAILS  # of "sagsbehandler"
    assert "formand" not in people._ROLE_ENDING_TAILS  # a whole ending, no proper tail
    # the seven characters before a name end a word that may be the tail of "formand": the
    # key does not tell, the word before is read in full; "til" is a whole word, no title
    assert people._title_in_key("ormand ") is None
    assert people._title_in_key("g til ") is False


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.sampled_from(sorted({e[k:] for e in people._ALL_ROLE_ENDINGS for k in range(len(e))})),
        st.text(alphabet="adeiklmnorstuæøå", min_size=1, max_size=8),
    )
)
def test_role_ending_tails_agree(low: str) -> None:
    assert (low in people._ROLE_ENDING_TAILS) == _role_tail_oracle(low)


_ALIASES = frozenset({"afgørelse", "udvalgets afgørelse"})


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        lambda blanks, core, colons, tail: blanks + core + colons + tail,
        st.sampled_from(["", " ", "\t"]),
        st.one_of(
            st.sampled_from(["Afgørelse", "AFGØRELSE", "Udvalgets afgørelse", "İ" * 9]),
            st.text(max_size=25),
        ),
        st.sampled_from(["", ":", "::"]),
        st.sampled_from(["", " ", ": "]),
    )
)
def test_alias_precheck_never_turns_an_alias_away(text: str) -> None:
    longest = max(map(len, _ALIASES))
    if text and text.rstrip(":").strip().lower() in _ALIASES:
        assert d._may_be_alias(text, longest)


_DECISION_WORDS = (
    "Godkendt", "udsat", "ikke", "Taget til efterretning", "anbefales", "Drøftet",
    "besluttede", "ſ", "İ", "BEVILGET", " ", ". ", "sagen", "forkastet", "x",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DECISION_WORDS), max_size=8).map("".join))
def test_first_effect_lowers_once_and_finds_the_same(text: str) -> None:
    best, best_pos = "other", len(text) + 1
    for outcome, cue in d.OUTCOME_CUES_CHECKED:  # each cue behind its own pre-check
        m = cue(text)
        if m and m.start() < best_pos:
            best, best_pos = outcome, m.start()
    assert d._first_effect(text) == best


# REFERENCE without its opening lookahead: the pattern as it was
_REFERENCE_BEFORE = regex.compile(d.REFERENCE.pattern.removeprefix(r"(?=\d)"), d.REFERENCE.flags)


def test_reference_pattern_opens_with_its_lookahead() -> None:
    assert d.REFERENCE.pattern.startswith(r"(?=\d)")
    assert _REFERENCE_BEFORE.pattern != d.REFERENCE.pattern
    assert d.REFERENCE.search("jf. Byrådet den 3. maj 2023 (sag 12)")["item"] == "12"


_REFERENCE_PARTS = (
    "den ", "1", "3", "12", "2023", ". ", ".", "/", "-", "maj", "Marts", " ", "(", "sag ",
    "pkt. ", "punkt", "nr. ", ", ", "– ", "under ", "٣", "x",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_REFERENCE_PARTS), max_size=14).map("".join))
def test_reference_finds_what_it_found_without_the_lookahead(text: str) -> None:
    assert [m.span() for m in d.REFERENCE.finditer(text)] == [
        m.span() for m in _REFERENCE_BEFORE.finditer(text)
    ]


def test_votes_are_read_once_per_wording_and_copied_for_each_caller() -> None:
    from kommunegraf.extract.votes import votes_of

    text = "Godkendt med 5 stemmer for (A, B) mod 3 (V)."
    first = votes_of(text)
    assert first is not None and first.for_parties == ["A", "B"]
    first.for_parties.append("changed by a caller")
    first.for_ = 99
    again = votes_of(text)
    assert again is not None and again is not first
    assert (again.for_, again.for_parties, again.against_parties) == (5, ["A", "B"], ["V"])


def test_next_steps_are_read_once_per_wording_and_copied_for_each_caller() -> None:
    from kommunegraf.extract.next_steps import next_step_of

    text = "Anbefales over for Byrådet."
    first = next_step_of("recommended", text, "2024-05-02")
    assert first is not None and first.bodies == ["Byrådet"]
    first.bodies.append("changed by a caller")
    again = next_step_of("recommended", text, "2024-05-02")
    assert again is not None and again is not first and again.bodies == ["Byrådet"]


def test_decision_absences_are_read_once_per_wording_and_copied_for_each_caller() -> None:
    from kommunegraf.extract.layouts.lines import split_lines

    lines = split_lines("Beslutning\nFraværende: Ida Holm\nGodkendt.")
    first = d.parse_decisions(lines, committee="Byrådet", meeting_date="2024-05-02")
    assert [(x.text, x.absent) for x in first] == [("Godkendt.", ["Ida Holm"])]
    first[0].absent.append("changed by a caller")
    again = d.parse_decisions(lines, committee="Byrådet", meeting_date="2024-05-02")
    assert again[0].absent == ["Ida Holm"]
