"""What every command module shares: the global options' object, the store openers, the terminal
width, and the one place a :class:`~kommunegraf.errors.KommunegrafError` becomes ``error: …``.

Command modules (documents, answers, store, views, fetch) import this module, never
``main``; ``main`` imports them and registers their commands.  So the import graph is a tree
(main → commands → common) and a command cannot reach another command's module.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, NoReturn

import click

from kommunegraf.errors import KommunegrafError, UsageError

DEFAULT_STORE = "./kommunegraf-store"


@dataclass
class Context:
    """Global options, shared by every command."""

    store: str
    endpoint: str | None


def one_line(message: str) -> str:
    """The message on one line: a file name or a server's reply may hold line breaks, and a
    second line on stderr could be read as a second (forged) message."""
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())


def render_error(exc: KommunegrafError) -> NoReturn:
    """The one renderer: ``error: <message>`` on stderr, no traceback, exit ``exc.exit_code``."""
    click.echo(f"error: {one_line(str(exc)) or type(exc).__name__}", err=True)
    sys.exit(exc.exit_code)


class Commands(click.Group):
    """The ``kommunegraf`` group: runs a command and renders a library error raised in it.

    Only :class:`KommunegrafError` is caught.  Anything else that escapes a command is a bug and
    keeps its traceback, so that it gets reported rather than hidden behind a tidy line.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KommunegrafError as exc:
            render_error(exc)


def fail(message: str) -> NoReturn:
    """Refuse what the user asked (options that do not fit together); rendered by the group."""
    raise UsageError(message)


def read_store(obj: Context) -> Any:
    """Open the store (or the --endpoint server) read-only for a query command."""
    from kommunegraf.graph.store.backend import open_backend

    return open_backend(obj, write=False)


def write_store(obj: Context) -> Any:
    """Open the store (or the --endpoint server) for writing (a second embedded writer gets a
    clear 'in use' error)."""
    from kommunegraf.graph.store.backend import open_backend

    return open_backend(obj, write=True)


def warn_derived(store: object) -> None:
    """Say on stderr when the derived graph is missing, unfinished or behind (answers drawn
    from it would otherwise be silently empty or short)."""
    from kommunegraf.graph.analysis.health import derived_warning

    if (warning := derived_warning(store)) is not None:  # type: ignore[arg-type]
        click.echo(f"warning: {warning}", err=True)


def width() -> int | None:
    """The terminal's width for a table; None into a pipe or a file (values whole)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else None


def echo_err(line: str) -> None:
    click.echo(line, err=True)


def ingest_reporter() -> Any:
    """A progress bar on a terminal, plain lines into a log."""
    from kommunegraf.graph.ingest.report import PlainReporter, ProgressReporter

    return ProgressReporter() if sys.stderr.isatty() else PlainReporter()
