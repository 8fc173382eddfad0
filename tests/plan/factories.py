"""Small builders for planner tests: desired states and remote scenarios from short tuples."""

from __future__ import annotations

from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, RemoteScenario, ScenarioSpec, Step

SMS, VIBER, EMAIL, VOICE, PUSH = (
    Channel.SMS,
    Channel.VIBER,
    Channel.EMAIL,
    Channel.VOICE,
    Channel.PUSH,
)
SENDERS = {
    Channel.SMS: "Shop",
    Channel.VIBER: "3045",
    Channel.EMAIL: "orders@example.com",
    Channel.VOICE: "41793026727",
    Channel.PUSH: "app-1",
}


def step(channel: Channel, sender: str | None = None) -> Step:
    return Step(channel=channel, sender=sender or SENDERS[channel])


def flow(*channels: Channel | tuple[Channel, str]) -> tuple[Step, ...]:
    return tuple(step(*c) if isinstance(c, tuple) else step(c) for c in channels)


def spec(
    name: str,
    steps: tuple[Step, ...] | None = None,
    *,
    default: bool = False,
    renamed_from: tuple[str, ...] = (),
    key: str | None = None,
) -> ScenarioSpec:
    return ScenarioSpec(
        name=name,
        flow=steps or flow(Channel.SMS),
        default=default,
        renamed_from=renamed_from,
        key=key,
    )


def remote(
    key: str, name: str, steps: tuple[Step, ...] | None = None, *, default: bool = False
) -> RemoteScenario:
    return RemoteScenario(key=key, name=name, flow=steps or flow(Channel.SMS), default=default)


def desired(*specs: ScenarioSpec, env: str = "prod", digest: str = "d1") -> DesiredState:
    items = tuple(
        DesiredScenario(spec=s, source=SourceRef(f"scenarios.d/{i}.yaml", 1))
        for i, s in enumerate(specs)
    )
    return DesiredState(environment=Environment(name=env), scenarios=items, files_digest=digest)
