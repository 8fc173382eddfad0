"""Start-up: ``omni-sync --version`` and ``--help`` against ``python -c pass``, same run.

``omni-sync`` here is the console script pip would install, written from pyproject.toml's
``[project.scripts]`` with pip's own template, so the real entry point is measured. The runs
are interleaved so a noisy neighbour slows every side alike; the median is kept."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from bench.lib.context import Context
from bench.lib.measure import REPO_ROOT, Measurement, median_of, run_measured
from bench.lib.results import Check, Row

GOAL = 2.0

# pip's console-script template (pip/_internal/operations/install/wheel.py).
SCRIPT = """#!{python}
import sys
from {module} import {func}
if __name__ == '__main__':
    sys.argv[0] = sys.argv[0].removesuffix('.exe')
    sys.exit({func}())
"""


def console_script(folder: Path) -> Path:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    module, func = project["scripts"]["omni-sync"].split(":")
    path = folder / "omni-sync"
    path.write_text(SCRIPT.format(python=sys.executable, module=module, func=func))
    path.chmod(0o755)
    return path


def run(ctx: Context) -> list[Row]:
    repeats = ctx.pick(7, 21)
    script = str(console_script(ctx.scratch("startup")))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "omni-sync --version": [script, "--version"],
        "omni-sync --help": [script, "--help"],
    }
    runs: dict[str, list[Measurement]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, argv in commands.items():
            runs[name].append(run_measured(argv, cwd=ctx.workdir))
    baseline = median_of(runs["python -c pass"])
    version = median_of(runs["omni-sync --version"])
    helped = median_of(runs["omni-sync --help"])
    return [
        Row("start-up: python -c pass", f"x{repeats}", baseline, note="the floor of the row below"),
        Row(
            "start-up: omni-sync --version",
            f"x{repeats}",
            version,
            [Check("python -c pass", version.wall_s, baseline.wall_s, GOAL)],
        ),
        Row(
            "start-up: omni-sync --help",
            f"x{repeats}",
            helped,
            note="no goal; heavy imports kept out (tests/test_startup.py)",
        ),
    ]
