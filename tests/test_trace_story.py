"""A case's story told once (issue 16) and read as a user reads it (issue 18.3).

Invented minutes (OPDIGTET; invented people): case 22-000999 of "Hedeby Kommune" goes
committee → Økonomiudvalget → Byråd → back to the committee → Økonomiudvalget → Byråd.  As
FirstAgenda minutes do, each later item prints the earlier treatments again under "Sagens
forløb" — with the body's name as the later minutes print it ("Byrådet" for the meeting of
"Byråd", "Teknik og miljøudvalget" for "Teknik- og Miljøudvalget") and sometimes other
wording — so each treatment is in the store up to four times.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_trace import decision, load_records, record

from kommunegraf.extract.text.bodies import body_key
from kommunegraf.graph.analysis.threads import list_threads
from kommunegraf.graph.answers.trace import decision_shown, render_table, to_json, trace
from kommunegraf.graph.store.local import Store, open_store

HEDEBY = ("Hedeby Kommune", "253")  # an invented municipality under a real code
TMU, OEU, BR = "Teknik- og Miljøudvalget", "Økonomiudvalget", "Byråd"
CASE = "22-000999"
LONG_TITLE = "Forhøjelse af råderetsbeløb i almene boliger i Hedeby Nord og Hedeby Strand"

STEPS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (TMU, "2022-02-08", "recommended", "Anbefales.", {}),
    (OEU, "2022-02-28", "recommended", "Økonomiudvalget anbefaler indstillingen.", {}),
    (BR, "2022-03-07", "postponed",
     "Anders Ravn var fraværende. Byrådet besluttede at sende sagen tilbage til fornyet "
     "behandling i fagudvalget, da nye oplysninger er kommet frem.", {"absent": ["Anders Ravn"]}),
    (TMU, "2022-08-16", "postponed",
     "Udvalget undlod at tage stilling til indstillingerne, idet udvalget ønsker et notat.", {}),
    (TMU, "2023-01-10", "rejected",
     "1.-2. Anbefales ikke. Bent Holm (V) og Carla Moe (D) stemte imod. Dorte Lund (Ø) "
     "stemte for.",
     {"votes": {"for_names": ["Dorte Lund"], "against_names": ["Bent Holm", "Carla Moe"]}}),
    (OEU, "2023-02-27", "recommended", "Økonomiudvalget anbefaler over for Byrådet.", {}),
    (BR, "2023-03-06", "approved",
     "Med stemmerne 9 for og 8 imod godkendte byrådet indstillingen. For stemte (V) og (D). "
     "Imod stemte (A) og (Ø).",
     {"votes": {"for": 9, "against": 8, "for_parties": ["V", "D"],
                "against_parties": ["A", "Ø"]}}),
]  # fmt: skip
# How later minutes print a body's name.
PRINTED = {TMU: "Teknik og miljøudvalget", OEU: "Økonomiudvalget", BR: "Byrådet"}


def minutes() -> list[Any]:
    """One record per meeting: its own decision, and every earlier one as 'Sagens forløb'."""
    records = []
    for n, (body, day, outcome, text, extra) in enumerate(STEPS):
        history = [
            decision(PRINTED[b], d, o, "(Sagens forløb) " + t)
            for b, d, o, t, _ in STEPS[:n]  # earlier treatments, as later minutes print them
        ]
        own = decision(body, day, outcome, text, **extra)
        title = LONG_TITLE if n else "Råderetsbeløb"
        item = {"number": 10 + n, "title": title, "case_number": CASE,
                "decisions": [*history, own]}  # fmt: skip
        records.append(record(HEDEBY, body, day, [item]))
    return records


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("trace-story") / "store"
    load_records(folder, minutes())
    with open_store(folder, write=False) as store:
        yield store


def test_each_treatment_once_in_date_order_with_its_own_minutes_text(story: Store) -> None:
    (case,) = trace(story, CASE).cases
    seen = [(body_key(t.committee), t.date) for t in case.treatments]
    assert seen == [(body_key(body), day) for body, day, *_ in STEPS]
    assert all(t.recorded_in is None for t in case.treatments)
    assert not any(t.text.startswith("(Sagens forløb)") for t in case.treatments)


def test_effects_say_what_each_treatment_did(story: Store) -> None:
    (case,) = trace(story, CASE).cases
    assert [t.effect for t in case.treatments] == [
        "recommended",
        "recommended",
        "sent back to the committee",
        "no position taken",
        "not recommended",
        "recommended",
        "approved 9–8",
    ]
    assert [t.outcome for t in case.treatments][2:5] == ["postponed", "postponed", "rejected"]
    last = to_json(trace(story, CASE))["cases"][0]["treatments"][-1]
    assert last["effect"] == "approved 9–8"
    assert last["votes"]["for_parties"] == ["D", "V"]
    assert last["votes"]["against_parties"] == ["A", "Ø"]


def test_an_earlier_treatment_only_later_minutes_print_is_kept_once(
    tmp_path: Path,
) -> None:
    """Without the committee's own minutes, its treatment is told once, from the first
    later minutes that print it."""
    folder = tmp_path / "store"
    load_records(folder, minutes()[1:])
    with open_store(folder, write=False) as store:
        (case,) = trace(store, CASE).cases
    first = case.treatments[0]
    assert (body_key(first.committee), first.date) == (body_key(TMU), "2022-02-08")
    assert first.recorded_in is not None and first.recorded_in.date == "2022-02-28"
    assert [(t.date) for t in case.treatments].count("2022-02-08") == 1
    assert len(case.treatments) == len(STEPS)


def test_the_table_shows_the_effect_first_and_the_absence_note_after(story: Store) -> None:
    table = render_table(trace(story, CASE), width=80)
    row = next(i for i, line in enumerate(table.splitlines()) if line.startswith("2022-03-07"))
    lines = table.splitlines()
    assert "sent back to the" in lines[row]
    assert lines[row + 1].strip().startswith("Byrådet besluttede at sende sagen tilbage")
    block = " ".join(line.strip() for line in lines[row + 1 : row + 4])
    assert block.index("Byrådet besluttede") < block.index("Anders Ravn var fraværende")
    assert "votes: 9 for (D, V); 8 against (A, Ø)" in " ".join(line.strip() for line in lines)


def test_decision_shown_moves_notes_of_absence_after_the_decision() -> None:
    text = "Kirsten Bo var fraværende. Godkendt. Afbud fra Ole Ny."
    assert decision_shown(text) == "Godkendt. Kirsten Bo var fraværende. Afbud fra Ole Ny."
    assert decision_shown("Godkendt.") == "Godkendt."
    assert decision_shown("Fraværende: Ib Dam.") == "Fraværende: Ib Dam."  # nothing else


def test_a_terminal_table_wraps_and_a_piped_one_prints_whole_values(story: Store) -> None:
    result = trace(story, CASE)
    narrow = render_table(result, width=60)
    assert max(map(len, narrow.splitlines())) <= 60
    words = " ".join(line.strip() for line in narrow.splitlines())
    assert LONG_TITLE in words  # wrapped, not cut
    assert "…" not in narrow
    whole = render_table(result, width=None)
    assert any(LONG_TITLE in line for line in whole.splitlines())
    assert any(
        "Byrådet besluttede at sende sagen tilbage til fornyet behandling i fagudvalget, da nye "
        "oplysninger er kommet frem. Anders Ravn var fraværende." in line
        for line in whole.splitlines()
    )


def test_the_prefix_list_wraps_titles_rather_than_cutting_them(story: Store) -> None:
    result = trace(story, "22-000")
    assert result.matched == "prefix"
    table = render_table(result, width=80)
    assert max(map(len, table.splitlines())) <= 80 and "…" not in table
    assert LONG_TITLE in " ".join(line.split("  ")[-1].strip() for line in table.splitlines())
    whole = render_table(result, width=None)
    assert any(LONG_TITLE in line for line in whole.splitlines())


def test_the_thread_passes_each_body_in_order_once_per_treatment(story: Store) -> None:
    from kommunegraf.graph.analysis.threads import recompute  # noqa: F401  (load_records computed it)

    # one case on every agenda here: a standing case by graph.analysis.standing's measure
    (row,) = list_threads(story, min_meetings=2, standing=True)
    assert [body_key(b) for b in row.path] == [body_key(b) for b in (TMU, OEU, BR, TMU, OEU, BR)]
    assert list_threads(story, min_meetings=2, min_committees=3, standing=True) == [row]
    assert list_threads(story, min_meetings=2, min_committees=4, standing=True) == []
