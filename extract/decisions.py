"""Decision blocks of an agenda item: body, date, outcome, text, absences, votes, references.

Layouts print decisions in a handful of shapes; all are recognised here so a new publishing
system that mixes them still works:

- a ``Beslutning`` heading, then ``<Body>, 15.05.2018`` lines each opening a treatment;
- ``Beslutning i <Body> den 2. september 2019:`` as one header line;
- a bare ``Beslutning`` (or ``Beslutning: Godkendt.``): the meeting's own body and date;
- an earlier body's decision inside the item: ``<Body>, 30. november 2017, pkt. 248:``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from extract.layouts.engine import ORGAN_NAME, Line, section_heading
from extract.patterns import MONTHS, find_dates, fold_space
from extract.records import Decision, Reference, Votes

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
# "Fraværende: Morten Hass Augustsen (V)", "Afbud: Ida Ravn", "Afbud/Fraværende: A og B"
ABSENCE_LABEL = re.compile(
    r"^(?:Fraværende|Afbud|Fravær|Ikke\s+til\s+stede|Afbud\s*/\s*Fraværende|Fraværende\s*/\s*Afbud)"
    r"\s*:\s*(?P<names>.*)$",
    re.I,
)
# "Ida Holm var fraværende", "Lars Søgaard og Kim Ravn deltog ikke i sagens behandling"
ABSENCE_SENTENCE = re.compile(
    r"(?P<names>(?:[\p{Lu}][\p{L}'.-]*(?:\s+\(\p{Lu}{1,2}\))?(?:,\s*|\s+og\s+|\s+))+?)"
    r"(?:var|er)\s+fraværende|"
    r"(?P<names2>(?:[\p{Lu}][\p{L}'.-]*(?:\s+\(\p{Lu}{1,2}\))?(?:,\s*|\s+og\s+|\s+))+?)"
    r"deltog\s+ikke\s+i\s+(?:sagens\s+)?behandling",
)
_NUMBER_WORDS = {
    "en": 1, "et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
    "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13,
    "fjorten": 14, "femten": 15,
}  # fmt: skip
_NUM = r"(?:\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
# "med 6 stemmer for og 1 stemme imod", "med en stemme for og 6 imod"
VOTE_FOR_AGAINST = re.compile(
    rf"(?P<for>{_NUM})\s+stemmer?\s+for(?:\s*,\s*|\s+og\s+)(?P<against>{_NUM})\s+(?:stemmer?\s+)?imod"
    rf"(?:\s*(?:,|og)\s*(?P<abstain>{_NUM})\s+(?:undlod|hverken|blank))?",
    re.I,
)
# "Forkastet med 3 stemmer mod 6", "Godkendt med 7 mod 2 stemmer"
VOTE_X_MOD_Y = re.compile(
    rf"med\s+(?P<for>{_NUM})\s+(?:stemmer?\s+)?mod\s+(?P<against>{_NUM})", re.I
)
# "Imod stemte Ole Bak.", "For stemte: A og B (2)", "Undlod at stemme: F", "For forslaget stemte A"
VOTE_NAMES = re.compile(
    r"(?P<side>For|Imod|Undlod\s+at\s+stemme|Hverken\s+for\s+eller\s+imod)"
    r"(?:\s+(?:forslaget|indstillingen|ændringsforslaget))?(?:\s+stemte\s*:?|\s*:)\s*"
    r"(?P<names>[\p{Lu}][^.:;\n]*?)(?:\s*\((?P<count>\d{1,2})\))?"
    r"(?=\.\s|\.$|$|;|\s+(?:For|Imod|Undlod)\b)",
)
# "Kasper Fuhr Christensen stemte imod", "A og B (Ø) stemte for"
VOTE_NAMES_BEFORE = re.compile(
    r"(?P<names>[\p{Lu}][^.:;\n]*?)\s+(?P<side>stemte\s+imod|stemte\s+for|undlod\s+at\s+stemme)\b"
)
# "Taget til efterretning med 6 stemmer." (a count with no side: all for)
VOTE_ONLY_FOR = re.compile(rf"med\s+(?P<for>{_NUM})\s+stemmer\b(?!\s+(?:for|imod|mod)\b)", re.I)
# "1. at: Indstilles godkendt.", "Ad 2: Udvalget besluttede …", "Ad pkt. 3."
NUMBERED_PART = re.compile(r"(?:^|\s)(?:Ad\s+(?:pkt\.\s*)?\d{1,2}\s*[:.]|\d{1,2}\.\s*at\s*:)", re.I)

# Outcome cues: the earliest cue in a decision's text is its first effect.
OUTCOME_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Udvalget besluttede at …", "Byrådet besluttede"
    ("decided", re.compile(r"\bbesluttede\b|\bbeslutter\b|\btraf\s+beslutning", re.I)),
    # "Sagen udsat", "udsættes", "Punktet genoptages", "Sagen blev ikke behandlet"
    (
        "postponed",
        re.compile(r"\budsat|\budsættes|\bgenoptages|\budskudt|\bblev ikke behandlet", re.I),
    ),
    # "Forkastet", "Ikke godkendt", "Afvist", "Dispensation meddeles ikke", "Der gives afslag"
    (
        "rejected",
        re.compile(
            r"\bforkast|\bikke\s+godkend|\bafvis|\bafvist|\bikke\s+tiltr|\bafslag\b"
            r"|\b(?:meddeles|gives|imødekommes|bevilges|godkendes)\s+ikke\b",
            re.I,
        ),
    ),
    # "Anbefales", "Indstilles godkendt", "Indstillingen anbefales", "Indstilles til Byrådet"
    ("recommended", re.compile(r"\banbefal|\bindstilles\b|\bindstillingen\s+oversendes", re.I)),
    # "Godkendt", "Dagsorden er godkendt", "Bevilget", "Vedtaget", "Indstillingen følges"
    (
        "approved",
        re.compile(
            r"\bgodkend|\bbevilge|\bbevilli|\bvedtag|\btiltrådt|\btiltrædes|\bimødekomm"
            r"|\bindstillingen\s+(?:blev\s+)?fulgt|\bindstillingen\s+følges",
            re.I,
        ),
    ),
    # "Til efterretning", "Taget til orientering", "Orienteringen blev taget", "Orientering om …"
    (
        "noted",
        re.compile(
            r"\btil\s+efterretning|\btil\s+orientering|\borienteringen|\bmodtog\s+orientering"
            r"|\bblev\s+orienteret|\borienterede\b|(?:^|[.:]\s+)orientering\s+om\b|\bnoteret",
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


def outcome_of(text: str) -> str:
    """The decision's first effect, from its wording (records.md's vocabulary)."""
    parts = [p for p in NUMBERED_PART.split(text) if p.strip()]
    if len(parts) >= 2 and NUMBERED_PART.search(text):
        effects = {_first_effect(p) for p in parts}
        effects.discard("other")
        if len(effects) > 1:
            return "decided"
        if effects:
            return effects.pop()
    return _first_effect(text)


def _first_effect(text: str) -> str:
    best, best_pos = "other", len(text) + 1
    for outcome, cue in OUTCOME_CUES:
        m = cue.search(text)
        if m and m.start() < best_pos:
            best, best_pos = outcome, m.start()
    return best


def split_names(text: str) -> list[str]:
    """Person names in a list such as "A (V), B og C" (parties and roles dropped)."""
    text = re.sub(r"\([^)]*\)", ",", text)
    names = []
    for part in re.split(r",|\s+og\s+|\s+samt\s+|;|\s+&\s+", text):
        part = fold_space(part.strip(" .-–"))
        part = re.sub(r"\s+-\s+\p{Ll}.*$", "", part)  # "Ib Holm - formand"
        if (
            part
            and part[0].isupper()
            and 1 <= len(part.split()) <= 6
            and not any(ch.isdigit() for ch in part)
        ):
            names.append(part)
    return names


def _number(token: str | None) -> int | None:
    if token is None:
        return None
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token.lower())


def votes_of(text: str) -> Votes | None:
    """The first vote printed in a decision: counts and the names on each side of it."""
    counts = [
        m
        for pattern in (VOTE_FOR_AGAINST, VOTE_X_MOD_Y, VOTE_ONLY_FOR)
        for m in pattern.finditer(text)
    ]
    counts.sort(key=lambda m: m.start())
    named = [(m, m["side"]) for m in VOTE_NAMES.finditer(text)]
    named += [(m, m["side"].split()[-1]) for m in VOTE_NAMES_BEFORE.finditer(text)]
    if not counts and not named:
        return None
    count = counts[0] if counts else None
    start = count.start() if count else 0
    stop = min((m.start() for m in counts if m.start() > start), default=len(text))
    votes = Votes()
    if count:
        groups = count.groupdict()
        votes.for_ = _number(groups.get("for"))
        votes.against = _number(groups.get("against"))
        votes.abstain = _number(groups.get("abstain"))
    for m, side in sorted(named, key=lambda pair: pair[0].start()):
        if not start <= m.start() < stop:
            continue
        names = split_names(m["names"])
        side = side.lower()
        if side == "for":
            votes.for_names, key = names, "for_"
        elif side == "imod":
            votes.against_names, key = names, "against"
        else:
            votes.abstain_names, key = names, "abstain"
        printed = m.groupdict().get("count")
        if getattr(votes, key) is None:
            setattr(votes, key, int(printed) if printed else len(names) or None)
    return votes


def absences_of(lines: list[str]) -> tuple[list[str], list[str]]:
    """Absent names, and the lines left once labelled absence lines are taken out."""
    absent: list[str] = []
    kept: list[str] = []
    for line in lines:
        if m := ABSENCE_LABEL.match(line):
            absent += split_names(m["names"])
            continue
        kept.append(line)
        for s in ABSENCE_SENTENCE.finditer(line):
            absent += split_names(s["names"] or s["names2"])
    seen: set[str] = set()
    return [n for n in absent if not (n in seen or seen.add(n))], kept


def _body_base(body: str) -> str:
    """A body's base form: "Miljø- og teknikudvalgets" → "Miljø- og teknikudvalget"."""
    body = fold_space(body)
    return re.sub(r"(udvalget|rådet|bestyrelsen|nævnet|udvalg|byråd)s$", r"\1", body)


