"""Entity extraction for one agenda item: people, organisations, laws and projects.

Each finder is a pure function from an item's text to typed records; ``resolve`` then joins
the same entity printed in different forms, within the document, and gives each a stable key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kommunegraf.extract.entities.laws import find_laws
from kommunegraf.extract.entities.mentions import lower
from kommunegraf.extract.entities.organisations import find_organisations
from kommunegraf.extract.entities.people import find_people
from kommunegraf.extract.entities.projects import find_projects
from kommunegraf.extract.records import Law, Person, Project


@dataclass
class ItemEntities:
    people: list[Person] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    laws: list[Law] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)


def extract_entities(
    text: str, *, committee: str | None = None, municipality: str | None = None
) -> ItemEntities:
    """Find the entities of one item's text (header, sections, decisions and attachments).

    ``committee`` and ``municipality`` name the meeting's own body and the municipality,
    which are not listed as organisations of the item.
    """
    exclude = [name for name in (committee, municipality) if name]
    lowered = lower(text)  # both the law and the project finders search the lower-cased text
    return ItemEntities(
        people=find_people(text),
        organizations=find_organisations(text, exclude=exclude),
        laws=find_laws(text, lowered),
        projects=find_projects(text, lowered),
    )
