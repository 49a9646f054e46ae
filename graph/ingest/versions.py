"""Moved to graph.store.versions (which document of a meeting is shown; where earlier versions go).

The store keeps it, and the store sits below ingest in the layers.  This name stays for
branches written before the move: it is the very same module object, so a monkeypatch
through either name holds.
"""

import sys

from kommunegraf.graph.store import versions

sys.modules[__name__] = versions
