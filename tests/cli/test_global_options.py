"""The group's options work after the command too: ``omni-sync plan --no-color``, ``validate -C
DIR``, ``plan --debug``, ``validate -c FILE`` (with -C before or after it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.conftest import run_cli_subprocess


@pytest.fixture
def project(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, scenario("Orders", default=True))
    return repo


def test_no_color_after_the_command(project: Path) -> None:
    coloured = run_cli_subprocess(["plan"], cwd=project, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    for args in (["plan", "--no-color"], ["--no-color", "plan"]):
        plain = run_cli_subprocess(args, cwd=project, env={"FORCE_COLOR": "1"})
        assert plain.returncode == 0, plain.stderr
        assert "\x1b[" not in plain.stdout
        assert '# scenario "Orders" will be created' in plain.stdout


def test_debug_after_the_command(project: Path) -> None:
    result = run_cli_subprocess(["plan", "-e", "prod", "--debug"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "prod: GET http://127.0.0.1:" in result.stderr
    assert "(Authorization: App ***)" in result.stderr


def test_chdir_and_config_after_the_command(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "omni-sync.yaml").rename(project / "accounts.yaml")
    for args in (
        ["validate", "-C", str(project), "-c", "accounts.yaml"],
        ["validate", "-c", "accounts.yaml", "-C", str(project)],
        ["-C", str(project), "validate", "--config", "accounts.yaml"],
        ["-c", "accounts.yaml", "validate", "--chdir", str(project)],
    ):
        result = run_cli_subprocess(args, cwd=elsewhere)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.startswith("Valid: "), args
        assert "in 1 environment (prod)" in result.stdout


def test_a_commands_own_option_keeps_its_meaning(repo: Path) -> None:
    result = run_cli_subprocess(["schema", "--config"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert '"environments"' in result.stdout


def test_a_missing_folder_after_the_command_is_a_usage_error(repo: Path) -> None:
    result = run_cli_subprocess(["validate", "-C", "nope"], cwd=repo)
    assert result.returncode == 1
    assert "Directory 'nope' does not exist" in result.stderr
    assert "Traceback" not in result.stderr
