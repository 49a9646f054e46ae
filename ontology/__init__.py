"""The kommunegraf vocabulary, its SHACL shapes and its reference data, as files on disk.

Everything here is Turtle shipped as package data; other modules read these paths rather
than knowing where the package lives.  ``REFERENCE_FILES`` go into the named graph
``…/graph/reference`` (see graph.rdf.iris.IriMinter.reference_graph).
"""

from __future__ import annotations

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_TTL = ONTOLOGY_DIR / "kommunegraf.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
REFERENCE_DIR = ONTOLOGY_DIR / "reference"


def reference_files() -> list[Path]:
    """The reference-data Turtle files (municipalities, parties, laws, outcomes, KLE)."""
    return sorted(REFERENCE_DIR.glob("*.ttl"))
