"""A treatment's effect: read from its wording by extract.next_steps (status, sent_back_to),
put in words by graph.answers.effects; and body names folded (invented wordings)."""

from __future__ import annotations

import pytest

from kommunegraf.extract.next_steps import (
    BACK_RE,
    NO_POSITION_RE,
    NOT_RECOMMENDED_RE,
    SENT_BACK_RE,
    status_of,
)
from kommunegraf.extract.text.bodies import DEFINITE_END_RE, NOT_LETTERS_RE, body_key
from kommunegraf.graph.answers.effects import effect
from kommunegraf.graph.answers.trace import ABSENCE_SENTENCE_RE, SENTENCE_END_RE


@pytest.mark.parametrize(
    ("outcome", "text", "expected"),
    [
        ("postponed", "Byrådet besluttede at sende sagen tilbage til fornyet behandling i "
         "fagudvalget, da der er nye oplysninger.", "sent back to the committee"),
        ("postponed", "Udvalget besluttede at sende sagen tilbage til fornyet behandling i "
         "Kultur- og Fritidsudvalget med henblik på en afklaring.",
         "sent back to Kultur- og Fritidsudvalget"),
        ("postponed", "Sagen sendes tilbage til administrationen.",
         "sent back to the administration"),
        ("postponed", "Tilbagesendes til udvalget.", "sent back to the committee"),
        ("postponed", "Punktet sendes tilbage.", "sent back"),
        ("postponed", "Udvalget undlod at tage stilling til indstillingen.", "no position taken"),
        ("postponed", "1.-3. Undlader.", "no position taken"),
        ("postponed", "Sagen blev sendt til høring.", "postponed"),
        ("postponed", "Udsat til næste møde.", "postponed"),
        ("rejected", "1.-2. Anbefales ikke.", "not recommended"),
        ("rejected", "Udvalget kan ikke anbefale forslaget.", "not recommended"),
        ("rejected", "Forslaget blev forkastet.", "rejected"),
        ("approved", "Godkendt. Ib Bo (C) undlod at tage stilling.", "approved"),
        ("recommended", "Anbefales.", "recommended"),
        (None, "", None),
    ],
)  # fmt: skip
def test_effect_reads_the_wording(outcome: str | None, text: str, expected: str | None) -> None:
    assert effect(outcome, *status_of(outcome, text)) == expected


def test_effect_carries_the_vote_count() -> None:
    assert effect("approved", "approved", None, {"for": 9, "against": 8}) == "approved 9–8"
    assert effect("approved", "approved", None, {"for": 9, "against": None}) == "approved"


def test_the_patterns_one_by_one() -> None:
    assert SENT_BACK_RE.search("at sende sagen tilbage til udvalget.")["to"] == "udvalget"
    assert BACK_RE.search("tilbagesendes") and not BACK_RE.search("sendes i høring")
    # a member's abstention later in a decision is no position of the body
    assert not NO_POSITION_RE.search("Godkendt. Ib Bo (C) undlod at tage stilling.")
    assert NO_POSITION_RE.search("Økonomiudvalget undlader at tage stilling.")
    assert NOT_RECOMMENDED_RE.search("Indstillingen anbefales ikke")
    assert not NOT_RECOMMENDED_RE.search("Indstillingen anbefales")
    assert DEFINITE_END_RE.sub("", "byrådet") == "byråd"
    assert NOT_LETTERS_RE.sub("", "Plan-, Trygheds- og") == "PlanTrygheds" + "og"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Byrådet", "Byråd"),
        ("Sundheds og Omsorgsudvalget", "Sundheds- og omsorgsudvalget"),
        ("Økonomiudvalget", "økonomiudvalg"),
    ],
)
def test_printed_forms_of_a_body_fold_alike(a: str, b: str) -> None:
    assert body_key(a) == body_key(b)


def test_different_bodies_stay_apart() -> None:
    assert body_key("Plan- og Tryghedsudvalget") != body_key(
        "Plan-, Trygheds- og Integrationsudvalget"
    )
    assert body_key("Økonomiudvalget") != body_key("Byrådet")


def test_absence_sentences_and_sentence_ends() -> None:
    assert ABSENCE_SENTENCE_RE.search("Ib Dam var fraværende.")
    assert ABSENCE_SENTENCE_RE.search("Fraværende: Ib Dam")
    assert ABSENCE_SENTENCE_RE.search("Ole Ny deltog ikke i sagens behandling.")
    assert not ABSENCE_SENTENCE_RE.search("Godkendt med fravær af bemærkninger.")
    assert SENTENCE_END_RE.split("Godkendt. Ib Dam var fraværende. 2. Anbefales.") == [
        "Godkendt.",
        "Ib Dam var fraværende.",
        "2. Anbefales.",
    ]
    assert SENTENCE_END_RE.split("jf. § 3. stk. 2") == ["jf. § 3. stk. 2"]
    assert SENTENCE_END_RE.split("Godkendt. og videre. Stk. 2 gælder.") == [
        "Godkendt. og videre.", "Stk. 2 gælder."
    ]  # fmt: skip
