"""What a file was when it was last ingested: its stamp, so that an unchanged file is not read
again.

A daily ingest of a fetched folder meets mostly files it has already read: re-extracting
them all made a run over 10,000 unchanged meetings take five minutes to load nothing.  A
file's stamp is a digest of everything its document is made from:

- the file's bytes, and the bytes of the fetch's sidecar beside it (``<id>.meta.json``:
  the portal's municipality and the version's time come from it);
- the time that orders the versions of one meeting (graph.store.versions.stamp_of: the
  sidecar's time, else the file's modification time), since the log keeps it per document;
- the code that turns a file into quads and facts (:func:`code_version`): a digest of the
  package's extract/, graph/ and ontology/ files, so that any change to the extractors, the
  mapping or the reference tables reads every file again.

The store's log keeps, per path, the stamp of the last ingest that completed its document
(graph.store.updates); a file whose path and stamp match is counted as unchanged and passed
over.  ``ingest --reread`` reads every file regardless.  What a stamp cannot see: a
different Tesseract under the same code (a scan is OCR-ed again only with ``--reread``).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from kommunegraf.graph.store.versions import sidecar_of, stamp_of

# The folders of the package whose files decide what a file becomes in the store.
CODE_FOLDERS = ("extract", "graph", "ontology")
# Read in blocks of this size, so that a large scan is never held whole to be hashed.
BLOCK = 1 << 20


@cache
def code_version() -> str:
    """A digest of the package's code and data under :data:`CODE_FOLDERS` (computed once a
    process: about 180 files, 3 MB)."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def file_stamp(path: str | os.PathLike[str], code: str | None = None) -> str | None:
    """The stamp of the file at ``path`` (see the module docstring), or None when it cannot
    be read (the extraction then says why)."""
    digest = hashlib.sha256((code or code_version()).encode("ascii"))
    try:
        _feed(digest, path)
        digest.update(b"\0sidecar\0")
        sidecar = sidecar_of(path)
        if sidecar != Path(path) and sidecar.is_file():
            _feed(digest, sidecar)
    except OSError:
        return None
    digest.update(b"\0version\0" + stamp_of(path).encode("ascii", "replace"))
    return digest.hexdigest()[:32]


def _feed(digest: hashlib._Hash, path: str | os.PathLike[str]) -> None:
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
