"""A regular expression together with the cheap test that runs before it.

Extraction runs many patterns on every line; most lines cannot match, and a substring or
first-character test says so for a fraction of the regex's cost.  Such a pre-check must never
be stricter than its pattern (a line it turns away would silently lose a match), and it goes
stale when the pattern widens.  Holding both in one object keeps them side by side, and
tests/test_prechecks.py checks every ``Pattern`` of the package with a Hypothesis property:
no pre-check rejects a text its regex matches.

A non-ASCII character must pass any pre-check that tests a character class: ``str`` and
``regex`` may know different Unicode versions, and ``regex`` folds case more widely (ſ is an
s, K the Kelvin sign a k, İ an i under IGNORECASE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import regex as re

How = Literal["match", "search", "fullmatch"]


class Pattern:
    """``regex`` used the way ``how`` says, behind ``precheck`` (a necessary condition).

    ``examples`` are texts the regex matches that way: the property test mutates them to
    find a text the pre-check turns away although the regex matches it.  A plain class with
    slots, not a dataclass: it is called on every line of every document.
    """

    __slots__ = ("_run", "cue", "examples", "how", "name", "precheck", "regex")

    def __init__(
        self,
        name: str,
        regex: re.Pattern[str],
        precheck: Callable[[str], bool],
        *,
        how: How = "match",
        examples: tuple[str, ...] = (),
        cue: str | None = None,
    ) -> None:
        self.name = name
        self.cue = cue  # the lower-case ASCII cue ``precheck`` looks for, when it is one
        self.regex = regex
        self.precheck = precheck
        self.how = how
        self.examples = examples
        self._run: Callable[[str], re.Match[str] | None] = getattr(regex, how)

    @classmethod
    def with_cue(
        cls,
        name: str,
        regex: re.Pattern[str],
        cue: str,
        *,
        how: How = "match",
        examples: tuple[str, ...] = (),
    ) -> Pattern:
        """A case-insensitive pattern behind a lower-case ASCII ``cue`` ("lutn" of
        "beslutning"): callers holding ``fold_ascii`` of the whole document look the cue up
        there (``layouts.lines.has_cue``) instead of lower-casing each line."""
        return cls(name, regex, holds_folded(cue), how=how, examples=examples, cue=cue)

    def __repr__(self) -> str:
        return f"Pattern({self.name!r}, how={self.how!r})"

    def may(self, text: str) -> bool:
        """Whether the regex may match ``text`` (False: it certainly does not)."""
        return self.precheck(text)

    def __call__(self, text: str) -> re.Match[str] | None:
        """The regex's match (``how``) on ``text``, or None; the regex runs only if it may."""
        return self._run(text) if self.precheck(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match in ``text`` (for a ``search`` pattern), none when the pre-check fails."""
        return self.regex.finditer(text) if self.precheck(text) else iter(())

    def unchecked(self, text: str) -> re.Match[str] | None:
        """The regex alone (``how``), for the property test and for callers that ran the
        pre-check themselves through a cheaper route (a cue in the folded document)."""
        return self._run(text)


def first_in(chars: str, *, blanks: bool = False) -> Callable[[str], bool]:
    """A pre-check: the text's first character is one of ``chars`` (or any non-ASCII one,
    or a blank when ``blanks``).  "" passes only if the pattern may match the empty text,
    which a ``first_in`` pattern never does."""
    allowed = frozenset(chars)

    def check(text: str) -> bool:
        first = text[:1]
        return first in allowed or first > "\x7f" or (blanks and first.isspace())

    return check


def holds(*needles: str) -> Callable[[str], bool]:
    """A pre-check: the text holds one of ``needles`` (exact substrings)."""

    if len(needles) == 1:
        (needle,) = needles
        return lambda text: needle in text
    return lambda text: any(needle in text for needle in needles)


def holds_folded(*cues: str) -> Callable[[str], bool]:
    """A pre-check for a case-insensitive pattern: ``text.lower()`` holds one of ``cues``
    (lower-case ASCII without "s" or "i", which ``regex`` also matches as ſ and İ)."""
    for cue in cues:
        if not cue.isascii() or cue != cue.lower() or set(cue) & set("si"):
            raise ValueError(f"cue {cue!r} is not lower-case ASCII free of s and i")

    def check(text: str) -> bool:
        lowered = text.lower()
        return any(cue in lowered for cue in cues)

    return check