def _date(text: str, meeting_date: str | None) -> str | None:
    year = int(meeting_date[:4]) if meeting_date else None
    found = find_dates(text, default_year=year)
    return found[0][2] if found else None


def parse_decisions(
    lines: list[Line], *, committee: str | None, meeting_date: str | None
) -> list[Decision]:
    """Every decision printed under an item, oldest first (stable for equal dates)."""
    blocks: list[_Block] = []
    current: _Block | None = None
    in_decision_section = False
    for line in lines:
        text = line.text
        dated_header = DECISION_HEADER_DATED.match(text)
        heading = DECISION_HEADING.match(text)
        dated_body = DATED_BODY.match(text)
        if dated_header and (dated_header["body"] or dated_header["gen"]):
            body = dated_header["body"] or dated_header["gen"]
            body = committee if body.lower() in ("udvalget", "udvalgets") else _body_base(body)
            current = _Block(body, _date(dated_header["date"], meeting_date), True)
            blocks.append(current)
            in_decision_section = True
            if dated_header["inline"]:
                current.lines.append(dated_header["inline"].strip())
            continue
        if heading and len(text) < 200:
            who = (heading["who"] or "").strip()
            body = committee if not who or who.lower() == "udvalget" else _body_base(who)
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
                current = _Block(_body_base(body), _date(dated_body["date"], meeting_date), organ)
                blocks.append(current)
                in_decision_section = in_decision_section or not dated_body["item"]
                continue
        if section_heading(text):
            current = None
            in_decision_section = False
            continue
        if current is not None:
            current.lines.append(text)
    decisions: list[Decision] = []
    for block in blocks:
        if not block.is_decision:
            continue
        absent, kept = absences_of(block.lines)
        text = fold_space(" ".join(kept))
        if not text and not absent:
            continue
        decisions.append(
            Decision(
                body=block.body,
                date=block.date,
                outcome=outcome_of(text),
                text=text,
                absent=absent,
                votes=votes_of(text),
            )
        )
    decisions.sort(key=lambda d: d.date or "9999")
    return decisions


