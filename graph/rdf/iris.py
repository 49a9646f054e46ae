"""The only place that mints IRIs: deterministic, readable, stable across re-runs.

Stability is the point: an item's IRI is computed from what is printed (municipality,
committee, meeting date, item number), so a reference to an item whose minutes are not yet
in the store is already the right link the day they arrive.  The scheme (design.md):

    id/naestved                                              municipality
    id/naestved/udvalg/<committee>                           committee
      …/moede/2018-05-15                                     meeting (date; kilde-<hash> if none)
      …/moede/2018-05-15/punkt/37                            agenda item
      …/punkt/37/beslutning/2018-05-15 (-2, -3 … same day)   decision ("udateret-N" if no date)
      …/beslutning/2018-05-15/afstemning                     the vote of that decision
      …/punkt/37/bilag/1                                     attachment (1-based, printed order)
    id/naestved/sag/<case number>                            case (IRI-safe, readable)
    id/naestved/person/<key>   id/naestved/projekt/<key>     person, project
    …/person/<key>/medlemskab/<party>                        party membership
    id/naestved/traad/<hash>   id/forbindelse/<kind>/<hash>  case thread, cross-link (derived)
    id/naestved/optaelling/<kind>/<hash>                     a count kept at ingest (derived)
    id/parti/f   id/organisation/<key>                       party, organisation
    <ELI> or id/lov/<slug>, …/paragraf/13f, …/kapitel/6      law, provision
    id/kilde/<first 16 hex of sha256>                        source document = its named graph
    id/udfald/<outcome>   id/kle/<KLE code>                  outcome and KLE concepts
    graph/reference   graph/derived   graph/shared           named graphs

A record without a municipality uses ``id/ukendt``; a meeting without a committee uses
``udvalg/ukendt``.  Every segment is either a slug (``[a-z0-9-]``) or percent-encoded, so no
user text can yield an invalid IRI or break out of ``<…>`` in N-Quads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import pyoxigraph
import regex

from kommunegraf.extract import municipalities
from kommunegraf.extract.text.bodies import body_name
from kommunegraf.extract.text.casenumbers import normalise_case_number
from kommunegraf.extract.text.dates import valid_iso_date
from kommunegraf.extract.text.fold import bare_municipality_name
from kommunegraf.extract.text.provisions import provision_slug
from kommunegraf.extract.text.slugs import iri_slug
from kommunegraf.graph.rdf.ownership import MEETING_SEGMENT as MEETING_SEGMENT
from kommunegraf.graph.rdf.ownership import owned_by_document as owned_by_document

DEFAULT_BASE = "https://w3id.org/kommunegraf/"
UNKNOWN = "ukendt"

# What an IRI may not hold unescaped: anything outside RFC 3987's printable ASCII and ucschar
# ranges (spaces, controls, <>"{}|^`\\ [], private use, surrogates) and a "%" not in a %XX.
IRI_FORBIDDEN_RE = regex.compile(
    r"[^!#$%&'()*+,\-./0-9:;=?@A-Z_a-z~\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    r"\U00010000-\U000efffd]|%(?![0-9A-Fa-f]{2})"
)
# An absolute http(s) IRI: "https://www.retsinformation.dk/eli/lta/2014/1482".
HTTP_IRI_RE = regex.compile(r"^https?://[^/\s]+", regex.IGNORECASE)

# The provision part at the end of a canonical law IRI: ".../lov/aktivloven/paragraf/13f".
PROVISION_TAIL_RE = regex.compile(r"/(?:paragraf|kapitel)/[^/]+$")

_SEGMENT_SAFE = frozenset("-._~")


def iri_segment(text: str) -> str:
    """Percent-encode a readable identifier for one path segment.

    Letters (any script, kept for readability: "Ø40"), digits and ``-._~`` stay; everything
    else, including "/", becomes %XX of its UTF-8 bytes, so the mapping is injective.
    """
    out: list[str] = []
    for ch in text:
        if ch in _SEGMENT_SAFE or (ch.isalnum() and not IRI_FORBIDDEN_RE.match(ch)):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "replace")))
    return "".join(out)


def safe_iri(iri: str) -> str:
    """Percent-encode the characters an IRIREF may not contain (for IRIs taken from records)."""
    return IRI_FORBIDDEN_RE.sub(
        lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8", "replace")), iri
    )


def provision_path(provision: str) -> str | None:
    """The IRI path of a provision below its law: "§ 8, stk. 6" → "paragraf/8-stk-6".

    The rule is the law table's (extract.entities.lawbook), so a provision minted here from a
    printed citation is the same IRI as one the extractor's ``canonical`` names; chapters go
    under ``kapitel/``.  None when the text names no readable provision ("bilag 2").
    """
    return provision_slug(provision)


@cache
def _municipality_names() -> dict[str, str]:
    """Lower-cased short name ("næstved") and "#<kommunekode>" → slug, from the project table."""
    table: dict[str, str] = {}
    for entry in municipalities.table():
        table[entry.short.lower()] = iri_slug(entry.short)
        table["#" + entry.code] = iri_slug(entry.short)
    return table


def municipality_slug(name: str | None, code: str | None = None) -> str:
    """The slug of a municipality: from its kommunekode if known, else its name.

    "Næstved Kommune" → "naestved"; "Københavns Kommune" → "koebenhavn" (the genitive of the
    official name is folded when the table knows the base form); no name and no known code
    → "ukendt".
    """
    table = _municipality_names()
    if code and "#" + code.strip() in table:
        return table["#" + code.strip()]
    if not name or not name.strip():
        return UNKNOWN
    bare = bare_municipality_name(name)
    key = bare.lower()
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:
        return table[key[:-1]]
    return iri_slug(bare)


def _is_valid_iri(iri: str) -> bool:
    """Whether an IRI taken from a record parses (e.g. a second "#" makes it invalid)."""
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def _check_base(base: str) -> str:
    if not HTTP_IRI_RE.match(base) or IRI_FORBIDDEN_RE.search(base) or not _is_valid_iri(base):
        raise ValueError(f"base must be an absolute http(s) IRI without spaces: {base!r}")
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class IriMinter:
    """Mints every IRI of the graph below one base (``DEFAULT_BASE`` unless configured)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", _check_base(self.base))

    # --- named graphs and concept schemes -------------------------------------------------
    @property
    def reference_graph(self) -> str:
        return self.base + "graph/reference"

    @property
    def derived_graph(self) -> str:
        return self.base + "graph/derived"

    @property
    def shared_graph(self) -> str:
        """Where the embedded store keeps the descriptions of shared things once (a person's
        name, a committee's label, a law, a case): see :func:`owned_by_document`."""
        return self.base + "graph/shared"

    @property
    def outcome_scheme(self) -> str:
        return self.base + "id/udfald"

    def outcome(self, code: str) -> str:
        return self.outcome_scheme + "/" + iri_slug(code)

    @property
    def kle_scheme(self) -> str:
        return self.base + "id/kle"

    def kle(self, code: str) -> str:
        """A KLE subject concept: "15.20.00" → id/kle/15.20.00."""
        return self.kle_scheme + "/" + iri_segment(code.strip())

    # --- source ---------------------------------------------------------------------------
    def source(self, sha256: str | None, path: str | None = None) -> str:
        """The source document and its named graph: id/kilde/<first 16 hex of sha256>.

        Without a usable sha256 the hash of the path stands in (documented fallback).
        """
        digest = (sha256 or "").strip().lower()
        if len(digest) < 16 or any(c not in "0123456789abcdef" for c in digest[:16]):
            digest = hashlib.sha256((path or "").encode("utf-8", "surrogatepass")).hexdigest()
        return self.base + "id/kilde/" + digest[:16]

    # --- organisations --------------------------------------------------------------------
    def municipality(self, name: str | None, code: str | None = None) -> str:
        return self.base + "id/" + municipality_slug(name, code)

    def committee(self, municipality_iri: str, name: str | None) -> str:
        """…/udvalg/<slug of the body's one name>: "Byråd", "byrådet" and "Byråd 2022-2025"
        are the same council, so a mention and the council's own minutes meet."""
        if not name or not name.strip():
            return municipality_iri + "/udvalg/" + UNKNOWN
        return municipality_iri + "/udvalg/" + iri_slug(body_name(name))

    def party(self, letter: str) -> str:
        return self.base + "id/parti/" + iri_slug(letter)

    def organisation(self, key: str) -> str:
        return self.base + "id/organisation/" + iri_slug(key)

    def local_organisation(self, municipality_iri: str, key: str) -> str:
        """A municipal unit ("Center for Arbejdsmarked") belongs to its municipality."""
        return municipality_iri + "/organisation/" + iri_slug(key)

    # --- meetings, items, decisions -------------------------------------------------------
    def meeting(self, committee_iri: str, meeting_date: str | None, source_iri: str) -> str:
        """…/moede/<date>; an undated meeting is named after its source document instead."""
        day = valid_iso_date(meeting_date)
        if day:
            return committee_iri + "/moede/" + day
        return committee_iri + "/moede/kilde-" + source_iri.rsplit("/", 1)[-1]

    def item(self, meeting_iri: str, number: int) -> str:
        return f"{meeting_iri}/punkt/{int(number)}"

    def decision(self, item_iri: str, decision_date: str | None, ordinal: int = 1) -> str:
        """…/beslutning/<date>, "-2" … for the 2nd, 3rd decision on one day; "udateret-N"."""
        day = valid_iso_date(decision_date) or "udateret"
        if day == "udateret":
            return f"{item_iri}/beslutning/udateret-{ordinal}"
        return f"{item_iri}/beslutning/{day}" + (f"-{ordinal}" if ordinal > 1 else "")

    def vote(self, decision_iri: str) -> str:
        return decision_iri + "/afstemning"

    def next_step(self, decision_iri: str) -> str:
        return decision_iri + "/naeste-skridt"

    def attachment(self, item_iri: str, position: int) -> str:
        return f"{item_iri}/bilag/{int(position)}"

    def citation(self, item_iri: str, position: int) -> str:
        """An item's citation of a law (what the item printed), by its place in the item."""
        return f"{item_iri}/henvisning/{int(position)}"

    def reference(
        self, municipality_iri: str, committee: str | None, ref_date: str | None, number: int
    ) -> str | None:
        """The IRI the referred item will have (None without a valid date)."""
        day = valid_iso_date(ref_date)
        if day is None:
            return None
        return self.item(self.committee(municipality_iri, committee) + "/moede/" + day, number)

    # --- cases, people, projects ----------------------------------------------------------
    def case(self, municipality_iri: str, case_number: str) -> str:
        return municipality_iri + "/sag/" + iri_segment(normalise_case_number(case_number))

    def person(self, municipality_iri: str, key: str) -> str:
        return municipality_iri + "/person/" + iri_slug(key)

    def membership(self, person_iri: str, party_letter: str) -> str:
        return person_iri + "/medlemskab/" + iri_slug(party_letter)

    def project(self, municipality_iri: str, key: str) -> str:
        return municipality_iri + "/projekt/" + iri_slug(key)

    # --- laws -----------------------------------------------------------------------------
    def law(self, canonical: str | None, act: str | None = None) -> str | None:
        """A law's IRI: an http(s) canonical (an ELI) as is; "lov/<key>…" below id/; else
        id/lov/<slug of the act>.  None when neither is given."""
        if canonical and canonical.strip():
            canonical = canonical.strip()
            if HTTP_IRI_RE.match(canonical):
                iri = safe_iri(canonical)
                if _is_valid_iri(iri):
                    return iri
                return self.base + "id/lov/" + iri_slug(canonical)
            parts = [p for p in canonical.split("/") if p]
            if parts and parts[0] == "lov" and len(parts) > 1:
                return self.base + "id/" + "/".join(iri_segment(p) for p in parts)
            return self.base + "id/lov/" + iri_slug(canonical)
        if act and act.strip():
            return self.base + "id/lov/" + iri_slug(act)
        return None

    def provision(self, law_iri: str, provision: str) -> str | None:
        path = provision_path(provision)
        return law_iri + "/" + path if path else None

    def law_and_provision(
        self, canonical: str | None, act: str | None, provision: str | None
    ) -> tuple[str | None, str | None]:
        """(law IRI, provision IRI or None) of a citation.

        A canonical that already names a provision (".../paragraf/13f") is split at it;
        otherwise the printed provision is minted below the law.  A provision without any
        law ("§ 17, stk. 4" alone) gets no IRI: it cannot be told apart from other laws'.
        """
        iri = self.law(canonical, act)
        if iri is None:
            return None, None
        tail = PROVISION_TAIL_RE.search(iri)
        if tail:
            return iri[: tail.start()], iri
        if provision and provision.strip():
            return iri, self.provision(iri, provision)
        return iri, None

    # --- derived graph (graph/analysis/threads.py) ------------------------------------------------
    def thread(self, municipality_iri: str | None, first_item_iri: str) -> str:
        """A case thread, named after its earliest item so it keeps its IRI as items join."""
        scope = municipality_iri or self.base + "id/" + UNKNOWN
        return f"{scope}/traad/{_hash16(first_item_iri)}"

    def tally(self, municipality_iri: str, kind: str, keys: list[str]) -> str:
        """A count kept at ingest (graph.analysis.tallies): one municipality's group, named
        after what it groups by, so that a recomputation that changes nothing keeps it."""
        return f"{municipality_iri}/optaelling/{iri_segment(kind)}/{_hash16(' '.join(keys))}"

    def cross_link(self, kind: str, key: str) -> str:
        """An entity (law, organisation, project) linking items of several municipalities."""
        return f"{self.base}id/forbindelse/{iri_segment(kind)}/{_hash16(key)}"


def _hash16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


IRIS = IriMinter()
