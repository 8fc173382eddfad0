"""Checks of one environment's scenarios taken together: names and keys, the default, renames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from omni_sync.errors import Problem
from omni_sync.load.build import LoadedScenario
from omni_sync.load.project import Project
from omni_sync.model.environment import Environment
from omni_sync.model.layout import SCENARIO_DIR


def whole_set_problems(
    project: Project, environment: Environment, scenarios: Sequence[LoadedScenario]
) -> list[Problem]:
    problems = list(_taken_twice(scenarios))
    problems.extend(_defaults(project, environment, scenarios))
    problems.extend(_renames(scenarios))
    return [Problem(p.path, p.line, p.column, p.message, environment.name) for p in problems]


def _at(item: LoadedScenario, message: str, *path: str | int) -> Problem:
    position = item.position(*path)
    return Problem(item.source.path, position.line, position.column, message)


def _taken_twice(scenarios: Sequence[LoadedScenario]) -> Iterator[Problem]:
    """A name already used in the environment; an upstream key already pinned by a file."""
    names: dict[str, LoadedScenario] = {}
    keys: dict[str, LoadedScenario] = {}
    for item in scenarios:
        name, key = item.spec.name, item.spec.key
        if (earlier := names.setdefault(name, item)) is not item:
            yield _at(
                item,
                f"scenario name '{name}' is already used at {earlier.source}; "
                "names are unique in an environment",
                "name",
            )
        if key is not None and (earlier := keys.setdefault(key, item)) is not item:
            yield _at(
                item,
                f"key {key} is already pinned by '{earlier.spec.name}' at {earlier.source}; "
                "one file per upstream scenario",
                "key",
            )


def _defaults(
    project: Project, environment: Environment, scenarios: Sequence[LoadedScenario]
) -> Iterator[Problem]:
    defaults = [item for item in scenarios if item.spec.default]
    if scenarios and not defaults:
        yield _no_default(project, environment.name, scenarios)
    for extra in defaults[1:]:
        yield _at(
            extra,
            f"a second default scenario in environment '{environment.name}' "
            f"(the first is '{defaults[0].spec.name}' at {defaults[0].source}); keep one",
            "default",
        )


def _no_default(project: Project, environment: str, scenarios: Sequence[LoadedScenario]) -> Problem:
    """At the only scenario, which is the one to mark; else at the environment in
    omni-sync.yaml (or, with none, the folder), naming where its scenarios are."""
    missing = f"environment '{environment}' has no default scenario"
    if len(scenarios) == 1:
        return _at(scenarios[0], f"{missing}; mark this one, its only scenario, with default: true")
    shown = ", ".join(str(item.source) for item in scenarios[:SHOWN_SOURCES])
    more = len(scenarios) - SHOWN_SOURCES
    listed = f"{shown} and {more} more" if more > 0 else shown
    message = (
        f"{missing} among its {len(scenarios)} ({listed}); mark exactly one with default: true"
    )
    if not project.config_found:
        return Problem(SCENARIO_DIR, 0, 0, message)
    where = project.position(("environments", environment), key=True)
    return Problem(project.config_name, where.line, where.column, message)


SHOWN_SOURCES = 3


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
