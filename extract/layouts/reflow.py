"""Cut run-together pages into lines: the one Python hook of the pdf-paragraphs profile.

Some PDF text layers and third-party transcripts print a whole page as one paragraph. No
header shape can be found in it, since every shape is a line.  ``reflow`` puts a line break
where a line of the printed page must have begun: before an item header that follows the end
of a sentence, before a case or document label, around a section name that stands before
capitalised text, and before an absence or meeting-header label.  Only a blank becomes a
newline, so every character keeps its offset and spans still point into the original text.
"""

from __future__ import annotations

import regex as re

# Lines shorter than this are left alone: a normal line is no run-together page.
LONG_LINE = 300

# ". 3. Ekstra anlæg", ": Punkt 4: Budget": an item header after a sentence's end
ITEM_AFTER_SENTENCE = re.compile(
    r"(?<=[.!?:)\]]|\d{4})(?P<blank>\s)(?=(?:Punkt\s+\d{1,6}\s*:|(?:Pkt\.|Sag nr\.)\s*\d{1,6}\s"
    r"|\d{1,4}\.\s+\p{Lu}\p{Ll}))"
)
# " Punkt 2 Tilskud til …", " Pkt. 3 Vejplan": a labelled item header without a colon, which
# a transcript runs on from the header fields or the last decision without a sentence's end
LABELLED_ITEM_INSIDE = re.compile(
    r"(?P<blank>\s)(?=(?:Punkt|Pkt\.?|Sag\s+nr\.)\s*\d{1,6}\s*[:.]?\s+\p{Lu}\p{Ll})"
)
# " Referat Kultur- og Fritidsudvalget", " Dagsorden for Byrådet": the document's kind before
# the committee's name (a heading the paragraph ran on from the letterhead)
KIND_INSIDE = re.compile(
    r"(?P<blank>\s)(?=(?:Referat|Dagsorden|Beslutningsprotokol)\s+(?:(?:fra|for|af|til)\s+)?"
    r"(?:mødet?\s+i\s+)?\p{Lu})"
)
# " Sagsnr.: 15/1234", " J.nr. 24/45", " Dok.nr.: 330-2019-1": a label inside a paragraph
LABEL_INSIDE = re.compile(
    r"(?P<blank>\s)(?=(?:Sagsnr|Sags\s?nr|Sagsnummer|J\.\s?nr|Journalnr|Sags\s?id|Dok\.\s?nr"
    r"|Dokumentnr)\.?\s*:?\s*[A-ZÆØÅ]{0,6}-?\d)",
    re.I,
)
# the blank after a case label's value: "Sagsnr.: 15/1234 Resume" → a break before "Resume"
AFTER_LABEL_VALUE = re.compile(
    r"(?:Sagsnr|Sagsnummer|J\.\s?nr|Journalnr|Sags\s?id|Dok\.\s?nr)\.?\s*:?\s*"
    r"[A-ZÆØÅ]{0,6}-?\d[\w./-]*\d(?P<blank>\s)(?=\p{Lu})",
    re.I,
)
# " Sagsfremstilling Kommunen har …", " Beslutning i Byrådet den 2. maj 2024: Godkendt."
SECTION_INSIDE = re.compile(
    r"(?P<blank>\s)(?P<name>Resum[eé]|Sagsfremstilling|Sagsbeskrivelse|Indstilling|Beslutningstema"
    r"|Beslutning(?:\s+i\s+[^:.]{3,120}?\s+den\s+[^:]{5,40}?:)?|Økonomi|Bilag|Baggrund"
    r"|Lovgrundlag|Retsgrundlag|Historik|Vurdering)(?P<after>:?\s)(?=\p{Lu}|\d)"
)
# " Fraværende: Ole Bak", " Afbud: Ida Holm": an absence label inside a paragraph
ABSENCE_INSIDE = re.compile(r"(?P<blank>\s)(?=(?:Fraværende|Afbud)\s*:)")
# " Dato: …", " Start kl.: 19:00", " Sted: …": a meeting-header label inside a paragraph; the
# labels no sentence uses also without a colon (" Mødedato 3. april 2024", " Mødested Rådhuset")
MEETING_LABEL_INSIDE = re.compile(
    r"(?P<blank>\s)(?=(?:Mødedato|Dato|Mødested|Sted|Mødelokale|Tidspunkt|Mødetidspunkt"
    r"|Start\s+kl\.?|Slut\s+kl\.?|Medlemmer|Deltagere|Udvalg)\s*:"
    r"|(?:Mødedato|Mødested|Mødelokale|Mødetidspunkt)\s+(?=\p{Lu}|\d))"
)


def _breaks(line: str, offset: int, out: list[int]) -> None:
    patterns = (
        ITEM_AFTER_SENTENCE,
        LABELLED_ITEM_INSIDE,
        KIND_INSIDE,
        LABEL_INSIDE,
        AFTER_LABEL_VALUE,
        ABSENCE_INSIDE,
        MEETING_LABEL_INSIDE,
    )
    for pattern in patterns:
        out.extend(offset + m.start("blank") for m in pattern.finditer(line))
    for m in SECTION_INSIDE.finditer(line):
        out.append(offset + m.start("blank"))
        after = m.start("after") + (1 if m["after"].startswith(":") else 0)
        out.append(offset + after)


def reflow(text: str) -> str:
    """``text`` with line breaks put where run-together pages hid them (same length)."""
    breaks: list[int] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) >= LONG_LINE:
            _breaks(line, pos, breaks)
        pos += len(line) + 1
    if not breaks:
        return text
    chars = list(text)
    for at in breaks:
        if chars[at].isspace():
            chars[at] = "\n"
    return "".join(chars)
