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

from functools import lru_cache

from kommunegraf.extract.entities import lawbook
from kommunegraf.extract.entities.law_citations import (
    Citation,
    claimed_paragraphs,
    identified_by,
    identities,
    outermost,
    provision_key,
)
from kommunegraf.extract.entities.law_instruments import find_instruments
from kommunegraf.extract.entities.law_patterns import (
    ABBREVIATION_AFTER_NAME,
    BLANKS,
    CHAPTER_LIST,
    GAP_ENDS,
    GENERIC_RULES,
    GUIDANCE_TITLE_HEAD,
    INDEFINITE_BEFORE,
    KIND_BY_HEAD,
    KNOWN_TITLE,
    LAW_ABOUT,
    LAW_TITLE_HEAD,
    LAW_WORD_END,
    LIST_SEPARATOR,
    NAME_AFTER_TITLE,
    NAME_BEFORE_PARAGRAPH,
    NAME_YEAR,
    NOT_LAW_END_AFTER_LOV,
    NOT_LAWS,
    NOT_NAMES,
    NOT_ORDER_NAMES,
    NUMBERED_DOCUMENT,
    NUMBERED_RULE,
    ORDER_TITLE_HEAD,
    ORDER_WORD_END,
    PARAGRAPH_NUMBER,
    PARENTHESIS_AFTER,
    PROVISION,
    PROVISION_LEADS,
    PROVISION_LIST,
    PROVISION_OPENERS,
    PROVISIONS_AFTER_NAME,
    PROVISIONS_BEFORE_NAME,
    QUOTED_TITLE_AFTER,
    RULE_CUE_BEFORE,
    RULE_WORD_END,
    RULING,
    RULING_ID,
    RULING_ISSUER_BEFORE,
    SUBSECTION_LIST,
    TITLE_STOP,
    TITLE_TOKEN,
    TITLE_TRAIL,
    WRAPPED_PROVISIONS_END,
)
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
            if lower in TITLE_STOP:
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
    while words and words[-1][0] in TITLE_TRAIL:
        words.pop()
    return words[-1][1] if words else pos


def _skip_wrap(text: str, pos: int) -> int:
    """Past the blanks at ``pos`` and at most one line break (as WRAP matches)."""
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
    if first not in PROVISION_OPENERS:  # a provision opens with "§" or "kap", after blanks,
        if first not in PROVISION_LEADS:  # a comma or a parenthesis (a line may wrap)
            return [], pos
        at = _skip_wrap(text, pos)
        if text[at : at + 1] in (",", "("):
            at = _skip_wrap(text, at + 1)
        if text[at : at + 1] not in PROVISION_OPENERS:
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


def _extend(text: str, cite: Citation, *, quoted: bool = False) -> None:
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
    return first == "(" or (first in BLANKS and next_char(text, pos) == "(")


def _provisions_before(text: str, start: int) -> tuple[list[str], int]:
    """Provisions printed just before a law's name ("§ 52 i serviceloven")."""
    window = max(0, start - 120)
    if text[start - 1 : start] not in GAP_ENDS:
        return [], start  # the pattern ends in blanks or a line break
    before = text[window:start]
    if "§" not in before and "kap" not in before.lower():
        return [], start  # every provision opens with "§" or "kap"
    m = PROVISIONS_BEFORE_NAME.search(text, window, start)
    if not m:
        return [], start
    return _split_provisions(m["list"]), m.start()


def _numbered_documents(text: str, numbers: list[int]) -> list[Citation]:
    found = []
    numbers = [at for at in numbers if blank_before(text, at)]  # "Lov nr.", not "Sagsnr."
    for m in near(NUMBERED_DOCUMENT, text, numbers, 20, 60):
        kind = KIND_BY_HEAD[m["head"].lower()]
        end = m.end()
        about = LAW_ABOUT.match(text, end)
        if about:
            title_end = _title_end(text, about.end(), document=kind != "act")
            if title_end > about.end():
                end = title_end
        cite = Citation(m.start(), end, kind, _fold(text[m.start() : end]), number=m["number"])
        _absorb_name(text, cite)
        _extend(text, cite, quoted=True)
        found.append(cite)
    return found


def _titled_laws(text: str, lov: list[int]) -> list[Citation]:
    found = []
    heads = (LAW_TITLE_HEAD.match(text, at) for at in lov if text[at + 3 : at + 4] in BLANKS)
    for m in filter(None, heads):
        known = KNOWN_TITLE.match(text, m.end())
        end = known.end() if known else _title_end(text, m.end(), document=False)
        if end <= m.end():
            continue
        cite = Citation(m.start(), end, "act", _fold(text[m.start() : end]))
        abbreviation = _opens_parenthesis(text, end) and ABBREVIATION_AFTER_NAME.match(text, end)
        if abbreviation:
            cite.end = abbreviation.end()
        else:
            _absorb_name(text, cite)
        found.append(_with_provisions(text, cite))
    return found


