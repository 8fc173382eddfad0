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
from typing import Any, NamedTuple

from omni_sync.load.yaml_events import Position, YamlPath, resolve_plain

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
# A plain scalar: not starting with an indicator, holding no ':', '#', quote or bracket.
_PLAIN = r"[\w.+(/<=~$^][\w .+()/<>=~$^&,;%!*?'@-]*"
_VALUE = rf"\"(?P<dq>[^\"\\]*)\"|'(?P<sq>[^']*)'|(?P<plain>{_PLAIN})"
_LINE = re.compile(
    rf"(?P<indent> *)(?P<dash>- +)?(?:(?P<key>{_KEY}):(?= |\Z) *)?(?:{_VALUE})?(?: +#.*)? *\Z"
)
_MAX_DEPTH = 32


class _Token(NamedTuple):
    line: int
    column: int  # 0-based
    kind: str  # "dash", "key" or "scalar"
    key: str | None
    value: Any  # the scalar, or _NOTHING for a key whose value follows on the next lines


_NOTHING = object()


class _NotQuick(Exception):
    """Something only the YAML parser should read."""


def read(text: str) -> tuple[Any, dict[YamlPath, Position]] | None:
    """The data and the positions ``loads`` keeps (the document's, each list item's), or None."""
    if not text.replace("\n", "").isprintable():
        return None  # tabs, carriage returns, control and format characters
    try:
        tokens = _tokens(text)
        if not tokens:
            return None, {}
        return _Reader(tokens).document()
    except _NotQuick:
        return None


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip(" ")[:1] in ("", "#"):
            continue  # blank, or a comment
        match = _LINE.match(line)
        if match is None:
            raise _NotQuick
        column = len(match["indent"])
        dash = match["dash"]
        key = match["key"]
        if key is None and match["dq"] is None and match["sq"] is None and not match["plain"]:
            raise _NotQuick  # an item whose value is on the next lines, or a comment after one
        if dash:
            tokens.append(_Token(number, column, "dash", None, None))
            column += len(dash)
        value = _scalar(match)
        tokens.append(_Token(number, column, "key" if key else "scalar", key, value))
    return tokens


def _scalar(match: re.Match[str]) -> Any:
    if match["dq"] is not None:
        return match["dq"]
    if match["sq"] is not None:
        return match["sq"]
    plain = match["plain"]
    if plain is None:
        return _NOTHING if match["key"] else None
    return resolve_plain(plain.rstrip(" "))


class _Reader:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._at = 0
        self._positions: dict[YamlPath, Position] = {}

    def document(self) -> tuple[Any, dict[YamlPath, Position]]:
        first = self._tokens[0]
        if first.column != 0 or first.kind == "scalar":
            raise _NotQuick
        self._positions[()] = Position(first.line, 1)
        if first.kind == "key":
            data: Any = self._mapping(0, 1)
        else:
            data = self._sequence(0, 1, top=True)
        if self._at != len(self._tokens):
            raise _NotQuick
        return data, self._positions

    def _peek(self) -> _Token | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _mapping(self, column: int, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise _NotQuick
        result: dict[str, Any] = {}
        while (token := self._peek()) is not None and token.column >= column:
            if token.kind != "key" or token.column != column or token.key in result:
                raise _NotQuick
            self._at += 1
            assert token.key is not None
            result[token.key] = self._value(token, column, depth)
        return result

    def _value(self, token: _Token, column: int, depth: int) -> Any:
        if token.value is not _NOTHING:
            return token.value
        after = self._peek()
        if after is None:
            return None
        if after.kind == "key" and after.column > column:
            return self._mapping(after.column, depth + 1)
        if after.kind == "dash" and after.column >= column:
            return self._sequence(after.column, depth + 1)
        return None

    def _sequence(self, column: int, depth: int, *, top: bool = False) -> list[Any]:
        if depth > _MAX_DEPTH:
            raise _NotQuick
        items: list[Any] = []
        while (
            (token := self._peek()) is not None and token.kind == "dash" and token.column == column
        ):
            content = self._tokens[self._at + 1]
            if top:
                self._positions[(len(items),)] = Position(content.line, content.column + 1)
            if content.kind == "scalar":
                self._at += 2
                items.append(content.value)
            else:
                self._at += 1
                items.append(self._mapping(content.column, depth + 1))
        if token is not None and token.column > column:
            raise _NotQuick
        return items
