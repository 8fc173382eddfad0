"""A user repository wired to the served emulator: environments whose base_url is the emulator
and whose key lives in an environment variable, plus scenario files written from dicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness

FAST = {"limits": {"creates": 1000, "updates": 1000, "window_seconds": 60}}


def add_environment(
    repo: Path,
    emulator: EmulatorHarness,
    monkeypatch: pytest.MonkeyPatch,
    name: str = "prod",
    **settings: Any,
) -> EmulatorAccount:
    """A new emulator account, configured as environment ``name`` in ``repo/omni-sync.yaml``."""
    account = emulator.add_account()
    variable = f"OMNI_TEST_KEY_{name.upper().replace('-', '_')}"
    monkeypatch.setenv(variable, account.secret)
    config = repo / "omni-sync.yaml"
    document = json.loads(config.read_text()) if config.exists() else {"environments": {}}
    document["environments"][name] = {
        "base_url": emulator.base_url,
        "auth": {"type": "app", "key_env": variable},
        **FAST,
        **settings,
    }
    config.write_text(json.dumps(document, indent=2))
    return account


def write_scenarios(repo: Path, *scenarios: dict[str, Any], file: str = "all.yaml") -> None:
    folder = repo / "scenarios.d"
    folder.mkdir(exist_ok=True)
    (folder / file).write_text(json.dumps(list(scenarios), indent=2))


def scenario(
    name: str, *steps: tuple[str, str], default: bool = False, **extra: Any
) -> dict[str, Any]:
    flow = [{"channel": channel, "from": sender} for channel, sender in steps or [("SMS", "Shop")]]
    return {"name": name, "default": default, "flow": flow, **extra}


def edit_by_hand(
    emulator: EmulatorHarness,
    account: EmulatorAccount,
    name: str,
    step: tuple[str, str],
    *,
    new_name: str | None = None,
    default: bool | None = None,
) -> str:
    """Change a scenario upstream behind omni-sync's back (as in the portal); returns its key."""
    from omni_sync.emulator.scenario_store import ScenarioInput
    from omni_sync.model.scenario import Channel, Step

    key = next(s.key for s in emulator.scenarios(account) if s.name == name)
    flow = (Step(channel=Channel(step[0]), sender=step[1]),)
    emulator.state.scenarios.update(
        account.account_id, key, ScenarioInput(flow=flow, name=new_name or name, default=default)
    )
    return key
