"""Citations of legislation, rules and rulings in one agenda item's text.

A citation is found from its head, which is a fixed word wherever possible so that the scan is
fast: "lov om …", "Lov nr. 548 af …", "Bek. nr. 77 af …", "Vejledning nr. …", a word
ending in "-loven"/"-lovens"/"-lov", "…-reglen", "principafgørelse 44-18", and "§".  After
the head come, optionally, the provisions ("§ 41, § 42 og kapitel 16", "(§ 9, stk. 3)")
and, for documents, a quoted title ("Bek. … – "bekendtgørelsen om …"").

Each provision of a list is its own entry (kind + act + provision), all with the full
printed citation as ``text``.  ``act`` is the name as printed, in base form (a genitive
"Forvaltningslovens" gives "Forvaltningsloven"); a title printed without its "lov om"
("aktiv socialpolitik § 27 a") gets it back; a numbered rule is given in its standard spelling
("225 timers-reglen" → "225-timersreglen").  Entries are listed once per item, in order of
first appearance; two citations are the same when kind and provision agree and they name the
same law (same canonical law, same document number, or the same printed name).  A citation
printed inside another of the same kind (the law amended by an amending act, the
"bekendtgørelsen om …" quoted after a numbered executive order) is part of it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import regex as re

from kommunegraf.extract.entities import lawbook
from kommunegraf.extract.entities.law_instruments import find_instruments
from kommunegraf.extract.entities.mentions import (
    LATIN1_ALNUM,
    blank_before,
    lower,
    near,
    next_char,
    positions,
    skip_blanks,
)
from kommunegraf.extract.records import Law


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
_WRAP = r"[ \t]*(?:\n[ \t]*)?"
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
    rf"(?i)(?P<lead>[ \t]*,{_WRAP}|{_WRAP}\({_WRAP}|{_WRAP})(?P<list>" + _PROVISION_LIST + r")"
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
_TITLE_STOP = _wordset(
    "der som hvor hvis når men mens fordi at er var blev bliver skal kan vil har havde må bør "
    "kunne skulle ville også ikke jf via hvorefter hvilket kap kapitel stk nr"
)
# Words that cannot close a title ("lov om aktiv social politik eller" → "… politik")
_TITLE_TRAIL = _wordset(
    "og eller samt af i til for om med på ved fra en et den det de under over mellem"
)
# Words before a "-lov" that make it an unnamed, future or generic law ("en forenklet …lov")
_INDEFINITE_BEFORE = _wordset(
    "en et ny nye forenklet forenklede kommende ændret ændrede anden andre ingen sådan hver "
    "enhver egen samlet"
)
# First parts of "-reglen" words that name no particular rule ("hovedreglen", "særreglerne")
_GENERIC_RULES = (
    "hoved", "grund", "sær", "special", "general", "almindelig", "spille", "tommelfinger",
    "undtagelses", "kerne", "standard",
)  # fmt: skip
# One-word names ending in "lov" that are no law
_NOT_LAWS = frozenset({"janteloven", "jantelov", "naturloven", "naturlov"})
# Compounds of "bekendtgørelsen"/"loven" that say what a law does, not which it is: "the
# amending order", "the commencement order", "the order in hearing" ("lovbekendtgørelsen",
# the consolidated act, is an order's kind only).
_NOT_NAMES = frozenset(
    {"ændrings", "ikrafttrædelses", "bemyndigelses", "hjemmels", "tillægs", "ophævelses"}
    | {"hørings", "sær", "anlægs"}  # "særloven", "anlægsloven": a special/construction act
)
_NOT_ORDER_NAMES = _NOT_NAMES | {"lov"}

# What may open a provision ("§", "kap."; "K" is the Kelvin sign, a "k" ignoring case)
_PROVISION_OPENERS = frozenset("§kK\u212a")
# Characters after "lov" that continue another word ("lovgivning"): no "-lov" name ends there
_NOT_LAW_END_AFTER_LOV = frozenset(
    "abcdfghijklmnopqrtuvwxyzæøåABCDFGHIJKLMNOPQRTUVWXYZÆØÅ0123456789"
)
_BLANKS = (" ", "\t")
# What may stand between a name and its provisions (PROVISIONS_AFTER_NAME's lead)
_PROVISION_LEADS = frozenset(" \t,(\n")
# What may stand right before a name that provisions precede (PROVISIONS_BEFORE_NAME's end)
_GAP_ENDS = frozenset(" \t\n")

_KIND_BY_HEAD = {
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


class _CaseVariants(str):
    """A text searched for lower-case needles in all three cases (used when lower-casing the
    text would shift positions)."""


def _occurrences(text: str, needles: tuple[str, ...]) -> list[int]:
    """Every position where one of ``needles`` starts, in order.

    ``text`` is normally the lower-cased item text; a ``_CaseVariants`` text is searched for
    each needle as written, capitalised and in upper case.
    """
    if isinstance(text, _CaseVariants):
        needles = tuple({v for n in needles for v in (n, n.capitalize(), n.upper())})
    return positions(text, needles)


@dataclass
class _Citation:
    start: int
    end: int  # end of the whole printed citation (its text)
    kind: str
    act: str | None
    provisions: list[str] = field(default_factory=list)
    number: str | None = None
    alias: str | None = None  # its one-word name, printed in parentheses after the title


def _fold(text: str) -> str:
    return " ".join(text.split())


def _title_end(text: str, pos: int, *, document: bool) -> int:
    """Where a title that starts at ``pos`` ends.

    A law's title ("lov om …") stops at punctuation, at a clause word, at a capitalised
    word and at another law's name (except "ændring af lov om …"); a document's title
    ("bekendtgørelse om …") may hold capitalised words and the laws it is issued under.
    """
    words: list[tuple[str, int]] = []
    i = pos
    limit = 30 if document else 20
    while len(words) < limit:
        m = TITLE_TOKEN.match(text, i)
        if not m:
            break
        if m["abbr"]:
            words.append(("mv.", m.end()))
        elif m["date"]:
            words.append(("af-dato", m.end()))
            break
        elif m["word"]:
            word = m["word"]
            lower = word.lower()
            previous = words[-1][0] if words else ""
            if lower in _TITLE_STOP:
                break
            is_law = lower == "lov" or lower.endswith(("loven", "lovens", "lov"))
            if document and lower.endswith("lovens"):
                # "… efter miljøbeskyttelseslovens kapitel 3": the provision is part of the title
                provisions = PROVISIONS_AFTER_NAME.match(text, m.end())
                lead = provisions["lead"] if provisions else ""
                if provisions and "(" not in lead and "\n" not in lead:  # on the title's line
                    words.append((lower, provisions.end("list")))
                    i = provisions.end("list")
                    continue
            if not document and words:
                amending = any(w in ("ændring", "ophævelse") for w, _ in words)
                if is_law and previous != "af" and not amending:
                    break
                if word[0].isupper() and not is_law:
                    break
            if word[0].isdigit() and not document:
                break
            words.append((lower, m.end()))
        elif m["other"] == "," and words and words[-1][0].endswith("-"):
            pass  # "dag-, fritids- og klubtilbud": a suspended compound goes on
        else:
            break
        i = m.end()
    while words and words[-1][0] in _TITLE_TRAIL:
        words.pop()
    return words[-1][1] if words else pos


def _skip_wrap(text: str, pos: int) -> int:
    """Past the blanks at ``pos`` and at most one line break (as _WRAP matches)."""
    at = skip_blanks(text, pos)
    return skip_blanks(text, at + 1) if text[at : at + 1] == "\n" else at


def _wrapped_to_the_law(printed: str, text: str, end: int) -> bool:
    """Whether provisions on the line after a law's name (``printed``, ending at ``end``) are
    that law's: they open with "§" (a line opening "Kapitel 4" heads something else) and
    what follows them is WRAPPED_PROVISIONS_END."""
    return printed.startswith("§") and WRAPPED_PROVISIONS_END.match(text, end) is not None


def _provisions_after(text: str, pos: int) -> tuple[list[str], int]:
    """The provisions printed right after a name at ``pos``, and where they end."""
    first = text[pos : pos + 1]
    if first not in _PROVISION_OPENERS:  # a provision opens with "§" or "kap", after blanks,
        if first not in _PROVISION_LEADS:  # a comma or a parenthesis (a line may wrap)
            return [], pos
        at = _skip_wrap(text, pos)
        if text[at : at + 1] in (",", "("):
            at = _skip_wrap(text, at + 1)
        if text[at : at + 1] not in _PROVISION_OPENERS:
            return [], pos
    m = PROVISIONS_AFTER_NAME.match(text, pos)
    if not m:
        return [], pos
    end = m.end("list")
    if "\n" in m["lead"] and not _wrapped_to_the_law(m["list"], text, end):
        return [], pos
    if "(" in m["lead"]:
        if not m["close"]:
            return [], pos
        end = m.end()
    return _split_provisions(m["list"]), end


def _split_provisions(printed: str) -> list[str]:
    """One provision per entry: "§ 41, § 42 og kapitel 16" → three; "§§ 2 og 3" → two."""
    return list(_split_printed(printed))


@lru_cache(maxsize=4096)
def _split_printed(printed: str) -> tuple[str, ...]:
    """``_split_provisions``, once per printed list (the same few recur in every document)."""
    out: list[str] = []
    for m in PROVISION.finditer(printed):
        item = _fold(m.group())
        if item.startswith("§§") and LIST_SEPARATOR.search(item):
            out.extend("§ " + _fold(n.group()) for n in PARAGRAPH_NUMBER.finditer(item[2:]))
            continue
        chapters = CHAPTER_LIST.match(item)
        if chapters:
            word = "kapitel" if chapters["word"].lower() == "kapitlerne" else chapters["word"]
            out.extend(f"{word} {_fold(n.group())}" for n in PARAGRAPH_NUMBER.finditer(item))
            continue
        subsections = SUBSECTION_LIST.match(item)
        if subsections:
            for number in LIST_SEPARATOR.split(subsections["nums"]):
                out.append(_fold(subsections["head"] + number + subsections["tail"]))
            continue
        out.append(item)
    return tuple(out)


def _extend(text: str, cite: _Citation, *, quoted: bool = False) -> None:
    """Add the provisions, a closing parenthesis and (documents) a quoted title to ``cite``."""
    provisions, end = _provisions_after(text, cite.end)
    if provisions:
        cite.provisions = provisions
        cite.end = end
        closing = _opens_parenthesis(text, end) and PARENTHESIS_AFTER.match(text, end)
        if closing:
            cite.end = closing.end()
    if quoted:
        title = QUOTED_TITLE_AFTER.match(text, cite.end)
        if title:
            cite.end = title.end()


def _opens_parenthesis(text: str, pos: int) -> bool:
    """True when "(" is the first character at or after ``pos`` that is no blank."""
    first = text[pos : pos + 1]
    return first == "(" or (first in _BLANKS and next_char(text, pos) == "(")


def _provisions_before(text: str, start: int) -> tuple[list[str], int]:
    """Provisions printed just before a law's name ("§ 52 i serviceloven")."""
    window = max(0, start - 120)
    if text[start - 1 : start] not in _GAP_ENDS:
        return [], start  # the pattern ends in blanks or a line break
    before = text[window:start]
    if "§" not in before and "kap" not in before.lower():
        return [], start  # every provision opens with "§" or "kap"
    m = PROVISIONS_BEFORE_NAME.search(text, window, start)
    if not m:
        return [], start
    return _split_provisions(m["list"]), m.start()


