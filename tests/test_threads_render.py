"""`threads` prints whole values: piped, each case, title and path is printed whole; on a
terminal they wrap under their indent instead of being cut with "…" (issue 18.3: a title cut
to the terminal's width hides what the thread is about)."""

from __future__ import annotations

from kommunegraf.graph.analysis.threads import ThreadRow, render_threads

ROW = ThreadRow(
    iri="https://w3id.org/kommunegraf/id/greve/traad/1",
    label="Faglig og økonomisk handleplan på Pædagogisk Psykologisk Rådgivnings område 2023",
    municipality="Ringkøbing-Skjern Kommune",
    items=27,
    meetings=21,
    first="2022-08-16",
    last="2023-01-16",
    committees=[],
    cases=["22-000027", "22-000028", "22-013129", "23-004411", "23-009876"],
    path=[
        "Skole-, Børne- og Ungeudvalget",
        "Økonomiudvalget",
        "Byrådet",
        "Økonomiudvalget",
        "Byrådet",
    ],
)
WORDS = [*ROW.label.split(), *ROW.cases, "Ringkøbing-Skjern", "Skole-,", "Ungeudvalget"]


def test_piped_every_value_is_whole() -> None:
    text = render_threads([ROW], width=None)
    assert "…" not in text
    assert ROW.label in text
    assert " → ".join(ROW.path) in text
    assert ", ".join(ROW.cases) in text


def test_on_a_terminal_values_wrap_and_are_not_cut() -> None:
    for width in (80, 100):
        text = render_threads([ROW], width=width)
        assert "…" not in text
        assert all(len(line) <= width for line in text.splitlines()[2:]), text
        words = " ".join(text.split())
        for word in WORDS:
            assert word.rstrip(",") in words, word
