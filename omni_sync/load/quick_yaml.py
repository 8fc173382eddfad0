"""The everyday shape of a scenario file, read without the YAML parser; anything else is left to it.

Most files are block mappings and lists of identifier keys with quoted or simple plain values:

    - name: Orders
      flow:
        - channel: SMS
          from: "InfoSMS"   # a comment

Reading them line by line is about three times faster than building the parser's events, which
is most of the cost of a plan over thousands of files. ``read`` accepts only lines of a few
strict forms, and returns None at the first thing it does not know (a flow collection, a
multi-line or escaped scalar, an anchor, a tag, a tab, a duplicate key, an odd indentation, a
document marker...), so that safe_yaml reads the file with the parser, with its checks and its
error messages. What it does accept reads exactly as the parser reads it, with the same values
(``resolve_plain``) and the same positions for the document and its list items; a test compares
the two on generated files.
"""

from __future__ import annotations

import re
from typing import Any

from omni_sync.load.yaml_events import Position, YamlPath, resolve_plain

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
# A plain scalar: not starting with an indicator, holding no ':', '#', quote or bracket.
_PLAIN = r"[\w.+(/<=~$^][\w .+()/<>=~$^&,;%!*?'@-]*"
_VALUE = rf"\"(?P<dq>[^\"\\]*)\"|'(?P<sq>[^']*)'|(?P<plain>{_PLAIN})"
_LINE = re.compile(
    rf"(?P<indent> *)(?P<dash>- +)?(?:(?P<key>{_KEY}):(?= |\Z) *)?(?:{_VALUE})?(?: +#.*)? *\Z"
)
_MAX_DEPTH = 32


# A token: (line, column (0-based), kind, key, value). Kinds: a dash, a key (its value is the
# scalar on its line, or _NOTHING when it follows on the next lines), or a scalar (after a dash).
_Token = tuple[int, int, str, Any, Any]
_DASH, _KEY, _SCALAR = "dash", "key", "scalar"
_END: _Token = (0, -1, "end", None, None)
_NOTHING = object()
_SKIPPED = ("", "#")


class _NotQuick(Exception):
    """Something only the YAML parser should read."""


def read(text: str) -> tuple[Any, dict[YamlPath, Position]] | None:
    """The data and the positions ``loads`` keeps (the document's, each list item's), or None."""
    if not text.replace("\n", "").isprintable():
        return None  # tabs, carriage returns, control and format characters
    try:
        tokens = _tokens(text)
        if len(tokens) == 1:
            return None, {}
        return _Reader(tokens).document()
    except _NotQuick:
        return None


def _tokens(text: str) -> list[_Token]:
    """Every line's tokens, then _END."""
    tokens: list[_Token] = []
    append = tokens.append
    match_line = _LINE.match
    number = 0
    for line in text.split("\n"):
        number += 1
        if line.lstrip(" ")[:1] in _SKIPPED:
            continue  # blank, or a comment
        match = match_line(line)
        if match is None:
            raise _NotQuick
        indent, dash, key, double, single, plain = match.groups()
        column = len(indent)
        if dash:
            append((number, column, _DASH, None, None))
            column += len(dash)
        if double is not None:
            value: Any = double
        elif single is not None:
            value = single
        elif plain:
            value = resolve_plain(plain.rstrip(" "))
        elif key is None:
            raise _NotQuick  # an item whose value is on the next lines, or a comment after one
        else:
            value = _NOTHING
        append((number, column, _SCALAR if key is None else _KEY, key, value))
    append(_END)
    return tokens


class _Reader:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._at = 0
        self._positions: dict[YamlPath, Position] = {}

    def document(self) -> tuple[Any, dict[YamlPath, Position]]:
        line, column, kind, _, _ = self._tokens[0]
        if column != 0 or kind == _SCALAR:
            raise _NotQuick
        self._positions[()] = Position(line, 1)
        data = self._mapping(0, 1) if kind == _KEY else self._sequence(0, 1, top=True)
        if self._at != len(self._tokens) - 1:
            raise _NotQuick
        return data, self._positions

    def _mapping(self, column: int, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise _NotQuick
        tokens = self._tokens
        result: dict[str, Any] = {}
        while True:
            _, at_column, kind, key, value = tokens[self._at]
            if at_column < column:
                return result
            if kind != _KEY or at_column != column or key in result:
                raise _NotQuick
            self._at += 1
            if value is _NOTHING:
                value = self._below(column, depth)
            result[key] = value

    def _below(self, column: int, depth: int) -> Any:
        """The value of a key written on the lines after it: a mapping, a list, or nothing."""
        _, at_column, kind, _, _ = self._tokens[self._at]
        if kind == _KEY and at_column > column:
            return self._mapping(at_column, depth + 1)
        if kind == _DASH and at_column >= column:
            return self._sequence(at_column, depth + 1)
        return None

    def _sequence(self, column: int, depth: int, *, top: bool = False) -> list[Any]:
        if depth > _MAX_DEPTH:
            raise _NotQuick
        tokens = self._tokens
        items: list[Any] = []
        while True:
            _, at_column, kind, _, _ = tokens[self._at]
            if kind != _DASH or at_column != column:
                if at_column > column:
                    raise _NotQuick
                return items
            line, content_column, content_kind, _, value = tokens[self._at + 1]
            if top:
                self._positions[(len(items),)] = Position(line, content_column + 1)
            if content_kind == _SCALAR:
                self._at += 2
                items.append(value)
            else:
                self._at += 1
                items.append(self._mapping(content_column, depth + 1))
