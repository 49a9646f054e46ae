"""A folder of bad and awkward files through `kommunegraf ingest`, as a user would run it.

Each bad file must be reported by name with a reason a user understands, every good file
must go in exactly as a clean extraction of it alone maps it, awkward-but-readable files
(Latin-1, UTF-16, one 20 MB line, a truncated file, a file without agenda items, a copy
under another name) must go in with a warning where one is due, the store must validate,
the exit status must say something failed, and no document may be half-written.

The files are built here from the bundled invented examples; nothing is read from the seeds.
"""

from __future__ import annotations

import ctypes
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from layout import as_stored

from kommunegraf.extract import extract_path
from kommunegraf.graph.rdf.mapping import map_record
from kommunegraf.graph.store.local import DOCUMENT_GRAPH, KG, open_store

pytestmark = pytest.mark.slow  # one ingest of ~21 MB, ≈ 10–20 s on two busy cores

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
UNDER_CI = os.environ.get("CI", "").lower() == "true"
ONE_LINE_BYTES = 20_000_000
# Linux capability numbers (linux/capability.h) and prctl(PR_CAPBSET_DROP).
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24
# An item header of the naestved layout the truncated example uses: "Punkt 41: Title"
ITEM_HEADER = re.compile(r"^Punkt (\d+):", re.MULTILINE)
# What the ingest says about one file on stderr: "error: /tmp/…/tom.pdf: empty file"
ERROR_LINE = re.compile(r"^error: (?P<path>.+?): (?P<reason>.+)$")

# Bad file → the words its reason must hold (what a user needs to act on).
BAD = {
    "tom.txt": "empty file",
    "tom.pdf": "empty file",
    "stoej.txt": "binary file",
    "scannet.pdf": "no text layer",
    "laast.txt": "permission denied",
    "selv.txt": "symbolic link loop",
}
GOOD = (
    "latin1.txt",
    "utf16.txt",
    "afkortet.txt",
    "en-linje.txt",
    "ingen-punkter.txt",
    "a.txt",
    "arkiv/kopi af a.txt",
)
WITHOUT_ITEMS = ("en-linje.txt", "ingen-punkter.txt")


