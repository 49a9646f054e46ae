"""A case's status and next step as a user says them, from its latest treatment.

Nothing is read from the decision's wording here: extraction did that (extract/next_steps.py;
the decision's kg:status and kg:nextStep).  A store ingested before then has neither; its
status is said from the outcome alone and its next step as not read, with the remedy.
"""

from __future__ import annotations

from kommunegraf.graph.answers.trace.model import Treatment

# The next step of a decision stored before extraction read next steps.
NOT_READ = "not read: this store was ingested before next steps were read (re-ingest to see it)"
_VERBS = {
    "approved": "approved",
    "noted": "noted",
    "discussed": "discussed",
    "rejected": "rejected",
    "decided": "decided",
    "postponed": "postponed",
    "recommended": "recommended",
}


def timeline_key(t: Treatment) -> tuple[str, int, str]:
    """Treatments in time order: date, item number, body."""
    return (t.date or t.item.date or "9999", t.item.number or 0, t.committee or "")


def read_status(timeline: list[Treatment]) -> tuple[str, str | None]:
    """The case's status and next step, from its latest treatment, as a user says them."""
    decided = [t for t in timeline if t.outcome]
    if not decided:
        if timeline:
            latest = timeline[-1]
            return (f"on the agenda of {latest.committee} on {latest.date}", "awaits a decision")
        return ("no treatment recorded", None)
    latest = max(decided, key=timeline_key)
    on = f"on {latest.date}" if latest.date else "(undated)"
    by = f" by {latest.committee}" if latest.committee else ""
    outcome, step = latest.outcome, latest.next_step
    plain = f"{_VERBS.get(outcome or '', 'treated')} {on}{by}"
    if latest.status is None:  # stored before extraction read it
        return plain, NOT_READ
    when = f" ({step.date})" if step and step.date else ""
    bodies = " and ".join(step.bodies) if step else ""
    if outcome == "postponed":
        if step and step.kind == "next_meeting":
            return (
                f"postponed {on} to the next meeting{when}",
                f"resumes at the next meeting of {latest.committee}{when}",
            )
        return plain, f"to be resumed by {latest.committee} at a later meeting"
    if outcome == "recommended":
        if step and step.kind == "to_council" and bodies:
            return (f"recommended to {bodies} {on}{by}", f"awaits the decision of {bodies}")
        return (
            plain,
            "awaits the decision of the body it was recommended to (not named in the minutes)",
        )
    if step and step.kind == "council_on_demand" and bodies:
        return plain, f"goes to {bodies} (a member asked for it)"
    if step and step.kind == "returns":
        return plain, f"returns to {latest.committee}{when}"
    return plain, None
