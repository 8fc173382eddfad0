"""Choosing the environment, the scenario and the delivering step: each mistake is one clear line."""

from pathlib import Path

import pytest

from omni_sync.client.sending import Report, delivering_step, resolve_scenario
from omni_sync.commands.send import outcome
from omni_sync.errors import ConfigError
from omni_sync.messages.compose import Composed, pick_environment, pick_scenario, placeholder
from omni_sync.messages.loading import find_template
from omni_sync.model.environment import Environment
from omni_sync.model.scenario import Channel, RemoteScenario, Step
from tests.messages.conftest import WriteTemplate

FLOW = (
    Step(channel=Channel.SMS, sender="Shop"),
    Step(channel=Channel.VIBER, sender="3045"),
    Step(channel=Channel.EMAIL, sender="orders@example.com"),
)
ORDER = RemoteScenario(key="K1", name="Order updates", flow=FLOW, default=True)


def test_pick_environment() -> None:
    dev, prod = Environment(name="dev"), Environment(name="prod")
    assert pick_environment({"dev": dev}, None) is dev
    assert pick_environment({"dev": dev, "prod": prod}, "prod") is prod
    with pytest.raises(ConfigError, match=r"^say which environment with --env \(dev, prod\)$"):
        pick_environment({"dev": dev, "prod": prod}, None)
    with pytest.raises(ConfigError, match=r'^no environment "qa" \(environments: dev\)$'):
        pick_environment({"dev": dev}, "qa")


def test_pick_scenario(repo: Path, write_template: WriteTemplate) -> None:
    write_template("scenarios: [A]\nfallback: Hi\n", name="one")
    write_template("scenarios: [A, B]\nfallback: Hi\n", name="two")
    one, two = find_template(repo, "one"), find_template(repo, "two")
    assert pick_scenario(one, None) == (0, "A")
    assert pick_scenario(two, "B") == (1, "B")
    with pytest.raises(ConfigError, match=r'^template two is sent through "A", "B": say which'):
        pick_scenario(two, None)
    with pytest.raises(ConfigError, match=r'not sent through "C" .*add it to templates/one.yaml'):
        pick_scenario(one, "C")


def test_resolve_scenario_by_name() -> None:
    other = RemoteScenario(key="K2", name="Other", flow=FLOW)
    assert resolve_scenario([other, ORDER], "Order updates", "dev") is ORDER
    with pytest.raises(ConfigError, match=r"run omni-sync apply --env dev first$"):
        resolve_scenario([other], "Order updates", "dev")
    twin = RemoteScenario(key="K3", name="Order updates", flow=FLOW)
    with pytest.raises(ConfigError, match=r'has 2 scenarios named "Order updates" \(K1, K3\)'):
        resolve_scenario([ORDER, twin], "Order updates", "dev")


def test_delivering_step_is_the_first_step_on_the_reporting_channel() -> None:
    assert delivering_step(FLOW, "EMAIL") == (3, FLOW[2])
    assert delivering_step(FLOW, "PUSH") is None
    assert delivering_step(FLOW, None) is None


def test_placeholder_destination_has_the_addresses_the_flow_needs() -> None:
    assert placeholder(ORDER).to_api() == {
        "to": {"phoneNumber": "<phone number>", "emailAddress": "<email address>"}
    }
    push = RemoteScenario(key="K", name="P", flow=(Step(channel=Channel.PUSH, sender="app"),))
    assert placeholder(push).to_api() == {"to": {"pushRegistrationId": "<push registration id>"}}


def test_the_outcome_names_the_step_or_says_the_channel_is_not_in_the_flow(
    repo: Path, write_template: WriteTemplate
) -> None:
    write_template("scenarios: [Order updates]\nfallback: Hi\n")
    composed = Composed(
        find_template(repo, "order-shipped"), Environment(name="dev"), ORDER, {}, [], []
    )
    assert outcome(composed, Report("DELIVERED", "DELIVERED_TO_HANDSET", "EMAIL")) == (
        "DELIVERED (DELIVERED_TO_HANDSET) by step 3 of 3: EMAIL from orders@example.com"
    )
    assert outcome(composed, Report("UNDELIVERABLE", "X", None)) == (
        "UNDELIVERABLE (X) by channel unknown, which is not in the flow"
    )
