"""The scaling plot (docs/scaling.png): CPU time (wall time on a shared machine is mostly
waiting) and peak memory against N on linear axes,
where linear growth is a straight line; dotted, the least-squares line a + b*N of each series,
labelled with its slope per 1,000 scenarios."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.lib.measure import Measurement

Series = Mapping[str, Sequence[tuple[int, Measurement]]]


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least squares ``y = a + b x``: returns (a, b)."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y - slope * mean_x, slope


def plot_scaling(series: Series, target: Path) -> Path | None:
    """Write the plot; None when matplotlib (the ``bench`` extra) is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    panels = (("CPU time (s)", "s", "cpu_s"), ("peak memory (MB)", "MB", "peak_mb"))
    for axis, (label, unit, attribute) in zip(axes, panels, strict=True):
        for name, points in series.items():
            sizes = [float(n) for n, _ in points]
            values = [float(getattr(m, attribute)) for _, m in points]
            intercept, slope = fit_line(sizes, values)
            (line,) = axis.plot(
                sizes, values, marker="o", label=f"{name}: {slope * 1000:.3g} {unit}/1k"
            )
            axis.plot(sizes, [intercept + slope * n for n in sizes], ":", color=line.get_color())
        axis.set_xlabel("scenarios (N)")
        axis.set_ylabel(label)
        axis.set_ylim(bottom=0)
        axis.grid(True, alpha=0.3)
        axis.legend()
    figure.suptitle("omni-sync: cost against the number of scenarios (dotted: best straight line)")
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target


def series_to_json(series: Series) -> dict[str, list[list[float]]]:
    return {
        name: [[n, m.wall_s, m.cpu_s, m.peak_mb] for n, m in points]
        for name, points in series.items()
    }


def series_from_json(data: Mapping[str, Any]) -> dict[str, list[tuple[int, Measurement]]]:
    return {
        name: [(int(n), Measurement(wall, cpu, peak, 0)) for n, wall, cpu, peak in points]
        for name, points in data.items()
    }


def main(results: Path, target: Path) -> None:
    """Plot a saved run (``bench/run --out FILE.json``) with a Python that has matplotlib."""
    series = series_from_json(json.loads(results.read_text())["series"])
    written = plot_scaling(series, target)
    print(written or "matplotlib is not installed here: pip install 'omni-sync[bench]'")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
