"""The patterns and word lists of the law-citation finder (extract/entities/laws.py).

Every regular expression here has a name and an example in the comment above it, and
tests/test_laws.py tests each; the finder's logic lives in laws.py.  The titles and
abbreviations the table knows (extract/data/laws.toml) are compiled into KNOWN_TITLE and
NAME_BEFORE_PARAGRAPH once, at import.
"""

from __future__ import annotations

import regex as re

from kommunegraf.extract.entities import lawbook


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readable word lists."""
    return frozenset(words.split())


_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
# "7. maj 2019", "2/2-2021", "15/06/2020", "1.7.2019": the date of a numbered document
_DATE = (
    rf"\d{{1,2}}\.[ \t]*(?:{_MONTHS})[ \t]+\d{{4}}"
    r"|\d{1,2}/\d{1,2}[-/][ \t]?\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}-\d{1,2}-\d{4}"
)
# "Lov nr. 548 af 7. maj 2019", "Bek. nr. 77 af 2/2-2021", "vejledning nr 9876",
# "LBK nr. 1287 af 28/08/2020", "cirkulære nr. 9 af 1. februar 2019"
NUMBERED_DOCUMENT = re.compile(
    r"(?i)(?<![\p{L}\p{N}])(?P<head>lovbekendtgørelse|lov|lbk|bekendtgørelse|bek|vejledning|(?-i:VEJ)"
    r"|cirkulære)\.?[ \t]+nr\.?[ \t]*(?P<number>\d{1,6})(?![\p{N}])"
    rf"(?:[ \t]+af[ \t]+(?P<date>{_DATE}))?"
)
# " om ": a numbered document's title follows ("Lov nr. 548 af … om en aktiv …")
LAW_ABOUT = re.compile(r"[ \t]+om[ \t]+")
# "lov om aktiv socialpolitik", "Lov om ændring af lov om …": a law by its title
LAW_TITLE_HEAD = re.compile(r"(?i)(?<![\p{L}\p{N}])lov[ \t]+om[ \t]+")
# "bekendtgørelse om …", "bekendtgørelser om …": an executive order by its title
ORDER_TITLE_HEAD = re.compile(r"(?i)(?<![\p{L}\p{N}])bekendtgørelse(?:rne|r|n)?[ \t]+om[ \t]+")
# "Vejledning om …" opening a line, "jf. vejledningen om …": a guidance by its title
GUIDANCE_TITLE_HEAD = re.compile(
    r"(?m)(?:^[ \t]*(?:[-•][ \t]*)?Vejledning(?:en)?|(?i:jf\.)[ \t]+[Vv]ejledning(?:en)?)"
    r"[ \t]+om[ \t]+"
)
# "…loven", "…lovens", "…lov", "…lovs": the end of a law's one-word name ("servicelovens")
LAW_WORD_END = re.compile(r"(?i)lov(?:ens|en|s)?(?![\p{L}\p{N}])")
# "…bekendtgørelsen", "…bekendtgørelsens": the end of an executive order's one-word name
# ("affaldsbekendtgørelsens"); definite only, as such names are cited
ORDER_WORD_END = re.compile(r"(?i)bekendtgørelsen(?:s)?(?![\p{L}\p{N}])")
# " (serviceloven)", " (herefter serviceloven)", " (serviceloven, SEL)",
# " (affaldsbekendtgørelsen)", " (plejevejledningen)": a law's one-word name after its title
# or number
NAME_AFTER_TITLE = re.compile(
    r"[ \t]*\([ \t]*(?:(?:herefter|i[ \t]+det[ \t]+følgende)[ \t]+)?"
    r"(?P<name>[\p{L}][\p{L}-]*(?:loven|bekendtgørelsen|vejledningen))"
    r"(?:[ \t]*,[ \t]*(?-i:[A-ZÆØÅ]{2,8}))?[ \t]*\)",
    re.IGNORECASE,
)
# "2018", "for 2019": the year that belongs to the name ("finanslov 2021", "finansloven for 2022")
NAME_YEAR = re.compile(r"[ \t]+(?:for[ \t]+)?(?:19|20)\d\d(?![\p{N}-])")
# "reglen", "reglerne", "regel": the end of a named rule
RULE_WORD_END = re.compile(r"reg(?:l(?:erne|en)|el(?:en)?)(?![\p{L}])")
# "225-timersreglen", "225 timers-reglen", "225-timers reglen", "225timersregel", "9-måneders…"
NUMBERED_RULE = re.compile(
    r"(?i)(?<![\p{L}\p{N}])(?P<n>\d{1,4})\s*-?\s*(?P<unit>timer|måneder|uger|dage|år)s?"
    r"\s*-?\s*(?:reglerne|reglen|regelen|regel)(?![\p{L}])"
)
# "jf. ", "i henhold til ", "ifølge ": what cites a named set of rules (jf. tilskudsreglerne)
RULE_CUE_BEFORE = re.compile(
    r"(?i)(?<![\p{L}])(?:jf\.|jævnfør|i[ \t]+henhold[ \t]+til|iht\.|ifølge)[ \t]+$"
)
_RULING_ID = r"(?:[A-ZÆØÅ]-)?\d{1,4}-\d{2,4}(?![\p{N}])"
# "principafgørelse 44-18", "principmeddelelse 12-19", "principafgørelserne 44-18 og 45-18",
# "principafgørelse nr. C-3-05"
RULING = re.compile(
    r"(?i)(?<![\p{L}\p{N}])(?P<word>principafgørelse|principmeddelelse)(?:rne|r|n)?"
    rf"[ \t]+(?:nr\.?[ \t]*)?(?P<ids>{_RULING_ID}(?:[ \t]*(?:,|og)[ \t]*{_RULING_ID})*)"
)
# "Ankestyrelsens ", "Bilag_Ankestyrelsens ": the body that issued a ruling, just before it
RULING_ISSUER_BEFORE = re.compile(r"(?<![\p{L}])(?P<issuer>Ankestyrelsens?)[ \t]+$")
# "44-18", "C-3-05": one ruling's number within a list
RULING_ID = re.compile(_RULING_ID)

# Provisions.  "13f", "13 f", "2" (a lone " i" is the preposition, not a lettered section)
_NUM = r"\d+(?:[a-zæøå]|[ \t][a-hj-zæøå])?(?![\p{L}\p{N}])"
_SUBSECTIONS = (
    r"(?:,?[ \t]*stk\.[ \t]*\d+(?:[ \t]*[-–][ \t]*\d+)?(?:[ \t]*(?:,|og)[ \t]*\d+(?![\p{N}.]))*)?"
    r"(?:,?[ \t]*nr\.[ \t]*\d+)?(?:,?[ \t]*litra[ \t]+[a-zæøå](?![\p{L}]))?"
    r"(?:,?[ \t]*\d\.[ \t]*pkt\.)?"
)
# "§ 15.71.03.10": a paragraph of the Finance Act, numbered by its accounts (before _NUM, which
# would stop at "15")
_ACCOUNT_PARAGRAPH = r"§[ \t]*\d{1,2}(?:\.\d\d){2,4}(?![\p{N}])"
_PROVISION = (
    rf"(?:{_ACCOUNT_PARAGRAPH}|§§[ \t]*{_NUM}(?:[ \t]*(?:[-–]|,|og)[ \t]*{_NUM})*"
    rf"|§[ \t]*{_NUM}(?:[ \t]*[-–][ \t]*{_NUM})?{_SUBSECTIONS}"
    rf"|(?:kap\.|kapitel|kapitlerne)[ \t]*{_NUM}(?:[ \t]*(?:[-–]|,|og)[ \t]*{_NUM})*)"
)
# Blanks with at most one line break: a wrapped line, not a new paragraph ("\n§ 85");
# _GAP is the same, but never empty.  A list of provisions never wraps: "§ 32 og\n§ 4 i
# dagtilbudsloven" and "§ 85\nOg § 3 i vedtægten" would join another law's provisions.
WRAP = r"[ \t]*(?:\n[ \t]*)?"
_GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
_PROVISION_LIST = (
    rf"{_PROVISION}(?:[ \t]*(?:,[ \t]*og|,[ \t]*samt|,|og|samt|eller)[ \t]*{_PROVISION})*"
)
# "§ 27a", "§ 9, stk. 3", "§ 3, nr. 2", "§ 10, litra a", "§§ 2-4", "kap. 6", "kapitel 3-5"
PROVISION = re.compile(r"(?i)" + _PROVISION)
# "§ 41, § 42 og kapitel 16": a list of provisions
PROVISION_LIST = re.compile(r"(?i)" + _PROVISION_LIST)
# ", § 4", " (§ 9, stk. 3)", " kap. 6", "\n§ 85": provisions printed right after a law's
# name, on its line or wrapped to the next
PROVISIONS_AFTER_NAME = re.compile(
    rf"(?i)(?P<lead>[ \t]*,{WRAP}|{WRAP}\({WRAP}|{WRAP})(?P<list>" + _PROVISION_LIST + r")"
    r"(?P<close>[ \t]*\))?"
)
# "§ 52 i ", "§§ 3 og 4 efter ", "§ 52 i\n": provisions printed before the law they belong to
PROVISIONS_BEFORE_NAME = re.compile(
    r"(?i)(?P<list>" + _PROVISION_LIST + r")"
    # a capital after a line break starts a sentence: "§ 18\nI serviceloven er …"
    r"(?:[ \t]+(?:i|efter|ifølge)|[ \t]*\n[ \t]*(?-i:i|efter|ifølge))"
    rf"(?:{_GAP}den)?{_GAP}\Z"
)
# "\n", ".\n", " om", ", kan": what may follow provisions wrapped to the line after a law's
# name for them to be that law's: the line ends there, or the sentence goes on in lower case
# with a word that does not hand them on ("§ 3 i aftalen", "§ 5 og 6 i", "§ 3 jf. aftalen");
# a heading ("§ 1 Formål", "§ 1. Formål"), a compound ("§ 12-udvalget") or "(i …)" does not
WRAPPED_PROVISIONS_END = re.compile(
    r"[ \t]*[.;:)]?[ \t]*(?:\n|\Z)"
    r"|,?[ \t]+(?!(?:i|efter|ifølge|jf|og|eller|samt)(?![\p{L}\p{N}]))\p{Ll}"
)
# "(LAB)", "(IGU)": an abbreviation printed after a law's title
ABBREVIATION_AFTER_NAME = re.compile(r"[ \t]*\([A-ZÆØÅ]{2,8}\)")
# " (Børn og unge)": a parenthesis closing a citation (kept in its text)
PARENTHESIS_AFTER = re.compile(r"[ \t]*\((?![ \t]*§)[^()\n§]{1,60}\)")
# ' – "bekendtgørelsen om …"': the quoted title of a numbered document
QUOTED_TITLE_AFTER = re.compile(r"\s*(?:[-–][ \t]*)?[„\"»”“][^„\"»”“«]{1,400}[“\"«”]")
# "stk. 2 og 3": a list of subsections to split into one provision each
SUBSECTION_LIST = re.compile(
    r"(?i)^(?P<head>.*?stk\.[ \t]*)(?P<nums>\d+(?:[ \t]*(?:,|og)[ \t]*\d+)+)(?P<tail>.*)$"
)
# "kapitel 3 og 4", "kapitlerne 2, 5 og 7": a list of chapters to split (not a range "10-12")
CHAPTER_LIST = re.compile(
    r"(?i)^(?P<word>kap\.|kapitel|kapitlerne)[ \t]*\d+[a-zæøå]?(?:[ \t]*[-–][ \t]*\d+)?"
    r"(?:[ \t]*(?:,|og)[ \t]*\d+)+"
)
# ", ", " og ": what separates the numbers of a list ("2, 5 og 7"; not the range "2-4")
LIST_SEPARATOR = re.compile(r"[ \t]*,[ \t]*|[ \t]+og[ \t]+")
# "§§ 2 og 3", "§§ 2, 5 og 7-9": numbers of a paragraph list to split
PARAGRAPH_NUMBER = re.compile(r"(?i)\d+(?:[ \t]*[-–][ \t]*\d+)?(?:[a-zæøå](?![\p{L}]))?")

# Words of a title: abbreviations kept whole, a trailing date, words, a lone punctuation mark
TITLE_TOKEN = re.compile(
    r"[ \t]*(?:(?P<abbr>m\.v\.|mv\.|m\.m\.|m\.fl\.|mfl\.)(?![\p{L}])"
    rf"|(?P<date>af[ \t]+(?:{_DATE}))(?![\p{{N}}])"
    r"|(?P<word>[\p{L}\p{N}][\p{L}\p{N}'’]*(?:-[\p{L}\p{N}]+)*-?)"
    r"|(?P<other>\S))"
)
# Words that end a title: a clause goes on (relative pronouns, auxiliaries, conjunctions)
TITLE_STOP = _wordset(
    "der som hvor hvis når men mens fordi at er var blev bliver skal kan vil har havde må bør "
    "kunne skulle ville også ikke jf via hvorefter hvilket kap kapitel stk nr"
)
# Words that cannot close a title ("lov om aktiv social politik eller" → "… politik")
TITLE_TRAIL = _wordset(
    "og eller samt af i til for om med på ved fra en et den det de under over mellem"
)
# Words before a "-lov" that make it an unnamed, future or generic law ("en forenklet …lov")
INDEFINITE_BEFORE = _wordset(
    "en et ny nye forenklet forenklede kommende ændret ændrede anden andre ingen sådan hver "
    "enhver egen samlet"
)
# First parts of "-reglen" words that name no particular rule ("hovedreglen", "særreglerne")
GENERIC_RULES = (
    "hoved", "grund", "sær", "special", "general", "almindelig", "spille", "tommelfinger",
    "undtagelses", "kerne", "standard",
)  # fmt: skip
# One-word names ending in "lov" that are no law
NOT_LAWS = frozenset({"janteloven", "jantelov", "naturloven", "naturlov"})
# Compounds of "bekendtgørelsen"/"loven" that say what a law does, not which it is: "the
# amending order", "the commencement order", "the order in hearing" ("lovbekendtgørelsen",
# the consolidated act, is an order's kind only).
NOT_NAMES = frozenset(
    {"ændrings", "ikrafttrædelses", "bemyndigelses", "hjemmels", "tillægs", "ophævelses"}
    | {"hørings", "sær", "anlægs"}  # "særloven", "anlægsloven": a special/construction act
)
NOT_ORDER_NAMES = NOT_NAMES | {"lov"}

# What may open a provision ("§", "kap."; "K" is the Kelvin sign, a "k" ignoring case)
PROVISION_OPENERS = frozenset("§kK\u212a")
# Characters after "lov" that continue another word ("lovgivning"): no "-lov" name ends there
NOT_LAW_END_AFTER_LOV = frozenset(
    "abcdfghijklmnopqrtuvwxyzæøåABCDFGHIJKLMNOPQRTUVWXYZÆØÅ0123456789"
)
BLANKS = (" ", "\t")
# What may stand between a name and its provisions (PROVISIONS_AFTER_NAME's lead)
PROVISION_LEADS = frozenset(" \t,(\n")
# What may stand right before a name that provisions precede (PROVISIONS_BEFORE_NAME's end)
GAP_ENDS = frozenset(" \t\n")

KIND_BY_HEAD = {
    "lov": "act",
    "lovbekendtgørelse": "act",
    "lbk": "act",
    "bek": "executive_order",
    "bekendtgørelse": "executive_order",
    "vej": "guidance",
    "vejledning": "guidance",
    "cirkulære": "guidance",
}


def _alternation(names: tuple[str, ...]) -> str:
    parts = []
    for name in names:  # longest first, so the alternation prefers the longest title
        words = [re.escape(w) for w in name.replace("m.v.", "mv.").split()]
        parts.append(r"[ \t]+".join(words).replace(r"mv\.", r"m\.?v\.?"))
    return "|".join(parts)


# "aktiv socialpolitik", "organisering og understøttelse af beskæftigelsesindsatsen m.v.":
# a title the table knows, right after "lov om"
KNOWN_TITLE = re.compile(
    r"(?i)(?:"
    + _alternation(tuple(t.removeprefix("lov om ") for t in lawbook.known_titles()))
    + r")(?:[ \t]+m\.?v\.?)?(?![\p{L}\p{N}])"
)
# "aktiv socialpolitik ", "SEL ": a title without "lov om" or an abbreviation, right before "§"
NAME_BEFORE_PARAGRAPH = re.compile(
    r"(?<![\p{L}\p{N}])(?:(?P<abbr>"
    + "|".join(lawbook.abbreviations())
    + r")|(?i:(?P<title>"
    + _alternation(lawbook.elliptic_titles())
    + r")))[ \t]*,?[ \t]*$"
)
