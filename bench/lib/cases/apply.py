"""Apply against the served emulator. The "apply phase" is the time from apply's first write
sent to its last write answered (measured by bench/lib/probe.py), free of start-up and planning.

- updates, no throttling (issue 4): N updates at latency L, parallelism P; floor N / P x L.
- creates under throttling (issue 8): with the server's sliding window of C creates per W
  seconds, N creates cannot finish sooner than (ceil(N / C) - 1) x W. Windows are scaled down
  (seconds, not 10 minutes) with the documented counts, so the floor is computable. With
  omni-sync's limits matching the server's: within 10% and no 429; with the server stricter
  than configured: within 50%.
- creates into a large account (issue 13): N creates into an account of S scenarios at page
  size 100 list the account at most three times (to plan, to check the plan is still fresh,
  and once after the creates for races): 3 x (floor(S / 100) + 1) GETs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bench.lib.context import Context
from bench.lib.emulator import ServerSettings, served
from bench.lib.measure import Measurement, omni_sync_argv, run_measured
from bench.lib.repo import served_environments, write_repo
from bench.lib.results import Check, Row

PARALLELISM = 10
UPDATES_GOAL = 1.3
MATCHED_GOAL = 1.10
STRICTER_GOAL = 1.5
APPLY = ("apply", "--auto-approve", "--force", "-e", "env-0")
# Unthrottled: omni-sync would otherwise pace itself to the documented 40 updates per 10 minutes.
PAGE = 100
LISTINGS = 3
NO_LIMITS = {"creates": 1_000_000, "updates": 1_000_000, "window_seconds": 1.0}


def apply(ctx: Context, name: str, settings: ServerSettings, files: int, **env: Any) -> Measurement:
    with served(settings) as server:
        repo = write_repo(ctx.scratch(name), files, served_environments(server.base_url, **env))
        return run_measured(
            omni_sync_argv(*APPLY, "--parallelism", str(PARALLELISM)),
            cwd=repo,
            env=server.all_key_env(),
        )


def updates(ctx: Context) -> list[Row]:
    n, latency = (50, 20.0) if ctx.quick else (200, 50.0)
    ctx.log(f"apply {n} updates at {latency:g} ms")
    settings = ServerSettings(scenarios=n, changed=n, latency_ms=latency)
    applied = apply(ctx, "apply-updates", settings, n, limits=NO_LIMITS)
    floor = n / PARALLELISM * latency / 1000
    phase = applied.write_span_s
    return [
        Row(
            "apply updates (P=10)",
            f"{n} at {latency:g} ms",
            applied,
            [Check("N/P x L", phase, floor, UPDATES_GOAL)],
            note=f"apply phase {phase:.2f} s",
        )
    ]


def throttled(ctx: Context, label: str, server_creates: int, goal: float) -> Row:
    n, creates, window = (20, 10, 1.0) if ctx.quick else (60, 20, 6.0)
    limits: Mapping[str, float] = {"creates": creates, "updates": 40, "window_seconds": window}
    server_limits = {
        "enabled": True,
        "window_seconds": window,
        "create_limit": server_creates,
        "update_limit": 40,
    }
    ctx.log(f"apply {n} creates, {label}")
    applied = apply(ctx, f"apply-{label}", ServerSettings(throttle=server_limits), n, limits=limits)
    floor = (math.ceil(n / server_creates) - 1) * window
    phase = applied.write_span_s
    checks = [Check("(ceil(N/C)-1) x W", phase, floor, goal)]
    if server_creates == creates:
        refused = applied.requests.get("429", 0)
        checks.append(Check("429", refused, 1, 0, unit="", floor_text="no 429 answer"))
    size = f"{n} creates, C={server_creates}/{window:g}s"
    return Row(f"apply creates, {label}", size, applied, checks, note=f"apply phase {phase:.2f} s")


def creates_into(ctx: Context) -> Row:
    held, new = (1_000, 20) if ctx.quick else (10_000, 20)
    ctx.log(f"apply {new} creates into {held:,} scenarios")
    settings = ServerSettings(scenarios=held)
    applied = apply(ctx, "apply-creates-into", settings, held + new, limits=NO_LIMITS)
    pages = held // PAGE + 1
    floor = LISTINGS * pages
    gets = applied.request_total("GET")
    checks = [
        Check(
            "GETs",
            gets,
            floor,
            1.0,
            unit="",
            floor_text=f"{LISTINGS} listings of {pages} pages: {floor} GETs",
        )
    ]
    return Row(f"{new} creates into {held:,}", f"page {PAGE}", applied, checks, note=f"{gets} GETs")


def run(ctx: Context) -> list[Row]:
    matched = 10 if ctx.quick else 20
    stricter = 7 if ctx.quick else 15
    return [
        *updates(ctx),
        throttled(ctx, "limits match", matched, MATCHED_GOAL),
        throttled(ctx, "server stricter", stricter, STRICTER_GOAL),
        creates_into(ctx),
    ]
