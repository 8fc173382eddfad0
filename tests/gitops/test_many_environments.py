"""20 environments, one emulator account each, planned in one run: one answers 401, the other
19 plans are complete and correct, and the exit code follows the one rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorHarness
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, Step
from tests.accounts import add_environment

ENVIRONMENTS = [f"env-{i:02d}" for i in range(20)]
REFUSED = "env-07"
SCENARIOS = """\
- name: Order updates
  default: true
  flow:
    - {channel: SMS, from: "{{ vars.sms_sender }}"}
    - {channel: EMAIL, from: orders@example.com}
- name: Alerts
  flow:
    - {channel: VOICE, from: "41793026727"}
"""


def _seed(emulator: EmulatorHarness, account_id: str, index: int) -> None:
    """Every account holds both scenarios with sender Shop<i>; env-03 lacks Alerts."""
    order_flow = (
        Step(channel=Channel.SMS, sender=f"Shop{index:02d}"),
        Step(channel=Channel.EMAIL, sender="orders@example.com"),
    )
    emulator.state.scenarios.create(
        account_id, ScenarioInput(flow=order_flow, name="Order updates", default=True)
    )
    if index != 3:
        alerts = (Step(channel=Channel.VOICE, sender="41793026727"),)
        emulator.state.scenarios.create(account_id, ScenarioInput(flow=alerts, name="Alerts"))


@pytest.fixture
def twenty(repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Odd environments want sender New<i> (one update), even ones match; env-03 also needs a
    create; env-07's key is wrong."""
    for index, name in enumerate(ENVIRONMENTS):
        sender = f"New{index:02d}" if index % 2 else f"Shop{index:02d}"
        account = add_environment(repo, emulator, monkeypatch, name, vars={"sms_sender": sender})
        _seed(emulator, account.account_id, index)
    monkeypatch.setenv("OMNI_TEST_KEY_ENV_07", "not-the-key-of-any-account")
    (repo / "scenarios.d").mkdir()
    (repo / "scenarios.d" / "all.yaml").write_text(SCENARIOS)
    return repo


def _plan(repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo), "--no-color", "plan", *args])
    return result.exit_code, result.stdout, result.stderr


def _expected(index: int) -> tuple[int, int]:
    """(to add, to change) for env-<index>."""
    return (1 if index == 3 else 0, index % 2)


def test_one_401_fails_alone_and_the_others_plans_are_complete(twenty: Path) -> None:
    code, out, err = _plan(twenty, "--all", "--format", "json", "--detailed-exitcode")
    assert code == 1
    plans = {env["name"]: env for env in json.loads(out)["environments"]}
    assert set(plans) == set(ENVIRONMENTS)
    assert plans[REFUSED]["status"] == "failed"
    assert "UNAUTHORIZED" in plans[REFUSED]["error"]
    for index, name in enumerate(ENVIRONMENTS):
        if name == REFUSED:
            continue
        assert plans[name]["status"] == ("changed" if index % 2 else "unchanged"), name
        changes = plans[name]["changes"]
        adds = [c for c in changes if c["actions"] == ["create"]]
        updates = [c for c in changes if c["actions"] == ["update"]]
        assert (len(adds), len(updates)) == _expected(index), name
        for change in updates:
            assert change["before"]["flow"][0]["from"] == f"Shop{index:02d}"
            assert change["after"]["flow"][0]["from"] == f"New{index:02d}"
    assert REFUSED in err


def test_text_shows_each_environment_then_the_summary(twenty: Path) -> None:
    code, out, _ = _plan(twenty, "--all")
    assert code == 1
    for name in ENVIRONMENTS:
        assert f'environment "{name}"' in out
    assert out.rstrip().splitlines()[-1] == "20 environments: 9 with changes, 10 without, 1 failed"


def test_markdown_summarises_all_twenty(twenty: Path) -> None:
    code, out, _ = _plan(twenty, "--all", "--format", "markdown")
    assert code == 1
    assert out.startswith("❌ **omni-sync plan failed** for 1 of 20 environments.")
    assert "**20 environments: 9 with changes, 10 without, 1 failed**" in out
    assert "| <code>env-07</code> | ❌ failed |" in out
    assert "| <code>env-03</code> | 📝 1 to add, 1 to change |" in out
    assert "| <code>env-04</code> | ✅ no changes |" in out


def test_exit_code_without_the_failing_environment(twenty: Path) -> None:
    others = [arg for name in ENVIRONMENTS if name != REFUSED for arg in ("-e", name)]
    assert _plan(twenty, *others, "--detailed-exitcode")[0] == 2
    assert _plan(twenty, *others)[0] == 0
    assert _plan(twenty, "-e", "env-00", "-e", "env-02", "--detailed-exitcode")[0] == 0
