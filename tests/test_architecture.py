"""The shape of the package, checked (issue 20: "How it is checked").

* No import circle among the package's modules.  Every module is parsed (not imported), and
  every import counts: module level, inside functions (the lazy imports that keep `trace`
  fast are still dependencies) and ``importlib.import_module("kommunegraf.…")`` with a
  constant name.  Only imports under ``if TYPE_CHECKING:`` are left out: they never run.
  A package importing its own submodule and that submodule importing the package back *is* a
  circle (``queries/__init__`` ↔ ``queries/results`` was one); the parent package a module
  lives in is not counted as imported (Python runs it first, by definition).
* Layers import downward only.  The order, bottom to top, is :data:`LAYERS`; it follows the
  pipeline (text → records → vocabulary → RDF → store → what is computed from the store →
  what answers from it → what shows it), decided from what each room does:

  - ``errors``: the one error root; imports nothing, so any layer may raise under it.
  - ``extract.text``: the text core (folding, slugs, case numbers, dates) that both extract
    and graph use, so it may use neither.
  - ``extract``: pure text → typed records; knows nothing of RDF.
  - ``ontology``: the vocabulary, shapes and reference tables.  Its table builders read
    extract's tables (kommuner.tsv), so it sits above extract; it mints no IRIs (that is
    graph.rdf, which uses the vocabulary).
  - ``queries``: the bundled SPARQL and the binding of parameters.  It uses the vocabulary's
    prefixes and runs on any store it is handed, so it imports no room of graph.
  - ``graph.rdf`` and ``graph.progress``: records → triples and IRIs; a progress bar.
  - ``graph.store``: the backends that hold the triples.
  - ``graph.analysis``: the derived graph (threads, centrality), computed from the store.
  - ``graph.ingest`` and ``graph.fetch``: the runs that fill the store (and then bring the
    derived graph up to date) and the cache ingest reads.
  - ``graph.answers``: trace, stats, validate, viz: reading and rendering.
  - ``graph.serve``: the store as an endpoint (it may use answers, not the other way).
  - ``graph.cli``: the commands, over everything below.
  - ``kommunegraf`` itself (``__init__``: the public API; ``__main__``): the top.

  Within one layer modules may import each other (circles are caught by the first check).
* No module over 600 lines (Python modules; data files are not code).
* No block of six or more lines appears twice in the package (see :func:`code_lines` for
  what counts as a line).
* ``pip install .`` into a fresh venv puts only ``kommunegraf`` and its dist-info into
  site-packages, and the package and its console script work there (``slow``).

Offenders are listed whole, so that one run shows everything left to do.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import tokenize
import zipfile
from collections import defaultdict
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "kommunegraf"
MAX_LINES = 600
DUPLICATE_LINES = 6

# Bottom to top; a module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kommunegraf.errors",),
    ("kommunegraf.extract.text",),
    ("kommunegraf.extract",),
    ("kommunegraf.ontology",),
    ("kommunegraf.queries",),
    ("kommunegraf.graph.rdf", "kommunegraf.graph.progress", "kommunegraf.graph"),
    ("kommunegraf.graph.store",),
    ("kommunegraf.graph.analysis",),
    ("kommunegraf.graph.ingest", "kommunegraf.graph.fetch"),
    ("kommunegraf.graph.answers",),
    ("kommunegraf.graph.serve",),
    ("kommunegraf.graph.cli",),
    ("kommunegraf", "kommunegraf.__main__"),
)


# Known offenders, each a debt with an owner rather than a permission: a new offender fails its
# check, and so does an entry that no longer offends (see :func:`check`).  All four lists are
# empty: the last entries (two circles, RawMeeting's copy of the meeting fields) were paid.
KNOWN_CIRCLES: frozenset[frozenset[str]] = frozenset()
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()
KNOWN_OVERSIZED: frozenset[str] = frozenset()
KNOWN_DUPLICATES: frozenset[tuple[str, ...]] = frozenset()


def check(found: dict, known: frozenset, what: str) -> None:  # type: ignore[type-arg]
    """No offender beyond ``known``, and no entry of ``known`` that no longer offends."""
    new = [message for key, message in sorted(found.items(), key=str) if key not in known]
    stale = sorted(str(sorted(k) if isinstance(k, frozenset) else k) for k in known - set(found))
    assert not new, f"{what}:\n" + "\n\n".join(new)
    assert not stale, f"{what}: no longer offending, remove from the allowlist: {stale}"


# --- the modules and their imports ------------------------------------------------------------


@cache
def package_modules() -> dict[str, Path]:
    """Every module of the package by dotted name: the repository root is ``kommunegraf``
    (pyproject's package-dir) and a folder is a subpackage when it holds ``__init__.py``."""
    found: dict[str, Path] = {}

    def walk(folder: Path, name: str) -> None:
        for path in sorted(folder.iterdir()):
            if path.name.startswith((".", "__pycache__")):
                continue
            if path.is_dir() and (path / "__init__.py").is_file():
                walk(path, f"{name}.{path.name}")
            elif path.suffix == ".py":
                found[name if path.stem == "__init__" else f"{name}.{path.stem}"] = path

    walk(ROOT, PACKAGE)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST):  # type: ignore[no-untyped-def]
    """Every node, except what sits under ``if TYPE_CHECKING:`` (never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The package module an imported dotted name lives in (``a.b.func`` → ``a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[tuple[str, int]]:
    """(imported package module, line) for every import in ``module``."""
    modules = package_modules()
    path = modules[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[tuple[str, int]] = set()
    for node in _nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            # ``import kommunegraf`` in a module of it names the package object (its path),
            # which is loaded before any of its modules: no dependency on what it holds
            names = [a.name for a in node.names if not module.startswith(a.name + ".")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        elif (
            isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                target = _resolve(name, modules)
                if target and target != module:
                    found.add((target, node.lineno))
    return found


@cache
def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module in package_modules():
        graph.add_node(module)
        for target, line in sorted(imports_of(module), key=lambda t: t[1]):
            if not graph.has_edge(module, target):  # the first line that imports it
                graph.add_edge(module, target, line=line)
    return graph


def _where(graph: nx.DiGraph, a: str, b: str) -> str:
    return f"{package_modules()[a].relative_to(ROOT)}:{graph.edges[a, b]['line']}"


# --- (a) no import circle ----------------------------------------------------------------------


def import_circles() -> dict[frozenset[str], str]:
    """Each strongly connected component of more than one module, shown as a cycle through it."""
    graph = import_graph()
    circles = {}
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = nx.find_cycle(graph.subgraph(component))
            circles[frozenset(component)] = "\n".join(
                f"{a} -> {b} ({_where(graph, a, b)})" for a, b in cycle
            )
    return circles


def test_the_import_graph_sees_lazy_and_function_level_imports() -> None:
    """The parser is not blind: known imports of each kind are edges."""
    graph = import_graph()
    # module level
    assert graph.has_edge("kommunegraf.graph.cli.main", "kommunegraf.graph.cli.answers")
    # inside a function (trace's command imports the trace module when run)
    assert graph.has_edge("kommunegraf.graph.cli.answers", "kommunegraf.graph.answers.trace")
    # importlib.import_module with a constant name (extract's lazy entry points)
    assert graph.has_edge("kommunegraf.extract", "kommunegraf.extract.pipeline")
    # not under TYPE_CHECKING: the public API names Record only for type checkers
    assert not graph.has_edge("kommunegraf", "kommunegraf.extract.records")
    assert graph.has_edge("kommunegraf", "kommunegraf.graph.answers.trace")


def test_no_import_circle() -> None:
    check(import_circles(), KNOWN_CIRCLES, "import circles")


# --- (b) layers import downward ---------------------------------------------------------------


def layer_of(module: str) -> int:
    best, index = "", -1
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, index = prefix, i
    assert index >= 0, f"{module} is in no layer: add its room to LAYERS"
    return index


def upward_imports() -> dict[tuple[str, str], str]:
    graph = import_graph()
    return {
        (a, b): f"{a} ({layer_of(a)}) imports {b} ({layer_of(b)}) at {_where(graph, a, b)}"
        for a, b in graph.edges
        if layer_of(b) > layer_of(a)
    }


def test_every_module_is_in_a_layer() -> None:
    for module in package_modules():
        layer_of(module)


def test_layers_import_downward_only() -> None:
    check(upward_imports(), KNOWN_UPWARD, "imports that point up the layers")


# --- (c) no module over 600 lines -------------------------------------------------------------


def oversized_modules() -> dict[str, str]:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in package_modules().items()
    }
    return {name: f"{name}: {n} lines" for name, n in sizes.items() if n > MAX_LINES}


def test_no_module_over_600_lines() -> None:
    check(oversized_modules(), KNOWN_OVERSIZED, f"modules over {MAX_LINES} lines")


# --- (d) no six-line block twice -------------------------------------------------------------


def code_lines(source: str) -> list[tuple[int, str]]:
    """(line number, normalised text) of the lines that count towards a duplicate.

    A line counts when it says something: whitespace and comments are dropped (the same
    code re-indented or re-commented is still a copy), and so are blank lines, import
    statements and ``__all__`` lists (two modules needing or re-exporting the same names is no
    copy: a package's ``__init__`` names what its modules define), the lines of a docstring
    (prose about similar things is not code) and lines of bare punctuation or one keyword
    (``)``, ``],``, ``else:``, ``return``), which every long call or block ends with.
    """
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ):
            skipped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            first = body[0]
            skipped.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    text: dict[int, list[str]] = defaultdict(list)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        # a token spanning lines (a long string) is one line's text
        text[token.start[0]].append(token.string)
    lines = []
    for number in sorted(text):
        if number in skipped:
            continue
        words = text[number]
        meaningful = [w for w in words if any(ch.isalnum() for ch in w)]
        if not meaningful or (len(meaningful) == 1 and meaningful[0] in _BARE_KEYWORDS):
            continue
        lines.append((number, " ".join(words)))
    return lines


_BARE_KEYWORDS = frozenset(
    {"else", "try", "finally", "return", "pass", "break", "continue", "raise", "yield", "None"}
)


def duplicate_blocks() -> dict[tuple[str, ...], str]:
    """Each block of ``DUPLICATE_LINES`` or more counted lines found at two places or more."""
    windows: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for name, path in package_modules().items():
        lines = code_lines(path.read_text(encoding="utf-8"))
        for i in range(len(lines) - DUPLICATE_LINES + 1):
            chunk = lines[i : i + DUPLICATE_LINES]
            key = hashlib.sha1("\n".join(t for _, t in chunk).encode()).hexdigest()
            windows[key].append((name, chunk[0][0], chunk[-1][0]))
    # windows that overlap in one place (a repeated line run inside one block) are not copies
    places: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    for found in windows.values():
        distinct: list[tuple[str, int, int]] = []
        for place in found:
            if not any(p[0] == place[0] and p[2] >= place[1] for p in distinct):
                distinct.append(place)
        if len(distinct) > 1:
            places[(distinct[0][0], distinct[0][1])] = distinct
    # one report per copied block: merge the windows that run on from one another; keyed by
    # the files it is in (line numbers move with every edit)
    reports: dict[tuple[str, ...], list[str]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for (name, start), distinct in sorted(places.items()):
        if (name, start) in seen:
            continue
        end = max(p[2] for p in distinct if p[0] == name and p[1] == start)
        for (other_name, other_start), more in places.items():
            if other_name == name and start < other_start <= end + 1:
                seen.add((other_name, other_start))
                end = max(end, *(p[2] for p in more if p[0] == name))
        files = {m: str(package_modules()[m].relative_to(ROOT)) for m, _, _ in distinct}
        others = ", ".join(f"{files[m]}:{a}" for m, a, _ in distinct if (m, a) != (name, start))
        reports[tuple(sorted(set(files.values())))].append(
            f"{files[name]}:{start}-{end} == {others}"
        )
    return {key: "\n".join(found) for key, found in reports.items()}


def test_code_lines_count_what_says_something() -> None:
    source = (
        '"""Docstring."""\n'
        "import os\n"
        "from pathlib import (\n"
        "    Path,\n"
        ")\n"
        "\n"
        "def f(x):  # a comment\n"
        '    """Its docstring,\n'
        '    two lines."""\n'
        "    # only a comment\n"
        "    y = g(\n"
        "        x,\n"
        "    )\n"
        "    return y\n"
        "__all__ = [\n"
        '    "f",\n'
        "]\n"
    )
    assert code_lines(source) == [
        (7, "def f ( x ) :"),
        (11, "y = g ("),
        (12, "x ,"),
        (14, "return y"),
    ]


