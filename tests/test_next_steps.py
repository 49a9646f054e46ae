"""extract/next_steps.py: a decision's status and next step, read when the record is made
(issue 20.4).  Every wording here is invented (OPDIGTET), the people too."""

from __future__ import annotations

from pathlib import Path

import pytest

from kommunegraf.extract.next_steps import (
    BACK_RE,
    COUNCIL_RE,
    DEMAND_RE,
    ISO_DAY_RE,
    NEXT_MEETING_RE,
    NEXT_STEP_KINDS,
    NO_POSITION_RE,
    NOT_RECOMMENDED_RE,
    RETURN_RE,
    SENT_BACK_RE,
    STATUSES,
    council_bodies,
    next_meeting_date,
    next_step_of,
    status_of,
)
from kommunegraf.extract.records import Decision, NextStep, Record


@pytest.mark.parametrize(
    ("outcome", "text", "status", "to"),
    [
        ("approved", "Godkendt.", "approved", None),
        ("recommended", "Anbefales over for Byrådet.", "recommended", None),
        ("noted", "Taget til efterretning.", "noted", None),
        ("postponed", "Udsat.", "postponed", None),
        ("postponed", "Sagen sendes tilbage til administrationen.", "sent_back", "administration"),
        ("postponed", "Tilbagesendes til fagudvalget.", "sent_back", "committee"),
        ("decided", "Byrådet besluttede at sende sagen tilbage til fornyet behandling i "
         "Kultur- og Fritidsudvalget, da der mangler tal.", "sent_back",
         "Kultur- og Fritidsudvalget"),
        ("postponed", "Punktet sendes tilbage.", "sent_back", None),
        ("other", "Udvalget undlod at tage stilling.", "no_position", None),
        ("postponed", "Sagen blev sendt i høring.", "postponed", None),
        ("rejected", "Anbefales ikke.", "not_recommended", None),
        ("rejected", "Forkastet.", "rejected", None),
        ("approved", "Godkendt. Sagen sendes tilbage til forvaltningen til orientering.",
         "approved", None),  # only a postponed, decided or other decision is sent back
        ("weird", "Noget.", "other", None),
        (None, "", None, None),
    ],
)  # fmt: skip
def test_status(outcome: str | None, text: str, status: str | None, to: str | None) -> None:
    assert status_of(outcome, text) == (status, to)
    assert status is None or status in STATUSES


@pytest.mark.parametrize(
    ("outcome", "text", "step"),
    [
        ("postponed", "Punktet genoptages på næste møde.", NextStep("next_meeting", [], None)),
        ("postponed", "Udsat til kommende udvalgsmøde den 7. februar.",
         NextStep("next_meeting", [], "2022-02-07")),
        ("postponed", "Udsat til førstkommende møde 14.03.2022.",
         NextStep("next_meeting", [], "2022-03-14")),
        ("postponed", "Udsat.", None),
        ("recommended", "Anbefales over for Økonomiudvalget og Byrådet.",
         NextStep("to_council", ["Økonomiudvalget", "Byrådet"], None)),
        ("recommended", "Indstilles godkendt over for kommunalbestyrelsen.",
         NextStep("to_council", ["Kommunalbestyrelsen"], None)),
        ("recommended", "Indstilles godkendt.", NextStep("recommended_unnamed", [], None)),
        ("noted", "Taget til efterretning. Ida Opdigt begærede sagen i Byrådet.",
         NextStep("council_on_demand", ["Byrådet"], None)),
        ("approved", "Godkendt. Jens Opdigt begærer punktet behandlet i Byrådet.",
         NextStep("council_on_demand", ["Byrådet"], None)),
        ("noted", "Taget til efterretning. Ida Opdigt begærede sagen.", None),  # no council
        ("discussed", "Drøftet. Et oplæg fremlægges for udvalget i april.",
         NextStep("returns", [], None)),
        ("decided", "Udvalget besluttede, at sagen behandles igen på mødet 3. maj 2022.",
         NextStep("returns", [], "2022-05-03")),
        ("approved", "Godkendt. Sagen fremlægges igen til efteråret.", None),
        ("rejected", "Ikke godkendt. Forslaget kommer tilbage på næste møde.", None),
        (None, "Udsat til næste møde.", None),
    ],
)  # fmt: skip
def test_next_step(outcome: str | None, text: str, step: NextStep | None) -> None:
    assert next_step_of(outcome, text, "2022-01-10") == step
    assert step is None or step.kind in NEXT_STEP_KINDS


