"""find_organisations on invented minutes text, and the name helpers behind it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunegraf.extract.entities.names import (
    CAPITALISED_TOKEN,
    CAPITALISED_TOKEN_BMP,
    acronym_fits,
    base_form,
    capitalised_tokens,
    organisation_key,
    strip_definite,
)
from kommunegraf.extract.entities.organisation_patterns import (
    APPOSITIVE_ABBREVIATION,
    BARE_COORDINATION_BEFORE,
    BRACKETED,
    COLLABORATION,
    COORDINATION_BEFORE,
    COPULA_GAP,
    COPULA_NOUN,
    FOR_NAME,
    INTRODUCING_NOUN,
    REGION_NAME,
    TEAM_NAME,
)
from kommunegraf.extract.entities.organisations import (
    abbreviation_ties,
    explicit_ties,
    find_organisations,
)

OWN = ["Teknik- og Miljøudvalget", "Holbæk Kommune"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # committees with coordinated words; the council; a name that ends the sentence
        (
            "Sagen sendes til Kultur- og Fritidsudvalget og derefter til Byrådet.",
            ["Kultur- og Fritidsudvalget", "Byrådet"],
        ),
        (
            "Indstillingen går via børn og ungeudvalget til økonomiudvalget.",
            ["børn og ungeudvalget", "økonomiudvalget"],
        ),
        (
            "Høring i Social-, Ældre- og Sundhedsudvalget samt Erhvervsudvalget.",
            ["Social-, Ældre- og Sundhedsudvalget", "Erhvervsudvalget"],
        ),
        # genitives reduced to the base form
        (
            "Sagen er i høring hos Familiestyrelsens kontor og Indenrigsministeriets jurister.",
            ["Familiestyrelsen", "Indenrigsministeriet"],
        ),
        ("Det fremgår af Arbejdstilsynets afgørelse.", ["Arbejdstilsynet"]),
        ("Byrådets beslutning blev fulgt.", ["Byrådet"]),
        # a bracketed abbreviation is tied to its full form, which alone is listed
        (
            "Center for Sundhed og Omsorg (CSO) har udarbejdet notatet. CSO foreslår, at",
            ["Center for Sundhed og Omsorg"],
        ),
        (
            "Opgaven ligger i Center for Børn og Familie, herefter CBF. CBF har bemandet den.",
            ["Center for Børn og Familie"],
        ),
        # letters that spell a full form printed in the item
        (
            "Styrelsen for Undervisning og Kvalitet har udsendt en vejledning. STUK skriver, at",
            ["Styrelsen for Undervisning og Kvalitet"],
        ),
        # an abbreviation without its full form is listed as printed
        ("Orientering om møde i MBU og om KL's udspil.", ["MBU", "KL"]),
        ("Der er ikke beregnet nye KL-skøn.", ["KL"]),
        # teams, municipalities, regions
        (
            "Opgaven løses af Team Myndighed Vest i samarbejde med Holbæk Kommune.",
            ["Team Myndighed Vest"],
        ),
        (
            "Ansøgningen er sendt til Region Sjælland og Faxe og Stevns Kommuner.",
            ["Region Sjælland", "Faxe Kommune", "Stevns Kommune"],
        ),
        # companies and foundations by their legal form or an introducing noun
        (
            "Kontrakten er indgået med firmaet Grøn Drift og med Nordvand A/S.",
            ["Grøn Drift", "Nordvand A/S"],
        ),
        ("Driften varetages af Tømrer Hansen ApS.", ["Tømrer Hansen ApS"]),
        (
            "Tre firmaer bød: Rent & Klart A/S, ISS Facility Services og Nordvask ApS.",
            ["Rent & Klart A/S", "ISS Facility Services", "Nordvask ApS"],
        ),
        # a name broken over two lines is folded
        (
            "Se også Konkurrence- og\nForbrugerstyrelsens vejledning.",
            ["Konkurrence- og Forbrugerstyrelsen"],
        ),
        (
            "Projektet støttes af fonden Lokale Spor og af Dansk Flygtningehjælp.",
            ["Lokale Spor", "Dansk Flygtningehjælp"],
        ),
        # units named by capitalised nouns; partners of a collaboration
        (
            "Rådgivning og Udbetaling varetager opgaven i samarbejde med Borgerservice.",
            ["Rådgivning og Udbetaling", "Borgerservice"],
        ),
        (
            "Høringssvar er modtaget fra FOA samt Ældrerådet og Handicaprådet.",
            ["FOA", "Ældrerådet", "Handicaprådet"],
        ),
        # units with a town; a brand; a person's firm
        (
            "Borgerne henvises til Jobcenter Kalundborg og Sprogcentret i Odense.",
            ["Jobcenter Kalundborg", "Sprogcentret i Odense"],
        ),
        ("Analysen er lavet af KPMG og EpinionX.", ["KPMG", "EpinionX"]),
        ("Jens Hansen fra Nordisk Byg fortalte om projektet.", ["Nordisk Byg"]),
        # what the text calls an institution or a company
        (
            "Midtpunktet blev besøgt. Tilskuddet går til Midtpunktet, der er en selvejende "
            "institution.",
            ["Midtpunktet"],
        ),
        # a capitalised adjective before a lower-case body
        ("Sagen drøftes i det Lokale beskæftigelsesråd.", ["Lokale beskæftigelsesråd"]),
        # a party acting in its own name, but not a person's party
        (
            "Socialdemokratiet og Liberal Alliance foreslår en ændring. Eva Lind (Venstre) "
            "stemte imod.",
            ["Socialdemokratiet", "Liberal Alliance"],
        ),
        # an abbreviation's genitive before a body
        (
            "FN's Børnefond og Danmarks Statistik har leveret tallene.",
            ["FN's Børnefond", "Danmarks Statistik"],
        ),
        # spelling variants of one name are listed once
        (
            "Borgeren henvises til Center for Unge & Uddannelse. Center for Unge og "
            "Uddannelse svarer.",
            ["Center for Unge & Uddannelse"],
        ),
        (
            "Jobcenteret har talt med borgeren. Jobcentrets vurdering er vedlagt.",
            ["Jobcenteret"],
        ),
    ],
)
def test_organisations_found(text: str, expected: list[str]) -> None:
    assert find_organisations(text, exclude=OWN) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the meeting's own committee and municipality, their variants and abbreviation
        "Teknik- og Miljøudvalget behandlede sagen. TMU godkendte. Teknik og miljøudvalgets "
        "beslutning blev sendt til Holbæk Kommunes borgere. Holbæk Kommunen svarede.",
        # roman numerals, notes, file types, capital headings
        "Orientering om II. kvartal. OBS: PDF vedlagt. Se bilag IV.\n\nINDSTILLING OG BESLUTNING",
        # abbreviations defined as something other than an organisation
        "Der er gennemført en arbejdspladsvurdering (APV). APV viser tilfredshed.",
        # compounds with an unknown abbreviation; generic or lower-case unit words
        "Der er IGU-forløb og EU-borgere. Udvalget, fagudvalgene og jobcentret drøftede det.",
        # places, streets and policy areas
        "Flygtningene kom fra Iran og Syrien og bor i Horsens, Aarhus og Silkeborg på Obovej.",
        "Ældreområdet og Integrationsområdet er politikområder.",
        # an offer is no unit
        "Borgerne får tilbuddet Motion og Trivsel.",
        # people are not organisations
        "Bo Elkjær og Gitte Sand deltog.",
    ],
)
def test_not_organisations(text: str) -> None:
    assert find_organisations(text, exclude=OWN) == []


def test_slash_pair_of_two_named_organisations() -> None:
    text = (
        "Bag tilbuddet står Nordlys/Solsikken, en fusion af de to organisationer Nordlys og "
        "Solsikken."
    )
    assert find_organisations(text) == ["Nordlys/Solsikken", "Nordlys", "Solsikken"]


def test_abbreviation_led_name_with_its_full_form_in_brackets() -> None:
    text = "Borgerne tilbydes forløb hos ABC Vejle (Aktivcenter for Beskæftigelse og Coaching)."
    assert find_organisations(text) == ["Aktivcenter for Beskæftigelse og Coaching"]


def test_abbreviation_ties() -> None:
    ties = abbreviation_ties("Center for Sundhed og Omsorg (CSO) har svaret. Se også CSO.")
    assert ties == {"CSO": "Center for Sundhed og Omsorg"}


def test_explicit_ties_for_names_already_found() -> None:
    text = (
        "Opgaven er flyttet til Center for Vækst(CFV). Senere: Erhvervshuset, herefter EH, svarede."
    )
    assert explicit_ties(text, ["Center for Vækst", "Erhvervshuset", "CFV"]) == {
        "CFV": "Center for Vækst",
        "EH": "Erhvervshuset",
    }


@pytest.mark.parametrize(
    ("name", "following", "base"),
    [
        ("Ankestyrelsens", "", "Ankestyrelsen"),
        ("DGI's", "", "DGI"),
        ("Byrådets", " budgetseminar", "Byrådet"),
        ("Center for Arbejdsmarkeds", " ordinære tilbud", "Center for Arbejdsmarked"),
        ("Center for Arbejdsmarkeds", " og Integration", "Center for Arbejdsmarkeds"),
        ("Team Fokus", " arbejder", "Team Fokus"),
        ("Økonomiudvalgets", "", "Økonomiudvalget"),
        ("Holbæk Kommunes", " borgere", "Holbæk Kommune"),
    ],
)
def test_base_form(name: str, following: str, base: str) -> None:
    assert base_form(name, following) == base


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Center for Børn & Unge", "Center for Børn og Unge"),
        ("Jobcenteret", "Jobcentret"),
        ("LO-Odense", "LO Odense"),
        ("Holbæk Ressource Center", "Holbæk Ressourcecenter"),
        ("socialstyrelsen", "Socialstyrelsens"),
        ("Randers Kommunen", "Randers Kommune"),
    ],
)
def test_organisation_key_joins_spelling_variants(a: str, b: str) -> None:
    assert organisation_key(a) == organisation_key(b)


def test_organisation_key_keeps_different_bodies_apart() -> None:
    assert organisation_key("Børne- og Skoleudvalget") != organisation_key("Børne- og Ungeudvalget")


@pytest.mark.parametrize(
    ("abbreviation", "name", "fits"),
    [
        ("CAI", "Center for Arbejdsmarked og Integration", True),
        ("CSO", "Center for Sundhed og Omsorg", True),
        ("JC", "Jobcenteret", True),
        ("STUK", "Styrelsen for Undervisning og Kvalitet", True),
        ("TMU", "Teknik- og Miljøudvalget", True),
        ("KL", "Kultur- og Demokratiudvalget", False),  # the D gives no letter
        ("SIND", "Sygedagpengeafdelingen", False),
        ("CA", "Center for Arbejdsmarked og Integration", False),
        ("MED", "Center for Arbejdsmarked", False),
    ],
)
def test_acronym_fits(abbreviation: str, name: str, fits: bool) -> None:
    assert acronym_fits(abbreviation, name) is fits


def test_strip_definite() -> None:
    assert strip_definite("Sundhedscentret") == "Sundhedscenter"
    assert strip_definite("Jobcenteret") == "Jobcenter"
    assert strip_definite("Kulturcaféen") == "Kulturcafé"
    assert strip_definite("Team") == "Team"


def test_capitalised_tokens() -> None:
    text = "Center for Vækst(CFV), KL-skøn, DGI's, Bilag_Ankestyrelsens, Nordvand A/S og x.dk"
    assert [t for _, _, t in capitalised_tokens(text)] == [
        "Center", "Vækst", "CFV", "KL-skøn", "DGI's", "Bilag", "Ankestyrelsens", "Nordvand",
        "A/S",
    ]  # fmt: skip
    assert CAPITALISED_TOKEN.fullmatch("Behandler.dk")
    # beyond the Basic Multilingual Plane the ``regex`` pattern is used ("𝔸" is a capital)
    assert [t for _, _, t in capitalised_tokens("Ærø Kommune 𝔸 Ølstykke-Stenløse")] == [
        "Ærø", "Kommune", "𝔸", "Ølstykke-Stenløse",
    ]  # fmt: skip


def test_capitalised_token_bmp_matches_as_the_regex_pattern() -> None:
    # "Ærø-Kommune's" whole, "ÅBEN" and "Č" capitals, "xÆ" not (a letter before), "1A" not
    assert CAPITALISED_TOKEN_BMP.fullmatch("Ærø-Kommune's")
    text = "Mødet i ÅBEN sag: Čapek og Łódź, xÆble 1A B-2 Ω/Ψ Émile’s ’Tab ær"
    assert [m[0] for m in CAPITALISED_TOKEN_BMP.finditer(text)] == [
        m[0] for m in CAPITALISED_TOKEN.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])))
def test_capitalised_token_bmp_agrees_on_any_text(text: str) -> None:
    assert [m.span() for m in CAPITALISED_TOKEN_BMP.finditer(text)] == [
        m.span() for m in CAPITALISED_TOKEN.finditer(text)
    ]


def test_patterns() -> None:
    assert FOR_NAME.match("Center for Sundhed, Kultur og Omsorg har")[0] == (
        "Center for Sundhed, Kultur og Omsorg"
    )
    assert FOR_NAME.match("Center for Handicap og Tværgående funktioner")[0].endswith("funktioner")
    assert FOR_NAME.match("Center for Unge og Center for Børn")[0] == "Center for Unge"
    assert TEAM_NAME.match("Team Vest Sjælland arbejder")[0] == "Team Vest Sjælland"
    assert REGION_NAME.match("Region Midtjylland")[0] == "Region Midtjylland"
    assert COORDINATION_BEFORE.search("til Kultur- og ")[0] == "Kultur- og "
    assert COORDINATION_BEFORE.search("Beskæftigelses-og")
    assert BARE_COORDINATION_BEFORE.search("via miljø og ")["word"] == "miljø"
    assert INTRODUCING_NOUN.fullmatch("uddannelsesinstitutionen")
    assert not INTRODUCING_NOUN.fullmatch("projektet")
    assert COLLABORATION.match("samarbejde med Nordlys og Solsikken om")["list"].startswith(
        "Nordlys"
    )
    assert COPULA_NOUN.match(" er en selvejende institution")
    assert not COPULA_NOUN.match(" er en god idé")
    assert COPULA_GAP.search("Nordlys (Strandvej 4), der også")
    assert BRACKETED.match("(CFV)")["inner"] == "CFV"
    assert APPOSITIVE_ABBREVIATION.match(", herefter CFV.")["abbr"] == "CFV"
    assert APPOSITIVE_ABBREVIATION.match(", UNHCR, har")["abbr"] == "UNHCR"


_VOCABULARY = (
    "Center for og & Team Kommune Kommuner ApS A/S KL CFV (CFV) samarbejde med er en "
    "virksomhed firmaet Nord Syd Vækst Holbæk Byrådet udvalget Kultur- Fritidsudvalget "
    "Ib Holm (V) , . \n fra herefter Lis-Birgit Jobcentret's"
)
_WORDS = st.sampled_from(_VOCABULARY.split(" "))


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join))
def test_any_text_gives_names_once_each(text: str) -> None:
    names = find_organisations(text, exclude=OWN)
    keys = [organisation_key(n) for n in names]
    assert len(keys) == len(set(keys))
    assert all(n and n == " ".join(n.split()) for n in names)
