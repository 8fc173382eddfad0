"""Checks of one environment's scenarios taken together: names, the default, renames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from omni_sync.errors import Problem
from omni_sync.load.build import LoadedScenario
from omni_sync.load.project import Project
from omni_sync.model.environment import Environment


def whole_set_problems(
    project: Project, environment: Environment, scenarios: Sequence[LoadedScenario]
) -> list[Problem]:
    del project  # part of the signature so later checks can look at settings
    problems = list(_duplicate_names(scenarios))
    problems.extend(_defaults(environment, scenarios))
    problems.extend(_renames(scenarios))
    problems.extend(_pins(scenarios))
    return [Problem(p.path, p.line, p.column, p.message, environment.name) for p in problems]


def _at(item: LoadedScenario, message: str, *path: str | int) -> Problem:
    position = item.position(*path)
    return Problem(item.source.path, position.line, position.column, message)


def _duplicate_names(scenarios: Sequence[LoadedScenario]) -> Iterator[Problem]:
    first: dict[str, LoadedScenario] = {}
    for item in scenarios:
        earlier = first.setdefault(item.spec.name, item)
        if earlier is not item:
            yield _at(
                item,
                f"scenario name '{item.spec.name}' is already used at {earlier.source}; "
                "names are unique in an environment",
                "name",
            )


def _defaults(environment: Environment, scenarios: Sequence[LoadedScenario]) -> Iterator[Problem]:
    defaults = [item for item in scenarios if item.spec.default]
    if scenarios and not defaults:
        first = scenarios[0]
        yield _at(
            first,
            f"environment '{environment.name}' has no default scenario; "
            "mark exactly one with default: true",
        )
    for extra in defaults[1:]:
        yield _at(
            extra,
            f"a second default scenario in environment '{environment.name}' "
            f"(the first is '{defaults[0].spec.name}' at {defaults[0].source}); keep one",
            "default",
        )


def _renames(scenarios: Sequence[LoadedScenario]) -> Iterator[Problem]:
    live = {item.spec.name: item for item in scenarios}
    claimed: dict[str, LoadedScenario] = {}
    for item in scenarios:
        for index, old in enumerate(item.spec.renamed_from):
            holder = live.get(old)
            if holder is item:
                message = f"renamed_from '{old}' is this scenario's own name"
            elif holder is not None:
                message = (
                    f"renamed_from '{old}' is the name of another scenario ({holder.source}); "
                    "an old name must no longer be in use"
                )
            elif claimed.setdefault(old, item) is not item:
                message = (
                    f"renamed_from '{old}' is also claimed by '{claimed[old].spec.name}' "
                    f"({claimed[old].source}); one scenario per old name"
                )
            else:
                continue
            yield _at(item, message, "renamed_from", index)


def _pins(scenarios: Sequence[LoadedScenario]) -> Iterator[Problem]:
    """One upstream scenario per pinned key."""
    first: dict[str, LoadedScenario] = {}
    for item in scenarios:
        key = item.spec.key
        if key is not None and first.setdefault(key, item) is not item:
            earlier = first[key]
            yield _at(
                item,
                f"key {key} is already pinned by '{earlier.spec.name}' at {earlier.source}; "
                "one file per upstream scenario",
                "key",
            )
