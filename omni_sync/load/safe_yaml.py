"""YAML loaded safely, with the line and column of every key and value, in one pass.

Built from libyaml's events (``yaml_events``) rather than a constructor, so nothing in a file can
make Python objects, and the tricks that can explode or hide things are refused outright:
anchors and aliases (billion laughs), tags, merge keys, duplicate keys, several documents, deep
nesting and huge inputs. A malformed file is a ``YamlError`` placed where the broken construct
begins (an unclosed ``{``), its message naming the place where the parser noticed.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from omni_sync.load.yaml_events import (
    MAX_DEPTH,
    Position,
    YamlError,
    YamlPath,
    parser_class,
    resolve_plain,
    walk,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "Position",
    "YamlError",
    "YamlPath",
    "load_file",
    "loads",
    "read_text",
    "resolve_plain",
]

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """The loaded data and where each value and each mapping key starts.

    ``marks`` holds two numbers (0-based line, column) per value and per key in the order the
    parser met them: a mapping, then each key and its value; a list, then each item.
    """

    data: Any = None
    marks: Sequence[int] = field(default=(), repr=False)

    def locate(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where ``path`` is written (its key with ``key``); the nearest enclosing value when
        it is not."""
        if not self.marks:
            return Position(1, 1)
        node, at, key_at = self.data, 0, -1
        for depth, part in enumerate(path):
            found = self._child(node, at, part, top=depth == 0)
            if found is None:
                key_at = -1
                break
            node, at, key_at = found
        index = key_at if key and key_at >= 0 else at
        return Position(self.marks[2 * index] + 1, self.marks[2 * index + 1] + 1)

    def _child(
        self, node: Any, at: int, part: str | int, *, top: bool
    ) -> tuple[Any, int, int] | None:
        """The child ``part`` of the node whose mark is number ``at``: (child, its mark, its
        key's mark or -1)."""
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            starts = self._top_items if top else _item_starts(node, at)
            return node[part], starts[part], -1
        if isinstance(node, dict) and part in node:
            at += 1
            for name, value in node.items():
                if name == part:
                    return value, at + 1, at
                at += 1 + _size(value)
        return None

    @functools.cached_property
    def _top_items(self) -> list[int]:
        """The mark of each item of a top-level list: each scenario's line, asked for often."""
        return _item_starts(self.data, 0) if isinstance(self.data, list) else []


def _item_starts(items: list[Any], at: int) -> list[int]:
    starts, at = [], at + 1
    for item in items:
        starts.append(at)
        at += _size(item)
    return starts


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
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, max(size + 1, 65_536)):
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
    marks: list[int] = []
    parser = parser_class()(text)
    try:
        parser.get_event()  # the stream's start
        data = walk(parser.get_event, marks)
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", Position(1, 1)) from None
    finally:
        parser.dispose()
    return Document(data, marks)


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