def _numbered_documents(text: str, numbers: list[int]) -> list[_Citation]:
    found = []
    numbers = [at for at in numbers if blank_before(text, at)]  # "Lov nr.", not "Sagsnr."
    for m in near(NUMBERED_DOCUMENT, text, numbers, 20, 60):
        kind = _KIND_BY_HEAD[m["head"].lower()]
        end = m.end()
        about = LAW_ABOUT.match(text, end)
        if about:
            title_end = _title_end(text, about.end(), document=kind != "act")
            if title_end > about.end():
                end = title_end
        cite = _Citation(m.start(), end, kind, _fold(text[m.start() : end]), number=m["number"])
        _absorb_name(text, cite)
        _extend(text, cite, quoted=True)
        found.append(cite)
    return found


def _titled_laws(text: str, lov: list[int]) -> list[_Citation]:
    found = []
    heads = (LAW_TITLE_HEAD.match(text, at) for at in lov if text[at + 3 : at + 4] in _BLANKS)
    for m in filter(None, heads):
        known = KNOWN_TITLE.match(text, m.end())
        end = known.end() if known else _title_end(text, m.end(), document=False)
        if end <= m.end():
            continue
        cite = _Citation(m.start(), end, "act", _fold(text[m.start() : end]))
        abbreviation = _opens_parenthesis(text, end) and ABBREVIATION_AFTER_NAME.match(text, end)
        if abbreviation:
            cite.end = abbreviation.end()
        else:
            _absorb_name(text, cite)
        found.append(_with_provisions(text, cite))
    return found


