"""Reads stay near their floor: an apply lists the account a bounded number of times (to plan,
to check the plan is still fresh, and once after its creates for races), never per create.
Counted by the served emulator's own request log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, Step
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import Cli

HELD, NEW, PAGE = 1_000, 20, 100
LISTINGS = 3


def test_twenty_creates_into_a_thousand_list_the_account_at_most_three_times(
    repo: Path,
    run: Cli,
    emulator: EmulatorHarness,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    account = add_environment(repo, emulator, monkeypatch, page_limit=PAGE)
    flow = (Step(channel=Channel.SMS, sender="Shop"),)
    for index in range(HELD):
        emulator.state.scenarios.create(
            account.account_id, ScenarioInput(flow=flow, name=f"s{index:04d}", default=index == 0)
        )
    write_scenarios(repo, *(scenario(f"s{i:04d}", default=i == 0) for i in range(HELD + NEW)))
    caplog.set_level(logging.INFO, logger="omni_sync.emulator")
    result = run("apply", "--auto-approve")
    assert result.code == 0, result.err
    lines = [record.getMessage() for record in caplog.records]
    listings = [line for line in lines if line.startswith('"GET /omni/1/scenarios?')]
    posts = [line for line in lines if line.startswith('"POST /omni/1/scenarios"')]
    assert len(posts) == NEW
    pages = HELD // PAGE + 1
    assert len(listings) <= LISTINGS * pages, len(listings)
    assert len(emulator.scenarios(account)) == HELD + NEW
