"""Message previews for the plans of ``plan``: the files' templates (and, with a base ref, the
base's) rendered along each environment's flows, from what planning already read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from omni_sync.messages.paths import template_paths
from omni_sync.model.scenario import Step
from omni_sync.plan.changes import Action, Plan
from omni_sync.plan.environment_plan import EnvironmentPlan

if TYPE_CHECKING:
    from omni_sync.messages.loading import TemplateFile


def _changed(plan: Plan) -> dict[str, tuple[Step, ...] | None]:
    return {
        change.name: None if change.before is None else change.before.flow
        for change in plan.changes
        if change.action is Action.CREATE or change.flow_changed
    }


def _one(
    item: EnvironmentPlan,
    templates: Sequence[TemplateFile],
    base: Mapping[str, TemplateFile] | None,
) -> EnvironmentPlan:
    plan, desired, settings = item.plan, item.desired, item.settings
    if plan is None or desired is None or settings is None:
        return item
    # Only here: the renderer brings Jinja, about 40 ms of every plan's start.
    from omni_sync.messages.plan_preview import PreviewInput, message_previews

    inputs = PreviewInput(
        environment=settings.name,
        variables=settings.vars,
        flows={scenario.spec.name: scenario.spec.flow for scenario in desired.scenarios},
        changed=_changed(plan),
        base=base,
    )
    return replace(item, previews=message_previews(templates, inputs))


def with_previews(
    root: Path, planned: Sequence[EnvironmentPlan], base: Mapping[str, TemplateFile] | None
) -> list[EnvironmentPlan]:
    """Each plan with its message previews; templates that do not read are left to validate."""
    if not template_paths(root):  # nothing to preview: no template is read or imported
        return list(planned)
    from omni_sync.messages.loading import load_templates

    templates, _ = load_templates(root)
    if not templates:  # none reads: the renderer stays unimported
        return list(planned)
    return [_one(item, templates, base) for item in planned]
