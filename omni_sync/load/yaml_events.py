"""The parser's events turned into plain data: the hot loop of reading big repositories.

Two walks share one set of rules (no anchors, aliases, tags, merge keys or duplicate keys, at most
``MAX_DEPTH`` levels): the located walk records where each value and key starts; the quick walk
records only where the document starts and, when it is a list, where each item starts (each
scenario's line), and builds the rest with scalars resolved in place, about three times faster.
``safe_yaml.Document`` asks for every position, with the located walk, only when an error needs
one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

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


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


class Builder:
    """Walks the parser's events once; kept plain, as it runs for every value of every file."""

    def __init__(
        self,
        next_event: Callable[[], Any],
        values: dict[YamlPath, Position],
        keys: dict[YamlPath, Position],
        *,
        located: bool = True,
    ) -> None:
        self._next = next_event
        self._values = values
        self._keys = keys
        self._located = located

    def stream(self) -> Any:
        first = self._next()
        assert isinstance(first, StreamStartEvent)
        event = self._next()
        if isinstance(event, StreamEndEvent):
            return None
        assert isinstance(event, DocumentStartEvent)
        event = self._next()
        data = self._node(event, (), 0) if self._located else self._top(event)
        assert isinstance(self._next(), DocumentEndEvent)
        extra = self._next()
        if not isinstance(extra, StreamEndEvent):
            raise YamlError(
                "several YAML documents (---) in one file; use one document, or a list",
                _position(extra),
            )
        return data

    def _node(self, event: Any, path: YamlPath, depth: int) -> Any:
        """A value whose position is recorded."""
        mark = event.start_mark
        self._values[path] = Position(mark.line + 1, mark.column + 1)
        kind = type(event)
        if kind is ScalarEvent or kind is AliasEvent:
            return self._nested(event, depth)
        _check_collection(event, depth)
        if kind is SequenceStartEvent:
            return self._sequence(path, depth + 1)
        return self._mapping(path, depth + 1)

    def _sequence(self, path: YamlPath, depth: int) -> list[Any]:
        items: list[Any] = []
        next_event = self._next
        while True:
            event = next_event()
            if type(event) is SequenceEndEvent:
                return items
            items.append(self._node(event, (*path, len(items)), depth))

    def _mapping(self, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        next_event = self._next
        while True:
            event = next_event()
            if type(event) is MappingEndEvent:
                return result
            key = _key(event, result)
            mark = event.start_mark
            key_path = (*path, key)
            self._keys[key_path] = Position(mark.line + 1, mark.column + 1)
            result[key] = self._node(next_event(), key_path, depth)

    def _top(self, event: Any) -> Any:
        """The quick walk's document: its position, and each item's when it is a list."""
        mark = event.start_mark
        self._values[()] = Position(mark.line + 1, mark.column + 1)
        if type(event) is not SequenceStartEvent or event.anchor is not None or event.tag:
            return self._nested(event, 0)
        items: list[Any] = []
        while True:
            event = self._next()
            if type(event) is SequenceEndEvent:
                return items
            mark = event.start_mark
            self._values[(len(items),)] = Position(mark.line + 1, mark.column + 1)
            items.append(self._nested(event, 1))

    def _untracked(self, kind: type, depth: int) -> Any:
        """The collection just started, no positions kept; scalars resolved in place."""
        next_event = self._next
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while True:
                event = next_event()
                found = type(event)
                if found is ScalarEvent and event.anchor is None and event.tag is None:
                    value = event.value
                    if event.implicit[0] and value[:1] in _NOT_ALWAYS_TEXT:
                        value = resolve_plain(value)
                    items.append(value)
                elif found is SequenceEndEvent:
                    return items
                else:
                    items.append(self._nested(event, depth))
        result: dict[str, Any] = {}
        while True:
            event = next_event()
            if type(event) is MappingEndEvent:
                return result
            key = _key(event, result)
            event = next_event()
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
                value = event.value
                if event.implicit[0] and value[:1] in _NOT_ALWAYS_TEXT:
                    value = resolve_plain(value)
                result[key] = value
            else:
                result[key] = self._nested(event, depth)

    def _nested(self, event: Any, depth: int) -> Any:
        """Any value, its position not kept."""
        kind = type(event)
        if kind is AliasEvent:
            _refuse_tricks(event)
        if kind is not ScalarEvent:
            _check_collection(event, depth)
            return self._untracked(kind, depth + 1)
        if event.anchor is not None or event.tag is not None:
            _refuse_tricks(event)
        if event.implicit[0] and event.tag is None:
            return resolve_plain(event.value)
        return event.value


def _check_collection(event: Any, depth: int) -> None:
    """Refuse an anchored or tagged collection, or one nested too deep."""
    if event.anchor is not None or event.tag is not None:
        _refuse_tricks(event)
    if depth >= MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", _position(event))


def _key(event: Any, result: dict[str, Any]) -> str:
    """A mapping key, refused when it is not a plain, new, non-merge scalar."""
    if type(event) is not ScalarEvent or event.anchor is not None or event.tag is not None:
        _refuse_key(event)
    key: str = event.value
    if key in result or (key == "<<" and event.implicit[0]):
        _refuse_key(event, duplicate=key in result)
    return key


def _refuse_key(event: Any, *, duplicate: bool = False) -> None:
    if duplicate:
        raise YamlError(f"duplicate key '{event.value}'", _position(event))
    _refuse_tricks(event)
    if not isinstance(event, ScalarEvent):
        raise YamlError("a key must be a plain value, not a list or mapping", _position(event))
    if event.value == "<<" and event.implicit[0]:
        raise YamlError("merge keys (<<) are not allowed; write the keys out", _position(event))


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
