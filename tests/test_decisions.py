"""Decision blocks, outcomes, votes, absences and references — on invented text."""

from __future__ import annotations

import pytest

from kommunegraf.extract import absences
from kommunegraf.extract import decisions as d
from kommunegraf.extract.layouts.lines import split_lines


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Godkendt.", "approved"),
        ("Dagsordenen er godkendt", "approved"),
        ("Bevilget som ansøgt.", "approved"),
        ("Indstillingen følges.", "approved"),
        ("Anbefales over for Byrådet.", "recommended"),
        ("Indstilles godkendt med den ændring, at …", "recommended"),
        ("Taget til efterretning.", "noted"),
        ("Orienteringen blev taget til efterretning.", "noted"),
        ("Ida Holm var fraværende. Orientering om vejarbejdet.", "noted"),
        ("Drøftet.", "discussed"),
        ("Sagen udsættes til næste møde.", "postponed"),
        ("Punktet genoptages i januar.", "postponed"),
        ("Forkastet med 3 stemmer mod 6.", "rejected"),
        ("Ikke godkendt.", "rejected"),
        ("Udvalget besluttede at sende sagen i høring.", "decided"),
        ("Ad 1: Godkendt. Ad 2: Drøftet.", "decided"),
        ("1. at: Anbefales. 2. at: Anbefales.", "recommended"),
        ("Mødet sluttede tidligt.", "other"),
        ("Indstillingen oversendes til Kulturudvalget.", "recommended"),
        ("Sagen blev ikke behandlet på mødet.", "postponed"),
        ("Dispensation meddeles ikke.", "rejected"),
        ("Udvalget modtog orientering om budgettet.", "noted"),
    ],
)
def test_outcome(text: str, outcome: str) -> None:
    assert d.outcome_of(text) == outcome


def test_votes_counts_and_names() -> None:
    v = d.votes_of("Godkendt med 7 stemmer for og 2 imod.".replace("2 imod", "2 stemmer imod"))
    assert v is not None and (v.for_, v.against) == (7, 2)
    v = d.votes_of("Anbefales med fem stemmer for og to stemmer imod. Imod stemte Ida Ravn (Ø).")
    assert v is not None and (v.for_, v.against, v.against_names) == (5, 2, ["Ida Ravn"])
    v = d.votes_of("Forkastet med 3 stemmer mod 6.")
    assert v is not None and (v.for_, v.against) == (3, 6)


def test_votes_labelled_lists_and_printed_counts() -> None:
    v = d.votes_of(
        "For stemte: Ane Bro, Bo Dam og Cai Eg (3). Imod stemte: Dan Fisk og Eva Gran (2)."
    )
    assert v is not None
    assert v.for_names == ["Ane Bro", "Bo Dam", "Cai Eg"] and v.for_ == 3
    assert v.against_names == ["Dan Fisk", "Eva Gran"] and v.against == 2
    # only names printed: the count stays null (records.md), it is not inferred
    v = d.votes_of("Godkendt. Undlod at stemme: Frede Hald (O).")
    assert v is not None and v.abstain_names == ["Frede Hald"] and v.abstain is None


def test_votes_names_before_verb_and_count_only() -> None:
    v = d.votes_of("Anbefales med 8 stemmer for og 1 stemme imod. Lis Mogensen (F) stemte imod.")
    assert v is not None and v.against_names == ["Lis Mogensen"]
    v = d.votes_of("Taget til efterretning med 9 stemmer.")
    assert v is not None and (v.for_, v.against) == (9, None)
    assert d.votes_of("Godkendt uden bemærkninger.") is None


def test_only_first_vote_and_its_names() -> None:
    text = (
        "Godkendt med 6 stemmer for og 1 stemme imod. Imod stemte Ole Bak. "
        "Et ændringsforslag blev forkastet med 1 stemme for og 6 stemmer imod. For stemte Ole Bak."
    )
    v = d.votes_of(text)
    assert v is not None and v.for_names == [] and v.against_names == ["Ole Bak"]


