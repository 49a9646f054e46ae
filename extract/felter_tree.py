"""A light parse tree of an item's HTML, built as BeautifulSoup's ``html.parser`` builds its.

Issue 21.3: building BeautifulSoup's own tree (a ``Tag`` and a ``NavigableString`` object per
node, each linked to its neighbours) was most of the cost of reading the 198 Greve meetings,
and ``firstagenda_felter`` only walks the tree once, reading names, children and strings.
So the tokenizer stays BeautifulSoup's (``BeautifulSoupHTMLParser``: its character and entity
references, comments, declarations and CDATA), and only the tree is lighter.  The tree keeps
BeautifulSoup's rules, which decide what text a walk reads:

- an end tag closes the most recent open tag of its name and every tag opened inside it; an
  end tag with no open tag of its name is ignored; void elements (``br``, ``img``) close at once;
- text between two markup events is one string; a string of ASCII blanks only is one "\\n"
  (if it holds one) or one " ", except inside ``pre``/``textarea``;
- a string's class says what it is (``Comment``, ``Doctype``, ``CData``, or ``Script``/``RubyText``…
  inside the tags that hold those), as BeautifulSoup's ``get_text`` tells them apart.

``tests/test_felter_walk.py`` holds the text read from this tree equal to the text of the
BeautifulSoup tree the reader used before.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["Node", "parse"]

# BeautifulSoup.ASCII_SPACES: a string of these only is folded to one blank
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_ROOT = "[document]"


class Node:
    """An element: its name, and its children (a ``Node``, or a string as (text, class))."""

    __slots__ = ("contents", "is_empty_element", "name")

    def __init__(self, name: str, is_empty_element: bool = False) -> None:
        self.name = name
        self.contents: list[Node | tuple[str, type]] = []
        self.is_empty_element = is_empty_element


class _Builder:
    """The part of ``BeautifulSoup`` that ``BeautifulSoupHTMLParser`` calls, building Nodes."""

    def __init__(self, builder: Any, navigable: type) -> None:
        self.builder = builder
        self.contains_replacement_characters = False
        self._navigable = navigable
        self._empty = builder.empty_element_tags
        self._preserve = builder.preserve_whitespace_tags
        self._containers = builder.string_containers
        self.root = Node(_ROOT)
        self._stack = [self.root]
        self._open: dict[str, int] = {}
        self._preserving: list[Node] = []
        self._containing: list[Node] = []
        self._data: list[str] = []

    def handle_starttag(self, name: str, *_args: Any, **_kwargs: Any) -> Node:
        self.endData()
        node = Node(name, self._empty is None or name in self._empty)
        self._stack[-1].contents.append(node)
        self._stack.append(node)
        self._open[name] = self._open.get(name, 0) + 1
        if name in self._preserve:
            self._preserving.append(node)
        if name in self._containers:
            self._containing.append(node)
        return node

    def handle_endtag(self, name: str, _nsprefix: str | None = None) -> None:
        self.endData()
        if name == _ROOT:
            return
        for _ in range(len(self._stack) - 1):
            if not self._open.get(name):
                break
            if self._pop().name == name:
                break

    def _pop(self) -> Node:
        node = self._stack.pop()
        if node.name in self._open:
            self._open[node.name] -= 1
        if self._preserving and node is self._preserving[-1]:
            self._preserving.pop()
        if self._containing and node is self._containing[-1]:
            self._containing.pop()
        return node

    def handle_data(self, data: str) -> None:
        self._data.append(data)

    def endData(self, container: type | None = None) -> None:
        if not self._data:
            return
        text = "".join(self._data)
        self._data = []
        if not self._preserving and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        kind = container or self._navigable
        if self._containing and kind is self._navigable:
            kind = self._containers.get(self._containing[-1].name, kind)
        self._stack[-1].contents.append((text, kind))

    def close(self) -> Node:
        self.endData()
        while len(self._stack) > 1:
            self._pop()
        return self.root


@cache
def _parts() -> tuple[Any, Any, type, type]:
    """BeautifulSoup's html.parser listener, its tree builder's settings, NavigableString and
    the error BeautifulSoup raises for markup html.parser gives up on."""
    from bs4 import NavigableString, ParserRejectedMarkup
    from bs4.builder import HTMLParserTreeBuilder
    from bs4.builder._htmlparser import BeautifulSoupHTMLParser

    return BeautifulSoupHTMLParser, HTMLParserTreeBuilder(), NavigableString, ParserRejectedMarkup


def parse(markup: str) -> Node:
    """The document node of ``markup``'s tree, as BeautifulSoup(markup, "html.parser") has it."""
    listener_class, builder, navigable, rejected = _parts()
    soup = _Builder(builder, navigable)
    args, kwargs = builder.parser_args
    listener = listener_class(soup, *args, **kwargs)
    try:
        listener.feed(markup)
        listener.close()
    except AssertionError as error:  # html.parser's way to give up, as BeautifulSoup says it
        raise rejected(error) from error
    return soup.close()
