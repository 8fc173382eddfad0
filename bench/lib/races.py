"""Two applies of the same files at once, as real processes on one account, then one more apply:
the account must end with exactly one scenario per managed name and the next plan must say
"No changes." Shared by tests/reliability and bench/soak."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from bench.lib.chaos import Counts, Workspace, fast_retries
from bench.lib.crash import desired, start_apply
from omni_sync.emulator.harness import EmulatorHarness
from omni_sync.model.scenario import RemoteScenario
from omni_sync.plan.duplicates import is_retired

RACE_SCENARIOS = 5


def managed_duplicates(upstream: list[RemoteScenario], names: set[str]) -> int:
    """Scenarios beyond the first of each managed name (retired ones are renamed aside)."""
    counts = Counter(remote.name for remote in upstream if remote.name in names)
    return sum(count - 1 for count in counts.values())


def race_pair(emulator: EmulatorHarness, seed: int) -> tuple[Counts, int]:
    """One pair of concurrent applies and the apply after; the counts (``duplicates``: left
    after that apply) and how many duplicates the pair itself left for it to repair."""
    rng = random.Random(seed)
    counts = Counts(runs=1, applies=3)
    with tempfile.TemporaryDirectory() as folder:
        space = Workspace(emulator, Path(folder))
        wanted = desired(f"r{seed}-", RACE_SCENARIOS)
        names = {item["name"] for item in wanted}
        space.write(wanted)
        emulator.set_faults(latency_ms=rng.choice([0.0, 2.0, 5.0]))
        pair = [start_apply(space), start_apply(space)]
        said = "".join(part for process in pair for part in process.communicate(timeout=120))
        emulator.set_faults()
        if "Traceback" in said:
            counts.problems.append(f"race seed {seed}: a traceback: {said}")
        left_by_pair = managed_duplicates(space.upstream(), names)
        with fast_retries():
            again, out, err = space.cli("apply", "--auto-approve", "--force")
            clean = space.cli("plan", "--detailed-exitcode")[0]
        upstream = space.upstream()
        counts.duplicates += managed_duplicates(upstream, names)
        counts.converged += clean == 0 and again == 0
        default = [remote for remote in upstream if remote.default]
        retired_default = [remote.key for remote in default if is_retired(remote)]
        if again != 0 or clean != 0 or counts.duplicates or retired_default:
            counts.problems.append(
                f"race seed {seed}: apply after {again}, plan {clean}, duplicates "
                f"{counts.duplicates}, retired default {retired_default}: {out}{err}"
            )
    return counts, left_by_pair
