"""A file's text rendered for an environment, importing Jinja only when a file needs it: one
that uses nothing but ``{{ vars.name }}`` and ``{{ env.name }}`` is substituted (``placeholders``),
printing exactly what Jinja would; any other goes through the sandbox (``templating``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omni_sync.errors import ProblemsFound
from omni_sync.source.placeholders import is_simple, simple_variables, substituted


def variables_in_source(source: str) -> dict[str, int]:
    """Statically used ``vars`` names of a template; empty when it does not parse."""
    if is_simple(source):
        return simple_variables(source)
    from omni_sync.source.templating import compile_template

    try:
        return dict(compile_template(source, "<scan>").variables)
    except ProblemsFound:
        return {}


def used_in_source(source: str) -> set[str] | None:
    """The ``vars`` names a file uses (``variables_in_source``), or None when it looks them up
    by a computed name (``looks_up_vars_dynamically``); the shortcut's check made once."""
    if "vars" not in source:
        return set()
    if is_simple(source):
        return set(simple_variables(source))
    return None if looks_up_vars_dynamically(source) else set(variables_in_source(source))


def looks_up_vars_dynamically(source: str) -> bool:
    """Whether a file reads ``vars`` by a computed name (``vars[env.name ~ '_x']``,
    ``vars.get(name)``) or as a whole, so that any variable may be used."""
    if "vars" not in source or is_simple(source):
        return False
    from omni_sync.source.templating import looks_up_vars_dynamically as dynamic

    return dynamic(source)


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
