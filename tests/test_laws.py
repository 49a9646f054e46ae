"""Law citations in an item's text (extract/entities/laws.py): invented examples, one per rule."""

from __future__ import annotations

import pytest
import regex as re
from hypothesis import given
from hypothesis import strategies as st

from kommunegraf.extract.entities import law_citations as C
from kommunegraf.extract.entities import law_patterns as P
from kommunegraf.extract.entities.laws import find_laws
from kommunegraf.extract.records import LAW_KINDS

ELI = "https://www.retsinformation.dk/eli/"


def found(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(x.kind, x.act, x.provision) for x in find_laws(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named acts, genitive → base form, with stk./nr./litra
        ("Borgeren visiteres efter servicelovens § 85, stk. 2.",
         [("act", "serviceloven", "§ 85, stk. 2")]),
        ("Afgørelsen begrundes, jf. Forvaltningslovens § 22.",
         [("act", "Forvaltningsloven", "§ 22")]),
        ("Tilskud gives efter dagtilbudslovens § 3, nr. 2.",
         [("act", "dagtilbudsloven", "§ 3, nr. 2")]),
        ("Påbuddet følger af miljøbeskyttelseslovens § 10, litra a.",
         [("act", "miljøbeskyttelsesloven", "§ 10, litra a")]),
        ("Klagen afgøres efter forvaltningslovens § 19, stk. 2, nr. 1.",
         [("act", "forvaltningsloven", "§ 19, stk. 2, nr. 1")]),
        ("Som fastsat i Udlændingeloven (§ 9, stk. 3) og i Integrationsloven.",
         [("act", "Udlændingeloven", "§ 9, stk. 3"), ("act", "Integrationsloven", None)]),
        # a law by its title, with a list of provisions: one entry per provision
        ("Lovgrundlag: Lov om social service, § 41, § 42 og kapitel 16.",
         [("act", "Lov om social service", "§ 41"), ("act", "Lov om social service", "§ 42"),
          ("act", "Lov om social service", "kapitel 16")]),
        ("Lov om aktiv socialpolitik § 13 f og § 34",
         [("act", "Lov om aktiv socialpolitik", "§ 13 f"),
          ("act", "Lov om aktiv socialpolitik", "§ 34")]),
        ("jf. serviceloven §§ 107 og 108",
         [("act", "serviceloven", "§ 107"), ("act", "serviceloven", "§ 108")]),
        ("jf. Forvaltningslovens §§ 9-11",
         [("act", "Forvaltningsloven", "§§ 9-11")]),
        ("efter lov om kommunernes styrelse § 17, stk. 2 og 3",
         [("act", "lov om kommunernes styrelse", "§ 17, stk. 2"),
          ("act", "lov om kommunernes styrelse", "§ 17, stk. 3")]),
        ("miljøbeskyttelseslovens kapitel 3 og 4",
         [("act", "miljøbeskyttelsesloven", "kapitel 3"),
          ("act", "miljøbeskyttelsesloven", "kapitel 4")]),
        # provisions printed before the law
        ("Der henvises til § 52 i serviceloven og §§ 3 og 4 i lov om kommunernes styrelse.",
         [("act", "serviceloven", "§ 52"), ("act", "lov om kommunernes styrelse", "§ 3"),
          ("act", "lov om kommunernes styrelse", "§ 4")]),
        # abbreviations
        ("Indsatsen sker efter LAB-loven og SEL § 52, stk. 3, nr. 7.",
         [("act", "LAB-loven", None), ("act", "SEL", "§ 52, stk. 3, nr. 7")]),
        ("Jf. LAS § 34 og RSL § 10 skal kommunen vurdere sagen.",
         [("act", "LAS", "§ 34"), ("act", "RSL", "§ 10")]),
        # a title without its "lov om" before a "§" gets it back
        ("hjælp efter aktiv socialpolitik § 27 a",
         [("act", "Lov om aktiv socialpolitik", "§ 27 a")]),
        ("ydelser efter social service § 100", [("act", "Lov om social service", "§ 100")]),
        # a law's title stops at a clause, another law or punctuation
        ("Lov om fremme af vedvarende energi skal ændres.",
         [("act", "Lov om fremme af vedvarende energi", None)]),
        ("efter Lov om social pension eller Sundhedsloven.",
         [("act", "Lov om social pension", None), ("act", "Sundhedsloven", None)]),
        # the same law by another name is the same entry
        ("efter Lov om social pension (pensionsloven)", [("act", "Lov om social pension", None)]),
        ("Lov om vandløb (VL), kap. 4 (Vedligeholdelse)",
         [("act", "Lov om vandløb", "kap. 4")]),
        # amending acts: the amended laws inside the title are part of it
        ("Lov om ændring af lov om social pension og lov om sygedagpenge af 3. juni 2021.",
         [("act", "Lov om ændring af lov om social pension og lov om sygedagpenge af 3. juni 2021",
           None)]),
        # numbered acts, executive orders and guidance (number + date kept in the act)
        ("Lov nr. 548 af 7. maj 2019 om en aktiv beskæftigelsesindsats, § 2, gælder.",
         [("act", "Lov nr. 548 af 7. maj 2019 om en aktiv beskæftigelsesindsats", "§ 2")]),
        ("jf. lovbekendtgørelse nr. 1287 af 28. august 2020",
         [("act", "lovbekendtgørelse nr. 1287 af 28. august 2020", None)]),
        ("Se bekendtgørelse nr. 1555 af 18. december 2019 om kommunernes budget- og "
         "regnskabsvæsen.",
         [("executive_order",
           "bekendtgørelse nr. 1555 af 18. december 2019 om kommunernes budget- og regnskabsvæsen",
           None)]),
        ("Bek. nr. 77 af 2/2-2021 og BEK nr 1234 af 15/06/2020",
         [("executive_order", "Bek. nr. 77 af 2/2-2021", None),
          ("executive_order", "BEK nr 1234 af 15/06/2020", None)]),
        ("Vejledning nr. 9876 af 1/7-2021 og VEJ nr 9240 af 04/09/2022",
         [("guidance", "Vejledning nr. 9876 af 1/7-2021", None),
          ("guidance", "VEJ nr 9240 af 04/09/2022", None)]),
        # executive orders and guidance by their title
        ("Reglerne står i bekendtgørelse om hjemmehjælp til borgere i eget hjem.",
         [("executive_order", "bekendtgørelse om hjemmehjælp til borgere i eget hjem", None)]),
        ("jf. vejledningen om botilbud til voksne, som netop er udsendt",
         [("guidance", "vejledningen om botilbud til voksne", None)]),
        # named rules, in several spellings
        ("Borgere omfattet af 225 timers-reglen og 225-timers reglen får brev.",
         [("rule", "225-timersreglen", None)]),
        ("Kommunen overholder 9 måneders-reglen.", [("rule", "9-månedersreglen", None)]),
        ("Udgiften afholdes jf. tilskudsreglerne.", [("rule", "tilskudsreglerne", None)]),
        # rulings with several number shapes
        ("Ankestyrelsens principmeddelelse 12-19 og principafgørelse A-3-05",
         [("ruling", "Ankestyrelsens principmeddelelse 12-19", None),
          ("ruling", "principafgørelse A-3-05", None)]),
        ("principafgørelserne 44-18 og 45-18",
         [("ruling", "principafgørelse 44-18", None), ("ruling", "principafgørelse 45-18", None)]),
        ("Bilag_Ankestyrelsens principafgørelse nr. 101-20",
         [("ruling", "Ankestyrelsens principafgørelse 101-20", None)]),
        # acts named with a year, and two-word names
        ("Forudsat at rammen fastholdes i finansloven for 2021.",
         [("act", "finansloven for 2021", None)]),
        ("i henhold til Barnets lov § 47", [("act", "Barnets lov", "§ 47")]),
        # executive orders by a one-word name: genitive → base form, provisions either side
        ("Tilladelsen gives efter husdyrbekendtgørelsens § 12, stk. 3.",
         [("executive_order", "husdyrbekendtgørelsen", "§ 12, stk. 3")]),
        ("Udledningen er omfattet af § 7 i spildevandsbekendtgørelsen.",
         [("executive_order", "spildevandsbekendtgørelsen", "§ 7")]),
        ("Lånet optages inden for rammerne af Lånebekendtgørelsen og BBR-bekendtgørelsen.",
         [("executive_order", "Lånebekendtgørelsen", None),
          ("executive_order", "BBR-bekendtgørelsen", None)]),
        ("Efter STØJBEKENDTGØRELSENS § 4 og STØJBEKENDTGØRELSEN § 9",
         [("executive_order", "STØJBEKENDTGØRELSEN", "§ 4"),
          ("executive_order", "STØJBEKENDTGØRELSEN", "§ 9")]),
        ("jf. §§ 2 og 6 i jordflytningsbekendtgørelsen",  # no stray "§ 6" without an order
         [("executive_order", "jordflytningsbekendtgørelsen", "§ 2"),
          ("executive_order", "jordflytningsbekendtgørelsen", "§ 6")]),
        ("-gødningsbekendtgørelsen gælder fortsat",  # a bullet's dash is not the name's
         [("executive_order", "gødningsbekendtgørelsen", None)]),
        # a title or number with the law's one-word name in parentheses: one law, and the
        # provisions after the name are its own
        ("jf. bekendtgørelse om støj (støjbekendtgørelsen) § 3",
         [("executive_order", "bekendtgørelse om støj", "§ 3")]),
        ("Bevillingen gives efter Lov om social service (serviceloven) § 85.",
         [("act", "Lov om social service", "§ 85")]),
        ("Lov nr. 120 af 4. marts 2021 om skove (skovloven) § 8",
         [("act", "Lov nr. 120 af 4. marts 2021 om skove", "§ 8")]),
        ("lov om planlægning (herefter planloven) § 19 og lov om social service "
         "(serviceloven, SEL) § 41",
         [("act", "lov om planlægning", "§ 19"), ("act", "lov om social service", "§ 41")]),
        # a provision without any law
        ("Udvalget nedsættes efter § 17, stk. 4.", [("act", None, "§ 17, stk. 4")]),
    ],
)  # fmt: skip
def test_citations(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a wrapped line between the name and its provisions, by title, name and genitive
        ("bevilges efter lov om aktiv beskæftigelsesindsats\n§ 42 til de ledige",
         [("act", "lov om aktiv beskæftigelsesindsats", "§ 42")]),
        ("og efter vejloven\n§ 80, stk. 2, kan vejmyndigheden",
         [("act", "vejloven", "§ 80, stk. 2")]),
        ("jf. byggelovens \n  § 16 C om tilsyn", [("act", "byggeloven", "§ 16 C")]),
        # a law per line, as in a "Lovgrundlag" section
        ("Hjemmel\nVandløbsloven\n§ 37.\nMiljøbeskyttelsesloven\n§ 19.",
         [("act", "Vandløbsloven", "§ 37"), ("act", "Miljøbeskyttelsesloven", "§ 19")]),
        # provisions before the name, the line wrapping after "i" or before it
        ("tilskud efter § 18 i\nserviceloven", [("act", "serviceloven", "§ 18")]),
        ("tilskud efter § 18\ni serviceloven", [("act", "serviceloven", "§ 18")]),
        # a guidance's one-word name in parentheses: the provisions after it are the guidance's
        ("jf. Vejledning om genoptræning (genoptræningsvejledningen) § 7",
         [("guidance", "Vejledning om genoptræning", "§ 7")]),
        # a list of provisions does not wrap: the next line's belong to the law after them
        ("Hjemlen er lov om erhvervsuddannelser § 12 og\n§ 3 i erhvervsskoleloven",
         [("act", "lov om erhvervsuddannelser", "§ 12"), ("act", "erhvervsskoleloven", "§ 3")]),
        ("Bevilget efter sundhedsloven § 140\nOg § 6 i aftalen gælder stadig.",
         [("act", "sundhedsloven", "§ 140"), ("act", None, "§ 6")]),
        # the next line's provision is not the law's when it is another's, heads a section of
        # a statute's text, starts a compound or is a chapter of something else
        ("Ændring af jagtloven\n§ 5 i lejekontrakten gælder fortsat.",
         [("act", "jagtloven", None), ("act", None, "§ 5")]),
        ("Lovgrundlag\nSundhedsloven\n§ 119 i serviceloven",
         [("act", "Sundhedsloven", None), ("act", "serviceloven", "§ 119")]),
        ("Tillæg udarbejdet efter planloven\n§ 1 Formål",
         [("act", "planloven", None), ("act", None, "§ 1")]),
        ("Nyt om skoleloven\n§ 12-udvalget mødes i maj",
         [("act", "skoleloven", None), ("act", None, "§ 12")]),
        ("Notat om vandløbsloven\nKapitel 2 i notatet handler om økonomi",
         [("act", "vandløbsloven", None)]),
        ("Ændring af fiskeriloven\n§ 80, stk. 2, i havneloven giver hjemmel.",
         [("act", "fiskeriloven", None), ("act", None, "§ 80, stk. 2"),
          ("act", "havneloven", None)]),
        ("Ændring af jagtloven\n§ 5 og 6 i lejekontrakten gælder fortsat.",
         [("act", "jagtloven", None), ("act", None, "§ 5")]),
        ("Kommunen følger sundhedsloven\n§ 3 jf. aftalen med regionen",
         [("act", "sundhedsloven", None), ("act", None, "§ 3")]),
        ("Vedtægt efter dagtilbudsloven\n§ 1. Formål", [("act", "dagtilbudsloven", None),
                                                       ("act", None, "§ 1")]),
        ("Nyt om skoleloven\n§ 12–udvalget mødes", [("act", "skoleloven", None),
                                                   ("act", None, "§ 12")]),
        # nor does a document's title take a provision from the next line
        ("Udkast til bekendtgørelse om tilskud efter havnelovens\n§ 3 i aftalen gælder",
         [("executive_order", "bekendtgørelse om tilskud efter havnelovens", None),
          ("act", "havneloven", None), ("act", None, "§ 3")]),
        # a capital after a line break starts a new sentence, not "i"/"efter" before a law
        ("Støtte efter § 41\nEfter sundhedsloven gives ingen støtte.",
         [("act", None, "§ 41"), ("act", "sundhedsloven", None)]),
        # a blank line is a new paragraph: the provision there belongs to no law
        ("Sagen følger vejloven.\n\n§ 80 nævnes ikke", [("act", "vejloven", None),
                                                       ("act", None, "§ 80")]),
        ("tilskud efter § 18 i\n\nserviceloven", [("act", None, "§ 18"),
                                                  ("act", "serviceloven", None)]),
    ],
)  # fmt: skip
def test_provisions_reach_their_law_over_a_wrapped_line_or_a_name_in_parentheses(
    text: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Borgeren har barselsorlov og forældreorlov.",  # "-orlov" is leave, not a law
        "Regeringen vil fremsætte en ny servicelov.",  # a law yet to come
        "Udspil til en forenklet beskæftigelseslov",
        "Der er kommet nye regler, og reglerne om tilskud gælder.",  # no named rule
        "Ifølge hovedreglen og spillereglerne skal der søges.",
        "Brevene opdateres med §-henvisninger.",  # no number after §
        "Der er lovændringer, lovkrav og lovgivning på området.",
        "loven og lovens formål",  # no name
        "Borgeren får vejledning om jobsøgning.",  # counselling, not a guidance document
        "en afgørelse fra Ankestyrelsen",  # a ruling without a number
        "Som bekendt er sagen lukket.",
        # an order's kind, not its name; an order yet to come
        "Lovbekendtgørelsen og ændringsbekendtgørelsen er offentliggjort.",
        "Ikrafttrædelsesbekendtgørelsen og høringsbekendtgørelsen følger.",
        "Ændringsloven træder i kraft, og ændringslovens regler gælder fra 1. juli.",
        "Ministeriet sender en ny gødningsbekendtgørelse i høring.",
        "kravet om 225 timers arbejde",  # hours, not the rule
    ],
)
def test_no_citation(text: str) -> None:
    assert find_laws(text) == []


