"""A printed case number in the one form the store keys cases by (``kg:caseKey``).

The mapping writes it, the IRI minter names a case after it, and the trace turns what a user
types into it: one function, so the three cannot disagree.
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
