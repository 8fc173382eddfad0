"""Environment variables (``vars``) defined in omni-sync.yaml but used by no file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from omni_sync.errors import Problem
from omni_sync.load.project import Project
from omni_sync.load.rendering import variables_in_source
from omni_sync.load.safe_yaml import YamlError
from omni_sync.load.scenarios import file_text, scenario_files
from omni_sync.model.desired import DesiredState

# Message templates use vars too: their folder counts as a user of variables.
VARIABLE_USER_FOLDERS = ("templates",)


def used_variables(root: Path) -> set[str]:
    """Every ``vars.<name>`` written in a scenario file or a message template."""
    paths = list(scenario_files(root))
    for folder in VARIABLE_USER_FOLDERS:
        paths.extend(path for path in sorted((root / folder).rglob("*")) if path.is_file())
    used: set[str] = set()
    for path in paths:
        try:
            source = file_text(path)
        except YamlError:
            continue
        if "vars" in source:
            used.update(variables_in_source(source))
    return used


def unused_variables(project: Project, desired: Mapping[str, DesiredState]) -> Iterable[Problem]:
    """A checker for ``validate``: each variable no file uses, at its place in the config."""
    used = used_variables(project.root) if desired else set()
    for environment in (state.environment for state in desired.values()):
        for name in environment.vars:
            if name in used:
                continue
            where = project.position(("environments", environment.name, "vars", name), key=True)
            yield Problem(
                project.config_name,
                where.line,
                where.column,
                f"variable '{name}' of environment '{environment.name}' is used by no file; "
                "remove it or use it as vars." + name,
            )