def test_the_duplicate_finder_finds_a_planted_copy(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    block = "".join(f"    total = total + value_{i} * {i}\n" for i in range(DUPLICATE_LINES))
    (tmp_path / "a.py").write_text(f"def one(total):\n{block}    return total\n")
    (tmp_path / "b.py").write_text(f"def two(total):\n    # copied\n\n{block}    return total\n")
    (tmp_path / "c.py").write_text(f"def three(total):\n{block[: block.rindex('    total')]}")
    modules = {f"kommunegraf.{p.stem}": p for p in sorted(tmp_path.glob("*.py"))}
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    package_modules.cache_clear()
    monkeypatch.setattr(sys.modules[__name__], "package_modules", lambda: modules)
    found = duplicate_blocks()
    assert found == {("a.py", "b.py"): "a.py:2-8 == b.py:4"}, found  # c.py has five: no copy


def test_no_block_of_six_lines_twice() -> None:
    check(duplicate_blocks(), KNOWN_DUPLICATES, f"blocks of {DUPLICATE_LINES}+ lines found twice")


# --- (e) pip install into a fresh venv --------------------------------------------------------


def _copy_source(to: Path) -> Path:
    """The checkout without what is no part of a build (tests, history, caches), so that
    building writes nothing (build/, egg-info) into the working tree."""
    ignore = shutil.ignore_patterns(
        ".git", "tests", "bench", "notebooks", "__pycache__", "build", "dist", "*.egg-info",
        ".pytest_cache", ".ruff_cache", ".venv", "*-store", "out",
    )  # fmt: skip
    return Path(shutil.copytree(ROOT, to / "src", ignore=ignore))


@pytest.mark.slow
def test_pip_install_puts_only_kommunegraf_into_a_fresh_venv(tmp_path: Path) -> None:
    source = _copy_source(tmp_path)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("kommunegraf-*.whl")
    # the wheel holds every module of the tree (a subpackage missing from pyproject's list
    # would be silently left out) and the package data the code reads
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    wanted = {str(Path(PACKAGE, path.relative_to(ROOT))) for path in package_modules().values()}
    assert not wanted - names, f"modules missing from the wheel: {sorted(wanted - names)}"
    for data in (
        "kommunegraf/queries/case-history.rq",
        "kommunegraf/ontology/shapes.ttl",
        "kommunegraf/extract/data/kle.tsv",
    ):
        assert data in names, data

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    before = set(os.listdir(site))
    installed = subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    added = sorted(set(os.listdir(site)) - before)
    assert len(added) == 2 and added[0] == "kommunegraf", added
    assert added[1].startswith("kommunegraf-") and added[1].endswith(".dist-info"), added

    # the dependencies (click, pyoxigraph, …) from the development venv, after the venv's own
    # site-packages, so that the installed kommunegraf is the one imported
    (site / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    imported = subprocess.run(
        [str(python), "-c", "import kommunegraf, sys; print(kommunegraf.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(site), imported.stdout
    script = venv / "bin" / "kommunegraf"
    helped = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert helped.returncode == 0 and "Usage: kommunegraf" in helped.stdout, helped.stderr
    # and it works from the installed package data alone: an invented example's record
    example = sorted((ROOT / "examples").glob("*.txt"))[0]
    record = subprocess.run(
        [str(script), "extract", str(example)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert record.returncode == 0 and '"items"' in record.stdout, record.stderr


def test_an_allowlist_entry_that_no_longer_offends_fails() -> None:
    check({"a": "a offends"}, frozenset({"a"}), "w")  # a known offender passes
    with pytest.raises(AssertionError, match=r"no longer offending.*'b'"):
        check({"a": "a offends"}, frozenset({"a", "b"}), "w")
    with pytest.raises(AssertionError, match="c offends"):
        check({"a": "a offends", "c": "c offends"}, frozenset({"a"}), "w")


def _imports_of_the_tests_folder(source: str) -> list[str]:
    """Import statements that treat ``tests/`` as a package (``tests`` has no ``__init__``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [name for name in names if name == "tests" or name.startswith("tests.")]
    return found


def test_tests_import_each_other_by_module_name() -> None:
    """``from tests.x import y`` works only when some earlier test happened to put the
    repository root on ``sys.path``; under xdist that depends on which worker ran what, so it
    passed here and failed in CI.  ``tests/`` itself is on the path (pytest's prepend mode)."""
    planted = "from tests.test_remote import stop\nimport tests"
    assert _imports_of_the_tests_folder(planted) == ["tests.test_remote", "tests"]
    offenders = {
        path.name: found
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if (found := _imports_of_the_tests_folder(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
