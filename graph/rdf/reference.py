"""Generate the reference data (ontology/reference/*.ttl) from the project's own tables.

Reference data is what every document graph links to and none of them states: the outcome
concepts, the KLE subject codes, the 98 municipalities, the parties and the laws.  It is
generated, not hand-written, so it cannot drift from the tables the extractors use:

    extract/data/kommuner.tsv        municipalities and kommunekoder (via extract.municipalities)
    extract/data/kle.tsv             KLE codes and titles (hovedgruppe / gruppe / emne)
    extract/entities/parties.py      party letters and names (when that module exists)
    extract/entities/lawbook.py      laws, aliases, ELIs and named rules

Run ``python -m kommunegraf.graph.rdf.reference`` after changing a table; the output is
committed.  All of it is loaded into the named graph ``…/graph/reference``.

The builder lives here, in graph.rdf, not in ontology/: it mints the reference resources'
IRIs with :class:`IriMinter`, and the vocabulary sits below the RDF layer that uses it.
"""

from __future__ import annotations

import argparse
import csv
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from kommunegraf.extract import municipalities
from kommunegraf.extract.entities import lawbook
from kommunegraf.graph.rdf.iris import DEFAULT_BASE, IriMinter
from kommunegraf.graph.rdf.mapping import KLE_TSV
from kommunegraf.ontology import REFERENCE_DIR
from kommunegraf.ontology.terms import ELI, KG, ORG, PREFIXES, RDF, RDFS, SKOS