def _titled_documents(text: str, lowered: str) -> list[_Citation]:
    """Executive orders and guidance by their title ("bekendtgørelse om …")."""
    found = []
    heads = (
        (ORDER_TITLE_HEAD, "executive_order", "ekendtgørelse"),
        (GUIDANCE_TITLE_HEAD, "guidance", "ejledning"),
    )
    for head, kind, needle in heads:
        # the head ends in " om ", within the window searched after the anchor
        anchors = [
            at
            for at in _occurrences(lowered, (needle,))
            if "om" in (text[at : at + 25].lower() if kind != "guidance" else text[at : at + 25])
        ]
        for m in near(head, text, anchors, 30, 25):
            end = _title_end(text, m.end(), document=True)
            if end <= m.end():
                continue
            start = m.start()
            if kind == "guidance":  # "jf. vejledningen om …": the act starts at "vejledning"
                start += m.group().lower().index("vejledning")
            cite = _Citation(start, end, kind, _fold(text[start:end]))
            _absorb_name(text, cite)
            _extend(text, cite)
            found.append(cite)
    return found


def _absorb_name(text: str, cite: _Citation) -> None:
    """A law's one-word name in parentheses after its title or number belongs to that
    citation ("lov om social service (serviceloven) § 85", "bekendtgørelse om affald
    (affaldsbekendtgørelsen)", "vejledning om … (hjemmehjælpsvejledningen)"): one law, with
    the provisions printed after the name."""
    if not _opens_parenthesis(text, cite.end):
        return
    name = NAME_AFTER_TITLE.match(text, cite.end)
    if name is None:
        return
    if cite.kind == "guidance":  # no alias: its title is what names a guidance
        if name["name"].lower().endswith("vejledningen"):
            cite.end = name.end()
    elif _alias(name["name"], cite.kind):
        cite.end = name.end()
        cite.alias = name["name"]


