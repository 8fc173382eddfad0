"""omni-sync.yaml: the environments of a repository, validated with every problem located.

No credential is read here: ``auth`` only names environment variables, read when connecting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from omni_sync.errors import ConfigError, Problem, ProblemsFound
from omni_sync.model.environment import Auth, Environment, Safety, WriteLimits
from omni_sync.model.policy import Policy
from omni_sync.model.settings_checks import destination_problems, environment_problems
from omni_sync.source.locate import field_names, relative_name, validation_problems
from omni_sync.source.safe_yaml import Document, Position, YamlError, YamlPath, load_file

CONFIG_FILE = "omni-sync.yaml"
LOCAL = "local"
TOP_LEVEL_KEYS = frozenset({"environments", "vars", "policy"})
ENVIRONMENT_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"
_ENVIRONMENT_NAME = re.compile(ENVIRONMENT_NAME_PATTERN)
_KNOWN_KEYS = field_names(Environment, Auth, Safety, WriteLimits, Policy) | TOP_LEVEL_KEYS


@dataclass(frozen=True)
class Project:
    """A repository: its root, its environments (in file order) and where they are written."""

    root: Path
    config_path: Path
    environments: dict[str, Environment]
    config_found: bool
    document: Document | None = field(default=None, compare=False, repr=False)
    shared_vars: dict[str, Any] = field(default_factory=dict)
    """The top-level ``vars``, which every environment gets under its own."""

    @property
    def config_name(self) -> str:
        return relative_name(self.root, self.config_path)

    def select(self, names: Sequence[str], all_: bool = False) -> list[Environment]:
        """The named environments (in the order named), or every one when none is named."""
        if names and all_:
            raise ConfigError("name environments with -e/--env or pass --all, not both")
        if not names:
            return list(self.environments.values())
        unknown = [name for name in names if name not in self.environments]
        if unknown:
            raise ConfigError(
                f"unknown environment{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                f"(known in {self.config_name}: {', '.join(self.environments)})"
            )
        return [self.environments[name] for name in dict.fromkeys(names)]

    def own_variables(self, name: str) -> set[str]:
        """The variables an environment's own ``vars`` write (besides the shared ones)."""
        written = self.document.data["environments"][name] if self.document else None
        return set(written.get("vars") or {}) if isinstance(written, dict) else set()

    def position(self, path: YamlPath, *, key: bool = False) -> Position:
        """Where a config key or value is written (1:1 when there is no config file)."""
        return self.document.locate(path, key=key) if self.document else Position(1, 1)


def load_project(
    root: Path, config_path: Path | None = None, *, hosts_of: Sequence[str] | None = None
) -> Project:
    """Read the environments file; with none at the default place, one embedded ``local``.

    ``hosts_of`` (validate's selection; empty: every environment): whose base_url host is also
    checked against the allow-list (``OMNI_SYNC_ALLOWED_HOSTS`` of this machine), beside every
    other problem of the file; the commands that connect check it when they connect."""
    root = root.resolve()
    default_path = root / CONFIG_FILE
    config_path = default_path if config_path is None else config_path
    if not config_path.exists():
        if config_path.resolve() == default_path:
            local = Environment(name=LOCAL)
            return Project(root, default_path, {LOCAL: local}, config_found=False)
        raise ConfigError(
            f"config file {relative_name(root, config_path)} not found; pass an existing file "
            f"to --config (or OMNI_SYNC_CONFIG), or drop it to use {CONFIG_FILE} in the root"
        )
    if config_path.is_dir():
        raise ConfigError(f"--config {config_path} is a folder; name the file itself")
    name = relative_name(root, config_path)
    try:
        document = load_file(config_path)
    except YamlError as exc:
        raise ProblemsFound([exc.problem(name)]) from None
    shared, problems = _SharedSettings(), []
    if isinstance(document.data, dict):
        try:  # the top level's own settings; _SharedSettings ignores the other keys
            shared = _SharedSettings.model_validate(document.data)
        except ValidationError as exc:
            problems = validation_problems(exc, document, path=name, known_keys=_KNOWN_KEYS)
    environments, more = _environments(document, name, shared, hosts_of)
    if problems := [*problems, *more]:
        raise ProblemsFound(problems)
    return Project(root, config_path, environments, True, document, shared.vars)


