"""The HTML of a FirstAgenda item (the API's ``Felter[].Html``, the portal page's ``.punkt``).

Both the API and the saved portal page carry an item's minutes as the same HTML: headings
(``<h2>``–``<h4>``, sometimes a bare paragraph "Sagsprocedure") over paragraphs, lists and
tables, with the meeting's decision under "Beslutning" and the earlier treatments under
"Sagens forløb"/"Sagsforløb".  This module turns that HTML into headed blocks of lines and
reads the dated treatments out of the history block; it knows nothing of JSON or of pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex as re

from kommunegraf.extract.felter_tree import Node, parse
from kommunegraf.extract.layouts.headings import SECTION_NAMES
from kommunegraf.extract.text.dates import find_dates
from kommunegraf.extract.text.fold import fold_space

__all__ = ["Block", "Treatment", "blocks_of", "is_decision_heading", "is_history", "treatments"]

# Headings that FirstAgenda templates print beside the ones every layout knows.
FIRSTAGENDA_HEADINGS = frozenset(
    {
        "fremstilling", "sagsprocedure", "sagens forløb", "sagsforløb", "sagsbeskrivelse",
        "supplerende sagsfremstilling", "supplerende indstilling", "supplerende dagsorden",
        "øvrige konsekvenser", "øvrige forhold", "beslutningspunkter", "indstilling",
        "sagsfremstilling", "tidsplan", "kommunikation", "lovgrundlag", "resume", "beslutning",
    }
)  # fmt: skip
_KNOWN_HEADINGS = FIRSTAGENDA_HEADINGS | frozenset(SECTION_NAMES)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = (
    "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "dd", "dt", "pre",
)  # fmt: skip
_MAX_HEADING_WORDS = 6
_MAX_HEADING_CHARS = 60
# Marks a heading's text in the flattened lines (a character no minutes print).
_HEADING_MARK = "\x1e"

# "Beslutning", "Beslutning i Byrådet", "Udvalgets beslutning": the meeting's own decision
DECISION_HEADING = re.compile(r"^(?:[\p{L}\- ]{0,60}s\s+)?beslutning(?:er)?\b", re.I)
# "Sagens forløb", "Sagsforløb", "Tidligere behandling(er)": earlier treatments of the case
HISTORY_HEADING = re.compile(r"^(?:sagens\s+forløb|sagsforløb|tidligere\s+behandling)", re.I)
# "16-08-2022 Plan- og Tryghedsudvalget", "22/04/2024 Social- og Handicapudvalget",
# "24-01-2022 Økonomiudvalget 2022": a treatment's date, then the body
HISTORY_ENTRY = re.compile(
    r"^(?P<date>[0-3]?\d[-/.][01]?\d[-/.](?:19|20)\d\d)\s*[-–:,]?\s+(?P<body>\p{L}.{1,150})$"
)
# "Udvalg: Magistraten", "Dato: 30-09-2025", "Punktnummer: 4": the portal page's labelled entry
LABELLED_ENTRY = re.compile(r"^(?P<label>Udvalg|Dato|Punktnummer|Punkt)\s*:\s*(?P<value>.*)$")
# " 2022", " 2022-2025", " (slettet 10-01-2022)": what follows a body's name in the history
BODY_TAIL = re.compile(r"(?:\s*\([^)]*\)|\s+(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?)+\s*$")
# a line break or tab inside a text node: "driftstilskud\r\nfra"
_BREAK_IN_TEXT = re.compile(r"[\n\r\t\f\v]")
# runs of whitespace inside HTML text, folded to one space: "  \n\t "
_SPACE = re.compile(r"\s+")
# blanks other than the tab that parts table cells: " \u00a0 "
_SPACE_IN_LINE = re.compile(r"[^\S\t]+")
# "&nbsp;&nbsp; &nbsp;": a tab stop that a word processor saved as no-break spaces
_TAB_STOP = re.compile(r"\u00a0[\u00a0 ]+|(?<=\S) +\u00a0[\u00a0 ]*")
# a tab with blanks around it, or several: one cell gap
_CELL_GAP = re.compile(r" ?\t[\t ]*")


@dataclass
class Block:
    """A heading (None before the first) and the lines under it."""

    heading: str | None
    lines: list[str] = field(default_factory=list)


@dataclass
class Treatment:
    """One dated entry of a case's history: which body, when, and what it decided."""

    body: str
    date: str | None
    lines: list[str] = field(default_factory=list)
    item_number: int | None = None


def _heading_text(text: str) -> str | None:
    """The text of a heading tag, if it reads as one (short, no sentence)."""
    bare = text.strip().rstrip(":").strip()
    if not bare or len(bare) > _MAX_HEADING_CHARS or len(bare.split()) > _MAX_HEADING_WORDS:
        return None
    if bare.endswith(".") or not any(ch.isalpha() for ch in bare):
        return None
    return bare


def _bare_heading(line: str) -> str | None:
    """A paragraph that holds nothing but a known heading ("<p><span>Resume</span></p>")."""
    bare = line.strip().rstrip(":").strip()
    return bare if bare.lower() in _KNOWN_HEADINGS else None


# Tags whose whole subtree is no text of the minutes.
_DROPPED_TAGS = frozenset({"script", "style", "img", "svg"})


