"""The one shape of progress bar the long commands (ingest, fetch) show on a terminal.

A label, a bar, done/total, a line of counts, elapsed and remaining time, on stderr so that
stdout stays the command's answer.  rich is imported here, when a bar is wanted, not when a
command that prints plain lines starts.
"""

from __future__ import annotations

from typing import Any


def progress_bar(label: str, counts: str) -> Any:
    """A rich ``Progress`` (not started) whose columns are ``label`` and ``counts`` (format
    strings over the task: ``{task.description}``, ``{task.fields[…]}``) around the bar."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(counts),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
