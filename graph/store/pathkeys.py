"""What the ingest log keeps of a file's absolute path: a keyed hash, never the path.

The log lets an ingest find the graph an edited file produced before, so that the new
version replaces it.  It used to keep the plain sha256 of the path, which anyone who can
query the store (``query -e``, ``serve``) could reverse by hashing guessed paths
(``/home/<name>/referater/…``).  A keyed hash (HMAC-SHA256) with a secret that lives beside
the store, outside the RDF, answers the same "is this the same file?" and tells a reader
nothing: the secret is never in a graph, so no query can reach it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

# The local store's secret: a file in the store folder (mode 0600), never loaded as RDF.
PATH_KEY_FILE = "path-key"
_SECRET_BYTES = 32


def keyed(path: str, secret: bytes) -> str:
    """The hex HMAC-SHA256 of an absolute path under the store's secret."""
    return hmac.new(secret, path.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()


def read_or_create(file: Path, *, create: bool) -> tuple[bytes | None, bool]:
    """The secret in ``file`` and whether this call made it; ``(None, False)`` if there is
    none and ``create`` is false (a reader: no path of its can be in the log then).

    Two writers racing to create it agree: the file is made with O_EXCL, and the loser
    reads the winner's secret.
    """
    try:
        return bytes.fromhex(file.read_text(encoding="ascii").strip()), False
    except FileNotFoundError:
        if not create:
            return None, False
    file.parent.mkdir(parents=True, exist_ok=True)
    secret = os.urandom(_SECRET_BYTES)
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(file.read_text(encoding="ascii").strip()), False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return secret, True


def endpoint_key_file(url: str) -> Path:
    """Where the secret for a SPARQL server's log lives: the user's configuration folder
    (the server's graphs are readable by its users, so the secret cannot live there)."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    return base / "kommunegraf" / "path-keys" / name


def store_secret(file: Path, *, writable: bool, forget_unkeyed: Callable[[], None]) -> bytes | None:
    """The secret of a store (or server) kept in ``file``: a writer that finds none first
    drops the unkeyed path entries an earlier version wrote (``forget_unkeyed``), then makes
    it; a reader without one gets None (no path of its can be in the log then)."""
    if writable and not file.exists():
        forget_unkeyed()
    return read_or_create(file, create=writable)[0]
