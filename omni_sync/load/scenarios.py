"""Scenario files to the desired state of one environment.

Every ``scenarios.d/**/*.yaml`` (or ``.yml``; sorted by path) is a Jinja template rendered with the
environment's ``vars`` (as ``vars.<name>``) and ``env.name``, then read as YAML: either one
scenario mapping or a list of them. A file that renders to nothing holds no scenario. Scenarios
with an ``environments`` list are kept only in the environments named.

``load_environment`` is the whole way through, in order: read each file (``file_text``),
render it (``rendering``), parse it (``safe_yaml``), on two CPUs for many files (``parallel``),
build its scenarios (``build``), then check the environment's set (``checks``).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_sync.errors import Problem, ProblemsFound
from omni_sync.load.build import LoadedScenario, scenarios_in
from omni_sync.load.checks import whole_set_problems
from omni_sync.load.parallel import map_files
from omni_sync.load.project import Project
from omni_sync.load.rendering import render_source
from omni_sync.model.desired import DesiredScenario, DesiredState
from omni_sync.model.environment import Environment
from omni_sync.model.layout import SCENARIO_DIR, YAML_SUFFIXES
from omni_sync.source.safe_yaml import Document, YamlError, loads, read_text

NO_SCENARIO_FILES = (
    "no scenario files in scenarios.d/ (*.yaml or *.yml): there is nothing to compare; write "
    "one, or adopt an account's scenarios with omni-sync import -e ENV"
)
CACHED_FILES = 65_536
"""Files whose text is remembered per process: more than a repository holds, so that no file is
read again for a second environment or for the variable checks."""


@dataclass
class LoadedEnvironment:
    environment: Environment
    scenarios: list[LoadedScenario]
    problems: list[Problem]
    files_digest: str

    def desired(self) -> DesiredState:
        scenarios = tuple(DesiredScenario(item.spec, item.source) for item in self.scenarios)
        return DesiredState(self.environment, scenarios, self.files_digest)


def scenario_files(root: Path) -> list[Path]:
    """Every ``scenarios.d/**/*.yaml`` (and ``*.yml``) file, sorted by its path in the folder."""
    return [Path(path) for _, path in scenario_entries(root)]


def scenario_entries(root: Path) -> list[tuple[str, str]]:
    """(name relative to the root, full path) of each scenario file, sorted; plain strings, as
    this runs once per file of large repositories."""
    folder = os.path.join(root, SCENARIO_DIR)
    found: list[tuple[str, str]] = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        relative = os.path.relpath(directory, root).replace(os.sep, "/") + "/"
        found.extend(
            (relative + name, os.path.join(directory, name))
            for name in files
            if name.endswith(YAML_SUFFIXES)
        )
    found.sort()
    return found


def no_scenario_files(root: Path) -> str | None:
    """The warning for a repository whose scenarios.d/ holds no scenario file, else None;
    the walk stops at the first file found."""
    for _, _, files in os.walk(os.path.join(root, SCENARIO_DIR)):
        if any(name.endswith(YAML_SUFFIXES) for name in files):
            return None
    return NO_SCENARIO_FILES


def file_text(path: Path | str) -> str:
    """A file's text, read once per process while it is unchanged (validate reads each file
    for every environment and again for the variable checks)."""
    status = os.stat(path)
    return _file_text(str(path), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=CACHED_FILES)
def _file_text(path: str, mtime_ns: int, size: int) -> str:
    del mtime_ns, size  # part of the cache key only
    return read_text(path)


def load_desired(project: Project, environment: Environment) -> DesiredState:
    """The validated desired state of one environment; raises ``ProblemsFound`` with them all."""
    loaded = load_environment(project, environment)
    if loaded.problems:
        raise ProblemsFound(loaded.problems)
    return loaded.desired()


def load_environment(project: Project, environment: Environment) -> LoadedEnvironment:
    """Every scenario of one environment and every problem found on the way (no raising)."""
    context = _context(environment)
    hint = _undefined_hint(project)

    digest = hashlib.sha256()
    scenarios: list[LoadedScenario] = []
    problems: list[Problem] = []
    entries = scenario_entries(project.root)
    outcomes = map_files(entries, lambda entry: _read_file(*entry, context, environment.name, hint))
    for (name, _), outcome in zip(entries, outcomes, strict=True):
        if isinstance(outcome, list):
            problems.extend(outcome)
            continue
        text, document = outcome
        digest.update(f"{name}\0{text}\0".encode())
        for found in scenarios_in(document, name, project, environment):
            if isinstance(found, Problem):
                problems.append(found)
            else:
                scenarios.append(found)
    problems.extend(whole_set_problems(project, environment, scenarios))
    return LoadedEnvironment(environment, scenarios, problems, digest.hexdigest())


_Read = tuple[str, Document] | list[Problem]
"""A file read for an environment: its rendered text and document, or what is wrong with it."""


def _read_file(name: str, path: str, context: dict[str, Any], env_name: str, hint: str) -> _Read:
    """Read, render and parse one file."""
    try:
        source = file_text(path)
    except YamlError as exc:
        return [exc.problem(name)]  # the same in every environment
    try:
        text = render_source(source, name, context, environment=env_name, undefined_hint=hint)
        return text, loads(text)
    except ProblemsFound as exc:
        return list(exc.problems)
    except YamlError as exc:
        return [exc.problem(name, env_name)]


def rendered_document(project: Project, environment: Environment, name: str) -> Document | None:
    """One scenario file (``name`` as its ``SourceRef`` says) rendered for the environment as
    loading read it, to point into; None if it no longer reads."""
    found = _read_file(name, str(project.root / name), _context(environment), environment.name, "")
    return None if isinstance(found, list) else found[1]


def _context(environment: Environment) -> dict[str, Any]:
    return {"vars": environment.vars, "env": {"name": environment.name}}


def _undefined_hint(project: Project) -> str:
    if project.config_found:
        return f"; define it in the environment's vars in {project.config_name}"
    return "; the default local environment has no vars: add an omni-sync.yaml"
