"""The one Jinja environment every user file is rendered in: sandboxed, immutable, strict.

Scenario files and message templates share the sandbox, its compile cache (``compile_template``)
and the one describer of what went wrong (``failure``: the line and column in the template, and
a message naming the variable). For scenario files, ``compile_template`` and ``render`` raise
``ProblemsFound`` with one located ``Problem``; message templates place a ``Failure`` in their
file themselves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from omni_sync.errors import Problem, ProblemsFound
from omni_sync.source.bounded import BoundedSandbox
from omni_sync.source.placeholders import DICT_ATTRIBUTES, MAX_OUTPUT_CHARS

_NO_ATTRIBUTE = re.compile(r"'.+ object' has no attribute '([^']+)'")
_IS_UNDEFINED = re.compile(r"'([^']+)' is undefined")
_AT_OFFSET = re.compile(r" at (\d+)\Z")  # the lexer's "unexpected char '!' at 66"
_NEWLINES = re.compile(r"\r\n?")
SCENARIO_NAME_HINT = "; templates can use vars.<name> and env.name"


@dataclass(frozen=True)
class Failure:
    """What went wrong in a template: its line and column there (1-based), and why."""

    line: int
    column: int
    message: str


@functools.cache
def sandbox() -> ImmutableSandboxedEnvironment:
    """The shared environment: sandboxed, StrictUndefined, no autoescape, no loader."""
    env = BoundedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    return env


_TEMPLATE_FILENAME = "<omni-sync template>"


@dataclass(frozen=True)
class CompiledTemplate:
    path: str
    source: str
    template: Template
    variables: frozenset[str] | None
    """The ``vars.<name>`` (and ``vars['name']``) it reads; None when it reads ``vars`` other
    than by a written name (``vars[key]``, ``vars.get(name)``, a loop or filter over it), as
    then it may use any variable."""


def compile_template(source: str, path: str) -> CompiledTemplate:
    """Parse and compile once; the same source is never compiled twice in a process."""
    try:
        template, variables = _compile(source)
    except TemplateSyntaxError as exc:
        found = failure(exc, source)
        raise ProblemsFound([Problem(path, found.line, found.column, found.message)]) from None
    return CompiledTemplate(path, source, template, variables)


@functools.lru_cache(maxsize=8192)
def _compile(source: str) -> tuple[Template, frozenset[str] | None]:
    env = sandbox()
    tree = env.parse(source, filename=_TEMPLATE_FILENAME)
    code = env.compile(tree, filename=_TEMPLATE_FILENAME)
    named = list(_named_lookups(tree))
    every = sum(1 for node in tree.find_all(nodes.Name) if node.name == "vars")
    used = frozenset(named) if every == len(named) else None
    return env.template_class.from_code(env, code, env.make_globals(None)), used


def _named_lookups(tree: nodes.Template) -> Iterator[str]:
    """Each ``vars.name`` and ``vars['name']``."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        if not (isinstance(node.node, nodes.Name) and node.node.name == "vars"):
            continue
        if isinstance(node, nodes.Getattr):
            name = None if node.attr in DICT_ATTRIBUTES else node.attr
        else:
            name = node.arg.value if isinstance(node.arg, nodes.Const) else None
        if isinstance(name, str):
            yield name


def render(
    compiled: CompiledTemplate,
    context: Mapping[str, Any],
    *,
    environment: str | None = None,
    undefined_hint: str = "",
) -> str:
    path = compiled.path
    try:
        output = compiled.template.render(context)
    except Exception as exc:
        found = failure(exc, compiled.source, undefined_hint)
        problem = Problem(path, found.line, found.column, found.message, environment)
        raise ProblemsFound([problem]) from None
    if len(output) > MAX_OUTPUT_CHARS:
        message = f"renders to {len(output):,} characters, over the limit of {MAX_OUTPUT_CHARS:,}"
        raise ProblemsFound([Problem(path, 1, 1, message, environment)])
    return output


def render_text(source: str, context: Mapping[str, Any], hints: tuple[str, str]) -> str | Failure:
    """``source`` rendered (compiled once per process), or what went wrong; ``hints`` say where
    a missing ``vars.x`` and a missing other name can be added."""
    try:
        return _compile(source)[0].render(context)
    except Exception as exc:  # a broken template is the user's problem, never a crash
        return failure(exc, source, *hints)


def failure(exc: Exception, source: str, vars_hint: str = "", name_hint: str = "") -> Failure:
    """The one describer of a template's compile or render error."""
    if isinstance(exc, TemplateSyntaxError):
        return _syntax_failure(exc, source)
    line = _template_line(exc.__traceback__)
    lines = source.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message, column = _describe(exc, source_line, vars_hint, name_hint)
    return Failure(line, column, message)


def _syntax_failure(exc: TemplateSyntaxError, source: str) -> Failure:
    """Jinja's own line; the lexer's character offset, when it gives one, as a column."""
    message = exc.message or "invalid template"
    offset = _AT_OFFSET.search(message)
    if offset is None:
        return Failure(exc.lineno or 1, 1, f"template syntax error: {message}")
    text = _NEWLINES.sub("\n", source)  # what the lexer counted in
    at = int(offset.group(1))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Failure(line, column, f"template syntax error: {message[: offset.start()]}")


def _template_line(tb: TracebackType | None) -> int:
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: Exception, source_line: str, vars_hint: str, name_hint: str) -> tuple[str, int]:
    if isinstance(exc, UndefinedError):
        text = str(exc.message)
        if attribute := _NO_ATTRIBUTE.match(text):
            return _undefined_attribute(attribute.group(1), source_line, vars_hint, name_hint)
        if missing := _IS_UNDEFINED.match(text):
            name, hint = missing.group(1), name_hint or SCENARIO_NAME_HINT
            return f"undefined variable {name}{hint}", _column_of(source_line, name)
        return f"undefined value: {text}", 1
    if isinstance(exc, SecurityError):
        return f"not allowed in a template (sandboxed): {exc}", 1
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return "include, import and extends are not available in these files", 1
    return f"template error: {type(exc).__name__}: {exc}", 1


def _undefined_attribute(
    name: str, source_line: str, vars_hint: str, name_hint: str
) -> tuple[str, int]:
    quoted = re.escape(name)
    expression = re.search(
        rf"([A-Za-z_][\w.]*)(?:\.{quoted}\b|\[\s*['\"]{quoted}['\"]\s*\])", source_line
    )
    if expression is None:
        return f"undefined attribute '{name}'", _column_of(source_line, name)
    owner = expression.group(1)
    extra = vars_hint if owner == "vars" else ""
    if owner.split(".")[0] not in ("vars", "env"):
        extra = name_hint
    return f"undefined variable {owner}.{name}{extra}", expression.start() + 1


def _column_of(line: str, word: str) -> int:
    return max(line.find(word), 0) + 1
