"""Decision blocks of an agenda item: body, date, outcome, text, absences, votes, references.

Layouts print decisions in a handful of shapes; all are recognised here so a new publishing
system that mixes them still works:

- a ``Beslutning`` heading, then ``<Body>, 15.05.2018`` lines each opening a treatment;
- ``Beslutning i <Body> den 2. september 2019:`` as one header line;
- a bare ``Beslutning`` (or ``Beslutning: Godkendt.``): the meeting's own body and date;
- an earlier body's decision inside the item: ``<Body>, 30. november 2017, pkt. 248:``.

Votes are read by ``extract.votes`` (``votes_of`` is re-exported here: the shared reader of a
decision's wording, with ``outcome_of`` and ``absences_of``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from kommunegraf.extract.absences import absences_of
from kommunegraf.extract.layouts.headings import may_be_heading, section_heading
from kommunegraf.extract.layouts.lines import Line, cue_lines
from kommunegraf.extract.layouts.meeting import ORGAN_NAME
from kommunegraf.extract.records import Decision, Reference, read_steps
from kommunegraf.extract.text.dates import MONTHS, find_dates
from kommunegraf.extract.text.fold import fold_space
from kommunegraf.extract.text.pattern import Pattern
from kommunegraf.extract.votes import votes_of

__all__ = ["absences_of", "outcome_of", "parse_decisions", "references_of", "votes_of"]

# "Beslutning", "BESLUTNING", "Beslutning:", "Udvalgets beslutning", "Beslutning: Godkendt."
DECISION_HEADING = re.compile(
    r"^(?:(?P<who>[\p{L}\- ]{0,60}?)s\s+)?beslutning(?:er)?(?:\s+i\s+udvalget)?"
    r"\s*(?::\s*(?P<inline>.*))?$",
    re.I,
)
# "Beslutning i Social- og Beskæftigelsesudvalget den 2. september 2019:",
# "Udvalgets beslutning den 4. marts 2024:", "Økonomiudvalgets beslutning den 3/4-2024"
DECISION_HEADER_DATED = re.compile(
    r"^(?:beslutning\s+i\s+(?P<body>.{2,150}?)|(?P<gen>[\p{L}\- ]{2,150}?)s\s+beslutning)"
    r"\s+(?:den|d\.)\s+(?P<date>[^:]{5,40}?)\s*(?::\s*(?P<inline>.*))?$",
    re.I,
)
# "Beskæftigelsesudvalget, 15.05.2018", "Byrådet, 2. maj 2024", "Byrådet 02-05-2024:"
DATED_BODY = re.compile(
    r"^(?P<body>[\p{Lu}][^,:]{1,120}?)(?:\s*\([^)]{0,40}\))?,?\s+(?:den\s+)?(?P<date>"
    r"[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d|[0-3]?\d\.\s*\p{L}+\.?\s+(?:19|20)\d\d)"
    r"(?:,?\s*(?:pkt\.?|punkt|sag)\s*(?:nr\.?\s*)?(?P<item>\d{1,4}))?\s*:?$",
    re.I,
)


def _may_be_dated_body(text: str) -> bool:
    """Whether DATED_BODY may match: it holds "19"/"20" (a year) and its last non-blank
    character is a digit or a colon (any non-ASCII one may be a digit to regex)."""
    last = text[-1:]
    if last.isspace():
        last = text.rstrip()[-1:]
    return (last == ":" or "0" <= last <= "9" or last > "\x7f") and ("19" in text or "20" in text)


# Both decision headers hold "beslutning": its cue "lutn" keeps them off most lines.
DECISION_HEADING_CHECKED = Pattern.with_cue(
    "DECISION_HEADING_CHECKED",
    DECISION_HEADING,
    "lutn",
    examples=(
        "Beslutning",
        "BESLUTNINGER:",
        "Udvalgets beslutning: Godkendt.",
        "Beslutning i udvalget",
    ),
)
DECISION_HEADER_DATED_CHECKED = Pattern.with_cue(
    "DECISION_HEADER_DATED_CHECKED",
    DECISION_HEADER_DATED,
    "lutn",
    examples=(
        "Beslutning i Kulturudvalget den 2. september 2019:",
        "Økonomiudvalgets beslutning d. 3/4-2024: Godkendt",
    ),
)
DATED_BODY_CHECKED = Pattern(
    "DATED_BODY_CHECKED",
    DATED_BODY,
    _may_be_dated_body,
    examples=("Byrådet, 15.05.2018", "Byrådet 02-05-2024:", "Økonomiudvalget, 2. maj 2024, pkt. 9"),
)

# "1. at: Indstilles godkendt.", "Ad 2: Udvalget besluttede …", "Ad pkt. 3."
NUMBERED_PART = re.compile(r"(?:^|\s)(?:Ad\s+(?:pkt\.\s*)?\d{1,2}\s*[:.]|\d{1,2}\.\s*at\s*:)", re.I)
# A part's number where a decision opens with one: "1. Godkendt", "1.-2. Anbefales ikke.",
# "1-6. Tages til efterretning", "2. a.-h. Anbefales", "7.a-c indstilles godkendt",
# "1.status blev …", "1-4 Økonomiudvalget undlader", "Ad 2: Drøftet", "3) Godkendt"
PART_NUMBER = re.compile(
    r"(?<!\S)(?:Ad\s+(?:pkt\.?\s*|punkt\s+)?)?(?P<n>\d{1,2})(?:\s*\.?\s*[-–]\s*\d{1,2})?"
    r"(?:\s*[.:)]|(?=\s+\p{Lu}))"
    r"(?P<sub>\s*[a-h]\s*\.?(?:\s*[-–]\s*[a-h]\s*\.?)?(?=\s|$))?(?:\s*at\s*:)?",
    re.I,
)
# A sentence's end right before a later part's number: "… til efterretning. 6. anbefales"
PART_AFTER_SENTENCE = re.compile(r"[.!?:;]\s*$")

# Outcome cues: the earliest cue in a decision's text is its first effect; where two start at
# one place, the one listed first wins ("besluttede at sende sagen tilbage" is postponed).
# A body as the subject of a sentence: "Udvalget", "Byrådet", "1-4 Økonomiudvalget", or
# nothing at the start of a sentence ("Undlader.")
_BODY_SUBJECT = (
    r"(?:\b(?:udvalget|byrådet|kommunalbestyrelsen|bestyrelsen|nævnet|rådet|\p{L}+udvalget)\s+"
    r"|^|(?<=[.:]\s))"
)
OUTCOME_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Sagen udsat", "udsættes", "Udvalget udskyder sagen", "Punktet genoptages", "Udvalget
    # ønsker sagen genoptaget på kommende møde", "Sagen genfremsættes", "Sagen blev ikke
    # behandlet", "Sagen blev taget af dagsordenen", "Sagen sendes tilbage til
    # administrationen", "Byrådet sendte sagen tilbage", "besluttede at sende sagen tilbage",
    # "Udvalget undlod at tage stilling", "1-4 Økonomiudvalget undlader", "Undlader.",
    # "Udvalget tager ikke stilling" (a body declining to decide; a member's "Ib Dam (C)
    # undlod at tage stilling" is an abstention, not an outcome)
    (
        "postponed",
        re.compile(
            r"\budsat|\budsættes|\budskudt|\budskyd|\bblev ikke behandlet"
            r"|\bgenoptag(?:es|e)\b|\bgenoptaget\s+på\s+(?:et\s+|det\s+)?(?:kommende|næste|senere)"
            r"|\bgenfrems[æa]t|\bgenfremlæg|\b(?:taget|tages|udgår|udgik|udgå)\s+af\s+dagsorden"
            r"|\bsend(?:e|er|es|te|t)\s+(?:sagen\s+|punktet\s+|den\s+)?tilbage\b|\btilbagesend"
            r"|\bbesluttede\s+(?:\p{L}+\s+){0,2}?at\s+(?:udsætte|sende\s+(?:sagen\s+)?tilbage)"
            rf"|{_BODY_SUBJECT}(?:undl(?:od|ader)\b|t(?:og|ager)\s+ikke\s+stilling)",
            re.I,
        ),
    ),
    # "Udvalget besluttede at …", "Byrådet besluttede", "Det blev besluttet, at …", and a
    # choice in the body's own words: "Udvalget valgte Ib Dam som formand", "Byrådet
    # udpegede …"
    (
        "decided",
        re.compile(
            r"\bbesluttede\b|\bbeslutter\b|\bblev\s+besluttet\b|\btraf\s+beslutning"
            rf"|{_BODY_SUBJECT}(?:valgte|udpegede|udpeger)\b",
            re.I,
        ),
    ),
    # "Forkastet", "Ikke godkendt", "Afvist", "Dispensation meddeles ikke", "Der gives afslag",
    # "Anbefales ikke", "Udvalget kan ikke anbefale", "Udvalget kan ikke følge indstillingen",
    # "Udvalget godkendte ikke …", "Forslaget faldt"
    (
        "rejected",
        re.compile(
            r"\bforkast|\bikke\s+godkend|\bafvis|\bafvist|\bikke\s+tiltr|\bafslag\b"
            r"|\b(?:meddeles|gives|imødekommes|bevilges|godkendes)\s+ikke\b"
            r"|\banbefal(?:es|er)\s+ikke\b|\bikke\s+(?:at\s+)?anbefal"
            r"|\bkan\s+ikke\s+(?:følge|støtte)\s+indstilling"
            r"|\b(?:godkendte|anbefalede|tiltrådte|vedtog)\s+ikke\b"
            r"|\b(?:forslaget|indstillingen|ændringsforslaget)\s+(?:blev\s+)?faldt\b",
            re.I,
        ),
    ),
    # "Anbefales", "Indstilles godkendt", "Indstillingen anbefales", "Indstilles til Byrådet"
    # "Udvalget indstiller, at …", "Økonomiudvalget oversender forslaget til Byrådets behandling"
    (
        "recommended",
        re.compile(
            r"\banbefal|\bindstilles\b|\bindstiller\b|\bindstillingen\s+oversendes"
            r"|\boversend(?:er|es)\b(?=[^.]{0,80}\btil\s+(?:byråd|kommunalbestyrelse|økonomiudvalg))",
            re.I,
        ),
    ),
    # "Godkendt", "Dagsorden er godkendt", "Bevilget", "Vedtaget", "Indstillingen følges",
    # "Økonomiudvalget tiltræder", "Ansøger 1 tildeles plads"
    (
        "approved",
        re.compile(
            r"\bgodkend|\bbevilge|\bbevilli|\bvedtag|\bvedtog\b|\btiltrådt|\btiltræde[rs]|\bimødekomm"
            r"|\btildeles\b"  # a grant ("Ansøger 1 tildeles plads"), not "får tildelt"
            r"|\bindstillingen\s+(?:blev\s+)?fulgt|\bindstillingen\s+følges",
            re.I,
        ),
    ),
    # "Til efterretning", "Taget til orientering", "Orienteringen blev taget", "Orientering om …",
    # "Formanden orienterer om", "Derudover orienteres der om"
    (
        "noted",
        re.compile(
            r"\btil\s+efterretning|\btil\s+orientering|\borienteringen|\bmodtog\s+orientering"
            r"|\bblev\s+orienteret|\borienter(?:ede|er|es)\b|(?:^|[.:]\s+)orientering\s+om\b"
            r"|\bnoteret",
            re.I,
        ),
    ),
    # "Drøftet", "Udvalget drøftede", "Sagen blev drøftet"
    ("discussed", re.compile(r"\bdrøft", re.I)),
)


@dataclass
class _Block:
    body: str | None
    date: str | None
    is_decision: bool
    lines: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)
def outcome_of(text: str) -> str:
    """The decision's first effect, from its wording (records.md's vocabulary).

    A decision in numbered parts ("1. Taget til efterretning 2. Godkendt") whose parts have
    different effects is ``decided``; parts of one effect ("1. Anbefales. 2. Anbefales.") have
    that effect.  Kept per wording: most decisions print one of a few ("Godkendt.",
    "Taget til efterretning.").
    """
    parts = _numbered_parts(text)
    if len(parts) >= 2:
        effects = {_first_effect(p) for p in parts}
        effects.discard("other")
        if len(effects) > 1:
            return "decided"
        if effects:
            return effects.pop()
    return _first_effect(text)


def _numbered_parts(text: str) -> list[str]:
    """The texts of a decision's numbered parts, or [] where it has none.

    "Ad 2:" and "1. at:" mark a part anywhere; a bare number ("1.", "1.-2.", "7.a-c") only
    where the decision opens with one, and a later one only after a sentence's end, before a
    capital or with letters of sub-parts, and numbered above the part before it (so "den
    20. juni" or "til 2. behandling" inside a part start no part).
    """
    stripped = text.lstrip()
    if not stripped[:1].isdigit() and stripped[:3].lower() != "ad ":
        if ":" not in text or not NUMBERED_PART.search(text):
            return []
        return [p for p in NUMBERED_PART.split(text) if p.strip()]
    starts: list[tuple[int, int]] = []  # each part's number: (start, end)
    last = -1
    for m in PART_NUMBER.finditer(text):
        n = int(m["n"])
        if not starts and m.start() != len(text) - len(stripped):
            return []  # the first number is not where the text opens
        if starts:
            opens = (
                PART_AFTER_SENTENCE.search(text, max(0, m.start() - 8), m.start())
                or text[m.end() : m.end() + 4].lstrip()[:1].isupper()
                or m["sub"]
                or m.group().lower().startswith("ad")
            )
            if n <= last or not opens:
                continue
        starts.append((m.start(), m.end()))
        last = n
    if not starts:
        return []
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return [text[e:b].strip() for (_, e), b in zip(starts, ends, strict=True)]


# Texts each outcome's cue finds (for the pre-check's property test)
_OUTCOME_EXAMPLES: dict[str, tuple[str, ...]] = {
    "postponed": ("Sagen udsat.", "Punktet genoptages", "Udvalget undlod at tage stilling"),
    "decided": ("Udvalget besluttede at …", "Byrådet valgte Ib Dam som formand"),
    "rejected": ("Forkastet", "Anbefales ikke", "Forslaget faldt"),
    "recommended": ("Anbefales", "Indstilles godkendt", "oversendes til Byrådet"),
    "approved": ("Godkendt", "Bevilget", "Ansøger 1 tildeles plads", "Indstillingen følges"),
    "noted": ("Til efterretning", "Formanden orienterer om", "Noteret."),
    "discussed": ("Drøftet", "Sagen blev DRØFTET"),
}
# Words that each outcome's cue contains (lower-cased): a cue is only searched for where one
# of them is.
_OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "decided": ("beslut", "traf", "valgte", "udpege"),
    "postponed": (
        "uds",
        "genoptag",
        "genfrem",
        "blev ikke behandlet",
        "dagsorden",
        "tilbage",
        "undl",
        "stilling",
    ),
    "rejected": ("forkast", "ikke", "afvis", "afslag", "faldt"),
    "recommended": ("anbefal", "indstill", "oversend"),
    "approved": (
        "godkend",
        "bevil",
        "vedtag",
        "vedtog",
        "tiltr",
        "imødekomm",
        "indstillingen",
        "tildel",
    ),
    "noted": ("efterretning", "orienter", "noteret"),
    "discussed": ("drøft",),
}


def _may_hold_words(words: tuple[str, ...]) -> Callable[[str], bool]:
    """A pre-check: ``str.lower`` finds one of ``words`` wherever the case-insensitive cue
    could match, unless ſ or İ (which regex also takes for s and i) is in the text."""

    def check(text: str) -> bool:
        return _holds_words(text, text.lower(), words)

    return check


def _holds_words(text: str, lowered: str, words: tuple[str, ...]) -> bool:
    """``_may_hold_words(words)`` on ``text`` whose lower case ``lowered`` is already made."""
    return "\u017f" in text or "\u0130" in text or any(word in lowered for word in words)


OUTCOME_CUES_CHECKED: tuple[tuple[str, Pattern], ...] = tuple(
    (
        outcome,
        Pattern(
            f"OUTCOME_CUE_{outcome.upper()}",
            cue,
            _may_hold_words(_OUTCOME_WORDS[outcome]),
            how="search",
            examples=_OUTCOME_EXAMPLES[outcome],
        ),
    )
    for outcome, cue in OUTCOME_CUES
)


def _first_effect(text: str) -> str:
    best, best_pos = "other", len(text) + 1
    lowered = text.lower()  # once for every cue's pre-check (each would lower the text anew)
    for outcome, cue in OUTCOME_CUES_CHECKED:
        if not _holds_words(text, lowered, _OUTCOME_WORDS[outcome]):
            continue
        m = cue.unchecked(text)
        if m and m.start() < best_pos:
            best, best_pos = outcome, m.start()
    return best


# "teknikudvalgets", "Byrådets": a body's name in the genitive at the end
GENITIVE_BODY = re.compile(r"(udvalget|rådet|bestyrelsen|nævnet|udvalg|byråd)s$")


def body_base(body: str) -> str:
    """A body's base form: "Miljø- og teknikudvalgets" → "Miljø- og teknikudvalget"."""
    body = fold_space(body)
    return GENITIVE_BODY.sub(r"\1", body)


@lru_cache(maxsize=1024)
def _date(text: str, meeting_date: str | None) -> str | None:
    """The ISO date a decision header prints.  Kept per header: the items of one meeting
    print the same date under each decision."""
    year = int(meeting_date[:4]) if meeting_date else None
    found = find_dates(text, default_year=year)
    return found[0][2] if found else None


def _may_be_alias(text: str, longest: int) -> bool:
    """Whether ``text`` may be a bare decision heading of ``longest`` characters or fewer once
    its colons and blanks are stripped and it is lower-cased: lower-casing never shortens a
    text, so a longer line can only be one with something to strip at an end."""
    return len(text) <= longest or text[-1] == ":" or text[-1].isspace() or text[0].isspace()


@lru_cache(maxsize=4096)
def _absences_and_text(lines: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The names a decision's lines say were absent, and the decision's text without the
    lines that said so.  Kept per wording: most decisions print one of a few."""
    absent, kept = absences_of(list(lines))
    return tuple(absent), fold_space(" ".join(kept))


def parse_decisions(
    lines: list[Line],
    *,
    committee: str | None,
    meeting_date: str | None,
    folded: str | None = None,
    aliases: frozenset[str] = frozenset(),
) -> list[Decision]:
    """Every decision printed under an item, oldest first (stable for equal dates).

    ``folded`` (``fold_ascii`` of the text the lines come from) only saves time; ``aliases``
    are a profile's own names for a bare decision heading (lower case, e.g. "afgørelse").
    """
    blocks: list[_Block] = []
    current: _Block | None = None
    in_decision_section = False
    # Both decision headers contain "beslutning" and a dated body ends with its year (or
    # item number, or a colon): cheap tests keep the patterns off most lines.
    beslutning = cue_lines(lines, DECISION_HEADING_CHECKED.cue, folded)
    longest_alias = max(map(len, aliases), default=0)
    for index, line in enumerate(lines):
        text = line.text
        if index in beslutning:  # the cue of both headers, looked up in the folded text
            dated_header = DECISION_HEADER_DATED_CHECKED.unchecked(text)
            heading = DECISION_HEADING_CHECKED.unchecked(text) if len(text) < 200 else None
        else:
            dated_header = heading = None
        if (
            aliases
            and heading is None
            and _may_be_alias(text, longest_alias)
            and text.rstrip(":").strip().lower() in aliases
        ):
            heading = DECISION_HEADING.match("Beslutning")
        dated_body = DATED_BODY_CHECKED(text)
        if dated_header and (dated_header["body"] or dated_header["gen"]):
            body = dated_header["body"] or dated_header["gen"]
            body = committee if body.lower() in ("udvalget", "udvalgets") else body_base(body)
            current = _Block(body, _date(dated_header["date"], meeting_date), True)
            blocks.append(current)
            in_decision_section = True
            if dated_header["inline"]:
                current.lines.append(dated_header["inline"].strip())
            continue
        if heading:
            who = (heading["who"] or "").strip()
            body = committee if not who or who.lower() == "udvalget" else body_base(who)
            current = _Block(body, meeting_date, True)
            blocks.append(current)
            in_decision_section = True
            if heading["inline"]:
                current.lines.append(heading["inline"].strip())
            continue
        if dated_body:
            body = dated_body["body"].strip()
            organ = bool(ORGAN_NAME.search(body))
            explicit = organ and (dated_body["item"] or text.endswith(":"))
            if in_decision_section or explicit:
                if current is not None and current.is_decision and not current.lines and organ:
                    blocks.remove(current)  # the bare heading's own block was only a heading
                current = _Block(body_base(body), _date(dated_body["date"], meeting_date), organ)
                blocks.append(current)
                in_decision_section = in_decision_section or not dated_body["item"]
                continue
        if may_be_heading(text) and section_heading(text):
            current = None
            in_decision_section = False
            continue
        if current is not None:
            current.lines.append(text)
    decisions: list[Decision] = []
    for block in blocks:
        if not block.is_decision:
            continue
        absent_read, text = _absences_and_text(tuple(block.lines))
        absent = list(absent_read)
        if not text and not absent:
            continue
        decisions.append(
            read_steps(
                Decision(
                    body=block.body,
                    date=block.date,
                    outcome=outcome_of(text),
                    text=text,
                    absent=absent,
                    votes=votes_of(text),
                )
            )
        )
    decisions.sort(key=lambda d: d.date or "9999")
    return decisions


# "den 19. juni 2017 - sag 77", "5. marts (sag 21)", "3. december 2018 (punkt 17, lukket punkt)",
# "30. november 2017, pkt. 248", "den 12.03.2024, punkt 4".  Every match opens with a digit;
# the lookahead says so first, which lets the engine skip to the digits (searching a window is
# some nine times faster than when it tries the whole pattern at every position).
REFERENCE = re.compile(
    r"(?=\d)"
    r"(?P<date>[0-3]?\d\.\s?(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
    r"(?:\s+(?:19|20)\d\d)?|[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d)"
    r"\s*(?:[-–,]\s*|\(\s*)(?:under\s+)?(?:sag|punkt|pkt\.?|dagsordenspunkt)\s*(?:nr\.?\s*)?"
    r"(?P<item>\d{1,4})\b",
    re.I,
)
# "Social- og Beskæftigelsesudvalgets", "Miljø- og teknikudvalget", "Byrådet" before a date
BODY_BEFORE = re.compile(
    r"(?P<body>(?:[\p{Lu}][\p{L}]*-\s+(?:og|samt)\s+[\p{L}-]*|[\p{Lu}][\p{L}-]*)"
    r"(?:udvalg|udvalget|byråd|byrådet|kommunalbestyrelsen|bestyrelsen|rådet|nævnet)s?)\b"
)


# "2024": four digits, the year that a reference's date may print
YEAR_DIGITS = re.compile(r"\d{4}")
# ". Byrådet", "!\n": the end of a sentence (before a capital) or of a line
SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=\p{Lu})|\n")

# The words a reference ends with; scanning for them first keeps the date pattern off most text.
_REFERENCE_WORDS = ("sag", "punkt", "pkt")
# "21.", "3/4", "12-03": a digit before a date separator, in every REFERENCE date; a window
# without one is not searched
REFERENCE_CUE = re.compile(r"\d[./-]")


def _reference_matches(text: str, folded: str | None = None) -> list[re.Match[str]]:
    """REFERENCE matches, searched only in windows that end with an item word."""
    lowered = text.lower() if folded is None else folded  # the words are ASCII
    words_at: list[int] = []
    for word in _REFERENCE_WORDS:
        at = lowered.find(word)
        while at != -1:
            words_at.append(at)
            at = lowered.find(word, at + 1)
    words_at.sort()  # the windows (40 characters either side) in order, merged where they meet
    size = len(text)
    merged: list[list[int]] = []
    for at in words_at:
        start, end = (at - 40 if at > 40 else 0), (at + 40 if at + 40 < size else size)
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    found: dict[int, re.Match[str]] = {}
    for start, end in merged:
        if not REFERENCE_CUE.search(text, start, end):
            continue
        for m in REFERENCE.finditer(text, start, end):
            found.setdefault(m.start(), m)
    return [found[k] for k in sorted(found)]


def references_of(
    text: str, *, meeting_date: str | None, folded: str | None = None
) -> list[Reference]:
    """Explicit pointers to other treatments: a date with an item/case number.

    ``folded`` (``fold_ascii(text)``) only saves time.
    """
    year = int(meeting_date[:4]) if meeting_date else None
    refs: list[Reference] = []
    seen: set[tuple[str, int]] = set()
    for m in _reference_matches(text, folded):
        dates = find_dates(m["date"], default_year=year)
        if not dates:
            continue
        iso = dates[0][2]
        if meeting_date and iso > meeting_date and not YEAR_DIGITS.search(m["date"]):
            iso = f"{int(iso[:4]) - 1}{iso[4:]}"
        key = (iso, int(m["item"]))
        if key in seen:
            continue
        seen.add(key)
        before = text[max(0, m.start() - 140) : m.start()]
        before = SENTENCE_BREAK.split(before)[-1]
        bodies = list(BODY_BEFORE.finditer(before))
        body = body_base(bodies[-1]["body"]) if bodies else None
        refs.append(Reference(body=body, date=iso, item_number=int(m["item"])))
    return refs
