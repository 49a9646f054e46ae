"""Named patterns of the organisation finders, each run at a known position (see the
finders' modules); every one has an example beside it and a case in tests/test_organisations.py.
"""

from __future__ import annotations

import regex as re

# --- patterns, each run at a known position --------------------------------------------------

# A capitalised word of a unit's name: "Arbejdsmarked", "Børn" (not "CAM")
_CAP = r"\p{Lu}\p{Ll}\p{L}*"
# One conjunct after "Center for": "Arbejdsmarked", "Tværgående funktioner" (not "Center")
_CONJUNCT = (
    r"(?!(?:Center|Centret|Team|Styrelsen|Afdeling|Afdelingen)\b)"
    rf"(?:\p{{Lu}}\p{{Ll}}+(?:ende|isk|ske|ige|ede)[ ]\p{{Ll}}{{3,}}er\b|{_CAP})"
)
# "Center for Arbejdsmarked og Integration", "… for Børn & Unge", "… for Sundhed, Kultur og
# Omsorg" (matched where a head word such as "Center" is followed by " for ")
FOR_NAME = re.compile(
    rf"\p{{Lu}}\p{{L}}+[ ]+for[ ]+(?:{_CONJUNCT}(?:[ ]*,[ ]*{_CONJUNCT})*[ ]+(?:og|&)[ ]+"
    rf"{_CONJUNCT}|{_CONJUNCT}(?:[ ]+(?:og|&)[ ]+{_CONJUNCT})?)"
)
# "Team Kontanthjælp", "Team Vest Sjælland" (at "Team")
TEAM_NAME = re.compile(rf"Team[ ]+{_CAP}(?:[ ]+{_CAP})?")
# "Region Sjælland" (at "Region")
REGION_NAME = re.compile(rf"Region[ ]+{_CAP}(?![\p{{L}}-])")
# Coordinated words ending right before a name's last word: "Kultur- og ", "Social-, Ældre- og "
COORDINATION_BEFORE = re.compile(
    r"(?<![\p{L}-])(?:\p{L}+-[ ]*,[ ]*)*\p{L}+-[ ]*(?:og|eller|&)[ ]*\n?[ ]*$"
)
# A bare word coordinated before a committee: "børn og " in "børn og skoleudvalget"
BARE_COORDINATION_BEFORE = re.compile(r"(?<![\p{L}-])(?P<word>\p{L}{3,})[ ]+og[ ]+$")
# A noun that introduces a name, ending right before it: "firmaet ", "uddannelsesinstitutionen "
INTRODUCING_NOUN = re.compile(
    r"\p{Ll}*(?:firmaet|firma|virksomheden|selskabet|fonden|fond|foreningen|organisationen"
    r"|organisationer|institutionen|afdelingen|afdeling|leverandøren|konsulenthuset)"
)
# A collaboration's list of partners (at "samarbejd…"): "samarbejde med X og Y"
COLLABORATION = re.compile(r"[Ss]amarbejd\p{Ll}*[ ]+(?:med|mellem)[ ]+(?P<list>[^.;:\n()]{2,120})")
# Separators in a list of names: ", ", " og ", " samt "
LIST_SEPARATOR = re.compile(r"[ ]*,[ ]*|[ ]+og[ ]+|[ ]+samt[ ]+")
# What the text calls the name before it (at " er en ", " var et "): "… er en genbrugsbutik"
COPULA_NOUN = re.compile(
    r"[ ](?:er|var)[ ]+(?:en|et)[ ]+(?:\p{Ll}+[ ]+){0,2}?\p{Ll}*(?:virksomhed|butik|forening"
    r"|organisation|institution|selskab|firma|fond|leverandør|fusion|forbund)(?!\p{L})"
)
# Between a name and " er en …": a bracket, ", der (også)", ", som"
COPULA_GAP = re.compile(r"(?:[ ]*\([^()\n]{1,80}\))?,?(?:[ ]+(?:der|som))?(?:[ ]+også)?$")
# A lower-case word: "beskæftigelsesråd"
LOWER_WORD = re.compile(r"\p{Ll}+(?!\p{L})")
# Brackets: "(CAM)", "(Center for Beskæftigelse og Rehabilitering)"
BRACKETED = re.compile(r"\([ ]*(?P<inner>[^()\n]{2,80}?)[ ]*\)")
# A bare abbreviation: "CAM", "G4S"
BARE_ABBREVIATION = re.compile(r"\p{Lu}[\p{Lu}\d]{1,6}")
# "…, herefter CAM", "…, UNHCR," : another name for what precedes (at the name's end)
APPOSITIVE_ABBREVIATION = re.compile(
    r"[ ]*,[ ]*(?:herefter[ ]+(?:kaldet[ ]+)?)?(?P<abbr>\p{Lu}[\p{Lu}\d]{1,6})(?=[ ]*[,.)])"
)
# A capital right after a small letter: "PwC", "MySupport" (not "KL's", "CV'er")
MIXED_CASE = re.compile(r"\p{Ll}\p{Lu}")
# A comma or a dash after a word, right before a party's name: "Ib Holm, " (Venstre)
PARTY_AFTER_NAME = re.compile(r"\p{L}[,–-][ ]?$")
# After a word in capitals that labels a numbered part: " 1.", " 2 -", ":" (in "BILAG 1. …")
NUMBERED_LABEL_AFTER = re.compile(r"[ ]*(?::|\d{1,3}\b)")
# Roman numerals are no abbreviations: "II", "XIV"
ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")
