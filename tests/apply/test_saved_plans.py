"""plan --out FILE, then apply FILE: applied when fresh, refused when anything moved on."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.commands import apply as apply_command
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.apply.conftest import Cli, Run

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


def _plan_then_apply_with(run: Cli, monkeypatch: pytest.MonkeyPatch, key: str) -> Run:
    """Plan with the environment's key, then apply the saved plan with ``key``."""
    run("plan", "--out", "plan.json")
    monkeypatch.setenv("OMNI_TEST_KEY_PROD", key)
    return run("apply", "plan.json")


def test_a_key_of_another_account_at_the_same_url_finds_the_plan_stale(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identity is the base URL, not the key; the other account's content differs."""
    other = emulator.add_account()
    result = _plan_then_apply_with(run, monkeypatch, other.secret)
    assert result.code == 1
    assert 'Error: Saved plan is stale: environment "prod": scenario "Alerts"' in result.err
    assert emulator.scenarios(other) == []


def test_not_a_plan_file(repo: Path, run: Cli, account: EmulatorAccount) -> None:
    (repo / "plan.json").write_text("{}")
    result = run("apply", "plan.json")
    assert result.code == 1
    assert "not an omni-sync saved plan" in result.err


def test_a_plan_made_with_one_key_applies_with_another_key_of_the_account(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read-only plan key and a write key of one account: the plan is the account's."""
    write_key = emulator.add_account(account_id=account.account_id)
    assert write_key.secret != account.secret
    applied = _plan_then_apply_with(run, monkeypatch, write_key.secret)
    assert applied.code == 0, applied.err
    assert "Apply complete! Scenarios: 1 added, 1 changed, 0 destroyed." in applied.out
    assert any(s.name == "New" for s in emulator.scenarios(account))


def test_a_plan_for_another_base_url_is_refused(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    """The same server under another name is another base URL: refused before any write."""
    run("plan", "--out", "plan.json")
    config = repo / "omni-sync.yaml"
    other_url = emulator.base_url.replace("127.0.0.1", "localhost")
    assert other_url != emulator.base_url
    config.write_text(config.read_text().replace(emulator.base_url, other_url))
    result = run("apply", "plan.json")
    assert result.code == 1
    assert result.err.strip() == (
        f'Error: Saved plan is stale: environment "prod": it was made for the account at '
        f"{emulator.base_url}, and the environment now points at {other_url}. "
        "Run omni-sync plan again."
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))


def test_a_saved_default_switch_names_force_and_never_a_prompt(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(
        repo, scenario("Orders"), scenario("Alerts", ("EMAIL", "a@example.com"), default=True)
    )
    run("plan", "--out", "plan.json")
    refused = run("apply", "plan.json")
    assert refused.code == 1
    assert refused.err.strip() == (
        'Error: environment "prod": the plan switches the default scenario from "Orders" to '
        "\"Alerts\"; a default switch needs a person's 'yes' (safety.confirm_default_switch), "
        "and a saved plan is never asked: apply it with --force"
    )
    assert "interactively" not in refused.err
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["Orders"]
    assert run("apply", "plan.json", "--force").code == 0
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["Alerts"]


def test_a_plain_apply_that_lost_a_race_is_not_called_a_saved_plan(
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The account moves between the plan shown and the 'yes': refused, in true words."""
    real_approve = apply_command.approve

    def approve_after_a_portal_edit(writer: object, environment: str) -> None:
        edit_by_hand(emulator, account, "Alerts", ("PUSH", "app"))
        real_approve(writer, environment)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_command, "stdin_is_tty", lambda: True)
    monkeypatch.setattr(apply_command, "approve", approve_after_a_portal_edit)
    result = run("apply", input="yes\n")
    assert result.code == 1
    assert "Saved plan" not in result.err
    key = next(s.key for s in emulator.scenarios(account) if s.name == "Alerts")
    assert (
        'Error: environment "prod": the account changed while applying: scenario "Alerts" '
        f"({key}) changed upstream; nothing was applied. "
        "Run omni-sync plan again." in result.err
    )
    assert not any(s.name == "New" for s in emulator.scenarios(account))
