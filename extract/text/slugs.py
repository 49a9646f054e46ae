"""Slugs (``[a-z0-9-]``): three rules, each pinned by tests, because the store holds all three.

The rules differ on rare input only, but an IRI or an entity key once minted must not change,
so each keeps its own behaviour under a name that says where it is used:

- :func:`iri_slug` — every slug segment of an IRI (graph.rdf.iris): Unicode composed first
  (so a decomposed "å" is still "aa"), ß → "ss", text without any letter or digit gets
  ``x-<hash>``, and an over-long slug is cut and given a hash.
- :func:`key_slug` — the entity keys the resolver writes into records (people,
  organisations): lower-cased *before* composing (a decomposed "å" becomes "a"), and the
  German ä, ö, ß spelt out ("Jönsson" → "joensson"); no hash, so it may be empty.
- :func:`law_slug` — law and provision identifiers (``lov/<slug>``, ``paragraf/13f``) and
  project keys: like ``iri_slug`` but ß is dropped as a separator, and no hash.

The IRI minter slugs a key again (``iri_slug(key_slug(name))``); both are idempotent on their
own output, so that second pass changes nothing for ordinary names.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

import regex as re

from kommunegraf.extract.text.fold import DANISH_FOLD

# A run of anything that is not an ASCII letter or digit: "Beskæftigelses- og " -> "-".
SLUG_SEPARATOR_RE = re.compile(r"[^a-z0-9]+")
# Longest IRI slug before it is cut and given a hash suffix.
SLUG_MAX = 120

_IRI_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
_KEY_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ß": "ss"})


def _strip_accents(text: str) -> str:
    """Compatibility-decomposed with the combining marks dropped: "é" → "e", "ﬁ" → "fi"."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def short_hash(text: str) -> str:
    """Eight hex digits of the text's sha256: a stable, distinct tail for a slug."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@lru_cache(maxsize=65536)
def iri_slug(text: str) -> str:
    """Fold a name to ``[a-z0-9-]`` for an IRI: æ→ae, ø→oe, å→aa, ß→ss, accents dropped.

    Text with no foldable letter at all (symbols, other scripts) gets ``x-<hash>`` so that
    it still has a stable, distinct slug; over-long slugs are cut and given a hash suffix.
    """
    folded = unicodedata.normalize("NFKC", text).lower().translate(_IRI_FOLD)
    result = SLUG_SEPARATOR_RE.sub("-", _strip_accents(folded)).strip("-")
    if not result:
        return "x-" + short_hash(text)
    if len(result) > SLUG_MAX:
        return result[:SLUG_MAX].rstrip("-") + "-" + short_hash(text)
    return result


@lru_cache(maxsize=8192)
def key_slug(text: str) -> str:
    """An entity key: lower case, æ→ae, ø→oe, å→aa, ä→ae, ö→oe, ß→ss, other runs → "-"."""
    folded = text.lower().translate(_KEY_FOLD)
    return SLUG_SEPARATOR_RE.sub("-", _strip_accents(folded)).strip("-")


@lru_cache(maxsize=8192)
def law_slug(text: str) -> str:
    """A law's or provision's identifier part: æ→ae, ø→oe, å→aa, accents dropped, runs → "-"."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(DANISH_FOLD)
    return SLUG_SEPARATOR_RE.sub("-", _strip_accents(folded)).strip("-")
