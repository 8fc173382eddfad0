"""Template files read with the line and column of every key and value, so each problem points
at the exact place in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from omni_sync.errors import Problem

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    """1-based line and column."""

    line: int
    column: int


@dataclass
class Document:
    """The loaded data and where each value (and each mapping key) starts."""

    data: Any = None
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> Position:
        """Where ``path`` is written; the nearest enclosing value when it is not."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)


class ProblemError(Exception):
    """Internal: one located problem that stops reading a file (collected by the caller)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _walk(node: yaml.Node, path: KeyPath, document: Document) -> None:
    document.values[path] = _position(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            document.keys[(*path, str(key.value))] = _position(key.start_mark)
            _walk(value, (*path, str(key.value)), document)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), document)


def parse_yaml(text: str, path: str) -> Document:
    """Safe YAML with positions; a syntax error is a located Problem."""
    document = Document()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            document.data = yaml.SafeLoader(text).construct_document(node)
            _walk(node, (), document)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _position(mark) if mark else Position(1, 1)
        message = f"not valid YAML: {exc.problem}"
        raise ProblemError(Problem(path, where.line, where.column, message)) from exc
    return document