def test_each_entry_keeps_the_full_printed_citation() -> None:
    text = "Lovgrundlag\n\nLov om social service, § 41, § 42 og kapitel 16 (Børn og unge)\n"
    assert {x.text for x in find_laws(text)} == {
        "Lov om social service, § 41, § 42 og kapitel 16 (Børn og unge)"
    }


def test_quoted_title_of_a_numbered_document_is_in_its_text_and_not_cited_again() -> None:
    text = (
        'Bek. nr. 77 af 2/2-2021 – "bekendtgørelsen om kommunernes tilsyn med\n\n'
        "plejehjem efter servicelovens § 151”."
    )
    result = find_laws(text)
    assert [(x.kind, x.act, x.provision) for x in result] == [
        ("executive_order", "Bek. nr. 77 af 2/2-2021", None),
        ("act", "serviceloven", "§ 151"),
    ]
    assert result[0].text == (
        'Bek. nr. 77 af 2/2-2021 – "bekendtgørelsen om kommunernes tilsyn med plejehjem efter '
        "servicelovens § 151”"
    )


def test_listed_once_in_order_of_first_appearance() -> None:
    text = (
        "Sagen følger Lov om aktiv socialpolitik. Aktivloven og LAS § 34 nævnes, "
        "og senere igen aktivlovens § 34. Til sidst Serviceloven."
    )
    assert found(text) == [
        ("act", "Lov om aktiv socialpolitik", None),
        ("act", "LAS", "§ 34"),
        ("act", "Serviceloven", None),
    ]


