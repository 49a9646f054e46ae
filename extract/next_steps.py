"""A decision's status and next step, read from its wording when the record is made.

``outcome`` (extract.decisions.outcome_of) is coarse on purpose: a body that sends a case back
and one that declines to take a position both *postpone* it, and "Anbefales ikke" is a
*rejection*.  A reader of ``trace`` wants more: what the treatment did ("sent back to Plan- og
Tryghedsudvalget", "no position taken", "not recommended") and where the case goes next
("postponed to the next meeting (2018-06-12)", "awaits the decision of Byrådet").  Both are
read here, from the decision's text, its outcome and its date, so that ``trace`` reads no
Danish at query time; docs/records.md lists the values.

- :func:`status_of` → (status, sent_back_to): ``status`` is one of :data:`STATUSES`,
  ``sent_back_to`` where a case was sent back to (a body as printed, or ``committee`` /
  ``administration`` for the generic words), else None.
- :func:`next_step_of` → a :class:`~kommunegraf.extract.records.NextStep` or None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import regex


@dataclass
class NextStep:
    """Where a case goes after a decision (extract.next_steps reads it from the wording)."""

    kind: str  # next_meeting | returns | to_council | council_on_demand | recommended_unnamed
    bodies: list[str] = field(default_factory=list)  # empty: the deciding body itself
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "bodies": list(self.bodies), "date": self.date}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NextStep:
        return cls(str(data["kind"]), list(data.get("bodies") or []), data.get("date"))


__all__ = ["NEXT_STEP_KINDS", "STATUSES", "NextStep", "council_bodies", "next_step_of", "status_of"]

# The outcomes, and the finer effects read from an outcome's wording.
STATUSES = (
    "approved",
    "recommended",
    "not_recommended",  # a rejected recommendation: "Anbefales ikke"
    "noted",
    "discussed",
    "postponed",
    "sent_back",  # postponed (or decided) by sending the case back: "sendes tilbage til …"
    "no_position",  # the body declined to decide: "Udvalget undlod at tage stilling"
    "rejected",
    "decided",
    "other",
)
NEXT_STEP_KINDS = (
    "next_meeting",  # postponed to the body's next meeting (bodies empty: the same body)
    "returns",  # the text promises the case back to the body ("fremlægges igen")
    "to_council",  # recommended on to the council-level bodies named
    "council_on_demand",  # a member demanded the council decide ("begærede sagen i Byrådet")
    "recommended_unnamed",  # recommended, the body it goes to not named
)

# --- where the case goes next --------------------------------------------------------------
# The next meeting: "genoptages på næste møde", "udsat til næste udvalgsmøde", "kommende møde".
NEXT_MEETING_RE = regex.compile(
    r"\b(?:næste|kommende|førstkommende|næstkommende)\s+(?:\w+\s+)?(?:udvalgs?\s*)?møde",
    regex.IGNORECASE,
)
# A promise to bring the case back: "fremlægges på kommende udvalgsmøde", "bringes til udvalget".
RETURN_RE = regex.compile(
    r"\b(?:fremlægges|forelægges|bringes|genoptages|behandles\s+igen|kommer\s+tilbage"
    r"|(?:bliver|vil\s+blive)\s+(?:fremlagt|forelagt))\b",
    regex.IGNORECASE,
)
# A council-level body a recommendation goes to: "Byrådet", "kommunalbestyrelsen",
# "Økonomiudvalget", "Borgerrepræsentationen", "Regionsrådet".
COUNCIL_RE = regex.compile(
    r"\b(?P<body>byråd|kommunalbestyrelse|borgerrepræsentation|økonomiudvalg|regionsråd)"
    r"(?:et|en|n)?\b",
    regex.IGNORECASE,
)
# A member's demand that the council decide: "begærede sagen i byrådet", "begærer sagen for".
DEMAND_RE = regex.compile(r"\bbegær\w*\s+(?:sagen|punktet)\b", regex.IGNORECASE)

# Each council-level body under the name its minutes head it with, in the order they are named.
COUNCIL_NAMES = {
    "byråd": "Byrådet",
    "kommunalbestyrelse": "Kommunalbestyrelsen",
    "borgerrepræsentation": "Borgerrepræsentationen",
    "økonomiudvalg": "Økonomiudvalget",
    "regionsråd": "Regionsrådet",
}

# --- what the treatment did --------------------------------------------------------------
# "Byrådet besluttede at sende sagen tilbage til fornyet behandling i fagudvalget",
# "Sagen sendes tilbage til administrationen", "tilbagesendes til udvalget".
SENT_BACK_RE = regex.compile(
    r"\b(?:sende[rs]?|sendt|tilbagesend\w*)\s+(?:(?:sagen|punktet)\s+)?(?:tilbage\b\s*)?"
    r"(?:til\s+(?:fornyet\s+(?:behandling|drøftelse)\s+(?:i|på)\s+)?(?P<to>[^.;:]{3,80}?))?"
    r"(?=\s+(?:med|for|så|da|idet|hvor|og\s+ønsker)\b|[.;:]|(?<!-),|$)",
    regex.IGNORECASE,
)
# The words that make SENT_BACK_RE's verb a return: "tilbage", or the one word "tilbagesendes".
BACK_RE = regex.compile(r"\btilbage\b|\btilbagesend", regex.IGNORECASE)
# A body declining to decide — the decision opens with it, after a part number or the body:
# "Udvalget undlod at tage stilling til indstillingerne", "1.-2. Undlader.",
# "Økonomiudvalget undlader at tage stilling".  (A member's "Claus Dyremose (C) undlod at
# tage stilling" later in a decision is an abstention in a vote, not the body's effect.)
NO_POSITION_RE = regex.compile(
    r"^\s*(?:[\d.\s\-–]+\s+)?(?:(?:\p{Lu}[\p{L}-]*(?:\s+og\s+\p{Lu}?[\p{L}-]+)?)\s+)?"
    r"(?:undlod|undlader)(?:\s+at\s+tage\s+stilling)?\b",
    regex.IGNORECASE,
)
# A recommendation refused: "Anbefales ikke", "Udvalget kan ikke anbefale indstillingen".
NOT_RECOMMENDED_RE = regex.compile(
    r"\banbefales\s+ikke\b|\b(?:kan|vil)\s+ikke\s+anbefale\b|\bikke\s+anbefalet\b",
    regex.IGNORECASE,
)
# A decision's date as records carry it: "2018-05-15".
ISO_DAY_RE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")
# Where a case sent back goes when the text names no body: the treating committee or the
# administration ("fagudvalget", "udvalget"; "administrationen", "forvaltningen").
GENERIC_TARGETS = {
    "fagudvalget": "committee",
    "udvalget": "committee",
    "det relevante fagudvalg": "committee",
    "administrationen": "administration",
    "forvaltningen": "administration",
}


def sent_back_to(text: str) -> str | None:
    """Where a case was sent back to: a body as printed, ``committee`` or ``administration``
    for the generic words, ``""`` when it was sent back without saying where, None when it
    was not sent back."""
    for match in SENT_BACK_RE.finditer(text):
        if not BACK_RE.search(match[0]):
            continue
        to = (match["to"] or "").strip()
        return GENERIC_TARGETS.get(to.casefold(), to)
    return None


@lru_cache(maxsize=4096)
def status_of(outcome: str | None, text: str) -> tuple[str | None, str | None]:
    """(status, sent_back_to) of a decision: its outcome, made finer by its wording (kept per
    wording, as ``outcome_of`` is)."""
    if not outcome:
        return None, None
    text = " ".join((text or "").split())
    if outcome in ("postponed", "other", "decided"):
        if NO_POSITION_RE.search(text):
            return "no_position", None
        to = sent_back_to(text)
        if to is not None:
            return "sent_back", to or None
    elif outcome == "rejected" and NOT_RECOMMENDED_RE.search(text):
        return "not_recommended", None
    return (outcome if outcome in STATUSES else "other"), None


def council_bodies(text: str) -> list[str]:
    """The council-level bodies a text names, once each, in the order it names them."""
    found = [COUNCIL_NAMES[m["body"].lower()] for m in COUNCIL_RE.finditer(text)]
    return list(dict.fromkeys(found))


def _valid_day(value: str | None) -> str | None:
    """The decision's date if it is a real YYYY-MM-DD date (the one the graph keeps), else
    None: a later date is looked for after it."""
    if not value or not ISO_DAY_RE.match(value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def next_meeting_date(text: str, after: str | None) -> str | None:
    """The first date the text gives after the decision's own ("udsat til mødet den 7.
    februar"): a written date without a year takes the decision's year."""
    if not any(ch.isdigit() for ch in text):
        return None
    from kommunegraf.extract.text.dates import find_dates

    year = int(after[:4]) if after else None
    for _start, _end, day in find_dates(text, default_year=year):
        if after is None or day > after:
            return day
    return None


