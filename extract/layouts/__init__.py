"""Publishing profiles choose how a text is read; one engine segments it.

``choose`` scores every profile (extract/profiles/*.toml, or a user's own) on the text, takes
the best, and segments the text with that profile's header shape and options.  An
``Explanation`` passed in is filled with why (``kommunegraf extract --explain``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from kommunegraf.extract.layouts.catalogue import HEADERS, matching_lines, multiline
from kommunegraf.extract.layouts.engine import Options, Segmented, segment
from kommunegraf.extract.layouts.headers import find_all_item_headers
from kommunegraf.extract.layouts.headings import is_toc_entry
from kommunegraf.extract.layouts.lines import Line, split_lines
from kommunegraf.extract.layouts.profiles import Doc, Profile, Scored, bundled, rank
from kommunegraf.extract.layouts.reflow import reflow
from kommunegraf.extract.limits import check_items, check_size
from kommunegraf.extract.text.fold import fold_ascii

__all__ = ["Explanation", "choose", "options_of"]


@dataclass
class Explanation:
    """Why a text was read as it was: filled by ``choose`` when asked."""

    ranked: list[Scored] = field(default_factory=list)
    chosen: Scored | None = None
    style: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # offset, text, why
    reflowed: bool = False
    dropped: list[str] = field(default_factory=list)  # furniture lines


def options_of(profile: Profile) -> Options:
    """The segmentation options a profile sets."""
    return Options(
        case_shapes=profile.case_shapes,
        sections=frozenset(profile.sections),
        decision_aliases=profile.decision_aliases,
        meeting_labels=tuple(sorted(profile.meeting_labels.items(), key=lambda kv: -len(kv[0]))),
        wrapped_titles=profile.wrapped_titles,
    )


def _styles(profiles: tuple[Profile, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for p in profiles:
        for s in p.headers:
            seen.setdefault(s, None)
    return tuple(seen)


@cache
def _bundled_styles() -> tuple[str, ...]:
    return _styles(bundled())


def _drop_furniture(
    lines: list[Line], profile: Profile, dropped: list[str], doc: Doc | None = None
) -> list[Line]:
    """The lines without the profile's page furniture (``doc``: the lines as one text)."""
    if not profile.furniture:
        return lines
    doc = doc or Doc.of([line.text for line in lines])
    texts, starts, joined = doc.texts, doc.starts, doc.joined
    drop: set[int] = set()
    for pattern in profile.furniture:
        for i in matching_lines(multiline(pattern), joined, starts):
            if len(texts[i]) < 120 and pattern.search(texts[i]):
                drop.add(i)
    if not drop:
        return lines
    dropped.extend(texts[i] for i in sorted(drop))
    return [line for i, line in enumerate(lines) if i not in drop]


def _rejected(lines: list[Line], style: str, folded: str | None) -> list[tuple[int, str, str]]:
    """The lines of the chosen header shape that were turned down, and why (``--explain``)."""
    why: dict[str, list[tuple[int, str]]] = {}
    find_all_item_headers(lines, (style,), folded, rejected=why)
    out = [(lines[i].start, lines[i].text, reason) for i, reason in why.get(style, [])]
    pattern = HEADERS[style].pattern
    out += [
        (line.start, line.text, "a table-of-contents entry (a page number after dots or a tab)")
        for line in lines
        if is_toc_entry(line.text) and pattern.match(line.text)
    ]
    return sorted(out)


def choose(
    text: str, profile: Profile | None = None, explain: Explanation | None = None
) -> tuple[str, Segmented]:
    """The layout name of the best profile and the text segmented by it.

    With ``profile`` (a user's ``--profile``), that profile reads the text whatever it scores.
    """
    check_size(text)
    profiles = (profile,) if profile is not None else bundled()
    lines = split_lines(text)
    folded = fold_ascii(text)
    styles = _styles(profiles) if profile is not None else _bundled_styles()
    found = find_all_item_headers(lines, styles, folded)
    counts = {style: len(headers) for style, headers in found.items()}
    doc = Doc.of([line.text for line in lines])
    ranked = rank(profiles, doc, counts, full=explain is not None)
    best = ranked[0]
    chosen = best.profile
    style = best.style or chosen.headers[0]
    dropped: list[str] = []
    reflowed = False
    if chosen.reflow:
        new_text = reflow(text)
        reflowed = new_text != text
        if reflowed:
            text = new_text
            lines = split_lines(text)
            folded = fold_ascii(text)
    kept = _drop_furniture(lines, chosen, dropped, None if reflowed else doc)
    if reflowed or len(kept) != len(lines):
        lines = kept
        found = find_all_item_headers(lines, chosen.headers, folded)
        counts = {s: len(h) for s, h in found.items()}
        style = max(chosen.headers, key=lambda s: (counts[s], -chosen.headers.index(s)))
    check_items(len(found[style]))
    if explain is not None:
        explain.ranked, explain.chosen, explain.style = ranked, best, style
        explain.counts, explain.reflowed, explain.dropped = counts, reflowed, dropped
        explain.rejected = _rejected(lines, style, folded)
    segmented = segment(text, style, lines, found[style], folded, options_of(chosen))
    return chosen.layout, segmented
