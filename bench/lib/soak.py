"""bench/soak: the fault and crash scenarios of tests/reliability, for as long as asked.

Every run alternates: three seeded fault stories (latency, 5xx, 429 bursts, drops after
commit; applies repeated at most three times), then one apply killed with SIGKILL and run
again, then two applies of the same files at once followed by one more apply (the account must
then hold one scenario per managed name: "duplicates left"). Prints one line per run and the
totals; exits 1 if any run lost an update, left a duplicate, did not converge or had a report
claim what the account does not hold.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from bench.lib.chaos import Counts, run_seed
from bench.lib.crash import crash_seed
from bench.lib.races import race_pair
from omni_sync.emulator.harness import EmulatorHarness

FAULT_STORIES_PER_CRASH = 3
# One cycle: the fault stories, one SIGKILL, one pair of concurrent applies.
CYCLE = FAULT_STORIES_PER_CRASH + 2


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/soak", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--minutes", type=float, help="Run for this long (default 1).")
    group.add_argument("--runs", type=int, help="Run this many scenarios, then stop.")
    parser.add_argument("--seed", type=int, default=0, help="First seed (default 0).")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    runs = options.runs
    deadline = None if runs else time.monotonic() + 60 * (options.minutes or 1.0)
    emulator = EmulatorHarness.start()
    total = Counts()
    races = left = 0
    seed = options.seed
    try:
        while (total.runs < runs) if runs else (time.monotonic() < (deadline or 0)):
            emulator.reset()
            step = (seed - options.seed) % CYCLE
            if step == FAULT_STORIES_PER_CRASH:
                counts, _ = crash_seed(emulator, seed, anywhere=seed % 2 == 0)
                print(f"seed {seed} (SIGKILL): {counts.line()}", flush=True)
            elif step == FAULT_STORIES_PER_CRASH + 1:
                counts, raced = race_pair(emulator, seed)
                races += 1
                left += counts.duplicates
                print(
                    f"seed {seed} (two applies at once): {counts.line()}, duplicates the pair "
                    f"left for the next apply {raced}, duplicates left {counts.duplicates}",
                    flush=True,
                )
            else:
                counts = run_seed(emulator, seed, log=lambda line: print(line, flush=True))
            total.add(counts)
            seed += 1
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        emulator.stop()
    print(f"\nTotal: {total.line()}; concurrent pairs {races}, duplicates left {left}")
    for problem in total.problems:
        print(f"  ! {problem}")
    healthy = total.converged == total.runs and not total.problems
    return 0 if healthy else 1
