"""The layout's rules that import-linter cannot check (docs/ARCHITECTURE.md).

The layer contracts themselves run as ``lint-imports`` in ``make test``; this module checks
what is left: no import cycle between files, few imports inside functions (each with its
reason), no file read at import time, exit codes defined once. ``scripts/import_graph.py``
prints the same counts.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys

from tests.conftest import REPO

MAX_INNER_IMPORTS = 10


def _graph():
    spec = importlib.util.spec_from_file_location("import_graph", REPO / "scripts" / "import_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _analyse():
    graph = _graph()
    known = graph.modules()
    edges, inner = {}, []
    for name, path in known.items():
        top, nested = graph.imports(name, path, known)
        edges[name] = top | {target for _, target in nested}
        inner += [(name, path, line) for line, _ in nested]
    return graph, known, edges, inner


def test_no_import_cycle_between_files():
    graph, _, edges, _ = _analyse()
    assert graph.cycles(edges) == []


def test_few_imports_inside_functions_each_with_a_reason():
    _, _, _, inner = _analyse()
    statements = sorted({(name, path, line) for name, path, line in inner})
    assert len(statements) <= MAX_INNER_IMPORTS, statements
    for _name, path, line in statements:
        text = path.read_text(encoding="utf-8").splitlines()
        assert "#" in text[line - 1] or text[line - 2].strip().startswith("#"), \
            f"{path.relative_to(REPO)}:{line}: say why this import waits for the function"


def test_the_package_root_holds_only_the_contract_and_the_entry_points():
    root = sorted(p.name for p in (REPO / "dvscraper").glob("*.py"))
    assert root == ["__init__.py", "cli.py", "errors.py", "records.py", "settings.py"]


_PROBE = r"""
import importlib, json, pkgutil, sys, traceback
root, found = sys.argv[1], []
def hook(event, args):
    if event != "open" or not isinstance(args[0], str) or not args[0].startswith(root):
        return
    if args[0].endswith((".py", ".pyc")) or "__pycache__" in args[0] or "/.venv/" in args[0]:
        return
    files = [f.filename for f in traceback.extract_stack()]
    found.append({"path": args[0], "by_parse": any("/dvscraper/parse/" in f for f in files)})
sys.addaudithook(hook)
import dvscraper, pipelines
for package in (dvscraper, pipelines):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
print(json.dumps(found))
"""


def test_no_file_is_read_at_import_time():
    result = subprocess.run([sys.executable, "-c", _PROBE, str(REPO)], capture_output=True, text=True,
                            cwd=REPO, timeout=120, check=True)
    opened = json.loads(result.stdout.strip().splitlines()[-1])
    assert [o["path"] for o in opened] == []


def test_exit_codes_are_defined_once():
    defined = []
    for path in sorted([*(REPO / "dvscraper").rglob("*.py"), *(REPO / "pipelines").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                name = getattr(target, "id", "")
                if name.startswith("EXIT_") or name == "exit_code":
                    defined.append(path.relative_to(REPO).as_posix())
    assert set(defined) == {"dvscraper/errors.py"}
