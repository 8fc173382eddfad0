#!/usr/bin/env python3
"""What saving and applying a plan costs for 10,000 scenarios in one environment, embedded.

Writes a repository of N scenarios (bench/plan_10k.py's), seeds the embedded account with them,
`--changed` of them differing, then runs as processes `omni-sync plan --out plan.json` and
`omni-sync apply plan.json` (the account restored before each apply, so every run applies the
same changes): wall time of each and the plan file's size. With `--before DIR` (a checkout of
another commit), runs that code too, interleaved with this one on the same data, so the two
can be compared side by side. Reports, never asserts.

    python bench/saved_plan_10k.py [--scenarios 10000] [--changed 100] [--runs 3] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.plan_10k import ENV, run_timed, seed_embedded, write_repo  # noqa: E402

FAST = {"creates": 100_000, "updates": 100_000, "window_seconds": 60}


def timed(code: Path, root: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``omni-sync ARGS -e bench`` as a process."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    argv = [sys.executable, "-m", "omni_sync", *args, "-e", ENV]
    done, wall, cpu = run_timed(argv, root, env)
    if done.returncode != 0:
        raise SystemExit(
            f"{code}: omni-sync {' '.join(args)} exited {done.returncode}:\n{done.stderr[-800:]}"
        )
    return wall, cpu


Round = tuple[tuple[float, float], tuple[float, float], int]


def one_round(code: Path, root: Path, pristine: Path) -> Round:
    """((wall, CPU) of plan --out, (wall, CPU) of apply FILE, plan file bytes) for ``code``."""
    db = root / ".omni-sync" / f"{ENV}.db"
    shutil.copyfile(pristine, db)
    planned = timed(code, root, "plan", "--out", "plan.json")
    size = (root / "plan.json").stat().st_size
    applied = timed(code, root, "apply", "plan.json")
    return planned, applied, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    options = parser.parse_args()
    trees = {"this": ROOT, **({"before": options.before.resolve()} if options.before else {})}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        write_repo(root, options.scenarios, 1000)
        config = json.loads((root / "omni-sync.yaml").read_text())
        config["environments"][ENV]["limits"] = FAST
        (root / "omni-sync.yaml").write_text(json.dumps(config))
        seed_embedded(root, options.scenarios, options.changed)
        pristine = root / "pristine.db"
        shutil.copyfile(root / ".omni-sync" / f"{ENV}.db", pristine)
        results: dict[str, list[Round]] = {name: [] for name in trees}
        for _ in range(options.runs):
            for name, code in trees.items():
                results[name].append(one_round(code, root, pristine))
    print(
        f"plan --out and apply FILE, {options.scenarios:,} scenarios ({options.changed} changed), "
        f"embedded; {options.runs} runs, medians; load average {os.getloadavg()[0]:.2f}"
    )
    for name, rounds in results.items():
        plan_wall, plan_cpu = (statistics.median(r[0][i] for r in rounds) for i in (0, 1))
        apply_wall, apply_cpu = (statistics.median(r[1][i] for r in rounds) for i in (0, 1))
        print(
            f"  {name:6} plan --out {plan_wall:5.2f} s wall {plan_cpu:5.2f} s CPU   apply FILE "
            f"{apply_wall:5.2f} s wall {apply_cpu:5.2f} s CPU   plan file "
            f"{rounds[0][2] / 1024:5.0f} KiB   ({trees[name]})"
        )


if __name__ == "__main__":
    main()
