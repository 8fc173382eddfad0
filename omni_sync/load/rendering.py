"""A file's text rendered for an environment, importing Jinja only when a file needs it: one
that uses nothing but ``{{ vars.name }}`` and ``{{ env.name }}`` is substituted (``placeholders``),
printing exactly what Jinja would; any other goes through the sandbox (``templating``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omni_sync.errors import ProblemsFound
from omni_sync.source.placeholders import is_simple, simple_variables, substituted


def used_in_source(source: str) -> frozenset[str] | None:
    """The ``vars`` names a file uses; None when it reads ``vars`` by a computed name
    (``vars[env.name ~ '_x']``, ``vars.get(name)``) or as a whole, so that it may use any;
    none when it does not parse (validate says why)."""
    if "vars" not in source:
        return frozenset()
    if is_simple(source):
        return simple_variables(source)
    from omni_sync.source.templating import compile_template

    try:
        return compile_template(source, "<scan>").variables
    except ProblemsFound:
        return frozenset()


def render_source(
    source: str,
    path: str,
    context: Mapping[str, Any],
    *,
    environment: str | None = None,
    undefined_hint: str = "",
) -> str:
    """Render a file's text: by substitution when that is all it does, else through Jinja."""
    if (rendered := substituted(source, context)) is not None:
        return rendered
    from omni_sync.source.templating import compile_template, render

    compiled = compile_template(source, path)
    return render(compiled, context, environment=environment, undefined_hint=undefined_hint)
