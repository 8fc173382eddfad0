"""What one template render may cost, so a file in a pull request cannot hang or exhaust CI.

Jinja's sandbox stops templates reaching Python internals but not doing too much work: nested
loops, recursive macros, or strings grown by doubling. Each render gets a ``Budget`` (loop
iterations and calls, and characters produced); every loop, call, filter, operator and output is
charged to it, and any single value over ``MAX_OUTPUT_CHARS`` is refused before it is built where
its size can be known in advance. Everything refused raises Jinja's ``SecurityError``, which the
renderers turn into a located problem.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.environment import Environment, Template
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from omni_sync.source.placeholders import MAX_OUTPUT_CHARS

MAX_EXPONENT = 256
MAX_INT_BITS = 64 * 1024
MAX_STEPS = 1_000_000
MAX_WORK_CHARS = 8 * MAX_OUTPUT_CHARS
MAX_FILTER_NUMBER = 100_000
MACRO_CALL_COST = 20
_WIDE_FORMAT = re.compile(r"[0-9]{7,}")
_NESTED_SPEC = re.compile(r"\{[^{}]*:[^{}]*\{")
_SIZED = (str, list, tuple, dict)
# Filters whose extra arguments are values rather than sizes or counts.
_VALUE_FILTERS = frozenset({"default", "d", "replace", "attr", "map", "select", "reject"})
_STATE = (Environment, Context, EvalContext)  # what Jinja passes a filter besides its values


@dataclass
class Budget:
    """The work one render has done; over a limit, the render stops."""

    steps: int = 0
    chars: int = 0

    def step(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > MAX_STEPS:
            raise SecurityError(
                f"the template does too much work (over {MAX_STEPS:,} loop steps and calls)"
            )

    def produced(self, size: int) -> None:
        self.chars += size
        if self.chars > MAX_WORK_CHARS:
            raise SecurityError(
                f"the template builds too much text (over {MAX_WORK_CHARS:,} characters)"
            )


_budget: ContextVar[Budget | None] = ContextVar("omni_sync_template_budget", default=None)


def current() -> Budget:
    """The running render's budget; outside a render (constant folding), a throwaway one."""
    return _budget.get() or Budget()


def check_size(size: int, what: str = "a value") -> None:
    if size > MAX_OUTPUT_CHARS:
        raise SecurityError(f"{what} would be over the limit of {MAX_OUTPUT_CHARS:,} characters")


def text_size(value: Any) -> int:
    """How long ``str(value)`` is, found without building it (and charged: walking costs)."""
    if isinstance(value, str):
        return len(value)
    if not isinstance(value, list | tuple | dict | set | frozenset):
        return 0 if value is None else 8
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
            total += 2 + 2 * len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
            total += 2 + 2 * len(item)
        else:
            total += 8
        if total > MAX_OUTPUT_CHARS:
            break
    current().produced(total)
    return total


def _checked_result(value: Any) -> Any:
    if isinstance(value, _SIZED):
        check_size(len(value))
        current().produced(len(value))
    return value


def _check_int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise SecurityError(f"a number over the limit of {MAX_INT_BITS:,} bits")


def _check_format(template: Any) -> None:
    if isinstance(template, str) and _WIDE_FORMAT.search(template):
        raise SecurityError("a format width or precision of 7 digits or more")


def _binop_size(op: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before computing it."""
    if op == "*":
        sized, count = (left, right) if isinstance(left, _SIZED) else (right, left)
        if isinstance(sized, _SIZED) and isinstance(count, int):
            if len(sized) * count > MAX_OUTPUT_CHARS:
                raise SecurityError("repetition would make a value over the output limit")
        elif isinstance(left, int) and isinstance(right, int):
            _check_int_bits(left.bit_length() + right.bit_length())
    elif op == "**" and isinstance(right, int | float):
        if right > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is over the limit of {MAX_EXPONENT}")
        if isinstance(left, int) and right > 0:
            _check_int_bits(left.bit_length() * int(right))
    elif op == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        check_size(len(left) + len(right))
    elif op == "%":
        _check_format(left)
        text_size(right)


def _check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, str):
        if name in {"format", "format_map"}:
            _check_format(owner)
            if _NESTED_SPEC.search(owner):
                for value in (*args, *kwargs.values()):
                    if isinstance(value, int) and value > MAX_FILTER_NUMBER:
                        raise SecurityError(
                            f"format width {value} is over the limit of {MAX_FILTER_NUMBER:,}"
                        )
        if name == "replace" and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            grows = owner.count(old) * (len(new) - len(old)) if old else len(owner) * len(new)
            check_size(len(owner) + max(grows, 0))
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and name not in {"format", "format_map"}:
                check_size(value, f"{name}({value})")
    for value in (*args, *kwargs.values()):
        text_size(value)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        current().step()
        values = [value for value in (*args, *kwargs.values()) if not isinstance(value, _STATE)]
        if name not in _VALUE_FILTERS:
            for extra in values[1:]:
                if isinstance(extra, int) and abs(extra) > MAX_FILTER_NUMBER:
                    raise SecurityError(
                        f"filter {name}: {extra} is over the limit of {MAX_FILTER_NUMBER:,}"
                    )
        if name == "format" and values:
            _check_format(values[0])
        for value in values:
            text_size(value)
        return _checked_result(function(*args, **kwargs))

    return bounded


class BoundedTemplate(Template):
    """Every render gets a fresh budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _budget.set(Budget())
        try:
            return super().render(*args, **kwargs)
        finally:
            _budget.reset(token)


def _charge_loops_and_joins(tree: nodes.Template) -> nodes.Template:
    """Every ``for`` iterates through ``bounded_iter`` and every ``~`` joins in ``bounded_join``."""
    for loop in tree.find_all(nodes.For):
        assert isinstance(loop, nodes.For)
        assert isinstance(loop.iter, nodes.Expr)
        loop.iter = _call("bounded_iter", [loop.iter], loop.lineno)
    for joined in list(tree.find_all(nodes.Concat)):
        assert isinstance(joined, nodes.Concat)
        parts = [part for part in joined.nodes if isinstance(part, nodes.Expr)]
        joined.nodes = [_call("bounded_join", parts, joined.lineno)]
    return tree


def _call(attribute: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    target = nodes.EnvironmentAttribute(attribute, lineno=lineno)
    return nodes.Call(target, args, [], None, None, lineno=lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a per-render budget on loops, calls, operators, filters and output."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = BoundedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize_output, **options)
        self.filters = {
            name: _bounded_filter(name, function) for name, function in self.filters.items()
        }

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _charge_loops_and_joins(super()._parse(source, name, filename))

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        current().step()
        _binop_size(op, left, right)
        return _checked_result(self.binop_table[op](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # A macro call costs about as much as twenty loop steps.
        current().step(MACRO_CALL_COST if isinstance(__obj, Macro) else 1)
        _check_call(__obj, args, kwargs)
        return _checked_result(super().call(__context, __obj, *args, **kwargs))

    def bounded_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
        budget = current()
        for item in iterable:
            budget.step()
            yield item

    def bounded_join(self, *parts: Any) -> str:
        check_size(sum(text_size(part) for part in parts))
        return "".join(str(part) for part in parts)

    @staticmethod
    def _finalize_output(value: Any) -> Any:
        check_size(text_size(value), "an output value")
        return value

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:
        budget, total, kept = current(), 0, []
        for piece in pieces:
            total += len(piece)
            check_size(total, "the rendered text")
            budget.produced(len(piece))
            kept.append(piece)
        return "".join(kept)
