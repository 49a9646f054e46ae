"""Make ``import kommunegraf`` import this checkout, in this process and in its children.

The repository root is the package ``kommunegraf`` (pyproject's package-dir maps it), so the
folder on the path must hold an entry of that name.  The venv's editable install points at
one checkout; a second checkout (a worktree, a CI clone beside a developer's venv) would
silently import the first.  Tests (through conftest) and bench scripts call
:func:`use_this_tree` first: a symlink named ``kommunegraf`` in the temporary folder, put
first on ``sys.path`` and on ``PYTHONPATH`` so that child processes see the same tree.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_this_tree(root: Path = ROOT) -> Path:
    """Put ``root`` on the path as ``kommunegraf``; the folder holding the link."""
    folder = Path(tempfile.gettempdir()) / (
        "kommunegraf-tree-" + hashlib.sha256(str(root).encode()).hexdigest()[:12]
    )
    folder.mkdir(exist_ok=True)
    link = folder / "kommunegraf"
    if not (link.is_symlink() and Path(os.readlink(link)) == root):
        temporary = folder / f".link-{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(root, target_is_directory=True)
        temporary.replace(link)  # atomic: parallel workers never see a half-made link
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(folder) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), *paths) if p)
    return folder


def compile_tree(root: Path = ROOT) -> None:
    """Write the bytecode of every module of ``root`` now.  Where ``PYTHONDONTWRITEBYTECODE``
    is set (as on this project's CI machine), a module edited since its ``.pyc`` was written
    is compiled again by every process that imports it, and a benchmark of processes would
    time the compiler: 25–30 ms of each `trace` after an edit of the store's modules."""
    import compileall

    for folder in ("extract", "graph", "ontology", "queries"):
        compileall.compile_dir(root / folder, quiet=1)
    for module in root.glob("*.py"):
        compileall.compile_file(module, quiet=1)
