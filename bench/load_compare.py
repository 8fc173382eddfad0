#!/usr/bin/env python3
"""validate and plan of one checkout against another's, on the same generated data, in one run.

Written for the one-reader redesign of load/ (issue 14: each figure within 1.3 times the old
one; validate of one file with 2N scenarios within 2.5 times that of N). The repositories hold
N scenarios one per file, and the same N in one file, each step's sender a ``{{ vars.x }}``
placeholder; plan runs against the embedded account, seeded with exactly what the files say
(no changes to find). Runs alternate between the two checkouts so that a busy machine slows
both alike; the median of ``--runs`` wall times is reported. Reports, never asserts.

    python bench/load_compare.py --base ../omni-sync-old [--base-python PATH] [--scenarios 10000]
                                 [--runs 3]

Each checkout runs with its own Python (``--base-python``, default ``BASE/.venv/bin/python``;
this one with the running interpreter) and its own source on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.repo import Environment, scenario_file, write_repo  # noqa: E402

ENV = "bench"
PAGE = 1_000


@dataclass(frozen=True)
class Checkout:
    label: str
    root: Path
    python: str

    def commit(self) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or "?"

    def run(self, *args: str, cwd: Path, timeout: float = 900) -> float:
        """Wall seconds of ``python -m ARGS`` with this checkout's code; fails loudly on a
        non-zero exit (a run that failed measured nothing)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
        # A checkout's bench/lib/as_installed (where it has one) hides what only its dev
        # extras install: without it, httpx imports its own command line (rich, pygments)
        # into every measured command, which no user's install of that checkout does.
        hidden = self.root / "bench" / "lib" / "as_installed"
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.root), *([str(hidden)] if hidden.is_dir() else [])]
        )
        env["NO_COLOR"] = "1"
        started = time.perf_counter()
        done = subprocess.run(
            [self.python, "-m", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(
                f"{self.label}: {' '.join(args)} exited {done.returncode}:\n"
                f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        return seconds


def one_file(root: Path, scenarios: int) -> Path:
    """The same scenarios as ``write_repo``'s files, as one list in one file."""
    folder = root / "scenarios.d"
    write_repo(root, 0, [Environment(ENV, page_limit=PAGE)])
    items = []
    for index in range(scenarios):
        lines = scenario_file(index).splitlines()
        items.append("\n".join([f"- {lines[0]}", *(f"  {line}" for line in lines[1:])]))
    (folder / "all.yaml").write_text("\n".join(items) + "\n")
    return root


def prepare(scratch: Path, checkouts: list[Checkout], n: int) -> dict[str, dict[str, Path]]:
    """Per checkout, its own copy of each repository (the embedded account is its own)."""
    made = {
        "files": write_repo(scratch / "files", n, [Environment(ENV, page_limit=PAGE)]),
        "one file": one_file(scratch / "one", n),
        "one file x2": one_file(scratch / "one-x2", 2 * n),
    }
    repos: dict[str, dict[str, Path]] = {}
    for checkout in checkouts:
        compileall.compile_dir(checkout.root / "omni_sync", quiet=1)
        repos[checkout.label] = {}
        for name, source in made.items():
            copy = scratch / checkout.label / source.name
            shutil.copytree(source, copy)
            repos[checkout.label][name] = copy
            if name != "one file x2":
                checkout.run("bench.lib.seeding", str(copy), ENV, str(n), cwd=checkout.root)
    return repos


Case = tuple[str, str, tuple[str, ...]]


def measure(
    checkouts: list[Checkout], repos: dict[str, dict[str, Path]], runs: int, n: int
) -> tuple[list[Case], dict[tuple[str, str], float]]:
    cases: list[Case] = [
        (f"validate, {n:,} files", "files", ("validate",)),
        (f"validate, {n:,} in one file", "one file", ("validate",)),
        (f"plan, {n:,} files", "files", ("plan", "-e", ENV)),
        (f"plan, {n:,} in one file", "one file", ("plan", "-e", ENV)),
        (f"validate, {2 * n:,} in one file", "one file x2", ("validate",)),
    ]
    times: dict[tuple[str, str], list[float]] = {}
    for run in range(runs):
        for label, repo, args in cases:
            for checkout in checkouts if run % 2 == 0 else checkouts[::-1]:
                if repo == "one file x2" and checkout is not checkouts[-1]:
                    continue  # the old figure is not needed, and slow
                path = repos[checkout.label][repo]
                seconds = checkout.run("omni_sync", "-C", str(path), *args, cwd=path)
                times.setdefault((label, checkout.label), []).append(seconds)
                print(f"  {label:<30} {checkout.label:<5} {seconds:6.2f} s", file=sys.stderr)
    return cases, {key: statistics.median(values) for key, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the other checkout")
    parser.add_argument("--base-python", help="its interpreter [BASE/.venv/bin/python]")
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    base = Checkout(
        "old",
        options.base.resolve(),
        options.base_python or str(options.base.resolve() / ".venv" / "bin" / "python"),
    )
    new = Checkout("new", ROOT, sys.executable)
    checkouts = [base, new]
    n = options.scenarios
    with tempfile.TemporaryDirectory(prefix="omni-sync-load-compare-") as scratch:
        repos = prepare(Path(scratch), checkouts, n)
        load = os.getloadavg()[0]
        cases, medians = measure(checkouts, repos, options.runs, n)
        load = max(load, os.getloadavg()[0])
    print(
        f"old = {base.commit()}, new = {new.commit()}, median of {options.runs} runs, "
        f"load average up to {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"| case | old {base.commit()} | new {new.commit()} | new / old | goal |")
    print("|---|---:|---:|---:|---|")
    for label, _, _ in cases[:-1]:
        old, now = medians[(label, "old")], medians[(label, "new")]
        print(f"| {label} | {old:.2f} s | {now:.2f} s | {now / old:.2f} | at most 1.30 |")
    single, double = medians[(cases[1][0], "new")], medians[(cases[-1][0], "new")]
    print(
        f"| {cases[-1][0]} | | {double:.2f} s | {double / single:.2f} x {cases[1][0]} "
        "| at most 2.50 |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
