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
from pathlib import Path
from typing import Any

import yaml

from omni_sync.load import quick_yaml
from omni_sync.load.yaml_events import (
    MAX_DEPTH,
    Builder,
    Position,
    YamlError,
    YamlPath,
    resolve_plain,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "PARSER",
    "SHALLOW_LEVELS",
    "Document",
    "Position",
    "YamlError",
    "YamlPath",
    "build_located",
    "load_file",
    "loads",
    "read_text",
    "resolve_plain",
]

MAX_BYTES = 5 * 1024 * 1024
# Positions kept on the first reading: the document and its top level (each scenario of a list).
SHALLOW_LEVELS = 1
"""``loads`` keeps the positions of paths this long: the document and each item of a list."""

# The C parser alone when libyaml is present (events are all the walk needs).
PARSER: type[Any] = getattr(getattr(yaml, "_yaml", None), "CParser", yaml.SafeLoader)


class Document:
    """The loaded data and where each value (and each mapping key) starts.

    ``loads`` keeps the positions of the top level only; asking for a deeper one (an error to
    report) reads the text again, once, keeping them all.
    """

    def __init__(
        self,
        data: Any = None,
        values: dict[YamlPath, Position] | None = None,
        keys: dict[YamlPath, Position] | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self.data = data
        self._values = values if values is not None else {}
        self._keys = keys if keys is not None else {}
        self._text = text
        """Set while only the top levels are located."""

    @property
    def values(self) -> dict[YamlPath, Position]:
        self._locate_all()
        return self._values

    @property
    def keys(self) -> dict[YamlPath, Position]:
        self._locate_all()
        return self._keys

    def kept(self) -> dict[YamlPath, Position]:
        """The positions known without reading the text again."""
        return dict(self._values)

    def locate(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where ``path`` is written; the nearest enclosing value when it is not."""
        if not key and len(path) <= SHALLOW_LEVELS and path in self._values:
            return self._values[path]
        self._locate_all()
        if key and path in self._keys:
            return self._keys[path]
        for end in range(len(path), -1, -1):
            found = self._values.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def _locate_all(self) -> None:
        if self._text is not None:
            full = _build(self._text, located=True)
            self._values, self._keys, self._text = full._values, full._keys, None


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
    quick = quick_yaml.read(text)
    if quick is not None:
        return Document(quick[0], quick[1], text=text)
    return _build(text, located=False)


def build_located(text: str) -> Document:
    """Like ``loads`` (without the size check), keeping every position at once."""
    return _build(text, located=True)


def _build(text: str, *, located: bool) -> Document:
    values: dict[YamlPath, Position] = {}
    keys: dict[YamlPath, Position] = {}
    parser = PARSER(text)
    try:
        data = Builder(parser.get_event, values, keys, located=located).stream()
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, text) from exc
    except yaml.reader.ReaderError as exc:
        raise _unreadable(exc, text) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", Position(1, 1)) from exc
    finally:
        parser.dispose()
    return Document(data, values, keys, text=None if located else text)


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
