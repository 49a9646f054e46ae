"""The patterns and word lists of the project finder (extract/entities/projects.py).

Every regular expression has a name and an example in the comment above it and a test in
tests/test_projects.py; the cue words and stems come from extract/data/project_words.toml.
The finder's logic lives in projects.py.
"""

from __future__ import annotations

import re as std_re

import regex as re

from kommunegraf.extract.entities.mentions import CharClass
from kommunegraf.extract.tables import words

# Cue nouns that name a bounded initiative (lower case, with their definite forms)
_CUES = (
    r"projekt(?:et)?|pilotprojekt(?:et)?|tilbud(?:det)?|ordning(?:en)?|indsats(?:en)?|pulje(?:n)?"
    r"|strategi(?:en)?|initiativ(?:et)?|program(?:met)?|forsøg(?:et)?|kampagne(?:n)?|koncept(?:et)?"
)
# Endings of a compound that is itself the initiative ("…ordningen", "…pakken", "…planen")
_CUE_ENDINGS = (
    r"plan|planen|politik|politikken|strategi|strategien|ordning|ordningen|projekt|projektet"
    r"|pakke|pakken|program|programmet|pulje|puljen|initiativer|initiativet|model|modellen"
    r"|kampagne|kampagnen"
)
_CAP_WORD = r"\p{Lu}[\p{L}\p{N}'’]*(?:-\p{L}[\p{L}\p{N}]*)*"
# "Vejen Frem", "Sund Start", "Unge i Job": capitalised words, joined by a
# short connector only when the next word is capitalised too
_CAP_NAME = rf"{_CAP_WORD}(?:[ \t]+(?:(?:og|&|til|for|om|i)[ \t]+)?{_CAP_WORD})*"

