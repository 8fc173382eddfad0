"""The real entry point, as a process: a fresh checkout plans and applies the embedded account."""

from __future__ import annotations

from pathlib import Path

from tests.accounts import scenario, write_scenarios
from tests.conftest import run_cli_subprocess


def test_embedded_plan_apply_plan_as_a_process(repo: Path) -> None:
    write_scenarios(repo, scenario("Orders", ("SMS", "Shop"), default=True))
    planned = run_cli_subprocess(["plan", "--detailed-exitcode"], cwd=repo)
    assert planned.returncode == 2, planned.stderr
    assert '+ scenario "Orders" {' in planned.stdout
    assert "\x1b[" not in planned.stdout
    applied = run_cli_subprocess(["apply", "--auto-approve"], cwd=repo)
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete! Scenarios: 1 added, 0 changed, 0 destroyed." in applied.stdout
    again = run_cli_subprocess(["plan", "--detailed-exitcode"], cwd=repo)
    assert again.returncode == 0
    assert again.stdout == "No changes. Your scenarios match the configuration.\n\n"
    assert (repo / ".omni-sync" / ".gitignore").read_text() == "*\n"
