"""Votes as minutes print them — on invented text (OPDIGTET: every person here is made up).

Each shape has its own case: counts in digits and words, lists after a side and before a
verb, party blocs in brackets, bare and by name, local lists' codes, abstentions, majorities
and minorities, quoted statements, and several votes in one decision.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunegraf.extract import decisions as d
from kommunegraf.extract import votes as vt
from kommunegraf.extract.decisions import outcome_of, votes_of
from kommunegraf.extract.evaluation import Score, compare
from kommunegraf.extract.records import Decision, Item, Record, Source, Votes


def _sides(text: str) -> dict[str, object]:
    """The vote's non-empty fields, as records.md names them."""
    v = votes_of(text)
    assert v is not None, text
    return {k: x for k, x in v.to_json().items() if x not in (None, [])}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # counts
        (
            "Med stemmerne 9 for og 8 imod godkendte byrådet indstillingen.",
            {"for": 9, "against": 8},
        ),
        ("Godkendt med ni stemmer for og otte imod.", {"for": 9, "against": 8}),
        ("Vedtaget med stemmerne 21 for 2 imod.", {"for": 21, "against": 2}),
        ("Med stemmerne 14 for og ingen imod godkendte rådet sagen.", {"for": 14, "against": 0}),
        ("Med stemmerne 17 for godkendte byrådet indstillingen.", {"for": 17}),
        (
            "Anbefalet med 7 stemmer for, 2 imod og 1 undlod at stemme.",
            {"for": 7, "against": 2, "abstain": 1},
        ),
        ("Godkendt med enogtyve stemmer for og tre stemmer imod.", {"for": 21, "against": 3}),
        # named voters after their verb, party marks dropped
        (
            "Anbefales ikke. Ulla Krog (V), Per Bak (V) og Ditte Holm-Ravn (D) stemte imod.",
            {"against_names": ["Ulla Krog", "Per Bak", "Ditte Holm-Ravn"]},
        ),
        ("Godkendt. Sven E. Lind (Ø) stemte for.", {"for_names": ["Sven E. Lind"]}),
        (
            "Godkendt. Kaj Ravn de Hauch (C) undlod at tage stilling.",
            {"abstain_names": ["Kaj Ravn de Hauch"]},
        ),
        ("Godkendt. Mia Toft (F) undlod at stemme.", {"abstain_names": ["Mia Toft"]}),
        (
            "Godkendt. Mia Toft (F) og Bo Kure (A) undlader.",
            {"abstain_names": ["Mia Toft", "Bo Kure"]},
        ),
        # a comma left out after a party mark
        (
            "Ib Sand (V), Jens Mo (V) Lis Dahl (D) og Ane Fog (A) undlod at tage stilling.",
            {"abstain_names": ["Ib Sand", "Jens Mo", "Lis Dahl", "Ane Fog"]},
        ),
        # paragraphs run together: the outcome word is not part of the name
        ("Godkendt Ole Vang (Ø) stemmer imod.", {"against_names": ["Ole Vang"]}),
        (
            "Kriterier for anvisning fra Havby Kommune Ole Vang (Ø) stemmer imod",
            {"against_names": ["Ole Vang"]},
        ),
        ("Kulturudvalget Ole Vang (Ø) undlod.", {"abstain_names": ["Ole Vang"]}),
        # party blocs
        (
            "For stemte (V), (D) og Rikke Bach (UP)",
            {"for_names": ["Rikke Bach"], "for_parties": ["V", "D"]},
        ),
        ("(C) undlader.", {"abstain_parties": ["C"]}),
        ("A, B og Ø stemte for.", {"for_parties": ["A", "B", "Ø"]}),
        ("Socialdemokratiet (A) stemte imod.", {"against_parties": ["A"]}),
        ("Enhedslisten stemte imod punkt 2.", {"against_parties": ["Ø"]}),
        ("Venstre og Dansk Folkeparti stemte for.", {"for_parties": ["V", "O"]}),
        ("Imod stemte: (SF) og (DF).", {"against_parties": ["F", "O"]}),
        ("Imod stemte Ø. For så vidt angår punkt 3 gælder det samme.", {"against_parties": ["Ø"]}),
        ("For stemte (V), B), (C).", {"for_parties": ["V", "B", "C"]}),
        # local lists: a code of two or three capitals, with a number as printed
        (
            "For stemte (GL), (NYT) og Sune Hald (GL-2).",
            {"for_names": ["Sune Hald"], "for_parties": ["GL", "NYT"]},
        ),
        ("Imod stemte (UP-1).", {"against_parties": ["UP-1"]}),
        # several sides in one sentence
        (
            "A stemmer for, V og D stemmer imod og C undlader.",
            {"for_parties": ["A"], "against_parties": ["V", "D"], "abstain_parties": ["C"]},
        ),
        # people of a party named after the list
        (
            "For stemte (V) samt Eva Dam, Otto Frost fra (A). Imod stemte Kim Lyng fra (A).",
            {
                "for_names": ["Eva Dam", "Otto Frost"],
                "for_parties": ["V"],
                "against_names": ["Kim Lyng"],
            },
        ),
        # majorities and minorities
        (
            "Et flertal bestående af (V), (C) og Rikke Bach (UP) anbefaler forslaget.",
            {"for_names": ["Rikke Bach"], "for_parties": ["V", "C"]},
        ),
        ("Et mindretal bestående af (Ø) stemte imod.", {"against_parties": ["Ø"]}),
        ("Et mindretal (Ø) kunne ikke anbefale sagen.", {"against_parties": ["Ø"]}),
        (
            "Et flertal bestående af forligspartierne; Venstre og Radikale Venstre anbefaler.",
            {"for_parties": ["V", "B"]},
        ),
        # the count and the lists together
        (
            "Med stemmerne 9 for og 8 imod godkendte byrådet indstillingen. For stemte (V), (D) "
            "og Rikke Bach (UP) Imod stemte (A), (C), (F) og (Ø) med bemærkning om, at de støtter.",
            {
                "for": 9,
                "against": 8,
                "for_names": ["Rikke Bach"],
                "for_parties": ["V", "D"],
                "against_parties": ["A", "C", "F", "Ø"],
            },
        ),
        ("Imod stemte: ingen", {"against": 0}),
        # counts with their sides' lists, as council minutes print them
        (
            "Forslaget blev vedtaget med 26 stemmer (A, B, F og Ø) mod 5 (V og C).",
            {
                "for": 26,
                "against": 5,
                "for_parties": ["A", "B", "F", "Ø"],
                "against_parties": ["V", "C"],
            },
        ),
        (
            "Godkendt med 7 stemmer for (A, B og Ø) og 4 imod (V og O).",
            {"for": 7, "against": 4, "for_parties": ["A", "B", "Ø"], "against_parties": ["V", "O"]},
        ),
        (
            "For stemte 26: A, B, F og Ø. Imod stemte 5: V og C.",
            {
                "for": 26,
                "against": 5,
                "for_parties": ["A", "B", "F", "Ø"],
                "against_parties": ["V", "C"],
            },
        ),
        (
            "For stemte: A, B, F og Ø (30) Imod stemte: C, O og V (13)",
            {
                "for": 30,
                "against": 13,
                "for_parties": ["A", "B", "F", "Ø"],
                "against_parties": ["C", "O", "V"],
            },
        ),
        ("26 stemte for, 5 stemte imod.", {"for": 26, "against": 5}),
        (
            "Ved afstemning stemte 3 for (Ø, F og A), 6 imod (V, C og O).",
            {
                "for": 3,
                "against": 6,
                "for_parties": ["Ø", "F", "A"],
                "against_parties": ["V", "C", "O"],
            },
        ),
        # a title before a name is not part of it
        (
            "For stemte: Borgmester Ib Dam (A) og formand Eva Lund (V).",
            {"for_names": ["Ib Dam", "Eva Lund"]},
        ),
        # a party's members as a bloc
        (
            "Venstres medlemmer stemte imod. Socialdemokratiets byrådsgruppe undlod at stemme.",
            {"against_parties": ["V"], "abstain_parties": ["A"]},
        ),
        ("Et flertal (A, B, F og Ø) anbefaler forslaget.", {"for_parties": ["A", "B", "F", "Ø"]}),
    ],
)
def test_vote_shapes(text: str, want: dict[str, object]) -> None:
    assert _sides(text) == want


