"""omni-sync show PLANFILE: a saved plan printed, offline, in every format, never applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.conftest import run_cli_subprocess

ORDERS = scenario("Orders", ("SMS", "Shop"), default=True)


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    return add_environment(repo, emulator, monkeypatch)


@pytest.fixture
def saved_plan(repo: Path, account: EmulatorAccount, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A saved plan that creates Orders; then the credential and the config are gone."""
    write_scenarios(repo, ORDERS)
    made = run_cli_subprocess(["plan", "--out", "plan.json"], cwd=repo)
    assert made.returncode == 0, made.stderr
    monkeypatch.delenv("OMNI_TEST_KEY_PROD")
    (repo / "omni-sync.yaml").unlink()
    return repo / "plan.json"


def test_show_prints_the_saved_plan_as_text_offline(
    repo: Path, saved_plan: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    result = run_cli_subprocess(["show", "plan.json"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert '# scenario "Orders" will be created' in result.stdout
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in result.stdout
    assert "omni-sync apply plan.json" in result.stderr
    assert emulator.scenarios(account) == []


def test_show_json_is_the_plan_json_document(repo: Path, saved_plan: Path) -> None:
    result = run_cli_subprocess(["show", "plan.json", "--format", "json"], cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format_version"].startswith("1.")
    (environment,) = document["environments"]
    assert environment["name"] == "prod"
    assert environment["status"] == "changed"
    assert [change["name"] for change in environment["changes"]] == ["Orders"]


def test_show_markdown_is_the_pull_request_comment(repo: Path, saved_plan: Path) -> None:
    result = run_cli_subprocess(["show", str(saved_plan), "--format", "markdown"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "📝 **omni-sync plan: changes to apply.**" in result.stdout
    assert "<code>Orders</code>" in result.stdout


def test_a_tampered_plan_is_one_line_error(repo: Path, saved_plan: Path) -> None:
    document = json.loads(saved_plan.read_text())
    document["environments"][0]["changes"][0]["fingerprint"] = "0" * 32
    saved_plan.write_text(json.dumps(document))
    result = run_cli_subprocess(["show", "plan.json"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "the saved plan is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_plan_file_says_so(repo: Path) -> None:
    result = run_cli_subprocess(["show", "nope.json"], cwd=repo)
    assert result.returncode == 1
    assert "nope.json: cannot read the saved plan" in result.stderr
