"""YAML loaded safely, in one pass over libyaml's events, with the place of every key and value.

Built from the parser's events rather than a constructor, so nothing in a file can make Python
objects, and the tricks that can explode or hide things are refused outright: anchors and
aliases (billion laughs), tags (but ``!`` and ``!!str``), merge keys, duplicate keys, keys that
are collections, several documents, deep nesting and huge inputs. Plain scalars follow the YAML
1.2 core schema with two narrowings that keep sender ids intact (``resolve_plain``); keys are
always text. A malformed file is a ``YamlError`` placed where the broken construct begins (an
unclosed ``{``), its message naming the place where the parser noticed.
"""

from __future__ import annotations

import os
import re
from array import array
from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from omni_sync.errors import ConfigError, Problem

MAX_BYTES = 5 * 1024 * 1024
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

    def problem(self, path: str, environment: str | None = None) -> Problem:
        return Problem(path, self.position.line, self.position.column, self.message, environment)


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
    """libyaml's parser, through PyYAML's public ``CBaseLoader`` (events are all the walk reads,
    and its set-up is the lightest). Required: PyYAML's pure-Python parser accepts and refuses
    other files, so it is never used in its place."""
    loader = getattr(yaml, "CBaseLoader", None)
    if loader is None:
        raise ConfigError(
            "PyYAML is installed without libyaml, which omni-sync needs to read YAML; "
            "reinstall it from a wheel: pip install --force-reinstall --only-binary pyyaml pyyaml"
        )
    return loader  # type: ignore[no-any-return]


def _position(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)