def test_same_law_with_another_provision_is_another_entry() -> None:
    assert found("Udlændingeloven (§ 9, stk. 3). Retligt grundlag: Udlændingeloven.") == [
        ("act", "Udlændingeloven", "§ 9, stk. 3"),
        ("act", "Udlændingeloven", None),
    ]


def test_a_numbered_guidance_cited_again_without_its_date_is_the_same() -> None:
    text = "Vejledning nr. 9876 af 1/7-2021.\n\nBilag: Styrelsens vejledning nr 9876"
    assert found(text) == [("guidance", "Vejledning nr. 9876 af 1/7-2021", None)]


def test_canonical_ids() -> None:
    result = {(x.act, x.provision): x.canonical for x in find_laws(
        "servicelovens § 85, stk. 2; Offentlighedslovens § 23; Lov nr. 548 af 7. maj 2019 om en "
        "aktiv beskæftigelsesindsats; 225 timers-reglen; principafgørelse 44-18; § 17"
    )}  # fmt: skip
    assert result == {
        ("serviceloven", "§ 85, stk. 2"): "lov/serviceloven/paragraf/85-stk-2",
        ("Offentlighedsloven", "§ 23"): f"{ELI}lta/2013/606/paragraf/23",
        ("Lov nr. 548 af 7. maj 2019 om en aktiv beskæftigelsesindsats", None): (
            f"{ELI}lta/2019/548"
        ),
        ("225-timersreglen", None): "lov/225-timersreglen",
        ("principafgørelse 44-18", None): "lov/principafgoerelse-44-18",
        (None, "§ 17"): None,
    }


