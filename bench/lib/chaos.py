"""Randomized fault runs against the served emulator, shared by tests/reliability and bench/soak.

One seed makes one story: an account set up without faults, then files changed (updates,
renames, a default switch, new scenarios), then ``omni-sync apply`` repeated (at most
``MAX_APPLIES`` times) while the emulator injects latency, 5xx, 429 bursts and connections
dropped after commit. Each run's report is checked against the account (what it says was
applied is there), duplicates are counted after every run, and at the end the account must
hold exactly what the files say.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from omni_sync.cli import cli
from omni_sync.client import omni
from omni_sync.client.retry import RetryPolicy
from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness
from omni_sync.model.scenario import RemoteScenario

MAX_APPLIES = 3
KEY_VARIABLE = "CHAOS_ACCOUNT_KEY"
CHANNELS = [("SMS", "Shop"), ("VIBER", "3045"), ("EMAIL", "a@example.com"), ("SMS", "ShopB")]
_CLAIM = re.compile(r'^\s+[+~] (?:created|updated) "(?P<name>[^"]+)" \((?P<key>[^)]+)\)$')


@dataclass
class Counts:
    runs: int = 0
    applies: int = 0
    faults: int = 0
    converged: int = 0
    duplicates: int = 0
    lost_updates: int = 0
    untruthful: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("runs", "applies", "faults", "converged", "duplicates", "lost_updates"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.untruthful += other.untruthful
        self.problems.extend(other.problems)

    def line(self) -> str:
        return (
            f"runs {self.runs}, applies {self.applies}, faults injected {self.faults}, "
            f"converged {self.converged}, duplicates {self.duplicates}, "
            f"lost updates {self.lost_updates}, untruthful reports {self.untruthful}"
        )


@contextmanager
def fast_retries() -> Iterator[None]:
    """Back-off in milliseconds (the rules stay the real ones), so runs take seconds."""
    original = getattr(omni, "RetryPolicy")  # noqa: B009
    fast = lambda: RetryPolicy(tries=6, base_seconds=0.002, cap_seconds=0.02)  # noqa: E731
    setattr(omni, "RetryPolicy", fast)  # noqa: B010
    try:
        yield
    finally:
        setattr(omni, "RetryPolicy", original)  # noqa: B010


@contextmanager
def counted_faults(emulator: EmulatorHarness, counts: Counts) -> Iterator[None]:
    """Counts every fault the emulator injects while the block runs."""
    faults = emulator.state.faults
    early, drop = faults.early_answer, faults.drop_due

    def early_answer() -> Any:
        problem = early()
        counts.faults += problem is not None
        return problem

    def drop_due() -> bool:
        due = bool(drop())
        counts.faults += due
        return due

    setattr(faults, "early_answer", early_answer)  # noqa: B010
    setattr(faults, "drop_due", drop_due)  # noqa: B010
    try:
        yield
    finally:
        del faults.early_answer, faults.drop_due


def _scenario(name: str, steps: list[tuple[str, str]], default: bool, **extra: Any) -> Any:
    flow = [{"channel": channel, "from": sender} for channel, sender in steps]
    return {"name": name, "default": default, "flow": flow, **extra}


def _steps(rng: random.Random) -> list[tuple[str, str]]:
    return rng.sample(CHANNELS, rng.randint(1, 3))


@dataclass
class Story:
    """The files before and after, for one seed."""

    before: list[dict[str, Any]]
    after: list[dict[str, Any]]
    faults: dict[str, Any]


def story(seed: int) -> Story:
    rng = random.Random(seed)
    count = rng.randint(2, 5)
    before = [_scenario(f"s{seed}-{i}", _steps(rng), i == 0) for i in range(count)]
    after = []
    new_default = rng.randrange(count + 1)
    for i, item in enumerate(before):
        changed = dict(item, default=i == new_default)
        roll = rng.random()
        if roll < 0.4:
            changed["flow"] = [{"channel": c, "from": s} for c, s in _steps(rng)]
        elif roll < 0.6:
            changed["name"] = f"{item['name']}-renamed"
            changed["renamed_from"] = [item["name"]]
        after.append(changed)
    created = rng.randint(1, 5)
    after += [
        _scenario(f"s{seed}-new{i}", _steps(rng), count + i == new_default) for i in range(created)
    ]
    if not any(item["default"] for item in after):
        after[0]["default"] = True
    faults = {
        "latency_ms": rng.choice([0.0, 0.0, 1.0]),
        "share_500": rng.uniform(0, 0.12),
        "share_503": rng.uniform(0, 0.12),
        "burst_429": rng.randint(0, 3),
        "drop_share": rng.uniform(0.05, 0.25),
        "seed": seed,
    }
    return Story(before, after, faults)


class Workspace:
    """A user repository wired to one emulator account, and the CLI run in-process."""

    def __init__(self, emulator: EmulatorHarness, root: Path) -> None:
        self.emulator = emulator
        self.root = root
        self.account: EmulatorAccount = emulator.add_account()
        config = {
            "environments": {
                "prod": {
                    "base_url": emulator.base_url,
                    "auth": {"type": "app", "key_env": KEY_VARIABLE},
                    "limits": {"creates": 1000, "updates": 1000, "window_seconds": 60},
                    "page_limit": 5,
                }
            }
        }
        (root / "omni-sync.yaml").write_text(json.dumps(config, indent=2))

    def write(self, scenarios: list[dict[str, Any]]) -> None:
        folder = self.root / "scenarios.d"
        folder.mkdir(exist_ok=True)
        (folder / "all.yaml").write_text(json.dumps(scenarios, indent=2))

    def cli(self, *args: str) -> tuple[int, str, str]:
        env = {KEY_VARIABLE: self.account.secret}
        result = CliRunner().invoke(cli, ["-C", str(self.root), *args], env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    def upstream(self) -> list[RemoteScenario]:
        return self.emulator.scenarios(self.account)


def untruthful_claims(report: str, upstream: list[RemoteScenario], desired: list[Any]) -> list[str]:
    """Lines claiming a change that the account does not hold."""
    by_key = {remote.key: remote for remote in upstream}
    wanted = {item["name"]: item for item in desired}
    wrong = []
    for line in report.splitlines():
        claim = _CLAIM.match(line)
        if claim is None:
            continue
        remote = by_key.get(claim["key"])
        item = wanted.get(claim["name"])
        if remote is None or item is None or not _same(remote, item):
            wrong.append(line.strip())
    return wrong


def _same(remote: RemoteScenario, item: dict[str, Any]) -> bool:
    flow = [{"channel": step.channel.value, "from": step.sender} for step in remote.flow]
    return bool(remote.name == item["name"] and flow == item["flow"])


def lost_updates(upstream: list[RemoteScenario], desired: list[Any]) -> list[str]:
    by_name = {remote.name: remote for remote in upstream}
    lost = []
    for item in desired:
        remote = by_name.get(item["name"])
        if remote is None or not _same(remote, item) or remote.default != item["default"]:
            lost.append(item["name"])
    return lost


def duplicates(upstream: list[RemoteScenario]) -> int:
    return sum(count - 1 for count in Counter(r.name for r in upstream).values() if count > 1)


def run_seed(emulator: EmulatorHarness, seed: int, log: Callable[[str], None] = print) -> Counts:
    counts = Counts(runs=1)
    plot = story(seed)
    with tempfile.TemporaryDirectory() as folder, fast_retries():
        space = Workspace(emulator, Path(folder))
        space.write(plot.before)
        code, _, err = space.cli("apply", "--auto-approve", "--force")
        if code != 0:
            counts.problems.append(f"seed {seed}: set-up apply failed: {err.strip()}")
            return counts
        space.write(plot.after)
        emulator.set_faults(**plot.faults)
        with counted_faults(emulator, counts):
            for _ in range(MAX_APPLIES):
                counts.applies += 1
                code, out, _ = space.cli("apply", "--auto-approve", "--force")
                upstream = space.upstream()
                counts.duplicates += duplicates(upstream)
                wrong = untruthful_claims(out, upstream, plot.after)
                counts.untruthful += len(wrong)
                counts.problems.extend(f"seed {seed}: report claims {line}" for line in wrong)
                if code == 0:
                    break
        emulator.set_faults()
        clean, _, _ = space.cli("plan", "--detailed-exitcode")
        lost = lost_updates(space.upstream(), plot.after)
        counts.lost_updates += len(lost)
        counts.converged += clean == 0 and not lost
        if clean != 0 or lost:
            counts.problems.append(f"seed {seed}: not converged (plan {clean}, lost {lost})")
    log(f"seed {seed}: {counts.line()}")
    return counts
