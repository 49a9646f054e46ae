"""A printed case number in the one form the store keys cases by (``kg:caseKey``).

The mapping writes it, the IRI minter names a case after it, and the trace turns what a user
types into it: one function, so the three cannot disagree.  :func:`canonical_key` is the
form a typed KLE number is looked up by (graph/rdf/casenumbers.py builds the lookups on it;
a bundled query's ``case`` parameter is bound as it).
"""

from __future__ import annotations

import unicodedata

import regex as re

# Dash look-alikes folded to "-" in case numbers: "15.20.00–A00-2-10".
DASHES_RE = re.compile(r"[\u2010-\u2015\u2212]")


def normalise_case_number(text: str) -> str:
    """A printed case number in a form for matching: no spaces, one kind of dash, upper case.

    "15.20.00 - a00-2-10" and "15.20.00–A00-2-10" both give "15.20.00-A00-2-10".
    """
    text = DASHES_RE.sub("-", unicodedata.normalize("NFC", text))
    return "".join(text.split()).upper()


# A label printed or typed before the number: "Sagsnr.: ", "J.nr. ", "Sags id: ", "Sag nr ".
CASE_LABEL_RE = re.compile(
    r"^\s*(?:sags?\s?nr|j\.?\s?nr|journal\s?nr|sags[\s-]?id|sagsnummer)\.?\s*:?\s*",
    re.IGNORECASE,
)
# A KLE journal number after normalisation, groups of one or two digits allowed:
# "0.22.00-P35-34-17", "15.20.00-A00-2-10", "7.8.0-Ø40-001-17".
KLE_NUMBER_RE = re.compile(
    r"^(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<c>\d{1,2})-(?P<facet>\p{Lu}\d{2})"
    r"-(?P<serial>\d{1,6})-(?P<year>\d{2})$"
)


def clean(text: str) -> str:
    """The typed number without a leading label, normalised like ``kg:caseKey``."""
    return normalise_case_number(CASE_LABEL_RE.sub("", text, count=1))


def canonical_key(text: str) -> str:
    """The normalised key with a KLE number's groups zero-padded and its serial unpadded.

    "0.22.00–P35-034-17" → "00.22.00-P35-34-17"; a non-KLE number is only :func:`clean`-ed.
    """
    key = clean(text)
    match = KLE_NUMBER_RE.match(key)
    if not match:
        return key
    return (
        f"{int(match['a']):02d}.{int(match['b']):02d}.{int(match['c']):02d}-{match['facet']}"
        f"-{int(match['serial'])}-{match['year']}"
    )
