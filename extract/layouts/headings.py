"""Section headings and table-of-contents lines: which lines of an item open a section.

Shared by the segmenter (sections, evidence for an item header) and the decision parser.
"""

from __future__ import annotations

from functools import lru_cache

import regex as re

from kommunegraf.extract.patterns import KLE_CASE, TOC_ENTRY_CHECKED
from kommunegraf.extract.text.fold import BLANKS
from kommunegraf.extract.text.pattern import Pattern, holds

# Known section headings (matched case-insensitively against a whole line, colon optional)
SECTION_NAMES = (
    "resume", "resumé", "indstilling", "indstillinger", "beslutning", "beslutninger",
    "sagsfremstilling", "sagsbeskrivelse", "sagens indhold", "baggrund", "retligt grundlag",
    "lovgrundlag", "lovgivning", "hjemmel", "økonomi", "økonomiske konsekvenser",
    "økonomiske oplysninger", "økonomiske og personalemæssige konsekvenser",
    "bevillingsmæssige konsekvenser", "bilag", "bilagsliste", "beslutningstema", "kompetence",
    "kompetenceudvalg", "handlemuligheder", "vurdering", "konsekvenser for andre udvalg",
    "politisk behandling", "supplerende bemærkninger", "høring", "høringssvar", "kommunikation",
    "tidsplan", "administrativ tilføjelse", "sagen afgøres af", "beslutningskompetence",
    "miljøvurdering", "borgerinddragelse", "fremtidig sagsbehandling", "historik",
    "personalemæssige konsekvenser", "sagsforløb", "forslag", "bemærkninger", "ressourcer",
    "klima", "klimakonsekvenser", "effekt", "videre proces", "lovgrundlag og kompetence",
    "udvalgets beslutning", "beslutning i udvalget",
)  # fmt: skip
_SECTION_SET = frozenset(SECTION_NAMES)
# "SAGSFREMSTILLING", "ØKONOMI OG FINANSIERING": a short heading in capitals
CAPS_HEADING = re.compile(r"^[\p{Lu}][\p{Lu}\s\-/&]{2,48}:?$")
# "Beslutning i Social- og Beskæftigelsesudvalget den 2. september 2019:"
DECISION_IN_LINE = re.compile(r"^(?:\S+\s+){0,3}?beslutning\b.{0,160}\bden\s+\d", re.I)


# "Beslutning: Godkendt.", "Indstilling: at planen vedtages" — a section opened on its own line
INLINE_SECTION = re.compile(
    r"^(?:beslutning|indstilling|sagsfremstilling|resum[eé]|bilag)\s*:", re.I
)
# "1. at planen godkendes", "2) at …": a numbered list line inside a case text
LIST_LINE = re.compile(r"^\d{1,2}[.)]\s")


def _may_be_caps_heading(line: str) -> bool:
    """Whether CAPS_HEADING may match: a capital, then a capital, a blank or - / &.

    A non-ASCII character always passes: ``str`` and ``regex`` may know different Unicode
    versions of what is upper case."""
    first = line[:1]
    if not (first.isupper() or not first.isascii()):
        return False
    second = line[1:2]
    return second.isupper() or second in BLANKS or second in "-/&" or not second.isascii()


CAPS_HEADING_CHECKED = Pattern(
    "CAPS_HEADING_CHECKED",
    CAPS_HEADING,
    _may_be_caps_heading,
    examples=("SAGSFREMSTILLING", "ØKONOMI OG FINANSIERING:", "A - B"),
)
DECISION_IN_LINE_CHECKED = Pattern.with_cue(
    "DECISION_IN_LINE_CHECKED",
    DECISION_IN_LINE,
    "lutn",
    examples=("Beslutning i Kulturudvalget den 1. februar 2024:", "Udvalgets BESLUTNING den 3"),
)
INLINE_SECTION_CHECKED = Pattern(
    "INLINE_SECTION_CHECKED",
    INLINE_SECTION,
    holds(":"),
    examples=("Beslutning: Godkendt.", "Indstilling : at planen vedtages", "RESUMÉ:"),
)


def may_be_heading(line: str) -> bool:
    """False for a line that ``section_heading`` rejects at once: longer than any heading
    with nothing to strip.  Cheap enough to run before it on every line."""
    return len(line) <= 60 or line[-1] == ":" or line[-1] in BLANKS or line[0] in BLANKS


@lru_cache(maxsize=4096)
def section_heading(line: str) -> str | None:
    """The heading a line opens, or None: known names in any case, or a short line in capitals.

    Cached: the segmenter and the decision parser ask about the same lines, and headings
    repeat from item to item.
    """
    if not may_be_heading(line):
        return None
    bare = line.rstrip(":").strip()
    if len(bare) > 60:
        return None
    if bare.lower() in _SECTION_SET:
        return bare
    if CAPS_HEADING_CHECKED(line) and len(bare.split()) <= 6 and not KLE_CASE.search(line):
        return bare
    return None


def is_toc_entry(line: str) -> bool:
    """A table-of-contents line: dots, an ellipsis or a tab before the page number."""
    return bool(TOC_ENTRY_CHECKED(line)) or line.endswith(".....")
