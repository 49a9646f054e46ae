"""A law citation while it is being read, and what makes two citations the same law.

The finder (extract/entities/laws.py) builds ``Citation`` spans; this module decides which
spans lie inside another of their kind (the law an amending act amends is part of the
amending act's citation) and which name one law (same canonical law, same document number,
or the same printed name), so that each law is listed once per item.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from kommunegraf.extract.entities import lawbook
from kommunegraf.extract.entities.law_patterns import PROVISION_LIST


@dataclass
class Citation:
    start: int
    end: int  # end of the whole printed citation (its text)
    kind: str
    act: str | None
    provisions: list[str] = field(default_factory=list)
    number: str | None = None
    alias: str | None = None  # its one-word name, printed in parentheses after the title


def claimed_paragraphs(text: str, cites: list[Citation]) -> set[int]:
    claimed: set[int] = set()
    for cite in cites:
        if cite.provisions:
            for m in PROVISION_LIST.finditer(text, cite.start, cite.end):
                claimed.add(m.start())
    return claimed


def outermost(cites: list[Citation]) -> list[Citation]:
    """The citations that lie within no other of their kind, in their order; a provision
    without a law ("§ 4" of "§§ 3 og 4 i affaldsbekendtgørelsen") lies within one of any kind.

    Another span contains ``c`` when it starts no later and ends later, or starts earlier and
    ends no earlier (the same span is no container).  Prefix maxima of the ends over the
    spans sorted by start answer that for each citation, so that an item with thousands of
    citations costs n log n, not n² (a 200 KB hostile item took minutes).
    """
    spans: dict[str | None, tuple[list[int], list[int]]] = {}
    for kind in {c.kind for c in cites} | {None}:
        ordered = sorted((c.start, c.end) for c in cites if kind is None or c.kind == kind)
        ends, highest = [], -1
        for _start, end in ordered:
            highest = max(highest, end)
            ends.append(highest)
        spans[kind] = ([start for start, _end in ordered], ends)

    def contained(cite: Citation) -> bool:
        starts, ends = spans[None if cite.act is None else cite.kind]
        upto = bisect_right(starts, cite.start)  # spans starting no later
        before = bisect_left(starts, cite.start)  # spans starting earlier
        return (upto > 0 and ends[upto - 1] > cite.end) or (
            before > 0 and ends[before - 1] >= cite.end
        )

    return [c for c in cites if not contained(c)]


def identities(cite: Citation) -> tuple[set[str], set[str]]:
    """What makes two citations the same law: (identities to look up, identities to record).

    A numbered document printed without a year ("vejledning nr 9876") is the one of that
    number cited before; one printed with a year is only the same as that year's.
    """
    ids = set()
    base = None
    if cite.act:
        ids.add("name:" + lawbook.normalise_name(cite.act))
        base = lawbook.canonical_law(identified_by(cite), None, cite.kind)
        if base:
            ids.add("law:" + base)
    if not ids:
        ids.add("none")
    # A later "skovlovens § 8" is the law printed as "lov om skove (skovloven)", but an
    # earlier "(skovloven)" does not make another numbered version of it the same.
    also = {"name:" + lawbook.normalise_name(cite.alias)} if cite.alias else set()
    if not cite.number:
        return ids, ids | also
    number = "nr:" + str(int(cite.number))
    return (ids if base else ids | {number}), ids | {number} | also


def identified_by(cite: Citation) -> str | None:
    """The name a citation's law is known by: as printed when that resolves on its own (a
    number with its year: an ELI; a title the law table knows), else the one-word name
    printed after it ("lov om vandløb (vandløbsloven)"), which other citations use."""
    if not cite.alias:
        return cite.act
    if cite.number:
        resolves = lawbook.canonical_law(cite.act, None, cite.kind) is not None
    else:
        resolves = cite.kind == "act" and lawbook.lookup(cite.act) is not None
    return cite.act if resolves else cite.alias


@lru_cache(maxsize=4096)
def provision_key(provision: str | None) -> str:
    return "".join(c for c in (provision or "").lower() if c.isalnum() or c == "§")
