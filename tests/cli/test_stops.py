"""SIGTERM (what CI runners send on cancel, and ``timeout``) ends every long command as Ctrl-C
does: one line saying what it interrupted and what holds (nothing applied, no file written),
exit 1 (never 2, which --detailed-exitcode means "changes"; never 143 with nothing said).

Each test holds the command at a known point before signalling, without racing a sleep: an
account that never finishes answering, stdout left unread until its pipe is full, or a scenario
file that is a named pipe nobody writes to."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from omni_sync.emulator.harness import EmulatorHarness
from tests.accounts import add_environment, scenario, write_scenarios
from tests.apply.conftest import Cli, start_cli, stop_with
from tests.apply.test_unknown_outcome import KEY, configure
from tests.load.test_parallel import _alive
from tests.reliability.hostile_server import (
    HostileServer,
    held,
    json_response,
    scenario_json,
    serve,
)

DEADLINE = 60.0


@pytest.fixture
def run(repo: Path) -> Cli:
    return Cli(repo)


def _until(done: Callable[[], bool], what: str) -> None:
    """Poll ``done`` (a minute at most): the command has reached the point the test needs."""
    deadline = time.monotonic() + DEADLINE
    while not done():
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.005)


@contextmanager
def account_answering(first: int) -> Iterator[HostileServer]:
    """A server whose first ``first`` lists answer empty; every later request never finishes
    (until the test ends)."""
    released = threading.Event()

    def answer(_request: Request, n: int) -> Response:
        return json_response({"scenarios": []}) if n < first else held(released)

    with serve(answer) as server:
        try:
            yield server
        finally:
            released.set()


def _asleep(pid: int) -> bool:
    """The process's main thread sleeps in a system call (/proc/PID/syscall names one rather
    than "running"), twice 10 ms apart."""
    for _ in range(2):
        state = Path(f"/proc/{pid}/syscall").read_text().split()
        if not state or state[0] in ("running", "-1"):
            return False
        time.sleep(0.01)
    return True


def _stopped(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGTERM once the command waits in a system call. Sent a moment earlier, while it runs
    C code on its way into that call (writing a prompt, say), the signal is noted but its
    Python handler runs only after the call returns, which at a held point is never."""
    _until(lambda: _asleep(proc.pid), "waited in a system call")
    out, err, _ = stop_with(proc, signal.SIGTERM)
    assert proc.returncode == 1, (proc.returncode, err)
    assert "Traceback" not in err
    assert KEY not in out + err
    return out, err


def _last_line(err: str) -> str:
    lines = err.splitlines()
    return lines[-1] if lines else ""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["plan"], "interrupted while planning"),
        (["plan", "--detailed-exitcode"], "interrupted while planning"),
        (["plan", "--format", "github"], "interrupted while planning"),
        (["import", "-e", "prod"], "interrupted while reading the account: no file was written"),
        (["keys", "-e", "prod"], "interrupted while reading the account"),
    ],
    ids=["plan", "drift", "plan-github", "import", "keys"],
)
def test_a_stop_while_the_account_is_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    write_scenarios(repo, scenario("A", default=True))
    with account_answering(0) as server:
        configure(repo, server.base_url, monkeypatch)
        before = sorted(path.relative_to(repo) for path in repo.rglob("*"))
        proc = start_cli(repo, *args)
        _until(lambda: len(server.requests) >= 1, "asked the account")
        _, err = _stopped(proc)
    assert _last_line(err) == f"Error: {said}", err
    assert sorted(path.relative_to(repo) for path in repo.rglob("*")) == before
    assert server.writes == []


