"""Which of an account's scenarios the files already manage, so ``import`` adopts only the rest.

A scenario is managed when a file of this environment pins its key, has its name, or names it
in ``renamed_from``: the same ways plan matches (a second scenario sharing a managed name is the
files' business too: plan retires it). Importing any of those would write a second file for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omni_sync.model.desired import DesiredScenario, SourceRef
from omni_sync.model.scenario import RemoteScenario


@dataclass(frozen=True)
class Adoption:
    """The account's scenarios split: those to write, and those the files already manage (each
    with the file and line that manages it)."""

    new: tuple[RemoteScenario, ...]
    managed: tuple[tuple[RemoteScenario, SourceRef], ...]


def adoption(desired: Sequence[DesiredScenario], actual: Sequence[RemoteScenario]) -> Adoption:
    by_key = {item.spec.key: item for item in desired if item.spec.key}
    by_name = {item.spec.name: item for item in desired}
    by_old_name = {old: item for item in desired for old in item.spec.renamed_from}
    new: list[RemoteScenario] = []
    managed: list[tuple[RemoteScenario, SourceRef]] = []
    for remote in actual:
        item = by_key.get(remote.key) or by_name.get(remote.name) or by_old_name.get(remote.name)
        if item is None:
            new.append(remote)
        else:
            managed.append((remote, item.source))
    managed.sort(key=lambda pair: (pair[0].name, pair[0].key))
    return Adoption(tuple(new), tuple(managed))


def unread_files(problem_paths: Sequence[str], read: Sequence[DesiredScenario]) -> list[str]:
    """Scenario files with problems that gave no scenario at all: what they manage is unknown."""
    gave = {item.source.path for item in read}
    return sorted({path for path in problem_paths if path not in gave})
