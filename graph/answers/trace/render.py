"""A trace as the user reads it: JSON (the documented shape), a plain-text table that fits a
terminal, or GitHub-flavoured Markdown."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import regex

from kommunegraf.graph.answers.trace.model import CaseTrace, ItemRef, TraceResult, Treatment

TABLE_WIDTH = 80


def to_json(result: TraceResult) -> dict[str, Any]:
    """The documented JSON shape (module docstring)."""
    data: dict[str, Any] = {"query": result.query, "matched": result.matched}
    if result.choices:
        data["choices"] = [asdict(c) for c in result.choices]
        return data
    cases = []
    for case in result.cases:
        entry = asdict(case)
        for treatment in entry["treatments"]:  # the effect and the case's status say these
            for internal in ("body_iri", "decision_iri", "status", "sent_back_to", "next_step"):
                treatment.pop(internal, None)
        cases.append(entry)
    data["cases"] = cases
    return data


def render_json(result: TraceResult) -> str:
    return json.dumps(to_json(result), ensure_ascii=False, indent=2)


def _item_label(ref: ItemRef) -> str:
    return f"item {ref.number}" if ref.number is not None else "item ?"


def _title(t: Treatment) -> str | None:
    """The item's title, or that of the later item whose minutes record the treatment."""
    return t.item.title or (t.recorded_in.title if t.recorded_in else None)


# A sentence of a decision that only notes who was absent: "Kristian Skov-Andersen var
# fraværende.", "Fraværende: Ib Dam", "Afbud fra Jens Hansen", "… deltog ikke i sagens
# behandling."  The table puts such sentences after the decision's effect, not first.
ABSENCE_SENTENCE_RE = regex.compile(
    r"\b(?:var\s+fraværende|fraværende\s*:|afbud\b|deltog\s+ikke)", regex.IGNORECASE
)
# Where a decision's text parts into sentences: after a word's . ! ? (not a part number's
# "2." nor an abbreviation's: "stk. 2", "nr. 4", "jf. § 3", "kr. 5 mio.") before a capital, a
# digit or a parenthesis.
SENTENCE_END_RE = regex.compile(
    r"(?<=\p{L}{2}[.!?])(?<!\b(?i:stk|jf|nr|pkt|kr|mio|mia|ca|dvs|bl\.a|f\.eks)\.)"
    r"\s+(?=[\p{Lu}\d(])"
)


def decision_shown(text: str) -> str:
    """The decision's words with the notes of absence moved after the decision itself."""
    text = " ".join((text or "").split())
    sentences = SENTENCE_END_RE.split(text) if text else []
    notes = [x for x in sentences if ABSENCE_SENTENCE_RE.search(x)]
    if not notes or len(notes) == len(sentences):
        return text
    return " ".join([x for x in sentences if x not in notes] + notes)


def _votes_line(votes: dict[str, Any] | None) -> str | None:
    if not votes:
        return None
    parts = []
    for key, word in (("for", "for"), ("against", "against"), ("abstain", "abstaining")):
        names = votes.get(f"{key}_names") or []
        parties = votes.get(f"{key}_parties") or []  # blocs: "9 for (V, D, Liselott Blixt)"
        count = votes.get(key)
        if count is None and not names and not parties:
            continue
        if count is not None:
            shown = f"{count} {word}"
        else:  # a bloc's members are not counted: no number where only parties are printed
            shown = f"{len(names)} {word}" if names and not parties else word
        if parties or names:
            shown += f" ({', '.join([*parties, *names])})"
        parts.append(shown)
    return "votes: " + "; ".join(parts) if parts else None


def render_table(result: TraceResult, width: int | None = TABLE_WIDTH) -> str:
    """Plain text.  With a ``width`` (a terminal's) every line fits it, long values wrapped,
    never cut; with None (a pipe, a file) every value is printed whole, a line each."""
    if result.choices:
        return _choices_table(result, width)
    blocks = [_case_table(case, width) for case in result.cases]
    if len(result.cases) > 1:
        note = (
            f"{result.query} is a case number in {len(result.cases)} municipalities; "
            "each is its own case (narrow with --municipality)."
        )
        blocks.insert(0, "\n".join(_wrap(note, width)))
    return "\n\n".join(blocks)


