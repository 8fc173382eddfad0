"""Randomized fault runs (fixed seeds): latency, 5xx, 429 bursts and connections dropped after
commit. Repeated applies converge within three runs to exactly the files, with no duplicate
scenario, no lost update, and reports that say only what really happened."""

from __future__ import annotations

import pytest

from bench.lib.chaos import MAX_APPLIES, Counts, run_seed
from omni_sync.emulator.harness import EmulatorHarness

SEEDS = range(30)


@pytest.mark.parametrize("seed", SEEDS)
def test_applies_converge_under_faults(emulator: EmulatorHarness, seed: int) -> None:
    counts = run_seed(emulator, seed, log=lambda _line: None)
    assert counts.problems == []
    assert counts.converged == 1
    assert counts.duplicates == 0
    assert counts.lost_updates == 0
    assert counts.untruthful == 0
    assert 1 <= counts.applies <= MAX_APPLIES


def test_the_seeds_really_inject_every_kind_of_fault(emulator: EmulatorHarness) -> None:
    total = Counts()
    for seed in (3, 4):
        total.add(run_seed(emulator, seed, log=lambda _line: None))
    assert total.faults > 0
    assert total.runs == 2
    assert total.converged == 2
