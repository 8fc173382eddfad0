"""YAML loaded safely, with the line and column of every key and value.

Built from the parser's events (libyaml when present) rather than a constructor, so nothing in a
file can make Python objects, and the tricks that can explode or hide things are refused outright:
anchors and aliases (billion laughs), tags, merge keys, duplicate keys, several documents, deep
nesting and huge inputs.

Plain scalars follow the YAML 1.2 core schema with two deliberate narrowings that keep sender ids
intact: ``yes``/``no``/``on``/``off`` stay strings, and numbers with a leading ``+`` or ``0`` stay
strings (``+41793026727``, ``0041793026727``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
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

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

YamlPath = tuple[str | int, ...]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)\Z")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
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


@dataclass
class Document:
    """The loaded data and where each value (and each mapping key) starts."""

    data: Any = None
    values: dict[YamlPath, Position] = field(default_factory=dict)
    keys: dict[YamlPath, Position] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where ``path`` is written; the nearest enclosing value when it is not."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    return loads(read_text(path, max_bytes=max_bytes), max_bytes=max_bytes)


def read_text(path: Path | str, *, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, refusing huge and non-UTF-8 files before reading them whole."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise YamlError(_too_large(size, max_bytes), Position(1, 1))
        raw = handle.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError("not UTF-8 text; save the file as UTF-8", Position(line, column)) from exc


def loads(text: str, *, max_bytes: int = MAX_BYTES) -> Document:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YamlError(_too_large(size, max_bytes), Position(1, 1))
    document = Document()
    parser = _Loader(text)
    try:
        document.data = _Builder(parser.get_event, document).stream()
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, text) from exc
    except yaml.reader.ReaderError as exc:
        raise _unreadable(exc, text) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", Position(1, 1)) from exc
    finally:
        parser.dispose()
    return document


def _too_large(size: int, limit: int) -> str:
    return (
        f"file is {size / 1_048_576:.1f} MB, over the {limit / 1_048_576:.0f} MB limit; "
        "split it into several files"
    )


def _located(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return YamlError(f"invalid YAML: {exc.problem or exc}", Position(1, 1))
    position = Position(mark.line + 1, mark.column + 1)
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in str(exc.problem):
        column = (indent.index("\t") if "\t" in indent else mark.column) + 1
        return YamlError(
            "tab character in indentation; YAML indents with spaces only",
            Position(mark.line + 1, column),
        )
    return YamlError(f"invalid YAML: {exc.problem}", position)


def _unreadable(exc: yaml.reader.ReaderError, text: str) -> YamlError:
    """A character YAML refuses (a control character), at its place; str(exc) spans lines."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return YamlError(
        f"invalid YAML: character U+{code:04X} is not allowed ({exc.reason}); remove it",
        Position(line, column),
    )


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar under the narrowed core schema."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


class _Builder:
    """Walks the parser's events once; hot loop for big repositories, so kept plain."""

    def __init__(self, next_event: Callable[[], Any], document: Document) -> None:
        self._next = next_event
        self._values = document.values
        self._keys = document.keys

    def stream(self) -> Any:
        first = self._next()
        assert isinstance(first, StreamStartEvent)
        event = self._next()
        if isinstance(event, StreamEndEvent):
            return None
        assert isinstance(event, DocumentStartEvent)
        data = self._node(self._next(), (), 0)
        assert isinstance(self._next(), DocumentEndEvent)
        extra = self._next()
        if not isinstance(extra, StreamEndEvent):
            raise YamlError(
                "several YAML documents (---) in one file; use one document, or a list",
                _position(extra),
            )
        return data

    def _node(self, event: Any, path: YamlPath, depth: int) -> Any:
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None or event.tag is not None:
            _refuse_tricks(event)
        mark = event.start_mark
        self._values[path] = Position(mark.line + 1, mark.column + 1)
        if kind is ScalarEvent:
            if event.implicit[0] and event.tag is None:
                return resolve_plain(event.value)
            return event.value
        if depth >= MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", _position(event))
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
            kind = type(event)
            if kind is MappingEndEvent:
                return result
            if kind is not ScalarEvent or event.anchor is not None or event.tag is not None:
                _refuse_key(event)
            key: str = event.value
            if key in result or (key == "<<" and event.implicit[0]):
                _refuse_key(event, duplicate=key in result)
            mark = event.start_mark
            key_path = (*path, key)
            self._keys[key_path] = Position(mark.line + 1, mark.column + 1)
            result[key] = self._node(next_event(), key_path, depth)


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
