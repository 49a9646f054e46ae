"""Moved to graph.store.pathkeys (the keyed digests of file paths in the ingest log).

The store keeps it, and the store sits below ingest in the layers.  This name stays for
branches written before the move: it is the very same module object, so a monkeypatch
through either name holds.
"""

import sys

from kommunegraf.graph.store import pathkeys

sys.modules[__name__] = pathkeys