def _word_start(text: str, end: int) -> int:
    """Start of the word (letters, digits and hyphens) that ends at ``end``."""
    i = end
    while i > 0 and end - i < 60:
        c = text[i - 1]
        if not (c in LATIN1_ALNUM or c == "-" or (c > "\xff" and c.isalnum())):
            break
        i -= 1
    return i


def _previous_word(text: str, start: int) -> tuple[str, int]:
    """The word before ``start`` (lower case) and where it starts."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    first = _word_start(text, i)
    return text[first:i].lower(), first


def _base_form(word: str) -> str:
    """ "Forvaltningslovens" → "Forvaltningsloven", "finanslovs" → "finanslov",
    "AFFALDSBEKENDTGØRELSENS" → "AFFALDSBEKENDTGØRELSEN"."""
    lowered = word.lower()
    if lowered.endswith(("lovens", "lovs", "bekendtgørelsens")):
        return word[:-1]
    return word


def _act_name(lower: str) -> bool:
    """Whether a law's one-word name in its base form, lower-cased, names a law: not leave
    ("forældreorlov"), nor a saying ("janteloven"), nor what a law does ("ændringsloven":
    which amending act is not said)."""
    return (
        not lower.endswith(("orlov", "orloven"))
        and lower not in _NOT_LAWS
        and lower[: lower.rfind("lov")].rstrip("-") not in _NOT_NAMES
    )


def _with_provisions(text: str, cite: _Citation) -> _Citation:
    """``cite`` with its provisions: printed before its name ("§ 52 i serviceloven"), else
    after it ("servicelovens § 85")."""
    before, first = _provisions_before(text, cite.start)
    if before:
        cite.provisions, cite.start = before, first
    else:
        _extend(text, cite)
    return cite


def _named_laws(text: str, lov: list[int]) -> list[_Citation]:
    """Laws by a one-word name: "Serviceloven", "servicelovens § 85", "LAB-loven"."""
    found = []
    ends = (
        LAW_WORD_END.match(text, at)
        for at in lov
        if text[at + 3 : at + 4] not in _NOT_LAW_END_AFTER_LOV  # not "lovgivning"
    )
    for m in filter(None, ends):
        start = _word_start(text, m.start())
        prefix = text[start : m.start()]
        if not prefix.strip("-"):
            if prefix:
                continue
            previous, first = _previous_word(text, start)  # "Barnets lov": two words
            if not previous or not lawbook.lookup(f"{previous} {_base_form(m.group())}"):
                continue
            start = first
        word = text[start : m.end()]
        base = _base_form(word)
        lower = base.lower()
        if not _act_name(lower) or not word[0].isalpha():
            continue
        if lower.endswith("lov") and _previous_word(text, start)[0] in _INDEFINITE_BEFORE:
            continue  # "en forenklet beskæftigelseslov": a law yet to come, not a citation
        end = m.end()
        act = base
        year = NAME_YEAR.match(text, end) if word == base else None
        if year:
            end = year.end()
            act = base + year.group()
        found.append(_with_provisions(text, _Citation(start, end, "act", _fold(act))))
    return found


def _order_name(prefix: str) -> bool:
    """Whether the part before "bekendtgørelsen" names an order ("affalds", "BBR-")."""
    prefix = prefix.rstrip("-")
    return len(prefix) >= 3 and prefix[0].isalpha() and prefix.lower() not in _NOT_ORDER_NAMES


def _alias(name: str, kind: str) -> bool:
    """Whether a one-word name in parentheses after a title names that law ("serviceloven",
    "affaldsbekendtgørelsen"), not its kind ("ændringsloven") nor something else ("orloven")."""
    lower = name.lower()
    if kind == "executive_order":
        return lower.endswith("bekendtgørelsen") and _order_name(name[: -len("bekendtgørelsen")])
    return (
        lower.endswith("loven")
        and len(lower.removesuffix("loven").rstrip("-")) >= 3
        and _act_name(lower)
    )


def _named_orders(text: str, orders: list[int]) -> list[_Citation]:
    """Executive orders by a one-word name: "affaldsbekendtgørelsen", "planbekendtgørelsens
    § 5" (not "lovbekendtgørelsen", which is a consolidated act's kind, not its name)."""
    found = []
    for m in filter(None, (ORDER_WORD_END.match(text, at) for at in orders)):
        start = _word_start(text, m.start())
        while text[start] == "-":  # "-affaldsbekendtgørelsen" as a bullet: the name follows
            start += 1
        if not _order_name(text[start : m.start()]):
            continue
        name = _base_form(text[start : m.end()])
        found.append(_with_provisions(text, _Citation(start, m.end(), "executive_order", name)))
    return found


