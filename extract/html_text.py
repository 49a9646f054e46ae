"""An HTML page's text without its chrome: navigation, banners, cookie dialogs, scripts.

Paragraph and line tags become line breaks and table cells are kept apart, so that the
layouts see the page's agenda the way a reader does.  bs4 is imported when a page is read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag

from kommunegraf.extract.loaded import LoadError

# --- HTML ---------------------------------------------------------------------------------

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "form", "button", "select",
    "iframe", "svg", "canvas", "object", "embed", "dialog",
)  # fmt: skip
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"})
_KEEP_CONTAINERS = frozenset({"html", "body", "main", "article"})
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote",
     "pre", "section", "article", "main", "figure", "hr", "address", "caption", "details"}
)  # fmt: skip
_LINE_TAGS = frozenset(
    {"div", "li", "dt", "dd", "summary", "figcaption", "legend", "fieldset", "tbody",
     "thead", "tfoot", "center", "aside", "header", "footer", "body"}
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# an id or class naming a cookie or consent banner: "cookie-banner", "CybotCookiebotDialog",
# "gdpr-consent", "consent_overlay"
COOKIE_MARK = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
# whitespace runs inside HTML text, folded to one space: "  \n\t "
HTML_SPACE = re.compile(r"\s+")


def _is_page_chrome(tag: Tag) -> bool:
    """Navigation and banners around the minutes, not part of them."""
    if tag.name in _KEEP_CONTAINERS:
        return False
    if tag.name in ("header", "footer") and tag.find_parent(("article", "main")) is None:
        return True
    if str(tag.get("role", "")).lower() in _DROP_ROLES:
        return True
    classes = tag.get("class") or []
    marks = [str(tag.get("id", "")), *([classes] if isinstance(classes, str) else classes)]
    return any(COOKIE_MARK.search(mark) for mark in marks)


class _HtmlText:
    """Collects lines from a parsed page: blocks on their own lines, table cells tab-joined."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.line: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.nested = 0  # cells of tables inside the current cell

    def text(self, s: str, pre: bool) -> None:
        s = s if pre else HTML_SPACE.sub(" ", s)
        (self.cell if self.cell is not None else self.line).append(s)

    def flush(self, blank: bool) -> None:
        line = "".join(self.line).strip(" ")
        self.line = []
        if line:
            self.out.append(line)
        if blank:
            self.out.append("")

    def start(self, name: str) -> None:
        if self.cell is not None:  # whatever sits inside a cell folds into it
            self.nested += name in _CELL_TAGS
            if name == "br" or name in _PARAGRAPH_TAGS or name in _LINE_TAGS or name == "tr":
                self.cell.append(" ")
            return
        if name == "tr":
            self.flush(False)
            self.row = []
        elif name in _CELL_TAGS and self.row is not None:
            self.cell = []
        elif name == "br":
            self.flush(False)
        elif name in _PARAGRAPH_TAGS:
            self.flush(True)
        elif name in _LINE_TAGS:
            self.flush(False)

    def end(self, name: str) -> None:
        if self.cell is not None:
            if name not in _CELL_TAGS:
                return
            if self.nested:
                self.nested -= 1
                self.cell.append(" ")
                return
            if self.row is not None:
                self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif name == "tr" and self.row is not None:
            if any(self.row):
                self.out.append("\t".join(self.row))
            self.row = None
        elif name in _PARAGRAPH_TAGS:
            self.flush(True)
        elif name in _LINE_TAGS:
            self.flush(False)

    def result(self) -> str:
        self.flush(False)
        return "\n".join(self.out)


def html_text(markup: str, name: str) -> str:
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag

    skip_strings = (Comment, Declaration, Doctype)  # markup, not text
    try:
        soup = BeautifulSoup(markup, "html.parser")
    except Exception as exc:  # html.parser and bs4 reject some malformed markup
        raise LoadError(name, f"unreadable HTML ({type(exc).__name__}: {exc})") from exc
    # The page title often names the municipality and meeting that the body leaves out
    # ("Referat – Klima- og Teknikudvalget – Syddjurs Kommune"), so it becomes the first line.
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    if title_tag:
        title_tag.decompose()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_page_chrome):
        if not tag.decomposed:
            tag.decompose()
    collector = _HtmlText()
    # An explicit stack instead of recursion: deeply nested markup must not overflow.
    stack: list[tuple[object, bool, bool]] = [(soup, False, False)]
    while stack:
        node, leaving, pre = stack.pop()
        if isinstance(node, Tag):
            if leaving:
                collector.end(node.name)
                continue
            collector.start(node.name)
            inner_pre = pre or node.name == "pre"
            stack.append((node, True, pre))
            stack.extend((child, False, inner_pre) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, skip_strings):
            collector.text(str(node), pre)
    body = collector.result()
    return f"{title}\n\n{body}" if title else body