def _titled_documents(text: str, lowered: str) -> list[Citation]:
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
            cite = Citation(start, end, kind, _fold(text[start:end]))
            _absorb_name(text, cite)
            _extend(text, cite)
            found.append(cite)
    return found


def _absorb_name(text: str, cite: Citation) -> None:
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
        and lower not in NOT_LAWS
        and lower[: lower.rfind("lov")].rstrip("-") not in NOT_NAMES
    )


def _with_provisions(text: str, cite: Citation) -> Citation:
    """``cite`` with its provisions: printed before its name ("§ 52 i serviceloven"), else
    after it ("servicelovens § 85")."""
    before, first = _provisions_before(text, cite.start)
    if before:
        cite.provisions, cite.start = before, first
    else:
        _extend(text, cite)
    return cite


def _named_laws(text: str, lov: list[int]) -> list[Citation]:
    """Laws by a one-word name: "Serviceloven", "servicelovens § 85", "LAB-loven"."""
    found = []
    ends = (
        LAW_WORD_END.match(text, at)
        for at in lov
        if text[at + 3 : at + 4] not in NOT_LAW_END_AFTER_LOV  # not "lovgivning"
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
        if lower.endswith("lov") and _previous_word(text, start)[0] in INDEFINITE_BEFORE:
            continue  # "en forenklet beskæftigelseslov": a law yet to come, not a citation
        end = m.end()
        act = base
        year = NAME_YEAR.match(text, end) if word == base else None
        if year:
            end = year.end()
            act = base + year.group()
        found.append(_with_provisions(text, Citation(start, end, "act", _fold(act))))
    return found


def _order_name(prefix: str) -> bool:
    """Whether the part before "bekendtgørelsen" names an order ("affalds", "BBR-")."""
    prefix = prefix.rstrip("-")
    return len(prefix) >= 3 and prefix[0].isalpha() and prefix.lower() not in NOT_ORDER_NAMES


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


def _named_orders(text: str, orders: list[int]) -> list[Citation]:
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
        found.append(_with_provisions(text, Citation(start, m.end(), "executive_order", name)))
    return found


def _rules(text: str) -> list[Citation]:
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
            found.append(Citation(numbered.start(), m.end(), "rule", act))
            continue
        start = _word_start(text, m.start())
        word = text[start : m.end()]
        if len(word) - len(m.group()) < 4 or not word[0].isalpha():
            continue  # "reglen", "nye regler": no name
        if word.lower().startswith(GENERIC_RULES):
            continue  # "hovedreglen", "spillereglerne": no named rule
        cued = RULE_CUE_BEFORE.search(text, max(0, start - 25), start)
        if cued or lawbook.rule_key(word) in lawbook.RULES:
            found.append(Citation(start, m.end(), "rule", word))
    return found


def _rulings(text: str, lowered: str) -> list[Citation]:
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
            found.append(Citation(start, m.end(), "ruling", f"{prefix}{word} {number.group()}"))
    return found


def _bare_provisions(text: str, claimed: set[int]) -> list[Citation]:
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
        cite = Citation(start, m.end(), "act", act, _split_provisions(m.group()))
        closing = (
            act and _opens_parenthesis(text, m.end()) and PARENTHESIS_AFTER.match(text, m.end())
        )
        if closing:
            cite.end = closing.end()
        found.append(cite)
    return found


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
            Citation(i.start, i.end, i.kind, i.act, [i.provision] if i.provision else [])
            for i in find_instruments(text, lowered if isinstance(lowered, str) else text.lower())
        ),
    ]
    cites += _bare_provisions(text, claimed_paragraphs(text, cites))
    cites = outermost(cites)
    cites.sort(key=lambda c: (c.start, -c.end))
    out: list[Law] = []
    seen: set[tuple[str, str, str]] = set()
    for cite in cites:
        printed = _fold(text[cite.start : cite.end])
        lookup, record = identities(cite)
        for provision in cite.provisions or [None]:
            part = provision_key(provision)
            if {(cite.kind, i, part) for i in lookup} & seen:
                continue
            seen |= {(cite.kind, i, part) for i in record}
            # The law is resolved here, once: by the name it is known by, else as printed
            # (the graph's mapping links what this says and resolves nothing itself).
            canonical = lawbook.canonical_law(
                identified_by(cite), provision, cite.kind
            ) or lawbook.canonical_law(cite.act, provision, cite.kind)
            out.append(Law(cite.kind, cite.act, provision, printed, canonical))
    return out
