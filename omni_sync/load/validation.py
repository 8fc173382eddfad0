"""Everything ``omni-sync validate`` checks, collected without printing.

To add a check of the files ``load/`` reads, append a function to ``CHECKERS``: it gets the
project and the desired state of each selected environment that loaded without problems, and
yields located ``Problem``s. ``WARNING_CHECKERS`` find what is only a warning (exit 0), and a
problem under ``validate --strict``. Checks of other parts (message templates) are passed in by the
command, so that ``load/`` imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from omni_sync.errors import Problem, ProblemsFound
from omni_sync.load.project import Project, load_project
from omni_sync.load.scenarios import load_environment
from omni_sync.load.variables import unused_variables
from omni_sync.model.desired import DesiredState
from omni_sync.model.environment import Environment
from omni_sync.model.settings_checks import destination_problems

Checker = Callable[[Project, Mapping[str, DesiredState]], Iterable[Problem]]


CHECKERS: list[Checker] = []
WARNING_CHECKERS: list[Checker] = [unused_variables]


class Findings(NamedTuple):
    problems: list[Problem]
    warnings: list[Problem]
    desired: dict[str, DesiredState]


def collect(
    root: Path,
    config_path: Path | None,
    names: Sequence[str],
    more: Sequence[Checker] = (),
    *,
    strict: bool = False,
) -> Findings:
    """Every problem and warning of the selected environments (``strict``: the warnings
    counted as problems), and the desired state of the clean ones."""
    try:
        project = load_project(root, config_path)
    except ProblemsFound as exc:
        return Findings(list(exc.problems), [], {})
    problems: list[Problem] = []
    desired: dict[str, DesiredState] = {}
    selected = project.select(names)
    problems.extend(destination_problems_located(project, selected))
    for environment in selected:
        loaded = load_environment(project, environment)
        problems.extend(loaded.problems)
        if not loaded.problems:
            desired[environment.name] = loaded.desired()
    for checker in [*CHECKERS, *more]:
        problems.extend(checker(project, desired))
    warnings = [warning for checker in WARNING_CHECKERS for warning in checker(project, desired)]
    if strict:
        problems, warnings = [*problems, *warnings], []
    count = len(selected)
    problems, warnings = merge_environments(problems, count), merge_environments(warnings, count)
    return Findings(problems, warnings, desired)


def destination_problems_located(
    project: Project, environments: Sequence[Environment]
) -> list[Problem]:
    """A base_url whose host may not receive the credential, at its line: it depends on this
    machine's OMNI_SYNC_ALLOWED_HOSTS, so only validate and the client check it."""
    found = []
    for environment in environments:
        for path, message in destination_problems(environment):
            where = project.position(("environments", environment.name, *path))
            found.append(Problem(project.config_name, where.line, where.column, message))
    return found


def merge_environments(problems: Iterable[Problem], environments: int) -> list[Problem]:
    """One line per problem, naming the environments it occurs in (none when it is in all)."""
    seen: dict[Problem, list[str]] = {}
    for problem in problems:
        names = seen.setdefault(problem, [])
        if problem.environment and problem.environment not in names:
            names.append(problem.environment)
    merged = []
    for problem, names in seen.items():
        label = ", ".join(names) if names and len(names) < environments else None
        merged.append(Problem(problem.path, problem.line, problem.column, problem.message, label))
    return sorted(merged)
