"""``kommunegraf extract --explain``: why a document was read as it was, as lines of text.

For a user whose municipality's minutes come out wrong: which profile was chosen and the cues
that decided it, the runners-up with their scores, every item header found, the sections and
decision blocks of each item, and the lines that looked like headers but were turned down.
"""

from __future__ import annotations

from kommunegraf.extract.layouts import Explanation
from kommunegraf.extract.records import Record

# A line of text in the explanation is cut to this many characters
WIDTH = 90


def _cut(text: str) -> str:
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def render(explanation: Explanation, record: Record) -> list[str]:
    """The explanation of one record's reading, line by line."""
    out: list[str] = []
    chosen = explanation.chosen
    if chosen is None:
        return ["(no explanation recorded)"]
    p = chosen.profile
    out.append(f"profile: {p.name} (layout {p.layout!r}, score {chosen.score:.2f}) from {p.source}")
    out.append(f"  item headers: shape {explanation.style!r}, {chosen.items} found")
    for cue in chosen.cues:
        mark = "held" if cue.held else "failed"
        need = f"needs ≥ {cue.needed:g}" + (", required" if cue.required else "")
        out.append(f"  cue {cue.label!r}: {cue.count} ({need}) {mark} +{cue.weight:g}")
    counts = ", ".join(f"{k} {v}" for k, v in explanation.counts.items() if v)
    out.append(f"  items per header shape: {counts or 'none'}")
    if explanation.reflowed:
        out.append("  run-together pages were cut into lines first")
    if explanation.dropped:
        out.append(f"  page furniture dropped: {len(explanation.dropped)} lines")
    out.append("runners-up:")
    for other in explanation.ranked[1:8]:
        held = [c.label for c in other.cues if c.held]
        failed = [c.label for c in other.cues if not c.held and c.required]
        why = f"held {held}" if held else ""
        if failed:
            why += f" failed required {failed}"
        if other.items < other.profile.min_items:
            why += f" only {other.items} items of shape {other.style!r}"
        out.append(f"  {other.profile.layout}: {other.score:.2f} {why}".rstrip())
    m = record.meeting
    out.append(
        f"meeting: committee {m.committee!r}, date {m.date}, time {m.start_time}, "
        f"place {m.location!r}; municipality {record.municipality.name!r}"
    )
    out.append(f"items: {len(record.items)}")
    for item in record.items:
        start = item.span[0] if item.span else "?"
        out.append(f"  [{start}] {item.number}. {_cut(item.title)}  case {item.case_number}")
        if item.sections:
            out.append("      sections: " + _cut(", ".join(s.heading for s in item.sections)))
        for d in item.decisions:
            out.append(
                f"      decision: {d.body} {d.date} {d.outcome}: {_cut(d.text)!r}"
                + (f" absent {d.absent}" if d.absent else "")
            )
    if explanation.rejected:
        out.append("rejected header lines:")
        for offset, text, reason in explanation.rejected[:50]:
            out.append(f"  [{offset}] {_cut(text)!r}: {reason}")
        if len(explanation.rejected) > 50:
            out.append(f"  … and {len(explanation.rejected) - 50} more")
    return out
