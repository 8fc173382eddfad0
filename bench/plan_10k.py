#!/usr/bin/env python3
"""How long `omni-sync plan` takes for 10,000 scenarios in one environment, embedded emulator.

Writes a repository whose one scenario file holds N scenarios (block YAML as people write it;
``--style json`` writes the same as JSON, YAML's flow style), seeds the embedded account's
database (<repo>/.omni-sync/bench.db) with the same scenarios, `--changed` of them differing,
then runs `python -m omni_sync --debug plan -e bench` as a process: wall time, CPU time, peak
memory (the child's max RSS) and the number of list requests (from the --debug log). Also the
in-process time of the pure diff alone. Reports, never asserts. Targets from issue 4: under 2 s
wall, under 200 MB peak, at most ceil(N / page_limit) + 1 list requests.

    python bench/plan_10k.py [--scenarios 10000] [--changed 100] [--page-limit 1000] [--runs 3]
                             [--style yaml|json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.measure import compile_package  # noqa: E402
from bench.lib.repo import FLOWS, VARS, scenario_name  # noqa: E402

ENV = "bench"


def write_repo(root: Path, count: int, page_limit: int, style: str = "yaml") -> None:
    config = {"environments": {ENV: {"vars": VARS, "page_limit": page_limit}}}
    (root / "omni-sync.yaml").write_text(json.dumps(config))
    scenarios = [
        {
            "name": scenario_name(index),
            "default": index == 0,
            "flow": [{"channel": c, "from": sender} for c, _, sender in FLOWS[index % len(FLOWS)]],
        }
        for index in range(count)
    ]
    (root / "scenarios.d").mkdir()
    text = json.dumps(scenarios) if style == "json" else yaml.safe_dump(scenarios, sort_keys=False)
    (root / "scenarios.d" / "all.yaml").write_text(text)


def seed_embedded(root: Path, count: int, changed: int) -> None:
    from bench.lib.seeding import seed
    from omni_sync.client.connect import embedded_db
    from omni_sync.emulator.embedded import EMBEDDED_ACCOUNT, open_embedded

    account = open_embedded(embedded_db(root, ENV))
    try:
        seed(account.state, EMBEDDED_ACCOUNT, count, changed)
    finally:
        account.close()


def run_timed(
    argv: list[str], cwd: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """``argv`` as a child process: its result, wall seconds and CPU seconds (its own)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, wall, cpu


def run_plan(root: Path) -> tuple[float, float, int, int, str]:
    """Wall s, CPU s, list requests, exit code, the plan's summary line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "omni_sync", "--debug", "plan", "-e", ENV]
    result, wall, cpu = run_timed(argv, root, env)
    lists = sum(
        1 for line in result.stderr.splitlines() if "GET " in line and "/omni/1/scenarios?" in line
    )
    summary = next(
        (line for line in result.stdout.splitlines() if line.startswith(("Plan:", "No changes"))),
        "",
    )
    return wall, cpu, lists, result.returncode, summary or result.stderr[-300:]


def diff_alone(root: Path) -> float:
    """Seconds for make_plan alone (the pure part), in-process."""
    import asyncio

    from omni_sync.client import open_client
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired
    from omni_sync.model.scenario import RemoteScenario
    from omni_sync.plan.diff import make_plan

    project = load_project(root)
    environment = project.environments[ENV]
    desired = load_desired(project, environment)

    async def listed() -> list[RemoteScenario]:
        async with open_client(project.root, environment) as client:
            return await client.list_scenarios()

    actual = asyncio.run(listed())
    started = time.perf_counter()
    make_plan(desired, actual)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--page-limit", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--style", choices=("yaml", "json"), default="yaml")
    options = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        write_repo(root, options.scenarios, options.page_limit, options.style)
        started = time.perf_counter()
        seed_embedded(root, options.scenarios, options.changed)
        seeded = time.perf_counter() - started
        runs = [run_plan(root) for _ in range(options.runs)]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pure = diff_alone(root)
    walls = [run[0] for run in runs]
    cpus = [run[1] for run in runs]
    lists = runs[0][2]
    allowed = math.ceil(options.scenarios / options.page_limit) + 1
    print(
        f"omni-sync plan, {options.scenarios:,} scenarios ({options.changed} changed) in one "
        f"{options.style} file, embedded"
    )
    print(f"  machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"  seeding the account (setup, not measured): {seeded:.1f} s")
    print(
        f"  plan as a process, wall median {statistics.median(walls):.2f} s (min {min(walls):.2f})"
    )
    print(f"  plan as a process, CPU median  {statistics.median(cpus):.2f} s")
    print(f"  make_plan alone (pure diff):   {pure * 1000:.0f} ms")
    print(f"  peak memory (max RSS):         {peak_mb:.0f} MB")
    print(f"  list requests: {lists} (allowed {allowed} at page_limit {options.page_limit})")
    print(f"  result: {runs[0][4]} (exit {runs[0][3]})")
    for label, value, target in (
        ("wall (best run)", min(walls), "under 2 s"),
        ("peak memory", peak_mb, "under 200 MB"),
    ):
        limit = 2.0 if "2 s" in target else 200.0
        print(f"  target {target}, {label}: {'within' if value < limit else 'OVER'} ({value:.2f})")
    print(
        f"  target <= {allowed} list requests: {'within' if lists <= allowed else 'OVER'} ({lists})"
    )


if __name__ == "__main__":
    main()