def test_absences() -> None:
    absent, kept = d.absences_of(
        [
            "Fraværende: Søren Vestergaard (A), Ib Ravn de Neergaard",
            "Anne-Mette Juul Sørensen var fraværende.",
            "Hans Holst og Kaj Lund deltog ikke i sagens behandling.",
            "Godkendt.",
        ]
    )
    assert absent == [
        "Søren Vestergaard",
        "Ib Ravn de Neergaard",
        "Anne-Mette Juul Sørensen",
        "Hans Holst",
        "Kaj Lund",
    ]
    assert kept[0].startswith("Anne-Mette") and len(kept) == 3
    assert d.absences_of(["Afbud: Tove Lind", "Fraværende:"])[0] == ["Tove Lind"]


def _decisions(text: str, **kw):  # type: ignore[no-untyped-def]
    return d.parse_decisions(split_lines(text), **kw)


def test_dated_body_blocks_oldest_first_and_non_decision_blocks_skipped() -> None:
    text = """Beslutning
Teknik- og Miljøudvalget, 03.04.2024
Ida Holm var fraværende
Sagen udsættes.
Administrativ bemærkning, 10.04.2024
Forvaltningen har indhentet nye tal.
Teknik- og Miljøudvalget, 08.05.2024
Godkendt.
Sagsfremstilling
Her står sagen."""
    got = _decisions(text, committee="Teknik- og Miljøudvalget", meeting_date="2024-05-08")
    assert [(x.date, x.outcome, x.absent) for x in got] == [
        ("2024-04-03", "postponed", ["Ida Holm"]),
        ("2024-05-08", "approved", []),
    ]
    assert "indhentet" not in " ".join(x.text for x in got)


def test_header_with_body_and_date_and_labelled_absence() -> None:
    text = """Beslutning i Børne- og Skoleudvalget den 4. marts 2024:
Fraværende: Per Smed (V)
Anbefales.
Bilag
Plan.pdf"""
    [x] = _decisions(text, committee="Børne- og Skoleudvalget", meeting_date="2024-03-04")
    assert (x.body, x.date, x.outcome, x.absent, x.text) == (
        "Børne- og Skoleudvalget",
        "2024-03-04",
        "recommended",
        ["Per Smed"],
        "Anbefales.",
    )


def test_bare_and_inline_headings_use_the_meeting() -> None:
    [x] = _decisions("BESLUTNING\nDrøftet.", committee="Kulturudvalget", meeting_date="2023-01-02")
    assert (x.body, x.date, x.outcome) == ("Kulturudvalget", "2023-01-02", "discussed")
    [y] = _decisions("Beslutning: Godkendt.", committee="Kulturudvalget", meeting_date="2023-01-02")
    assert (y.text, y.outcome) == ("Godkendt.", "approved")
    [z] = _decisions(
        "Udvalgets beslutning den 9. juni 2022:\nTaget til orientering.",
        committee="Kulturudvalget",
        meeting_date="2022-06-09",
    )
    assert (z.body, z.date, z.outcome) == ("Kulturudvalget", "2022-06-09", "noted")


