"""Concurrent applies as real processes: two ``apply --auto-approve`` of the same files at once
on one account, twenty times; after one more apply each account holds exactly one scenario per
managed name (the others retired, none of them default) and the next plan says "No changes."."""

from __future__ import annotations

from bench.lib.chaos import Counts
from bench.lib.races import race_pair
from omni_sync.emulator.harness import EmulatorHarness

PAIRS = 20


def test_twenty_pairs_of_concurrent_applies_end_with_one_scenario_per_name(
    emulator: EmulatorHarness,
) -> None:
    total = Counts()
    left_by_pairs = []
    for seed in range(PAIRS):
        emulator.reset()
        counts, left = race_pair(emulator, seed)
        total.add(counts)
        left_by_pairs.append(left)
    assert total.problems == [], left_by_pairs
    assert total.duplicates == 0
    assert total.converged == PAIRS
