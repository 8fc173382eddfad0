"""Scenario files to the desired state of one environment.

Every ``scenarios.d/**/*.yaml`` (sorted by path) is a Jinja template rendered with the
environment's ``vars`` (as ``vars.<name>``) and ``env.name``, then read as YAML: either one
scenario mapping or a list of them. A file that renders to nothing holds no scenario. Scenarios
with an ``environments`` list are kept only in the environments named.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from omni_sync.errors import Problem, ProblemsFound
from omni_sync.load.locate import field_names, validation_problems
from omni_sync.load.parallel import map_files
from omni_sync.load.project import Project
from omni_sync.load.rendering import render_source
from omni_sync.load.safe_yaml import Document, Position, YamlError, YamlPath, loads, read_text
from omni_sync.load.template_data import CACHED_FILES, fill
from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import ScenarioSpec, Step

SCENARIO_DIR = "scenarios.d"
_KNOWN_KEYS = field_names(ScenarioSpec, Step)


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with the document it came from, so checks can point into it."""

    spec: ScenarioSpec
    source: SourceRef
    document: Document = field(compare=False, repr=False)
    base: YamlPath = ()

    def position(self, *path: str | int, key: bool = False) -> Position:
        return self.document.locate((*self.base, *path), key=key)


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
    """Every ``scenarios.d/**/*.yaml`` file, sorted by its path inside the folder."""
    return [Path(path) for _, path in _scenario_entries(root)]


def _scenario_entries(root: Path) -> list[tuple[str, str]]:
    """(name relative to the root, full path) of each scenario file; plain strings, as this
    runs once per file of large repositories."""
    folder = os.path.join(root, SCENARIO_DIR)
    found: list[tuple[str, str]] = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        relative = os.path.relpath(directory, root).replace(os.sep, "/") + "/"
        found.extend(
            (relative + name, os.path.join(directory, name))
            for name in files
            if name.endswith(".yaml")
        )
    found.sort()
    return found


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
    from omni_sync.load.checks import whole_set_problems

    digest = hashlib.sha256()
    scenarios: list[LoadedScenario] = []
    problems: list[Problem] = []
    context = {"vars": environment.vars, "env": {"name": environment.name}}
    hint = _undefined_hint(project, environment)

    def read(entry: tuple[str, str]) -> _Read:
        return _read_file(entry, context, environment.name, hint)

    entries = _scenario_entries(project.root)
    for (name, _), outcome in zip(
        entries, map_files(entries, read, _encoded, _decoded), strict=True
    ):
        if isinstance(outcome, list):
            problems.extend(outcome)
            continue
        text, document = outcome
        digest.update(f"{name}\0{text}\0".encode())
        found = _scenarios_in(document, name, project, environment)
        scenarios.extend(item for item in found if isinstance(item, LoadedScenario))
        problems.extend(item for item in found if isinstance(item, Problem))
    problems.extend(whole_set_problems(project, environment, scenarios))
    return LoadedEnvironment(environment, scenarios, problems, digest.hexdigest())


def _render_file(
    path: str, name: str, context: dict[str, Any], env_name: str, hint: str
) -> tuple[str, str]:
    """The file's text and its rendering for the environment."""
    try:
        source = file_text(path)
    except YamlError as exc:
        raise ProblemsFound([_yaml_problem(name, exc, None)]) from None
    rendered = render_source(source, name, context, environment=env_name, undefined_hint=hint)
    return source, rendered


_Read = tuple[str, Document] | list[Problem]
"""A file read for an environment: its rendered text and document, or what is wrong with it."""


def _read_file(entry: tuple[str, str], context: dict[str, Any], env_name: str, hint: str) -> _Read:
    name, path = entry
    try:
        source, text = _render_file(path, name, context, env_name, hint)
        return text, fill(source, text, context) or loads(text)
    except ProblemsFound as exc:
        return list(exc.problems)
    except YamlError as exc:
        return [_yaml_problem(name, exc, env_name)]


def _encoded(outcome: _Read) -> list[Any]:
    """``outcome`` as JSON values, for map_files."""
    if isinstance(outcome, list):
        return [[p.path, p.line, p.column, p.message, p.environment] for p in outcome]
    text, document = outcome
    kept = [[list(path), *position] for path, position in document.kept().items()]
    return [text, document.data, kept]


def _decoded(value: list[Any]) -> _Read:
    if not value or isinstance(value[0], list):
        return [Problem(*fields) for fields in value]
    text, data, kept = value
    positions = {tuple(path): Position(line, column) for path, line, column in kept}
    return text, Document(data, positions, text=text)


def _undefined_hint(project: Project, environment: Environment) -> str:
    if project.config_found:
        return f"; define it in the environment's vars in {project.config_name}"
    return "; the default local environment has no vars: add an omni-sync.yaml"


def _yaml_problem(name: str, exc: YamlError, env_name: str | None) -> Problem:
    return Problem(name, exc.position.line, exc.position.column, exc.message, env_name)


def _scenarios_in(
    document: Document, name: str, project: Project, environment: Environment
) -> list[LoadedScenario | Problem]:
    data = document.data
    if data is None:
        return []
    entries: list[tuple[YamlPath, Any]]
    if isinstance(data, list):
        entries = [((index,), entry) for index, entry in enumerate(data)]
    else:
        entries = [((), data)]
    found: list[LoadedScenario | Problem] = []
    for base, entry in entries:
        found.extend(_scenario(document, base, entry, name, (project, environment)))
    return found


def _scenario(
    document: Document,
    base: YamlPath,
    entry: Any,
    name: str,
    owner: tuple[Project, Environment],
) -> list[LoadedScenario | Problem]:
    project, environment = owner
    position = document.locate(base)
    env_name = environment.name
    if not isinstance(entry, dict):
        message = "a scenario is a mapping with name and flow (a file holds one, or a list)"
        return [Problem(name, position.line, position.column, message, env_name)]
    try:
        spec = ScenarioSpec.model_validate(entry, by_name=False)  # `from`, never `sender`
    except ValidationError as exc:
        return list(
            validation_problems(
                exc, document, path=name, base=base, known_keys=_KNOWN_KEYS, environment=env_name
            )
        )
    found: list[LoadedScenario | Problem] = []
    for index, wanted in enumerate(spec.environments or ()):
        if wanted not in project.environments:
            where = document.locate((*base, "environments", index))
            known = ", ".join(project.environments)
            message = f"unknown environment '{wanted}' (known: {known})"
            found.append(Problem(name, where.line, where.column, message, env_name))
    if spec.environments is None or env_name in spec.environments:
        source = SourceRef(name, position.line)
        found.append(LoadedScenario(spec, source, document, base))
    return found