def test_a_title_is_known_by_the_name_printed_after_it() -> None:
    """ "lov om vandløb (vandløbsloven)" is the law that "vandløbslovens § 38" cites; a numbered
    law keeps its ELI."""
    laws = find_laws(
        "Efter lov om vandløb (vandløbsloven) § 37 og vandløbslovens § 38 samt vandløbsloven "
        "§ 37 og Lov nr. 120 af 4. marts 2021 om skove (skovloven)."
    )
    assert [(law.provision, law.canonical) for law in laws] == [
        ("§ 37", "lov/vandloebsloven/paragraf/37"),
        ("§ 38", "lov/vandloebsloven/paragraf/38"),
        (None, f"{ELI}lta/2021/120"),
    ]


@pytest.mark.parametrize(
    ("text", "canonicals"),
    [
        # two numbered versions named alike stay two laws
        ("Lov nr. 120 af 4. marts 2021 om skove (skovloven) § 8 og lovbekendtgørelse nr. 300 "
         "af 1. april 2023 om skove (skovloven) § 8",
         [f"{ELI}lta/2021/120/paragraf/8", f"{ELI}lta/2023/300/paragraf/8"]),
        # a number without its year does not resolve: the name does
        ("Lov nr. 120 om skove (skovloven) § 8", ["lov/skovloven/paragraf/8"]),
        # a title the law table knows is the law, whatever the parentheses say
        ("lov om social service (sundhedsloven) § 85", ["lov/serviceloven/paragraf/85"]),
        # a kind word in parentheses is no name
        ("jf. bekendtgørelse om støj (ændringsbekendtgørelsen)", ["lov/bekendtgoerelse-om-stoej"]),
        ("lov om social service (orloven)", ["lov/serviceloven"]),
    ],
)  # fmt: skip
def test_which_name_a_titled_law_is_known_by(text: str, canonicals: list[str]) -> None:
    assert [law.canonical for law in find_laws(text) if law.act] == canonicals


