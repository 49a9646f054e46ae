"""The Backend protocol: both stores answer every member with the protocol's parameters, and
what one can do that the other cannot is asked of the protocol, never sniffed.

Static-ish: members and signatures are compared with ``inspect`` (no type checker runs in
CI); tests/test_store_contract.py runs the same assertions on both stores' behaviour.
"""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kommunegraf.graph.ingest.run import partial_threads
from kommunegraf.graph.store.backend import Backend
from kommunegraf.graph.store.local import Store, open_store
from kommunegraf.graph.store.remote import Http, RemoteStore, endpoints_for

ROOT = Path(__file__).resolve().parent.parent


def protocol_methods() -> list[str]:
    return sorted(
        name
        for name, value in vars(Backend).items()
        if not name.startswith("_") and inspect.isfunction(value)
    )


def protocol_attributes() -> list[str]:
    return sorted(name for name in Backend.__annotations__ if not name.startswith("_"))


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store", write=True) as store:
        yield store


@pytest.fixture
def remote() -> RemoteStore:
    """A client object only: constructing one asks the server nothing."""
    url = "http://127.0.0.1:9/query"
    return RemoteStore(endpoints_for(url, {}), Http(url), writable=False)


def test_the_protocol_names_the_surface_the_commands_use() -> None:
    methods, attributes = protocol_methods(), protocol_attributes()
    for name in ("documents", "replace_documents", "drop_documents", "query", "select", "export"):
        assert name in methods
    assert {"base", "writable", "derived_graph", "patches_derived"} <= set(attributes)


@pytest.mark.parametrize("cls", [Store, RemoteStore], ids=["local", "remote"])
@pytest.mark.parametrize("name", protocol_methods())
def test_both_stores_have_each_method_with_the_protocols_parameters(
    cls: type[Any], name: str
) -> None:
    wanted = inspect.signature(getattr(Backend, name))
    method = getattr(cls, name, None)
    assert callable(method), f"{cls.__name__} has no method {name}"
    have = inspect.signature(method)
    shape = [(p.name, p.kind, p.default) for p in wanted.parameters.values()]
    assert [(p.name, p.kind, p.default) for p in have.parameters.values()] == shape, name


@pytest.mark.parametrize("which", ["local", "remote"])
def test_both_stores_have_each_attribute(which: str, request: pytest.FixtureRequest) -> None:
    store = request.getfixturevalue(which)
    hints = Backend.__annotations__
    for name in protocol_attributes():
        assert hasattr(store, name), f"{which} store has no {name}"
        kind = {"bool": bool, "str": str}.get(hints[name])
        if kind is not None:
            assert isinstance(getattr(store, name), kind), name


def test_the_capability_to_patch_is_declared(local: Store, remote: RemoteStore) -> None:
    assert local.patches_derived is True
    assert remote.patches_derived is False


def test_ingest_asks_the_protocol_not_the_methods(local: Store) -> None:
    """A store that says it cannot patch its derived graph is recomputed whole, even if it
    happens to have a method of that name (as hasattr-sniffing would have believed)."""
    existing: set[str] = set()
    assert partial_threads(local, "threads", [], 0, existing=existing, current=True) == set()
    local.patches_derived = False  # type: ignore[misc]
    assert partial_threads(local, "threads", [], 0, existing=existing, current=True) is None


STORE_NAMES = {"store", "backend", "remote"}
STORE_CLASSES = {"Store", "RemoteStore", "Backend"}


def _names(node: ast.expr, names: set[str]) -> bool:
    """Whether ``node`` is one of ``names`` (``store``, ``self.store``, ``local.Store``) or a
    tuple holding one."""
    if isinstance(node, ast.Tuple):
        return any(_names(element, names) for element in node.elts)
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.Attribute) and node.attr in names


def sniffing(tree: ast.AST) -> list[int]:
    """Lines that ask what a store is or has: ``hasattr(store, …)``, ``getattr(store, "…",
    default)``, ``isinstance(x, Store)`` (or RemoteStore, Backend)."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        name, args = node.func.id, node.args
        if (
            (name == "hasattr" and _names(args[0], STORE_NAMES))
            or (name == "getattr" and len(args) == 3 and _names(args[0], STORE_NAMES))
            or (name == "isinstance" and len(args) == 2 and _names(args[1], STORE_CLASSES))
        ):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ('if hasattr(store, "patch_derived"): pass', [1]),
        ('x = getattr(self.store, "patch_derived", None)', [1]),
        ("ok = isinstance(store, Store) and isinstance(s, (int, local.RemoteStore))", [1, 1]),
        ('x = getattr(store, "base")\ny = isinstance(store, StoreSource)', []),
    ],
)
def test_what_counts_as_sniffing(code: str, lines: list[int]) -> None:
    assert sniffing(ast.parse(code)) == lines


def test_no_module_sniffs_a_stores_capabilities() -> None:
    """Nowhere in graph/: what a store can do is a member of Backend."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "graph").rglob("*.py"))
        for line in sniffing(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found


def test_open_backend_is_typed_as_the_protocol() -> None:
    from collections.abc import Iterator as IteratorABC

    from kommunegraf.graph.store import backend

    hints = typing.get_type_hints(backend.open_backend.__wrapped__)  # type: ignore[attr-defined]
    assert hints["return"] == IteratorABC[Backend]
