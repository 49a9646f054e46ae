"""Publishing profiles: one declarative TOML file per system (extract/profiles/*.toml).

A profile says, as data, how one publishing system prints minutes: the cues that recognise
it (with weights), the item-header shapes it uses (names from ``catalogue.HEADERS``), where
its case numbers stand (names from ``catalogue.LINES``), its section names and their
canonical sections, its meeting-header labels, and the page furniture to drop.  One engine
(extract/layouts/engine.py) reads every profile; a new system is a new file, and a user can
run one of their own with ``kommunegraf extract FILE --profile my.toml``.

The schema (every key but ``name`` optional)::

    name = "edoc"                      # the profile's name
    layout = "edoc"                    # the record's source.layout (default: name)
    description = "…"
    headers = ["number-colon"]         # item-header shapes; the document's own is the one
                                       # that finds the most items with bodies
    min_items = 1                      # fewer items: the profile does not apply
    base = 0.6                         # the score when every required cue holds
    case_shapes = ["case-label"]       # lines an item's case number is read from
    wrapped_titles = false             # a title may go on over the next line
    reflow = false                     # pages printed as one paragraph are cut into lines
    furniture = ["^Til toppen$"]       # regular expressions: whole lines to drop
    [sections]                         # printed heading (any case) = canonical section
    "beslutninger" = "Beslutning"
    [meeting_labels]                   # printed label = a label the engine knows
    "Lokale" = "Sted"
    [[cue]]                            # a detection cue
    line = "copy-link"                 # a catalogue line shape, or regex = "…"
    next = "…" / next_not = "…"        # optional: what the next line is (not)
    per_item = 0.5                     # needs at least per_item × items such lines
    min_count = 1                      # and at least this many
    weight = 0.2                       # added to the score when it holds
    required = false                   # when it does not hold, the profile scores 0
    [[variant]]                        # templates of one system: each its own layout,
    layout = "naestved"                # base and cues; the rest is the profile's
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any

import regex as re

from kommunegraf.errors import KommunegrafError
from kommunegraf.extract.layouts.catalogue import (
    HEADERS,
    LINES,
    WIDE,
    LineShape,
    candidates,
    line_matches,
    matching_lines,
    multiline,
)


class ProfileError(KommunegrafError, ValueError):
    """A profile file that cannot be used: names the file and what is wrong."""


@dataclass(frozen=True)
class Cue:
    """A detection cue: lines of one shape (optionally followed by another), counted."""

    label: str
    shape: LineShape
    weight: float = 0.0
    per_item: float = 0.0
    min_count: int = 1
    required: bool = False
    next: LineShape | None = None
    next_not: LineShape | None = None
    contains: tuple[str, ...] = ()  # literal strings counted in the text (instead of lines)
    share: float = 0.0  # needs at least this share of all the lines


@dataclass(frozen=True)
class Profile:
    """One publishing system (or one template of it) as the engine reads it."""

    name: str
    layout: str
    description: str = ""
    headers: tuple[str, ...] = ("punkt-colon", "labelled", "numbered-dot")
    min_items: int = 1
    base: float = 0.5
    cues: tuple[Cue, ...] = ()
    case_shapes: tuple[str, ...] = ("kle-alone", "archive-case-alone", "case-label")
    sections: dict[str, str] = field(default_factory=dict)
    meeting_labels: dict[str, str] = field(default_factory=dict)
    furniture: tuple[re.Pattern[str], ...] = ()
    wrapped_titles: bool = False
    reflow: bool = False
    variants: tuple[Profile, ...] = ()
    source: str = ""  # the file it came from

    @property
    def decision_aliases(self) -> frozenset[str]:
        """Printed headings (lower case) that this profile's canonical "Beslutning" has."""
        return frozenset(k for k, v in self.sections.items() if v.lower() == "beslutning")


def _shape(value: Any, where: str, key: str) -> LineShape:
    if not isinstance(value, str):
        raise ProfileError(f"{where}: {key} must be a string")
    if value in LINES:
        return LINES[value]
    raise ProfileError(f"{where}: unknown line shape {value!r} (known: {', '.join(sorted(LINES))})")


