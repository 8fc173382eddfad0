"""Where the policy rules meet the project: ``validate``'s check of every environment's files,
and the gate ``plan`` (and apply's planning) passes an environment's plan through."""

from __future__ import annotations

from collections.abc import Mapping

from omni_sync.errors import Problem
from omni_sync.load.project import Project
from omni_sync.load.scenarios import rendered_document
from omni_sync.model.desired import DesiredScenario, DesiredState
from omni_sync.model.environment import Environment
from omni_sync.plan.changes import Plan
from omni_sync.policy.checks import Locate, Place, Where, default_switch_breaks, file_breaks


def rule_locator(project: Project, environment: str) -> Locate:
    """A rule's place in omni-sync.yaml: the environment's own, else the top level's."""
    data = project.document.data if project.document is not None else None
    entry = data.get("environments", {}).get(environment) if isinstance(data, dict) else None
    own = entry.get("policy") if isinstance(entry, dict) else None

    def locate(rule: str) -> tuple[str, int, int]:
        if isinstance(own, dict) and rule in own:
            position = project.position(("environments", environment, "policy", rule))
        else:
            position = project.position(("policy", rule))
        return project.config_name, position.line, position.column

    return locate


def value_placer(project: Project, environment: Environment) -> Place:
    """A breaking value's place in its scenario file, as the environment renders it. A break is
    rare, so only a breaking scenario's file is rendered again; the scenario's own line if the
    file no longer reads."""

    def place(item: DesiredScenario, inside: Where) -> tuple[str, int, int]:
        path, line = item.source.path, item.source.line
        document = rendered_document(project, environment, path)
        data = document.data if document is not None else None
        for base in [(index,) for index in range(len(data))] if isinstance(data, list) else [()]:
            if document is not None and document.locate(base).line == line:
                position = document.locate((*base, *inside))
                return path, position.line, position.column
        return path, line, 1

    return place


def policy_problems(project: Project, desired: Mapping[str, DesiredState]) -> list[Problem]:
    """``validate``: every rule the files break, in every environment that loaded."""
    return [problem for state in desired.values() for problem in files_breaks(project, state)]


def files_breaks(project: Project, desired: DesiredState) -> list[Problem]:
    """Every rule this environment's files break: known offline, before any account is read."""
    environment = desired.environment
    locate = rule_locator(project, environment.name)
    return file_breaks(desired, locate, value_placer(project, environment))


def plan_breaks(project: Project, desired: DesiredState, plan: Plan) -> list[Problem]:
    """The rule only the plan can break (``default_may_change``); ``plan`` refuses it if any."""
    locate = rule_locator(project, desired.environment.name)
    # A switch takes the default from the scenario that holds it: an account without one (a new
    # environment) may get its first default under default_may_change: false.
    promoted = next((change.name for change in plan.changes if change.promotes_default), None)
    promoted = promoted if plan.cleared_default is not None else None
    return default_switch_breaks(desired, promoted, locate)
