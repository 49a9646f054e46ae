"""What a treatment did, in a user's words, and which treatments are the same one.

The outcome concepts are coarse on purpose (graph.rdf.mapping's scheme: a committee that sends a
case back and one that declines to take a position both *postpone* it; "Anbefales ikke" is
a *rejection*).  A reader of ``trace`` wants the effect: "sent back to Plan- og
Tryghedsudvalget", "no position taken", "not recommended", "approved 9–8".  Extraction reads
it from the decision's wording (extract/next_steps.py: the decision's ``status`` and
``sent_back_to``, in the graph as kg:status and kg:sentBackTo); this module only words it.  A
decision stored before those were read has no status: its effect is its outcome alone.

Treatments are the same when the same body decided the same case on the same day: the
minutes of a later meeting print earlier treatments under "Sagens forløb", and a body's
printed name varies ("Byrådet", "Byråd", "Sundheds og Omsorgsudvalget", "Sundheds- og
omsorgsudvalget"), so the text core's ``body_key`` (extract/text/bodies.py, which the
derived threads use too) folds the name before treatments are compared.
"""

from __future__ import annotations

# The finer statuses in words; any other status is the outcome's own word.
_WORDS = {
    "no_position": "no position taken",
    "not_recommended": "not recommended",
}
# Where a case was sent back to, when the minutes name no body (extract.next_steps).
_GENERIC_TARGETS = {"committee": "the committee", "administration": "the administration"}


def effect(
    outcome: str | None,
    status: str | None = None,
    sent_back_to: str | None = None,
    votes: dict | None = None,
) -> str | None:
    """The treatment's effect in a few words, or None for an item only on an agenda."""
    if not outcome:
        return None
    if status == "sent_back":
        to = _GENERIC_TARGETS.get(sent_back_to or "", sent_back_to)
        word = f"sent back to {to}" if to else "sent back"
    else:
        word = _WORDS.get(status or "", outcome)
    if votes and votes.get("for") is not None and votes.get("against") is not None:
        word += f" {votes['for']}–{votes['against']}"
    return word
