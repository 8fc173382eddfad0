"""The canonical layout of a scenario file, applied through a round-trip YAML library
(ruamel.yaml) so comments, blank lines and Jinja placeholders stay where they were.

- scenario keys in the order ``name``, ``default``, ``environments``, ``renamed_from``, ``key``,
  ``flow`` (any other key after them); step keys ``channel``, ``from``;
- block style, two spaces, steps as ``  - channel: ...``; ``environments`` and ``renamed_from``
  as ``[a, b]``;
- text plain where omni-sync reads the plain form back as that same text, else in double quotes;
  ``default`` as ``true``/``false``.

Safety first: plain scalars are read as their literal text (never as numbers or booleans), a
value holding a Jinja placeholder keeps its exact spelling, and a file whose Jinja is more than
placeholders in values is refused. Formatted text is checked to read back as the same data.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
)

from omni_sync.source.safe_yaml import YamlError, loads, resolve_plain

SCENARIO_KEYS = ("name", "default", "environments", "renamed_from", "key", "flow")
STEP_KEYS = ("channel", "from")
NAME_LISTS = frozenset({"environments", "renamed_from"})
_JINJA_STATEMENT = re.compile(r"\{[%#]")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)


class NotFormattable(Exception):
    """Why a file is left as it is."""


class _TextResolver(VersionedResolver):
    """Every scalar is text as written: formatting never turns ``0042`` into ``42``."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long value onto a second line
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


@functools.lru_cache(maxsize=4096)
def _plain_reads_back(text: str) -> bool:
    """Whether ``text`` written plain is read back by omni-sync as that same text (keys and
    channel names repeat in every file: each is asked once)."""
    if resolve_plain(text) != text:
        return False
    return _dump({"k": text}) == f"k: {text}\n"


def canonical_text(value: Any, key: object = None) -> Any:
    """A value in its canonical spelling; anything but quoted Jinja-free text is kept."""
    if not isinstance(value, str) or isinstance(value, LiteralScalarString | FoldedScalarString):
        return value
    if key == "default" and type(value) is str and isinstance(resolve_plain(value), bool):
        return PlainScalarString("true" if resolve_plain(value) else "false")
    if "{{" in value or not isinstance(value, ScalarString):
        return value
    text = str(value)
    return PlainScalarString(text) if _plain_reads_back(text) else DoubleQuotedScalarString(text)


def _ordered(mapping: CommentedMap, first: tuple[str, ...]) -> None:
    """Keys in ``first``'s order, then the rest as they were; each keeps its comments."""
    rank = {key: index for index, key in enumerate(first)}
    keys = sorted(mapping, key=lambda key: rank.get(str(key), len(rank)))
    for key in keys:
        value = mapping.pop(key)
        plain = str(key) if _plain_reads_back(str(key)) else key
        mapping[plain] = canonical_text(value, plain)


def _scenario(scenario: Any) -> None:
    if not isinstance(scenario, CommentedMap):
        return
    scenario.fa.set_block_style()
    _ordered(scenario, SCENARIO_KEYS)
    for key, value in scenario.items():
        if key in NAME_LISTS and isinstance(value, CommentedSeq):
            _texts(value)
            if not value.ca.items:
                value.fa.set_flow_style()
        elif key == "flow" and isinstance(value, CommentedSeq):
            value.fa.set_block_style()
            for step in value:
                if isinstance(step, CommentedMap):
                    step.fa.set_block_style()
                    _ordered(step, STEP_KEYS)


def _texts(sequence: CommentedSeq) -> None:
    for index, item in enumerate(sequence):
        sequence[index] = canonical_text(item)


def _scalars(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(data, list):
        for item in data:
            yield from _scalars(item)
    elif isinstance(data, str):
        yield data


def _parse(text: str) -> Any:
    if _JINJA_STATEMENT.search(text):
        raise NotFormattable(
            "Jinja statements or comments ({% ... %}, {# ... #}) shape its YAML, "
            "so formatting could change what it renders to"
        )
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise NotFormattable(f"not YAML before Jinja renders it ({where}{exc.problem})") from exc
    except YAMLError as exc:
        raise NotFormattable(f"not YAML before Jinja renders it ({exc})") from exc
    inside = sum(scalar.count("{{") for scalar in _scalars(data))
    if inside != text.count("{{"):
        raise NotFormattable(
            "a Jinja placeholder sits outside any text value (in a comment, a key, or "
            "unquoted at the start of a value, where YAML reads { as structure), "
            "so formatting could change what it renders to"
        )
    return data


def format_text(text: str) -> str:
    """``text`` in the canonical layout; raises NotFormattable when that is not safe."""
    data = _parse(text)
    if isinstance(data, CommentedSeq):
        # The emitter indents even a top-level list by two: read it indented by two as well,
        # so end-of-line comments keep their columns once the list is moved back to the margin.
        data = _parse(
            "".join(f"  {line}" if line.strip() else line for line in text.splitlines(True))
        )
        data.fa.set_block_style()
        for scenario in data:
            _scenario(scenario)
    elif isinstance(data, CommentedMap):
        _scenario(data)
    else:
        return text
    formatted = _dump(data)
    if isinstance(data, CommentedSeq):
        formatted = _unindented(formatted)
    formatted = formatted.rstrip() + "\n"
    _check_same(text, formatted)
    return formatted


def _unindented(text: str) -> str:
    """A list of scenarios starts at the margin (the emitter indents even the top list)."""
    return "".join(
        line[2:] if line.startswith("  ") else line for line in text.lstrip("\n").splitlines(True)
    )


def _check_same(before: str, after: str) -> None:
    """The formatted text must read as the same data, with the same placeholders."""
    try:
        same = loads(before).data == loads(after).data
    except YamlError as exc:
        raise NotFormattable(f"omni-sync cannot read it as YAML ({exc.message})") from exc
    same = same and Counter(_PLACEHOLDER.findall(before)) == Counter(_PLACEHOLDER.findall(after))
    if not same:
        raise NotFormattable("formatting would change its content (please report this file)")
