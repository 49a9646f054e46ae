"""The path of a law's provision below the law's IRI: "§ 13 f, stk. 2" → "paragraf/13f-stk-2".

The law table (extract.entities.lawbook) writes it into a citation's canonical identifier and
the IRI minter (graph.rdf.iris) mints a printed provision with it, so one rule serves both.
"""

from __future__ import annotations

from functools import lru_cache

import regex as re

from kommunegraf.extract.text.slugs import law_slug

# "13 f", "2-4", "stk. 6", "litra a": the pieces of a paragraph citation after its "§"
PROVISION_TOKEN = re.compile(
    r"(?i)(?P<range>\d+\s?[-–]\s?\d+)(?![\p{N}])"
    r"|(?P<num>\d+)(?:\s?(?P<letter>[a-zæøå])(?![\p{L}]))?"
    r"|(?P<word>stk|nr|litra|pkt)(?![\p{L}])\.?(?:\s*(?P<arg>[a-zæøå])(?![\p{L}]))?"
)
# "kap. 6", "kapitel 3-5", "Kapitel 3 a"
CHAPTER = re.compile(r"(?i)^\s*kap(?:itel|\.)?\s*(?P<rest>.+)$")


@lru_cache(maxsize=8192)
def provision_slug(provision: str) -> str | None:
    """The path of a provision below its law (see the module docstring), or None if unreadable."""
    chapter = CHAPTER.match(provision)
    if chapter:
        rest = law_slug(chapter["rest"].replace("–", "-").replace(" ", ""))
        return f"kapitel/{rest}" if rest else None
    if "§" not in provision:
        return None
    parts: list[str] = []
    for m in PROVISION_TOKEN.finditer(provision.split("§", 1)[1]):
        if m["range"]:
            parts.append("".join(m["range"].replace("–", "-").split()))
        elif m["num"]:
            parts.append(m["num"] + (m["letter"] or "").lower())
        else:
            parts.append(m["word"].lower())
            if m["arg"]:
                parts.append(m["arg"].lower())
    return "paragraf/" + law_slug("-".join(parts)) if parts else None
