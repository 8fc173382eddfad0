#!/usr/bin/env python3
"""Planning many environments at once against one: 20 accounts x 200 scenarios each, every
request to the emulator delayed 50 ms. Plans run through the real entry point (a child
process each), so start-up and file rendering are counted on both sides.

Goal (issue 5): planning all 20 takes under 2x the wall time of planning one.

    python bench/many_envs.py [--envs 20] [--scenarios 200] [--latency-ms 50] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.measure import compile_package  # noqa: E402
from omni_sync.emulator.harness import EmulatorHarness  # noqa: E402
from omni_sync.emulator.scenario_store import ScenarioInput  # noqa: E402
from omni_sync.model.scenario import Channel, Step  # noqa: E402

GOAL = 2.0
SCENARIO = """\
name: "Scenario {i:04d}"
default: {default}
flow:
  - channel: SMS
    from: "{{{{ vars.sms_sender }}}}"
  - channel: EMAIL
    from: "team{i}@example.com"
"""


def write_repo(folder: Path, base_url: str, envs: int, scenarios: int) -> None:
    lines = ["environments:"]
    for e in range(envs):
        lines += [
            f"  env-{e:02d}:",
            f"    base_url: {base_url}",
            "    allow_insecure_http: true",
            f"    auth: {{type: app, key_env: BENCH_KEY_{e:02d}}}",
            f"    vars: {{sms_sender: Shop{e:02d}}}",
        ]
    (folder / "omni-sync.yaml").write_text("\n".join(lines) + "\n")
    files = folder / "scenarios.d"
    files.mkdir()
    for i in range(scenarios):
        text = SCENARIO.format(i=i, default="true" if i == 0 else "false")
        (files / f"s{i:04d}.yaml").write_text(text)


def seed(harness: EmulatorHarness, envs: int, scenarios: int) -> dict[str, str]:
    """One account per environment holding exactly what the files say: plans show no changes."""
    keys: dict[str, str] = {}
    for e in range(envs):
        account = harness.add_account()
        keys[f"BENCH_KEY_{e:02d}"] = account.secret
        for i in range(scenarios):
            flow = (
                Step(channel=Channel.SMS, sender=f"Shop{e:02d}"),
                Step(channel=Channel.EMAIL, sender=f"team{i}@example.com"),
            )
            data = ScenarioInput(flow=flow, name=f"Scenario {i:04d}", default=i == 0)
            harness.state.scenarios.create(account.account_id, data)
    return keys


def timed_plan(repo: Path, env: dict[str, str], selection: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "omni_sync", "plan", *selection, "--detailed-exitcode"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"plan {' '.join(selection)} exited {result.returncode}:\n{result.stderr}")
    return elapsed


def measure(
    harness: EmulatorHarness, repo: Path, env: dict[str, str], latency_ms: float, repeats: int
) -> tuple[float, float]:
    """Median wall time of planning env-00 alone, and of planning every environment."""
    harness.set_faults(latency_ms=latency_ms)
    one, everyone = [], []
    for _ in range(repeats):
        one.append(timed_plan(repo, env, ["-e", "env-00"]))
        everyone.append(timed_plan(repo, env, ["--all"]))
    return statistics.median(one), statistics.median(everyone)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=20)
    parser.add_argument("--scenarios", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    compile_package()

    harness = EmulatorHarness.start()
    try:
        keys = seed(harness, args.envs, args.scenarios)
        with tempfile.TemporaryDirectory(prefix="omni-sync-many-envs-") as tmp:
            repo = Path(tmp)
            write_repo(repo, harness.base_url, args.envs, args.scenarios)
            env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
            env.update(keys, PYTHONPATH=str(ROOT), NO_COLOR="1")
            one_s, all_s = measure(harness, repo, env, args.latency_ms, args.repeats)
            one_0, all_0 = measure(harness, repo, env, 0.0, args.repeats)
    finally:
        harness.stop()
    ratio = all_s / one_s
    n = args.envs
    print(f"{n} environments x {args.scenarios} scenarios, median of {args.repeats} runs each")
    print(f"{'':22}{args.latency_ms:>8g} ms{0:>10g} ms  (latency per request)")
    print(f"plan one environment  {one_s:9.2f} s{one_0:10.2f} s")
    print(f"plan all {n:<3}          {all_s:9.2f} s{all_0:10.2f} s")
    print(f"waiting on the network: one {one_s - one_0:.2f} s, all {all_s - all_0:.2f} s")
    verdict = "ok" if ratio < GOAL else "MISSED"
    print(f"ratio all / one at {args.latency_ms:g} ms: {ratio:.2f} (goal < {GOAL:g}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
