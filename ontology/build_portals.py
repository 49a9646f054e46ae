"""Build ontology/reference/portals.tsv: which system publishes each municipality's minutes.

The facts (a municipality's FirstAgenda Publication host, or the type and host of another
system) come from a public municipality → portal list in JSON (``{"Greve":
"dagsordener.greve.dk", "Billund": {"type": "meetingsplus", "host": …}, "Ishøj": null}``).
That list names municipalities loosely ("Nordfyns Kommune"), so each name is resolved to the
project's own municipality table, which gives the official short name and the kommunekode;
a name it cannot resolve stops the build rather than being dropped.  Municipalities the list
leaves out get system ``unknown``, so the table always has all 98 rows.

    python -m ontology.build_portals ../shared/corpus/firstagenda-api/dagsorden_portaler.json

The output is committed; `kommunegraf fetch` reads it (graph/fetch/portals.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kommunegraf.extract import municipalities
from kommunegraf.ontology import REFERENCE_DIR

PORTALS_TSV = REFERENCE_DIR / "portals.tsv"
HEADER = ("kommunekode", "kommune", "system", "host")
FIRSTAGENDA = "firstagenda"
UNKNOWN = "unknown"


def rows_from(source: dict[str, object]) -> list[tuple[str, str, str, str]]:
    """One row per municipality of the project's table, in kommunekode order."""
    found: dict[str, tuple[str, str, str, str]] = {}
    for name, value in source.items():
        entry = municipalities.lookup(name)
        if entry is None:
            raise ValueError(f"{name!r}: not a municipality in extract/data/kommuner.tsv")
        if isinstance(value, str):
            system, host = FIRSTAGENDA, value
        elif isinstance(value, dict):
            system, host = str(value.get("type") or UNKNOWN), str(value.get("host") or "")
        else:
            system, host = UNKNOWN, ""
        found[entry.code] = (entry.code, entry.short, system, host.strip().lower())
    for entry in municipalities.table():
        found.setdefault(entry.code, (entry.code, entry.short, UNKNOWN, ""))
    return [found[code] for code in sorted(found, key=int)]


def write(rows: list[tuple[str, str, str, str]], out: Path = PORTALS_TSV) -> None:
    lines = ["\t".join(HEADER), *("\t".join(row) for row in rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the municipality → portal list (JSON)")
    parser.add_argument("--out", type=Path, default=PORTALS_TSV)
    args = parser.parse_args(argv)
    rows = rows_from(json.loads(args.source.read_text(encoding="utf-8")))
    write(rows, args.out)
    systems = sorted({row[2] for row in rows})
    print(f"{args.out}: {len(rows)} municipalities; systems {', '.join(systems)}")


if __name__ == "__main__":
    main()