# "den 19. juni 2017 - sag 77", "5. marts (sag 21)", "3. december 2018 (punkt 17, lukket punkt)",
# "30. november 2017, pkt. 248", "den 12.03.2024, punkt 4"
REFERENCE = re.compile(
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


# The words a reference ends with; scanning for them first keeps the date pattern off most text.
_REFERENCE_WORDS = ("sag", "punkt", "pkt")


def _reference_matches(text: str) -> list[re.Match[str]]:
    """REFERENCE matches, searched only in windows that end with an item word."""
    lowered = text.lower()
    windows: list[tuple[int, int]] = []
    for word in _REFERENCE_WORDS:
        at = lowered.find(word)
        while at != -1:
            windows.append((max(0, at - 40), min(len(text), at + 40)))
            at = lowered.find(word, at + 1)
    windows.sort()
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    found: dict[int, re.Match[str]] = {}
    for start, end in merged:
        for m in REFERENCE.finditer(text, start, end):
            found.setdefault(m.start(), m)
    return [found[k] for k in sorted(found)]


def references_of(text: str, *, meeting_date: str | None) -> list[Reference]:
    """Explicit pointers to other treatments: a date with an item/case number."""
    year = int(meeting_date[:4]) if meeting_date else None
    refs: list[Reference] = []
    seen: set[tuple[str, int]] = set()
    for m in _reference_matches(text):
        dates = find_dates(m["date"], default_year=year)
        if not dates:
            continue
        iso = dates[0][2]
        if meeting_date and iso > meeting_date and not re.search(r"\d{4}", m["date"]):
            iso = f"{int(iso[:4]) - 1}{iso[4:]}"
        key = (iso, int(m["item"]))
        if key in seen:
            continue
        seen.add(key)
        before = text[max(0, m.start() - 140) : m.start()]
        before = re.split(r"[.!?]\s+(?=\p{Lu})|\n", before)[-1]
        bodies = list(BODY_BEFORE.finditer(before))
        body = _body_base(bodies[-1]["body"]) if bodies else None
        refs.append(Reference(body=body, date=iso, item_number=int(m["item"])))
    return refs
