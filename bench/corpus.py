"""Synthetic committee minutes at scale, for the ingest and query benchmarks.

Usage: python bench/corpus.py OUT_DIR -n N [--seed S] [--jobs J] [--check K]

Writes N invented minutes (about 40 KB each) into OUT_DIR in every layout the parser
supports (naestved, slagelse, randers, and two generic shapes), spread over many
municipalities and committees, and ``OUT_DIR/../<name>.manifest.jsonl`` with what each
document was generated to contain (so that the folder itself holds minutes only).
The corpus is deterministic for a seed: each municipality is generated from its own random
stream, so the municipalities can be generated in parallel (``--jobs``).

What makes the corpus graph-like rather than a pile of texts:

- every committee meets monthly (not in July) on its own weekday, so meetings form series;
- standing cases recur at every meeting (approval of the agenda, announcements), quarterly
  statistics recur every third meeting under one case number per year;
- a postponed item comes back at the committee's next meeting, printing both decisions and a
  reference to the earlier treatment (``den 3. maj 2023 - sag 41``);
- a committee's recommendation goes to Økonomiudvalget's next meeting with the same case
  number and the earlier body's decision printed (``Teknik- og Miljøudvalget, 28. august
  2023, pkt. 112:``); some items follow up an earlier item of their committee;
- votes, absences, politicians with parties, staff with roles, laws, organisations and
  projects appear in proportions like those of real minutes.

All text is generated from the word lists and sentence frames below; nothing is copied from
real minutes.  ``--check K`` runs the real extractor on K documents and prints generated vs
extracted counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tree import use_this_tree

use_this_tree()

from kommunegraf.extract.municipalities import MunicipalityEntry, table

MARKER = (
    "[SYNTETISK BENCHMARKDOKUMENT – genereret af bench/corpus.py; alle personer, sager og "
    "beslutninger er opdigtede]"
)
# The publishing shapes; the last two are both the extractor's "generic" layout.
SHAPES = ("naestved", "slagelse", "randers", "generic-numbered", "generic-pkt")
TARGET_BYTES = 40_000
# Bumped whenever the generated text changes, so that a cached corpus is made again.
GENERATOR_VERSION = 2
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")
NUMBER_WORDS = ("to", "tre", "fire", "fem", "seks", "syv", "otte")

# fmt: off
# ----- people ---------------------------------------------------------------------------------

GIVEN = (
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Charlotte", "Camilla", "Pia", "Louise", "Maria",
    "Karina", "Tina", "Helle", "Bente", "Lone", "Dorthe", "Marianne", "Rikke", "Sofie", "Ida",
    "Julie", "Line", "Trine", "Birgitte", "Inge", "Kirsten", "Jette", "Gitte", "Malene", "Peter",
    "Jens", "Lars", "Michael", "Henrik", "Søren", "Thomas", "Jan", "Niels", "Morten", "Anders",
    "Martin", "Jesper", "Rasmus", "Christian", "Mads", "Ole", "Per", "Poul", "Kim", "Claus", "Bo",
    "Erik", "Torben", "Steen", "Karsten", "Frank", "Brian", "Jakob", "Kasper", "Mikkel", "Jonas",
    "Simon", "Allan", "Bjarne", "Flemming", "Preben", "Ulrik", "Kenneth",
)
MIDDLE = (
    "Holm", "Skov", "Bach", "Lykke", "Friis", "Munk", "Riis", "Vad", "Bak", "Fog", "Toft", "Birk",
    "Dalgaard", "Hvid", "Kragh", "Lund", "Damgaard", "Bøgh", "Krog", "Nørgaard",
)
SURNAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Schmidt", "Eriksen",
    "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Østergaard",
    "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Berg",
    "Lind", "Bruun", "Juhl", "Brandt", "Winther", "Overgaard", "Bertelsen", "Dahl", "Kirkegaard",
)
# Party letters with rough weights of their seats in municipal councils.
PARTIES = (
    ("A", 28), ("V", 20), ("C", 12), ("F", 10), ("Ø", 7), ("O", 5), ("B", 5), ("D", 3), ("I", 3),
    ("Æ", 3), ("M", 2), ("K", 1), ("Å", 1),
)
STAFF_ROLES = (
    "direktør", "centerchef", "afdelingsleder", "teamleder", "projektleder", "konsulent",
    "chefkonsulent", "specialkonsulent",
)

# ----- places ---------------------------------------------------------------------------------

PLACE_HEADS = ("Nør", "Søn", "Øster", "Vester", "Lille ", "Store ", "Ny ", "Gammel ", "Hav", "Eg")
PLACE_TAILS = ("by", "lund", "høj", "strup", "rup", "holm", "bjerg", "vang", "sted", "løse")
STREETS = ("Torvet", "Rådhuspladsen", "Jernbanegade", "Østergade", "Skolegade", "Kirkevej")

# ----- domains: committees, KLE codes, topics, laws, organisations ----------------------------


@dataclass(frozen=True)
class Domain:
    key: str
    committees: tuple[str, ...]
    kle: tuple[str, ...]
    unit: str  # the administration's unit, "Center for …"
    topics: tuple[str, ...]  # definite noun phrases: "arbejdet med {topic}"
    plans: tuple[str, ...]  # things a committee adopts
    facilities: tuple[str, ...]  # things a grant pays for ("{place}" filled in)
    laws: tuple[str, ...]
    organisations: tuple[str, ...]
    project_tails: tuple[str, ...]
    groups: tuple[str, ...]  # who the work is for
    stats: str  # the quarterly statistics' subject


DOMAINS = (
    Domain(
        "oekonomi",
        ("Økonomiudvalget",),
        ("00.30.00", "00.30.08", "00.01.00", "00.22.14", "13.06.03"),
        "Center for Økonomi og Styring",
        (
            "budgetlægningen", "anlægsprogrammet", "likviditeten", "ejendomsporteføljen",
            "digitaliseringen", "indkøbsaftalerne", "erhvervsservicen", "bosætningsindsatsen",
        ),
        (
            "budgetprocedure for budget {y1}", "indkøbspolitik", "digitaliseringsstrategi",
            "ejendomsstrategi", "plan for salg af kommunale grunde",
        ),
        (
            "salg af areal i {place} Erhvervspark", "ny brandstation i {place}",
            "energirenovering af rådhuset", "byggemodning af boligområde ved {place}",
        ),
        (
            "kommunestyrelseslovens § 40", "kommunestyrelseslovens § 41",
            "offentlighedslovens § 15", "lånebekendtgørelsen", "forvaltningslovens § 19",
        ),
        (
            "KL", "Kommunekredit", "Realdania", "Indenrigs- og Boligministeriet",
            "Erhvervshus {region}",
        ),
        ("Bosætning", "Erhverv", "Vækst"),
        ("virksomheder i kommunen", "tilflyttere", "kommunens ejendomme"),
        "likviditet og kassebeholdning",
    ),
    Domain(
        "beskaeftigelse",
        ("Beskæftigelsesudvalget", "Arbejdsmarkedsudvalget", "Job- og Arbejdsmarkedsudvalget"),
        ("15.20.00", "15.20.04", "15.00.00", "15.04.10", "15.17.03", "15.00.20"),
        "Center for Arbejdsmarked",
        (
            "indsatsen for langtidsledige", "de virksomhedsrettede tilbud", "ungeindsatsen",
            "sygedagpengeopfølgningen", "jobafklaringsforløbene", "ressourceforløbene",
            "mentorindsatsen", "fleksjobindsatsen", "integrationsindsatsen",
        ),
        (
            "beskæftigelsesplan {y1}", "retningslinjer for puljen til mentorstøtte",
            "strategi for virksomhedssamarbejdet", "plan for ungeindsatsen",
        ),
        (
            "et nyt værkstedstilbud i {place}", "opkvalificering af ledige i {place}",
            "et rekrutteringscenter ved {place} Havn",
        ),
        (
            "Lov om aktiv socialpolitik § 13 f", "225-timersreglen",
            "Lov om en aktiv beskæftigelsesindsats § 2", "sygedagpengelovens § 27",
            "Ankestyrelsens principafgørelse 6-17", "forvaltningslovens § 19",
        ),
        (
            "Ankestyrelsen", "Styrelsen for Arbejdsmarked og Rekruttering",
            "Fagbevægelsens Hovedorganisation", "Dansk Industri", "Jobcenter {short}",
        ),
        ("Job", "Arbejde", "Uddannelse"),
        (
            "borgere på kontanthjælp", "unge under 30 år", "sygemeldte borgere",
            "borgere i fleksjob", "nyankomne flygtninge",
        ),
        "klager på beskæftigelsesområdet",
    ),
    Domain(
        "social",
        ("Social- og Sundhedsudvalget", "Socialudvalget", "Ældre- og Sundhedsudvalget"),
        ("27.12.04", "27.24.00", "27.36.00", "29.09.00", "27.20.00"),
        "Center for Sundhed og Omsorg",
        (
            "hjemmeplejen", "de midlertidige pladser", "botilbuddene", "rehabiliteringsforløbene",
            "den forebyggende indsats for ældre", "hjælpemiddelområdet", "aflastningstilbuddene",
            "socialpsykiatrien", "demensindsatsen",
        ),
        (
            "ældrepolitik", "handicappolitik", "kvalitetsstandard for praktisk hjælp",
            "sundhedspolitik {y1}-{y2}", "plan for demensindsatsen",
        ),
        (
            "et nyt plejecenter i {place}", "ombygning af aktivitetscentret i {place}",
            "nye boliger til borgere med handicap i {place}",
        ),
        (
            "servicelovens § 52", "servicelovens § 83", "servicelovens § 107",
            "servicelovens § 85", "sundhedslovens § 119", "Lov om social service § 108",
        ),
        (
            "Socialstyrelsen", "Sundhedsstyrelsen", "Ældre Sagen", "Røde Kors",
            "Danske Handicaporganisationer", "Region {region}",
        ),
        ("Omsorg", "Fællesskab", "Hverdagsliv"),
        ("ældre over 80 år", "borgere med demens", "pårørende", "borgere med handicap"),
        "klager over afgørelser på socialområdet",
    ),
    Domain(
        "boern",
        ("Børne- og Skoleudvalget", "Børne- og Familieudvalget", "Børne- og Ungdomsudvalget"),
        ("17.01.15", "17.02.04", "17.00.35", "28.00.00", "17.03.04", "17.13.00"),
        "Center for Dagtilbud og Skole",
        (
            "dagtilbuddenes normering", "inklusionsindsatsen", "skolernes trivselsarbejde",
            "specialundervisningen", "den tidlige indsats for familier", "skolebuskørslen",
            "ungdomsskolens tilbud", "sprogvurderingerne", "fritidsklubberne",
        ),
        (
            "kvalitetsrapport for skoleområdet", "børne- og ungepolitik",
            "skoledistrikter fra skoleåret {y1}/{y2}", "sammenhængende børnepolitik",
        ),
        (
            "udvidelse af {place} Skole", "en ny daginstitution i {place}",
            "renovering af legepladsen ved {place} Børnehus",
        ),
        (
            "dagtilbudslovens § 5", "folkeskolelovens § 40", "barnets lovs § 133",
            "folkeskolelovens § 3, stk. 2", "bekendtgørelse om folkeskolens specialundervisning",
        ),
        (
            "Børne- og Undervisningsministeriet", "BUPL", "Danmarks Lærerforening",
            "Skole og Forældre", "KL",
        ),
        ("Barnet", "Trivsel", "Læring"),
        (
            "børn i 0-6-årsalderen", "elever i udskolingen", "familier med børn",
            "børn med særlige behov",
        ),
        "elevfravær",
    ),
    Domain(
        "teknik",
        ("Teknik- og Miljøudvalget", "Klima- og Miljøudvalget", "Plan- og Teknikudvalget"),
        ("05.01.02", "05.04.06", "01.02.05", "09.00.06", "06.01.00", "05.13.00"),
        "Center for Teknik og Miljø",
        (
            "vedligeholdelsen af kommunevejene", "cykelstiplanen", "klimatilpasningen",
            "affaldsordningen", "vandløbsvedligeholdelsen", "kollektiv trafik i landdistrikterne",
            "vintertjenesten", "byfornyelsen", "grundvandsbeskyttelsen", "naturplejen",
        ),
        (
            "trafiksikkerhedsplan {y1}-{y2}", "lokalplan for boliger ved {place}",
            "klimatilpasningsplan", "affaldsplan {y1}-{y2}", "spildevandsplan",
        ),
        (
            "en cykelsti mellem {place} og {place2}", "ny belysning på stierne i {place}",
            "istandsættelse af broen ved {place} Å", "et regnvandsbassin ved {place}",
        ),
        (
            "planlovens § 13", "vejlovens § 10", "færdselslovens § 92",
            "miljøbeskyttelseslovens § 32", "vandløbslovens § 37", "affaldsbekendtgørelsen",
            "husdyrbrugslovens § 16 a", "byggelovens § 16",
        ),
        (
            "Vejdirektoratet", "Miljøstyrelsen", "Danmarks Naturfredningsforening", "Banedanmark",
            "Region {region}", "Rådet for Sikker Trafik",
        ),
        ("Klima", "Natur", "Byliv"),
        ("bilister og cyklister", "grundejere langs vandløbene", "borgere i landdistrikterne"),
        "henvendelser om vej og park",
    ),
    Domain(
        "kultur",
        ("Kultur- og Fritidsudvalget", "Kultur- og Idrætsudvalget"),
        ("18.15.00", "18.00.00", "20.00.00", "18.20.00"),
        "Center for Kultur og Fritid",
        (
            "biblioteksbetjeningen", "folkeoplysningsområdet", "haltilskuddene",
            "musikskolens tilbud", "kulturhusets drift", "idrætsfaciliteterne", "frivilligområdet",
            "de lokale museer", "arrangementerne i bymidten",
        ),
        (
            "kultur- og fritidspolitik", "idrætsstrategi {y1}-{y2}", "frivillighedspolitik",
            "retningslinjer for lokaletilskud",
        ),
        (
            "en ny multihal i {place}", "renovering af {place} Bibliotek",
            "et klubhus til spejderne i {place}",
        ),
        (
            "folkeoplysningslovens § 21", "folkeoplysningslovens § 4", "museumslovens § 16",
            "lov om biblioteksvirksomhed § 2",
        ),
        (
            "DGI", "Danmarks Idrætsforbund", "Slots- og Kulturstyrelsen", "Statens Kunstfond",
            "Realdania",
        ),
        ("Fritid", "Bevægelse", "Kultur"),
        ("foreninger", "unge i alderen 13-17 år", "frivillige"),
        "bookinger af kommunale lokaler",
    ),
)
DOMAIN_BY_KEY = {d.key: d for d in DOMAINS}
PROJECT_HEADS = (
    "Sammen om", "Vejen til", "Fremtidens", "Flere i", "Aktiv i", "Grøn", "Fælles om",
    "Et godt liv med", "Styrket", "Nye veje til",
)
FACETS = ("P20", "A00", "G01", "S00", "P35", "Ø40", "K07", "P15")
BOARDS = (
    "Handicaprådet", "Ældrerådet", "Integrationsrådet", "Det Lokale Beskæftigelsesråd",
    "Hoved-MED", "Folkeoplysningsudvalget", "Grønt Råd",
)
CONDITIONS = (
    "der sker en tæt opfølgning på de enkelte forløb",
    "indsatsen tilrettelægges i samarbejde med de lokale foreninger",
    "medarbejderne får den nødvendige opkvalificering", "borgerne inddrages tidligt i forløbet",
    "der afsættes tid til koordinering mellem afdelingerne",
    "de digitale løsninger tages i brug i hele organisationen",
)
CONCERNS = (
    "transporten", "åbningstiderne", "sammenhængen mellem tilbuddene",
    "kommunikationen med borgerne", "ventetiderne", "økonomien i de kommende år",
)
SEASONS = ("foråret", "sommeren", "efteråret", "vinteren")

# fmt: on


# ----- the model ------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    party: str | None = None
    role: str | None = None

    def with_party(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name


@dataclass
class Decision:
    body: str
    date: str  # ISO
    outcome: str
    text: str
    absent: list[Person] = field(default_factory=list)
    item_number: int | None = None  # the earlier body's item, printed with it (randers)


@dataclass
class Item:
    number: int
    title: str
    kind: str  # decision | orientation | discussion
    case: str
    doc_number: str | None
    open: bool
    decisions: list[Decision]  # oldest first; the last is this meeting's own
    paragraphs: list[str]  # the case text
    resume: str
    proposal: str  # "at …" clause of the recommendation
    law_text: str | None
    economy: str
    attachments: list[str]
    references: list[tuple[str, int]] = field(default_factory=list)  # (ISO date, item number)
    people: list[str] = field(default_factory=list)
    laws: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


@dataclass
class Committee:
    name: str
    domain: Domain
    abbrev: str
    members: list[Person]
    weekday: int
    week: int
    hour: str
    room: str
    agenda_case: str = ""
    notices_case: str = ""
    number: int = 0  # the running item number (naestved, randers)
    number_year: int = 0
    stats_cases: dict[int, str] = field(default_factory=dict)
    postponed: list[Item] = field(default_factory=list)
    history: list[tuple[str, Item]] = field(default_factory=list)  # (ISO date, item)
    meetings_held: int = 0


@dataclass
class Meeting:
    committee: Committee
    date: dt.date


@dataclass
class Municipality:
    entry: MunicipalityEntry
    shape: str
    rng: random.Random
    region: str
    places: list[str]
    politicians: list[Person]
    staff: list[Person]
    projects: dict[str, list[str]]
    neighbour: str
    serial: int = 1000
    forwarded: list[tuple[Item, Decision]] = field(default_factory=list)


# ----- small helpers --------------------------------------------------------------------------


def slug(text: str) -> str:
    folded = text.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())


def long_date(d: dt.date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def dotted_date(d: dt.date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def dashed_date(d: dt.date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def amount(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.randint(1, 49)},{rng.randint(0, 9)} mio. kr."
    return f"{rng.randint(50, 950):d}.000 kr."


def region_of(code: int) -> str:
    if code < 300 or code == 400:
        return "Hovedstaden"
    if code < 400:
        return "Sjælland"
    if code < 600 or code in (607, 621, 630):
        return "Syddanmark"
    if code < 800 and code not in (773, 787):
        return "Midtjylland"
    return "Nordjylland"


def _person(rng: random.Random, used: set[str]) -> str:
    while True:
        parts = [rng.choice(GIVEN)]
        if rng.random() < 0.45:
            parts.append(rng.choice(MIDDLE))
        parts.append(rng.choice(SURNAMES))
        name = " ".join(parts)
        if name not in used:
            used.add(name)
            return name


def _party(rng: random.Random) -> str:
    letters, weights = zip(*PARTIES, strict=True)
    return rng.choices(letters, weights)[0]


def _place(rng: random.Random) -> str:
    head = rng.choice(PLACE_HEADS)
    tail = rng.choice(PLACE_TAILS)
    return head + (tail.capitalize() if head.endswith(" ") else tail)


# ----- text -----------------------------------------------------------------------------------


class Writer:
    """Danish case prose from sentence frames; records the entities it mentions."""

    def __init__(self, muni: Municipality, committee: Committee, when: dt.date) -> None:
        self.m = muni
        self.c = committee
        self.d = committee.domain
        self.rng = muni.rng
        self.when = when
        self.people: list[str] = []
        self.laws: list[str] = []
        self.projects: list[str] = []
        self.organisations: list[str] = []

    def _fill(self, frame: str, topic: str | None = None) -> str:
        r = self.rng
        year = self.when.year
        values = {
            "topic": topic or r.choice(self.d.topics),
            "topic2": r.choice(self.d.topics),
            "group": r.choice(self.d.groups),
            "n": str(r.randint(12, 480)),
            "n2": str(r.randint(3, 60)),
            "pct": str(r.randint(4, 92)),
            "nword": r.choice(NUMBER_WORDS),
            "amount": amount(r),
            "year": str(year - r.randint(0, 1)),
            "next": str(year + 1),
            "month": MONTHS[r.randrange(12)],
            "season": r.choice(SEASONS),
            "condition": r.choice(CONDITIONS),
            "concern": r.choice(CONCERNS),
            "board": r.choice(BOARDS),
            "unit": self.d.unit,
            "muni": self.m.entry.name,
            "neighbour": self.m.neighbour,
            "place": r.choice(self.m.places),
            "weeks": str(r.randint(2, 14)),
        }
        return frame.format(**values)

    def sentence(self, topic: str | None = None) -> str:
        return self._fill(self.rng.choice(FILLER), topic)

    def paragraph(self, topic: str | None = None, sentences: tuple[int, int] = (3, 6)) -> str:
        count = self.rng.randint(*sentences)
        parts = [self.sentence(topic) for _ in range(count)]
        return " ".join(p[0].upper() + p[1:] for p in parts)

    # entity sentences, in the proportions of real case texts
    def staff_sentence(self) -> str:
        person = self.rng.choice(self.m.staff)
        self.people.append(person.name)
        frame = self.rng.choice(STAFF_FRAMES)
        role = person.role or "konsulent"
        return frame.format(
            Role=role.capitalize(),
            role=role,
            name=person.name,
            unit=self.d.unit,
            topic=self.rng.choice(self.d.topics),
        )

    def politician_sentence(self) -> str:
        person = self.rng.choice(self.c.members)
        self.people.append(person.name)
        frame = self.rng.choice(POLITICIAN_FRAMES)
        return frame.format(
            who=person.with_party(),
            topic=self.rng.choice(self.d.topics),
            group=self.rng.choice(self.d.groups),
        )

    def law_sentence(self) -> str:
        law = self.rng.choice(self.d.laws)
        self.laws.append(law)
        frame = self.rng.choice(LAW_FRAMES)
        return frame.format(
            law=law, group=self.rng.choice(self.d.groups), topic=self.rng.choice(self.d.topics)
        )

    def organisation_sentence(self) -> str:
        a, b = self.rng.sample(self.d.organisations, 2)
        a = a.format(region=self.m.region, short=self.m.entry.short)
        b = b.format(region=self.m.region, short=self.m.entry.short)
        self.organisations += [a, b]
        frame = self.rng.choice(ORGANISATION_FRAMES)
        return frame.format(org=a, org2=b, topic=self.rng.choice(self.d.topics))

    def project_sentence(self) -> str:
        name = self.rng.choice(self.m.projects[self.d.key])
        self.projects.append(name)
        frame = self.rng.choice(PROJECT_FRAMES)
        return frame.format(
            project=name,
            group=self.rng.choice(self.d.groups),
            amount=amount(self.rng),
            muni=self.m.entry.name,
        )

    def case_text(self, target: int, topic: str) -> list[str]:
        """Paragraphs of about ``target`` characters, with entities sprinkled in."""
        r = self.rng
        paragraphs: list[str] = []
        size = 0
        while size < target:
            para = self.paragraph(topic if r.random() < 0.5 else None)
            extra = []
            if r.random() < 0.22:
                extra.append(self.staff_sentence())
            if r.random() < 0.12:
                extra.append(self.organisation_sentence())
            if r.random() < 0.08:
                extra.append(self.project_sentence())
            if r.random() < 0.06:
                extra.append(self.politician_sentence())
            if r.random() < 0.1:
                extra.append(self.law_sentence())
            if r.random() < 0.02:  # another municipality, now and then
                extra.append(self._fill(NEIGHBOUR_FRAME))
            if extra:
                para = para + " " + " ".join(extra)
            paragraphs.append(para)
            size += len(para) + 2
        return paragraphs


FILLER = (
    "{unit} har i det forløbne år arbejdet videre med {topic}, og erfaringerne er overvejende "
    "positive.",
    "i {year} omfattede {topic} i alt {n} forløb for {group}, hvilket er {n2} flere end året før.",
    "udgifterne til {topic} forventes at udgøre {amount} i {next}, svarende til en stigning på "
    "{pct} procent.",
    "der har været holdt {nword} dialogmøder med repræsentanter for {group}, hvor især "
    "{concern} blev drøftet.",
    "målet er, at {group} oplever en mere sammenhængende indsats, og at ventetiden kommer under "
    "{weeks} uger.",
    "det vurderes, at {topic} kan gennemføres inden for den eksisterende ramme, hvis {condition}.",
    "hvis udvalget ønsker et højere serviceniveau, vil det kræve en tillægsbevilling på "
    "{amount} årligt.",
    "sagen har været forelagt {board}, som bakker op om forslaget og har enkelte bemærkninger "
    "til tidsplanen.",
    "erfaringer fra andre kommuner viser, at {topic} giver de bedste resultater, når {condition}.",
    "administrationen vil følge udviklingen tæt og give udvalget en status i løbet af "
    "{season} {next}.",
    "nøgletallene viser, at {pct} procent af {group} er tilfredse med {topic}.",
    "der er fortsat udfordringer med at rekruttere medarbejdere, og {n2} stillinger har været "
    "slået op mere end én gang.",
    "forslaget indebærer, at {topic} fremover organiseres i {nword} lokale teams med hver sin "
    "faglige leder.",
    "tidsplanen forudsætter, at forslaget sendes i høring i {month} og vedtages endeligt inden "
    "årets udgang.",
    "høringen gav anledning til {n2} høringssvar, som overvejende er positive over for forslaget.",
    "{muni} ligger på niveau med sammenlignelige kommuner, når det gælder {topic}.",
    "den største usikkerhed knytter sig til udviklingen i antallet af {group}, som er svær at "
    "forudsige.",
    "en del af opgaven løses i dag af eksterne leverandører, og kontrakterne udløber i {month} "
    "{next}.",
    "området i {place} har særlig opmærksomhed, fordi behovet her er vokset mest de seneste år.",
    "administrationen anbefaler, at indsatsen over for {group} prioriteres, fordi effekten her "
    "er størst.",
    "der er behov for at se på sammenhængen mellem {topic} og {topic2}, så borgerne ikke "
    "oplever dobbeltarbejde.",
    "i forbindelse med budgetforhandlingerne blev der afsat {amount} til at styrke {topic}.",
    "evalueringen peger på, at samarbejdet på tværs af afdelingerne er blevet bedre, men at "
    "dokumentationen kan forbedres.",
    "medarbejderne har været inddraget i arbejdet gennem MED-systemet og workshops i {month}.",
    "den nye model betyder færre overdragelser mellem medarbejderne og en mere enkel sagsgang.",
    "udvalget besøgte i {month} {place}, hvor {topic} blev præsenteret af de lokale medarbejdere.",
    "der er i alt registreret {n} henvendelser i perioden, og {pct} procent blev besvaret "
    "inden for fristen.",
    "på baggrund af de hidtidige erfaringer foreslås det, at ordningen gøres permanent fra {next}.",
    "det forventes, at antallet af {group} stiger med omkring {pct} procent frem mod {next}.",
    "der lægges op til en trinvis indfasning, så de første ændringer træder i kraft i {month}.",
    "borgerne har kunnet give deres mening til kende på kommunens hjemmeside og ved et "
    "borgermøde i {place}.",
)
NEIGHBOUR_FRAME = (
    "Sammenlignet med {neighbour} er udgiften pr. indbygger lidt lavere, men forskellen er "
    "mindsket siden {year}."
)
STAFF_FRAMES = (
    "{Role} {name} orienterer på mødet om status for {topic}.",
    "Sagen er forberedt af {role} {name}, som deltager under punktet.",
    "{name}, {role} i {unit}, har stået for analysen.",
    "Spørgsmål til sagen kan rettes til {role} {name}.",
)
POLITICIAN_FRAMES = (
    "{who} har bedt om, at udvalget får en særskilt status på {topic}.",
    "Forslaget om at se nærmere på {topic} blev rejst af {who} på et tidligere møde.",
    "{who} foreslog, at indsatsen over for {group} evalueres efter et år.",
)
LAW_FRAMES = (
    "Sagen behandles efter {law}.",
    "Kommunen har efter {law} pligt til at sikre et tilbud til {group}.",
    "Det følger af {law}, at afgørelsen skal begrundes skriftligt.",
    "Indsatsen ligger inden for rammerne af {law}.",
)
ORGANISATION_FRAMES = (
    "Arbejdet sker i samarbejde med {org} og {org2}.",
    "{org} har i sit høringssvar peget på behovet for at styrke {topic}.",
    "Der har været løbende dialog med {org} og {org2} om den videre proces.",
)
PROJECT_FRAMES = (
    'Erfaringerne fra projektet "{project}" indgår i forslaget.',
    'Projektet "{project}" har indtil nu nået {group}, og der er brugt {amount}.',
    'Indsatsen bygger videre på "{project}", som {muni} har deltaget i siden starten.',
)

OUTCOME_TEXTS: dict[str, tuple[str, ...]] = {
    "approved": (
        "Godkendt.",
        "Indstillingen blev godkendt.",
        "Godkendt som indstillet.",
        "Godkendt med den ændring, at der gives en status efter et halvt år.",
    ),
    "recommended": (
        "Anbefales over for Byrådet.",
        "Indstillingen anbefales.",
        "Anbefales godkendt.",
    ),
    "noted": (
        "Taget til efterretning.",
        "Til efterretning.",
        "Orienteringen blev taget til efterretning.",
    ),
    "discussed": (
        "Drøftet.",
        "Udvalget drøftede sagen og ønsker en ny sag om emnet efter sommerferien.",
    ),
    "postponed": (
        "Sagen udsættes til næste møde.",
        "Udsat.",
        "Punktet udsættes, da udvalget ønsker økonomien belyst nærmere.",
    ),
    "rejected": ("Ikke godkendt.",),
    "decided": (
        "Udvalget besluttede at sende forslaget i høring hos de berørte parter.",
        "Udvalget besluttede at afvente den kommende evaluering.",
    ),
}


# ----- generation -----------------------------------------------------------------------------


def _municipality(entry: MunicipalityEntry, shape: str, seed: int) -> Municipality:
    rng = random.Random(f"{seed}:{entry.code}")
    used: set[str] = set()
    politicians = [
        Person(_person(rng, used), _party(rng)) for _ in range(rng.choice((21, 25, 27, 31)))
    ]
    staff = [Person(_person(rng, used), None, rng.choice(STAFF_ROLES)) for _ in range(24)]
    places = list(dict.fromkeys(_place(rng) for _ in range(10)))
    projects: dict[str, list[str]] = {}
    for d in DOMAINS:
        # one name per base: "Sammen om Trivsel" and "Sammen om Trivsel 2027" would read as one
        bases = dict.fromkeys(
            f"{rng.choice(PROJECT_HEADS)} {rng.choice(d.project_tails)}" for _ in range(4)
        )
        projects[d.key] = [
            base + (f" {rng.randint(2024, 2030)}" if rng.random() < 0.3 else "") for base in bases
        ]
    others = [e for e in table() if e.code != entry.code]
    return Municipality(
        entry=entry,
        shape=shape,
        rng=rng,
        region=region_of(int(entry.code)),
        places=places,
        politicians=politicians,
        staff=staff,
        projects=projects,
        neighbour=rng.choice(others).name,
    )


def _committees(muni: Municipality, count: int) -> list[Committee]:
    rng = muni.rng
    fag = [d for d in DOMAINS if d.key != "oekonomi"]
    rng.shuffle(fag)
    chosen = ([DOMAIN_BY_KEY["oekonomi"]] if count >= 2 else []) + fag
    slots = [(wd, wk) for wk in (0, 1, 2) for wd in (0, 1, 2, 3)]
    rng.shuffle(slots)
    out: list[Committee] = []
    for domain in chosen[:count]:
        name = rng.choice(domain.committees)
        # Økonomiudvalget meets late in the month, after the committees that send it cases.
        weekday, week = (rng.choice((0, 1, 2)), 3) if domain.key == "oekonomi" else slots.pop()
        members = rng.sample(muni.politicians, rng.choice((7, 9)))
        out.append(
            Committee(
                name=name,
                domain=domain,
                abbrev="".join(w[0] for w in slug(name).split("-") if w not in ("og",)),
                members=members,
                weekday=weekday,
                week=week,
                hour=rng.choice(("08:00", "13:30", "15:00", "16:00", "16:30", "17:00")),
                room=f"mødelokale {rng.randint(1, 4)}",
            )
        )
    return out


def _meeting_date(committee: Committee, year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    shift = (committee.weekday - first.weekday()) % 7
    return first + dt.timedelta(days=shift + 7 * committee.week)


def _schedule(committees: list[Committee], docs: int, start: dt.date) -> list[Meeting]:
    """Each committee's monthly meetings (not July), ``docs`` in all, in date order."""
    per = [
        docs // len(committees) + (1 if i < docs % len(committees) else 0)
        for i in range(len(committees))
    ]
    meetings: list[Meeting] = []
    for committee, count in zip(committees, per, strict=True):
        year, month = start.year, start.month
        for _ in range(count):
            if month == 7:
                month = 8
            meetings.append(Meeting(committee, _meeting_date(committee, year, month)))
            month += 1
            if month > 12:
                year, month = year + 1, 1
    meetings.sort(key=lambda m: (m.date, m.committee.name))
    return meetings


