"""The main job (`kommunegraf demo`, what `make demo` runs) works end to end on the examples."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kommunegraf.graph.cli.demo import DEMO_CASE, DEMO_JSON_CASE
from kommunegraf.graph.cli.main import main


def test_demo_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "store"), "demo", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for municipality in ("Vejle Kommune", "Esbjerg Kommune", "Horsens Kommune"):
        assert municipality in result.output  # every example went in (stats table)
    assert f"Case {DEMO_CASE}" in result.output  # the recurring case is traced
    assert "2023-05-03" in result.output and "2023-08-15" in result.output
    # the FirstAgenda-shaped example: the budget case's path up to the Byråd, from one JSON
    json_trace = result.output.split(f"Case {DEMO_JSON_CASE}")[1]
    assert "Økonomiudvalget" in json_trace and "2023-09-18" in json_trace
    assert "2023-09-27" in json_trace
    html = out.read_text(encoding="utf-8")
    assert '<script src="http' not in html and len(html) > 10_000
