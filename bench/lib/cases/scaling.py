"""How validate and plan grow with the number of scenarios: N = 100 ... 50,000, time and peak
memory per size, a linearity check, and the limits of issue 2 (validate 1,000 files in under
1 s) and issue 4 (plan 10,000 scenarios against the embedded emulator in under 2 s and
200 MB, with at most ceil(N / page) + 1 list requests). Plan runs with no changes to find:
the embedded account is seeded with exactly what the files describe."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

from bench.lib.context import Context
from bench.lib.linearity import linearity_checks
from bench.lib.measure import Measurement, omni_sync_argv, run_measured
from bench.lib.repo import Environment, write_repo
from bench.lib.results import Check, Row

QUICK_SIZES = (100, 300, 1_000)
FULL_SIZES = (100, 1_000, 10_000, 50_000)
VALIDATE_LIMIT = (1_000, 1.0)
PLAN_LIMIT = (10_000, 2.0, 200.0)
PAGE = 1_000  # the largest page the emulator serves
ENV = "bench"
REPEATED_UP_TO = 10_000
"""Sizes up to this (those with a goal) are measured three times, keeping the run with the median
CPU time: the step from 100 to 1,000 scenarios costs less CPU than one run varies by on a shared
machine, and the linearity check divides by it."""


def validate_checks(n: int, measured: Measurement) -> list[Check]:
    size, seconds = VALIDATE_LIMIT
    return [Check("limit", measured.wall_s, seconds, 1.0)] if n == size else []


def plan_checks(n: int, measured: Measurement) -> list[Check]:
    lists = Check("list limit", measured.request_total("GET"), math.ceil(n / PAGE) + 1, 1.0, "req")
    size, seconds, megabytes = PLAN_LIMIT
    if n != size:
        return [lists]
    return [
        Check("limit", measured.wall_s, seconds, 1.0),
        Check("limit", measured.peak_mb, megabytes, 1.0, unit="MB"),
        lists,
    ]


def measure_size(ctx: Context, n: int) -> tuple[Measurement, Measurement]:
    repo = write_repo(ctx.scratch(f"scaling-{n}"), n, [Environment(ENV, page_limit=PAGE)])
    runs = 3 if n <= REPEATED_UP_TO else 1
    ctx.log(f"validate {n:,} files" + (f" ({runs} runs)" if runs > 1 else ""))
    validated = median_run(
        runs,
        lambda: run_measured(
            omni_sync_argv("validate", count_requests=False), cwd=repo, timeout=900
        ),
    )
    seed_embedded(repo, n)
    ctx.log(f"plan {n:,} scenarios (embedded)" + (f" ({runs} runs)" if runs > 1 else ""))
    planned = median_run(
        runs, lambda: run_measured(omni_sync_argv("plan", "-e", ENV), cwd=repo, timeout=900)
    )
    return validated, planned


def median_run(runs: int, measure: Callable[[], Measurement]) -> Measurement:
    """The run with the median CPU time of ``runs``."""
    measured = sorted((measure() for _ in range(runs)), key=lambda m: m.cpu_s)
    return measured[len(measured) // 2]


def seed_embedded(repo: Path, n: int) -> None:
    argv = [sys.executable, "-m", "bench.lib.seeding", str(repo), ENV, str(n)]
    run_measured(argv, cwd=repo, timeout=900)


def run(ctx: Context) -> list[Row]:
    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    series: dict[str, list[tuple[int, Measurement]]] = {"validate": [], "plan (embedded)": []}
    rows: list[Row] = []
    for n in sizes:
        validated, planned = measure_size(ctx, n)
        series["validate"].append((n, validated))
        series["plan (embedded)"].append((n, planned))
        rows.append(Row("validate", f"{n:,} files", validated, validate_checks(n, validated)))
        rows.append(Row("plan (embedded)", f"{n:,} scenarios", planned, plan_checks(n, planned)))
    span = f"{sizes[1]:,}-{sizes[-1]:,}"
    for name, points in series.items():
        rows.append(Row(f"{name}: linear?", span, checks=linearity_checks(points)))
    ctx.series.update(series)
    return rows