def _case_number(
    muni: Municipality, committee: Committee, when: dt.date, kle: str | None = None
) -> str:
    muni.serial += muni.rng.randint(1, 40)
    yy = when.year % 100
    if muni.shape in ("naestved", "randers"):
        code = kle or muni.rng.choice(committee.domain.kle)
        return f"{code}-{muni.rng.choice(FACETS)}-{muni.rng.randint(1, 60)}-{yy:02d}"
    if muni.shape == "slagelse":
        return f"{muni.entry.code}-{when.year}-{muni.serial * 7 + 10000}"
    return f"{yy:02d}/{muni.serial}"


def _doc_number(muni: Municipality, when: dt.date) -> str | None:
    if muni.shape != "slagelse":
        return None
    return f"{muni.entry.code}-{when.year}-{muni.rng.randint(100000, 399999)}"


def _period(when: dt.date) -> str:
    start = 2022 + 4 * ((when.year - 2022) // 4)
    return f"{start}-{start + 3}"


def _absent(rng: random.Random, committee: Committee) -> list[Person]:
    if rng.random() < 0.25:
        return rng.sample(committee.members, 1 if rng.random() < 0.85 else 2)
    return []


def _title(
    rng: random.Random, w: Writer, kind: str, muni: Municipality, when: dt.date
) -> tuple[str, str]:
    d = w.d
    topic = rng.choice(d.topics)
    y1 = when.year + 1
    fill = {
        "y1": y1,
        "y2": y1 + 3,
        "place": rng.choice(muni.places),
        "place2": rng.choice(muni.places),
    }
    if kind == "orientation":
        frame = rng.choice(
            ("Orientering om {topic}", "Status på {topic}", "Orientering om evaluering af {topic}")
        )
        return frame.format(topic=topic), topic
    if kind == "discussion":
        frame = rng.choice(("Drøftelse af {topic}", "Temadrøftelse om {topic}"))
        return frame.format(topic=topic), topic
    if rng.random() < 0.5:
        plan = rng.choice(d.plans).format(**fill)
        frame = rng.choice(
            (
                "Godkendelse af {plan}",
                "Forslag til {plan} - endelig vedtagelse",
                "Revision af {plan}",
            )
        )
        return frame.format(plan=plan), topic
    facility = rng.choice(d.facilities).format(**fill)
    frame = rng.choice(
        ("Anlægsbevilling til {f}", "Frigivelse af midler til {f}", "Tilskud til {f}")
    )
    return frame.format(f=facility), topic


def _outcome(rng: random.Random, kind: str, committee: Committee) -> str:
    if kind == "orientation":
        return "noted"
    if kind == "discussion":
        return "discussed"
    weights = {"approved": 50, "recommended": 22, "postponed": 7, "rejected": 4, "decided": 7}
    if committee.domain.key == "oekonomi":
        weights["recommended"] = 30
    outcomes, w = zip(*weights.items(), strict=True)
    return rng.choices(outcomes, w)[0]


def _decision_text(
    rng: random.Random, outcome: str, committee: Committee, absent: list[Person]
) -> str:
    present = [m for m in committee.members if m not in absent]
    if outcome == "rejected" and rng.random() < 0.6:
        against = rng.randint(len(present) // 2 + 1, len(present))
        return f"Forkastet med {len(present) - against} stemmer mod {against}."
    text = rng.choice(OUTCOME_TEXTS[outcome])
    if outcome in ("approved", "recommended") and rng.random() < 0.12:
        against = rng.sample(present, rng.randint(1, 2))
        verb = "Godkendt" if outcome == "approved" else "Anbefales"
        names = " og ".join(p.with_party() for p in against)
        text = (
            f"{verb} med {len(present) - len(against)} stemmer for og {len(against)} imod. "
            f"Imod stemte {names}."
        )
    return text


def _item(
    muni: Municipality,
    committee: Committee,
    when: dt.date,
    number: int,
    kind: str,
    *,
    title: str | None = None,
    topic: str | None = None,
    case: str | None = None,
    earlier: list[Decision] | None = None,
    outcome: str | None = None,
    size: int = 3500,
    meeting_absent: list[Person],
) -> Item:
    rng = muni.rng
    w = Writer(muni, committee, when)
    if title is None:
        title, topic = _title(rng, w, kind, muni, when)
    topic = topic or rng.choice(committee.domain.topics)
    outcome = outcome or _outcome(rng, kind, committee)
    absent = list(meeting_absent) if muni.shape.startswith("generic") else _absent(rng, committee)
    own = Decision(
        committee.name,
        when.isoformat(),
        outcome,
        _decision_text(rng, outcome, committee, absent),
        absent,
        item_number=number,
    )
    paragraphs = w.case_text(size, topic) if size else []
    law_text = w.law_sentence() if kind == "decision" and rng.random() < 0.5 else None
    item = Item(
        number=number,
        title=title,
        kind=kind,
        case=case or _case_number(muni, committee, when),
        doc_number=_doc_number(muni, when),
        open=not (
            muni.shape in ("slagelse", "generic-pkt")
            and kind == "orientation"
            and rng.random() < 0.05
        ),
        decisions=[*(earlier or []), own],
        paragraphs=paragraphs,
        resume=w.paragraph(topic, (2, 3)) if size else "",
        proposal=_proposal(rng, kind, committee),
        law_text=law_text,
        economy=_economy(w, when) if size else "Sagen har ingen økonomiske konsekvenser.",
        attachments=[f"{title[:60]} - bilag {i + 1}" for i in range(rng.randint(0, 2))]
        if size
        else [],
    )
    item.people = list(dict.fromkeys(w.people))
    item.laws = list(dict.fromkeys(w.laws))
    item.projects = list(dict.fromkeys(w.projects))
    item.organisations = list(dict.fromkeys(w.organisations))
    return item


def _economy(w: Writer, when: dt.date) -> str:
    """The economy section; most name the municipality's own budget, as real ones do."""
    text = w.paragraph(None, (1, 2))
    if w.rng.random() < 0.6:
        text += f" Udgiften afholdes inden for {w.m.entry.name}s budget for {when.year}."
    return text


def _proposal(rng: random.Random, kind: str, committee: Committee) -> str:
    if kind == "orientation":
        return "orienteringen tages til efterretning"
    if kind == "discussion":
        return "udvalget drøfter sagen og giver input til det videre arbejde"
    return rng.choice(
        (
            "forslaget godkendes",
            f"{committee.name} godkender forslaget og den tilhørende tidsplan",
            "udgiften finansieres af udvalgets driftsramme",
            "administrationen bemyndiges til at gennemføre forslaget",
        )
    )


def _reference_phrase(shape: str, when: dt.date, number: int) -> str:
    if shape == "naestved":
        return f"jf. udvalgets behandling den {long_date(when)} - sag {number}"
    if shape == "randers":
        return f"udvalget behandlede sagen den {long_date(when)} (pkt. {number})"
    if shape == "slagelse":
        return f"udvalgets møde den {long_date(when)} (pkt. {number})"
    return f"udvalgets møde den {long_date(when)}, punkt {number}"


def generate_meeting(muni: Municipality, meeting: Meeting) -> dict:
    """One meeting's minutes: its text and what it was generated to contain."""
    rng = muni.rng
    c = meeting.committee
    when = meeting.date
    shape = muni.shape
    running = shape in ("naestved", "randers")
    if c.number_year != when.year:
        c.number, c.number_year = 0, when.year
    if not c.agenda_case:
        c.agenda_case = _case_number(muni, c, when, "00.22.04")
        c.notices_case = _case_number(muni, c, when, "00.22.04")
    meeting_absent = _absent(rng, c) if shape.startswith("generic") else []
    counter = [c.number if running else 0]

    def next_number() -> int:
        counter[0] += 1
        return counter[0]

    items: list[Item] = [
        _item(
            muni,
            c,
            when,
            next_number(),
            "decision",
            title="Godkendelse af dagsorden",
            case=c.agenda_case,
            outcome="approved",
            size=0,
            meeting_absent=meeting_absent,
        )
    ]
    # Postponed items come back first, then recommendations sent to Økonomiudvalget.
    for old in c.postponed:
        earlier = old.decisions
        item = _item(
            muni,
            c,
            when,
            next_number(),
            "decision",
            title=f"{old.title} - udsat fra sidste møde",
            case=old.case,
            earlier=earlier,
            outcome=rng.choice(("approved", "approved", "recommended")),
            meeting_absent=meeting_absent,
        )
        ref_date = dt.date.fromisoformat(earlier[-1].date)
        item.resume += f" Sagen blev udsat, {_reference_phrase(shape, ref_date, old.number)}."
        item.references.append((earlier[-1].date, old.number))
        items.append(item)
    c.postponed = []
    if c.domain.key == "oekonomi":
        for old, decision in muni.forwarded[:3]:
            earlier = Decision(
                decision.body,
                decision.date,
                decision.outcome,
                decision.text,
                decision.absent,
                item_number=old.number,
            )
            item = _item(
                muni,
                c,
                when,
                next_number(),
                "decision",
                title=old.title,
                case=old.case,
                earlier=[earlier],
                outcome="recommended",
                meeting_absent=meeting_absent,
            )
            if shape == "randers":  # its earlier-body header is itself a reference
                item.references.append((decision.date, old.number))
            items.append(item)
        muni.forwarded = muni.forwarded[3:]
    if c.meetings_held % 3 == 2:
        quarter = (when.month - 1) // 3 + 1
        if when.year not in c.stats_cases:
            c.stats_cases[when.year] = _case_number(muni, c, when)
        items.append(
            _item(
                muni,
                c,
                when,
                next_number(),
                "orientation",
                title=f"Orientering om {c.domain.stats} - {quarter}. kvartal {when.year}",
                case=c.stats_cases[when.year],
                outcome="noted",
                size=1800,
                meeting_absent=meeting_absent,
            )
        )
    regular = rng.randint(6, 9)
    size = max(1200, int((TARGET_BYTES - 3000) * 0.78) // (regular + 1))
    for _ in range(regular):
        kind = rng.choices(("decision", "orientation", "discussion"), (62, 28, 10))[0]
        follow = c.history and rng.random() < 0.08
        if follow:
            old_date, old = rng.choice(c.history[-40:])
            item = _item(
                muni,
                c,
                when,
                next_number(),
                kind,
                title=f"Opfølgning på {old.title[0].lower()}{old.title[1:]}",
                case=old.case,
                size=int(size * rng.uniform(0.7, 1.3)),
                meeting_absent=meeting_absent,
            )
            phrase = _reference_phrase(shape, dt.date.fromisoformat(old_date), old.number)
            item.resume += f" Udvalget har tidligere behandlet sagen, {phrase}."
            item.references.append((old_date, old.number))
        else:
            item = _item(
                muni,
                c,
                when,
                next_number(),
                kind,
                size=int(size * rng.uniform(0.7, 1.3)),
                meeting_absent=meeting_absent,
            )
        items.append(item)
    items.append(
        _item(
            muni,
            c,
            when,
            next_number(),
            "orientation",
            title="Meddelelser",
            case=c.notices_case,
            outcome="noted",
            size=600,
            meeting_absent=meeting_absent,
        )
    )
    for item in items:
        own = item.decisions[-1]
        if own.outcome == "postponed":
            c.postponed.append(item)
        elif own.outcome == "recommended" and c.domain.key != "oekonomi" and item.case:
            muni.forwarded.append((item, own))
        if item.title not in ("Godkendelse af dagsorden", "Meddelelser"):
            c.history.append((when.isoformat(), item))
    if running:
        c.number = counter[0]
    c.meetings_held += 1
    text = render(muni, c, when, items, meeting_absent)
    return {"text": text, "items": items, "meeting_absent": meeting_absent}


# ----- rendering --------------------------------------------------------------------------------


MARK = {"decision": "B", "orientation": "O", "discussion": "D"}


def _toc(shape: str, items: list[Item]) -> list[str]:
    page = 3
    lines = []
    for item in items:
        title = f"{item.title} ({MARK[item.kind]})" if shape == "slagelse" else item.title
        if shape == "generic-numbered":
            lines.append(f"{item.number}. {title}\t{page}")
        elif shape == "generic-pkt":
            lines.append(f"Pkt. {item.number} {title}")
        else:
            lines.append(f"{title}.....\t{page}")
        page += 1 + len(item.paragraphs) // 3
    return lines


def _header(
    muni: Municipality, c: Committee, when: dt.date, items: list[Item], absent: list[Person]
) -> list[str]:
    shape = muni.shape
    weekday = WEEKDAYS[when.weekday()]
    street = f"{muni.rng.choice(STREETS)} {muni.rng.randint(1, 40)}"
    place = f"{muni.entry.short} Rådhus, {street}, {c.room}"
    period = _period(when)
    month = f"{MONTHS[when.month - 1]} {when.year}"
    toc = _toc(shape, items)
    if shape in ("naestved", "randers"):
        return [
            f"REFERAT {c.name} {period} d. {dashed_date(when)}",
            f"Mødedato {weekday} d. {when.day:02d}. {month} kl. {c.hour}",
            f"Mødested {place}",
            "Indholdsfortegnelse",
            *toc,
        ]
    if shape == "slagelse":
        return [
            f"REFERAT {c.name} ({period})",
            f"d. {dashed_date(when)}",
            f"Mødedato {weekday} d. {when.day:02d}. {month} kl. {c.hour}",
            f"Mødested {muni.entry.short} Rådhus, {street},",
            c.room,
            "Indholdsfortegnelse",
            *toc,
        ]
    members = ", ".join(
        m.with_party() + (", formand" if i == 0 else "") for i, m in enumerate(c.members)
    )
    absent_line = ", ".join(p.with_party() for p in absent)
    if shape == "generic-numbered":
        lines = [
            muni.entry.name,
            c.name,
            "REFERAT",
            f"Dato: {weekday} den {long_date(when)}",
            f"Tidspunkt: Kl. {c.hour}",
            f"Sted: {place}",
            f"Tilstede: {members}",
        ]
        if absent:
            lines.append(f"Afbud/Fraværende: {absent_line}")
        return [*lines, "INDHOLDSFORTEGNELSE", *toc]
    lines = [
        muni.entry.name.upper(),
        "Beslutningsprotokol",
        c.name,
        f"Mødedato: {weekday} den {long_date(when)}",
        f"Mødetid: {c.hour} - 18:30",
        f"Mødested: {place}",
        f"Medlemmer: {members}",
    ]
    if absent:
        lines.append(f"Afbud: {absent_line}")
    return [*lines, "Indholdsfortegnelse", *toc]


def _absence_lines(d: Decision, sentence: bool) -> list[str]:
    if not d.absent:
        return []
    names = " og ".join(p.with_party() for p in d.absent)
    if sentence:
        return [f"{names} var fraværende."]
    return [f"Fraværende: {', '.join(p.with_party() for p in d.absent)}"]


def _render_item(muni: Municipality, c: Committee, item: Item) -> list[str]:
    shape = muni.shape
    rng = muni.rng
    out: list[str] = []
    proposal = f"Administrationen indstiller, at {item.proposal}."
    own = item.decisions[-1]
    earlier = item.decisions[:-1]
    if shape == "naestved":
        out += [f"Punkt {item.number}: {item.title}", item.case]
        if item.resume:
            out += ["Resume", item.resume]
        out += ["INDSTILLING", proposal]
        for d in item.decisions:
            when = dt.date.fromisoformat(d.date)
            out += ["Beslutning", f"{d.body}, {dotted_date(when)}"]
            out += _absence_lines(d, sentence=rng.random() < 0.5)
            out.append(d.text)
        if item.paragraphs:
            out += ["Sagsfremstilling", *item.paragraphs]
        if item.law_text:
            out += ["Lovgrundlag", item.law_text]
        out += ["Økonomi", item.economy]
    elif shape == "randers":
        out += [f"Punkt {item.number}: {item.title}", item.case]
        if item.resume:
            out += ["Resume", item.resume]
        out += ["Indstilling", f"Direktøren for området indstiller, at {item.proposal}."]
        for d in earlier:
            when = dt.date.fromisoformat(d.date)
            out += [f"{d.body}, {long_date(when)}, pkt. {d.item_number}:", d.text]
        out += ["Beslutning", *_absence_lines(own, sentence=False), own.text]
        if item.paragraphs:
            out += ["Sagsfremstilling", *item.paragraphs]
        if item.law_text:
            out += ["Retligt grundlag", item.law_text]
        out += ["Økonomi", item.economy]
    elif shape == "slagelse":
        mark = MARK[item.kind]
        out += [
            f"Punkt {item.number}: {item.title} ({mark})",
            "Sagsfremstilling",
            f"{item.number}. {item.title} ({mark})",
            f"Sagsnr.: {item.case}",
            f"Dok.nr.: {item.doc_number}",
            "Åbent" if item.open else "Lukket",
            "Kompetence:",
            f"{c.name}.",
        ]
        if item.resume:
            out += ["Beslutningstema", item.resume]
        if item.paragraphs:
            half = max(1, len(item.paragraphs) // 2)
            out += ["Baggrund", *item.paragraphs[:half], "Vurdering", *item.paragraphs[half:]]
        if item.law_text:
            out += ["Retligt grundlag", item.law_text]
        out += ["Økonomiske og personalemæssige konsekvenser", item.economy]
        out += ["Indstilling", "Direktøren indstiller,", f"1. at {item.proposal}."]
        for d in item.decisions:
            when = dt.date.fromisoformat(d.date)
            out += [f"Beslutning i {d.body} den {long_date(when)}:"]
            out += _absence_lines(d, sentence=False)
            out.append(d.text)
    else:
        numbered = shape == "generic-numbered"
        heading = (lambda s: s.upper()) if numbered else (lambda s: s)
        out += [f"{item.number}. {item.title}" if numbered else f"Pkt. {item.number} {item.title}"]
        out += [f"Sagsnr.: {item.case}" if numbered else f"J.nr. {item.case}"]
        if not item.open:
            out.append("Lukket punkt.")
        if item.paragraphs:
            out += [heading("Sagsfremstilling"), item.resume, *item.paragraphs]
        if item.law_text:
            out += [heading("Lovgrundlag"), item.law_text]
        out += [heading("Økonomi"), item.economy, heading("Indstilling"), proposal]
        if numbered:
            out.append("BESLUTNING")
            for d in earlier:
                out += [f"{d.body} {dashed_date(dt.date.fromisoformat(d.date))}:", d.text]
            if earlier:
                out.append(f"{own.body} {dashed_date(dt.date.fromisoformat(own.date))}:")
            out.append(own.text)
        else:
            for d in earlier:
                genitive = d.body + "s"
                out += [
                    f"{genitive} beslutning den {long_date(dt.date.fromisoformat(d.date))}:",
                    d.text,
                ]
            out += [
                f"Udvalgets beslutning den {long_date(dt.date.fromisoformat(own.date))}:",
                own.text,
            ]
    if item.attachments:
        out += ["BILAG" if shape == "generic-numbered" else "Bilag", *item.attachments]
    return out


def render(
    muni: Municipality, c: Committee, when: dt.date, items: list[Item], absent: list[Person]
) -> str:
    lines = [MARKER, *_header(muni, c, when, items, absent)]
    for item in items:
        lines += _render_item(muni, c, item)
    return "\n\n".join(lines) + "\n"


# ----- the corpus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Which municipalities, in which shapes, with how many documents each."""

    municipalities: list[tuple[MunicipalityEntry, str, int]]
    seed: int


def plan(n: int, seed: int) -> Plan:
    entries = list(table())
    rng = random.Random(f"{seed}:plan")
    rng.shuffle(entries)
    count = min(len(entries), max(min(n, len(SHAPES)), n // 40))
    chosen = entries[:count]
    per = [n // count + (1 if i < n % count else 0) for i in range(count)]
    return Plan(
        [(e, SHAPES[i % len(SHAPES)], k) for i, (e, k) in enumerate(zip(chosen, per, strict=True))],
        seed,
    )


def generate_municipality(
    entry: MunicipalityEntry, shape: str, docs: int, seed: int
) -> Iterator[tuple[str, str, dict]]:
    """(file stem, text, manifest entry) for each of one municipality's documents."""
    muni = _municipality(entry, shape, seed)
    committees = _committees(muni, max(1, min(6, docs // 4)))
    start = dt.date(2022, muni.rng.randint(1, 3), 1)
    for meeting in _schedule(committees, docs, start):
        made = generate_meeting(muni, meeting)
        c = meeting.committee
        stem = f"{slug(entry.short)}_{c.abbrev}_{meeting.date.isoformat()}"
        printed = shape in ("naestved", "slagelse")  # layouts that print earlier absences
        manifest = {
            "file": f"{stem}.txt",
            "shape": shape,
            "layout": "generic" if shape.startswith("generic") else shape,
            "municipality": entry.code,
            "committee": c.name,
            "date": meeting.date.isoformat(),
            "meeting_absent": [p.name for p in made["meeting_absent"]],
            "items": [
                {
                    "number": it.number,
                    "title": it.title,
                    "case": it.case,
                    "open": it.open,
                    "decisions": [
                        {
                            "body": d.body,
                            "date": d.date,
                            "outcome": d.outcome,
                            "absent": [p.name for p in d.absent]
                            if printed or i == len(it.decisions) - 1
                            else [],
                        }
                        for i, d in enumerate(it.decisions)
                    ],
                    "references": [list(r) for r in it.references],
                    "people": it.people,
                    "laws": it.laws,
                    "projects": it.projects,
                    "organisations": it.organisations,
                }
                for it in made["items"]
            ],
        }
        yield stem, made["text"], manifest


def _write_municipality(args: tuple[MunicipalityEntry, str, int, int, str]) -> list[dict]:
    entry, shape, docs, seed, out = args
    folder = Path(out)
    entries = []
    for stem, text, manifest in generate_municipality(entry, shape, docs, seed):
        path = folder / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        manifest["bytes"] = path.stat().st_size
        entries.append(manifest)
    return entries


def manifest_path(out_dir: Path) -> Path:
    """The manifest lives beside the folder, so the folder holds minutes only."""
    out_dir = Path(out_dir)
    return out_dir.parent / f"{out_dir.name}.manifest.jsonl"


def write_corpus(out_dir: Path, n: int, seed: int = 1, jobs: int = 1) -> list[dict]:
    """Write the corpus and its manifest; returns the manifest entries in file order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    p = plan(n, seed)
    work = [(e, shape, k, seed, str(out_dir)) for e, shape, k in p.municipalities]
    if jobs > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            parts = pool.map(_write_municipality, work, chunksize=1)
    else:
        parts = [_write_municipality(w) for w in work]
    entries = sorted((m for part in parts for m in part), key=lambda m: m["file"])
    with manifest_path(out_dir).open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"n": n, "seed": seed, "version": GENERATOR_VERSION}) + "\n")
        for m in entries:
            fh.write(json.dumps(m, ensure_ascii=False) + "\n")
    return entries


def read_manifest(out_dir: Path) -> tuple[dict, list[dict]]:
    lines = manifest_path(out_dir).read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def ensure_corpus(out_dir: Path, n: int, seed: int = 1, jobs: int = 1) -> list[dict]:
    """The corpus at ``out_dir``, generated only if it is missing or was made for other options."""
    out_dir = Path(out_dir)
    try:
        head, entries = read_manifest(out_dir)
        files = {p.name for p in out_dir.glob("*.txt")}
        wanted = {"n": n, "seed": seed, "version": GENERATOR_VERSION}
        if head == wanted and files == {m["file"] for m in entries}:
            return entries
    except (OSError, ValueError, IndexError):
        pass
    return write_corpus(out_dir, n, seed, jobs)


# ----- checking the corpus against the real extractor -------------------------------------------


@dataclass
class CheckTotals:
    docs: int = 0
    layout: int = 0
    municipality: int = 0
    meeting: int = 0
    items: tuple[int, int] = (0, 0)  # generated, extracted
    numbers: int = 0
    cases: int = 0
    decisions: tuple[int, int] = (0, 0)
    decisions_same: int = 0
    outcomes: tuple[int, int] = (0, 0)  # right, compared
    references: tuple[int, int] = (0, 0)  # found, generated
    absences: tuple[int, int] = (0, 0)
    people: tuple[int, int] = (0, 0)
    laws: tuple[int, int] = (0, 0)
    projects: tuple[int, int] = (0, 0)
    problems: list[str] = field(default_factory=list)


def _add(pair: tuple[int, int], a: int, b: int) -> tuple[int, int]:
    return pair[0] + a, pair[1] + b


def check(out_dir: Path, entries: list[dict], k: int = 20) -> CheckTotals:
    """Extract ``k`` documents (spread over the shapes) and compare with what was generated."""
    from kommunegraf.extract import extract_path

    by_shape: dict[str, list[dict]] = {}
    for m in entries:
        by_shape.setdefault(m["shape"], []).append(m)
    sample: list[dict] = []
    while len(sample) < min(k, len(entries)):
        for shape in SHAPES:
            pool = by_shape.get(shape, [])
            if pool and len(sample) < k:
                sample.append(pool.pop(len(pool) // 2))
    t = CheckTotals()
    print(f"{'file':46} {'layout':9} items g/x  cases  decisions g/x  outcomes  refs g/x")
    for m in sample:
        rec = extract_path(Path(out_dir) / m["file"])
        t.docs += 1
        t.layout += rec.source.layout == m["layout"]
        t.municipality += rec.municipality.code == m["municipality"]
        t.meeting += (rec.meeting.committee, rec.meeting.date) == (m["committee"], m["date"])
        if rec.source.layout != m["layout"]:
            t.problems.append(f"{m['file']}: layout {rec.source.layout} (generated {m['layout']})")
        if rec.municipality.code != m["municipality"]:
            t.problems.append(f"{m['file']}: municipality {rec.municipality.code}")
        if (rec.meeting.committee, rec.meeting.date) != (m["committee"], m["date"]):
            t.problems.append(f"{m['file']}: meeting {rec.meeting.committee!r} {rec.meeting.date}")
        got = {it.number: it for it in rec.items}
        t.items = _add(t.items, len(m["items"]), len(rec.items))
        doc_cases = doc_dec = doc_out = doc_ref = 0
        gen_dec = gen_ref = got_dec = 0
        for gi in m["items"]:
            x = got.get(gi["number"])
            gen_dec += len(gi["decisions"])
            gen_ref += len(gi["references"])
            if x is None:
                t.problems.append(f"{m['file']}: item {gi['number']} not extracted")
                continue
            t.numbers += 1
            got_dec += len(x.decisions)
            if x.case_number == gi["case"]:
                doc_cases += 1
            else:
                t.problems.append(
                    f"{m['file']} #{gi['number']}: case {x.case_number!r} != {gi['case']!r}"
                )
            gen_pairs = [(d["date"], d["outcome"]) for d in gi["decisions"]]
            x_pairs = [(d.date, d.outcome) for d in x.decisions]
            if len(gen_pairs) == len(x_pairs):
                doc_dec += 1
                same = sum(a == b for a, b in zip(gen_pairs, x_pairs, strict=True))
                doc_out += same
                t.outcomes = _add(t.outcomes, same, len(gen_pairs))
                if same != len(gen_pairs):
                    t.problems.append(
                        f"{m['file']} #{gi['number']}: decisions {x_pairs} != {gen_pairs}"
                    )
            else:
                t.outcomes = _add(t.outcomes, 0, len(gen_pairs))
                t.problems.append(
                    f"{m['file']} #{gi['number']}: decisions {x_pairs} != {gen_pairs}"
                )
            x_refs = {(r.date, r.item_number) for r in x.references}
            found = sum(tuple(r) in x_refs for r in gi["references"])
            doc_ref += found
            if found != len(gi["references"]):
                t.problems.append(
                    f"{m['file']} #{gi['number']}: references {sorted(x_refs)} "
                    f"lack {gi['references']}"
                )
            gen_absent = {n for d in gi["decisions"] for n in d["absent"]}
            x_absent = {n for d in x.decisions for n in d.absent}
            t.absences = _add(t.absences, len(gen_absent & x_absent), len(gen_absent))
            x_people = {p.name for p in x.people}
            t.people = _add(t.people, len(set(gi["people"]) & x_people), len(gi["people"]))
            x_laws = " | ".join(law.text for law in x.laws).lower()
            t.laws = _add(
                t.laws,
                sum(law.lower().split(" §")[0] in x_laws for law in gi["laws"]),
                len(gi["laws"]),
            )
            x_projects = {p.name for p in x.projects}
            t.projects = _add(
                t.projects, len(set(gi["projects"]) & x_projects), len(gi["projects"])
            )
        t.cases += doc_cases
        t.decisions = _add(t.decisions, gen_dec, got_dec)
        t.decisions_same += doc_dec
        t.references = _add(t.references, doc_ref, gen_ref)
        print(
            f"{m['file'][:46]:46} {rec.source.layout:9} {len(m['items']):3}/{len(rec.items):<3}"
            f"  {doc_cases:3}  {gen_dec:5}/{got_dec:<5}    {doc_out:4}     {gen_ref:2}/{doc_ref:<2}"
        )
    return t


def print_check(t: CheckTotals) -> None:
    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "0/0"

    print(
        f"\ndocuments {t.docs}: layout {pct(t.layout, t.docs)}, municipality "
        f"{pct(t.municipality, t.docs)}, committee+date {pct(t.meeting, t.docs)}"
    )
    print(
        f"items generated/extracted {t.items[0]}/{t.items[1]}; numbers found "
        f"{pct(t.numbers, t.items[0])}; case numbers {pct(t.cases, t.items[0])}"
    )
    print(
        f"decisions generated/extracted {t.decisions[0]}/{t.decisions[1]}; "
        f"(date, outcome) right {pct(*t.outcomes)}; references found {pct(*t.references)}"
    )
    print(
        f"absent names {pct(*t.absences)}; people {pct(*t.people)}; laws {pct(*t.laws)}; "
        f"projects {pct(*t.projects)}"
    )
    for line in t.problems[:25]:
        print("  ", line)
    if len(t.problems) > 25:
        print(f"   … and {len(t.problems) - 25} more")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="processes for generating")
    parser.add_argument(
        "--check",
        type=int,
        default=0,
        metavar="K",
        help="extract K documents and compare with what was generated",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    entries = write_corpus(args.out_dir, args.n, args.seed, args.jobs)
    elapsed = time.perf_counter() - started
    total = sum(m["bytes"] for m in entries)
    items = sum(len(m["items"]) for m in entries)
    munis = len({m["municipality"] for m in entries})
    committees = len({(m["municipality"], m["committee"]) for m in entries})
    shapes = {s: sum(m["shape"] == s for m in entries) for s in SHAPES}
    mean_kb = total / max(1, len(entries)) / 1000
    print(
        f"wrote {len(entries)} documents ({total / 1e6:.1f} MB, mean {mean_kb:.1f} KB, "
        f"{items} items) to {args.out_dir} in {elapsed:.1f} s"
    )
    print(f"manifest {manifest_path(args.out_dir)}")
    print(f"{munis} municipalities, {committees} committees; shapes {shapes}")
    if args.check:
        print_check(check(args.out_dir, entries, args.check))
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "Plan",
    "check",
    "ensure_corpus",
    "generate_municipality",
    "main",
    "manifest_path",
    "plan",
    "print_check",
    "read_manifest",
    "write_corpus",
]
