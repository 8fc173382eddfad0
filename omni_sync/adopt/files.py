"""An account's scenarios as scenario files: one per scenario, or one per environment.

Files are Jinja templates (rendered per environment before YAML is read), so any ``{`` in an
imported value that could open a Jinja tag is written as ``{{ '{' }}``, and the YAML is quoted
wherever a plain scalar could be read back as something else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from omni_sync.adopt.names import file_stem, unique_stems
from omni_sync.errors import ConfigError, PlanError
from omni_sync.model.layout import SCENARIO_DIR
from omni_sync.model.scenario import RemoteScenario, name_problem, sender_problem
from omni_sync.source.files import write_whole
from omni_sync.source.safe_yaml import resolve_plain

_JINJA_OPENER = re.compile(r"\{(?=[{%#])")


class Layout(StrEnum):
    PER_SCENARIO = "per-scenario"
    PER_ENVIRONMENT = "per-environment"


@dataclass(frozen=True)
class ScenarioFile:
    """A file to write: its path relative to the repository root, and its text."""

    path: PurePosixPath
    text: str


def check_unique_names(environment: str, scenarios: Sequence[RemoteScenario]) -> None:
    """Two scenarios sharing a name cannot both be described by name: refuse, naming the keys."""
    counts = Counter(scenario.name for scenario in scenarios)
    clashes = sorted(name for name, count in counts.items() if count > 1)
    if clashes:
        name = clashes[0]
        keys = ", ".join(s.key for s in scenarios if s.name == name)
        more = f" (and {len(clashes) - 1} more names)" if len(clashes) > 1 else ""
        raise PlanError(
            f'environment "{environment}" holds several scenarios named "{name}" '
            f"(keys {keys}){more}; rename all but one in the account, then import again"
        )


def _document(scenario: RemoteScenario, only_in: str | None) -> dict[str, Any]:
    document: dict[str, Any] = {"name": scenario.name}
    if scenario.default:
        document["default"] = True
    document["flow"] = [
        {"channel": step.channel.value, "from": step.sender} for step in scenario.flow
    ]
    if only_in is not None:
        document["environments"] = [only_in]
    return document


def _escape_jinja(text: str) -> str:
    return _JINJA_OPENER.sub("{{ '{' }}", text)


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting every text that omni-sync's reader (the YAML 1.2 core schema,
    not PyYAML's 1.1) would read as something else: ``1e3`` stays ``"1e3"``."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None if resolve_plain(value) == value else "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _yaml(data: Any) -> str:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1000,
    )
    return _escape_jinja(text)


def _header(environment: str) -> str:
    return f"# Imported by omni-sync import from environment {environment}.\n"


def scenario_files(
    environment: str,
    scenarios: Sequence[RemoteScenario],
    layout: Layout,
    *,
    only_in: str | None = None,
) -> list[ScenarioFile]:
    """The files for these scenarios (sorted by name) under ``scenarios.d/``; none for none."""
    if not scenarios:
        return []
    ordered = sorted(scenarios, key=lambda scenario: (scenario.name, scenario.key))
    if layout is Layout.PER_ENVIRONMENT:
        documents = [_document(scenario, only_in) for scenario in ordered]
        path = PurePosixPath(SCENARIO_DIR, f"{file_stem(environment)}.yaml")
        return [ScenarioFile(path, _header(environment) + _yaml(documents))]
    folder = PurePosixPath(SCENARIO_DIR, file_stem(environment))
    stems = unique_stems(scenario.name for scenario in ordered)
    return [
        ScenarioFile(
            folder / f"{stems[scenario.name]}.yaml",
            _header(environment) + _yaml(_document(scenario, only_in)),
        )
        for scenario in ordered
    ]


def existing(root: Path, files: Sequence[ScenarioFile]) -> list[PurePosixPath]:
    return [file.path for file in files if (root / file.path).exists()]


def write(root: Path, files: Sequence[ScenarioFile]) -> None:
    for file in files:
        target = root / file.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, file.text)
        except OSError as exc:
            raise ConfigError(
                f"{file.path}: cannot write it ({exc.strerror}); the files before it are "
                "written whole, and import skips them when run again"
            ) from exc


def import_warnings(scenarios: Sequence[RemoteScenario]) -> list[str]:
    """What the account holds but ``validate`` would refuse: the user must decide."""
    missing_default = (
        []
        if any(s.default for s in scenarios)
        else ["the account has no default scenario; mark one with default: true before planning"]
    )
    refused = "omni-sync validate will refuse it until the file is fixed"
    ordered = sorted(scenarios, key=lambda s: s.name)
    return (
        missing_default
        + [
            f"scenario name {problem}; {refused}"
            for scenario in ordered
            if (problem := name_problem(scenario.name))
        ]
        + [
            f'scenario "{scenario.name}" step {index}: {problem}; {refused}'
            for scenario in ordered
            for index, step in enumerate(scenario.flow, 1)
            if (problem := sender_problem(step.channel, step.sender))
        ]
    )
