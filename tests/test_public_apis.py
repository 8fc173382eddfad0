"""omni_sync uses no private name of the standard library or of a dependency (``module._name``
or ``from module import _name``); they change without notice."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

# Documented, despite the underscore: how a forked child exits without the parent's cleanup.
DOCUMENTED = {"os._exit"}


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(tree: ast.AST) -> list[str]:
    modules: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("omni_sync"):
                continue
            modules.update(a.asname or a.name for a in node.names)
            found += [f"{node.module}.{a.name}" for a in node.names if private(a.name)]
    modules.discard("omni_sync")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in modules:
                found.append(ast.unparse(node))
    return [use for use in found if use not in DOCUMENTED]


def test_no_private_name_of_another_package_is_used() -> None:
    uses = {
        str(path.relative_to(REPO_ROOT)): private_uses(ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(Path(REPO_ROOT, "omni_sync").rglob("*.py"))
    }
    assert {path: found for path, found in uses.items() if found} == {}


def test_the_check_sees_both_spellings() -> None:
    tree = ast.parse("import atexit\nfrom httpx import _main\natexit._run_exitfuncs()\n")
    assert private_uses(tree) == ["httpx._main", "atexit._run_exitfuncs"]
