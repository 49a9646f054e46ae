"""Standing cases: the agenda's own procedure, which recurs at every meeting by design.

"Godkendelse af dagsorden", "Meddelelser" and "Underskriftsark" carry a journal number that
comes back meeting after meeting, so as case threads they are the longest of all and bury
the cases a reader is looking for.  A thread is a standing case when

- its title is one of the agenda's procedural titles (``STANDING_TITLE_RE``), or
- it comes back at nearly every meeting of its committee: at least
  ``RECURRING_MIN_MEETINGS`` meetings and ``RECURRING_SHARE`` of the committee's meetings
  (a matter decided on its merits is not on every agenda for half a year).

``kommunegraf threads`` leaves standing cases out unless asked (``--standing``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import regex

from kommunegraf.ontology.terms import sparql_prefixes

if TYPE_CHECKING:
    from kommunegraf.graph.analysis.threads import ThreadRow
    from kommunegraf.graph.store.local import Store

# A procedural agenda title, the whole title (a trailing "(O)", "(B)", "- lukket" or
# punctuation allowed): "Godkendelse af dagsorden", "Meddelelser fra formanden, medlemmer
# m.fl.", "Underskriftsark", "Eventuelt", "Gensidig orientering", "Orientering fra
# direktøren", "Punkter til kommende møder", "Siden sidst", "Godkendelse af referat".
# Not "Orientering om klagesagsstatistik" (a report on a matter) nor "Meddelelse om
# tilsynsbesøg på Solbakken" (one notice about one thing).
STANDING_TITLE_RE = regex.compile(
    r"""(?ix)^\s*(?:
        godkendelse\s+af\s+(?:dagsorden(?:en)?|referat(?:et)?|(?:beslutnings)?protokol(?:len)?)
      | meddelelser(?:\s+(?:og\s+orientering(?:er)?|fra\s+.+))?
      | (?:orientering|meddelelser?)\s+fra\s+(?:formand(?:en|skabet)?|næstformand(?:en)?
            |borgmester(?:en)?|direktør(?:en)?|direktion(?:en)?|administration(?:en)?
            |forvaltning(?:en)?|udvalgsformand(?:en)?|medlemmer(?:ne)?|sekretariat(?:et)?)\b.*
      | underskrift(?:sark|er|sside|sblad)?
      | eventuelt
      | gensidig\s+orientering
      | siden\s+sidst
      | punkter\s+til\s+(?:kommende|næste)\s+møder?
    )\s*(?:[-–:,.]\s*(?:lukket|åben)(?:\s+punkt)?)?\s*(?:\([A-ZÆØÅ]{1,2}\))?[\s.:]*$"""
)
RECURRING_MIN_MEETINGS = 6
RECURRING_SHARE = 0.9

COMMITTEE_MEETINGS_QUERY = (
    sparql_prefixes(("kg", "rdfs", "org"))
    + """
SELECT ?municipality ?committee (COUNT(DISTINCT ?meeting) AS ?meetings) WHERE {
  ?meeting a kg:Meeting ; kg:committee ?c .
  ?c org:subOrganizationOf ?m .
  { SELECT ?c (MIN(?cl) AS ?committee) WHERE { ?c a kg:Committee ; rdfs:label ?cl } GROUP BY ?c }
  # the committees' municipalities' names (grouping every label of the store took 2 s at
  # 10,000 documents: items, decisions and cases have labels too)
  { SELECT ?m (MIN(?ml) AS ?municipality) WHERE {
      { SELECT DISTINCT ?m WHERE { ?body org:subOrganizationOf ?m } } ?m rdfs:label ?ml }
    GROUP BY ?m }
} GROUP BY ?municipality ?committee"""
)


def is_standing_title(title: str) -> bool:
    """Whether a case's title is the agenda's own procedure."""
    return bool(STANDING_TITLE_RE.match(title or ""))


def recurs_at_nearly_every_meeting(meetings: int, committee_meetings: int) -> bool:
    """Whether a thread of ``meetings`` is on nearly every one of its committee's meetings."""
    return (
        meetings >= RECURRING_MIN_MEETINGS
        and committee_meetings > 0
        and meetings >= RECURRING_SHARE * committee_meetings
    )


def standing_flags(store: Store, rows: Iterable[ThreadRow]) -> list[bool]:
    """For each thread, whether it is a standing case (see the module docstring)."""
    counts: dict[tuple[str, str], int] | None = None
    flags: list[bool] = []
    for row in rows:
        if is_standing_title(row.label):
            flags.append(True)
            continue
        if row.meetings < RECURRING_MIN_MEETINGS:
            flags.append(False)
            continue
        if counts is None:  # read only when some thread is long enough to be one
            counts = {
                (str(r["municipality"]), str(r["committee"])): int(r["meetings"])  # type: ignore[arg-type]
                for r in store.select(COMMITTEE_MEETINGS_QUERY)
            }
        most = max((counts.get((row.municipality, c), 0) for c in row.committees), default=0)
        flags.append(recurs_at_nearly_every_meeting(row.meetings, most))
    return flags
