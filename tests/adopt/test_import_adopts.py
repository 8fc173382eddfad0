"""import adopts: what the files already manage (by name, renamed_from or a pinned key) is skipped
and listed, only the rest is written, and importing again writes nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, Step
from tests.accounts import add_environment, scenario, write_scenarios
from tests.conftest import run_cli_subprocess

SMS = (Step(channel=Channel.SMS, sender="Shop"),)


@pytest.fixture
def account(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> EmulatorAccount:
    """An account with four scenarios; the files already describe three of them."""
    account = add_environment(repo, emulator, monkeypatch)
    keys = {}
    for name, default in (
        ("Orders", True),
        ("Alerts", False),
        ("Portal name", False),
        ("Fresh", False),
    ):
        created = emulator.state.scenarios.create(
            account.account_id, ScenarioInput(flow=SMS, name=name, default=default)
        )
        keys[name] = created.key
    write_scenarios(
        repo,
        scenario("Orders", default=True),
        scenario("Alerts v2", renamed_from=["Alerts"]),
        scenario("Pinned", key=keys["Portal name"]),
        file="managed.yaml",
    )
    return account


def _files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in (repo / "scenarios.d").rglob("*.yaml"))


def test_import_writes_only_what_the_files_do_not_manage(
    repo: Path, account: EmulatorAccount
) -> None:
    result = run_cli_subprocess(["import", "-e", "prod"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert _files(repo) == ["scenarios.d/managed.yaml", "scenarios.d/prod/fresh.yaml"]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("Skipped")]
    assert [line.split(" (")[0] for line in skipped] == [
        'Skipped "Alerts"',
        'Skipped "Orders"',
        'Skipped "Portal name"',
    ]
    assert all("already in scenarios.d/managed.yaml:" in line for line in skipped)
    assert (
        "Imported 1 scenario from prod into 1 file; skipped 3 already in the files. "
        "Run omni-sync plan -e prod: the imported scenarios show no changes." in result.stderr
    )
    plan = run_cli_subprocess(["plan", "--format", "json"], cwd=repo)
    assert plan.returncode == 0, plan.stderr
    assert '"Fresh"' not in plan.stdout  # adopted: no change, not unmanaged


def test_importing_again_writes_nothing(repo: Path, account: EmulatorAccount) -> None:
    assert run_cli_subprocess(["import", "-e", "prod"], cwd=repo).returncode == 0
    before = {path: (repo / path).read_text() for path in _files(repo)}
    again = run_cli_subprocess(["import", "-e", "prod"], cwd=repo)
    assert again.returncode == 0, again.stderr
    assert (
        "Imported nothing from prod: its 4 scenarios are already in the files; no file written."
        in again.stderr
    )
    assert {path: (repo / path).read_text() for path in _files(repo)} == before


def test_per_environment_after_an_earlier_import_duplicates_nothing(
    repo: Path, account: EmulatorAccount
) -> None:
    assert run_cli_subprocess(["import", "-e", "prod"], cwd=repo).returncode == 0
    result = run_cli_subprocess(["import", "-e", "prod", "--layout", "per-environment"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert _files(repo) == ["scenarios.d/managed.yaml", "scenarios.d/prod/fresh.yaml"]
    assert run_cli_subprocess(["validate"], cwd=repo).returncode == 0


def test_a_file_that_cannot_be_read_stops_the_import(repo: Path, account: EmulatorAccount) -> None:
    (repo / "scenarios.d" / "broken.yaml").write_text("name: [Orders\n")
    result = run_cli_subprocess(["import", "-e", "prod"], cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: scenarios.d/broken.yaml cannot be read for environment prod (above); fix it "
        "first: import must know every scenario the files already hold"
    )
    assert _files(repo) == ["scenarios.d/broken.yaml", "scenarios.d/managed.yaml"]


def test_a_name_held_twice_upstream_that_the_files_manage_is_skipped_not_refused(
    repo: Path, emulator: EmulatorHarness, account: EmulatorAccount
) -> None:
    emulator.state.scenarios.create(account.account_id, ScenarioInput(flow=SMS, name="Orders"))
    result = run_cli_subprocess(["import", "-e", "prod"], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count('Skipped "Orders"') == 2
    assert _files(repo) == ["scenarios.d/managed.yaml", "scenarios.d/prod/fresh.yaml"]