def next_step_of(outcome: str | None, text: str, date: str | None) -> NextStep | None:
    """Where the case goes after this decision, as its wording says; None when it says
    nothing beyond the outcome (an approval, a rejection, a postponement without a date).

    Read once per wording and date (most decisions print one of a few); each caller gets
    its own copy, since records are mutable.
    """
    kept = _next_step_kept(outcome, text, date)
    return None if kept is None else replace(kept, bodies=list(kept.bodies))


@lru_cache(maxsize=4096)
def _next_step_kept(outcome: str | None, text: str, date: str | None) -> NextStep | None:
    """``next_step_of`` before the copy: never changed by anyone, as it is shared."""
    if not outcome:
        return None
    text = text or ""
    after = _valid_day(date)
    councils = council_bodies(text)
    if outcome == "postponed":
        if NEXT_MEETING_RE.search(text):
            return NextStep("next_meeting", [], next_meeting_date(text, after))
        return None
    if outcome == "recommended":
        if councils:
            return NextStep("to_council", councils, None)
        return NextStep("recommended_unnamed", [], None)
    if councils and DEMAND_RE.search(text):
        return NextStep("council_on_demand", councils, None)
    if outcome not in ("approved", "rejected") and (
        RETURN_RE.search(text) or NEXT_MEETING_RE.search(text)
    ):
        return NextStep("returns", [], next_meeting_date(text, after))
    return None
