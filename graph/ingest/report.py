"""What an ingest tells its user: the summary's counts, and where progress and errors go.

The summary holds numbers only (and the first few names), so that it does not grow with the
corpus; a reporter is a progress bar on a terminal, or plain lines for logs, CI and pipes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from kommunegraf.graph.ingest.discover import SUFFIXES

# What the store holds beside the documents, said where the summary counts quads: a new store
# holds ~20,000 quads of reference data before the first document.
REFERENCE_NOTE = " (besides the reference data: municipalities, parties, laws, KLE; see `stats`)"


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 document", "2 documents" (``words`` for an irregular plural)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


@dataclass
class Summary:
    """Counts for the user; numbers only, so that it does not grow with the corpus."""

    files: int = 0
    unchanged: int = 0  # files as last ingested, not read again (graph.ingest.stamps)
    documents: int = 0
    loaded: int = 0  # documents whose batch is wholly in (the rest are being loaded)
    duplicates: int = 0
    items: int = 0
    decisions: int = 0
    quads: int = 0
    errors: int = 0
    skipped: int = 0
    skipped_files: list[str] = field(default_factory=list)  # the first few, by name
    loops: int = 0
    superseded: int = 0
    overlaps: int = 0  # documents set aside as earlier versions of a meeting shown by another
    without_items: int = 0
    seconds: float = 0.0
    store_quads: int | None = None  # counted only where it decides a compaction
    threads: bool = False
    threads_error: str | None = None
    compact_seconds: float | None = None  # set when the run compacted the store
    collected: int | None = None  # shared triples no document mentions, removed after the run
    threads_partial: int | None = None  # municipalities whose threads alone were recomputed
    links_over: int | None = None  # then: the documents links and centrality were computed over
    error_lines: list[str] = field(default_factory=list)  # the first few, for callers

    @property
    def failed(self) -> bool:
        """Whether the exit status should say something went wrong."""
        return bool(self.errors or self.threads_error)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def _skipped(self) -> str:
        """How many files were passed over, and which (the first few by name)."""
        text = f"{self.skipped} (not {'/'.join(sorted(SUFFIXES))})"
        if self.skipped_files:
            more = self.skipped - len(self.skipped_files)
            text += ": " + ", ".join(self.skipped_files) + (f" and {more} more" if more else "")
        return text

    def lines(self) -> list[str]:
        """The summary as aligned ``name  value`` lines."""
        dup = f" (+{self.duplicates} duplicate{'s' * (self.duplicates != 1)})"
        stored = f", {self.store_quads} in store" if self.store_quads is not None else ""
        rows = [
            ("documents", f"{self.documents}{dup if self.duplicates else ''}"),
            ("items", str(self.items)),
            ("decisions", str(self.decisions)),
            ("quads", f"{self.quads} loaded from the documents{stored}{REFERENCE_NOTE}"),
            ("errors", str(self.errors)),
            ("skipped", self._skipped()),
        ]
        if self.unchanged:  # beside the documents read
            passed = (
                f"{self.unchanged} file(s) as last ingested: not read again (--reread reads them)"
            )
            rows.insert(1, ("unchanged", passed))
        if self.superseded:
            rows.append(("replaced", f"{self.superseded} older version(s) of edited files"))
        if self.overlaps:
            rows.append(
                (
                    "overlaps",
                    f"{self.overlaps} document(s) of a meeting already shown by another "
                    "kept as earlier versions (see the warnings)",
                )
            )
        if self.without_items:
            rows.append(("no items", f"{self.without_items} document(s): no agenda item found"))
        if self.loops:
            rows.append(("loops", f"{self.loops} symbolic link loop(s) not followed"))
        if self.threads_error:
            rows.append(("threads", "NOT recomputed (see the error above)"))
        elif self.threads_partial == 0:
            rows.append(("threads", "unchanged (no document added)"))
        elif self.threads_partial is not None:
            rows.append(
                (
                    "threads",
                    f"recomputed for the {self.threads_partial} municipalit"
                    f"{'y' if self.threads_partial == 1 else 'ies'} this run touched; "
                    "cross-municipality links and centrality as computed over "
                    f"{self.links_over if self.links_over is not None else 'fewer'} documents "
                    "(--derived whole refreshes them)",
                )
            )
        if self.collected:
            rows.append(("collected", f"{self.collected} triples no document mentions any more"))
        if self.compact_seconds is not None:
            rows.append(("compacted", f"{self.compact_seconds:.1f} s (faster reads from now on)"))
        rows += [
            ("seconds", f"{self.seconds:.1f}"),
            ("docs/s", f"{self.docs_per_second:.1f}"),
        ]
        return [f"{name:<10} {value}" for name, value in rows]


class Reporter(Protocol):
    """Where progress, per-file errors and warnings go (a progress bar or plain lines)."""

    def start(self, total: int) -> None: ...
    def advance(self, files: int, summary: Summary) -> None: ...
    def error(self, line: str) -> None: ...
    def warning(self, line: str) -> None: ...
    def loaded(self, summary: Summary) -> None: ...
    def phase(self, line: str) -> None: ...
    def stop(self) -> None: ...


class PlainReporter:
    """One line per loaded batch, and one per failed file, on stderr (logs, CI, pipes)."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, files: int, summary: Summary) -> None:
        pass

    def error(self, line: str) -> None:
        self.echo(f"error: {line}")

    def warning(self, line: str) -> None:
        self.echo(f"warning: {line}")

    def loaded(self, summary: Summary) -> None:
        self.echo(
            f"ingest: {summary.files}/{self.total} files, "
            f"{plural(summary.loaded, 'document')} loaded, {plural(summary.errors, 'error')}"
        )

    def phase(self, line: str) -> None:
        self.echo(f"ingest: {line}")

    def stop(self) -> None:
        pass


class ProgressReporter:
    """A rich progress bar on stderr (a terminal); errors print above it."""

    def __init__(self) -> None:
        from kommunegraf.graph.progress import progress_bar

        self.progress = progress_bar(
            "ingest", "{task.fields[docs]} loaded · {task.fields[errors]} errors"
        )
        self.task = self.progress.add_task("ingest", total=None, docs=0, errors=0)

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def advance(self, files: int, summary: Summary) -> None:
        self.progress.update(self.task, advance=files, errors=summary.errors)

    def error(self, line: str) -> None:
        self.progress.console.print(f"[red]error:[/red] {line}", markup=True, highlight=False)

    def warning(self, line: str) -> None:
        self.progress.console.print(f"[yellow]warning:[/yellow] {line}", highlight=False)

    def loaded(self, summary: Summary) -> None:
        self.progress.update(self.task, docs=summary.loaded)

    def phase(self, line: str) -> None:
        self.progress.console.print(f"ingest: {line}", highlight=False)

    def stop(self) -> None:
        self.progress.stop()