def _rules(text: str) -> list[_Citation]:
    found = []
    # every rule's word ends in "reglen", "regel", …: RULE_WORD_END is tried at each "reg"
    ends = (
        RULE_WORD_END.match(text, at)
        for at in positions(text, ("reg",))
        if text[at + 3 : at + 4] in ("l", "e")
    )
    for m in filter(None, ends):
        numbered = None
        for candidate in NUMBERED_RULE.finditer(text, max(0, m.start() - 30), m.end()):
            if candidate.end() == m.end():
                numbered = candidate
                break
        if numbered:
            act = lawbook.rule_key(numbered.group())
            found.append(_Citation(numbered.start(), m.end(), "rule", act))
            continue
        start = _word_start(text, m.start())
        word = text[start : m.end()]
        if len(word) - len(m.group()) < 4 or not word[0].isalpha():
            continue  # "reglen", "nye regler": no name
        if word.lower().startswith(_GENERIC_RULES):
            continue  # "hovedreglen", "spillereglerne": no named rule
        cued = RULE_CUE_BEFORE.search(text, max(0, start - 25), start)
        if cued or lawbook.rule_key(word) in lawbook.RULES:
            found.append(_Citation(start, m.end(), "rule", word))
    return found


def _rulings(text: str, lowered: str) -> list[_Citation]:
    found = []
    if isinstance(lowered, _CaseVariants):
        matches = RULING.finditer(text)
    else:  # every ruling opens with "princip…": RULING is tried at each
        matches = filter(None, (RULING.match(text, at) for at in positions(lowered, ("princip",))))
    for m in matches:
        issuer = RULING_ISSUER_BEFORE.search(text, max(0, m.start() - 30), m.start())
        start = issuer.start() if issuer else m.start()
        prefix = f"{issuer['issuer']} " if issuer else ""
        word = m["word"]
        for number in RULING_ID.finditer(m["ids"]):
            found.append(_Citation(start, m.end(), "ruling", f"{prefix}{word} {number.group()}"))
    return found


