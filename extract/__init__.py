"""Minutes → records: ``extract_text`` (text in, record out) and ``extract_path`` (a file).

The package's import is light on purpose: ``graph.rdf.iris`` and ``kommunegraf trace`` import
the text core (``kommunegraf.extract.text``) and the municipality table from here, and must
not pay for the extractors (decisions, entities, layouts: most of a second).  The entry points
are therefore looked up on first use (PEP 562) from ``kommunegraf.extract.pipeline``.
"""

from __future__ import annotations

import os
import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kommunegraf.extract.pipeline import extract_path, extract_text
    from kommunegraf.extract.records import Record

__all__ = ["extract_path", "extract_text"]


def __getattr__(name: str) -> Any:
    """``extract_text`` and ``extract_path``, imported from the pipeline when first asked for."""
    if name in __all__:
        value = getattr(import_module("kommunegraf.extract.pipeline"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallablePackage(types.ModuleType):
    """This package, callable as the public API's ``kommunegraf.extract(path)``.

    Python's import system sets ``kommunegraf.extract`` to this package as soon as any
    ``kommunegraf.extract.*`` module is imported, replacing the function of that name in
    ``kommunegraf/__init__.py``; so the package answers the same call the same way.
    """

    def __call__(self, path: str | os.PathLike[str], **options: Any) -> Record:
        return self.extract_path(path, **options)  # type: ignore[no-any-return]


sys.modules[__name__].__class__ = _CallablePackage