def test_quoted_statement_is_no_vote() -> None:
    text = "Lea Brink (SF) stemte imod med følgende udtalelse: ”SF stemmer mod, da A stemte for.”"
    assert _sides(text) == {"against_names": ["Lea Brink"]}


@pytest.mark.parametrize(
    "text",
    [
        "Udvalget undlod at tage stilling.",
        "Økonomiudvalget undlader og sender sagen tilbage.",
        "For at sikre fremdriften godkendes planen.",
        "For Greve Strand gælder det samme.",
        "Byrådet stemte om sagen.",
        "Godkendt enstemmigt.",
        "Undlader. Administrationen undersøger sagen.",
    ],
)
def test_no_vote(text: str) -> None:
    assert votes_of(text) is None


def test_a_voter_named_again_opens_a_later_vote() -> None:
    text = (
        "A foreslår en ændring. A stemmer for og V stemmer imod. "
        "V foreslår en anden. V stemmer for og A undlader."
    )
    assert _sides(text) == {"for_parties": ["A"], "against_parties": ["V"]}


def test_a_vote_on_a_members_competence_is_not_the_decisions_vote() -> None:
    text = (
        "Ib Dam (A) spurgte, om han var inhabil i sagens behandling. Udvalget stemte om Ib Dam "
        "kunne deltage i sagens behandling. For stemte: Eva Lund (V), Kaj Bro (C) og Ib Dam (A) "
        "Imod stemte: ingen. Udvalget erklærede, at Ib Dam (A) kan deltage i sagens behandling. "
        "Anbefales. Kaj Bro (C) stemte imod."
    )
    assert _sides(text) == {"against_names": ["Kaj Bro"]}
    ruled_out = (
        "Ib Dam (A) spurgte, om han var inhabil. For stemte: (V) og (A). Byrådet erklærede Ib "
        "Dam for inhabil i punktets behandling. Med stemmerne 9 for og 8 imod godkendt."
    )
    assert _sides(ruled_out) == {"for": 9, "against": 8}
    assert vt.COMPETENCE.search("om hun var inhabil") and vt.COMPETENCE_RULING.match(
        "erklærede Ib Dam for inhabil. Godkendt."
    ).group().endswith("inhabil")


