"""Each case thread's way through the bodies: its treatments computed with the threads, named
when the threads are listed.

``kommunegraf threads`` prints under each thread the bodies that treated it in date order:
"Plan- og Tryghedsudvalget → Økonomiudvalget → Byråd".  Read from the store when listing,
the join of every thread item with its meeting and its decisions took 9.7 of the command's
14 s at 10,000 documents; the same reads are at hand when the threads are computed (the
store's or the documents' facts, graph.analysis.sources), so each thread's treatments are
written into the derived graph beside it (``kg:threadTreatments``).

A treatment is (date, body): the committee and date of each item's meeting, and the body and
date of each decision on the item (the earlier treatments later minutes print under "Sagens
forløb" among them).  The bodies are named when the threads are listed, with the names the
store holds then (a handful of committees: one cheap query), not when the threads are
computed: a committee's names are shared descriptions, and the documents' facts and the
store can hold different ones (a name only a replaced document printed stays in the store
while the committee is still named), so a path computed from names would differ between a
partial update from the facts and a whole recomputation from the store.

A body's printed names are folded (extract.text.bodies.body_key), so that "Byrådet" printed
in a later item is the "Byråd" whose meeting it was; each treatment is named once (the least
of its names, the same on every run), and a body met twice in a row once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kommunegraf.ontology.terms import KG

if TYPE_CHECKING:
    from kommunegraf.graph.analysis.model import Thread
    from kommunegraf.graph.analysis.sources import Source


def path_of(treatments: Iterable[tuple[str, str]], labels: dict[str, set[str]]) -> list[str]:
    """The bodies of (date, body) treatments in date order, each treatment once and a body
    met twice in a row once; a body without a name is named by its IRI's last segment."""
    from kommunegraf.extract.text.bodies import body_key

    seen: dict[tuple[str, str], str] = {}
    for day, body in treatments:
        for label in labels.get(body) or {body.rsplit("/", 1)[-1]}:
            key = (day, body_key(label))
            seen[key] = min(label, seen.get(key, label))
    path: list[str] = []
    last = None
    for (_day, key), label in sorted(seen.items()):
        if key != last:
            path.append(label)
        last = key
    return path


def attach_treatments(threads: list[Thread], source: Source) -> None:
    """Set each thread's ``treatments``: its (date, body) pairs, sorted, each once."""
    if not threads:
        return
    wanted = {item.iri for thread in threads for item in thread.items}
    decisions: dict[str, list[str]] = defaultdict(list)  # item → its decisions
    for decision, item in source.pairs(KG.item):
        if item in wanted:
            decisions[item].append(decision)
    deciding = {d for ds in decisions.values() for d in ds}
    dates: dict[str, set[str]] = defaultdict(set)
    for decision, day in source.pairs(KG.date):
        if decision in deciding:
            dates[decision].add(day)
    bodies: dict[str, set[str]] = defaultdict(set)
    for decision, body in source.pairs(KG.body):
        if decision in deciding:
            bodies[decision].add(body)
    for thread in threads:
        treatments: set[tuple[str, str]] = set()
        for item in thread.items:
            if item.date and item.committee:
                treatments.add((item.date, item.committee))
            for decision in decisions.get(item.iri, ()):
                treatments.update(
                    (day, body) for day in dates.get(decision, ()) for body in bodies[decision]
                )
        thread.treatments = sorted(treatments)
