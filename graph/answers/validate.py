"""SHACL over the store: ontology/shapes.ttl against the document graphs and the reference data.

pySHACL works on rdflib graphs (~1.45 GB per million triples), so the store is validated in
slices: the reference graph once on its own, then document graphs a batch at a time, each
batch together with the part of the reference graph it points at (two hops: a decision's
outcome concept and that concept's scheme).  Memory is bounded by the batch, not the store.
The derived graph is not validated: it is recomputed from the documents by every ingest.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from kommunegraf.graph.store.local import Store
from kommunegraf.ontology.terms import PREFIXES as PREFIX_TABLE
from kommunegraf.ontology.terms import sparql_prefixes

SHOWN_DOCUMENTS = 3  # a finding in more documents names the first three and counts the rest
BATCH_QUADS = 50_000  # triples of document data per pySHACL run (≈ 75 MB in rdflib)
PREFIXES = {f"{name}:": ns for name, ns in PREFIX_TABLE.items()}


@dataclass(frozen=True)
class Finding:
    """One SHACL result, with the graph(s) its focus node is stated in."""

    severity: str  # Violation | Warning | Info
    graphs: tuple[str, ...]
    focus: str
    path: str | None
    message: str
    value: str | None

    def line(self, short: Callable[[str], str]) -> str:
        where = f" {short(self.path)}" if self.path else ""
        value = f" (value: {short(self.value)})" if self.value is not None else ""
        return f"{self.severity}: {short(self.focus)}{where}: {self.message}{value}"


@dataclass
class Report:
    documents: int = 0
    triples: int = 0
    violations: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)  # violations, then the first warnings

    @property
    def conforms(self) -> bool:
        return self.violations == 0


def shortener(base: str) -> Callable[[str], str]:
    """Readable names: ``id:naestved/sag/…``, ``kg:Decision``."""
    prefixes = [("id:", base + "id/"), ("graph:", base + "graph/")]
    prefixes += [(p, ns) for p, ns in PREFIXES.items()]

    def short(iri: str) -> str:
        for prefix, ns in prefixes:
            if iri.startswith(ns):
                return prefix + iri[len(ns) :]
        return iri

    return short


def _shapes() -> rdflib.Graph:
    from kommunegraf.ontology import SHAPES_TTL

    return rdflib.Graph().parse(SHAPES_TTL, format="turtle")


def _parse(data: bytes, into: rdflib.Graph | None = None) -> rdflib.Graph:
    graph = into if into is not None else rdflib.Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _findings(results: rdflib.Graph, where: Callable[[str], tuple[str, ...]]) -> Iterator[Finding]:
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        yield Finding(
            severity=str(severity).rsplit("#", 1)[-1],
            graphs=where(focus),
            focus=focus,
            path=str(path) if isinstance(path, rdflib.URIRef) else None,
            message="; ".join(messages) or "does not conform",
            value=str(value) if value is not None else None,
        )


def _reference_slice(reference: rdflib.Graph, data: rdflib.Graph, hops: int = 2) -> rdflib.Graph:
    """The reference triples about nodes the data mentions, and about what those point to."""
    out = rdflib.Graph()
    frontier = {n for n in data.all_nodes() if isinstance(n, rdflib.URIRef)}
    seen: set[rdflib.term.Node] = set()
    for _ in range(hops):
        following: set[rdflib.term.Node] = set()
        for node in frontier - seen:
            seen.add(node)
            for triple in reference.triples((node, None, None)):
                out.add(triple)
                if isinstance(triple[2], rdflib.URIRef):
                    following.add(triple[2])
        frontier = following
    return out


def validate_store(
    store: Store,
    *,
    batch_quads: int = BATCH_QUADS,
    keep_warnings: int = 20,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Validate the reference graph, then every completed document graph in batches."""
    shapes = _shapes()
    report = Report()
    # A node stated by many documents (a committee, a person) is validated with each batch
    # that holds one of them: the same result comes back batch after batch.  Each is
    # reported once, with every document it was found in.
    seen: dict[tuple[str, str, str | None, str, str | None], int] = {}

    def collect(results: rdflib.Graph, where: Callable[[str], tuple[str, ...]]) -> None:
        for finding in _findings(results, where):
            if not finding.graphs:
                continue  # about a reference node: reported by the reference's own run
            key = (finding.severity, finding.focus, finding.path, finding.message, finding.value)
            if key in seen:
                at = seen[key]
                if at >= 0:
                    earlier = report.findings[at]
                    graphs = tuple(sorted(set(earlier.graphs) | set(finding.graphs)))
                    report.findings[at] = dataclasses.replace(earlier, graphs=graphs)
                continue
            if finding.severity == "Violation":
                report.violations += 1
                seen[key] = len(report.findings)
                report.findings.append(finding)
            elif finding.severity == "Warning":
                report.warnings += 1
                seen[key] = len(report.findings) if report.warnings <= keep_warnings else -1
                if report.warnings <= keep_warnings:
                    report.findings.append(finding)

    reference = _parse(store.graph_ntriples(store.reference_graph))
    report.triples += len(reference)
    if len(reference):
        _, results, _ = shacl_validate(reference, shacl_graph=shapes, allow_warnings=True)
        collect(results, lambda _focus: (store.reference_graph,))

    documents = sorted(store.documents())
    subjects: dict[str, list[str]] = {}
    data = rdflib.Graph()
    for number, graph_iri in enumerate(documents, start=1):
        # its own triples and the shared descriptions it points at (one copy in the store)
        document = _parse(store.document_ntriples(graph_iri))
        for s in document.subjects(unique=True):
            subjects.setdefault(str(s), []).append(graph_iri)
        report.triples += len(document)
        data += document
        if len(data) >= batch_quads or number == len(documents):
            data += _reference_slice(reference, data)
            _, results, _ = shacl_validate(data, shacl_graph=shapes, allow_warnings=True)
            collect(results, lambda focus, at=subjects: tuple(at.get(focus, ())))
            if progress:
                progress(number, len(documents))
            subjects, data = {}, rdflib.Graph()
    report.documents = len(documents)
    for finding in reference_label_findings(store):
        report.violations += 1
        report.findings.append(finding)
    return report


