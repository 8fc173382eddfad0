"""The shortcut through Jinja for files whose only templating is ``{{ vars.x }}`` and
``{{ env.name }}``: the values put in by substitution, no Jinja imported.

It declines (None) whenever Jinja could read the text differently: a ``{%``, ``{#`` or other
``{{`` left over, a ``{`` just before a placeholder (``{{{ vars.x }}`` is a syntax error to
Jinja), a carriage return (Jinja turns ``\\r\\n`` into ``\\n``), a value that is missing, not plain
data or the name of a dict method, or an output over the sandbox's limit. A differential test
compares it with the sandboxed Jinja on generated files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_OUTPUT_CHARS = 5 * 1024 * 1024
"""The most text one file may render to (the sandbox's limit too)."""
DICT_ATTRIBUTES = frozenset(dir(dict))
"""``vars.items`` and the like: Jinja finds the dict's method, not a variable of that name."""
PLACEHOLDER = re.compile(r"\{\{ *(vars|env)\.([A-Za-z_][A-Za-z0-9_]*) *\}\}")
_JINJA_MARKS = ("{{", "{%", "{#")
_MISSING = object()


def _split(source: str) -> list[str] | None:
    """PLACEHOLDER.split(source) (text, scope, name, text, ..., text) when the placeholders are
    all the templating Jinja would see; else None."""
    if "\r" in source:
        return None
    parts = PLACEHOLDER.split(source)
    texts = parts[::3]
    for index, text in enumerate(texts):
        if "{" in text and (
            any(mark in text for mark in _JINJA_MARKS)
            or (text.endswith("{") and index < len(texts) - 1)
        ):
            return None
    return parts


def is_simple(source: str) -> bool:
    return "{" not in source or _split(source) is not None


def substituted(source: str, context: Mapping[str, Any]) -> str | None:
    """The text Jinja would render, by substitution; None when only Jinja can say."""
    if "{" not in source:
        return source if "\r" not in source else None
    parts = _split(source)
    if parts is None:
        return None
    pieces = [parts[0]]
    for index in range(1, len(parts), 3):
        scope = context.get(parts[index])
        name = parts[index + 1]
        found = scope.get(name, _MISSING) if isinstance(scope, Mapping) else _MISSING
        if not isinstance(found, str | int | float | bool) or name in DICT_ATTRIBUTES:
            return None
        pieces += (str(found), parts[index + 2])
    rendered = "".join(pieces)
    return rendered if len(rendered) <= MAX_OUTPUT_CHARS else None


def simple_variables(source: str) -> frozenset[str]:
    """The ``vars`` names a simple file uses."""
    found = PLACEHOLDER.finditer(source)
    return frozenset(m[2] for m in found if m[1] == "vars" and m[2] not in DICT_ATTRIBUTES)
