"""Ctrl-C during an apply (a real process, a real SIGINT): what is in flight finishes, the rest
is reported as not attempted, and the exit code says it did not complete."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import first_line, interrupted_after_first_create, start_cli, stop_with
from tests.conftest import REPO_ROOT


def test_sigint_finishes_in_flight_and_reports_the_rest(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, *(scenario(f"s{i}", default=i == 0) for i in range(8)))
    emulator.set_faults(latency_ms=150)
    result = interrupted_after_first_create(repo, "apply", "--auto-approve")
    out, err = result.out, result.err
    assert result.code == 1, err
    assert "interrupted: requests in flight were finished" in err
    assert "not attempted" in out
    assert "interrupted before it began" in out
    created = out.count("+ created")
    assert 1 <= created < 8
    assert len(emulator.scenarios(account)) == created


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_during_the_write_limit_wait_ends_the_run_at_once_with_the_report(
    repo: Path,
    emulator: EmulatorHarness,
    monkeypatch: pytest.MonkeyPatch,
    stop: signal.Signals,
) -> None:
    limits = {"creates": 2, "updates": 40, "window_seconds": 600}
    account = add_environment(repo, emulator, monkeypatch, limits=limits)
    write_scenarios(repo, *(scenario(f"s{i}", default=i == 0) for i in range(4)))
    proc = start_cli(repo, "apply", "--auto-approve")
    waiting = first_line(proc, "for the write limit", timeout=60)
    out, err, took = stop_with(proc, stop)
    assert took < 2.0, (took, err)
    assert re.fullmatch(
        r"prod: waiting (9m5\ds|10m00s) for the write limit, 2 creates per 10 minutes: "
        r"2 of 4 created\n",
        waiting,
    ), waiting
    assert proc.returncode == 1, err
    assert f"{stop.name} received: finishing the requests in flight" in err
    assert "Traceback" not in err
    assert out.count("+ created") == 2
    assert out.count(". not attempted") == 2
    assert "Apply incomplete: 2 added, 0 changed, 0 destroyed; 0 failed, 2 not attempted." in out
    assert len(emulator.scenarios(account)) == 2


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_while_planning_says_nothing_was_applied(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals
) -> None:
    account = add_environment(repo, emulator, monkeypatch)
    write_scenarios(repo, scenario("A", default=True))
    emulator.set_faults(latency_ms=1500)
    proc = start_cli(repo, "--debug", "apply", "--auto-approve")
    first_line(proc, "GET ", timeout=60)
    _, err, _ = stop_with(proc, stop)
    assert proc.returncode == 1, err
    assert "interrupted while planning: nothing was applied" in err
    assert "Traceback" not in err
    assert emulator.scenarios(account) == []


def test_on_a_terminal_the_wait_for_the_write_limit_shows_in_the_progress_line(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = {"creates": 2, "updates": 40, "window_seconds": 600}
    add_environment(repo, emulator, monkeypatch, limits=limits)
    write_scenarios(repo, *(scenario(f"s{i}", default=i == 0) for i in range(4)))
    main, child = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "omni_sync", "apply", "--auto-approve"],
        cwd=repo,
        env=env,
        stdin=child,
        stdout=subprocess.PIPE,
        stderr=child,
        text=True,
    )
    os.close(child)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while b"for the write limit" not in shown and time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 1.0)
            if ready:
                shown += os.read(main, 4096)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
        os.close(main)
    line = shown.decode().split("\r\x1b[2K")[-1]
    assert line.startswith("Applying ["), shown
    assert re.search(
        r"\] 2/4 prod: waiting (9m5\ds|10m00s) for the write limit, 2 creates per 10 minutes: "
        r"2 of 4 created",
        line,
    ), line
    assert proc.returncode == 1
    assert out.count("+ created") == 2
