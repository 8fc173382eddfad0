"""Ctrl-C during an apply (a real process, a real SIGINT): what is in flight finishes, the rest
is reported as not attempted, and the exit code says it did not complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import interrupted_after_first_create


def test_sigint_finishes_in_flight_and_reports_the_rest(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, *(scenario(f"s{i}", default=i == 0) for i in range(8)))
    emulator.set_faults(latency_ms=150)
    result = interrupted_after_first_create(repo, "apply", "--auto-approve")
    out, err = result.out, result.err
    assert result.code == 1, err
    assert "interrupted: requests in flight were finished" in err
    assert "not attempted" in out
    assert "interrupted before it began" in out
    created = out.count("+ created")
    assert 1 <= created < 8
    assert len(emulator.scenarios(account)) == created