def _wrap(text: str, width: int | None, indent: str = "", first: str = "") -> list[str]:
    """``first`` + ``text`` wrapped to ``width`` (continuation lines take ``indent``); None:
    one line, whole."""
    import textwrap

    text = " ".join((text or "").split())
    if width is None:
        return [(first + text).rstrip()]
    lines = textwrap.wrap(
        text,
        width=max(width, len(first) + 8),
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    return lines or [first.rstrip()]


def _grid(cells: list[str], widths: list[int | None]) -> list[str]:
    """One table row: each cell wrapped to its column (None: whole), lines side by side."""
    import textwrap

    columns = []
    for cell, w in zip(cells, widths, strict=True):
        text = " ".join((cell or "").split())
        columns.append(
            [text]
            if w is None
            else textwrap.wrap(text, w, break_on_hyphens=False, break_long_words=False) or [""]
        )
    height = max(len(c) for c in columns)
    lines = []
    for n in range(height):
        parts = []
        for column, w in zip(columns, widths, strict=True):
            part = column[n] if n < len(column) else ""
            parts.append(part if w is None else part.ljust(w))
        lines.append("  ".join(parts).rstrip())
    return lines


def _widths(case: CaseTrace, width: int | None) -> list[int | None]:
    """Date, committee, item and effect: on a terminal the committee takes what its values
    need up to what the line leaves, the effect the rest (each wraps, none is cut)."""
    committee = max([len(t.committee or "") for t in case.treatments] + [9])
    effect_w = max([len(t.effect or "(agenda)") for t in case.treatments] + [6])
    if width is None:
        return [10, committee, 4, None]
    effect_w = min(effect_w, max(12, width // 4))
    committee = min(committee, max(12, width - 10 - 4 - effect_w - 6))
    return [10, committee, 4, max(width - 10 - committee - 4 - 6, 8)]


def _case_table(case: CaseTrace, width: int | None) -> str:
    """Each treatment: a row (date, committee, item, effect), then the decision's words
    (effect first, notes of absence last), the item's title, absences and votes."""
    lines = _wrap(f"Case {case.case} · {case.municipality}", width, " " * 5)
    lines += _wrap(case.status, width, " " * 8, "Status: ")
    lines += _wrap(case.next_step or "no further step recorded", width, " " * 8, "Next:   ")
    lines.append("")
    widths = _widths(case, width)
    lines += _grid(["Date", "Committee", "Item", "Effect"], widths)
    lines.append("  ".join(("-" * w) if w is not None else "-" * 8 for w in widths))
    pad = " " * 12
    inner = None if width is None else width - len(pad)
    for t in case.treatments:
        number = str(t.item.number) if t.item.number is not None else "?"
        lines += _grid([t.date or "", t.committee or "", number, t.effect or "(agenda)"], widths)
        notes = []
        if t.text:
            notes.append(decision_shown(t.text))
        if t.recorded_in is not None:
            r = t.recorded_in
            notes.append(f"recorded in the minutes of {r.date}, item {r.number}")
        title = _title(t)
        if title:
            notes.append("item: " + title)
        if t.absent:
            notes.append("absent: " + ", ".join(t.absent))
        votes = _votes_line(t.votes)
        if votes:
            notes.append(votes)
        for note in notes:
            lines += [pad + line for line in _wrap(note, inner, "  ")]
    if case.links:
        lines += ["", "Linked items"]
        names = {
            "refers_to": "refers to",
            "referred_by": "referred by",
            "thread": "same thread",
        }
        for link in case.links:
            ref = link.item
            state = (ref.title or "") if ref.ingested else "not yet ingested"
            cells = [
                names[link.relation],
                ref.date or "?",
                ref.committee or "",
                _item_label(ref),
                state,
            ]
            link_widths: list[int | None] = [11, 10, 20, 8, None]
            if width is not None:
                link_widths[-1] = max(width - 2 - (11 + 10 + 20 + 8) - 8, 12)
            lines += ["  " + line for line in _grid(cells, link_widths)]
    if case.thread:
        th = case.thread
        lines.append("")
        lines += _wrap(
            f"Thread: {th.items} items over {th.meetings} meetings, {th.first} – {th.last}",
            width,
        )
    return "\n".join(lines)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _choices_table(result: TraceResult, width: int | None) -> str:
    lines = _wrap(
        f"{_cases(len(result.choices))} match {result.query!r}; trace one of them:", width
    )
    lines.append("")
    case_w = max([len(c.case) for c in result.choices] + [4])
    municipality_w = max([len(c.municipality) for c in result.choices] + [12])
    if width is not None:
        case_w, municipality_w = min(case_w, 22), min(municipality_w, 18)
    title_w = None if width is None else max(width - case_w - municipality_w - 5 - 10 - 8, 12)
    widths: list[int | None] = [case_w, municipality_w, 5, 10, title_w]
    lines += _grid(["Case", "Municipality", "Items", "Last", "Title"], widths)
    lines.append("  ".join("-" * (w or 8) for w in widths))
    for c in result.choices:
        cells = [c.case, c.municipality, str(c.items).rjust(5), c.last or "", c.title or ""]
        lines += _grid(cells, widths)
    return "\n".join(lines)


def _md(text: Any) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


def render_markdown(result: TraceResult) -> str:
    """GitHub-flavoured Markdown: a heading per case, a table of treatments, a table of links."""
    if result.choices:
        rows = [
            f"{_cases(len(result.choices))} match `{_md(result.query)}`:",
            "",
            "| Case | Municipality | Items | Last | Title |",
            "|---|---|---:|---|---|",
        ]
        rows += [
            f"| {_md(c.case)} | {_md(c.municipality)} | {c.items} | {_md(c.last)} | "
            f"{_md(c.title)} |"
            for c in result.choices
        ]
        return "\n".join(rows) + "\n"
    out: list[str] = []
    for case in result.cases:
        out += [
            f"## {_md(case.case)} — {_md(case.municipality)}",
            "",
            f"**Status:** {_md(case.status)}  ",
            f"**Next step:** {_md(case.next_step or 'no further step recorded')}",
            "",
            "| Date | Municipality | Committee | Meeting | Item | Title | Outcome | Decision "
            "| Absent | Votes |",
            "|---|---|---|---|---:|---|---|---|---|---|",
        ]
        for t in case.treatments:
            meeting = t.item.date or ""
            if t.recorded_in is not None:
                meeting = (
                    f"{t.item.date or '?'} (recorded in minutes of {t.recorded_in.date}, "
                    f"item {t.recorded_in.number})"
                )
            votes = (_votes_line(t.votes) or "").removeprefix("votes: ")
            out.append(
                f"| {_md(t.date)} | {_md(t.municipality)} | {_md(t.committee)} | {_md(meeting)} "
                f"| {_md(t.item.number)} | {_md(_title(t))} | {_md(t.outcome)} "
                f"| {_md(t.text)} | {_md(', '.join(t.absent))} | {_md(votes)} |"
            )
        if case.links:
            out += [
                "",
                "### Linked items",
                "",
                "| Relation | Date | Committee | Item | Title | Case | In store |",
                "|---|---|---|---:|---|---|---|",
            ]
            for link in case.links:
                ref = link.item
                out.append(
                    f"| {link.relation.replace('_', ' ')} | {_md(ref.date)} | {_md(ref.committee)} "
                    f"| {_md(ref.number)} | {_md(ref.title)} | {_md(ref.case)} "
                    f"| {'yes' if ref.ingested else 'not yet ingested'} |"
                )
        if case.thread:
            th = case.thread
            out += [
                "",
                f"Thread: {th.items} items over {th.meetings} meetings, {th.first} – {th.last}.",
            ]
        out.append("")
    return "\n".join(out)
