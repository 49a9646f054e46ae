"""Run the `kommunegraf` command line on a store as a user would: a child process of this
interpreter, from the project root (so that the tree under test is the one imported)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kg(store: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`kommunegraf --store STORE ARGS…`, its exit status and its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "kommunegraf", "--store", str(store), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
