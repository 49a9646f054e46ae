"""Folding text for comparison: blanks, ASCII case, Danish letters, municipality suffixes.

Each rule is one function so that the extractor (record values), the IRI minter (slugs) and
the trace's lookup (what a user typed) fold alike.
"""

from __future__ import annotations

import regex as re

# Danish letters spelt out in ASCII: "Næstved" -> "naestved" (before accents are stripped,
# which would make "å" an "a").
DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})

# Every character that str.isspace (and so str.strip and str.split) takes for a blank: a set
# lookup of one character is cheaper than the method call in loops over every line.
BLANKS = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# A municipality's name suffix: "Næstved Kommune", "Bornholms Regionskommune".
MUNICIPALITY_SUFFIX_RE = re.compile(r"\s+(?:regions)?kommune\s*$", re.IGNORECASE)


def fold_space(text: str) -> str:
    """Runs of whitespace as one space, trimmed: the record's rule for text values."""
    # A long text whose only blanks are single inner spaces is its own folding, and testing
    # that is cheaper than splitting it: every blank but " " (tab, newline, no-break space …)
    # is unprintable to str.isprintable.
    if (
        len(text) > 40
        and text.isprintable()
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
    ):
        return text
    return " ".join(text.split())


def fold_ascii(text: str) -> str | None:
    """``text`` with A-Z lower-cased, every offset kept; None if it holds İ or the Kelvin sign.

    Cheap tests look for a lower-case ASCII cue ("lutn" of "beslutning") before a
    case-insensitive pattern runs.  ``str.lower`` is slow on text with æ, ø and å; this is
    several times faster, and an ASCII cue is in it exactly where it is in ``text.lower()``
    (İ and the Kelvin sign are the only other characters that ``str.lower`` makes ASCII).
    A cue must avoid "s" and "i", which ``regex`` also matches as ſ and İ.
    """
    if text.isascii():
        return text.lower()
    if "\u0130" in text or "\u212a" in text:
        return None
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def bare_municipality_name(name: str) -> str:
    """A municipality's name without "Kommune"/"Regionskommune": "Næstved Kommune" → "Næstved"."""
    return MUNICIPALITY_SUFFIX_RE.sub("", name.strip())


def fold_municipality_name(name: str) -> str:
    """A municipality's name or slug folded for comparison: "Næstved Kommune" → "naestved".

    The suffix goes, case is folded and the Danish letters are spelt out, so what a user types
    ("næstved", "Naestved kommune") meets the store's label and the IRI's slug.
    """
    return bare_municipality_name(name).casefold().translate(DANISH_FOLD)
