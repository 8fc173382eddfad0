"""Fill an emulator account with the generated repository's scenarios, straight into the store."""

from __future__ import annotations

from bench.lib.repo import api_body
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.emulator.state import EmulatorState
from omni_sync.model.scenario import Step


def seed(state: EmulatorState, account: str, scenarios: int, changed: int = 0) -> None:
    """``scenarios`` scenarios as the generated files describe them, the first ``changed``
    with another SMS sender (so a plan has that many updates)."""
    for index in range(scenarios):
        body = api_body(index, changed=index < changed)
        flow = tuple(Step.model_validate(step) for step in body["flow"])
        state.scenarios.create(
            account, ScenarioInput(flow=flow, name=body["name"], default=body["default"])
        )


def seed_embedded(root: str, environment: str, scenarios: int) -> None:
    """The embedded account of ``environment`` in the repository at ``root``."""
    from pathlib import Path

    from omni_sync.emulator.embedded import EMBEDDED_ACCOUNT, open_embedded

    account = open_embedded(Path(root) / ".omni-sync" / f"{environment}.db")
    try:
        seed(account.state, EMBEDDED_ACCOUNT, scenarios)
    finally:
        account.close()


if __name__ == "__main__":
    import sys

    seed_embedded(sys.argv[1], sys.argv[2], int(sys.argv[3]))