def test_only_names_leave_counts_null() -> None:
    v = votes_of("Anbefales. Jon Vik (V) stemte imod.")
    assert v is not None and (v.for_, v.against, v.abstain) == (None, None, None)


def test_votes_round_trip_with_parties() -> None:
    v = Votes(for_=9, against=8, for_names=["Rikke Bach"], for_parties=["V", "D"])
    data = json.loads(json.dumps(v.to_json()))
    assert data["for_parties"] == ["V", "D"] and data["against_parties"] == []
    assert set(data) == {
        "for",
        "against",
        "abstain",
        "for_names",
        "against_names",
        "abstain_names",
        "for_parties",
        "against_parties",
        "abstain_parties",
    }
    assert Votes.from_json(data) == v
    d = Decision("Byråd", "2024-01-01", "approved", "…", [], v)
    assert Decision.from_json(d.to_json()) == d


def test_pattern_examples() -> None:
    assert vt.VOTE_FOR_AGAINST.search("med 4 stemmer for og 3 stemmer imod")
    assert vt.VOTE_FOR_AGAINST.search("Med stemmerne 9 for og 8 imod")
    assert not vt.VOTE_FOR_AGAINST.search("for 9 år siden og 8 imod")
    assert vt.VOTE_X_MOD_Y.search("vedtaget med 6 mod 5")
    assert vt.VOTE_ONLY_FOR.search("med 11 stemmer.")
    assert vt.VOTE_ONLY_FOR.search("Med stemmerne 18 for godkendte")
    assert not vt.VOTE_ONLY_FOR.search("Med stemmerne 18 for og 2 imod")
    assert vt.SIDE_BEFORE.match("For administrationens indstilling stemte: ")
    assert vt.SIDE_BEFORE.match("Imod stemte ")
    assert not vt.SIDE_BEFORE.match("For at sikre")
    assert vt.SIDE_AFTER.match("undlod at tage stilling")
    assert vt.SIDE_AFTER.match("stemmer imod")
    assert not vt.SIDE_AFTER.match("Undlod at stemme")  # opens a list, ends none
    assert vt.MAJORITY.match("flertal bestående af ")
    assert vt.VOTER_LIST.match("(V), (D) og Rikke Bach (UP)")["list"].endswith("(UP)")
    assert vt.VOTER_LIST.match("Ane Bro og Bo Dam (2)")["count"] == "2"
    assert vt.ONE_VOTER.match("Socialdemokratiet (A)")["bloc"]
    assert vt.ONE_VOTER.match("Jon T. Vik (V)")["person"] == "Jon T. Vik"
    assert not vt.ONE_VOTER.match("Udvalget")
    assert vt.QUOTED.sub("", "A ”B” C") == "A  C"
    m = vt.VOTE_COUNTED_LISTS.search("med 26 stemmer (A og B) mod 5 (V)")
    assert m and (m["for"], m["for_list"], m["against"], m["against_list"]) == (
        "26",
        "A og B",
        "5",
        "V",
    )
    assert vt.PARTY_NAME_START.match("Venstres medlemmer").group() == "Venstre"
    assert vt.SIDE_BEFORE.match("For stemte 26: ")["count"] == "26"
    assert vt.NOBODY.match("ingen.")
    assert d.PART_NUMBER.match("7.a-c indstilles")["sub"]
    assert d.PART_NUMBER.match("1.-2. Anbefales")["n"] == "1"
    assert d.PART_NUMBER.match("1-4 Udvalget")
    assert not d.PART_NUMBER.match("1.5 mio.")["sub"]
    assert d.PART_AFTER_SENTENCE.search("til efterretning. ")
    assert not d.PART_AFTER_SENTENCE.search("til efterretning ")


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Anbefales ikke.", "rejected"),
        ("1.-2. Anbefales ikke. Jon Vik (V) stemte imod.", "rejected"),
        ("Udvalget kan ikke anbefale forslaget.", "rejected"),
        ("Anbefales, at der ikke arbejdes videre med sagen.", "recommended"),
        ("Anbefales over for Byrådet.", "recommended"),
        ("Indstillingen godkendt.", "approved"),
        ("Godkendt med stemmerne 9 for og 8 imod.", "approved"),
        ("Sagen sendes tilbage til administrationen.", "postponed"),
        ("Byrådet besluttede at sende sagen tilbage til udvalget.", "postponed"),
        ("Byrådet besluttede at udsætte sagen.", "postponed"),
        ("Udvalget undlod at tage stilling til indstillingerne.", "postponed"),
        ("Udvalget tager ikke stilling.", "postponed"),
        ("1-4 Kulturudvalget undlader og sender sagen tilbage.", "postponed"),
        ("Undlader. Administrationen undersøger sagen.", "postponed"),
        ("Udvalget udskyder sagen.", "postponed"),
        ("Byrådet sendte sagen tilbage til fagudvalget.", "postponed"),
        ("Udvalget ønsker sagen genoptaget på næste møde.", "postponed"),
        ("Sagen genoptaget. Godkendt.", "approved"),
        ("Sagen genfremsættes i januar.", "postponed"),
        ("Sagen blev taget af dagsordenen.", "postponed"),
        ("Dagsordenen blev godkendt.", "approved"),
        ("Udvalget kan ikke følge indstillingen.", "rejected"),
        ("Udvalget indstiller, at planen vedtages.", "recommended"),
        ("Økonomiudvalget oversender forslaget til Byrådets 2. behandling.", "recommended"),
        ("Økonomiudvalget tiltræder fagudvalgets beslutning.", "approved"),
        ("1. Ansøger A tildeles pladsen. 2. Ansøger B tildeles pladsen.", "approved"),
        ("Udvalget valgte Ib Dam (V) som næstformand.", "decided"),
        ("Byrådet udpegede Eva Lund som formand.", "decided"),
        ("Det blev besluttet, at møderne flyttes.", "decided"),
        ("Temamødet blev holdt.", "other"),
        ("Udvalget godkendte ikke ansøgningen.", "rejected"),
        ("Forslaget faldt med 3 stemmer for og 6 imod.", "rejected"),
        ("Byrådet vedtog forslaget.", "approved"),
        ("Udgifterne faldt i 2023; regnskabet blev godkendt.", "approved"),
        ("Udvalget bemærker, at nye medlemmer får tildelt en mentor.", "other"),
        ("Anbefales. Eva Dam (C) undlod at tage stilling.", "recommended"),
        ("Byrådet besluttede at igangsætte arbejdet.", "decided"),
        ("Formanden orienterer om mødet.", "noted"),
        ("Derudover orienteres der om: vejarbejdet.", "noted"),
        # numbered parts
        ("1. Taget til efterretning 2. Taget til efterretning 3. Godkendt", "decided"),
        ("1. Status blev taget til efterretning 4.a-c indstilles godkendt", "decided"),
        ("1.status blev taget til efterretning. 6. anbefales idet sagen …", "decided"),
        ("1. Anbefales. 2. a.-h. Anbefales - dog med en bemærkning.", "recommended"),
        ("1-6. Tages til efterretning og anbefales.", "noted"),
        ("1. Godkendt, idet udvalget den 20. juni drøftede sagen.", "approved"),
        ("1. Byrådet godkendte sagen med 19 for og 2 imod til 2. behandling.", "approved"),
    ],
)
def test_outcome_of_real_wording(text: str, outcome: str) -> None:
    assert outcome_of(text) == outcome


