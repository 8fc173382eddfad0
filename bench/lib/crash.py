"""Applies as real processes, killed with SIGKILL at random points, then run again: shared by
tests/reliability and bench/soak."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.lib.chaos import (
    KEY_VARIABLE,
    Counts,
    Workspace,
    duplicates,
    fast_retries,
    lost_updates,
)
from omni_sync.emulator.harness import EmulatorHarness

REPO_ROOT = Path(__file__).resolve().parents[2]
CHANNELS = [("SMS", "Shop"), ("VIBER", "3045"), ("EMAIL", "a@example.com")]
SCENARIOS = 12


def desired(prefix: str, count: int) -> list[dict[str, Any]]:
    return [
        {
            "name": f"{prefix}{i:02d}",
            "default": i == 0,
            "flow": [
                {"channel": c, "from": s} for c, s in (CHANNELS[i % 3], CHANNELS[(i + 1) % 3])
            ],
        }
        for i in range(count)
    ]


def start_apply(space: Workspace, *extra: str) -> subprocess.Popen[str]:
    """``omni-sync apply --auto-approve --force`` as a real process on the workspace."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
    env.update({"PYTHONPATH": str(REPO_ROOT), KEY_VARIABLE: space.account.secret})
    command = [sys.executable, "-m", "omni_sync", "-C", str(space.root), "apply"]
    return subprocess.Popen(
        [*command, "--auto-approve", "--force", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_until(process: subprocess.Popen[str], marker: str) -> list[str]:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never printed: {''.join(lines)}")


def converge(space: Workspace, wanted: list[dict[str, Any]]) -> bool:
    """Apply again (twice at most); True when plan then shows no changes."""
    with fast_retries():
        for _ in range(2):
            if space.cli("apply", "--auto-approve", "--force")[0] == 0:
                break
        return space.cli("plan", "--detailed-exitcode")[0] == 0


def crash_seed(emulator: EmulatorHarness, seed: int, anywhere: bool = False) -> tuple[Counts, int]:
    """Kill one apply (while applying, or ``anywhere``), run again; the counts and how many
    scenarios the account held at the kill."""
    rng = random.Random(seed)
    counts = Counts(runs=1, applies=1, faults=1)
    with tempfile.TemporaryDirectory() as folder:
        space = Workspace(emulator, Path(folder))
        wanted = desired(f"k{seed}-", SCENARIOS)
        space.write(wanted)
        # Slow enough that a kill at a random moment mostly lands while writes are under way.
        emulator.set_faults(latency_ms=100)
        process = start_apply(space, "--parallelism", "2")
        if anywhere:
            time.sleep(rng.uniform(0.2, 2.0))
        else:
            read_until(process, f"Plan: {SCENARIOS} to add")
            time.sleep(rng.uniform(0.0, 1.2))
        process.kill()
        process.communicate(timeout=30)
        emulator.set_faults()
        at_kill = len(space.upstream())
        counts.duplicates += duplicates(space.upstream())
        counts.converged += converge(space, wanted)
        counts.applies += 1
        counts.duplicates += duplicates(space.upstream())
        lost = lost_updates(space.upstream(), wanted)
        counts.lost_updates += len(lost)
        if lost or counts.duplicates or not counts.converged:
            counts.problems.append(f"crash seed {seed}: lost {lost}, dup {counts.duplicates}")
    return counts, at_kill
