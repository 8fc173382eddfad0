"""pydantic's validation errors as located problems, pointing at the offending key or value, and
the name a problem gives a file."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from omni_sync.errors import Problem
from omni_sync.source.safe_yaml import Document, YamlPath

_EXPECTED = {
    "string_type": "text",
    **dict.fromkeys(("bool_type", "bool_parsing"), "true or false"),
    **dict.fromkeys(("int_type", "int_parsing"), "a whole number"),
    **dict.fromkeys(("float_type", "float_parsing"), "a number"),
    **dict.fromkeys(("list_type", "tuple_type"), "a list"),
    **dict.fromkeys(("dict_type", "model_type"), "a mapping (key: value)"),
}


def field_names(*models: type[BaseModel]) -> frozenset[str]:
    """Every key the models accept, as written in files (aliases)."""
    return frozenset(
        info.alias or name for model in models for name, info in model.model_fields.items()
    )


def validation_problems(
    exc: ValidationError,
    document: Document,
    *,
    path: str,
    base: YamlPath = (),
    known_keys: Collection[str] = (),
    environment: str | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    errors = exc.errors(include_url=False)
    for error in errors:
        if error["type"] == "too_short" and _has_item_errors(error["loc"], errors):
            continue  # the length counts only valid items: the items' own errors say it all
        for where, message, at_key in _explain(error, base, known_keys):
            position = document.locate(where, key=at_key)
            problems.append(Problem(path, position.line, position.column, message, environment))
    return problems


def _has_item_errors(loc: tuple[int | str, ...], errors: list[ErrorDetails]) -> bool:
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)


def _explain(
    error: ErrorDetails, base: YamlPath, known_keys: Collection[str]
) -> Iterator[tuple[YamlPath, str, bool]]:
    loc: YamlPath = (*base, *error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    label = _label(error["loc"])
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "sender":
        for index, message in ctx["senders"]:
            yield (*loc, index, "from"), message, False
    elif kind == "extra_forbidden":
        yield loc, f"unknown key '{last}'{_suggest(str(last), known_keys)}", True
    elif kind == "missing":
        yield loc[:-1], f"missing required key '{last}'", False
    elif kind == "enum":
        yield loc, f"{label}: unknown value {_show(error['input'])}; use {ctx['expected']}", False
    elif kind in {"too_short", "string_too_short"} and ctx.get("min_length") == 1:
        yield loc, f"{label} must not be empty", False
    elif kind in _EXPECTED:
        found = error["input"]
        quote = kind == "string_type" and isinstance(found, int | float) and found is not True
        advice = "; quote it to keep it as written" if quote and found is not False else ""
        yield loc, f"{label}: expected {_EXPECTED[kind]}, not {_kind_of(found)}{advice}", False
    else:
        yield loc, f"{label}: {error['msg']}" if label else error["msg"], False


def _label(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "[" not in part:
            text += f".{part}" if text else part
    return text


def _suggest(key: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(key, sorted(set(known) - {key}), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _kind_of(value)


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    return "a mapping" if isinstance(value, dict) else "a list"


def relative_name(root: Path, path: Path) -> str:
    """``path`` as problems show it: relative to the root when inside it, in POSIX form."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