# code → (Danish label, English label, Danish definition, English definition)
OUTCOMES: dict[str, tuple[str, str, str, str]] = {
    "approved": (
        "Godkendt",
        "Approved",
        'Organet godkendte indstillingen (fx "Godkendt", "Bevilget").',
        'The body approved the proposal (e.g. "Godkendt", "Bevilget").',
    ),
    "recommended": (
        "Anbefalet",
        "Recommended",
        'Organet anbefalede sagen over for et andet organ ("Anbefales", "Indstilles godkendt").',
        'The body recommended the matter to another body ("Anbefales", "Indstilles godkendt").',
    ),
    "noted": (
        "Taget til efterretning",
        "Noted",
        "Organet tog orienteringen til efterretning.",
        "The body took note of the information.",
    ),
    "discussed": (
        "Drøftet",
        "Discussed",
        "Organet drøftede sagen uden at træffe en egentlig beslutning.",
        "The body discussed the matter without taking a decision as such.",
    ),
    "postponed": (
        "Udsat",
        "Postponed",
        "Sagen blev udsat eller skal genoptages på et senere møde.",
        "The matter was postponed or is to be taken up again at a later meeting.",
    ),
    "rejected": (
        "Afvist",
        "Rejected",
        "Organet forkastede eller afviste indstillingen.",
        "The body rejected the proposal.",
    ),
    "decided": (
        "Besluttet",
        "Decided",
        "En beslutning i organets egne ord, eller flere dele med forskellig virkning.",
        "A decision in the body's own words, or several parts with different effects.",
    ),
    "other": (
        "Andet",
        "Other",
        "Et udfald, som ingen af de andre begreber dækker.",
        "An outcome that none of the other concepts covers.",
    ),
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(_n(s), _n(p), o)


def _da(text: str) -> ox.Literal:
    return ox.Literal(text, language="da")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def outcome_triples(iris: IriMinter) -> Iterator[ox.Triple]:
    scheme = iris.outcome_scheme
    yield _t(scheme, RDF.type, _n(SKOS.ConceptScheme))
    yield _t(scheme, SKOS.prefLabel, _da("Beslutningers udfald"))
    yield _t(scheme, SKOS.prefLabel, _en("Decision outcomes"))
    yield _t(scheme, RDFS.label, _da("Beslutningers udfald"))
    yield _t(scheme, RDFS.label, _en("Decision outcomes"))
    for code, (label_da, label_en, def_da, def_en) in OUTCOMES.items():
        iri = iris.outcome(code)
        yield _t(iri, RDF.type, _n(KG.Outcome))
        yield _t(iri, RDF.type, _n(SKOS.Concept))
        yield _t(iri, SKOS.notation, ox.Literal(code))
        yield _t(iri, SKOS.prefLabel, _da(label_da))
        yield _t(iri, SKOS.prefLabel, _en(label_en))
        yield _t(iri, RDFS.label, _da(label_da))
        yield _t(iri, RDFS.label, _en(label_en))
        yield _t(iri, SKOS.definition, _da(def_da))
        yield _t(iri, SKOS.definition, _en(def_en))
        yield _t(iri, SKOS.inScheme, _n(scheme))
        yield _t(iri, SKOS.topConceptOf, _n(scheme))


def read_kle(path: Path = KLE_TSV) -> list[tuple[str, str, str]]:
    """(code, level, title) rows of the project's KLE table."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            (row["code"].strip(), row["level"].strip(), row["title"].strip())
            for row in csv.DictReader(fh, delimiter="\t")
        ]


def kle_triples(iris: IriMinter, rows: Iterable[tuple[str, str, str]]) -> Iterator[ox.Triple]:
    """KLE as a SKOS scheme: emne 15.20.00 → gruppe 15.20 → hovedgruppe 15 (skos:broader)."""
    scheme = iris.kle_scheme
    yield _t(scheme, RDF.type, _n(SKOS.ConceptScheme))
    for label in (_da("KL's Emnesystematik (KLE)"), _en("KL's subject classification (KLE)")):
        yield _t(scheme, SKOS.prefLabel, label)
        yield _t(scheme, RDFS.label, label)
    rows = list(rows)
    known = {code for code, _, _ in rows}
    for code, level, title in rows:
        iri = iris.kle(code)
        yield _t(iri, RDF.type, _n(KG.KleSubject))
        yield _t(iri, RDF.type, _n(SKOS.Concept))
        yield _t(iri, SKOS.notation, ox.Literal(code))
        yield _t(iri, SKOS.prefLabel, _da(title))
        yield _t(iri, RDFS.label, _da(f"{code} {title}"))
        yield _t(iri, KG.kleLevel, ox.Literal(level))
        yield _t(iri, SKOS.inScheme, _n(scheme))
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent and parent in known:
            yield _t(iri, SKOS.broader, _n(iris.kle(parent)))
        elif parent is None:
            yield _t(iri, SKOS.topConceptOf, _n(scheme))


def municipality_triples(iris: IriMinter) -> Iterator[ox.Triple]:
    """The 98 municipalities: official name as label, the bare and "X Kommune" forms as variants."""
    for entry in municipalities.table():
        iri = iris.municipality(entry.name, entry.code)
        official = entry.name
        yield _t(iri, RDF.type, _n(KG.Municipality))
        yield _t(iri, RDFS.label, ox.Literal(official))
        yield _t(iri, SKOS.prefLabel, _da(official))
        yield _t(iri, KG.kommunekode, ox.Literal(entry.code))
        variants = {entry.short, f"{entry.short} Kommune"} - {official}
        for variant in sorted(variants):
            yield _t(iri, SKOS.altLabel, _da(variant))


def law_triples(iris: IriMinter, book: ModuleType = lawbook) -> Iterator[ox.Triple]:
    """The law table: label, aliases, kind; each named rule as a resource of its own, linked
    (kg:statedIn) to the provision of its law that lays it down."""
    for entry in book.LAWS:
        iri = iris.law(book.law_path(entry))
        assert iri is not None
        title = book.preferred_label(entry)
        yield _t(iri, RDF.type, _n(KG.Law))
        yield _t(iri, RDFS.label, ox.Literal(title))
        yield _t(iri, SKOS.prefLabel, _da(title))
        yield _t(iri, KG.key, ox.Literal(entry.key))
        yield _t(iri, KG.lawKind, ox.Literal(entry.kind))
        for alias in entry.short_names:
            yield _t(iri, SKOS.altLabel, _da(alias))
    for rule, (law_key, provision) in book.RULES.items():
        entry = book.by_key(law_key)
        rule_iri = iris.law(book.rule_path(rule))
        law_iri = iris.law(book.law_path(entry)) if entry else None
        if entry is None or law_iri is None or rule_iri is None:
            continue
        yield _t(rule_iri, RDF.type, _n(KG.Law))
        yield _t(rule_iri, RDFS.label, ox.Literal(rule))
        yield _t(rule_iri, SKOS.prefLabel, _da(rule))
        yield _t(rule_iri, KG.key, ox.Literal(rule))
        yield _t(rule_iri, KG.lawKind, ox.Literal("rule"))
        provision_iri = iris.provision(law_iri, provision) if provision else None
        yield _t(rule_iri, KG.statedIn, _n(provision_iri or law_iri))
        if provision_iri is None:
            continue
        path = provision_iri[len(law_iri) + 1 :]
        label = f"{book.preferred_label(entry)} {book.provision_label(path) or provision}"
        yield _t(provision_iri, RDF.type, _n(KG.Provision))
        yield _t(provision_iri, ELI.is_part_of, _n(law_iri))
        yield _t(provision_iri, RDFS.label, ox.Literal(label))


def _parties_module() -> ModuleType | None:
    try:
        return importlib.import_module("kommunegraf.extract.entities.parties")
    except ImportError:
        return None


def party_triples(iris: IriMinter, module: ModuleType | None) -> Iterator[ox.Triple]:
    """Parties from kommunegraf.extract.entities.parties: letter, official name and printed
    forms."""
    if module is None:
        return
    for party in module.PARTIES:
        iri = iris.party(party.letter)
        yield _t(iri, RDF.type, _n(KG.Party))
        yield _t(iri, RDF.type, _n(ORG.Organization))
        yield _t(iri, SKOS.notation, ox.Literal(party.letter))
        yield _t(iri, RDFS.label, ox.Literal(party.name))
        yield _t(iri, SKOS.prefLabel, _da(party.name))
        for alias in party.forms:
            yield _t(iri, SKOS.altLabel, _da(alias))
    # Independents are recorded with the letter L: a pseudo-party, so the tie is still typed.
    iri = iris.party("L")
    yield _t(iri, RDF.type, _n(KG.Party))
    yield _t(iri, SKOS.notation, ox.Literal("L"))
    yield _t(iri, RDFS.label, ox.Literal("Løsgænger"))
    yield _t(iri, SKOS.prefLabel, _da("Løsgænger"))
    yield _t(iri, SKOS.prefLabel, _en("Independent"))
    yield _t(iri, SKOS.definition, _da("Ikke et parti: et medlem uden for partierne."))
    yield _t(iri, SKOS.definition, _en("Not a party: a member outside the parties."))
    for alias in getattr(module, "INDEPENDENT_FORMS", ()):
        yield _t(iri, SKOS.altLabel, _da(alias))


def write_turtle(path: Path, triples: Iterable[ox.Triple], header: str) -> int:
    """Write triples as Turtle with the project's prefixes; returns the number written."""
    triples = list(dict.fromkeys(triples))
    used = {t.predicate.value for t in triples} | {
        t.object.value for t in triples if isinstance(t.object, ox.NamedNode)
    }
    prefixes = {k: ns for k, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in used)}
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    path.write_text(comment + body, encoding="utf-8")
    return len(triples)


