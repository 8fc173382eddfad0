"""With 10% of connections dropped after commit and 20% of requests failing with 5xx, repeated
applies converge and never create a scenario twice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import Cli


@pytest.mark.parametrize("seed", [1, 2])
def test_repeated_applies_converge_without_duplicates(
    repo: Path, run: Cli, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    channels = [("SMS", "Shop"), ("VIBER", "3045"), ("EMAIL", "a@example.com")]
    write_scenarios(
        repo,
        *(
            scenario(f"s{i:02d}", channels[i % 3], channels[(i + 1) % 3], default=i == 7)
            for i in range(30)
        ),
    )
    emulator.set_faults(drop_share=0.1, share_500=0.1, share_503=0.1, seed=seed)
    for _ in range(8):
        if run("apply", "--auto-approve", "--force").code == 0:
            break
    emulator.set_faults()
    assert run("plan", "--detailed-exitcode").code == 0
    names = Counter(s.name for s in emulator.scenarios(account))
    assert set(names) == {f"s{i:02d}" for i in range(30)}
    assert max(names.values()) == 1
    assert [s.name for s in emulator.scenarios(account) if s.default] == ["s07"]
