#!/usr/bin/env python3
"""How long `omni-sync validate` takes on 1,000 scenario files in one environment.

Generates a repository in a temporary folder (bench/lib/repo.py, the same files the scaling
case uses), then times validate in-process (first run: compiles every template; later runs:
the compiled templates are cached) and as a real process (`python -m omni_sync validate`, the
whole wall time a user sees: interpreter start, imports, work), with CPU time beside wall time
because this machine is shared. Reports, never asserts; the target from issue 2 is under 1 s of
wall time as a process.

    python bench/validate_1000.py [--files 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.repo import Environment, write_repo  # noqa: E402

TARGET_SECONDS = 1.0


def in_process(repo: Path, runs: int) -> list[float]:
    """CPU seconds of each in-process run (wall time is at the mercy of a shared machine)."""
    from omni_sync.load.validation import collect

    times = []
    for _ in range(runs):
        started = time.process_time()
        problems, _, desired = collect(repo, None, [])
        times.append(time.process_time() - started)
        if problems or len(desired["bench"].scenarios) == 0:
            raise SystemExit(f"validate found problems: {problems[:3]}")
    return times


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def as_process(repo: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each `python -m omni_sync validate`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times, cpu = [], []
    for _ in range(runs):
        cpu_before = children_cpu()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "omni_sync", "validate"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        cpu.append(children_cpu() - cpu_before)
        if result.returncode != 0:
            raise SystemExit(f"validate failed:\n{result.stdout}{result.stderr}")
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        repo = write_repo(Path(scratch), options.files, [Environment("bench")])
        wall, cpu = as_process(repo, options.runs)
        inside = in_process(repo, options.runs)
    load = os.getloadavg()[0]
    print(f"omni-sync validate, {options.files:,} scenario files, 1 environment")
    print(f"  machine: {os.cpu_count()} cores, load average {load:.2f}")
    print(f"  in-process CPU, first run:         {inside[0] * 1000:7.0f} ms")
    if len(inside) > 1:
        print(
            f"  in-process CPU, later runs median: {statistics.median(inside[1:]) * 1000:7.0f} ms"
        )
    for label, values in (("wall", wall), ("CPU ", cpu)):
        print(
            f"  as a process, {label} median:        {statistics.median(values) * 1000:7.0f} ms"
            f"  (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, {len(values)} runs)"
        )
    for label, value in (("wall", min(wall)), ("CPU", statistics.median(cpu))):
        verdict = "within" if value < TARGET_SECONDS else "OVER"
        print(f"  target under {TARGET_SECONDS:.0f} s, {label}: {verdict} ({value:.2f} s)")
    if load > (os.cpu_count() or 1):
        print("  note: the machine is busier than its cores; wall times include waiting for a CPU")


if __name__ == "__main__":
    main()
