"""The main job on the bundled invented examples: ingest → stats → trace → threads → query → viz.

It runs the same commands a user would type, so `make demo` shows the real command line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# A case that recurs across the two invented Vejle meetings (quarterly complaint statistics).
DEMO_CASE = "15.20.00-A00-2-23"
# The invented Vejle budget case: committee → Økonomiudvalget → Byråd, the last of them read
# from a FirstAgenda-shaped meeting (examples/vejle_byraad_2023-09-27.json).
DEMO_JSON_CASE = "00.30.10-S00-3-23"


def example_files() -> list[Path]:
    suffixes = {".txt", ".html", ".htm", ".pdf", ".json"}
    return sorted(
        p for p in EXAMPLES.iterdir() if p.suffix in suffixes and not p.name.endswith(".meta.json")
    )


def demo_steps(store: str, out: Path) -> list[list[str]]:
    """The command lines of the demo, in order."""
    g = ["--store", store]
    return [
        [*g, "ingest", str(EXAMPLES)],
        [*g, "stats"],
        [*g, "trace", DEMO_CASE, "--municipality", "Vejle"],
        [*g, "trace", DEMO_JSON_CASE, "--municipality", "Vejle"],
        [*g, "threads", "--min-meetings", "2"],
        [*g, "query", "decisions-by-outcome"],
        # A case, laid out as a timeline of its meetings: the whole store is a hairball
        [*g, "viz", "--case", DEMO_CASE, "--municipality", "Vejle", "--out", str(out)],
    ]


def run_demo(
    *,
    store: str,
    out: Path | None,
    echo: Callable[[str], None],
    run: Callable[[list[str]], object],
) -> int:
    """Run every step with ``run`` (the command group's own entry, handed in by the ``demo``
    command so that this module need not import the command line); returns the first
    non-zero exit status, else 0."""
    out = out or Path("kommunegraf-graph.html")
    for args in demo_steps(store, out):
        echo(f"\n$ kommunegraf {' '.join(args)}")
        try:
            run(args)
        except SystemExit as exc:
            if exc.code:
                return int(exc.code) if isinstance(exc.code, int) else 1
    echo(f"\nThe interactive graph is in {out} — open it in a browser.")
    return 0
