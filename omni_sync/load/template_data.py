"""A scenario file read as YAML once per run, then filled in for each environment.

Rendering a file and reading the result costs the same in every environment, though most files
differ between environments only in a few quoted values such as ``from: "{{ vars.sender }}"``.
When a file's only templating is ``{{ vars.x }}`` and ``{{ env.name }}``, each inside a quoted,
single-line value with no escapes, and an environment's values hold no quote, backslash or
unprintable character, then reading the rendered text gives exactly the data read from the
file with the values put in: nothing a value can hold changes where a token starts or ends, and
a quoted scalar is a string whatever it says. Lines are unchanged too; columns after a value on
its line are not, so only positions that no value precedes are kept, and the rest are read from
the rendered text if an error asks for them.

``fill`` builds that data from the second environment on (reading a file with every position
costs about twice a plain reading, so a file read for one environment is read plainly), and
returns None in every other case, which is then read as usual.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import ScalarEvent

from omni_sync.load.rendering import PLACEHOLDER, is_simple, substitution
from omni_sync.load.safe_yaml import (
    MAX_BYTES,
    PARSER,
    SHALLOW_LEVELS,
    Document,
    YamlError,
    build_located,
)
from omni_sync.load.yaml_events import Position, YamlPath

CACHED_FILES = 65_536
"""Files remembered per process (their text, how often each was read): more than a repository
holds, so that no file is read again for a second environment or a second check."""
# Characters a value may not hold in each quoting style (besides unprintable ones).
_UNSAFE = {'"': re.compile(r'["\\]'), "'": re.compile("'")}


@dataclass(frozen=True)
class _Site:
    """A quoted value holding placeholders: where it is in the data, and its text."""

    path: YamlPath
    template: str
    unsafe: re.Pattern[str]


@dataclass(frozen=True)
class _Parsed:
    data: Any
    sites: tuple[_Site, ...]
    positions: Mapping[YamlPath, Position]


def fill(source: str, rendered: str, context: Mapping[str, Any]) -> Document | None:
    """The document ``rendered`` reads as, built from ``source`` read once; None when that
    cannot be shown to be the same (then read ``rendered`` itself)."""
    sighting = _sighting(source)
    sighting.count += 1
    if sighting.count == 1:
        return None  # a file read for one environment only is not worth reading twice
    parsed = _parse(source)
    if parsed is None:
        return None
    if len(rendered) * 4 > MAX_BYTES and len(rendered.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    filled: list[tuple[YamlPath, str]] = []
    for site in parsed.sites:
        result = substitution(site.template, context)
        if result is None:
            return None
        text, values = result
        if any(not value.isprintable() or site.unsafe.search(value) for value in values):
            return None
        filled.append((site.path, text))
    data = parsed.data
    for path, text in filled:
        data = _replaced(data, path, text)
    return Document(data, dict(parsed.positions), text=rendered)


@dataclass
class _Sighting:
    count: int = 0


@functools.lru_cache(maxsize=CACHED_FILES)
def _sighting(source: str) -> _Sighting:
    """How often ``source`` was read in this process (a bounded memory)."""
    del source  # the cache key only
    return _Sighting()


@functools.lru_cache(maxsize=CACHED_FILES // 4)
def _parse(source: str) -> _Parsed | None:
    if not is_simple(source):
        return None
    try:
        located = build_located(source)
        scalars = _quoted_scalars(source)
    except YamlError:
        return None
    paths = {
        position: path
        for path, position in located.values.items()
        if isinstance(_get(located.data, path), str)
    }
    starts = [scalar[0] for scalar in scalars]
    sites: dict[YamlPath, _Site] = {}
    first_value_on_line: dict[int, int] = {}
    for match in PLACEHOLDER.finditer(source):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0 or scalars[index][1] < match.end():
            return None  # outside any quoted single-line scalar: in a key, a comment, plain
        _, _, position, style = scalars[index]
        path = paths.get(position)
        if path is None:
            return None  # a key
        sites[path] = _Site(path, _get(located.data, path), _UNSAFE[style])
        line = position.line
        first_value_on_line[line] = min(first_value_on_line.get(line, match.start()), match.start())
    positions = {
        path: position
        for path, position in located.values.items()
        if _kept(path, located.data) and not _after_a_value(position, first_value_on_line, source)
    }
    return _Parsed(located.data, tuple(sites.values()), positions)


def _quoted_scalars(source: str) -> list[tuple[int, int, Position, str]]:
    """(start, end, position, style) of each quoted scalar on one line, with no escapes."""
    found: list[tuple[int, int, Position, str]] = []
    parser = PARSER(source)
    try:
        while parser.check_event():
            event = parser.get_event()
            if type(event) is not ScalarEvent or event.style not in _UNSAFE:
                continue
            start: Any = event.start_mark
            end: Any = event.end_mark
            inner = source[start.index + 1 : end.index - 1]
            escaped = "\\" in inner if event.style == '"' else "''" in inner
            if start.line == end.line and not escaped:
                position = Position(start.line + 1, start.column + 1)
                found.append((start.index, end.index, position, event.style))
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), Position(1, 1)) from exc
    finally:
        parser.dispose()
    return found


def _kept(path: YamlPath, data: Any) -> bool:
    """Whether ``loads`` would keep this position: the document's, or a top-level item's."""
    return not path or (len(path) == SHALLOW_LEVELS and isinstance(data, list))


def _after_a_value(position: Position, first_value_on_line: dict[int, int], source: str) -> bool:
    """Whether a filled-in value stands before ``position`` on its line (shifting it)."""
    first = first_value_on_line.get(position.line)
    if first is None:
        return False
    line_start = source.rfind("\n", 0, first) + 1
    return first - line_start < position.column - 1


def _get(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _replaced(data: Any, path: YamlPath, value: str) -> Any:
    """``data`` with the value at ``path`` replaced: the containers on the way are copied, the
    rest is shared (no reader of a document changes its data)."""
    if not path:
        return value
    copied = dict(data) if isinstance(data, dict) else list(data)
    head = path[0]
    copied[head] = _replaced(data[head], path[1:], value)  # type: ignore[index]
    return copied