def test_next_meeting_date_is_after_the_decision_and_takes_its_year() -> None:
    text = "Besluttet 10. januar; udsat til mødet den 7. februar."
    assert next_meeting_date(text, "2022-01-10") == "2022-02-07"
    assert next_meeting_date("Udsat til næste møde.", "2022-01-10") is None
    assert next_meeting_date("Udsat til 1. december 2021.", "2022-01-10") is None  # earlier
    # a decision without a usable date: any date, no year for a written one without it
    assert next_step_of("postponed", "Udsat til næste møde 14.03.2022.", "10-01-2022") == (
        NextStep("next_meeting", [], "2022-03-14")
    )


def test_the_patterns_one_by_one() -> None:
    assert NEXT_MEETING_RE.search("genoptages på næste udvalgsmøde")
    assert NEXT_MEETING_RE.search("til det kommende møde")
    assert not NEXT_MEETING_RE.search("et møde i næste uge")
    assert RETURN_RE.search("sagen vil blive forelagt igen")
    assert RETURN_RE.search("kommer tilbage til udvalget")
    assert not RETURN_RE.search("fremlæggelsen blev godkendt")
    assert [m["body"] for m in COUNCIL_RE.finditer("Økonomiudvalget og byrådet")] == [
        "Økonomiudvalg",
        "byråd",
    ]
    assert not COUNCIL_RE.search("Byrådssalen")
    assert DEMAND_RE.search("begærede sagen i Byrådet")
    assert not DEMAND_RE.search("begæringen blev afvist")
    assert SENT_BACK_RE.search("at sende sagen tilbage til udvalget.")["to"] == "udvalget"
    assert BACK_RE.search("tilbagesendes") and not BACK_RE.search("sendes i høring")
    assert NO_POSITION_RE.search("1.-2. Undlader.")
    assert not NO_POSITION_RE.search("Godkendt. Ib Opdigt (C) undlod at tage stilling.")
    assert NOT_RECOMMENDED_RE.search("Udvalget kan ikke anbefale forslaget")
    assert ISO_DAY_RE.match("2022-01-10") and not ISO_DAY_RE.match("10-01-2022")


def test_council_bodies_once_each_in_the_order_named() -> None:
    text = "Byrådet … Økonomiudvalget … byrådets møde"
    assert council_bodies(text) == ["Byrådet", "Økonomiudvalget"]


def test_a_decision_read_from_json_without_status_is_read_now() -> None:
    decision = Decision.from_json(
        {"body": "Byrådet", "date": "2022-01-10", "outcome": "postponed",
         "text": "Sagen sendes tilbage til Plan- og Miljøudvalget.", "absent": [], "votes": None}
    )  # fmt: skip
    assert (decision.status, decision.sent_back_to) == ("sent_back", "Plan- og Miljøudvalget")
    # what was written is kept as written
    again = Decision.from_json({**decision.to_json(), "status": "postponed"})
    assert again.status == "postponed" and again.next_step is None


def test_extracted_records_carry_status_and_next_step(seed_paths: list[Path]) -> None:
    from kommunegraf.extract import extract_path

    decisions = [d for p in seed_paths for i in extract_path(p).items for d in i.decisions]
    assert decisions and all(d.status in STATUSES for d in decisions)
    kinds = {d.next_step.kind for d in decisions if d.next_step}
    assert {"next_meeting", "to_council"} <= kinds
    record = Record.from_json(extract_path(seed_paths[0]).to_json())
    assert all(d.status for i in record.items for d in i.decisions)


def test_the_canonical_law_is_resolved_in_extract_not_in_the_mapping() -> None:
    """A hand-written record's law is resolved when the record is read (extract), so the
    mapping only links what the record says (issue 20.4: the law resolved once)."""
    import ast

    from kommunegraf.extract.records import Item
    from kommunegraf.graph.rdf import mapping

    item = Item.from_json(
        {"number": 1, "title": "Opdigtet", "laws": [
            {"kind": "act", "act": "Lov om idræt i kommuner", "provision": "§ 3",
             "text": "idrætslovens § 3"}]}
    )  # fmt: skip
    assert item.laws[0].canonical == "lov/lov-om-idraet-i-kommuner/paragraf/3"
    tree = ast.parse(Path(mapping.__file__).read_text(encoding="utf-8"))
    called = {
        n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and hasattr(n.func, "id")
    }
    assert "canonical_law" not in called