def _no_permission_override() -> None:
    """In the child, before exec: drop root's power to read any file whatever its mode.

    The brief's way, switching to the user "nobody", does not work where the interpreter
    lives under /root (mode 0700); removing CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from
    the bounding set keeps uid 0 but makes a mode-000 file really unreadable after exec.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def unreadable_file_setup(locked: Path) -> Callable[[], None] | None:
    """The preexec function under which ``locked`` (mode 000) is unreadable to a child.

    Skips (fails under CI) when no way to make it unreadable works here.
    """
    preexec = _no_permission_override if os.geteuid() == 0 else None
    probe = [sys.executable, "-c", f"open({str(locked)!r}, 'rb').read()"]
    try:
        result = subprocess.run(probe, preexec_fn=preexec, capture_output=True, text=True)
    except (OSError, subprocess.SubprocessError) as exc:
        result = None
        why = f"cannot drop file-permission privileges here ({exc})"
    else:
        why = "chmod 000 does not stop this user from reading the file"
    if result is not None and "PermissionError" in result.stderr:
        return preexec
    if UNDER_CI:
        pytest.fail(f"{why}: the unreadable-file case must run under CI", pytrace=False)
    pytest.skip(why)


def _scanned_pdf(target: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 80, 40)  # a drawing, no text: what a scanner without OCR produces
    pdf.output(str(target))


def build_corpus(folder: Path) -> None:
    """The bad-input folder (see BAD and GOOD for what each file is)."""
    (folder / "arkiv").mkdir(parents=True)
    (folder / "loop").mkdir()
    esbjerg = (EXAMPLES / "esbjerg_bu_2023-09-04.txt").read_text(encoding="utf-8")
    horsens = (EXAMPLES / "horsens_kmu_2023-09-11.txt").read_text(encoding="utf-8")
    vejle_may = (EXAMPLES / "vejle_sbu_2023-05-03.txt").read_text(encoding="utf-8")
    vejle_aug = (EXAMPLES / "vejle_sbu_2023-08-15.txt").read_text(encoding="utf-8")

    (folder / "tom.txt").write_bytes(b"")
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "stoej.txt").write_bytes(random.Random(7).randbytes(20_000))
    _scanned_pdf(folder / "scannet.pdf")
    (folder / "laast.txt").write_text(vejle_may, encoding="utf-8")
    (folder / "laast.txt").chmod(0)
    os.symlink("selv.txt", folder / "selv.txt")  # a link to itself
    os.symlink("..", folder / "loop" / "tilbage")  # a folder loop: a warning, not an error

    (folder / "latin1.txt").write_bytes(esbjerg.encode("latin-1", errors="replace"))
    (folder / "utf16.txt").write_bytes(horsens.encode("utf-16"))
    # cut in the middle of the fourth item's text: the first three and a part go in
    fourth = [m.start() for m in ITEM_HEADER.finditer(vejle_may)][3]
    (folder / "afkortet.txt").write_text(vejle_may[: fourth + 400], encoding="utf-8")
    line = " ".join(vejle_may.split("\n")) + " "
    data = (line * (ONE_LINE_BYTES // len(line.encode("utf-8")) + 1)).encode("utf-8")
    (folder / "en-linje.txt").write_bytes(data[:ONE_LINE_BYTES].decode("utf-8", "ignore").encode())
    (folder / "ingen-punkter.txt").write_text(
        "Referat\n\nMødet i Fritidsudvalget den 4. marts 2024 blev aflyst, da for få medlemmer "
        "kunne deltage.\nEt nyt møde indkaldes med sædvanligt varsel.\n",
        encoding="utf-8",
    )
    (folder / "a.txt").write_text(vejle_aug, encoding="utf-8")
    (folder / "arkiv" / "kopi af a.txt").write_text(vejle_aug, encoding="utf-8")


def expected_triples(path: Path) -> set[bytes]:
    """What a clean extraction and mapping of the file alone gives (N-Triples lines)."""
    mapped = map_record(extract_path(path))
    return {line.rsplit(b" <", 1)[0] + b" ." for line in mapped.nquads.encode().splitlines()}


@dataclass(frozen=True)
class Run:
    folder: Path
    store: Path
    code: int
    stdout: str
    stderr: str
    expected: dict[str, set[bytes]]


def cli(*args: str, preexec: Callable[[], None] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kommunegraf", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec,
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("bad-inputs")
    folder, store = base / "mappe", base / "store"
    build_corpus(folder)
    preexec = unreadable_file_setup(folder / "laast.txt")
    ingest = cli("--store", str(store), "ingest", str(folder), "--jobs", "2", preexec=preexec)
    # the clean single extractions, while the ingest runs
    expected = {name: expected_triples(folder / name) for name in GOOD if "kopi" not in name}
    stdout, stderr = ingest.communicate(timeout=600)
    return Run(folder, store, ingest.returncode, stdout, stderr, expected)


def summary_value(stdout: str, name: str) -> str:
    for line in stdout.splitlines():
        if line.startswith(name + " "):
            return line[len(name) :].strip()
    raise AssertionError(f"no {name!r} in the summary:\n{stdout}")


def test_exit_status_says_files_failed_and_nothing_crashed(run: Run) -> None:
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr
    assert summary_value(run.stdout, "errors") == str(len(BAD))


def test_each_bad_file_is_named_once_with_a_reason(run: Run) -> None:
    errors = [m for line in run.stderr.splitlines() if (m := ERROR_LINE.match(line))]
    named = {Path(m["path"]).relative_to(run.folder).as_posix(): m["reason"] for m in errors}
    assert len(errors) == len(named), run.stderr  # one line per file
    assert set(named) == set(BAD), run.stderr  # no good file among them
    for name, words in BAD.items():
        assert words in named[name], (name, named[name])
        assert "Errno" not in named[name] and "Error:" not in named[name], named[name]


def test_warnings_for_loops_and_documents_without_items(run: Run) -> None:
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert any("symbolic link loop" in w and "tilbage" in w for w in warnings), run.stderr
    for name in WITHOUT_ITEMS:
        assert any(name in w and "no agenda items" in w for w in warnings), (name, run.stderr)
    assert summary_value(run.stdout, "no items").startswith(f"{len(WITHOUT_ITEMS)} ")


def test_every_good_file_is_in_exactly_as_ingested_alone(run: Run) -> None:
    unique = len(GOOD) - 1  # the copy is the same document
    assert summary_value(run.stdout, "documents") == f"{unique} (+1 duplicate)"
    with open_store(run.store, write=False) as store:
        graphs = {name: store.graph_of_path(run.folder / name) for name in GOOD}
        assert None not in graphs.values(), graphs
        assert graphs["a.txt"] == graphs["arkiv/kopi af a.txt"]  # one graph for both names
        assert store.documents() == set(graphs.values())
        for name, graph in graphs.items():
            if name == "arkiv/kopi af a.txt":
                continue  # loaded once, as the first name met (a.txt), whose name it states
            expected = run.expected[name]
            assert as_stored(store, graph, expected) == expected, name
        for name in BAD:
            assert store.graph_of_path(run.folder / name) is None, name


def test_nothing_is_half_written(run: Run) -> None:
    with open_store(run.store, write=False) as store:
        present = {g for g in store.named_graphs() if DOCUMENT_GRAPH.search(g)}
        assert present == store.documents()  # every document graph has its marker


def test_truncated_file_keeps_the_items_it_has(run: Run) -> None:
    text = (run.folder / "afkortet.txt").read_text(encoding="utf-8")
    printed = sorted(int(n) for n in ITEM_HEADER.findall(text))
    assert len(printed) == 4
    with open_store(run.store, write=False) as store:
        graph = store.graph_of_path(run.folder / "afkortet.txt")
        rows = store.select(
            f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ ?i a <{KG}AgendaItem> ; <{KG}number> ?n }} }}"
        )
        assert sorted(r["n"] for r in rows) == printed  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("name", "original"),
    [("latin1.txt", "esbjerg_bu_2023-09-04.txt"), ("utf16.txt", "horsens_kmu_2023-09-11.txt")],
)
def test_other_encodings_are_decoded(run: Run, name: str, original: str) -> None:
    committee = extract_path(EXAMPLES / original).meeting.committee
    assert committee and re.search("[æøåÆØÅ]", committee)
    with open_store(run.store, write=False) as store:
        graph = store.graph_of_path(run.folder / name)
        rows = store.select(
            # the committee's label is a shared description, stored once outside the document
            f"SELECT DISTINCT ?label WHERE {{ GRAPH <{graph}> {{ ?m <{KG}committee> ?c }} "
            "?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        )
        assert [r["label"] for r in rows] == [committee]


def test_the_store_validates(run: Run) -> None:
    validate = cli("--store", str(run.store), "validate")
    stdout, stderr = validate.communicate(timeout=300)
    assert validate.returncode == 0, stdout + stderr
    assert "conforms" in stdout
