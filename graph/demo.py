"""The main job on the bundled examples: extract every invented minutes file and summarise.

Later stages (ingest, trace, threads, viz) join this as they land, so `make demo` always
shows the whole pipeline that exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html", ".htm", ".pdf"})


def run_demo(*, store: str, out: Path | None, echo: Callable[[str], None]) -> int:
    """Extract every example and print its record; returns the exit status."""
    from extract import extract_path

    for path in example_files():
        record = extract_path(path)
        echo(f"== {path.name}: layout {record.source.layout}, {len(record.items)} items")
        echo(json.dumps(record.to_json(), ensure_ascii=False, indent=2))
    return 0
