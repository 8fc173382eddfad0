"""Scenario names made safe for file names and for environment variable names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from omni_sync.errors import OmniSyncError

MAX_FILE_STEM = 80
_NOT_FILE_SAFE = re.compile(r"[^a-z0-9._-]+")
_NOT_VARIABLE_SAFE = re.compile(r"[^A-Z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def file_stem(name: str) -> str:
    """``Order updates / EU`` -> ``order-updates-eu``: lower case, ASCII, no separators."""
    stem = _NOT_FILE_SAFE.sub("-", _ascii(name).lower())
    stem = re.sub(r"-{2,}", "-", stem).strip("-._")[:MAX_FILE_STEM].rstrip("-._")
    if not stem:
        return "scenario"
    if stem.split(".")[0] in _WINDOWS_RESERVED:
        return f"{stem}-scenario"
    return stem


def unique_stems(names: Iterable[str]) -> dict[str, str]:
    """A distinct file stem for each name (``-2``, ``-3`` after a clash), in the order given."""
    taken: set[str] = set()
    stems: dict[str, str] = {}
    for name in names:
        base = file_stem(name)
        stem, count = base, 1
        while stem in taken:
            count += 1
            stem = f"{base}-{count}"
        taken.add(stem)
        stems[name] = stem
    return stems


def variable_name(name: str, prefix: str = "") -> str:
    """``Order updates`` -> ``ORDER_UPDATES``: a valid shell and dotenv variable name."""
    body = _NOT_VARIABLE_SAFE.sub("_", _ascii(name).upper()).strip("_")
    full = f"{prefix}{body}" if body else f"{prefix}SCENARIO"
    return f"SCENARIO_{full}" if full[0].isdigit() else full


class NameClash(OmniSyncError):
    pass


def variable_names(names: Iterable[str], prefix: str = "") -> dict[str, str]:
    """Each name's variable; two names that would share one are an error naming both."""
    seen: dict[str, str] = {}
    out: dict[str, str] = {}
    for name in names:
        variable = variable_name(name, prefix)
        if variable in seen:
            raise NameClash(
                f'scenarios "{seen[variable]}" and "{name}" both become {variable}; '
                "rename one, or use --format json"
            )
        seen[variable] = name
        out[name] = variable
    return out