@dataclass(slots=True)
class _Walk:
    """Kept plain, an untagged scalar read in place: it runs for every value of every file."""

    _next: Callable[[], Any]
    _marks: MutableSequence[int]
    _items: list[int]

    def node(self, event: Any, depth: int) -> Any:
        add = self._marks.append
        mark: Any = event.start_mark
        add(mark.line)
        add(mark.column)
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None or event.tag is not None:
            _refuse_tricks(event)
            if kind is ScalarEvent:
                return event.value  # ! and !!str: text
        if kind is ScalarEvent:
            return resolve_plain(event.value) if event.implicit[0] else event.value
        if depth >= MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", _position(event))
        if kind is SequenceStartEvent:
            return self._sequence(depth + 1)
        assert kind is MappingStartEvent
        return self._mapping(depth + 1)

    def _sequence(self, depth: int) -> list[Any]:
        add, next_event, node = self._marks.append, self._next, self.node
        items: list[Any] = []
        while type(event := next_event()) is not SequenceEndEvent:
            if depth == 1:
                self._items.append(len(self._marks) // 2)
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
                mark: Any = event.start_mark
                add(mark.line)
                add(mark.column)
                value = event.value
                if event.implicit[0] and value[:1] in _NOT_ALWAYS_TEXT:
                    value = resolve_plain(value)
                items.append(value)
            else:
                items.append(node(event, depth))
        return items

    def _mapping(self, depth: int) -> dict[str, Any]:
        add, next_event, node = self._marks.append, self._next, self.node
        result: dict[str, Any] = {}
        while type(event := next_event()) is not MappingEndEvent:
            key = _key(event, result)
            mark: Any = event.start_mark
            add(mark.line)
            add(mark.column)
            event = next_event()
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None:
                mark = event.start_mark
                add(mark.line)
                add(mark.column)
                value = event.value
                if event.implicit[0] and value[:1] in _NOT_ALWAYS_TEXT:
                    value = resolve_plain(value)
                result[key] = value
            else:
                result[key] = node(event, depth)
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
    if tag in (None, "!") or (isinstance(event, ScalarEvent) and tag == _STR_TAG):
        return
    kind = "collection" if isinstance(event, CollectionStartEvent) else "value"
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    raise YamlError(
        f"YAML tags ({shown}) are not allowed on a {kind}; write plain values", _position(event)
    )


@dataclass(frozen=True)
class Document:
    """The loaded data and where each value and each mapping key starts.

    ``marks`` holds two numbers (0-based line, column) per value and per key in the order the
    parser met them: a mapping, then each key and its value; a list, then each item.
    """

    data: Any = None
    marks: Sequence[int] = field(default=(), repr=False)
    items: Sequence[int] = field(default=(), repr=False)
    """When the document is a list: the number of each item's mark (each scenario's line)."""

    def locate(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where ``path`` is written (its key with ``key``); the nearest enclosing value when
        it is not."""
        if not self.marks:
            return Position(1, 1)
        node, at, key_at = self.data, 0, -1
        for part in path:
            found = self._child(node, at, part)
            if found is None:
                key_at = -1
                break
            node, at, key_at = found
        index = key_at if key and key_at >= 0 else at
        return Position(self.marks[2 * index] + 1, self.marks[2 * index + 1] + 1)

    def _child(self, node: Any, at: int, part: str | int) -> tuple[Any, int, int] | None:
        """The child ``part`` of the node whose mark is number ``at`` (0: the document's own):
        (child, its mark, its key's mark or -1)."""
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            start = self.items[part] if at == 0 else at + 1 + sum(map(_size, node[:part]))
            return node[part], start, -1
        if isinstance(node, dict) and part in node:
            at += 1
            for name, value in node.items():
                if name == part:
                    return value, at + 1, at
                at += 1 + _size(value)
        return None


def _size(node: Any) -> int:
    """How many marks a value takes: one, and those of what it holds."""
    if isinstance(node, dict):
        return 1 + sum(1 + _size(value) for value in node.values())
    if isinstance(node, list):
        return 1 + sum(_size(item) for item in node)
    return 1


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Document:
    return loads(read_text(path, max_bytes=max_bytes), max_bytes=max_bytes)


def read_text(path: Path | str, *, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, refusing huge and non-UTF-8 files before reading them whole. Read with
    plain system calls: big repositories read thousands of small files, and an io object for
    each costs more than the reading."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise YamlError(_too_large(size, max_bytes), Position(1, 1))
        raw = _read_all(fd, size, max_bytes)
    finally:
        os.close(fd)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError("not UTF-8 text; save the file as UTF-8", Position(line, column)) from exc


def _read_all(fd: int, size: int, max_bytes: int) -> bytes:
    """Everything up to the end, even if the file grew since its size was taken."""
    first = os.read(fd, size + 1)
    if len(first) <= size:
        return first  # a regular file's short read is its end: one call, no spare buffer
    chunks, total = [first], len(first)
    while total <= max_bytes and (chunk := os.read(fd, 65_536)):
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise YamlError(_too_large(total, max_bytes), Position(1, 1))
    return b"".join(chunks)


def loads(text: str, *, max_bytes: int = MAX_BYTES) -> Document:
    # A character is at most 4 bytes: most texts need no encoding to know they are small enough.
    if len(text) * 4 > max_bytes:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise YamlError(_too_large(size, max_bytes), Position(1, 1))
    marks = array("l")  # not a list: the collector need not walk it
    items: list[int] = []
    data = None
    parser = parser_class()(text)
    next_event = parser.get_event
    try:
        next_event()  # the stream's start; then a document's, or the end of an empty stream
        if type(next_event()) is DocumentStartEvent:
            data = _Walk(next_event, marks, items).node(next_event(), 0)
            next_event()  # the document's end
            if type(extra := next_event()) is not StreamEndEvent:
                raise YamlError(
                    "several YAML documents (---) in one file; use one document, or a list",
                    _position(extra),
                )
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", Position(1, 1)) from None
    finally:
        parser.dispose()
    return Document(data, marks, items)


def _too_large(size: int, limit: int) -> str:
    return (
        f"file is {size / 1_048_576:.1f} MB, over the {limit / 1_048_576:.0f} MB limit; "
        "split it into several files"
    )


def _located(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    """At the start of the construct the parser was in (libyaml's context mark), naming the
    place it noticed the problem."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return YamlError(f"invalid YAML: {exc.problem or exc}", Position(1, 1))
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in str(exc.problem):
        column = (indent.index("\t") if "\t" in indent else mark.column) + 1
        return YamlError(
            "tab character in indentation; YAML indents with spaces only",
            Position(mark.line + 1, column),
        )
    context, start = exc.context, exc.context_mark
    if not context or start is None or (start.line, start.column) == (mark.line, mark.column):
        return YamlError(f"invalid YAML: {exc.problem}", Position(mark.line + 1, mark.column + 1))
    construct = context.removeprefix("while parsing ").removeprefix("while scanning ")
    return YamlError(
        f"invalid YAML: {exc.problem} at line {mark.line + 1}, column {mark.column + 1}, "
        f"in {construct} that starts here",
        Position(start.line + 1, start.column + 1),
    )


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
