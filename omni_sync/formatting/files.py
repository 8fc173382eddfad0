"""Which files ``fmt`` formats, and each one's outcome: formatted, already so, or left as it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from omni_sync.errors import ConfigError
from omni_sync.formatting.layout import NotFormattable, format_text
from omni_sync.load.scenarios import scenario_files
from omni_sync.source.files import write_whole
from omni_sync.source.locate import relative_name


@dataclass(frozen=True)
class FileOutcome:
    """One file: its name as shown, its formatted text (None when left as it is) and why."""

    path: Path
    name: str
    before: str
    after: str | None = None
    reason: str | None = None

    @property
    def changes(self) -> bool:
        return self.after is not None and self.after != self.before


def targets(root: Path, paths: Sequence[Path]) -> list[Path]:
    """The scenario files named (a folder: its scenario files), or every one under the root."""
    every = scenario_files(root)
    if not paths:
        return every
    found: list[Path] = []
    for given in paths:
        path = given if given.is_absolute() else root / given
        if path.is_dir():
            inside = [file for file in every if file.resolve().is_relative_to(path.resolve())]
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"{given}: no such file or folder")
    return list(dict.fromkeys(found))


def format_file(root: Path, path: Path) -> FileOutcome:
    name = relative_name(root, path)
    try:
        before = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return FileOutcome(path, name, "", reason="not UTF-8 text")
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read it ({exc.strerror})") from exc
    try:
        return FileOutcome(path, name, before, format_text(before))
    except NotFormattable as exc:
        return FileOutcome(path, name, before, reason=str(exc))


def write(outcome: FileOutcome) -> None:
    """Replace the file in one step, so an interrupted run never leaves half a file."""
    assert outcome.after is not None
    try:
        write_whole(outcome.path, outcome.after)
    except OSError as exc:
        raise ConfigError(f"{outcome.name}: cannot write it ({exc.strerror})") from exc
