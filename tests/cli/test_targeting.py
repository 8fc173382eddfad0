"""--scenario PATTERN on plan, apply and keys: only the scenarios named, Terraform's caveat said,
and a saved plan that remembers it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.conftest import run_cli_subprocess

ORDERS = scenario("Order updates", ("SMS", "Shop"), default=True)
ALERTS = scenario("Alerts", ("EMAIL", "alerts@example.com"))
PROMO = scenario("Promo", ("VIBER", "3045"))
CAVEAT = "Warning: scenario targeting is in effect (--scenario)"


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    """Order updates applied; then the files change Order updates and add Alerts and Promo."""
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, ORDERS)
    assert run_cli_subprocess(["apply", "--auto-approve"], cwd=repo).returncode == 0
    write_scenarios(repo, scenario("Order updates", ("SMS", "Other"), default=True), ALERTS, PROMO)
    return account


def _upstream(emulator: EmulatorHarness, account: EmulatorAccount) -> dict[str, str]:
    return {s.name: s.flow[0].sender for s in emulator.scenarios(account)}


def test_plan_shows_only_the_scenarios_named_with_the_caveat(
    repo: Path, account: EmulatorAccount
) -> None:
    result = run_cli_subprocess(
        ["plan", "--scenario", "Al*", "--scenario", "Promo", "--detailed-exitcode"], cwd=repo
    )
    assert result.returncode == 2, result.stderr
    assert CAVEAT in result.stderr
    assert "not for routine use" in result.stderr
    assert result.stdout.startswith(
        'Limited to scenarios matching "Al*", "Promo" (--scenario): changes to other scenarios '
        "are not shown.\n"
    )
    assert '# scenario "Alerts" will be created' in result.stdout
    assert '# scenario "Promo" will be created' in result.stdout
    assert "Order updates" not in result.stdout
    assert "Plan: 2 to add, 0 to change, 0 to destroy." in result.stdout


def test_json_and_markdown_say_the_plan_is_limited(repo: Path, account: EmulatorAccount) -> None:
    result = run_cli_subprocess(["plan", "--scenario", "Alerts", "--format", "json"], cwd=repo)
    (environment,) = json.loads(result.stdout)["environments"]
    assert environment["targets"] == ["Alerts"]
    assert [change["name"] for change in environment["changes"]] == ["Alerts"]
    markdown = run_cli_subprocess(
        ["plan", "--scenario", "Alerts", "--format", "markdown"], cwd=repo
    )
    assert '> Limited to scenarios matching "Alerts" (--scenario)' in markdown.stdout


def test_apply_changes_only_the_scenarios_named(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    result = run_cli_subprocess(["apply", "--scenario", "Alerts", "--auto-approve"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert CAVEAT in result.stderr
    assert "Warning: applied changes may be incomplete" in result.stderr
    assert _upstream(emulator, account) == {"Order updates": "Shop", "Alerts": "alerts@example.com"}
    rest = run_cli_subprocess(["plan", "--detailed-exitcode"], cwd=repo)
    assert rest.returncode == 2
    assert "Plan: 1 to add, 1 to change, 0 to destroy." in rest.stdout


def test_a_saved_plan_remembers_its_scenarios(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    made = run_cli_subprocess(["plan", "--scenario", "Order*", "--out", "plan.json"], cwd=repo)
    assert made.returncode == 0, made.stderr
    shown = run_cli_subprocess(["show", "plan.json"], cwd=repo)
    assert 'Limited to scenarios matching "Order*"' in shown.stdout
    applied = run_cli_subprocess(["apply", "plan.json"], cwd=repo)
    assert applied.returncode == 0, applied.stderr
    assert "Warning: applied changes may be incomplete" in applied.stderr
    assert _upstream(emulator, account) == {"Order updates": "Other"}


def test_scenario_with_a_saved_plan_file_is_refused(repo: Path, account: EmulatorAccount) -> None:
    run_cli_subprocess(["plan", "--out", "plan.json"], cwd=repo)
    result = run_cli_subprocess(["apply", "plan.json", "--scenario", "Alerts"], cwd=repo)
    assert result.returncode == 1
    assert "a saved plan is applied as it was made: pass --scenario to plan --out" in result.stderr


def test_a_pattern_that_matches_nothing_is_said(repo: Path, account: EmulatorAccount) -> None:
    result = run_cli_subprocess(["plan", "--scenario", "Nope*"], cwd=repo)
    assert result.returncode == 0
    assert 'Warning: environment "prod": --scenario "Nope*" matches no scenario in its files' in (
        result.stderr
    )
    assert "No changes." in result.stdout


def test_keys_of_the_scenarios_named(repo: Path, account: EmulatorAccount) -> None:
    assert run_cli_subprocess(["apply", "--auto-approve"], cwd=repo).returncode == 0
    result = run_cli_subprocess(
        ["keys", "-e", "prod", "--scenario", "*s", "--format", "json"], cwd=repo
    )
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["keys"]) == ["Alerts", "Order updates"]
    missing = run_cli_subprocess(["keys", "-e", "prod", "--scenario", "Nope"], cwd=repo)
    assert missing.returncode == 1
    assert 'environment "prod": --scenario "Nope" matches no scenario in its files' in (
        missing.stderr
    )
