"""How validate (and plan, once seeded accounts are possible) grow with the number of
scenarios: N = 100 ... 50,000, time and peak memory per size, a linearity check, and the
issue 2 limit (validate 1,000 files in under 1 s)."""

from __future__ import annotations

from bench.lib.context import Context
from bench.lib.linearity import linearity_checks
from bench.lib.measure import Measurement, omni_sync_argv, run_measured
from bench.lib.repo import Environment, write_repo
from bench.lib.results import Check, Row

QUICK_SIZES = (100, 500, 1_000)
FULL_SIZES = (100, 1_000, 10_000, 50_000)
VALIDATE_LIMIT_N = 1_000
VALIDATE_LIMIT_S = 1.0


def run(ctx: Context) -> list[Row]:
    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    rows: list[Row] = []
    points: list[tuple[int, Measurement]] = []
    for n in sizes:
        repo = write_repo(ctx.scratch(f"validate-{n}"), n, [Environment("bench")])
        ctx.log(f"validate {n:,} files")
        measured = run_measured(
            omni_sync_argv("validate", count_requests=False), cwd=repo, timeout=900
        )
        points.append((n, measured))
        checks = []
        if n == VALIDATE_LIMIT_N:
            checks.append(Check("limit", measured.wall_s, VALIDATE_LIMIT_S, 1.0))
        rows.append(Row("validate", f"{n:,} files", measured, checks))
    ctx.series["validate"] = points
    rows.append(
        Row(
            "validate: linear?",
            f"{sizes[1]:,}-{sizes[-1]:,}",
            checks=linearity_checks(points),
        )
    )
    return rows