# 'projektet "Sund By 2.0"', "»Go Digital«", "„Sund By“", "”Unge i Job”"
QUOTED = re.compile(r"[„\"»”“](?P<name>[^„\"»”“«\n]{2,120}?)[“\"«”]")
# "tilbuddet Vejen Frem", "Projektet Naboskab": a cue word, then a capitalised name
CUE_THEN_NAME = re.compile(rf"(?<![\p{{L}}])(?i:{_CUES})[ \t]+(?P<name>{_CAP_NAME})")
# "Sund Start ordning", "Grøn By projektet": two or more capitalised words, then a cue
NAME_THEN_CUE = re.compile(
    rf"(?<![\p{{L}}])(?P<name>{_CAP_WORD}(?:[ \t]+{_CAP_WORD})+[ \t]+(?:{_CUES}))(?![\p{{L}}])"
)
# "Kolding-modellen", "Kystbyen-projektet": a capitalised name glued to its cue word
HYPHENATED = re.compile(
    r"(?<![\p{L}\p{N}-])(?P<name>\p{Lu}[\p{L}\p{N}]+-(?:modellen|projektet|ordningen|puljen"
    r"|programmet|initiativet|strategien|metoden|indsatsen))(?![\p{L}])"
)
# "Klimaplan 2030", "Vækst- og Innovationspakken", "Roskilde Kommunes
# Klimastrategi": a capitalised compound ending in a cue word (+ its year, its owner)
CAPITALISED_COMPOUND = re.compile(
    r"(?<![\p{L}\p{N}-])(?P<name>(?:\p{Lu}\p{Ll}+-[ \t]+og[ \t]+)?\p{Lu}\p{Ll}{2,}"
    rf"(?:{_CUE_ENDINGS})(?:[ \t]+(?:19|20)\d\d(?:[ \t]*[-–/][ \t]*\d{{2,4}})?)?)"
    r"(?![\p{L}\p{N}])"
)
# ' Foreninger', ' "Sund By"': a name right after a compound, which is then only its cue word
NAME_FOLLOWS = re.compile(r"[ \t]+[„\"»”“]?\p{Lu}")
# " 1.87", " 12": a number that is no year after a compound ("Lokalplan 1.87")
NUMBER_FOLLOWS = re.compile(r"[ \t]+(?:nr\.[ \t]*)?\d")
# " (V)", " (SF)": a party letter after a list entry, which is then a person
PARTY_FOLLOWS = re.compile(r"[ \t]*\([A-ZÆØÅ]{1,2}\)")
# "Roskilde Kommunes ": the owner of a policy or plan, printed just before it
OWNER_BEFORE = re.compile(r"(?<![\p{L}])\p{Lu}[\p{L}-]+[ \t]+(?:Kommunes|Regions)[ \t]+$")
# "frivilligpuljen", "Ungeprojektet": a compound cue word (for the item's title)
TITLE_SUBJECT = re.compile(
    r"(?<![\p{L}])(?:om|af|for|på|med)[ \t]+(?P<name>\p{L}{3,}(?:ordningen|ordning|projektet"
    r"|programmet|puljen|modellen|forsøget|kampagnen))(?![\p{L}])"
)
# ", der er et tilbud", " - et tilbud til", " (UPV), der er et projekt": a name presented as an
# initiative right after it
PRESENTED_AS = re.compile(
    r"(?:[ \t]*\([A-ZÆØÅ]{2,6}\))?(?:,[ \t]*der[ \t]+er|[ \t]+[-–])[ \t]+(?:et|en)[ \t]+"
    rf"(?:{_CUES})(?![\p{{L}}])"
)
# ", som strategien kaldes", ", som projektet hedder": a name given just before it
NAMED_AS = re.compile(
    rf",[ \t]*som[ \t]+(?:{_CUES})[ \t]+(?:kaldes|hedder|er[ \t]+døbt)(?![\p{{L}}])"
)
# "projekt, kaldet Ny Start", "tilbuddet med navnet Sund By": an initiative's name given after
# it (a cue word must come first: "en plan, kaldet Familiens Plan" names a document)
CALLED = re.compile(
    rf"(?<![\p{{L}}])(?i:{_CUES})(?:[ \t]+\p{{Ll}}+){{0,3}},?[ \t]+"
    rf"(?:kaldet|med[ \t]+navnet|under[ \t]+navnet)[ \t]+(?P<name>{_CAP_NAME})"
)
# "sundheds- og omsorgsprogrammet (SOP)": a programme with its abbreviation
ABBREVIATED = re.compile(
    r"(?<![\p{L}])(?P<name>(?:\p{L}+-?[ \t]+og[ \t]+)?\p{L}+(?:programmet|projektet|ordningen"
    r"|puljen|initiativet|strategien|forsøget))[ \t]*\((?P<abbr>[A-ZÆØÅ]{2,6})\)"
)
# "Aftale om Grøn Omstilling": a political agreement by its title
AGREEMENT = re.compile(
    r"(?<![\p{L}])(?P<name>Aftale(?:n)?[ \t]+om[ \t]+\p{Lu}[\p{L}-]*"
    r"(?:[ \t]+(?:og[ \t]+|for[ \t]+|til[ \t]+)?\p{Lu}[\p{L}-]*)*)"
)
# "- Sund Mad. …", "3. Aktiv Fritid/…", "• Sund Start": a list entry opening with a
# title: up to five words, the first and the last capitalised
LIST_TITLE = re.compile(
    r"(?m)^[ \t]*(?:[-•*]|\d{1,2}\.)[ \t]+(?P<name>\p{Lu}[\p{L}'’-]*(?:[ \t]+[\p{L}'’-]+){1,4}?)"
    r"(?=[ \t]*(?:[.,:;(/]|[ \t]kr\.|[ \t]\d|$))"
)

# "A.P", "P.": an initial and its dot with a letter right after (a name that goes on)
ABBREVIATION_DOT = re.compile(r"(?<![\p{L}])\p{Lu}\.\p{L}")

# "\n- ", "\n2. ": the start of a list entry (the anchor for LIST_TITLE)
LIST_LINE_START = re.compile(r"\n[ \t]*(?:[-•*]|\d{1,2}\.)[ \t]+\p{Lu}")
# "\n- ", "\n2. ", "\nkr. ": where LIST_LINE_START may match (a wider class for its digits, in
# the standard re module, whose scan for the line break is faster)
LIST_LINE_OPENING = std_re.compile(r"\n[ \t]*(?:[-•*]|[^ \t\n.]{1,2}\.)[ \t]+")
# "(SOP)": an abbreviation in parentheses (the anchor for ABBREVIATED)
ACRONYM_IN_PARENTHESES = re.compile(r"\([A-ZÆØÅ]{2,6}\)")

