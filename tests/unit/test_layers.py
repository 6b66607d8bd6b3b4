"""The package's layers: the import-linter contract holds, no module imports itself round a circle,
and the few imports left inside functions each say why."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

lint = pytest.importorskip("importlinter.cli", reason="needs import-linter (the test extra)")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "policyengine"
MAX_LOCAL_IMPORTS = 10
#: The pytest plugin loads the engine lazily and is moving to a top-level module of its own.
LOCAL_IMPORTS_ELSEWHERE = {"testing/plugin.py"}


def module_name(path: Path) -> str:
    """`policyengine.core.model` for src/policyengine/core/model.py (a package by its __init__)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported: its body's, inside `if`/`try` too, but not
    those of functions, classes or `if TYPE_CHECKING:`."""
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]


def imported_modules(path: Path, node: ast.Import | ast.ImportFrom, modules: set[str]) -> set[str]:
    """The package's modules an import statement names (a `from X import name` names X.name when it is
    a module, else X)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
        if node.level else node.module or ""
    found = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
    return found or ({base} & modules)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports at top level."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for node in top_level_imports(tree) for m in imported_modules(path, node, set(files))}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def local_imports() -> list[tuple[str, int, str]]:
    """Every import statement inside a function of the package: (file, line, source line)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out += [(path.relative_to(PACKAGE).as_posix(), n.lineno, lines[n.lineno - 1])
                        for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return sorted(set(out))


class TestContract:
    """`lint-imports` keeps every contract of pyproject.toml."""

    def test_lint_imports_passes(self, capsys):
        """The layers and forbidden contracts hold (run as `lint-imports` would, without its cache)."""
        status = lint.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
        assert status == lint.EXIT_STATUS_SUCCESS, capsys.readouterr().out


class TestNoCircles:
    """No module imports, at top level, a module that imports it back (directly or round a circle)."""

    def test_graph_has_no_circle(self):
        """The top-level import graph of the package is acyclic."""
        assert circles(import_graph()) == []

    def test_a_circle_is_found(self):
        """The check sees a circle when there is one."""
        assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


class TestLocalImports:
    """Imports stay at the top of each file; the few left in functions are lazy on purpose and say why."""

    def test_at_most_ten_each_with_its_reason(self):
        """At most 10 function-local imports, each with a comment on its line."""
        found = [entry for entry in local_imports() if entry[0] not in LOCAL_IMPORTS_ELSEWHERE]
        assert len(found) <= MAX_LOCAL_IMPORTS, found
        assert [entry for entry in found if "#" not in entry[2]] == []
