"""Everything ``omni-sync validate`` checks, collected without printing.

To add a check of the files ``load/`` reads, append a function to ``CHECKERS``: it gets the
project and the desired state of each selected environment that loaded without problems, and
yields located ``Problem``s. ``WARNING_CHECKERS`` find what is only a warning (exit 0), and a
problem under ``validate --strict``. Checks of other parts (message templates) are passed in by the
command, so that ``load/`` imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from omni_sync.errors import Problem, ProblemsFound
from omni_sync.load.project import Project, load_project
from omni_sync.load.rendering import used_in_source
from omni_sync.load.scenarios import file_text, load_environment, scenario_entries
from omni_sync.model.desired import DesiredState
from omni_sync.model.layout import TEMPLATES_DIR  # templates use vars too: they count
from omni_sync.source.safe_yaml import YamlError

Checker = Callable[[Project, Mapping[str, DesiredState]], Iterable[Problem]]


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
        project = load_project(root, config_path, hosts_of=names)
    except ProblemsFound as exc:
        return Findings(list(exc.problems), [], {})
    selected = project.select(names)
    problems: list[Problem] = []
    desired: dict[str, DesiredState] = {}
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


def used_variables(root: Path) -> set[str] | None:
    """Every ``vars.<name>`` written in a scenario file or a message template; None when a
    file looks one up by a computed name (``vars[env.name ~ '_sender']``): any may be used.
    Every file is rendered in every environment, so this holds for all of them."""
    paths: list[Path | str] = [path for _, path in scenario_entries(root)]
    paths.extend(path for path in sorted((root / TEMPLATES_DIR).rglob("*")) if path.is_file())
    used: set[str] = set()
    for path in paths:
        try:
            source = file_text(path)
        except YamlError:
            continue
        names = used_in_source(source)
        if names is None:
            return None
        used |= names
    return used


def unused_variables(project: Project, desired: Mapping[str, DesiredState]) -> Iterator[Problem]:
    """Each variable no file uses, at its place: a warning (an error under ``--strict``),
    unless a file looks variables up by a computed name, which may use any of them."""
    used = used_variables(project.root) if desired else None
    if used is None:
        return
    for name in project.shared_vars:
        if name not in used:
            yield _unused(project, ("vars", name), f"shared variable '{name}'")
    for environment in (state.environment for state in desired.values()):
        for name in sorted(project.own_variables(environment.name) - used):
            yield _unused(
                project,
                ("environments", environment.name, "vars", name),
                f"variable '{name}' of environment '{environment.name}'",
            )


def _unused(project: Project, path: tuple[str, ...], what: str) -> Problem:
    where = project.position(path, key=True)
    message = f"{what} is used by no file; remove it or use it as vars.{path[-1]}"
    return Problem(project.config_name, where.line, where.column, message)


CHECKERS: list[Checker] = []
WARNING_CHECKERS: list[Checker] = [unused_variables]
