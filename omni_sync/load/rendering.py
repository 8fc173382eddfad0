"""A file's text rendered for an environment, importing Jinja only when a file needs it.

Most scenario files use nothing but ``{{ vars.name }}`` and ``{{ env.name }}``: those are rendered
by plain substitution, printing exactly what Jinja would. Anything else (blocks, filters, a
missing variable) goes through the sandbox in ``templating``, which also locates every error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DICT_ATTRIBUTES = frozenset(dir(dict))
PLACEHOLDER = re.compile(r"\{\{ *(vars|env)\.([A-Za-z_][A-Za-z0-9_]*) *\}\}")
_JINJA_MARKS = ("{{", "{%", "{#")
_MISSING = object()


def variables_in_source(source: str) -> dict[str, int]:
    """Statically used ``vars`` names of a template; empty when it does not parse."""
    if is_simple(source):
        return _simple_variables(source)
    from omni_sync.errors import ProblemsFound
    from omni_sync.load.templating import compile_template

    try:
        return dict(compile_template(source, "<scan>").variables)
    except ProblemsFound:
        return {}


def render_source(
    source: str,
    path: str,
    context: Mapping[str, Any],
    *,
    environment: str | None = None,
    undefined_hint: str = "",
) -> str:
    """Render a file's text: by substitution when that is all it does, else through Jinja."""
    if is_simple(source):
        rendered = substitution(source, context)
        if rendered is not None:
            return rendered[0]
    from omni_sync.load.templating import compile_template, render

    compiled = compile_template(source, path)
    return render(compiled, context, environment=environment, undefined_hint=undefined_hint)


def is_simple(source: str) -> bool:
    if "\r" in source:
        return False
    if "{" not in source:
        return True
    rest = PLACEHOLDER.sub("", source)
    return not any(mark in rest for mark in _JINJA_MARKS)


def _simple_variables(source: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for match in PLACEHOLDER.finditer(source):
        if match.group(1) == "vars" and match.group(2) not in DICT_ATTRIBUTES:
            found.setdefault(match.group(2), source.count("\n", 0, match.start()) + 1)
    return found


def substitution(source: str, context: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """The text with each placeholder replaced, and the values put in, in order; None when a
    value is missing (or not plain data): Jinja then reports it, located."""
    values: list[str] = []

    def value(match: re.Match[str]) -> str:
        scope = context.get(match.group(1))
        found = scope.get(match.group(2), _MISSING) if isinstance(scope, Mapping) else _MISSING
        if not isinstance(found, str | int | float | bool) or match.group(2) in DICT_ATTRIBUTES:
            raise _Missing
        values.append(str(found))
        return values[-1]

    try:
        return PLACEHOLDER.sub(value, source), values
    except _Missing:
        return None


class _Missing(Exception):
    """A placeholder without a plain value."""
