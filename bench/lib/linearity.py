"""How cost grows with size: per-item cost against the smallest size, last vs first step.

Time is CPU time: on a shared machine wall time at small sizes is mostly noise (waiting for a
CPU), which would make a linear command look super-linear or sub-linear at random."""

from __future__ import annotations

from collections.abc import Sequence

from bench.lib.measure import Measurement
from bench.lib.results import Check, format_quantity

GOAL = 1.5


def per_item(points: Sequence[tuple[int, float]]) -> list[float]:
    """``(v_k - v_0) / (N_k - N_0)`` for each size after the smallest."""
    (n0, v0), rest = points[0], points[1:]
    return [(value - v0) / (n - n0) for n, value in rest]


def linearity_checks(points: Sequence[tuple[int, Measurement]]) -> list[Check]:
    """With three sizes or more: is the per-item cost at the largest size within GOAL of the
    per-item cost at the second one? Linear growth gives 1.0, quadratic about N_last/N_1."""
    if len(points) < 3:
        return []
    checks = []
    series = {
        ("CPU/item", "s"): [(n, m.cpu_s) for n, m in points],
        ("memory/item", "MB"): [(n, m.peak_mb) for n, m in points],
    }
    for (what, unit), values in series.items():
        costs = per_item(values)
        first, last = costs[0], costs[-1]
        if first <= 0:
            first = max(last, 1e-9)
        text = f"{what} at N={points[1][0]:,}: {_per_thousand(first, unit)}"
        checks.append(Check(what, last, first, GOAL, unit=unit, floor_text=text))
    return checks


def _per_thousand(value: float, unit: str) -> str:
    return f"{format_quantity(value * 1000, unit)}/1k"
