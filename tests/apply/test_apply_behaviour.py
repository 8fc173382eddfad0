"""Approval, safety thresholds, partial failures and many environments, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.commands import apply as apply_command
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import Cli


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, scenario("Orders", default=True), scenario("Alerts"))
    return account


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apply_command, "stdin_is_tty", lambda: True)


def test_yes_applies(
    run: Cli, emulator: EmulatorHarness, account: EmulatorAccount, terminal: None
) -> None:
    result = run("apply", input="yes\n")
    assert result.code == 0
    assert 'Do you want to perform these actions in environment "prod"?' in result.err
    assert "Only 'yes' will be accepted to approve." in result.err
    assert len(emulator.scenarios(account)) == 2


@pytest.mark.parametrize("answer", ["no\n", "y\n", "YES please\n", "\n"])
def test_anything_but_yes_cancels(
    run: Cli, emulator: EmulatorHarness, account: EmulatorAccount, terminal: None, answer: str
) -> None:
    result = run("apply", input=answer)
    assert result.code == 1
    assert 'Apply cancelled: environment "prod" was not approved.' in result.err
    assert emulator.scenarios(account) == []


def test_no_terminal_and_no_auto_approve_refuses(
    run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    result = run("apply")
    assert result.code == 1
    assert "no terminal to ask for approval" in result.err
    assert emulator.scenarios(account) == []


def test_nothing_to_do_needs_no_approval(run: Cli, account: EmulatorAccount) -> None:
    assert run("apply", "--auto-approve").code == 0
    result = run("apply")
    assert result.code == 0
    assert "No changes." in result.out


def test_max_changes_refuses_without_force_after_showing_the_plan(
    repo: Path, run: Cli, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch, safety={"max_changes": 1})
    write_scenarios(repo, scenario("Orders", default=True), scenario("Alerts"))
    refused = run("apply", "--auto-approve")
    assert refused.code == 1
    assert "Plan: 2 to add" in refused.out
    assert "more than safety.max_changes (1)" in refused.err
    assert emulator.scenarios(account) == []
    assert run("apply", "--auto-approve", "--force").code == 0
    assert len(emulator.scenarios(account)) == 2


def test_default_switch_needs_a_person_or_force(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount, terminal: None
) -> None:
    assert run("apply", "--auto-approve").code == 0
    write_scenarios(repo, scenario("Orders"), scenario("Alerts", default=True))
    refused = run("apply", "--auto-approve")
    assert refused.code == 1
    assert 'switches the default scenario from "Orders" to "Alerts"' in refused.err
    assert run("apply", input="yes\n").code == 0
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["Alerts"]


def test_failures_do_not_stop_the_rest_and_apply_again_completes(
    repo: Path, run: Cli, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    write_scenarios(repo, *(scenario(f"s{i}", default=i == 0) for i in range(4)))
    emulator.set_throttle(window_seconds=600, create_limit=2)
    result = run("apply", "--auto-approve", "--parallelism", "1")
    assert result.code == 1
    assert result.out.count("+ created") == 2
    assert result.out.count("! failed") == 2
    assert "429 TOO_MANY_REQUESTS" in result.out
    assert (
        "Apply incomplete: 2 added, 0 changed, 0 destroyed; 2 failed, 0 not attempted."
        in result.out
    )
    emulator.set_throttle(window_seconds=600, create_limit=20)
    assert run("apply", "--auto-approve").code == 0
    assert sorted(s.name for s in emulator.scenarios(account)) == ["s0", "s1", "s2", "s3"]


def test_many_environments_one_failing_hides_nothing(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staging = add_environment(repo, emulator, monkeypatch, name="staging")
    add_environment(repo, emulator, monkeypatch, name="broken")
    monkeypatch.setenv("OMNI_TEST_KEY_BROKEN", "not-a-valid-key")
    planned = run("plan", "--detailed-exitcode")
    assert planned.code == 1
    assert planned.out.count("Plan: 2 to add, 0 to change, 0 to destroy.") == 2
    assert "3 environments: 2 with changes, 0 without, 1 failed" in planned.out
    assert 'environment "broken": GET /omni/1/scenarios answered 401' in planned.err
    applied = run("apply", "--auto-approve")
    assert applied.code == 1
    assert len(emulator.scenarios(account)) == 2
    assert len(emulator.scenarios(staging)) == 2
    assert run("plan", "-e", "prod", "-e", "staging", "--detailed-exitcode").code == 0


def test_problems_in_files_fail_that_environment(
    repo: Path, run: Cli, account: EmulatorAccount
) -> None:
    write_scenarios(repo, scenario("Orders"), scenario("Alerts"))
    result = run("plan")
    assert result.code == 1
    assert "no default scenario" in result.err
    assert 'environment "prod": 1 problem found in the files' in result.err
