from __future__ import annotations

import json

import pytest

from omni_sync.adopt.keys import described_keys, render_keys
from omni_sync.adopt.names import NameClash
from omni_sync.model.desired import DesiredScenario, DesiredState, SourceRef
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, RemoteScenario, ScenarioSpec, Step

STEP = Step(channel=Channel.SMS, sender="Shop")
KEY_A = "AD9E01A5DC7BEE2C2B828D208182A611"
KEY_B = "0123456789ABCDEF0123456789ABCDEF"


def _desired(*names: str) -> DesiredState:
    scenarios = tuple(
        DesiredScenario(ScenarioSpec(name=name, flow=(STEP,)), SourceRef("scenarios.d/a.yaml", i))
        for i, name in enumerate(names, 1)
    )
    return DesiredState(Environment(name="prod"), scenarios, "digest")


ACTUAL = [
    RemoteScenario(key=KEY_B, name="2FA codes", flow=(STEP,)),
    RemoteScenario(key=KEY_A, name="Order updates", flow=(STEP,), default=True),
    RemoteScenario(key="F" * 32, name="Unmanaged", flow=(STEP,)),
]


def test_only_described_scenarios_in_file_order_and_missing_ones_named() -> None:
    keys = described_keys(_desired("Order updates", "2FA codes", "New one"), ACTUAL)
    assert keys.found == (("Order updates", KEY_A, True), ("2FA codes", KEY_B, False))
    assert keys.missing == ("New one",)


FOUND = (("Order updates", KEY_A, True), ("2FA codes", KEY_B, False))


def test_table() -> None:
    assert render_keys("prod", FOUND, "table").splitlines() == [
        f"NAME           {'KEY':<32}  DEFAULT",
        f"Order updates  {KEY_A}  yes",
        f"2FA codes      {KEY_B}",
    ]


def test_json() -> None:
    assert json.loads(render_keys("prod", FOUND, "json")) == {
        "environment": "prod",
        "keys": {"Order updates": KEY_A, "2FA codes": KEY_B},
        "default": "Order updates",
    }


def test_env_lines_with_safe_names_and_prefix() -> None:
    assert render_keys("prod", FOUND, "env") == f"ORDER_UPDATES={KEY_A}\nSCENARIO_2FA_CODES={KEY_B}"
    assert (
        render_keys("prod", FOUND, "env", "OMNI_").splitlines()[0] == f"OMNI_ORDER_UPDATES={KEY_A}"
    )


def test_env_refuses_two_names_that_share_a_variable() -> None:
    clash = (("Order updates", KEY_A, True), ("order-updates", KEY_B, False))
    with pytest.raises(NameClash):
        render_keys("prod", clash, "env")