def test_ctrl_c_says_what_it_interrupted_as_sigterm_does(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_scenarios(repo, scenario("A", default=True))
    with account_answering(0) as server:
        configure(repo, server.base_url, monkeypatch)
        proc = start_cli(repo, "plan", "--detailed-exitcode")
        _until(lambda: len(server.requests) >= 1, "asked the account")
        _until(lambda: _asleep(proc.pid), "waited in a system call")
        _, err, _ = stop_with(proc, signal.SIGINT)
    assert proc.returncode == 1, err
    assert err.splitlines() == ["Error: interrupted while planning"], err


def test_a_stop_while_planning_out_leaves_the_earlier_plan_file_whole(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_scenarios(repo, scenario("A", default=True))
    with account_answering(1) as server:
        configure(repo, server.base_url, monkeypatch)
        assert run("plan", "--out", "plan.json").code == 0
        earlier = (repo / "plan.json").read_bytes()
        proc = start_cli(repo, "plan", "--detailed-exitcode", "--out", "plan.json")
        _until(lambda: len(server.requests) >= 2, "asked the account")
        _, err = _stopped(proc)
    assert _last_line(err) == "Error: interrupted while planning: plan.json was not written", err
    assert (repo / "plan.json").read_bytes() == earlier
    assert sorted(path.name for path in repo.iterdir()) == [
        "omni-sync.yaml",
        "plan.json",
        "scenarios.d",
    ]


def _stdout_full(proc: subprocess.Popen[str]) -> Callable[[], bool]:
    """True once the command's stdout pipe is full: it is then blocked writing what it shows."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    capacity = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)

    def full() -> bool:
        pending = bytearray(4)
        fcntl.ioctl(fd, termios.FIONREAD, pending)
        return int.from_bytes(pending, "little") >= capacity

    return full


MANY = 800
"""Scenarios enough for a plan bigger than a pipe holds (64 KiB)."""


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["plan"], "interrupted while showing the plan"),
        (["apply", "--auto-approve"], "interrupted while showing the plan: nothing was applied"),
        (["apply", "plan.json"], "interrupted while showing the plan: nothing was applied"),
        (["show", "plan.json"], "interrupted while showing the plan"),
    ],
    ids=["plan", "apply", "apply-file", "show"],
)
def test_a_stop_while_the_plan_is_shown(
    repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    write_scenarios(repo, *(scenario(f"s{i:04d}", default=i == 0) for i in range(MANY)))
    with account_answering(10) as server:
        configure(repo, server.base_url, monkeypatch)
        assert run("plan", "--out", "plan.json").code == 0
        proc = start_cli(repo, *args)
        _until(_stdout_full(proc), "filled stdout")
        _, err = _stopped(proc)
    assert _last_line(err) == f"Error: {said}", err
    assert server.writes == []


def test_a_stop_at_the_approval_prompt_says_nothing_was_applied(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stdin a terminal, so apply asks; the prompt is the last thing on stderr."""
    import pty

    from tests.conftest import REPO_ROOT

    write_scenarios(repo, scenario("A", default=True))
    main, child = pty.openpty()
    with account_answering(10) as server:
        configure(repo, server.base_url, monkeypatch)
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "omni_sync", "apply"],
            cwd=repo,
            env=env,
            stdin=child,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.close(child)
        try:
            _asked(proc)
            out, err = _stopped(proc)
        finally:
            os.close(main)
    assert "+ create" in out
    assert _last_line(err) == "Error: interrupted while waiting for approval: nothing was applied"
    assert server.writes == []


def _asked(proc: subprocess.Popen[str]) -> None:
    """Read stderr until the prompt, which ends without a newline."""
    assert proc.stderr is not None
    shown = b""
    while b"Enter a value: " not in shown:
        more = os.read(proc.stderr.fileno(), 4096)
        assert more, shown
        shown += more


@contextmanager
def held_at(path: Path) -> Iterator[None]:
    """``path`` a named pipe: a command reading it is held there until the block ends, once
    it has opened it (a writer's non-blocking open succeeds only when a reader has)."""
    os.mkfifo(path)
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            writer = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            assert time.monotonic() < deadline, f"{path} never opened"
            time.sleep(0.005)
    try:
        yield
    finally:
        os.close(writer)


def test_a_stop_while_validating(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_scenarios(repo, scenario("A", default=True))
    configure(repo, "https://api.infobip.com", monkeypatch)
    proc = start_cli(repo, "validate")
    with held_at(repo / "scenarios.d" / "held.yaml"):
        _, err = _stopped(proc)
    assert _last_line(err) == "Error: interrupted while validating", err


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def test_a_stop_while_a_large_repository_is_read_leaves_no_child(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From 2,000 files a forked child reads the later ones (load/parallel.py); the last file
    holds it while the plan is stopped."""
    folder = repo / "scenarios.d"
    folder.mkdir()
    for index in range(2_100):
        default = "default: true\n" if index == 0 else ""
        flow = "flow: [{channel: SMS, from: Shop}]\n"
        (folder / f"s{index:05d}.yaml").write_text(f"name: S{index}\n{default}{flow}")
    configure(repo, "https://api.infobip.com", monkeypatch)
    proc = start_cli(repo, "plan")
    children: list[int] = []
    try:
        with held_at(folder / "s99999.yaml"):
            children.extend(_children(proc.pid))
            assert len(children) == 1, "the repository is large enough for a second reader"
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=DEADLINE)
            assert not _alive(children[0]), "the child reads on (and holds the output pipes)"
        _, err = proc.communicate(timeout=DEADLINE)
    finally:
        proc.kill()
        for child in children:
            if _alive(child):
                os.kill(child, signal.SIGKILL)
    assert proc.returncode == 1, (proc.returncode, err)
    assert _last_line(err) == "Error: interrupted while planning", err


TEMPLATE = 'scenarios: [A]\nsms:\n  text: "Hi"\n'


@contextmanager
def account_holding_a(*, stalls: str) -> Iterator[HostileServer]:
    """An account holding scenario "A"; requests ``stalls`` begins ("GET /omni/1/reports",
    "POST") never finish."""
    released = threading.Event()

    def answer(request: Request, _n: int) -> Response:
        if f"{request.method} {request.url.path}".startswith(stalls):
            return held(released, b"{}")
        return json_response({"scenarios": [{**scenario_json("k1"), "default": True}]})

    with serve(answer) as server:
        try:
            yield server
        finally:
            released.set()


@pytest.mark.parametrize(
    ("args", "stalls", "said"),
    [
        (["render", "greeting"], "GET", r"interrupted while rendering greeting"),
        (
            ["send", "greeting", "--phone", "41793026727"],
            "GET",
            r"interrupted while reading the account: nothing was sent",
        ),
        (
            ["send", "greeting", "--phone", "41793026727"],
            "POST",
            r"interrupted while sending: message [0-9a-f]{32} may or may not have been sent: "
            r"check the account's OMNI logs before sending again",
        ),
        (
            ["send", "greeting", "--phone", "41793026727"],
            "GET /omni/1/reports",
            r"interrupted while waiting for the delivery report: message [0-9a-f]{32} was sent",
        ),
    ],
    ids=["render", "send-reading", "send-sending", "send-waiting"],
)
def test_a_stop_while_rendering_or_sending(
    repo: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], stalls: str, said: str
) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "greeting.yaml").write_text(TEMPLATE)
    write_scenarios(repo, scenario("A", default=True))
    with account_holding_a(stalls=stalls) as server:
        configure(repo, server.base_url, monkeypatch)
        proc = start_cli(repo, *args)
        _until(lambda: any(f"{m} {p}".startswith(stalls) for m, p in server.requests), "held")
        _, err = _stopped(proc)
    assert re.fullmatch(f"Error: {said}", _last_line(err)), err


def test_a_stop_while_the_report_is_printed_after_applying(
    repo: Path, emulator: EmulatorHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan is read; the report, bigger than the pipe, then fills it: apply is stopped
    once every change was made, while it says so."""
    account = add_environment(repo, emulator, monkeypatch)
    name = "x" * 240
    write_scenarios(repo, *(scenario(f"{name} {i:03d}", default=i == 0) for i in range(300)))
    proc = start_cli(repo, "apply", "--auto-approve")
    assert proc.stdout is not None
    shown = b""
    while b"Plan: 300 to add" not in shown:
        more = os.read(proc.stdout.fileno(), 65_536)
        assert more, shown[-2000:]
        shown += more
    _until(_stdout_full(proc), "filled stdout with the report")
    _, err = _stopped(proc)
    assert _last_line(err) == (
        "Error: interrupted while reporting what was applied: "
        "omni-sync plan shows what the account holds now"
    ), err
    assert len(emulator.scenarios(account)) == 300