def _regex(value: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(value)
    except re.error as exc:
        raise ProfileError(f"{where}: bad regular expression {value!r}: {exc}") from None


def _cue(raw: dict[str, Any], where: str) -> Cue:
    if "contains" in raw:
        words = raw["contains"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ProfileError(f"{where}: 'contains' must be a list of strings")
        shape = LineShape(str(raw.get("name", words[0])), re.compile(""), "")
        return Cue(
            label=shape.name,
            shape=shape,
            weight=float(raw.get("weight", 0.0)),
            min_count=int(raw.get("min_count", 1)),
            required=bool(raw.get("required", False)),
            contains=tuple(words),
        )
    if "regex" in raw:
        pattern = _regex(raw["regex"], where)
        shape = LineShape(raw.get("name", raw["regex"]), pattern, "", search=True, scan=True)
    elif "line" in raw:
        shape = _shape(raw["line"], where, "line")
    else:
        raise ProfileError(
            f"{where}: a cue needs 'line' (a catalogue shape), 'regex' or 'contains'"
        )
    try:
        return Cue(
            label=str(raw.get("name", shape.name)),
            shape=shape,
            weight=float(raw.get("weight", 0.0)),
            per_item=float(raw.get("per_item", 0.0)),
            min_count=int(raw.get("min_count", 1)),
            required=bool(raw.get("required", False)),
            next=_shape(raw["next"], where, "next") if "next" in raw else None,
            next_not=_shape(raw["next_not"], where, "next_not") if "next_not" in raw else None,
            share=float(raw.get("share", 0.0)),
        )
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{where}: {exc}") from None


_KEYS = {
    "name", "layout", "description", "headers", "min_items", "base", "cue", "case_shapes",
    "sections", "meeting_labels", "furniture", "wrapped_titles", "reflow", "variant",
}  # fmt: skip


def parse_profile(data: dict[str, Any], source: str, parent: Profile | None = None) -> Profile:
    """A profile from its TOML table; ``ProfileError`` names the file and the key at fault."""
    unknown = set(data) - _KEYS
    if unknown:
        raise ProfileError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    if parent is None and not isinstance(data.get("name"), str):
        raise ProfileError(f"{source}: a profile needs a name")
    base = parent or Profile(name=data["name"], layout=data.get("layout", data["name"]))
    headers = tuple(data.get("headers", base.headers))
    for h in headers:
        if h not in HEADERS:
            known = ", ".join(sorted(HEADERS))
            raise ProfileError(f"{source}: unknown header shape {h!r} (known: {known})")
    cases = tuple(data.get("case_shapes", base.case_shapes))
    for c in cases:
        _shape(c, source, "case_shapes")
    sections = {str(k).lower(): str(v) for k, v in data.get("sections", {}).items()}
    profile = replace(
        base,
        name=data.get("name", base.name),
        layout=data.get("layout", base.layout if parent else data.get("name", base.layout)),
        description=data.get("description", base.description),
        headers=headers,
        min_items=int(data.get("min_items", base.min_items)),
        base=float(data.get("base", base.base)),
        cues=tuple(_cue(c, source) for c in data.get("cue", [])) or base.cues,
        case_shapes=cases,
        sections={**base.sections, **sections},
        meeting_labels={**base.meeting_labels, **data.get("meeting_labels", {})},
        furniture=base.furniture + tuple(_regex(f, source) for f in data.get("furniture", [])),
        wrapped_titles=bool(data.get("wrapped_titles", base.wrapped_titles)),
        reflow=bool(data.get("reflow", base.reflow)),
        variants=(),
        source=source,
    )
    variants = tuple(
        parse_profile(v, f"{source} [variant {i + 1}]", profile)
        for i, v in enumerate(data.get("variant", []))
    )
    return replace(profile, variants=variants)


def load_profile(path: str | Path) -> Profile:
    """A user's profile file (``--profile``)."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{p}: not valid TOML: {exc}") from None
    return parse_profile(data, str(p))


@cache
def bundled() -> tuple[Profile, ...]:
    """The profiles shipped in extract/profiles, the generic one last."""
    folder = resources.files("kommunegraf.extract.profiles")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out.append(parse_profile(data, f"extract/profiles/{entry.name}"))
    return tuple(sorted(out, key=lambda p: p.name == "generic"))


@dataclass
class CueResult:
    label: str
    count: int
    needed: float
    held: bool
    weight: float
    required: bool


@dataclass
class Scored:
    """A profile's (or variant's) score on one document, with the cues behind it."""

    profile: Profile
    score: float
    items: int
    style: str | None
    cues: list[CueResult]


# How far from either end of a text a ``contains`` cue looks (characters)
CONTAINS_REACH = 5_000


@dataclass
class Doc:
    """A document's lines, with what the cue counts need of them made once, when first asked:
    the lines as one text and their offsets in it (for whole-text scans), and the lines by
    their first character (for shapes that say how a line starts)."""

    texts: list[str]
    _joined: str | None = None
    _starts: list[int] | None = None
    _by_first: dict[str, list[int]] | None = None

    @classmethod
    def of(cls, texts: list[str]) -> Doc:
        return cls(texts)

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._joined = "\n".join(self.texts)
        return self._joined

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = list(accumulate(map(len, self.texts), initial=0))
            self._starts = [at + i for i, at in enumerate(starts[:-1])]  # + the newlines
        return self._starts

    @property
    def by_first(self) -> dict[str, list[int]]:
        if self._by_first is None:
            index: dict[str, list[int]] = {}
            for i, t in enumerate(self.texts):
                first = t[:1]
                index.setdefault(first if first <= "\x7f" else WIDE, []).append(i)
            self._by_first = index
        return self._by_first


def _count(cue: Cue, doc: Doc, cache_: dict[tuple[str, str, str], int]) -> int:
    if cue.contains:  # a page's title, letterhead and footer stand first and last
        joined = doc.joined
        ends = (
            joined
            if len(joined) <= 2 * CONTAINS_REACH
            else (joined[:CONTAINS_REACH] + "\n" + joined[-CONTAINS_REACH:])
        )
        return sum(ends.count(word) for word in cue.contains)
    follow, not_follow = cue.next, cue.next_not
    key = (cue.shape.name, follow.name if follow else "", not_follow.name if not_follow else "")
    if cue.shape.example and key in cache_:  # catalogue shapes repeat over profiles
        return cache_[key]
    n = 0
    texts = doc.texts
    last = len(texts) - 1
    shape = cue.shape
    match = shape.pattern.search if shape.search else shape.pattern.match
    found = (
        matching_lines(multiline(shape.pattern), doc.joined, doc.starts)
        if shape.scan
        else candidates(shape, texts, doc.by_first if shape.first is not None else None)
    )
    for i in found:
        t = texts[i]
        if not (shape.pattern.fullmatch(t) if shape.full else match(t)):
            continue
        follow = texts[i + 1] if i < last else ""
        if cue.next is not None and not (follow and line_matches(cue.next, follow)):
            continue
        if cue.next_not is not None and follow and line_matches(cue.next_not, follow):
            continue
        n += 1
    if cue.shape.example:
        cache_[key] = n
    return n


def score_profile(
    profile: Profile,
    texts: Doc,
    counts: dict[str, int],
    cache_: dict[tuple[str, str, str], int],
) -> Scored:
    """How sure a profile is that the text is its own (0: not at all).

    ``counts`` holds the items each header shape finds; a required cue that fails stops the
    count at once (the cheap path for the many documents that are not the profile's own).
    """
    style = max(profile.headers, key=lambda s: (counts.get(s, 0), -profile.headers.index(s)))
    items = counts.get(style, 0)
    results: list[CueResult] = []
    if items < profile.min_items:
        return Scored(profile, 0.0, items, style, results)
    score = profile.base
    for cue in sorted(profile.cues, key=lambda c: not c.required):
        n = _count(cue, texts, cache_)
        needed = max(cue.min_count, cue.per_item * items, cue.share * len(texts.texts))
        held = n >= needed
        results.append(CueResult(cue.label, n, needed, held, cue.weight, cue.required))
        if held:
            score += cue.weight
        elif cue.required:
            return Scored(profile, 0.0, items, style, results)
    return Scored(profile, round(score, 3), items, style, results)


def ceiling(profile: Profile) -> float:
    """The most a profile can score: its base and every optional cue's weight."""
    return profile.base + sum(c.weight for c in profile.cues if c.weight > 0 and not c.required)


def rank(
    profiles: tuple[Profile, ...],
    texts: list[str] | Doc,
    counts: dict[str, int],
    *,
    full: bool = True,
) -> list[Scored]:
    """The profiles and variants scored, best first (ties: the order of ``profiles``).

    With ``full=False`` a profile whose ceiling cannot beat the best score so far is not
    scored at all (left out): the choice is the same and costs far less, since the cues of
    most profiles need not be counted.  ``--explain`` scores them all.
    """
    cache_: dict[tuple[str, str, str], int] = {}
    doc = texts if isinstance(texts, Doc) else Doc.of(texts)
    candidates_ = [c for p in profiles for c in (p.variants or (p,))]
    order = {id(c): i for i, c in enumerate(candidates_)}
    scored: list[Scored] = []
    best = -1.0
    for candidate in sorted(candidates_, key=lambda c: (-ceiling(c), order[id(c)])):
        if not full and ceiling(candidate) < best:
            continue
        result = score_profile(candidate, doc, counts, cache_)
        scored.append(result)
        best = max(best, result.score)
    return sorted(scored, key=lambda s: (-s.score, order[id(s.profile)]))
