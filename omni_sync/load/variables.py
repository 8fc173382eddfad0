"""Variables (``vars``) defined in omni-sync.yaml but used by no file: a warning for
``validate`` (an error under ``--strict``), unless a file looks variables up by a computed
name, which may use any of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from omni_sync.errors import Problem
from omni_sync.load.project import Project
from omni_sync.load.rendering import used_in_source
from omni_sync.load.scenarios import file_text, scenario_paths
from omni_sync.model.desired import DesiredState
from omni_sync.source.safe_yaml import YamlError

# Message templates use vars too: their folder counts as a user of variables.
VARIABLE_USER_FOLDERS = ("templates",)


def used_variables(root: Path) -> set[str] | None:
    """Every ``vars.<name>`` written in a scenario file or a message template; None when a
    file looks one up by a computed name (``vars[env.name ~ '_sender']``): any may be used.
    Every file is rendered in every environment, so this holds for all of them."""
    paths: list[Path | str] = [*scenario_paths(root)]
    for folder in VARIABLE_USER_FOLDERS:
        paths.extend(path for path in sorted((root / folder).rglob("*")) if path.is_file())
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


def unused_variables(project: Project, desired: Mapping[str, DesiredState]) -> Iterable[Problem]:
    """A warning checker for ``validate``: each variable no file uses, at its place."""
    if not desired:
        return
    used = used_variables(project.root)
    if used is None:
        return
    for name in project.shared_vars:
        if name not in used:
            yield _unused(project, ("vars", name), f"shared variable '{name}'", name)
    for environment in (state.environment for state in desired.values()):
        for name in sorted(project.own_variables(environment.name) - used):
            yield _unused(
                project,
                ("environments", environment.name, "vars", name),
                f"variable '{name}' of environment '{environment.name}'",
                name,
            )


def _unused(project: Project, path: tuple[str, ...], what: str, name: str) -> Problem:
    where = project.position(path, key=True)
    return Problem(
        project.config_name,
        where.line,
        where.column,
        f"{what} is used by no file; remove it or use it as vars.{name}",
    )
