"""Small builders for template tests: a template file in a repository folder, and the desired
state of environments holding named scenarios."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, ScenarioSpec, Step

SENDERS = {
    Channel.SMS: "Shop",
    Channel.VIBER: "3045",
    Channel.EMAIL: "orders@example.com",
    Channel.PUSH: "app-code",
    Channel.VOICE: "41793026727",
    Channel.FACEBOOK: "ShopApp",
}


def scenario(name: str, *channels: Channel) -> ScenarioSpec:
    steps = tuple(Step(channel=c, sender=SENDERS.get(c, "sender")) for c in channels)
    return ScenarioSpec(name=name, flow=steps)


def state(env: str, *specs: ScenarioSpec, variables: dict[str, Any] | None = None) -> DesiredState:
    environment = Environment(name=env, vars=variables or {})
    scenarios = tuple(DesiredScenario(spec, SourceRef("scenarios.d/x.yaml", 1)) for spec in specs)
    return DesiredState(environment=environment, scenarios=scenarios, files_digest="0")


WriteTemplate = Callable[..., Path]


@pytest.fixture
def write_template(repo: Path) -> WriteTemplate:
    def write(text: str, name: str = "order-shipped") -> Path:
        path = repo / "templates" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def jinja() -> jinja2.Environment:
    from omni_sync.source.templating import sandbox

    return sandbox()
