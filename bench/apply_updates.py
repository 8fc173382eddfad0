#!/usr/bin/env python3
"""How long `omni-sync apply` takes for 200 updates when every request takes 50 ms.

Two services, each holding 200 scenarios that all differ from the generated files, with the
environment's write limits set high enough not to pace; the apply engine alone is timed
(apply_plan over the real client), after an in-process plan:

- ``served``: the emulator in its own process (bench/lib/emulator.py), real HTTP on loopback,
  50 ms of latency on every request. Its own write throughput (SQLite commits, one uvicorn
  worker) bounds this figure too: compare with ``--latency-ms 0``.
- ``ideal``: an in-memory service behind httpx.MockTransport that only sleeps the latency, so
  the figure is the client and engine's own concurrency.

Reports, never asserts. Target from issue 4: within 1.3 x (200 / parallelism x 50 ms).

    python bench/apply_updates.py [--updates 200] [--latency-ms 50] [--parallelism 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.emulator import ServerSettings, key_variable, served  # noqa: E402
from bench.lib.repo import Environment, write_repo  # noqa: E402

ENV = "bench"
NO_PACING = {"creates": 100_000, "updates": 100_000, "window_seconds": 600}


async def plan_and_apply(root: Path, parallelism: int) -> tuple[float, int, int]:
    """Seconds of the apply alone, changes applied, changes planned."""
    from omni_sync.apply.engine import ApplyControl, apply_plan
    from omni_sync.apply.report import Fate
    from omni_sync.client import open_client
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired
    from omni_sync.plan.diff import make_plan

    project = load_project(root)
    environment = project.environments[ENV]
    desired = load_desired(project, environment)
    async with open_client(project.root, environment) as client:
        plan = make_plan(desired, await client.list_scenarios())
        started = time.perf_counter()
        report = await apply_plan(client, plan, ApplyControl(parallelism=parallelism))
        elapsed = time.perf_counter() - started
    return elapsed, len(report.of(Fate.APPLIED)), len(plan.changes)


class SleepingService:
    """Answers like the API after sleeping the latency; holds scenarios in a dict."""

    def __init__(self, updates: int, latency_ms: float) -> None:
        from bench.lib.repo import api_body

        self.latency = latency_ms / 1000
        self.scenarios = {
            f"K{index:05d}": {"key": f"K{index:05d}", **api_body(index, changed=True)}
            for index in range(updates)
        }

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.latency)
        if request.method == "GET":
            return httpx.Response(200, json={"scenarios": list(self.scenarios.values())})
        key = request.url.path.rsplit("/", 1)[-1]
        self.scenarios[key] = {"key": key, **json.loads(request.content)}
        return httpx.Response(200, json=self.scenarios[key])


async def ideal_apply(
    root: Path, updates: int, latency_ms: float, parallelism: int
) -> tuple[float, int, int]:
    from omni_sync.apply.engine import ApplyControl, apply_plan
    from omni_sync.apply.report import Fate
    from omni_sync.client.omni import OmniClient
    from omni_sync.client.pacing import WriteWindow
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_desired
    from omni_sync.plan.diff import make_plan

    project = load_project(root)
    desired = load_desired(project, project.environments[ENV])
    transport = httpx.MockTransport(SleepingService(updates, latency_ms))
    async with httpx.AsyncClient(base_url="https://bench.invalid", transport=transport) as http:
        client = OmniClient(
            http,
            environment=ENV,
            page_limit=1000,
            creates=WriteWindow(100_000, 600),
            updates=WriteWindow(100_000, 600),
        )
        plan = make_plan(desired, await client.list_scenarios())
        started = time.perf_counter()
        report = await apply_plan(client, plan, ApplyControl(parallelism=parallelism))
        elapsed = time.perf_counter() - started
    return elapsed, len(report.of(Fate.APPLIED)), len(plan.changes)


def ideal_run(updates: int, latency_ms: float, parallelism: int) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as scratch:
        root = write_repo(Path(scratch), updates, [Environment(ENV)])
        return asyncio.run(ideal_apply(root, updates, latency_ms, parallelism))


def one_run(updates: int, latency_ms: float, parallelism: int) -> tuple[float, int, int]:
    settings = ServerSettings(scenarios=updates, changed=updates, latency_ms=latency_ms)
    with served(settings) as server, tempfile.TemporaryDirectory() as scratch:
        environment = Environment(
            ENV,
            base_url=server.base_url,
            key_env=key_variable(0),
            page_limit=1000,
            limits=NO_PACING,
        )
        root = write_repo(Path(scratch), updates, [environment])
        os.environ.update(server.key_env(0))
        return asyncio.run(plan_and_apply(root, parallelism))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    args = (options.updates, options.latency_ms, options.parallelism)
    ideal = options.updates / options.parallelism * options.latency_ms / 1000
    limit = 1.3 * ideal
    print(
        f"omni-sync apply, {options.updates} updates, {options.latency_ms:.0f} ms latency, "
        f"parallelism {options.parallelism}"
    )
    print(f"  machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"  expected {ideal:.2f} s; target within 1.3 x = {limit:.2f} s")
    for label, run in (("served", one_run), ("ideal", ideal_run)):
        runs = [run(*args) for _ in range(options.runs)]
        times = [elapsed for elapsed, _, _ in runs]
        best = min(times)
        verdict = "within" if best <= limit else "OVER"
        ratio = f"{best / ideal:.2f} x expected" if ideal else "no latency"
        print(
            f"  {label:6} applied {runs[0][1]}/{runs[0][2]}: median "
            f"{statistics.median(times):.2f} s, best {best:.2f} s: {verdict} ({ratio})"
        )


if __name__ == "__main__":
    main()
