"""The commands pass typed values: no ``Any`` in omni_sync/commands/ (mypy --strict checks
the rest of what it could hide)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT


def names_any(tree: ast.AST) -> bool:
    return any(
        (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
        for node in ast.walk(tree)
    )


def test_no_command_module_uses_any() -> None:
    folder = Path(REPO_ROOT, "omni_sync", "commands")
    found = [
        path.name
        for path in sorted(folder.glob("*.py"))
        if names_any(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []
    assert names_any(ast.parse("from typing import Any\nx: dict[str, Any]"))