# Fixed strings that every match of a rule contains; the rules' patterns are only tried near
# them, because a regex that opens with a character class scans text slowly.
CUE_STEMS = frozenset(
    ("projekt", "tilbud", "ordning", "indsats", "pulje", "strategi", "initiativ", "program",
     "forsøg", "kampagne", "koncept")
)  # fmt: skip
ENDING_STEMS = frozenset(
    ("plan", "politik", "strategi", "ordning", "projekt", "pakke", "program", "pulje",
     "initiativ", "model", "kampagne")
)  # fmt: skip
HYPHEN_STEMS = frozenset(
    ("model", "projekt", "ordning", "pulje", "program", "initiativ", "strategi", "metode",
     "indsats")
)  # fmt: skip
STEMS = tuple(sorted(CUE_STEMS | ENDING_STEMS | HYPHEN_STEMS))
QUOTE_NEEDLES = ("„", '"', "»", "”", "“")
# "Sund Start ": the word (and blanks) just before a position.  The cue words are many, so
# _cue_contexts walks back over the characters as this pattern would match, rather than
# searching it before each (a test holds the two to each other).
PREVIOUS_WORD = re.compile(r"(?<![\p{L}\p{N}'’-])[\p{L}\p{N}'’-]+[ \t]+$")
# "S", "7", "’", "-": a character of PREVIOUS_WORD's word
WORD_CHAR = re.compile(r"[\p{L}\p{N}'’-]")
# "é", "d": a letter (the rest of a cue word: "tilbud|det")
LETTER = re.compile(r"\p{L}")
WORD_CHARS = CharClass(WORD_CHAR)
LETTER_CHARS = CharClass(LETTER)
# Endings of TITLE_SUBJECT's name (its pre-check)
TITLE_SUBJECT_ENDINGS = (
    "ordning", "projektet", "programmet", "puljen", "modellen", "forsøget", "kampagnen"
)  # fmt: skip
# The endings of ABBREVIATED's name (a cheap test before the pattern is tried)
ABBREVIATED_ENDINGS = (
    "programmet", "projektet", "ordningen", "puljen", "initiativet", "strategien", "forsøget"
)  # fmt: skip
# Capitals that open ACRONYM_IN_PARENTHESES after its "("
ACRONYM_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ")
# "der er et ", "- en ": a presentation before a cue word (the pre-check for PRESENTED_AS)
PRESENTING = re.compile(r"(?:er|[-–])[ \t]+e[nt][ \t]+$")

# "Punkt 6: Drøftelse af …", "6. Drøftelse af …": the item's own header, on its first line
ITEM_HEADER = re.compile(r"\s*(?:Punkt[ \t]+)?\d{1,4}[.:][ \t]*(?P<title>[^\n]+)")
# What the first line opens with when it is the item's header (ITEM_HEADER's first line)
HEADER_OPENERS = frozenset("P0123456789")
# A word (for walking back over a name)
WORD = re.compile(r"\S+")
# Lower-case words that may join the capitalised words of a name ("Unge på Vej")
CONNECTORS = frozenset({"og", "&", "til", "for", "i", "på", "med", "af"})
# Word lists, as data (extract/data/project_words.toml): see the comments there
NOT_NAME_BEFORE = words("project_words", "not_name_before")
ORGANISATION_WORDS = words("project_words", "organisation_words")
NOT_NAME_OPENERS = words("project_words", "not_name_openers")
HEADING_WORDS = words("project_words", "heading_words")
# A name that is a law or a date is no project
LAW_OR_DATE = re.compile(
    r"(?i)(?:lov(?:en|ens)?|§)(?![\p{L}])|^(?:lov|bekendtgørelse|vejledning)[ \t]"
    r"|^(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)"
)
# A word of a list entry that is not part of a title ("Sund Mad" vs "Sundhed for ældre")
LOWER_WORD = re.compile(r"^\p{Ll}")