def _string_text(text: str, kind: type, visible: tuple[type, ...], comment: type) -> str | None:
    """What a string node adds to the text: a line break inside it folds the node's blanks
    to single spaces (the source wraps paragraphs at arbitrary points, "driftstilskud\nfra
    Kulturministeriet"); None for what BeautifulSoup's get_text leaves out (comments, ruby
    and template strings) unless a fold made it plain text."""
    if kind is comment:
        return None
    if _BREAK_IN_TEXT.search(text):
        return _SPACE.sub(" ", text)
    return text if kind in visible else None


def _joined_strings(tag: Node, visible: tuple[type, ...], comment: type) -> str:
    """The tag's strings joined by spaces, as ``get_text(" ")`` reads them after the fold."""
    parts: list[str] = []
    stack = list(reversed(tag.contents))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            text = _string_text(node[0], node[1], visible, comment)
            if text is not None:
                parts.append(text)
        elif node.name not in _DROPPED_TAGS:
            stack.extend(reversed(node.contents))
    return " ".join(parts)


def _flat_text(root: Node) -> str:
    """The parsed item as text with its line structure: one walk over the parsed tree.

    Block tags stand on lines of their own, ``<br>`` breaks a line, table cells are parted by
    a tab, and a heading (outside a table) becomes one line, marked with ``_HEADING_MARK``
    when it reads as a heading.  The tree is read, never changed: editing BeautifulSoup's
    tree node by node (inserting the breaks, replacing folded strings) cost more than parsing.
    """
    from bs4 import CData, Comment, NavigableString

    visible = (NavigableString, CData)
    out: list[str] = []
    # (node, inside a table) to read, or (None, text) to write once a tag's children are out
    stack: list[tuple[Node | tuple[str, type] | None, Any]] = [
        (n, False) for n in reversed(root.contents)
    ]
    while stack:
        node, state = stack.pop()
        if node is None:
            out.append(state)
            continue
        if isinstance(node, tuple):
            text = _string_text(node[0], node[1], visible, Comment)
            if text is not None:
                out.append(text)
            continue
        name = node.name
        if name in _DROPPED_TAGS:
            continue
        if name == "br":
            out.append("\n")
            continue
        in_table = bool(state) or name == "table"
        after = None
        if name in ("td", "th"):
            after = "\t"  # cells apart: "Bevar Sidesporet\tEL" names no person
        elif name in _HEADING_TAGS and not state:
            text = fold_space(_joined_strings(node, visible, Comment))
            heading = _heading_text(text)
            out.append(f"\n{_HEADING_MARK}{heading}\n" if heading else f"\n{text}\n")
            continue
        elif name in _BLOCK_TAGS or (
            name == "u" and HISTORY_ENTRY.match(fold_space(_joined_strings(node, visible, Comment)))
        ):  # an underlined "16-08-2022 Økonomiudvalget" opens a history entry
            out.append("\n")
            after = "\n"
        if after is not None:
            stack.append((None, after))
        stack.extend((child, in_table) for child in reversed(node.contents))
    return "".join(out)


def blocks_of(markup: str) -> list[Block]:
    """The item's HTML as headed blocks of non-empty lines, in the printed order."""
    text = _flat_text(parse(markup or ""))
    blocks = [Block(None)]
    for raw in text.split("\n"):
        if not raw:  # every block tag leaves an empty line or two: no pattern need read them
            continue
        if raw.startswith(_HEADING_MARK):
            blocks.append(Block(raw[1:]))
            continue
        line = _CELL_GAP.sub("\t", _SPACE_IN_LINE.sub(" ", _TAB_STOP.sub("\t", raw)))
        line = line.strip(" \t")
        if not line:
            continue
        heading = _bare_heading(line)
        if heading:
            blocks.append(Block(heading))
        else:
            blocks[-1].lines.append(line)
    return [b for b in blocks if b.heading is not None or b.lines]


def is_decision_heading(heading: str | None) -> bool:
    return bool(heading) and bool(DECISION_HEADING.match(heading or ""))


def is_history(heading: str | None) -> bool:
    return bool(heading) and bool(HISTORY_HEADING.match(heading or ""))


def clean_body(body: str) -> str:
    """A body's name without the year, election period or note printed after it."""
    cleaned = BODY_TAIL.sub("", fold_space(body)).strip(" -–:,")
    return cleaned or fold_space(body)


def _iso(date_text: str) -> str | None:
    found = find_dates(date_text)
    return found[0][2] if found else None


def treatments(lines: list[str]) -> list[Treatment]:
    """The dated entries of a history block ("16-08-2022 Økonomiudvalget" then its text).

    The portal page prints the same entries as labelled lines ("Udvalg: …", "Dato: …",
    "Punktnummer: …"); both shapes are read.  Text before the first entry is dropped.
    """
    out: list[Treatment] = []
    current: Treatment | None = None
    for line in lines:
        if m := HISTORY_ENTRY.match(line):
            current = Treatment(clean_body(m["body"]), _iso(m["date"]))
            out.append(current)
            continue
        if m := LABELLED_ENTRY.match(line):
            label, value = m["label"].lower(), m["value"].strip()
            if label == "udvalg":
                current = Treatment(clean_body(value), None)
                out.append(current)
            elif current is not None and label == "dato":
                current.date = _iso(value)
            elif current is not None and value.isdigit():
                current.item_number = int(value)
            continue
        if current is not None:
            current.lines.append(line)
    return [t for t in out if t.body]