# Names a document states about a resource of the reference data that the reference does not:
# a law's (or municipality's) name is the reference's, and what a document printed belongs on
# its own citation.  (Before this check, one document's "225-timersreglen" became a name of
# the whole of aktivloven, and MIN(label) queries showed it for every aktivloven citation.)
FOREIGN_LABELS_QUERY = (
    sparql_prefixes()
    + """
SELECT DISTINCT ?reference ?g ?s ?p ?o WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel foaf:name dcterms:title
              kg:printedAs kg:lawKind }
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g != ?reference)
  GRAPH ?reference { ?s a ?type }
  FILTER NOT EXISTS { GRAPH ?reference { ?s ?p ?o } }
}"""
)
# The documents that point at a resource: where a name the shared graph holds came from (the
# store keeps one copy of a shared description, not who stated it)
MENTIONED_BY_QUERY = "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?x ?p ?s } }"
FOREIGN_LABEL_MESSAGE = (
    "a document adds a name to a resource of the reference data (the reference names it; "
    "what a document printed belongs on its citation)"
)


def reference_label_findings(store: Store) -> list[Finding]:
    """Violations: names that document graphs add to reference resources (laws, rules,
    municipalities, parties, KLE subjects, outcomes)."""
    from kommunegraf.graph.store.local import IRI

    documents = store.documents()
    rows = store.select(FOREIGN_LABELS_QUERY, {"reference": IRI(store.reference_graph)})
    findings = []
    for row in rows:
        graph = str(row["g"])
        if graph == store.shared_graph:  # the documents that mention it
            mentions = store.select(MENTIONED_BY_QUERY, {"s": IRI(str(row["s"]))})
            graphs = tuple(sorted({str(m["g"]) for m in mentions} & documents))
        else:
            graphs = (graph,) if graph in documents else ()
        if graphs:
            findings.append(
                Finding(
                    severity="Violation",
                    graphs=graphs,
                    focus=str(row["s"]),
                    path=str(row["p"]),
                    message=FOREIGN_LABEL_MESSAGE,
                    value=str(row["o"]),
                )
            )
    return findings


def report_lines(report: Report, store: Store) -> list[str]:
    """The report as text: findings grouped by document graph (with its source files)."""
    short = shortener(store.base)
    sources = store.sources()
    lines: list[str] = []
    by_graph: dict[tuple[str, ...], list[Finding]] = {}
    for finding in report.findings:
        by_graph.setdefault(finding.graphs, []).append(finding)
    for graphs, findings in sorted(by_graph.items()):
        names = [f"{short(g)} ({', '.join(sources.get(g, [])) or 'no file'})" for g in graphs]
        if len(names) > SHOWN_DOCUMENTS:
            more = len(names) - SHOWN_DOCUMENTS
            names = [f"{len(graphs)} documents: " + names[0], *names[1:SHOWN_DOCUMENTS]]
            names[-1] += f" and {more} more"
        lines.append("in " + "; ".join(names))
        lines += [f"  {finding.line(short)}" for finding in findings]
    shown = sum(1 for f in report.findings if f.severity == "Warning")
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"{report.documents} documents, {report.triples} triples checked against the shapes: "
        f"{verdict} — {report.violations} violation(s), {report.warnings} warning(s)"
        + (f" ({shown} shown)" if report.warnings > shown else "")
    )
    return lines


class Progress:
    """Progress of a validation on stderr: a rich bar on a terminal, plain lines otherwise
    (logs, CI, pipes), one per batch of documents checked."""

    def __init__(self, *, terminal: bool | None = None) -> None:
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.terminal:
            print(f"validate: {done}/{total} documents checked", file=sys.stderr, flush=True)
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("validate"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("validate", total=total)
            self._bar.start()
        self._bar.update(self._task, completed=done)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
