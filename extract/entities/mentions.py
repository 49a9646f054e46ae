"""Fast scanning helpers shared by the finders that anchor their patterns on fixed strings.

A pattern that opens with a character class or a case-insensitive alternation scans a whole
text slowly, and every call into a regex engine costs about a microsecond; finding a fixed
string that every match contains (``str.find`` is fast) and trying the pattern only there,
after a cheap check of the characters around it, is as exact and many times faster.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re

# Latin-1 is one byte per character, and every Latin-1 letter lower-cases to one Latin-1
# letter, so a byte table gives exactly what ``str.lower`` gives.
_LATIN1_LOWER = bytes(ord(chr(i).lower()) for i in range(256))
# The Latin-1 characters for which str.isalpha() and str.isupper() are true: a set lookup
# where a loop over characters would call the method (test others with the method itself)
LATIN1_ALPHA = frozenset(c for c in map(chr, range(256)) if c.isalpha())
LATIN1_UPPER = frozenset(c for c in map(chr, range(256)) if c.isupper())
LATIN1_ALNUM = frozenset(c for c in map(chr, range(256)) if c.isalnum())


def lower(text: str) -> str:
    """``text.lower()``, several times faster for Latin-1 text (most Danish minutes)."""
    if text.isascii():
        return text.lower()
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.lower()
    return data.translate(_LATIN1_LOWER).decode("latin-1")


def positions(text: str, needles: Sequence[str]) -> list[int]:
    """Every position where one of ``needles`` starts, in order (str.find is fast).

    Most needles are absent from most texts; "in" tells so as fast as str.find, and is no call.
    """
    found: list[int] = []
    for needle in needles:
        if needle in text:
            i = text.find(needle)
            while i >= 0:
                found.append(i)
                i = text.find(needle, i + 1)
    if len(needles) > 1:
        found.sort()
    return found


def near(
    pattern: re.Pattern, text: str, anchors: list[int], before: int, after: int
) -> list[re.Match]:
    """The matches of ``pattern`` that cover an anchor, each searched only around it.

    A match is searched for in ``before`` characters before the anchor to ``after`` after it;
    one covering several anchors is listed once.
    """
    found: list[re.Match] = []
    seen: set[tuple[int, int]] = set()
    for anchor in anchors:
        end = anchor + after  # an end beyond the text is the text's end
        m = pattern.search(text, anchor - before if anchor > before else 0, end)
        while m and m.end() <= anchor:
            m = pattern.search(text, max(m.end(), m.start() + 1), end)
        if m and m.start() <= anchor and m.span() not in seen:
            seen.add(m.span())
            found.append(m)
    return found


def skip_blanks(text: str, pos: int) -> int:
    """The first position at or after ``pos`` that holds no blank (space, tab)."""
    size = len(text)
    while pos < size and text[pos] in " \t":
        pos += 1
    return pos


def skip_blanks_back(text: str, pos: int) -> int:
    """The position after the last character before ``pos`` that is no blank."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


def next_char(text: str, pos: int) -> str:
    """The first character at or after ``pos`` that is no blank; "" at the end."""
    pos = skip_blanks(text, pos)
    return text[pos : pos + 1]


def blank_before(text: str, pos: int) -> bool:
    """True when a blank (space, tab) stands just before ``pos``."""
    return pos > 0 and text[pos - 1] in " \t"


class CharClass:
    """Membership in a one-character pattern: a set lookup for Latin-1, the pattern beyond.

    Walking over characters in Python is exact only if each test agrees with the regex engine
    (whose Unicode tables are newer than Python's); the Latin-1 members are taken from the
    pattern itself, and any other character is tested with it.
    """

    __slots__ = ("latin1", "pattern")

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.latin1 = frozenset(c for c in map(chr, range(256)) if pattern.fullmatch(c))

    def __contains__(self, char: str) -> bool:
        if char in self.latin1:
            return True
        return char > "\xff" and self.pattern.fullmatch(char) is not None
