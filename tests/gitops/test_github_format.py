"""plan --format github: the text plan in the log, problems as annotations, the Markdown in the
job summary file; and the plan workflow's step, run for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios


@pytest.fixture
def two(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_environment(repo, emulator, monkeypatch, "good")
    add_environment(repo, emulator, monkeypatch, "refused")
    monkeypatch.setenv("OMNI_TEST_KEY_REFUSED", "wrong-key-for-every-account")
    write_scenarios(repo, scenario("Order updates", default=True))
    return repo


def test_github_format_writes_summary_and_annotations(
    two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(cli, ["-C", str(two), "plan", "--format", "github"])
    assert result.exit_code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n❌ **omni-sync plan failed** for 1 of 2 environments.")
    assert "**2 environments: 1 with changes, 0 without, 1 failed**" in text
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith("::error title=omni-sync plan (refused)::")
    assert "UNAUTHORIZED" in errors[0]
    assert "wrong-key-for-every-account" not in text + result.stdout + result.stderr


def test_github_format_outside_actions_warns_and_still_plans(two: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(two), "plan", "-e", "good", "--format", "github"])
    assert result.exit_code == 0
    assert "GITHUB_STEP_SUMMARY is not set" in result.stderr
    assert "Plan: 1 to add" in result.stdout


def test_unwritable_summary_is_a_clear_error(
    two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "summary.md"))
    result = CliRunner().invoke(cli, ["-C", str(two), "plan", "-e", "good", "--format", "github"])
    assert result.exit_code == 1
    assert "cannot write the job summary" in result.stderr
    assert "Traceback" not in result.stderr


def test_file_problems_become_located_annotations(
    two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    write_scenarios(two, scenario("Order updates", ("SMS", "x" * 20), default=True))
    result = CliRunner().invoke(cli, ["-C", str(two), "plan", "-e", "good", "--format", "github"])
    assert result.exit_code == 1
    assert "::error file=scenarios.d/all.yaml,line=" in result.stdout
