"""Real processes: an apply killed with SIGKILL at random points, then run again, converges with
no duplicates; Ctrl-C stops after the requests in flight and says what was done (applies at
once: test_races.py)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from bench.lib.chaos import Workspace, duplicates
from bench.lib.crash import SCENARIOS, converge, crash_seed, desired, read_until, start_apply
from omni_sync.emulator.harness import EmulatorHarness


def test_sigkill_at_random_points_then_rerun_converges(emulator: EmulatorHarness) -> None:
    at_kill = []
    for seed in range(10):
        counts, held = crash_seed(emulator, seed, anywhere=seed % 4 == 0)
        assert counts.problems == []
        assert counts.converged == 1
        at_kill.append(held)
    assert sum(0 < held < SCENARIOS for held in at_kill) >= 3, at_kill


def test_ctrl_c_stops_after_requests_in_flight_and_says_what_was_done(
    emulator: EmulatorHarness, tmp_path: Path
) -> None:
    space = Workspace(emulator, tmp_path)
    wanted = desired("c", 20)
    space.write(wanted)
    # Slow enough that 20 creates, two at a time, take seconds: the signal is sent once the
    # first has landed upstream, so it always arrives mid-apply however busy the machine is.
    emulator.set_faults(latency_ms=300)
    process = start_apply(space, "--parallelism", "2")
    before = read_until(process, "Plan: 20 to add")
    deadline = time.monotonic() + 30
    while not space.upstream() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    emulator.set_faults()
    assert process.returncode == 1, (out, err)
    assert "Traceback" not in err + out
    assert "interrupted" in err
    report = out.splitlines()
    created = [line for line in report if line.strip().startswith("+ created")]
    skipped = [line for line in report if line.strip().startswith(". not attempted")]
    upstream = space.upstream()
    assert 0 < len(created) < 20, "".join(before) + out
    assert len(created) + len(skipped) == 20
    assert len(upstream) == len(created)
    for remote in upstream:
        assert any(f'"{remote.name}" ({remote.key})' in line for line in created)
    assert converge(space, wanted)
    assert duplicates(space.upstream()) == 0