def test_gold_decision_texts(shared_dir: Path) -> None:
    """The shared readers agree with every gold decision's outcome and votes (the gold of
    real minutes; the texts are read at run time, never copied)."""
    gold = sorted((shared_dir / "corpus" / "gold").glob("*.json"))
    if not gold:
        pytest.skip("no gold records under ../shared/corpus/gold")
    wrong = []
    for path in gold:
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            for dec in item.get("decisions") or []:
                if outcome_of(dec["text"]) != dec["outcome"]:
                    wrong.append((path.stem, item["number"], "outcome"))
                got = votes_of(dec["text"])
                want = Votes.from_json(dec["votes"]) if dec.get("votes") else None
                if got != want:
                    wrong.append((path.stem, item["number"], "votes"))
    assert wrong == []


def _record(votes: dict[str, object] | None) -> dict[str, object]:
    decision = Decision("Byråd", "2024-01-01", "approved", "Godkendt.", [], None)
    record = Record(Source("x.json", "0"), items=[Item(1, "Sag", decisions=[decision])])
    data = record.to_json()
    data["items"][0]["decisions"][0]["votes"] = votes
    return data


def test_evaluation_scores_party_blocs_where_the_gold_has_them() -> None:
    got = Votes(against_parties=["Ø"]).to_json()
    wrong = Votes(against_parties=["F"]).to_json()
    scores: dict[str, Score] = {}
    compare(_record(got), _record(got), scores)
    compare(_record(got), _record(wrong), scores)
    assert (scores["votes"].right, scores["votes"].total) == (1, 2)
    # a gold vote without the party keys (an older gold file) does not score them
    old = {k: v for k, v in wrong.items() if not k.endswith("_parties")}
    scores = {}
    compare(_record(got), _record(old), scores)
    assert scores["votes"].right == 1


@pytest.mark.parametrize("text", ["1", "12", "1.5 mio. kr. bevilges", "2024 blev sagen godkendt"])
def test_outcome_of_text_opening_with_a_number_that_starts_no_part(text: str) -> None:
    assert outcome_of(text) in ("other", "approved")


def test_hostile_lengths_are_read_in_bounded_windows() -> None:
    # a list of 40,000 voters is read no further than any real list, and 10,000 verbs
    # without voters find none (a hang guard: the result, not the time, is asserted)
    v = votes_of("For stemte " + "(V), " * 40_000)
    assert v is not None and v.for_parties == ["V"]
    assert votes_of("Udvalget undlod " * 10_000) is None
    v = votes_of("Ib Dam (V) stemte imod. " * 8_000)
    assert v is not None and v.against_names == ["Ib Dam"]
