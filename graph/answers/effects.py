"""What a treatment did, in a user's words, and which treatments are the same one.

The outcome concepts are coarse on purpose (graph.rdf.mapping's scheme: a committee that sends a
case back and one that declines to take a position both *postpone* it; "Anbefales ikke" is
a *rejection*).  A reader of ``trace`` wants the effect: "sent back to Plan- og
Tryghedsudvalget", "no position taken", "not recommended", "approved 9–8".  This module
reads it from the outcome and the decision's own wording; the outcome stays what the graph
says.

Treatments are the same when the same body decided the same case on the same day: the
minutes of a later meeting print earlier treatments under "Sagens forløb", and a body's
printed name varies ("Byrådet", "Byråd", "Sundheds og Omsorgsudvalget", "Sundheds- og
omsorgsudvalget"), so :func:`body_key` folds the name before treatments are compared.
"""

from __future__ import annotations

import regex

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
# A body's printed name, folded: letters only, a definite ending dropped ("Byrådet" →
# "byråd", "Sundheds- og omsorgsudvalget" → "sundhedsogomsorgsudvalg").
DEFINITE_END_RE = regex.compile(r"(?:et|en)$")
NOT_LETTERS_RE = regex.compile(r"[^\p{L}]+")

_WORDS = {
    "approved": "approved",
    "recommended": "recommended",
    "noted": "noted",
    "discussed": "discussed",
    "postponed": "postponed",
    "rejected": "rejected",
    "decided": "decided",
}


def body_key(name: str | None) -> str:
    """A body's name folded so that its printed forms compare equal."""
    folded = NOT_LETTERS_RE.sub("", (name or "").casefold())
    return DEFINITE_END_RE.sub("", folded)


def _to(text: str) -> str | None:
    """Where a case was sent back to ("the committee" for "fagudvalget"/"udvalget")."""
    for match in SENT_BACK_RE.finditer(text):
        if not BACK_RE.search(match[0]):
            continue
        to = (match["to"] or "").strip()
        if not to:
            return ""
        if to.casefold() in ("fagudvalget", "udvalget", "det relevante fagudvalg"):
            return "the committee"
        if to.casefold() in ("administrationen", "forvaltningen"):
            return "the administration"
        return to
    return None


def effect(outcome: str | None, text: str, votes: dict | None = None) -> str | None:
    """The treatment's effect in a few words, or None for an item only on an agenda."""
    if not outcome:
        return None
    text = " ".join((text or "").split())
    word = _WORDS.get(outcome, outcome)
    if outcome in ("postponed", "other", "decided"):
        if NO_POSITION_RE.search(text):
            word = "no position taken"
        else:
            to = _to(text)
            if to is not None:
                word = f"sent back to {to}" if to else "sent back"
    elif outcome == "rejected" and NOT_RECOMMENDED_RE.search(text):
        word = "not recommended"
    if votes and votes.get("for") is not None and votes.get("against") is not None:
        word += f" {votes['for']}–{votes['against']}"
    return word
