"""Plans as versioned JSON for other tools (``--format json``); documented in docs/plan-json.md.

Bump FORMAT_VERSION's major number on any change that could break a consumer; add fields freely.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from omni_sync import __version__
from omni_sync.plan.changes import Change, Plan, StepDiff, remote_body
from omni_sync.plan.environment_plan import EnvironmentPlan
from omni_sync.plan.fields import STEP_SYMBOLS
from omni_sync.plan.render_previews import preview_json

FORMAT_VERSION = "1.2"


def _after(change: Change) -> dict[str, object]:
    body = change.spec.to_api()
    return {"key": change.key, **body}


def step_json(step: StepDiff) -> dict[str, object]:
    return {
        "op": step.op.value,
        "symbol": STEP_SYMBOLS[step.op],
        "before": step.before.to_api() if step.before is not None else None,
        "after": step.after.to_api() if step.after is not None else None,
        "old_position": step.old_position,
        "new_position": step.new_position,
    }


def change_json(change: Change) -> dict[str, object]:
    return {
        "address": f"scenario.{change.name}",
        "name": change.name,
        "key": change.key,
        "actions": [change.action.value],
        "before": remote_body(change.before) if change.before is not None else None,
        "after": _after(change),
        "changed_fields": sorted(
            {field.field for field in change.fields} | ({"flow"} if change.flow_changed else set())
        ),
        "steps": [step_json(step) for step in change.steps],
        "renamed_from": change.renamed_from,
        "promotes_default": change.promotes_default,
        "source": str(change.source) if change.source is not None else None,
        "fingerprint": change.fingerprint,
    }


def plan_json(plan: Plan) -> dict[str, object]:
    adds, updates = plan.counts()
    cleared = plan.cleared_default
    return {
        "changes": [change_json(change) for change in plan.changes],
        "default_cleared": remote_body(cleared) if cleared is not None else None,
        "unmanaged": [remote_body(remote) for remote in plan.unmanaged],
        "summary": {"add": adds, "change": updates, "destroy": 0},
        "files_digest": plan.files_digest,
        "targets": list(plan.targets),
    }


def outcome_json(outcome: EnvironmentPlan) -> dict[str, object]:
    status = "failed"
    body: dict[str, object] = {}
    if outcome.plan is not None:
        status = "changed" if outcome.plan.has_changes else "unchanged"
        body = plan_json(outcome.plan)
    if outcome.plan is not None:
        body["message_previews"] = [preview_json(preview) for preview in outcome.previews]
    return {"name": outcome.environment, "status": status, "error": outcome.error, **body}


def render_json(outcomes: Sequence[EnvironmentPlan]) -> str:
    document = {
        "format_version": FORMAT_VERSION,
        "omni_sync_version": __version__,
        "environments": [outcome_json(outcome) for outcome in outcomes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
