"""A FIFO (or any path that exists but is no regular file) is named "not a regular file",
whether it sits in a folder or is named on the command line, and whatever its suffix says.

Reading a FIFO would block for ever, so the ingest must refuse it without opening it; before
this, a FIFO in a folder was counted as "skipped (not .htm/.html/.pdf/.txt)" although it is
called ``.txt``, and on the command line it was "no such file or folder".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kommunegraf.graph.ingest.run import NOT_REGULAR, find_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "horsens_kmu_2023-09-11.txt"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "rør.txt")
    os.symlink(tmp_path / "rør.txt", tmp_path / "link til rør.txt")
    (tmp_path / "referat.txt").write_bytes(EXAMPLE.read_bytes())
    return tmp_path


def test_a_fifo_in_a_folder_is_not_a_regular_file(folder: Path) -> None:
    found = dict(find_files([folder]))
    assert found[folder / "rør.txt"] == NOT_REGULAR
    assert found[folder / "link til rør.txt"] == NOT_REGULAR
    assert found[folder / "referat.txt"] is None


def test_a_fifo_on_the_command_line_is_not_a_regular_file(folder: Path) -> None:
    assert dict(find_files([folder / "rør.txt"])) == {folder / "rør.txt": NOT_REGULAR}
    missing = folder / "findes-ikke.txt"
    assert dict(find_files([missing])) == {missing: "no such file or folder"}


def test_ingest_names_the_fifo_and_loads_the_rest(folder: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path_factory.mktemp("store")
    done = subprocess.run(
        [sys.executable, "-m", "kommunegraf", "--store", str(store), "ingest", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # a file failed
    assert f"{folder / 'rør.txt'}: not a regular file" in done.stderr
    assert re.search(r"^errors\s+2\b", done.stdout, re.M), done.stdout  # the FIFO and its link
    assert not re.search(r"^skipped\s+[1-9]", done.stdout, re.M), done.stdout
    assert "Traceback" not in done.stderr
