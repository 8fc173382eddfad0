"""plan -> apply -> plan through the CLI against the served emulator, for every kind of change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.apply.conftest import Cli

ORDERS = scenario("Orders", ("SMS", "Shop"), ("VIBER", "3045"), default=True)
ALERTS = scenario("Alerts", ("EMAIL", "alerts@example.com"))


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    return add_environment(repo, emulator, monkeypatch)


def _converges(run: Cli) -> str:
    planned = run("plan", "--detailed-exitcode")
    assert planned.code == 2, planned.out + planned.err
    applied = run("apply", "--auto-approve", "--force")
    assert applied.code == 0, applied.out + applied.err
    again = run("plan", "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes. Your scenarios match the configuration." in again.out
    return planned.out


def _upstream(emulator: EmulatorHarness, account: EmulatorAccount) -> dict[str, tuple[str, ...]]:
    return {
        s.name: (
            *(f"{st.channel.value}:{st.sender}" for st in s.flow),
            *(["*"] if s.default else []),
        )
        for s in emulator.scenarios(account)
    }


def test_create_then_every_kind_of_update(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(repo, ORDERS, ALERTS)
    assert "Plan: 2 to add, 0 to change, 0 to destroy." in _converges(run)

    write_scenarios(
        repo,
        scenario(
            "Orders", ("SMS", "Shop2"), ("VIBER", "3045"), ("EMAIL", "o@example.com"), default=True
        ),
        ALERTS,
    )
    assert '~ SMS from "Shop" -> SMS from "Shop2"' in _converges(run)

    write_scenarios(
        repo, scenario("Orders", ("VIBER", "3045"), ("SMS", "Shop2"), default=True), ALERTS
    )
    text = _converges(run)
    assert "moved from step 2 to 1" in text
    assert '- EMAIL from "o@example.com"' in text

    renamed = {**ALERTS, "name": "Alert messages", "renamed_from": ["Alerts"]}
    write_scenarios(
        repo, scenario("Orders", ("VIBER", "3045"), ("SMS", "Shop2"), default=True), renamed
    )
    assert '~ name    = "Alerts" -> "Alert messages"' in _converges(run)

    switched = {**renamed, "default": True}
    write_scenarios(repo, scenario("Orders", ("VIBER", "3045"), ("SMS", "Shop2")), switched)
    assert "~ default = false -> true" in _converges(run)
    assert _upstream(emulator, account) == {
        "Orders": ("VIBER:3045", "SMS:Shop2"),
        "Alert messages": ("EMAIL:alerts@example.com", "*"),
    }


def test_drift_made_by_hand_upstream_is_put_back(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(repo, ORDERS, ALERTS)
    _converges(run)
    edit_by_hand(emulator, account, "Alerts", ("SMS", "Hand"), new_name="Edited", default=True)
    text = _converges(run)
    assert '+ scenario "Alerts" {' in text  # matched by name: "Edited" is someone else's now
    assert "Unmanaged" in run("plan").out
    assert _upstream(emulator, account)["Orders"][-1] == "*"


def test_drift_of_a_managed_field_is_reverted(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(repo, ORDERS, ALERTS)
    _converges(run)
    edit_by_hand(emulator, account, "Alerts", ("SMS", "Hand"), default=True)
    text = _converges(run)
    # A step on another channel is another step: removed and added, not "changed".
    assert '- SMS from "Hand",\n          + EMAIL from "alerts@example.com",' in text
    assert "~ default = false -> true" in text
    assert "(cleared by the service)" in text
    assert _upstream(emulator, account) == {
        "Orders": ("SMS:Shop", "VIBER:3045", "*"),
        "Alerts": ("EMAIL:alerts@example.com",),
    }


def test_json_and_detailed_exit_codes(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    write_scenarios(repo, ORDERS)
    result = run("plan", "--format", "json", "--detailed-exitcode")
    assert result.code == 2
    document = json.loads(result.out)
    assert document["environments"][0]["changes"][0]["actions"] == ["create"]
    assert run("plan").code == 0
    markdown = run("plan", "--format", "markdown")
    assert "Orders" in markdown.out
    assert markdown.code == 0
