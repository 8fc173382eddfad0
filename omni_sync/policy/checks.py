"""The policy rules checked on one environment's desired state, and on the default switch its
plan would make: each break a located Problem naming the environment and the rule. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from omni_sync.errors import Problem
from omni_sync.model.desired import DesiredScenario, DesiredState
from omni_sync.model.policy import Policy

Where = tuple[str | int, ...]

Locate = Callable[[str], tuple[str, int, int]]
"""Where a rule of this environment's policy is written in omni-sync.yaml: path, line, column."""
Place = Callable[[DesiredScenario, Where], tuple[str, int, int]]
"""Where a value of a scenario (its path inside the scenario, e.g. ``("flow", 0, "from")``) is
written: path, line, column."""


def _flow_breaks(policy: Policy, item: DesiredScenario) -> Iterator[tuple[str, str, Where]]:
    spec = item.spec
    flow = spec.flow
    if policy.must_end_with is not None and flow[-1].channel is not policy.must_end_with:
        last = flow[-1].channel.value
        text = f"ends with {last}; every flow must end with {policy.must_end_with}"
        yield "must_end_with", text, ("flow", len(flow) - 1, "channel")
    for position, step in enumerate(flow, start=1):
        channel, at = step.channel, ("flow", position - 1, "channel")
        if policy.allowed_channels is not None and channel not in policy.allowed_channels:
            allowed = ", ".join(allowed.value for allowed in policy.allowed_channels)
            yield "allowed_channels", f"step {position} uses {channel}; allowed: {allowed}", at
        if channel in policy.forbidden_channels:
            yield "forbidden_channels", f"step {position} uses {channel}, which is forbidden", at
        pattern = policy.sender_patterns.get(channel)
        if pattern is not None and not re.fullmatch(pattern, step.sender):
            yield (
                "sender_patterns",
                f"step {position}: {channel} sender '{step.sender}' does not match '{pattern}'",
                ("flow", position - 1, "from"),
            )
    if policy.max_steps is not None and len(flow) > policy.max_steps:
        text = f"has {len(flow)} steps; the most allowed is {policy.max_steps}"
        yield "max_steps", text, ("flow", policy.max_steps)


def _checks_flows(policy: Policy) -> bool:
    """Whether any rule ``_flow_breaks`` reads is set: without one no flow is walked."""
    return not (
        policy.must_end_with is None
        and policy.allowed_channels is None
        and not policy.forbidden_channels
        and not policy.sender_patterns
        and policy.max_steps is None
    )


def _problem(where: tuple[str, int, int], rule: str, text: str, environment: str) -> Problem:
    path, line, column = where
    return Problem(path, line, column, f"policy {rule}: {text}", environment)


def file_breaks(desired: DesiredState, locate: Locate, place: Place) -> list[Problem]:
    """Every rule the files break in this environment (all but ``default_may_change``), each
    at the value that breaks it."""
    policy, environment = desired.environment.policy, desired.environment.name
    problems = []
    for item in desired.scenarios if _checks_flows(policy) else ():
        for rule, broken, at in _flow_breaks(policy, item):
            text = f'scenario "{item.spec.name}" {broken}'
            problems.append(_problem(place(item, at), rule, text, environment))
    names = {item.spec.name for item in desired.scenarios}
    for name in policy.required_scenarios:
        if name not in names:
            text = f'scenario "{name}" is required and no file describes it in this environment'
            problems.append(
                _problem(locate("required_scenarios"), "required_scenarios", text, environment)
            )
    return problems


def default_switch_breaks(
    desired: DesiredState, promoted: str | None, locate: Locate
) -> list[Problem]:
    """``default_may_change: false`` broken when the plan promotes ``promoted`` over the
    account's current default (``None``: no switch)."""
    policy, environment = desired.environment.policy, desired.environment.name
    if policy.default_may_change or promoted is None:
        return []
    source = next((item.source for item in desired.scenarios if item.spec.name == promoted), None)
    where = (source.path, source.line, 1) if source is not None else locate("default_may_change")
    text = f'the plan makes "{promoted}" the default, and the default may not change here'
    return [_problem(where, "default_may_change", text, environment)]
