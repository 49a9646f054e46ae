"""Which files an ingest reads: the lazy walk of the paths given, and why a path is no document.

Folders are walked in name order, following symbolic links but never round a loop; files with
other suffixes inside a folder are counted (the first few named), a file named on the command
line that cannot be read is an error with its reason, and nothing here opens a document.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = frozenset({".txt", ".pdf", ".html", ".htm", ".json"})
# "<meeting id>.meta.json": the sidecar fetch writes beside a FirstAgenda meeting (contracts.md).
# It describes the meeting next to it and is read with it, never as a document of its own.
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_ERROR = "a fetch sidecar (.meta.json): it is read with the meeting beside it"
# The one reason for a path that exists but is no regular file (the loader says the same).
NOT_REGULAR = "not a regular file"
SKIPPED_NAMED = 5  # skipped files named in the summary (the rest counted)


def shown(path: str | os.PathLike[str]) -> str:
    """A path for a one-line message: a file name holding a line break or another control
    character (or bytes that are not UTF-8) cannot break the line or fake another message."""
    text = os.fspath(path)
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode()
        for ch in text
    )


@dataclass
class Walk:
    """What a walk passed over, filled in as :func:`find_files` is consumed."""

    skipped: int = 0
    skipped_files: list[str] = field(default_factory=list)  # the first SKIPPED_NAMED
    loops: list[str] = field(default_factory=list)


def find_files(
    paths: Iterable[str | os.PathLike[str]], walk: Walk | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Each file to ingest, with an error when it cannot be (missing, unsupported suffix).

    Folders are walked recursively in name order, following symbolic links but never into a
    folder that is its own ancestor (a loop, recorded in ``walk.loops``) nor twice into one
    folder.  Files with other suffixes inside folders are counted in ``walk.skipped``; a file
    named on the command line with another suffix is an error (the user asked for it).
    """
    walk = walk if walk is not None else Walk()
    seen: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            st = path.stat()
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                yield from _walk_folder(path, frozenset({key}), seen, walk)
        elif path.is_file():
            if path.name.lower().endswith(SIDECAR_SUFFIX):
                yield path, SIDECAR_ERROR
            elif path.suffix.lower() in SUFFIXES:
                yield path, None
            else:
                yield path, f"not a minutes file (expected {', '.join(sorted(SUFFIXES))})"
        elif path.is_symlink():
            yield path, _link_error(path)
        elif path.exists():  # a FIFO, socket or device: reading it would block or never end
            yield path, NOT_REGULAR
        else:
            yield path, "no such file or folder"


def _link_error(path: Path) -> str:
    """Why a symbolic link cannot be read: it points nowhere, round in a loop, or at a FIFO."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return "broken symbolic link"
    return NOT_REGULAR  # it resolves, yet is neither a folder nor a regular file


def _walk_folder(
    folder: Path, ancestors: frozenset[tuple[int, int]], seen: set[tuple[int, int]], walk: Walk
) -> Iterator[tuple[Path, str | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"cannot read folder: {exc.strerror or exc}"
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = not is_dir and entry.is_file(follow_symlinks=True)
        except OSError:  # a symlink loop pointing at itself: ELOOP on stat
            is_dir = is_file = False
        if is_dir:
            st = entry.stat(follow_symlinks=True)
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                walk.loops.append(f"{path} -> {os.path.realpath(path)}")
                continue
            if key in seen:
                continue
            seen.add(key)
            yield from _walk_folder(path, ancestors | {key}, seen, walk)
        elif path.name.lower().endswith(SIDECAR_SUFFIX):
            continue  # belongs to the meeting beside it: neither a document nor skipped
        elif path.suffix.lower() not in SUFFIXES:
            walk.skipped += 1
            if len(walk.skipped_files) < SKIPPED_NAMED:
                walk.skipped_files.append(shown(path))
        elif is_file:
            yield path, None
        elif entry.is_symlink():
            yield path, _link_error(path)
        else:  # a FIFO or socket named like minutes: the user meant it to go in, so say why not
            yield path, NOT_REGULAR
