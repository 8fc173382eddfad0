"""No dead properties: each property of omni_sync is read somewhere in omni_sync itself (a
property only a test reads is code the product carries for nothing)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from tests.conftest import REPO_ROOT

PROPERTY_DECORATORS = {"property", "cached_property"}


def is_property(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef):
        return False
    names = {getattr(d, "id", None) or getattr(d, "attr", None) for d in node.decorator_list}
    return bool(names & PROPERTY_DECORATORS)


def test_every_property_is_read_in_the_package() -> None:
    defined: Counter[str] = Counter()
    places: dict[str, list[str]] = {}
    mentioned: Counter[str] = Counter()
    for path in sorted(Path(REPO_ROOT, "omni_sync").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if is_property(node):
                assert isinstance(node, ast.FunctionDef)
                defined[node.name] += 1
                places.setdefault(node.name, []).append(f"{path.name}:{node.lineno}")
        mentioned.update(re.findall(r"[A-Za-z_]\w*", source))
    assert len(defined) > 20  # the walk found the package's properties
    unread = {name: places[name] for name in defined if mentioned[name] <= defined[name]}
    assert unread == {}
