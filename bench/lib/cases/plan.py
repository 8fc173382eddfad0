"""Plan against the served emulator with injected latency.

- plan vs refresh: omni-sync reads an account in list pages; the floor is the fewest list
  requests that can show every scenario (no total is returned, so reading stops at the first
  short page: floor(N / page) + 1). Side by side, same data and latency, same run: a
  Terraform-style refresh that lists, then GETs each scenario 10 at a time.
- many environments (issue 5): E accounts planned in one run take about as long as one."""

from __future__ import annotations

import json
import sys

from bench.lib.context import Context
from bench.lib.emulator import ServerSettings, served
from bench.lib.measure import omni_sync_argv, run_measured
from bench.lib.repo import served_environments, write_repo
from bench.lib.results import Check, Row

PAGE = 100
TERRAFORM_PARALLELISM = 10
MANY_ENVS_GOAL = 2.0


def list_floor(scenarios: int, page: int = PAGE) -> int:
    return scenarios // page + 1


def plan_vs_refresh(ctx: Context) -> list[Row]:
    n, latency = (150, 10.0) if ctx.quick else (1_000, 50.0)
    size = f"{n:,} at {latency:g} ms"
    with served(ServerSettings(scenarios=n, latency_ms=latency)) as server:
        envs = served_environments(server.base_url, page_limit=PAGE)
        repo = write_repo(ctx.scratch("plan-vs-refresh"), n, envs)
        ctx.log(f"plan vs refresh: {size}")
        plan = run_measured(omni_sync_argv("plan"), cwd=repo, env=server.all_key_env())
        settings = {
            "base_url": server.base_url,
            "key": server.keys[0],
            "page_limit": PAGE,
            "parallelism": TERRAFORM_PARALLELISM,
        }
        refresh = run_measured(
            [sys.executable, "-m", "bench.lib.refresh", json.dumps(settings)], cwd=ctx.workdir
        )
    floor = list_floor(n)
    return [
        Row(
            "plan (list pages)",
            size,
            plan,
            [
                Check("list floor", plan.request_total("GET"), floor, 1.0, unit="req"),
                Check("refresh wall", plan.wall_s, refresh.wall_s, 1.0),
            ],
        ),
        Row(
            "refresh (list + GET each, x10)",
            size,
            refresh,
            note=f"the comparison: {refresh.request_total('GET') / floor:.0f}x the list floor",
        ),
    ]


def many_environments(ctx: Context) -> list[Row]:
    envs, n, latency = (3, 50, 20.0) if ctx.quick else (20, 200, 50.0)
    size = f"{envs} x {n} at {latency:g} ms"
    with served(ServerSettings(accounts=envs, scenarios=n, latency_ms=latency)) as server:
        repo = write_repo(ctx.scratch("many-envs"), n, served_environments(server.base_url, envs))
        keys = server.all_key_env()
        ctx.log(f"many environments: {size}")
        one = run_measured(omni_sync_argv("plan", "-e", "env-0"), cwd=repo, env=keys)
        every = run_measured(omni_sync_argv("plan", "--all"), cwd=repo, env=keys)
    return [
        Row("plan one environment", f"1 x {n} at {latency:g} ms", one, note="the floor below"),
        Row(
            "plan all environments",
            size,
            every,
            [Check("one environment", every.wall_s, one.wall_s, MANY_ENVS_GOAL)],
        ),
    ]


def run(ctx: Context) -> list[Row]:
    return [*plan_vs_refresh(ctx), *many_environments(ctx)]
