"""A file's YAML document to scenarios: each entry validated against the model, each problem
placed in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from omni_sync.errors import Problem
from omni_sync.load.project import Project
from omni_sync.model.desired import SourceRef
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import ScenarioSpec, Step
from omni_sync.source.locate import field_names, validation_problems
from omni_sync.source.safe_yaml import Document, Position, YamlPath

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


def scenarios_in(
    document: Document, name: str, project: Project, environment: Environment
) -> list[LoadedScenario | Problem]:
    """The file's scenarios that belong to ``environment``, and every problem of its entries."""
    data = document.data
    if not isinstance(data, list):
        return [] if data is None else _scenario(document, (), data, name, (project, environment))
    found: list[LoadedScenario | Problem] = []
    for index, entry in enumerate(data):
        found.extend(_scenario(document, (index,), entry, name, (project, environment)))
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
            message = f"unknown environment '{wanted}' (known: {', '.join(project.environments)})"
            found.append(Problem(name, where.line, where.column, message, env_name))
    if spec.environments is None or env_name in spec.environments:
        found.append(LoadedScenario(spec, SourceRef(name, position.line), document, base))
    return found
