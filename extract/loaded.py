"""What loading a document yields: its text, or an error a user can act on.

Kept apart from extract/load.py so that the decoders, the PDF and the HTML readers can raise
and return these without importing the loader that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kommunegraf.errors import KommunegrafError


class LoadError(KommunegrafError):
    """A document that cannot be turned into text, with a reason a user can act on."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = str(name)
        self.reason = " ".join(str(reason).split())[:300]  # always one line
        super().__init__(f"{self.name}: {self.reason}")

    def __reduce__(self) -> tuple[type[LoadError], tuple[str, str]]:
        # Ingest runs in worker processes; the default pickling would call __init__ with
        # the formatted message only.
        return (LoadError, (self.name, self.reason))


@dataclass(frozen=True)
class LoadedText:
    """The normalised text of one document and how it was read."""

    text: str
    format: str  # "text" | "pdf" | "html" | "json"
    encoding: str | None  # codec name for text/html/json; None for pdf
    # What the structured readers need beside the text: the parsed object of a FirstAgenda
    # meeting (format "json"), the decoded markup of an HTML page (format "html").
    data: Any = None