def test_kinds_are_those_of_the_record() -> None:
    text = (
        "Lov om social service § 1, bekendtgørelse nr. 5 af 1/1-2020, vejledning nr. 6 af "
        "2/2-2020, 225-timers-reglen og principafgørelse 1-20"
    )
    assert {x.kind for x in find_laws(text)} == set(LAW_KINDS)


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        (P.NUMBERED_DOCUMENT, "Bek. Nr. 12 af 1/2-2019", "Skovvej nr. 12"),
        (P.LAW_ABOUT, " om kommunernes styrelse", "omkring"),
        (P.LAW_TITLE_HEAD, "Lov om social pension", "lovforslag om"),
        (P.ORDER_TITLE_HEAD, "bekendtgørelser om tilsyn", "Som bekendt om"),
        (P.GUIDANCE_TITLE_HEAD, "Vejledning om hjemmehjælp", "fik vejledning om job"),
        (P.LAW_WORD_END, "Planlovens", "lovgivningen"),
        (P.ORDER_WORD_END, "støjbekendtgørelsens", "bekendtgørelserne"),
        (P.NAME_AFTER_TITLE, " (herefter støjbekendtgørelsen)", " (bekendtgørelse om støj)"),
        (P.NAME_YEAR, " for 2021", " 2021-udgaven"),
        (P.RULE_WORD_END, "reglerne", "regelsættet"),
        (P.NUMBERED_RULE, "300-timers-reglen", "300 timers arbejde"),
        (P.RULE_CUE_BEFORE, "i henhold til ", "henhold"),
        (P.RULING, "principmeddelelse 3-21", "principiel afgørelse"),
        (P.RULING_ISSUER_BEFORE, "Ankestyrelsens ", "Styrelsens "),
        (P.RULING_ID, "C-3-05", "C-3"),
        (P.PROVISION, "§ 3, stk. 1, nr. 2", "§-henvisning"),
        (P.PROVISION_LIST, "§ 2, § 31 og kap. 4", "paragraf 2"),
        (P.PROVISIONS_AFTER_NAME, " (§ 9, stk. 3)", " og så"),
        (P.PROVISIONS_BEFORE_NAME, "§ 52 i ", "§ 52 om "),
        (P.ABBREVIATION_AFTER_NAME, " (IGU)", " (Igu)"),
        (P.PARENTHESIS_AFTER, " (Børn og unge)", " (§ 2)"),
        (P.QUOTED_TITLE_AFTER, ' – "vejledning om tilskud"', " – vejledning om tilskud"),
        (P.SUBSECTION_LIST, "§ 17, stk. 2 og 3", "§ 17, stk. 2"),
        (P.CHAPTER_LIST, "kapitel 3 og 4", "kapitel 3-5"),
        (P.PARAGRAPH_NUMBER, "7-9", "§"),
        (P.LIST_SEPARATOR, "2 og 3", "2-4"),
        (P.TITLE_TOKEN, "m.v.", ""),
        (P.KNOWN_TITLE, "retssikkerhed og administration på det sociale område", "retssikker"),
        (P.NAME_BEFORE_PARAGRAPH, "efter SEL ", "efter SELV "),
    ],
)
def test_named_patterns(pattern: re.Pattern, matching: str, not_matching: str) -> None:
    assert pattern.search(matching)
    assert not pattern.search(not_matching)


