"""Count what the layout issue measures: modules at the package root, import cycles between
files, and project-internal imports inside functions.

    python scripts/import_graph.py [--list]

Reads the source with ``ast`` (nothing is imported). Cycles are the strongly connected
components (more than one file) of the graph of every import, at module level or inside a
function (a deferred import is still a dependency), ``TYPE_CHECKING`` blocks excluded.
Imports inside functions are counted per imported name. ``--list`` prints each cycle and
each import inside a function.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dvscraper", "pipelines")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def _resolve(target: str, known: dict[str, Path]) -> str | None:
    """The project module ``target`` names (a module, or a package whose attribute is imported)."""
    while target:
        if target in known:
            return target
        target = target.rpartition(".")[0]
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(name: str, path: Path, known: dict[str, Path]):
    """-> (module-level targets, [(line, target) inside functions])."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top: set[str] = set()
    inner: list[tuple[int, str]] = []

    def targets(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        return [f"{base}.{alias.name}" for alias in node.names] or [base]

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in targets(child):
                    resolved = _resolve(target, known)
                    if resolved is None or resolved == name:
                        continue
                    if in_function:
                        inner.append((child.lineno, resolved))
                    else:
                        top.add(resolved)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, True)
            else:
                visit(child, in_function)

    visit(tree, False)
    return top, inner


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def main(argv: list[str]) -> int:
    known = modules()
    graph: dict[str, set[str]] = {}
    inner: list[tuple[str, int, str]] = []
    for name, path in known.items():
        top, nested = imports(name, path, known)
        # a submodule import also runs its package's __init__: an edge to the package is implied
        graph[name] = top | {target for _, target in nested}
        inner += [(name, line, target) for line, target in nested]
    root = [p for p in (ROOT / "dvscraper").glob("*.py") if p.name != "__init__.py"]
    found = cycles(graph)
    print(f"modules at the package root (dvscraper/*.py, __init__ excluded): {len(root)}")
    print(f"import cycles between files (strongly connected components): {len(found)}")
    print(f"project-internal imports inside functions: {len(inner)}")
    if "--list" in argv:
        for component in found:
            print("cycle:", " <-> ".join(component))
        for name, line, target in inner:
            print(f"inner: {name}:{line} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
