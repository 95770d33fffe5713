"""The package is laid out by stage and its imports run one way: no module imports itself back
through others, no two subpackages import each other, and the shared modules at the top import
no subpackage.  Imports inside functions count too: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "newsanno"
# The package's own entry points, which may reach into any stage.
ENTRY = {"newsanno", "newsanno.__main__"}


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name -> its file, for every module of the package."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the newsanno modules it imports (``from pkg import sub`` counts as ``pkg.sub``)."""
    paths = modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against this module's package
                    anchor = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names}
        graph[name] = {m for m in found if m in paths and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def stages(package: Path = PACKAGE) -> dict[str, str | None]:
    """Module -> the subpackage (stage) it belongs to, or None for a shared module at the top."""
    return {name: path.relative_to(package).parts[0] if path.parent != package else None for name, path in modules(package).items()}


def test_no_module_imports_itself_back() -> None:
    assert cycles(import_graph()) == []


def stage_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Subpackage -> the other subpackages its modules import."""
    of = stages(package)
    graph: dict[str, set[str]] = {}
    for module, imported in import_graph(package).items():
        if of[module] is not None:
            graph.setdefault(of[module], set()).update(of[i] for i in imported if of[i] not in (None, of[module]))  # type: ignore[misc]
    return graph


def test_no_two_subpackages_import_each_other() -> None:
    assert cycles(stage_graph()) == []


def test_shared_modules_at_the_top_import_no_stage() -> None:
    of = stages()
    graph = import_graph()
    offenders = [f"{m} -> {i}" for m in graph if m not in ENTRY and of[m] is None for i in graph[m] if of[i] is not None]
    assert offenders == []


def test_the_checker_finds_planted_cycles(tmp_path: Path) -> None:
    """The graph and the cycle search are what the tests above rely on: a planted module cycle
    (one lazy, one relative import), a one-way import and a cycle between two subpackages."""
    package = tmp_path / "newsanno"
    files = {
        "__init__.py": "",
        "shared.py": "",
        "one/__init__.py": "",
        "one/a.py": "from newsanno.one import b\nfrom newsanno import shared\n",
        "one/b.py": "def f():\n    from . import a\n",
        "one/c.py": "import newsanno.one.a\nfrom newsanno.two.d import X\n",
        "two/__init__.py": "",
        "two/d.py": "from newsanno.one import b\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    graph = import_graph(package)
    assert graph["newsanno.one.b"] == {"newsanno.one.a"}
    assert graph["newsanno.one.c"] == {"newsanno.one.a", "newsanno.two.d"}
    assert cycles(graph) == [["newsanno.one.a", "newsanno.one.b"]]
    assert stage_graph(package) == {"one": {"two"}, "two": {"one"}}
    assert cycles(stage_graph(package)) == [["one", "two"]]
