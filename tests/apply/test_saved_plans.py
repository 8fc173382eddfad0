"""plan --out FILE, then apply FILE: applied when fresh, refused when anything moved on."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.apply.conftest import Cli

ORDERS = scenario("Orders", ("SMS", "Shop"), default=True)
ALERTS = scenario("Alerts", ("EMAIL", "alerts@example.com"))


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, ORDERS, ALERTS)
    assert Cli(repo)("apply", "--auto-approve").code == 0
    write_scenarios(repo, ORDERS, scenario("Alerts", ("VOICE", "41793026727")), scenario("New"))
    return account


def test_a_fresh_saved_plan_applies_exactly(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    saved = run("plan", "--out", "plan.json")
    assert saved.code == 0
    assert "Saved the plan to plan.json" in saved.err
    assert account.secret not in (repo / "plan.json").read_text()
    applied = run("apply", "plan.json")
    assert applied.code == 0, applied.err
    assert "Apply complete! Scenarios: 1 added, 1 changed, 0 destroyed." in applied.out
    assert run("plan", "--detailed-exitcode").code == 0


def test_scenario_changed_upstream_makes_it_stale(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    run("plan", "--out", "plan.json")
    key = edit_by_hand(emulator, account, "Alerts", ("PUSH", "app"))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert (
        f'Error: Saved plan is stale: environment "prod": scenario "Alerts" ({key}) '
        "changed upstream. Run omni-sync plan again." in result.err
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def test_files_changed_makes_it_stale(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    run("plan", "--out", "plan.json")
    write_scenarios(repo, ORDERS, ALERTS)
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "the scenario files changed since" in result.err


def test_plan_for_another_environment_is_refused(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_environment(repo, emulator, monkeypatch, name="staging")
    run("plan", "-e", "prod", "--out", "plan.json")
    result = run("apply", "plan.json", "-e", "staging")
    assert result.code == 1
    assert "Saved plan is stale: it was made for environment prod, not staging" in result.err


def test_plan_for_another_account_is_refused(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run("plan", "--out", "plan.json")
    other = emulator.add_account()
    monkeypatch.setenv("OMNI_TEST_KEY_PROD", other.secret)
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "it was made for another account" in result.err
    assert emulator.scenarios(other) == []


def test_not_a_plan_file(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    (repo / "plan.json").write_text("{}")
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "not an omni-sync saved plan" in result.err
