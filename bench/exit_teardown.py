#!/usr/bin/env python3
"""What the interpreter's teardown costs after `omni-sync plan` of N scenarios (embedded
emulator, no changes): the console script's normal exit against the same command ended with
``os._exit`` right after flushing (no teardown, and no exit handlers). Runs interleaved, median
of each; reports, never asserts.

    python bench/exit_teardown.py [--scenarios 10000] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.measure import child_env, compile_package  # noqa: E402
from bench.plan_10k import ENV, seed_embedded, write_repo  # noqa: E402

ENTRY = "import sys\nsys.argv = ['omni-sync', *sys.argv[1:]]\nfrom omni_sync.__main__ import "
VARIANTS = {
    "normal exit (the console script)": ENTRY + "run\nrun()\n",
    "os._exit after flushing": ENTRY
    + "main\nimport os\ncode = 0\ntry:\n    main()\nexcept SystemExit as exc:\n"
    + "    code = exc.code or 0\nsys.stdout.flush()\nsys.stderr.flush()\nos._exit(code)\n",
}


def measure(program: str, root: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `plan` run as its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", program, "plan", "-e", ENV],
        cwd=root,
        env=child_env(),
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        write_repo(root, options.scenarios, 1000)
        seed_embedded(root, options.scenarios, 0)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
        for _ in range(options.runs):
            for name, program in VARIANTS.items():
                runs[name].append(measure(program, root))
    print(f"plan of {options.scenarios:,} scenarios, {options.runs} runs each, median")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, samples in runs.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"  {name:34} wall {wall:6.3f} s   CPU {cpu:6.3f} s")


if __name__ == "__main__":
    main()