class _SharedSettings(BaseModel):
    """The top-level settings besides ``environments``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    vars: dict[str, Any] = Field(default_factory=dict)
    policy: Policy = Field(default_factory=Policy)


def _environments(
    document: Document, name: str, shared: _SharedSettings, hosts_of: Sequence[str] | None
) -> tuple[dict[str, Environment], list[Problem]]:
    def problem(path: YamlPath, message: str, *, key: bool = False) -> Problem:
        position = document.locate(path, key=key)
        return Problem(name, position.line, position.column, message)

    data = document.data
    if not isinstance(data, dict):
        return {}, [problem((), "must be a mapping with an 'environments' key")]
    problems = [
        problem(
            (key,),
            f"unknown key '{key}'; the file holds 'environments', 'vars' and 'policy'",
            key=True,
        )
        for key in data
        if key not in TOP_LEVEL_KEYS
    ]
    entries = data.get("environments")
    if not isinstance(entries, dict) or not entries:
        problems.append(problem(("environments",), "environments: give at least one, by name"))
        return {}, problems
    environments: dict[str, Environment] = {}
    for env_name, entry in entries.items():
        hosts = hosts_of is not None and (not hosts_of or env_name in hosts_of)
        found, trouble = _environment(document, name, env_name, entry, problem, hosts=hosts)
        problems.extend(trouble)
        if found is not None and not trouble:
            merged = {**shared.vars, **found.vars}
            policy = shared.policy.under(found.policy)
            environments[env_name] = found.model_copy(update={"vars": merged, "policy": policy})
    return environments, problems


def _environment(
    document: Document, name: str, env_name: str, entry: Any, problem: Any, *, hosts: bool
) -> tuple[Environment | None, list[Problem]]:
    """The environment and its problems: every one of them, those of its types and those of
    its settings together (the environment is of use only without problems)."""
    base: YamlPath = ("environments", env_name)
    if not _ENVIRONMENT_NAME.fullmatch(env_name):
        message = (
            f"environment name '{env_name}': use letters, digits, '.', '_' and '-' "
            "(it names files and CI jobs)"
        )
        return None, [problem(base, message, key=True)]
    entry = {} if entry is None else entry
    if not isinstance(entry, dict):
        return None, [problem(base, f"environment '{env_name}' must be a mapping of settings")]
    if "name" in entry:
        message = "unknown key 'name'; the key above is the name"
        return None, [problem((*base, "name"), message, key=True)]
    environment, unread, problems = _typed(document, name, env_name, entry)
    if environment is None:
        return None, problems
    findings = environment_problems(environment, unread)
    if hosts:
        findings.extend(destination_problems(environment, unread=unread))
    problems.extend(problem((*base, *path), message) for path, message in findings)
    return environment, problems


def _typed(
    document: Document, name: str, env_name: str, entry: dict[Any, Any]
) -> tuple[Environment | None, frozenset[Any], list[Problem]]:
    """The environment built from ``entry``, the settings left unread and its type problems.

    A setting of the wrong type is reported and left at its default, so that the checks of
    the other settings still run (``unread`` tells them what not to judge); None when even
    that does not build."""
    try:
        return Environment.model_validate({**entry, "name": env_name}), frozenset(), []
    except ValidationError as exc:
        base: YamlPath = ("environments", env_name)
        problems = validation_problems(exc, document, path=name, base=base, known_keys=_KNOWN_KEYS)
        unread = frozenset(error["loc"][0] for error in exc.errors() if error["loc"])
    if not unread <= entry.keys():
        return None, unread, problems
    rest = {key: value for key, value in entry.items() if key not in unread}
    try:
        return Environment.model_validate({**rest, "name": env_name}), unread, problems
    except ValidationError:
        return None, unread, problems