def build(out_dir: Path = REFERENCE_DIR, base: str = DEFAULT_BASE) -> dict[str, int]:
    """Write every reference file; returns triples written per file name."""
    iris = IriMinter(base)
    out_dir.mkdir(parents=True, exist_ok=True)
    generated = "Generated by `python -m kommunegraf.graph.rdf.reference`; do not edit by hand."
    files: dict[str, tuple[Iterable[ox.Triple], str]] = {
        "outcomes.ttl": (outcome_triples(iris), "Outcome concepts of decisions."),
        "kle.ttl": (kle_triples(iris, read_kle()), "KLE subject codes (KL's Emnesystematik)."),
        "municipalities.ttl": (municipality_triples(iris), "The 98 Danish municipalities."),
        "laws.ttl": (law_triples(iris), "Laws with aliases and ELIs; named rules."),
    }
    parties = _parties_module()
    if parties is not None:
        files["parties.ttl"] = (party_triples(iris, parties), "Political parties by letter.")
    return {
        name: write_turtle(out_dir / name, triples, f"{title}\n{generated}")
        for name, (triples, title) in files.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR, help="output folder")
    parser.add_argument("--base", default=DEFAULT_BASE, help="IRI base of the graph")
    args = parser.parse_args()
    for name, count in build(args.out, args.base).items():
        print(f"{name}: {count} triples")


if __name__ == "__main__":
    main()
