"""The nightly drift job, run for real: its plan step against the served emulator, and its
issue script under node: one issue per drifted environment, updated while the drift lasts,
closed with a comment once the account matches again; only our own bot's issues count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, edit_by_hand, scenario, write_scenarios
from tests.gitops.steps import github_script, outputs, run_github_script, run_step, step_script
from tests.gitops.test_plan_job import plan_env

BOT = {"type": "Bot", "login": "github-actions[bot]"}
MARKER = "<!-- omni-sync-drift:prod -->"


@pytest.fixture
def prod(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> EmulatorAccount:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    write_scenarios(repo, scenario("Order updates", default=True))
    return account


def drift_plan(repo: Path, runner: Path, secret: str) -> tuple[int, str, Path]:
    env = plan_env(runner, "prod", "OMNI_TEST_KEY_PROD", secret, GITHUB_OUTPUT=str(runner / "out"))
    result = run_step(step_script("omni-sync-drift.yml", "drift", "Plan"), repo, env)
    return result.returncode, outputs(runner / "out").get("exitcode", ""), runner


def test_the_plan_step_says_drifted_matched_or_failed(
    repo: Path, prod: EmulatorAccount, emulator: EmulatorHarness, tmp_path: Path
) -> None:
    assert drift_plan(repo, tmp_path / "1", prod.secret)[:2] == (0, "2")  # not applied yet
    env = {"OMNI_TEST_KEY_PROD": prod.secret}
    assert run_step("omni-sync apply --auto-approve", repo, env).returncode == 0
    assert drift_plan(repo, tmp_path / "2", prod.secret)[:2] == (0, "0")
    edit_by_hand(emulator, prod, "Order updates", ("VOICE", "41793026727"))
    code, exitcode, runner = drift_plan(repo, tmp_path / "3", prod.secret)
    assert (code, exitcode) == (0, "2")
    assert "### 📝 prod" in (runner / "drift.md").read_text()
    assert drift_plan(repo, tmp_path / "4", "wrong")[:2] == (1, "1")  # a failure is no drift


def issue_script(tmp_path: Path, issues: list[dict[str, Any]], drifted: bool) -> list[Any]:
    (tmp_path / "drift.md").write_text(
        "### 📝 prod\n\nPlan: 0 to add, 1 to change, 0 to destroy.\n"
    )
    script = github_script("omni-sync-drift.yml", "drift", "Open, update or close the drift issue")
    env = {"LABEL": "prod", "DRIFTED": "true" if drifted else "false", "RUNNER_TEMP": str(tmp_path)}
    return run_github_script(script, tmp_path, {"listForRepo": issues}, env)


def test_a_drifted_account_gets_one_issue(tmp_path: Path) -> None:
    calls = issue_script(tmp_path, [], drifted=True)
    assert [call[0] for call in calls] == ["list", "create"]
    assert calls[0][1]["creator"] == "github-actions[bot]"
    assert calls[1][1]["labels"] == ["omni-sync-drift"]
    assert calls[1][1]["body"].startswith(MARKER)
    assert "1 to change" in calls[1][1]["body"]


def test_a_lasting_drift_updates_our_issue_only(tmp_path: Path) -> None:
    issues = [
        {"number": 3, "user": {"type": "User", "login": "mallory"}, "body": MARKER},
        {"number": 4, "user": BOT, "body": f"{MARKER}\nold"},
    ]
    calls = issue_script(tmp_path, issues, drifted=True)
    assert [call[0] for call in calls] == ["list", "update"]
    assert calls[1][1]["issue_number"] == 4


def test_the_issue_is_closed_with_a_comment_once_the_account_matches(tmp_path: Path) -> None:
    issues = [
        {"number": 3, "user": {"type": "User", "login": "mallory"}, "body": MARKER},
        {"number": 4, "user": BOT, "body": f"{MARKER}\nold"},
    ]
    calls = issue_script(tmp_path, issues, drifted=False)
    assert [call[0] for call in calls] == ["list", "createComment", "update"]
    assert calls[1][1]["issue_number"] == 4
    assert "matches main again" in calls[1][1]["body"]
    assert calls[2][1] == {
        "owner": "team", "repo": "scenarios", "issue_number": 4, "state": "closed",
        "state_reason": "completed",
    }  # fmt: skip


def test_no_drift_and_no_issue_does_nothing(tmp_path: Path) -> None:
    assert [call[0] for call in issue_script(tmp_path, [], drifted=False)] == ["list"]
