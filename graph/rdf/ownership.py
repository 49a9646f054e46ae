"""Which triples a document owns: a pure string rule on the IRIs graph.rdf.iris mints.

Kept apart from the minter so that the store, which applies the rule to every triple it loads
or exports, does not import the minter's extractors (every reader of the store would load
their patterns for nothing: a tenth of `trace` as a process).
"""

from __future__ import annotations

MEETING_SEGMENT = "/moede/"  # every IRI below a meeting (items, decisions, votes) has it


def owned_by_document(subject: str, graph: str) -> bool:
    """Whether a triple whose subject is ``subject`` belongs to the document graph ``graph``
    alone: the document itself and everything minted below one of its meetings (items,
    decisions, votes, attachments, mentions).  Every other subject (a municipality, a
    committee, a person, a party, a law, a case, a project, an organisation) is a shared
    thing whose description many documents state alike; the embedded store keeps those
    triples once, in :attr:`IriMinter.shared_graph`.  A blank node (``_:…``) never leaves
    its document.  Pure string tests: called for every triple a batch loads.
    """
    return subject == graph or MEETING_SEGMENT in subject or subject.startswith("_:")
