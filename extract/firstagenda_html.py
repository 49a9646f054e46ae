"""A FirstAgenda Publication page saved from a browser (HTML) → the record.

Placeholder until the page reader lands: no page is taken for a portal page yet.
"""

from __future__ import annotations


def is_portal_page(markup: str) -> bool:
    return False
