"""One error root (issue 20.6): every library error is a ``KommunegrafError``, and the command
line renders one in one place: ``error: <one line>`` on stderr, a non-zero exit, no traceback.
An exception that is not a ``KommunegrafError`` is a bug and keeps its traceback."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunegraf
from kommunegraf.errors import Interrupted, KommunegrafError, UsageError
from kommunegraf.graph.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# An exception class left outside the root says so, and why, in its docstring.
OUTSIDE = "not a ``KommunegrafError``".lower()


def package_modules() -> list[str]:
    """Every module of the package (``__main__`` would run the command line when imported)."""
    found = ["kommunegraf"]
    for info in pkgutil.walk_packages(kommunegraf.__path__, "kommunegraf."):
        if info.name.split(".")[-1] != "__main__":
            found.append(info.name)
    return found


def exception_classes() -> dict[str, type[BaseException]]:
    """The exception classes defined in the package, by qualified name."""
    found: dict[str, type[BaseException]] = {}
    for name in package_modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == name:
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_library_error_is_under_the_one_root() -> None:
    classes = exception_classes()
    # the roots the issue names are found (the walk is not vacuous)
    for expected in ("LoadError", "StoreError", "TraceError", "PortalError", "QueryParamError"):
        assert any(q.endswith("." + expected) for q in classes), expected
    outside = [
        qualified
        for qualified, cls in classes.items()
        if not issubclass(cls, KommunegrafError) and OUTSIDE not in (cls.__doc__ or "").lower()
    ]
    assert not outside, f"exceptions neither under KommunegrafError nor saying why: {outside}"


def test_errors_that_callers_caught_as_builtins_still_are() -> None:
    from kommunegraf.extract.layouts.profiles import ProfileError
    from kommunegraf.extract.limits import DocumentTooLarge
    from kommunegraf.graph.fetch.portals import PortalError
    from kommunegraf.queries import QueryParamError, UnknownQuery

    assert issubclass(ProfileError, ValueError) and issubclass(DocumentTooLarge, ValueError)
    assert issubclass(PortalError, LookupError) and issubclass(QueryParamError, ValueError)
    assert issubclass(UnknownQuery, KeyError) and issubclass(UsageError, ValueError)
    assert str(UnknownQuery("no bundled query 'x'")) == "no bundled query 'x'"  # no quotes


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["extract", "{tmp}/mangler.txt"], "mangler.txt"),  # LoadError
        (["extract", "{tmp}/p.toml.txt", "--profile", "{tmp}/p.toml"], "p.toml"),  # ProfileError
        (["extract", "{example}", "--municipality", "Atlantis"], "Atlantis"),  # UsageError
        (["--store", "{tmp}/ingen", "trace", "15.20.00"], "no store at"),  # StoreMissing
        (["--store", "{tmp}/ingen", "stats"], "no store at"),
        (["query", "ingen-saadan"], "no bundled query"),  # UnknownQuery
        (["query", "case-history", "-p", "ikke et par"], "--param"),  # QueryParamError
        (["query", "x", "-e", "ASK {{}}"], "one of them"),  # the command's own refusal
        (["fetch", "Atlantis"], "Atlantis"),  # PortalError
        (["fetch", "--all", "Greve"], "--all"),
    ],
)
def test_a_provoked_error_is_one_line_and_non_zero(
    tmp_path: Path, args: list[str], says: str
) -> None:
    (tmp_path / "p.toml").write_text('name = "x"\nukendt = 1\n', encoding="utf-8")
    (tmp_path / "p.toml.txt").write_text("OPDIGTET referat\n", encoding="utf-8")
    example = sorted(EXAMPLES.glob("*.txt"))[0]
    filled = [a.format(tmp=tmp_path, example=example) for a in args]
    line = _one_error_line(CliRunner().invoke(main, filled))
    assert says in line, line


def test_a_library_error_raised_anywhere_in_a_command_is_rendered_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The commands do not catch errors themselves: the group does, for any subclass."""
    from kommunegraf import queries

    class Invented(KommunegrafError):
        exit_code = 3

    def boom() -> list[object]:
        raise Invented("første linje\nanden linje")  # a message with a line break

    monkeypatch.setattr(queries, "all_queries", boom)
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 3
    assert result.stderr == "error: første linje anden linje\n"


def test_an_interrupt_exits_130_with_what_was_kept() -> None:
    assert Interrupted("stopped").exit_code == 130


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_a_process_shows_one_line_for_a_library_error_and_a_traceback_for_a_bug(
    tmp_path: Path,
) -> None:
    error = subprocess.run(
        [sys.executable, "-m", "kommunegraf", "--store", str(tmp_path / "ingen"), "trace", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert error.returncode == 1 and error.stdout == ""
    assert error.stderr.startswith("error: no store at") and error.stderr.count("\n") == 1
    # a bug (here: a RuntimeError planted in the bundled-query listing) is not dressed up
    bug = _run(
        "from kommunegraf import queries\n"
        "from kommunegraf.graph.cli.main import main\n"
        "def planted():\n"
        "    raise RuntimeError('planted bug')\n"
        "queries.all_queries = planted\n"
        "main(['queries'])\n"
    )
    assert bug.returncode != 0
    assert "Traceback" in bug.stderr and "RuntimeError: planted bug" in bug.stderr
    assert "error: planted bug" not in bug.stderr
