"""The history of a case number: every treatment, oldest first, its links and its status.

``kommunegraf trace`` reads like a case file: each treatment (a decision by a body on a date,
with its outcome, wording, absentees and votes), then the items linked to the case by
explicit references (both directions; a reference to minutes not yet ingested is listed as
such) and by its recurring thread, then the case's status and next step read out from the
latest treatment ("postponed on 2018-05-15 to the next meeting", "recommended to Byrådet").

Matching is tolerant (graph.rdf.casenumbers) but always an indexed exact lookup of
``kg:caseKey``; a prefix or KLE subject ("15.20.00") lists the matching cases instead, and a
miss lists near matches.  A case number printed in several municipalities is several cases:
without ``--municipality`` all of them are traced, each headed by its municipality.  Only
pyoxigraph, regex and the standard library are imported here, so a trace stays in
milliseconds (networkx, rdflib and pyvis are never loaded).

JSON shape (``--format json``)::

    {"query": "…as typed…",
     "matched": "exact" | "prefix",          # prefix: "choices" instead of "cases"
     "cases": [{
        "case": "15.00.00-P20-1-18", "case_key": "…", "iri": "…",
        "municipality": "Næstved Kommune", "municipality_iri": "…",
        "status": "approved on 2018-05-15 by …", "next_step": "…" | null,
        "treatments": [{                       # oldest first
            "date": "2018-04-10", "municipality": "…", "committee": "…",
            "outcome": "postponed" | … | null, "text": "…whole decision text…",
            "absent": ["…"], "votes": null | {"for": 6, "against": 1, "abstain": null,
                                               "for_names": [], "against_names": ["…"],
                                               "abstain_names": [], "for_parties": ["V"],
                                               "against_parties": [], "abstain_parties": []},
            "item": ITEM,                       # the item at the treating body's meeting
            "recorded_in": ITEM | null}],       # a later item whose minutes print it
        "links": [{"relation": "refers_to" | "referred_by" | "thread", "item": ITEM}],
        "thread": null | {"iri": "…", "items": 4, "meetings": 2,
                          "first": "2018-05-15", "last": "2018-11-05"}}],
     "choices": [{"case": "…", "case_key": "…", "municipality": "…", "items": 3,
                  "last": "2018-11-05", "title": "…"}]}

    ITEM = {"iri": "…" | null, "ingested": true, "date": "2018-05-15", "committee": "…",
            "number": 39 | null, "title": "…" | null, "case": "…" | null}
"""

from kommunegraf.graph.answers.trace.build import trace, trace_case
from kommunegraf.graph.answers.trace.find import find_exact, find_near, find_prefix
from kommunegraf.graph.answers.trace.model import (
    CaseChoice,
    CaseHit,
    CaseNotFound,
    CaseTrace,
    ItemRef,
    Link,
    Step,
    ThreadInfo,
    TraceError,
    TraceResult,
    Treatment,
)
from kommunegraf.graph.answers.trace.render import (
    ABSENCE_SENTENCE_RE,
    SENTENCE_END_RE,
    TABLE_WIDTH,
    _votes_line,
    decision_shown,
    render_json,
    render_markdown,
    render_table,
    to_json,
)
from kommunegraf.graph.answers.trace.status import read_status
from kommunegraf.queries.municipality import UnknownMunicipality, resolve_municipality

__all__ = [
    "ABSENCE_SENTENCE_RE",
    "SENTENCE_END_RE",
    "TABLE_WIDTH",
    "CaseChoice",
    "CaseHit",
    "CaseNotFound",
    "CaseTrace",
    "ItemRef",
    "Link",
    "Step",
    "ThreadInfo",
    "TraceError",
    "TraceResult",
    "Treatment",
    "UnknownMunicipality",
    "_votes_line",
    "decision_shown",
    "find_exact",
    "find_near",
    "find_prefix",
    "read_status",
    "render_json",
    "render_markdown",
    "render_table",
    "resolve_municipality",
    "to_json",
    "trace",
    "trace_case",
]