def test_empty_text() -> None:
    assert find_laws("") == []


# --- the pre-checks before each pattern: the same citations as the pattern alone ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PROVISIONS_BEFORE_NAME ends in "$", which also matches before a last line break
        ("Det følger af § 52 i \nserviceloven.", [("act", "serviceloven", "§ 52")]),
        ("Hjemlen er kap. 3 efter\tLAB-loven", [("act", "LAB-loven", "kap. 3")]),
        # provisions after blanks, a comma or a parenthesis; "K" (the Kelvin sign) is a "k"
        ("Planloven ,  § 12", [("act", "Planloven", "§ 12")]),
        ("Planloven ( § 12 )", [("act", "Planloven", "§ 12")]),
        ("Planloven \u212aap. 4", [("act", "Planloven", "\u212aap. 4")]),
        # "nr" inside a word is no numbered document; one after a tab is
        ("Sagsnr. 12 af 1/2-2020 og lov\tnr. 5", [("act", "lov nr. 5", None)]),
        # a rule's word and a ruling found from their fixed strings
        ("jf. tilskudsreglerne og Principafgørelse 12-19",
         [("rule", "tilskudsreglerne", None), ("ruling", "Principafgørelse 12-19", None)]),
        # a text whose lower case is longer ("İ") is searched in each case
        ("İ henhold til LOV OM SOCIAL SERVICE § 3", [("act", "LOV OM SOCIAL SERVICE", "§ 3")]),
    ],
)  # fmt: skip
def test_pre_checks_keep_every_citation(text: str, expected: list[tuple]) -> None:
    assert found(text) == expected


