"""Which store a command works on: the embedded one (``--store``) or a server (``--endpoint``).

Both kinds answer the same methods (graph.store.local.Store, graph.store.remote.RemoteStore), so the
commands and graph/* modules never ask which one they were given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kommunegraf.graph.store.local import Store, open_store

if TYPE_CHECKING:  # the HTTP client is imported only for --endpoint (start-up time)
    from kommunegraf.graph.store.remote import RemoteStore


@contextlib.contextmanager
def open_backend(ctx_obj: Any, *, write: bool) -> Iterator[Store | RemoteStore]:
    """Open the store the global options name (``ctx_obj.endpoint`` wins over ``.store``)."""
    endpoint = getattr(ctx_obj, "endpoint", None)
    if endpoint:
        from kommunegraf.graph.store.remote import open_remote

        opened = open_remote(endpoint, write=write)
    else:
        opened = open_store(ctx_obj.store, write=write)
    with opened as store:
        yield store
