"""libyaml's events turned into plain data in one pass, with the place of every value and key.

The walk refuses what can explode or hide things: anchors and aliases, tags (but ``!`` and
``!!str``), merge keys, duplicate keys, keys that are collections, nesting deeper than
``MAX_DEPTH``, several documents. Plain scalars follow the YAML 1.2 core schema with two
narrowings that keep sender ids intact (``resolve_plain``); keys are always text.

Positions are kept flat: two numbers (0-based line and column) per value and per key, in the
order the events come (a mapping, then each key and its value; a list, then each item). From
that and the data, ``Document.locate`` finds where any path is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from omni_sync.errors import ConfigError

MAX_DEPTH = 64

YamlPath = tuple[str | int, ...]

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")
_CONSTANTS: dict[str, bool | None] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
# The first characters a plain scalar that is not a string can start with ("" is empty = null).
_NOT_ALWAYS_TEXT = frozenset(["", *"~nNtTfF-0123456789"])
_STR_TAG = "tag:yaml.org,2002:str"


class Position(NamedTuple):
    """1-based line and column."""

    line: int
    column: int


class YamlError(Exception):
    """A refused or malformed input, located."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar under the narrowed core schema."""
    if value[:1] not in _NOT_ALWAYS_TEXT:
        return value
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    if _INT.match(value):
        return int(value)
    return float(value) if _FLOAT.match(value) else value


def parser_class() -> Callable[[str], Any]:
    """libyaml's parser, through PyYAML's public ``CSafeLoader``. Required: PyYAML's pure-Python
    parser accepts and refuses other files, so it is never used in its place."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        raise ConfigError(
            "PyYAML is installed without libyaml, which omni-sync needs to read YAML; "
            "reinstall it from a wheel: pip install --force-reinstall --only-binary pyyaml pyyaml"
        )
    return loader  # type: ignore[no-any-return]


def walk(next_event: Callable[[], Any], marks: list[int]) -> Any:
    """The one document of a stream whose StreamStartEvent was read; ``marks`` gets every
    position."""
    event = next_event()
    if type(event) is StreamEndEvent:
        return None
    assert type(event) is DocumentStartEvent
    data = _Walk(next_event, marks).node(next_event(), 0)
    assert type(next_event()) is DocumentEndEvent
    extra = next_event()
    if type(extra) is not StreamEndEvent:
        raise YamlError(
            "several YAML documents (---) in one file; use one document, or a list",
            _position(extra),
        )
    return data


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


class _Walk:
    """Kept plain: it runs for every value of every file."""

    __slots__ = ("_mark", "_next")

    def __init__(self, next_event: Callable[[], Any], marks: list[int]) -> None:
        self._next = next_event
        self._mark = marks.extend

    def node(self, event: Any, depth: int) -> Any:
        mark = event.start_mark
        self._mark((mark.line, mark.column))
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_tricks(event)
                return event.value  # ! and !!str: text
            return resolve_plain(event.value) if event.implicit[0] else event.value
        if kind is AliasEvent:
            _refuse_tricks(event)
        if event.anchor is not None or event.tag is not None:
            _refuse_tricks(event)
        if depth >= MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", _position(event))
        next_event, node = self._next, self.node
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while type(event := next_event()) is not SequenceEndEvent:
                items.append(node(event, depth + 1))
            return items
        assert kind is MappingStartEvent
        result: dict[str, Any] = {}
        while type(event := next_event()) is not MappingEndEvent:
            key = _key(event, result)
            mark = event.start_mark
            self._mark((mark.line, mark.column))
            result[key] = node(next_event(), depth + 1)
        return result


def _key(event: Any, result: dict[str, Any]) -> str:
    """A mapping key, refused when it is not a new, non-merge scalar."""
    if type(event) is not ScalarEvent or event.anchor is not None or event.tag is not None:
        _refuse_tricks(event)
        if type(event) is not ScalarEvent:
            raise YamlError("a key must be a plain value, not a list or mapping", _position(event))
    key: str = event.value
    if key in result:
        raise YamlError(f"duplicate key '{key}'", _position(event))
    if key == "<<" and event.implicit[0]:
        raise YamlError("merge keys (<<) are not allowed; write the keys out", _position(event))
    return key


def _refuse_tricks(event: Event) -> None:
    if isinstance(event, AliasEvent):
        raise YamlError(
            f"aliases (*{event.anchor}) are not allowed; repeat the value instead",
            _position(event),
        )
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise YamlError(
            f"anchors (&{anchor}) are not allowed; repeat the value instead", _position(event)
        )
    tag = getattr(event, "tag", None)
    if tag is None or tag == "!":
        return
    if isinstance(event, ScalarEvent) and tag == _STR_TAG:
        return
    kind = "collection" if isinstance(event, CollectionStartEvent) else "value"
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    raise YamlError(
        f"YAML tags ({shown}) are not allowed on a {kind}; write plain values", _position(event)
    )