def test_mentions_lower_is_str_lower() -> None:
    from kommunegraf.extract.entities.mentions import lower

    for text in ["", "Lov OM", "ÆRØ Ål ØST µß ÿ", "Bek. – „x“", "İstanbul", "\u212aap"]:
        assert lower(text) == text.lower()


def test_mentions_positions_and_near() -> None:
    from kommunegraf.extract.entities.mentions import near, positions

    assert positions("aaa ab", ("aa", "b")) == [0, 1, 5]
    assert positions("xyz", ("q",)) == []
    pattern = re.compile(r"\d+ kr\.")
    text = "Pris 10 kr. og 200 kr. samt 3 kr"
    anchors = [text.index("kr"), text.index("10"), text.index("200 kr") + 4]
    assert [m.group() for m in near(pattern, text, anchors, 5, 10)] == ["10 kr.", "200 kr."]


def test_mentions_char_class_is_its_pattern() -> None:
    from kommunegraf.extract.entities.mentions import CharClass

    pattern = re.compile(r"[\p{L}\p{N}'’-]")
    chars = CharClass(pattern)
    for code in [*range(0x3000), 0x1F600, 0x2B739, 0x11F50]:
        assert (chr(code) in chars) == bool(pattern.fullmatch(chr(code)))


def _naive_outermost(cites: list) -> list:
    """The definition, pair by pair: within another span (not the same) of its kind, or of
    any kind for a provision without a law."""
    return [
        c
        for c in cites
        if not any(
            (o.kind == c.kind or c.act is None)
            and o.start <= c.start
            and c.end <= o.end
            and (o.start, o.end) != (c.start, c.end)
            for o in cites
        )
    ]


_spans = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.integers(0, 10),
        st.sampled_from(["act", "executive_order", "guidance"]),
        st.booleans(),
    ),
    max_size=25,
)


@given(_spans)
def test_outermost_keeps_exactly_the_citations_within_no_other(spans: list) -> None:
    cites = [
        C.Citation(start, start + length, kind, None if lawless else "x")
        for start, length, kind, lawless in spans
    ]
    assert C.outermost(cites) == _naive_outermost(cites)


@pytest.mark.parametrize("after", ["\n", ".\n", ")", " om tilskud", ", kan kommunen"])
def test_what_may_follow_wrapped_provisions(after: str) -> None:
    assert P.WRAPPED_PROVISIONS_END.match(after)


@pytest.mark.parametrize(
    "after", [" i lejekontrakten", ", i planloven", " og 6", " jf. aftalen", ". Formål", "-udvalg"]
)
def test_what_hands_wrapped_provisions_on(after: str) -> None:
    assert not P.WRAPPED_PROVISIONS_END.match(after)
