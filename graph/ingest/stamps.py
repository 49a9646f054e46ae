"""What a file was when it was last ingested: its stamp, so that an unchanged file is not read
again.

A daily ingest of a fetched folder meets mostly files it has already read: re-extracting
them all made a run over 10,000 unchanged meetings take five minutes to load nothing.  A
file's stamp is a digest of everything its document is made from:

- the file's bytes, and the bytes of the fetch's sidecar beside it (``<id>.meta.json``:
  the portal's municipality and the version's time come from it);
- the time that orders the versions of one meeting (graph.store.versions.stamp_of: the
  sidecar's time, else the file's modification time), since the log keeps it per document;
- what reads it (:func:`code_version`): a digest of the package's extract/, graph/ and
  ontology/ files, the versions of the installed libraries a text passes through (pypdf,
  pypdfium2, charset-normalizer, regex, beautifulsoup4, rapidfuzz …), and Tesseract's
  version and Danish model, so that an upgrade of any of them reads every file again.

The store's log keeps, per path, the stamp of the last ingest that completed its document
from that file (graph.store.updates); a file is passed over as unchanged when its path holds
its stamp on a document that is complete and states the file's name (graph.store.updates.
unchanged_files).  ``ingest --reread`` reads every file regardless.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from kommunegraf.extract.ocr import tesseract_identity
from kommunegraf.graph.store.versions import sidecar_of, stamp_of

# The folders of the package whose files decide what a file becomes in the store.
CODE_FOLDERS = ("extract", "graph", "ontology")
# Read in blocks of this size, so that a large scan is never held whole to be hashed.
BLOCK = 1 << 20
# The installed libraries a document's text passes through on its way into the store:
# decoding, PDF text and rendering, HTML, patterns, name matching, the N-Quads' terms.
READERS = (
    "beautifulsoup4",
    "charset-normalizer",
    "pillow",
    "pyoxigraph",
    "pypdf",
    "pypdfium2",
    "rapidfuzz",
    "regex",
)


class Stamp(NamedTuple):
    """A file's stamp, and the sha256 of its bytes alone (what the extraction names the
    document by: a worker that read other bytes than were stamped shows it)."""

    value: str
    sha256: str


@cache
def code_version() -> str:
    """A digest of what turns a file into its document: the package's code and data under
    :data:`CODE_FOLDERS` (about 180 files, 3 MB) and :func:`dependency_versions` (computed
    once a process)."""
    digest = hashlib.sha256(tree_digest(Path(__file__).resolve().parents[2]).encode("ascii"))
    for line in dependency_versions():
        digest.update(line.encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def tree_digest(root: Path, folders: tuple[str, ...] = CODE_FOLDERS) -> str:
    """A digest of every file under ``root``'s ``folders``, by relative path and bytes
    (bytecode left out: it follows the source, and is written or not by chance)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def dependency_versions() -> list[str]:
    """ "name version" of each library a document's text passes through (:data:`READERS`;
    "-" when one is not installed), then Tesseract's version line and its Danish model's
    size and time ("" without them): the HTTP client, the progress bar or the graph
    libraries of the derived graph change no document, and re-reading a national corpus
    (scans by OCR) because one of them was upgraded would cost hours for nothing."""
    lines = []
    for name in READERS:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} -")
    return [*lines, f"tesseract {tesseract_identity()}"]


def file_stamp(path: str | os.PathLike[str], code: str | None = None) -> Stamp | None:
    """The stamp of the file at ``path`` (see the module docstring), or None when it cannot
    be read (the extraction then says why)."""
    digest = hashlib.sha256((code or code_version()).encode("ascii"))
    own = hashlib.sha256()
    try:
        _feed(path, digest, own)
        digest.update(b"\0sidecar\0")
    except OSError:
        return None
    sidecar = sidecar_of(path)
    try:
        if sidecar != Path(path) and sidecar.is_file():
            _feed(sidecar, digest)
    except OSError:  # no sidecar can be read (its name may even be too long to exist)
        digest.update(b"\0unreadable\0")
    digest.update(b"\0version\0" + stamp_of(path).encode("ascii", "replace"))
    return Stamp(digest.hexdigest()[:32], own.hexdigest())


def _feed(path: str | os.PathLike[str], *digests: hashlib._Hash) -> None:
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            for digest in digests:
                digest.update(block)
