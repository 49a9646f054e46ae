"""The fetch cache: one file per meeting as the portal sent it, and a sidecar describing it.

    <cache>/<municipality slug>/<meeting id>.json        the body, byte for byte
    <cache>/<municipality slug>/<meeting id>.meta.json   {"url", "portal", "municipality",
        "kommunekode", "meeting_id", "fetched_at", "etag", "sha256", "status", "size",
        "committee", "date", "kind", and the list entry's "Navn", "Afsluttet",
        "ReleasedDate", "IsSupplementaryAgenda"}

Every file is written under a temporary name in the same folder and then renamed over the
old one (``os.replace`` is atomic), so a killed fetch leaves each file whole: old or new,
never half.  There is no fsync: it cost 9 ms a file (most of a fast fetch's time) and guards
only against a crash of the machine, after which a file may be empty — and then its
sidecar's ``sha256`` disagrees with it, or the sidecar does not parse, and the next fetch
downloads that meeting again.  The sidecar goes first: a body on disk always has a sidecar
naming its municipality (which ingest reads).  A kill between the two renames leaves a new
sidecar beside the old body; the sidecar's ``sha256`` then disagrees with the body, and the
next fetch downloads that meeting again.  A fetch holds a lock on the folder, so two fetches
of one municipality cannot interleave their files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from kommunegraf.errors import KommunegrafError
from kommunegraf.graph.fetch.client import Response
from kommunegraf.graph.fetch.listing import ListedMeeting
from kommunegraf.graph.fetch.portals import Portal

BODY_SUFFIX = ".json"
META_SUFFIX = ".meta.json"
TMP_SUFFIX = ".tmp"  # "<.name>.<pid>.tmp": not *.json, so ingest never reads one
LOCK_SUFFIX = ".fetch.lock"  # "<cache>/.<slug>.fetch.lock": beside the folder that ingest reads


class CacheBusy(KommunegrafError, RuntimeError):
    """Another fetch is writing this municipality's folder."""


def _sha256_file(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader, or a crash, sees the old file or the new."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        with tmp.open("wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


class MeetingCache:
    """One municipality's folder of the cache."""

    def __init__(self, root: Path, portal: Portal) -> None:
        self.portal = portal
        self.folder = Path(root) / portal.slug

    def body_path(self, meeting_id: str) -> Path:
        return self.folder / f"{meeting_id}{BODY_SUFFIX}"

    def meta_path(self, meeting_id: str) -> Path:
        return self.folder / f"{meeting_id}{META_SUFFIX}"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder for this fetch; leftovers of a killed one are removed first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder.parent / f".{self.folder.name}{LOCK_SUFFIX}").open("a+") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CacheBusy(f"another fetch is writing {self.folder}") from None
            self._remove_temporaries()
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _remove_temporaries(self) -> None:
        # Safe under the lock: no other fetch writes here, and only fetch writes ".*.tmp".
        for tmp in self.folder.glob(f".*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def read_meta(self, meeting_id: str) -> dict[str, object] | None:
        try:
            meta = json.loads(self.meta_path(meeting_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def valid_meta(self, meeting_id: str) -> dict[str, object] | None:
        """The sidecar, when the body beside it is the one it describes (else None)."""
        meta = self.read_meta(meeting_id)
        if meta is None or meta.get("status") != 200:
            return None
        body = self.body_path(meeting_id)
        try:
            if body.stat().st_size != meta.get("size"):
                return None
        except OSError:
            return None
        return meta if _sha256_file(body) == meta.get("sha256") else None

    def has_any(self, meeting_id: str) -> bool:
        return self.meta_path(meeting_id).exists() or self.body_path(meeting_id).exists()

    def store(self, listed: ListedMeeting, response: Response) -> None:
        """Keep a good response: the sidecar, then the body, each replaced atomically."""
        meta = {
            "url": response.url,
            "portal": _host(response.url) or self.portal.host,
            "municipality": self.portal.municipality,
            "kommunekode": self.portal.kommunekode,
            "meeting_id": listed.meeting_id,
            "fetched_at": _now(),
            "etag": response.etag,
            "sha256": hashlib.sha256(response.body).hexdigest(),
            "size": len(response.body),
            "status": response.status,
            "committee": listed.committee,
            "date": listed.dato,
            "kind": listed.kind,
            **listed.state(),
        }
        text = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.meta_path(listed.meeting_id), text.encode("utf-8"))
        write_atomic(self.body_path(listed.meeting_id), response.body)

    def confirm(self, listed: ListedMeeting, meta: dict[str, object]) -> None:
        """The portal said the cached body is current (304): only the sidecar changes, to
        the list entry's new state and the time of asking."""
        meta = {**meta, "fetched_at": _now(), "kind": listed.kind, **listed.state()}
        text = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.meta_path(listed.meeting_id), text.encode("utf-8"))

    def remove(self, meeting_id: str) -> bool:
        """Drop a superseded document: the body first, so none is left without its sidecar."""
        removed = False
        for path in (self.body_path(meeting_id), self.meta_path(meeting_id)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed = True
        return removed


def _now() -> str:
    """ISO-8601 UTC to the second: "2026-12-07T01:29:47Z"."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc
