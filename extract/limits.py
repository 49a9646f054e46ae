"""The bounds past which a document is refused, and the error that says so (issue 19.4).

Extraction costs about a millisecond per agenda item (entities, decisions, references), so
a file of tens of thousands of tiny items (a dense or hostile file: 3.2 MB of repeated
`Punkt N:` blocks is 36,000 items) would take minutes and gigabytes.  Real minutes have at
most a few hundred items and a few megabytes of text; these bounds leave ample room above
that and refuse the rest early, by name, before the expensive part.
"""

from __future__ import annotations

from kommunegraf.errors import KommunegrafError

# More characters than this: refused before anything is read out of the text.
MAX_CHARS = 20_000_000
# More items than this: refused as soon as that many item headers are found.
MAX_ITEMS = 5_000


class DocumentTooLarge(KommunegrafError, ValueError):
    """A document past ``MAX_CHARS`` characters or ``MAX_ITEMS`` items."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"DocumentTooLarge: {reason}")
        self.reason = reason

    def __reduce__(self) -> tuple[type[DocumentTooLarge], tuple[str]]:
        return (DocumentTooLarge, (self.reason,))  # ingest's worker processes pickle it


def check_size(text: str) -> None:
    """Refuse a text past ``MAX_CHARS``."""
    if len(text) > MAX_CHARS:
        raise DocumentTooLarge(
            f"{len(text):,} characters (more than {MAX_CHARS:,}); split the document"
        )


def check_items(count: int) -> None:
    """Refuse a document whose item headers number more than ``MAX_ITEMS``."""
    if count > MAX_ITEMS:
        raise DocumentTooLarge(
            f"more than {MAX_ITEMS:,} agenda items ({count:,} found so far); split the document"
        )
