"""Who was absent: the labelled lists, headings and sentences minutes print about absence.

``absences_of`` is the shared reader (the text layouts, the FirstAgenda reader and the
decision parser call it; ``kommunegraf.extract.decisions`` exports it beside ``outcome_of``);
``split_names`` reads a list of names ("A (V), B og C").
"""

from __future__ import annotations

import regex as re

from kommunegraf.extract.text.fold import fold_space
from kommunegraf.extract.text.pattern import Pattern, first_in, holds

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

# "(V)", "(formand)": a party or role after a name
PARENTHESISED = re.compile(r"\([^)]*\)")
# ", ", " og ", " samt ", ";", " & ": between two names of a list
NAME_SEPARATOR = re.compile(r",|\s+og\s+|\s+samt\s+|;|\s+&\s+")
# " - formand": a role after a name
ROLE_AFTER_NAME = re.compile(r"\s+-\s+\p{Ll}.*$")


def split_names(text: str) -> list[str]:
    """Person names in a list such as "A (V), B og C" (parties and roles dropped)."""
    text = PARENTHESISED.sub(",", text)
    names = []
    for part in NAME_SEPARATOR.split(text):
        part = fold_space(part.strip(" .-–"))
        part = ROLE_AFTER_NAME.sub("", part)  # "Ib Holm - formand"
        if (
            part
            and part[0].isupper()
            and 1 <= len(part.split()) <= 6
            and not any(ch.isdigit() for ch in part)
        ):
            names.append(part)
    return names


# "Fraværende", "Afbud:" alone on a line: a list of names follows, one a line
ABSENCE_HEADING_ALONE = re.compile(r"^(?:Fraværende|Afbud|Fravær|Ikke\s+til\s+stede)\s*:?$", re.I)
# The absence patterns need a label's first letter first (İ folds to i) and, for a label
# with names after it, a colon; a sentence needs its "fraværende" or "deltog".
_ABSENCE_FIRST = first_in("aAfFiI")
ABSENCE_LABEL_CHECKED = Pattern(
    "ABSENCE_LABEL_CHECKED",
    ABSENCE_LABEL,
    lambda text: ":" in text and _ABSENCE_FIRST(text),
    examples=("Fraværende: Ib Dam (V)", "AFBUD / FRAVÆRENDE : A og B", "Ikke til stede:"),
)
ABSENCE_HEADING_ALONE_CHECKED = Pattern(
    "ABSENCE_HEADING_ALONE_CHECKED",
    ABSENCE_HEADING_ALONE,
    _ABSENCE_FIRST,
    examples=("Fraværende", "Afbud:", "IKKE TIL STEDE :"),
)
ABSENCE_SENTENCE_CHECKED = Pattern(
    "ABSENCE_SENTENCE_CHECKED",
    ABSENCE_SENTENCE,
    holds("fraværende", "deltog"),
    how="search",
    examples=("Ida Holm var fraværende", "Lars Søgaard og Kim Ravn deltog ikke i behandling"),
)
# "• Kristian Bøgsted ()", "1. Robert Sørensen, Ø", "Ida Holm (A)": a name in such a list
ABSENT_LIST_LINE = re.compile(
    r"^(?:[•·*\-–]\s*|\d{1,2}\.\s+)?(?P<name>\p{Lu}[\p{L}'.\-]*(?:\s+\p{Lu}[\p{L}'.\-]*){1,5})"
    r"\s*(?:,\s*\p{Lu}{1,2}|\(\s*[\p{Lu}\p{L}]{0,10}\s*\))?\.?$"
)


def absences_of(lines: list[str]) -> tuple[list[str], list[str]]:
    """Absent names, and the lines left once labelled absence lines are taken out.

    A label alone ("Fraværende", "Afbud:") takes the list of names on the lines after it
    ("• Kristian Bøgsted ()", "1. Robert Sørensen, Ø") until a line that is no name.
    """
    absent: list[str] = []
    kept: list[str] = []
    listing = False
    for line in lines:
        if listing:
            if (m := ABSENT_LIST_LINE.match(line.strip())) is not None:
                absent.append(fold_space(m["name"]))
                continue
            listing = False
        # "Afbud:", "Fraværende:", "Ikke til stede:" (İ folds to i); both patterns need a cue
        if m := ABSENCE_LABEL_CHECKED(line):
            absent += split_names(m["names"])
            listing = not m["names"].strip()
            continue
        if len(line) < 25 and ABSENCE_HEADING_ALONE_CHECKED(line):
            listing = True
            continue
        kept.append(line)
        for s in ABSENCE_SENTENCE_CHECKED.finditer(line):
            absent += split_names(s["names"] or s["names2"])
    seen: set[str] = set()
    return [n for n in absent if not (n in seen or seen.add(n))], kept
