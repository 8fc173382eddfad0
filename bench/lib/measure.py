"""Run one measured child process and read its own resource usage.

Each measured command runs alone in a child so its CPU time and peak memory are its own:
``os.wait4`` returns the rusage of exactly that child, and wall time is taken around it."""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def compile_package() -> None:
    """Byte-compile omni_sync once, as pip does when it installs a package. An editable install
    leaves that to the first import, and with PYTHONDONTWRITEBYTECODE set (as on this machine)
    every measured command would compile all of omni-sync's modules again (about 0.1 s)."""
    import compileall

    compileall.compile_dir(REPO_ROOT / "omni_sync", quiet=1)


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float
    peak_mb: float
    exit_code: int
    requests: dict[str, int] = field(default_factory=dict)
    output: str = ""

    @property
    def write_span_s(self) -> float:
        """First write sent to last write answered (see bench/lib/probe.py); 0 without writes."""
        return self.requests.get("write_span_ms", 0) / 1000

    def request_total(self, *methods: str) -> int:
        wanted = methods or ("GET", "POST", "PUT")
        return sum(self.requests.get(method, 0) for method in wanted)


class ChildFailed(RuntimeError):
    """A measured command exited non-zero: the case crashed."""


AS_INSTALLED = Path(__file__).with_name("as_installed")


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
    # bench/lib/as_installed hides what only the dev extras install: a command imports what
    # it would in a user's install.
    env["PYTHONPATH"] = os.pathsep.join((str(REPO_ROOT), str(AS_INSTALLED)))
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def omni_sync_argv(*args: str, count_requests: bool = True) -> list[str]:
    """``python -m omni_sync ARGS``, through the request-counting probe unless told not to."""
    module = "bench.lib.probe" if count_requests else "omni_sync"
    return [sys.executable, "-m", module, *args]


class Spawner:
    """The small process (bench/lib/spawner.py) that starts every measured command."""

    def __init__(self) -> None:
        script = Path(__file__).with_name("spawner.py")
        self._proc = subprocess.Popen(
            [sys.executable, "-S", "-u", str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lock = threading.Lock()

    def run(self, job: Mapping[str, object], timeout: float) -> dict[str, Any]:
        assert self._proc.stdin is not None
        assert self._proc.stdout is not None
        with self._lock:
            self._proc.stdin.write(json.dumps(job) + "\n")
            self._proc.stdin.flush()
            pid = json.loads(self._proc.stdout.readline())["pid"]
            timer = threading.Timer(timeout, _kill, (pid,))
            timer.start()
            try:
                report: dict[str, Any] = json.loads(self._proc.stdout.readline())
            finally:
                timer.cancel()
        return report

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)


@functools.cache
def spawner() -> Spawner:
    started = Spawner()
    atexit.register(started.close)
    return started


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600.0,
    ok_codes: Collection[int] = (0,),
) -> Measurement:
    """Run ``argv`` to completion through the spawner; its output is read afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out_path = Path(tmp) / "output"
        counts_path = Path(tmp) / "counts.json"
        full_env = child_env(env)
        full_env["BENCH_COUNTS_FILE"] = str(counts_path)
        job = {"argv": list(argv), "cwd": str(cwd), "env": full_env, "out": str(out_path)}
        report = spawner().run(job, timeout)
        output = out_path.read_text(errors="replace") if out_path.exists() else ""
        requests = _read_counts(counts_path)
    measurement = Measurement(
        wall_s=report["wall"],
        cpu_s=report["cpu"],
        peak_mb=report["maxrss_kb"] / 1024,
        exit_code=report["status"],
        requests=requests,
        output=output,
    )
    if measurement.exit_code not in ok_codes:
        tail = "\n".join(output.strip().splitlines()[-5:])
        raise ChildFailed(f"{' '.join(argv[:6])} exited {measurement.exit_code}: {tail}")
    return measurement


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _read_counts(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    data: dict[str, int] = json.loads(path.read_text())
    return data


def median_of(runs: Sequence[Measurement]) -> Measurement:
    """The run with the median wall time (CPU and memory from that same run)."""
    ordered = sorted(runs, key=lambda m: m.wall_s)
    return ordered[len(ordered) // 2]
