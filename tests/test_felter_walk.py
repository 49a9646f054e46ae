"""blocks_of reads the item in one walk over a light tree, not by editing BeautifulSoup's tree.

Issue 21.3: editing the tree node by node (breaks inserted around every block, folded strings
replaced, headings cleared) cost more than parsing it, and building BeautifulSoup's tree cost
most of the rest.  The walk over ``felter_tree``'s tree must read exactly what the edited
BeautifulSoup tree's ``get_text`` read; ``_edited_text`` below is that former reading, kept
here as the oracle, and the invented snippets (OPDIGTET: no real minutes) hold its corner
cases: unclosed and stray tags, void elements, blank strings, pre, comments, CDATA, ruby.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Comment, Tag

from kommunegraf.extract import firstagenda_felter as felter
from kommunegraf.extract.felter_tree import parse
from kommunegraf.extract.text.fold import fold_space


def _edited_text(markup: str) -> str:
    """The text of the tree after the edits blocks_of made before issue 21.3 (the oracle)."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(("script", "style", "img", "svg")):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for string in soup.find_all(string=felter._BREAK_IN_TEXT.search):
        string.replace_with(felter._SPACE.sub(" ", str(string)))
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.parent is None:
            continue
        if tag.name == "br":
            tag.replace_with("\n")
        elif tag.name in ("td", "th"):
            tag.insert_after("\t")
        elif tag.name in felter._HEADING_TAGS and tag.find_parent("table") is None:
            text = fold_space(tag.get_text(" "))
            heading = felter._heading_text(text)
            tag.clear()
            tag.append(f"\n{felter._HEADING_MARK}{heading}\n" if heading else f"\n{text}\n")
        elif tag.name in felter._BLOCK_TAGS or (
            tag.name == "u" and felter.HISTORY_ENTRY.match(fold_space(tag.get_text(" ")))
        ):
            tag.insert_before("\n")
            tag.insert_after("\n")
    return soup.get_text("")


SNIPPETS = [
    "<h2>Resume</h2><p>Opdigtet tekst<br>over to linjer.</p>",
    "<p>Før<!-- en kommentar\nmed linjeskift -->efter</p><script>var x = 1;</script>",
    "<div><h3>Sagens <b>forløb</b></h3><u>16-08-2031 Opdigtet Udvalg</u><p>Godkendt.</p></div>",
    "<table><tr><th><h4>2031</h4></th><td>5\u00a0mio.</td><td><br></td></tr></table>",
    "<h2><span>Beslutning<br></span> i udvalget</h2><p>Tiltrådt af Opdigtet Person (X).</p>",
    "<p>Lang\r\n  ombrudt\ttekst   med\u00a0\u00a0hårde mellemrum</p><p>&nbsp;&nbsp; &nbsp;</p>",
    "<h4>Administrationen indstiller, at sagen tages til efterretning.</h4><ol><li>a</li></ol>",
    "<p><u>Ikke en dato</u> og <u>01-02-2031 - Opdigtet Råd</u></p><img src='x'><svg>t</svg>",
    "<div><p>ulukket <p>indlejret<div>dybt</div></div>tekst efter<pre> a\n b </pre>",
    "<h2></h2><h3>   </h3><h1>Tal: 2031</h1><blockquote>citat</blockquote><dd>d</dd>",
    "<!DOCTYPE html><html><body><p>x</p><![CDATA[rå\ndata]]><ruby>a<rt>b</rt></ruby></body></html>",
    "<h2>Udvalg<h3>Indlejret overskrift</h3></h2><u><h2>Resume</h2></u><td>celle uden tabel</td>",
    "",
    "<p>a</b>b</p></div><p>  \n  </p><p> \t </p><pre>  \n  </pre><textarea>\n</textarea>x",
    "<P>Store <B>bogstaver</B></P><br/><hr>efter<input>felt</input><br></br>slut",
    "<p>&amp; &#150; &#x2013; &#0; &ukendt; &nbsp;&lt;tag&gt; &#xzz; &#12ab;</p>",
    "<table><tr><td>a<table><tr><td><h2>Indre</h2></td></tr></table></td></tr></table><h2>Ude</h2>",
    "<?php echo 1 ?><!ELEMENT x><style>p {}</style><template>skabelon\nlinje</template>",
]


@pytest.mark.parametrize("markup", SNIPPETS)
def test_the_walk_reads_what_the_edited_tree_read(markup: str) -> None:
    assert felter._flat_text(parse(markup)) == _edited_text(markup)


def test_blocks_of_builds_and_edits_no_beautifulsoup_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed-up itself: no Tag is made, and no node inserted, replaced or cleared."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("blocks_of built or edited BeautifulSoup's tree")

    for name in ("__init__", "insert_before", "insert_after", "replace_with", "clear"):
        monkeypatch.setattr(Tag, name, refuse)
    monkeypatch.setattr(Comment, "extract", refuse)
    blocks = felter.blocks_of(SNIPPETS[0] + SNIPPETS[2] + SNIPPETS[3])
    assert [b.heading for b in blocks][:2] == ["Resume", "Sagens forløb"]
    assert blocks[1].lines[:2] == ["16-08-2031 Opdigtet Udvalg", "Godkendt."]
