"""import and keys against the served emulator, through the real CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, Step
from tests.accounts import add_environment, scenario, write_scenarios

ODD_NAMES = [
    "Promo {{ vars.x }} {% if %}",
    "50% off: summer! #1",
    "Ünïcödé ✓ 日本",
    "a/b\\c..",
    "yes",
    "null",
    "123",
    "CON",
    'Quote\'s "double"',
    "- dash: colon",
]
SENDERS = {
    Channel.SMS: ["InfoSMS", "41793026727", "Shop.co"],
    Channel.VIBER: ["3045", "0045", "service {#x#}", "1e3", "3044.50", "~", "null", "1_000"],
    Channel.EMAIL: ["info@example.com", "Team <team@example.com>"],
    Channel.VOICE: ["+41793026727", "0041793026727"],
    Channel.PUSH: ["8f2a61c0", "true"],
    Channel.WHATSAPP: ["41793026728"],
    Channel.LINE: ["line-{{x}}"],
}


def _varied(i: int) -> ScenarioInput:
    """Scenario i: 1 to 5 steps over rotating channels and sender shapes; one default."""
    channels = list(SENDERS)
    flow = []
    for n in range(1 + i % 5):
        channel = channels[(i + n) % len(channels)]
        options = SENDERS[channel]
        flow.append(Step(channel=channel, sender=options[(i + n) % len(options)]))
    name = ODD_NAMES[i] if i < len(ODD_NAMES) else f"Scenario {i:03d} {'x' * (1 + i % 7)}"
    return ScenarioInput(flow=tuple(flow), name=name, default=i == 2)


def _seed(emulator: EmulatorHarness, account: EmulatorAccount, count: int) -> None:
    for i in range(count):
        emulator.state.scenarios.create(account.account_id, _varied(i))


def _invoke(repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-C", str(repo), "--no-color", *args])
    return result.exit_code, result.stdout, result.stderr


def _plan_changes(repo: Path, environment: str) -> int:
    """How many changes the planner finds: files vs the account, as plan computes it."""
    from omni_sync.client import open_client
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired
    from omni_sync.plan.diff import make_plan

    project = load_project(repo)
    (env,) = project.select([environment])

    async def actual() -> list[object]:
        async with open_client(project.root, env) as client:
            return list(await client.list_scenarios())

    plan = make_plan(load_desired(project, env), asyncio.run(actual()))  # type: ignore[arg-type]
    return len(plan.changes)


@pytest.mark.parametrize("layout", ["per-scenario", "per-environment"])
def test_import_100_varied_scenarios_then_plan_shows_no_changes(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    add_environment(repo, emulator, monkeypatch, "staging")
    _seed(emulator, account, 100)
    code, _, err = _invoke(repo, "import", "-e", "prod", "--layout", layout)
    assert code == 0, err
    assert "Imported 100 scenarios from prod" in err
    files = sorted((repo / "scenarios.d").rglob("*.yaml"))
    assert len(files) == (100 if layout == "per-scenario" else 1)
    assert _invoke(repo, "validate")[0] == 0
    assert _plan_changes(repo, "prod") == 0
    assert _plan_changes(repo, "staging") == 0  # imported scenarios are marked for prod only


def test_import_never_overwrites_without_force(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    _seed(emulator, account, 3)
    assert _invoke(repo, "import", "-e", "prod")[0] == 0
    target = sorted((repo / "scenarios.d" / "prod").glob("*.yaml"))[0]
    target.write_text("# edited by hand\n")
    code, _, err = _invoke(repo, "import", "-e", "prod")
    assert code == 1
    assert "already exist; pass --force to overwrite" in err
    assert "Traceback" not in err
    assert target.read_text() == "# edited by hand\n"
    assert _invoke(repo, "import", "-e", "prod", "--force")[0] == 0
    assert target.read_text().startswith("# Imported by omni-sync import")


def test_keys_after_import_name_every_scenario(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    _seed(emulator, account, 12)
    assert _invoke(repo, "import", "-e", "prod")[0] == 0
    code, out, err = _invoke(repo, "keys", "-e", "prod", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    expected = {s.name: s.key for s in emulator.scenarios(account)}
    assert data["keys"] == expected
    code, out, _ = _invoke(repo, "keys", "-e", "prod", "--format", "env")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 12
    assert f"YES={expected['yes']}" in lines
    assert f"SCENARIO_123={expected['123']}" in lines


def test_keys_refuses_a_partial_list(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    emulator.state.scenarios.create(
        account.account_id,
        ScenarioInput(flow=(Step(channel=Channel.SMS, sender="Shop"),), name="Live", default=True),
    )
    write_scenarios(repo, scenario("Live", default=True), scenario("Not yet"))
    code, out, err = _invoke(repo, "keys", "-e", "prod")
    assert code == 1
    assert out == ""
    assert 'Error: environment "prod": "Not yet" not in the account yet' in err
    code, out, _ = _invoke(repo, "keys", "-e", "prod", "--format", "table")
    assert code == 1


def test_keys_refuses_a_name_held_by_two_scenarios_as_plan_settles_it(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch, "prod")
    flow = (Step(channel=Channel.SMS, sender="Shop"),)
    for default in (True, False):
        emulator.state.scenarios.create(
            account.account_id, ScenarioInput(flow=flow, name="Live", default=default)
        )
    write_scenarios(repo, scenario("Live", default=True))
    code, out, err = _invoke(repo, "keys", "-e", "prod")
    assert (code, out) == (1, "")
    later = max(remote.key for remote in emulator.scenarios(account))
    assert (
        f'Error: environment "prod": "Live" held by more than one scenario upstream; '
        f"omni-sync apply -e prod keeps one per name and retires {later}"
    ) in err
    # --force: the default may move from one twin to the other, which the safety asks about
    assert _invoke(repo, "apply", "-e", "prod", "--auto-approve", "--force")[0] == 0
    code, out, err = _invoke(repo, "keys", "-e", "prod", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["keys"] == {"Live": min(r.key for r in emulator.scenarios(account))}
