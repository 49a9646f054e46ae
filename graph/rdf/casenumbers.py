"""Tolerant case-number matching: what a user types → the keys the store indexes.

The mapping stores each case's printed number in a normalised form (``kg:caseKey``: no
spaces, one kind of dash, upper case — :func:`normalise`).  Users type
numbers less carefully: en/em dashes, spaces around them, a label in front ("Sagsnr.:"), a
KLE group without its leading zero ("0.22.00-P35-34-17") or a serial with one ("-034-").
:func:`lookup_keys` turns such input into the few exact keys worth an indexed lookup, so a
trace never scans the store with a regular expression.  :func:`kle_prefix` recognises a KLE
subject code typed on its own ("15.20.00", "15.20"), and :func:`near_matches` ranks stored
keys for a "did you mean" when nothing matched.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from kommunegraf.extract.text.casenumbers import (
    CASE_LABEL_RE,
    KLE_NUMBER_RE,
    canonical_key,
    clean,
)

__all__ = [
    "CASE_LABEL_RE",
    "KLE_NUMBER_RE",
    "KLE_SUBJECT_RE",
    "canonical_key",
    "clean",
    "is_complete_kle",
    "kle_prefix",
    "lookup_keys",
    "near_matches",
    "prefixes",
]

# A KLE subject code alone, one to three groups: "15", "15.20", "15.20.00", "0.22.0".
KLE_SUBJECT_RE = regex.compile(r"^(?P<a>\d{1,2})(?:\.(?P<b>\d{1,2}))?(?:\.(?P<c>\d{1,2}))?\.?$")


def lookup_keys(text: str) -> list[str]:
    """The distinct keys to look up exactly, most likely first.

    The canonical form comes first; the cleaned input as typed follows, because a document
    that itself prints an unpadded number is stored under that spelling.
    """
    keys = [canonical_key(text), clean(text)]
    return [k for k in dict.fromkeys(keys) if k]


def is_complete_kle(text: str) -> bool:
    """Whether the typed number is a whole KLE journal number (so not a prefix of others)."""
    return KLE_NUMBER_RE.match(clean(text)) is not None


def kle_prefix(text: str) -> str | None:
    """A typed KLE subject code zero-padded ("0.22" → "00.22"), or None if it is not one."""
    match = KLE_SUBJECT_RE.match(clean(text))
    if not match:
        return None
    groups = [g for g in (match["a"], match["b"], match["c"]) if g is not None]
    return ".".join(f"{int(g):02d}" for g in groups)


def prefixes(text: str) -> list[str]:
    """The prefixes a partial number or KLE subject should match stored keys by."""
    found = [kle_prefix(text) or "", clean(text)]
    return [p for p in dict.fromkeys(found) if p]


def near_matches(text: str, keys: Iterable[str], *, limit: int = 5) -> list[str]:
    """Stored keys closest to the typed number (for "did you mean …"), best first.

    rapidfuzz is imported here, on the not-found path only, to keep a successful trace fast.
    """
    from rapidfuzz import fuzz, process

    choices = list(dict.fromkeys(keys))
    if not choices:
        return []
    query = canonical_key(text)
    hits = process.extract(query, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=60)
    return [choice for choice, _score, _index in hits]