def test_earlier_body_decision_inside_item() -> None:
    text = """Indstilling
Forvaltningen indstiller, at tilskuddet godkendes.
Plan- og Boligudvalget, 2. februar 2023, pkt. 17:
Anbefales.
Beslutning
Godkendt."""
    got = _decisions(text, committee="Økonomiudvalget", meeting_date="2023-02-20")
    assert [(x.body, x.date, x.outcome) for x in got] == [
        ("Plan- og Boligudvalget", "2023-02-02", "recommended"),
        ("Økonomiudvalget", "2023-02-20", "approved"),
    ]
    refs = d.references_of(text, meeting_date="2023-02-20")
    assert [(r.body, r.date, r.item_number) for r in refs] == [
        ("Plan- og Boligudvalget", "2023-02-02", 17)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("behandlet i udvalget den 3. maj 2023 - sag 41", [(None, "2023-05-03", 41)]),
        ("på mødet den 14. juni (sag 8)", [(None, "2023-06-14", 8)]),
        (
            "ved Kultur- og Fritidsudvalgets møde 2. oktober 2022 (punkt 12, lukket punkt)",
            [("Kultur- og Fritidsudvalget", "2022-10-02", 12)],
        ),
        ("Byrådet den 28.02.2023, pkt. 5", [("Byrådet", "2023-02-28", 5)]),
        ("Mødet den 12. juni 2023 blev aflyst.", []),
    ],
)
def test_references(text: str, expected: list[tuple[str | None, str, int]]) -> None:
    refs = d.references_of(text, meeting_date="2023-09-01")
    assert [(r.body, r.date, r.item_number) for r in refs] == expected


def test_reference_without_year_is_the_latest_before_the_meeting() -> None:
    [ref] = d.references_of(
        "genfremsat efter mødet den 5. december (sag 3)", meeting_date="2024-02-01"
    )
    assert ref.date == "2023-12-05"


def test_split_names_drops_parties_and_roles() -> None:
    assert absences.split_names(
        "Ane Bro (A) - formand, Jens Peter la Cour og Bo Dam (Løsgænger)"
    ) == [
        "Ane Bro",
        "Jens Peter la Cour",
        "Bo Dam",
    ]


def test_pattern_examples() -> None:
    assert d.DECISION_HEADING.match("Udvalgets beslutning")
    assert d.DECISION_HEADER_DATED.match("Økonomiudvalgets beslutning den 3/4-2024")
    assert d.DATED_BODY.match("Byrådet, 2. maj 2024")
    assert not d.DATED_BODY.match("Rådhuset, mødelokale 2")
    assert absences.ABSENCE_LABEL.match("Afbud/Fraværende: Ole Bak")
    assert absences.ABSENCE_SENTENCE.search("Ole Bak var fraværende")
    assert d.NUMBERED_PART.search("Ad 2: Drøftet")
    assert d.REFERENCE.search("den 1. april 2020, pkt. 9")
    assert d.REFERENCE_CUE.search("mødet 7/3, sag 4")
    assert not d.REFERENCE_CUE.search("sag nr. 12")
    assert d.BODY_BEFORE.search("Miljø- og teknikudvalget")
    assert absences.PARENTHESISED.sub(",", "Ib Dam (C)") == "Ib Dam ,"
    assert absences.NAME_SEPARATOR.split("Ib Dam og Kai Lund; Bo") == ["Ib Dam", "Kai Lund", " Bo"]
    assert absences.ROLE_AFTER_NAME.sub("", "Kai Lund - næstformand") == "Kai Lund"
    assert d.GENITIVE_BODY.sub(r"\1", "Kulturudvalgets") == "Kulturudvalget"
    assert d.YEAR_DIGITS.search("4. maj 2023") and not d.YEAR_DIGITS.search("4. maj")
    assert d.SENTENCE_BREAK.split("Sagen er udsat. Byrådet tog den")[-1] == "Byrådet tog den"


def test_vote_lists_on_one_line_and_for_the_proposal() -> None:
    v = d.votes_of(
        "For stemte: Ane Bro og Bo Dam (2) Imod stemte: Cai Eg (1) Undlod at stemme: Dan Fisk"
    )
    assert v is not None
    assert (v.for_names, v.against_names, v.abstain_names) == (
        ["Ane Bro", "Bo Dam"],
        ["Cai Eg"],
        ["Dan Fisk"],
    )
    v = d.votes_of("Forkastet med 2 stemmer mod 7. For forslaget stemte Eva Gran og Finn Hald.")
    assert v is not None and (v.for_, v.against, v.for_names) == (2, 7, ["Eva Gran", "Finn Hald"])
    assert d.votes_of("For at sikre fremdriften godkendes planen.") is None
