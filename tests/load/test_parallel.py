"""The forked second reader gives exactly what one process reading every file gives."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from omni_sync.load import parallel
from omni_sync.load.project import load_project
from omni_sync.load.scenarios import load_environment
from tests.load.helpers import TWO_ENVIRONMENTS, write

FILES = parallel.PARALLEL_FROM + 7

BROKEN = {
    3: "name: [unclosed\n",  # malformed YAML
    11: "name: Typed\nflow: yes\n",  # a wrong type
    1500: "name: Missing\nflow:\n  - {channel: SMS, from: '{{ vars.nowhere }}'}\n",
    FILES - 2: "- name: 'Dup'\n  flow: [{channel: SMS, from: A}]\n",
    FILES - 1: "- name: 'Dup'\n  flow: [{channel: SMS, from: B}]\n",
}


def _scenario(index: int) -> str:
    if index in BROKEN:
        return BROKEN[index]
    return (
        f"name: Scenario {index:05d}\n"
        + ("default: true\n" if index == 0 else "")
        + "flow:\n  - channel: SMS\n    from: '{{ vars.sms_sender }}'\n"
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    write(root, "omni-sync.yaml", TWO_ENVIRONMENTS)
    folder = root / "scenarios.d"
    folder.mkdir()
    for index in range(FILES):
        (folder / f"s{index:05d}.yaml").write_text(_scenario(index), encoding="utf-8")
    return root


def _forks(monkeypatch: pytest.MonkeyPatch, *, despite_threads: bool = True) -> list[int]:
    """The pids of the children forked while the test runs. The suite's emulator thread would
    keep the reader from forking (``despite_threads`` lets it: the work here touches nothing
    of that thread's)."""
    if despite_threads:
        monkeypatch.setattr(threading, "active_count", lambda: 1)
    children: list[int] = []
    fork = os.fork

    def recording() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording)
    return children


def test_two_processes_read_exactly_what_one_does(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_project(big)
    environment = project.environments["dev"]
    children = _forks(monkeypatch)
    together = load_environment(project, environment)
    assert len(children) == 1, "the repository is large enough for a second reader"
    monkeypatch.setattr(parallel, "PARALLEL_FROM", FILES + 1)
    alone = load_environment(project, environment)
    assert len(children) == 1
    assert together.scenarios == alone.scenarios
    assert together.problems == alone.problems
    assert together.files_digest == alone.files_digest
    assert len(together.scenarios) == FILES - 3  # both 'Dup' are read, then refused
    assert sorted(problem.path for problem in together.problems) == [
        f"scenarios.d/s{index:05d}.yaml" for index in sorted(BROKEN) if index != FILES - 2
    ]


def _in_parent_only(parent: int) -> Callable[[int], int]:
    def work(item: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # the child fails without a word
        return item * 2

    return work


def test_a_failed_child_leaves_its_files_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    children = _forks(monkeypatch)
    items = list(range(FILES))
    assert parallel.map_files(items, _in_parent_only(os.getpid())) == [i * 2 for i in items]
    assert len(children) == 1


def test_an_error_here_leaves_no_child_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    children = _forks(monkeypatch)
    parent = os.getpid()

    def work(item: int) -> int:
        if os.getpid() == parent and item == 5:
            raise KeyboardInterrupt
        return item

    with pytest.raises(KeyboardInterrupt):
        parallel.map_files(list(range(FILES)), work)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # killed and reaped


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    children = _forks(monkeypatch, despite_threads=False)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.map_files(list(range(FILES)), abs) == list(range(FILES))
    finally:
        release.set()
        other.join()
    assert children == []  # a fork would copy that thread's locks halfway


CHILD_OUTLIVES = """
import os, pathlib, signal, sys, time
from omni_sync.load import parallel
parallel._can_fork = lambda: True  # one CPU would do here
fork = os.fork
def recording():
    pid = fork()
    if pid:
        pathlib.Path(sys.argv[1]).write_text(str(pid))
        signal.signal(signal.SIGALRM, lambda *_: os._exit(0))  # killed, no clean-up
        signal.setitimer(signal.ITIMER_REAL, 0.3)
    return pid
os.fork = recording
parallel.map_files(list(range(parallel.PARALLEL_FROM)), lambda item: time.sleep(0.01))
"""


def test_a_child_whose_parent_was_killed_stops_at_once(tmp_path: Path) -> None:
    """A plan killed outright (SIGKILL) runs no clean-up: its child must not read on for seconds."""
    where = tmp_path / "child"
    subprocess.run(
        [sys.executable, "-c", CHILD_OUTLIVES, str(where)], stdout=subprocess.DEVNULL, check=True
    )
    child = int(where.read_text())  # its share would take 12 s
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
