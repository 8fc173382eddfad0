"""Real processes: an apply killed with SIGKILL at random points, then run again, converges with
no duplicates; Ctrl-C stops after the requests in flight and says what was done; two applies at
once never leave a silent duplicate."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench.lib.chaos import KEY_VARIABLE, Workspace, duplicates, fast_retries, lost_updates
from omni_sync.emulator.harness import EmulatorHarness
from tests.conftest import REPO_ROOT

CHANNELS = [("SMS", "Shop"), ("VIBER", "3045"), ("EMAIL", "a@example.com")]


def desired(prefix: str, count: int) -> list[dict[str, object]]:
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


def converge(space: Workspace, wanted: list[dict[str, object]]) -> None:
    with fast_retries():
        for _ in range(2):
            if space.cli("apply", "--auto-approve", "--force")[0] == 0:
                break
        assert space.cli("plan", "--detailed-exitcode")[0] == 0
    assert duplicates(space.upstream()) == 0
    assert lost_updates(space.upstream(), wanted) == []


def test_sigkill_at_random_points_then_rerun_converges(
    emulator: EmulatorHarness, tmp_path: Path
) -> None:
    rng = random.Random(7)
    created_at_kill = []
    for run in range(10):
        root = tmp_path / f"run{run}"
        root.mkdir()
        space = Workspace(emulator, root)
        wanted = desired(f"r{run}-", 12)
        space.write(wanted)
        emulator.set_faults(latency_ms=15)
        process = start_apply(space, "--parallelism", "2")
        if run % 4 == 0:  # anywhere, planning included
            time.sleep(rng.uniform(0.2, 2.0))
        else:  # while applying
            read_until(process, "Plan: 12 to add")
            time.sleep(rng.uniform(0.0, 1.2))
        process.kill()
        process.communicate(timeout=30)
        emulator.set_faults()
        created_at_kill.append(len(space.upstream()))
        assert duplicates(space.upstream()) == 0
        converge(space, wanted)
    assert sum(0 < count < 12 for count in created_at_kill) >= 3, created_at_kill


def read_until(process: subprocess.Popen[str], marker: str) -> list[str]:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never printed: {''.join(lines)}")


def test_ctrl_c_stops_after_requests_in_flight_and_says_what_was_done(
    emulator: EmulatorHarness, tmp_path: Path
) -> None:
    space = Workspace(emulator, tmp_path)
    wanted = desired("c", 20)
    space.write(wanted)
    emulator.set_faults(latency_ms=60)
    process = start_apply(space, "--parallelism", "2")
    before = read_until(process, "Plan: 20 to add")
    time.sleep(0.8)
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
    converge(space, wanted)


@pytest.mark.parametrize("round_", range(3))
def test_two_applies_at_once_never_leave_a_silent_duplicate(
    emulator: EmulatorHarness, tmp_path: Path, round_: int
) -> None:
    space = Workspace(emulator, tmp_path)
    space.write(desired(f"p{round_}-", 6))
    emulator.set_faults(latency_ms=5 * round_)
    first, second = start_apply(space), start_apply(space)
    said = "".join(first.communicate(timeout=60) + second.communicate(timeout=60))
    emulator.set_faults()
    assert "Traceback" not in said
    counts = Counter(remote.name for remote in space.upstream())
    assert set(counts) == {f"p{round_}-{i:02d}" for i in range(6)}
    for name, count in counts.items():
        if count > 1:
            keys = [r.key for r in space.upstream() if r.name == name]
            assert any(all(key in line for key in keys) for line in said.splitlines()), said
