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
    if "\r" not in source:
        parts = PLACEHOLDER.split(source)  # one pass serves the check and the substitution
        if _only_placeholders(parts):
            rendered = _substituted(parts, context)
            if rendered is not None:
                return rendered[0]
    from omni_sync.load.templating import compile_template, render

    compiled = compile_template(source, path)
    return render(compiled, context, environment=environment, undefined_hint=undefined_hint)


def is_simple(source: str) -> bool:
    """Whether ``{{ vars.x }}`` and ``{{ env.name }}`` are all the templating in ``source``."""
    if "\r" in source:
        return False
    return "{" not in source or _only_placeholders(PLACEHOLDER.split(source))


def _only_placeholders(parts: list[str]) -> bool:
    """``parts`` from PLACEHOLDER.split: text, scope, name, text, ..., text."""
    rest = "".join(parts[::3]) if len(parts) > 1 else parts[0]
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
    return _substituted(PLACEHOLDER.split(source), context)


def _substituted(parts: list[str], context: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    if len(parts) == 1:
        return parts[0], []
    values: list[str] = []
    for scope_name, name in zip(parts[1::3], parts[2::3], strict=True):
        scope = context.get(scope_name)
        found = scope.get(name, _MISSING) if isinstance(scope, Mapping) else _MISSING
        if not isinstance(found, str | int | float | bool) or name in DICT_ATTRIBUTES:
            return None
        values.append(str(found))
    texts = parts[::3]
    pieces = [texts[0]]
    for value, text in zip(values, texts[1:], strict=True):
        pieces += (value, text)
    return "".join(pieces), values