def _bare_provisions(text: str, claimed: set[int]) -> list[_Citation]:
    """Provisions printed without a law's name: "SEL § 85", "social service § 41", "§ 17"."""
    found = []
    done = 0
    for at in positions(text, ("§",)):
        if at < done or at in claimed:
            continue
        m = PROVISION_LIST.match(text, at)
        if not m:
            continue
        done = m.end()
        name = NAME_BEFORE_PARAGRAPH.search(text, max(0, m.start() - 100), m.start())
        act, start = None, m.start()
        if name and name["abbr"]:
            act, start = name["abbr"], name.start()
        elif name and name["title"]:
            act, start = "Lov om " + _fold(name["title"]), name.start()
        cite = _Citation(start, m.end(), "act", act, _split_provisions(m.group()))
        closing = (
            act and _opens_parenthesis(text, m.end()) and PARENTHESIS_AFTER.match(text, m.end())
        )
        if closing:
            cite.end = closing.end()
        found.append(cite)
    return found


def _claimed_paragraphs(text: str, cites: list[_Citation]) -> set[int]:
    claimed: set[int] = set()
    for cite in cites:
        if cite.provisions:
            for m in PROVISION_LIST.finditer(text, cite.start, cite.end):
                claimed.add(m.start())
    return claimed


def _outermost(cites: list[_Citation]) -> list[_Citation]:
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

    def contained(cite: _Citation) -> bool:
        starts, ends = spans[None if cite.act is None else cite.kind]
        upto = bisect_right(starts, cite.start)  # spans starting no later
        before = bisect_left(starts, cite.start)  # spans starting earlier
        return (upto > 0 and ends[upto - 1] > cite.end) or (
            before > 0 and ends[before - 1] >= cite.end
        )

    return [c for c in cites if not contained(c)]


def _identities(cite: _Citation) -> tuple[set[str], set[str]]:
    """What makes two citations the same law: (identities to look up, identities to record).

    A numbered document printed without a year ("vejledning nr 9876") is the one of that
    number cited before; one printed with a year is only the same as that year's.
    """
    ids = set()
    base = None
    if cite.act:
        ids.add("name:" + lawbook.normalise_name(cite.act))
        base = lawbook.canonical_law(_identified_by(cite), None, cite.kind)
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


def _identified_by(cite: _Citation) -> str | None:
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
def _provision_key(provision: str | None) -> str:
    return "".join(c for c in (provision or "").lower() if c.isalnum() or c == "§")


def find_laws(text: str, lowered: str | None = None) -> list[Law]:
    """Every citation of legislation, rules and rulings in an item's text, once each.

    ``lowered`` is ``text.lower()`` when the caller has it already.
    """
    lowered = lower(text) if lowered is None else lowered
    if len(lowered) != len(text):  # a letter whose lower case is longer shifts positions
        lowered = _CaseVariants(text)
    lov = _occurrences(lowered, ("lov",))
    cites = [
        *_numbered_documents(text, _occurrences(lowered, ("nr",))),
        *_titled_laws(text, lov),
        *_titled_documents(text, lowered),
        *_named_laws(text, lov),
        *_named_orders(text, _occurrences(lowered, ("bekendtgørelsen",))),
        *_rules(text),
        *_rulings(text, lowered),
        *(
            _Citation(i.start, i.end, i.kind, i.act, [i.provision] if i.provision else [])
            for i in find_instruments(text, lowered if isinstance(lowered, str) else text.lower())
        ),
    ]
    cites += _bare_provisions(text, _claimed_paragraphs(text, cites))
    cites = _outermost(cites)
    cites.sort(key=lambda c: (c.start, -c.end))
    out: list[Law] = []
    seen: set[tuple[str, str, str]] = set()
    for cite in cites:
        printed = _fold(text[cite.start : cite.end])
        lookup, record = _identities(cite)
        for provision in cite.provisions or [None]:
            part = _provision_key(provision)
            if {(cite.kind, i, part) for i in lookup} & seen:
                continue
            seen |= {(cite.kind, i, part) for i in record}
            # The law is resolved here, once: by the name it is known by, else as printed
            # (the graph's mapping links what this says and resolves nothing itself).
            canonical = lawbook.canonical_law(
                _identified_by(cite), provision, cite.kind
            ) or lawbook.canonical_law(cite.act, provision, cite.kind)
            out.append(Law(cite.kind, cite.act, provision, printed, canonical))
    return out
