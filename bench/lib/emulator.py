"""Start the emulator for a case (bench/lib/emulator_server.py in a child process) and stop it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.lib.measure import REPO_ROOT, child_env

NO_THROTTLE: Mapping[str, Any] = {"enabled": False}


@dataclass(frozen=True)
class ServerSettings:
    """``accounts`` app keys named bench-key-0.., each holding ``scenarios`` seeded scenarios
    (the first ``changed`` of them differing from the generated files)."""

    accounts: int = 1
    scenarios: int = 0
    changed: int = 0
    latency_ms: float = 0.0
    throttle: Mapping[str, Any] = field(default_factory=lambda: dict(NO_THROTTLE))

    def keys(self) -> list[str]:
        return [f"bench-key-{index}" for index in range(self.accounts)]

    def payload(self) -> str:
        data = asdict(self)
        data["throttle"] = dict(self.throttle)
        data["faults"] = {"latency_ms": data.pop("latency_ms")}
        data["keys"] = self.keys()
        return json.dumps(data)


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    keys: list[str]

    def key_env(self, index: int = 0) -> dict[str, str]:
        """The variable a generated omni-sync.yaml reads account ``index``'s key from."""
        return {key_variable(index): self.keys[index]}

    def all_key_env(self) -> dict[str, str]:
        return {key_variable(index): key for index, key in enumerate(self.keys)}


def key_variable(index: int) -> str:
    return f"BENCH_KEY_{index}"


@contextmanager
def served(settings: ServerSettings) -> Iterator[RunningServer]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.lib.emulator_server", settings.payload()],
        cwd=REPO_ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the emulator did not start (exit {proc.wait()})")
        port = json.loads(line)["port"]
        yield RunningServer(f"http://127.0.0.1:{port}", settings.keys())
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
