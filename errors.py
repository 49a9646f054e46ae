"""The one root of kommunegraf's errors, so that a caller (the CLI, a notebook) catches one class.

Every error the library raises *for the user* -- an unreadable document, a bad profile, a busy
store, an unknown case or municipality, a portal that will not answer -- is a
:class:`KommunegrafError`.  Its message is written to be shown as it is: one line that names
the file, meeting or value at fault and the reason.  The command line renders it in one place
(``graph/cli/common.py``: ``error: <message>`` on stderr, a non-zero exit, no traceback);
anything else that escapes a command is a bug and keeps its traceback.

The concrete classes live beside the code that raises them (``LoadError`` in extract/load.py,
``StoreError`` in graph/store/, ...) and subclass the root, often together with the builtin a
caller caught before (``ProfileError`` is still a ``ValueError``).  This module imports
nothing, so that every layer, the text core included, can use it.

A few exceptions are deliberately *not* under the root: signals between the parts of one
component that never reach a user (the serve pool's ``Timeout`` and ``ClientGone``, the
fetch client's ``_Retryable``, the store's ``TornView``); each says so where it is defined.
"""

from __future__ import annotations

__all__ = ["Interrupted", "KommunegrafError", "UsageError"]


class KommunegrafError(Exception):
    """An error whose message is meant for the user, one line; ``exit_code`` for the CLI."""

    exit_code: int = 1


class UsageError(KommunegrafError, ValueError):
    """A value the user gave that cannot be used (options that exclude each other, an unknown
    municipality, a file that is not there); still a ``ValueError`` for older callers."""


class Interrupted(KommunegrafError):
    """The user stopped a long run (Ctrl-C); the message says what was kept.  Exit 130, as a
    shell reports a process ended by SIGINT."""

    exit_code = 130
