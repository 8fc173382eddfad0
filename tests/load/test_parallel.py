"""Reading files in two processes gives exactly what reading them in one gives."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_python(code: str, *args: str) -> str:
    """In a fresh interpreter: pytest's own threads would (rightly) keep map_files serial."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


MAP = """
    import json, os, sys
    from omni_sync.load import parallel
    parallel.PARALLEL_FROM = 4
    parent = os.getpid()
    mode = sys.argv[1]

    def work(n):
        if mode == "child dies" and os.getpid() != parent:
            os._exit(3)
        if mode == "raises" and n == 7:
            raise ValueError(f"bad item {n}")
        return [n * n, os.getpid() == parent]

    try:
        out = parallel.map_files(list(range(10)), work, lambda r: r, lambda v: v)
    except ValueError as exc:
        out = str(exc)
    print(json.dumps({"can_fork": parallel.can_fork(), "out": out, "share": parallel.PARENT_SHARE}))
"""


def test_most_items_are_read_by_a_child_with_the_same_results() -> None:
    answer = json.loads(run_python(MAP, "normal"))
    assert answer["can_fork"], "this machine should fork: Linux, two CPUs, one thread"
    assert [square for square, _ in answer["out"]] == [n * n for n in range(10)]
    mine = int(10 * answer["share"])
    assert 0 < mine < 10
    assert [here for _, here in answer["out"]] == [True] * mine + [False] * (10 - mine)


def test_a_child_that_dies_is_replaced_by_reading_here() -> None:
    answer = json.loads(run_python(MAP, "child dies"))
    assert answer["out"] == [[n * n, True] for n in range(10)]


def test_an_error_in_the_child_share_is_raised_here_as_it_would_be_serially() -> None:
    assert json.loads(run_python(MAP, "raises"))["out"] == "bad item 7"


LOAD = """
    import json, sys
    from pathlib import Path
    from omni_sync.load import parallel
    from omni_sync.load.project import load_project
    from omni_sync.load.scenarios import load_environment
    parallel.PARALLEL_FROM = int(sys.argv[2])
    project = load_project(Path(sys.argv[1]))
    out = {}
    for name, environment in project.environments.items():
        loaded = load_environment(project, environment)
        out[name] = {
            "digest": loaded.files_digest,
            "specs": [item.spec.model_dump(by_alias=True) for item in loaded.scenarios],
            "sources": [str(item.source) for item in loaded.scenarios],
            "top": [list(item.position()) for item in loaded.scenarios],
            "deep": [list(item.position("flow", 0, "from")) for item in loaded.scenarios],
            "problems": [str(problem) for problem in loaded.problems],
        }
    out["forks"] = len(project.environments) * 24 >= parallel.PARALLEL_FROM and parallel.can_fork()
    print(json.dumps(out, sort_keys=True))
"""

FILES = {
    "a.yaml": 'name: A é\ndefault: true\nflow:\n  - channel: SMS\n    from: "{{ vars.s }}"\n',
    "b.yaml": "- name: B1\n  flow: [{channel: EMAIL, from: 'b@example.com'}]\n"
    "- name: B2\n  flow:\n    - {channel: VOICE, from: '41793026727'}\n",
    "c.yaml": "name: C\nflow:\n  - channel: TELEGRAM\n    from: x\n",
    "d.yaml": "name: D\nflow: [\n",
    "e.yaml": "{% if env.name == 'prod' %}name: E\nflow:\n  - channel: SMS\n    from: E1\n{% endif %}",
    "f.yaml": "name: F\nflow:\n  - channel: SMS\n    from: '{{ vars.missing }}'\n",
    "g.yaml": "# nothing here\n",
    "h.yaml": "name: H\nrenamed_from: [1e400, -0.0]\nflow:\n  - channel: SMS\n    from: H1\n",
}


def test_a_repository_loads_the_same_in_two_processes(tmp_path: Path) -> None:
    (tmp_path / "omni-sync.yaml").write_text(
        "environments:\n  prod: {vars: {s: ProdShop}}\n  dev: {vars: {s: DevShop}}\n"
    )
    folder = tmp_path / "scenarios.d"
    folder.mkdir()
    for index in range(3):
        for name, text in FILES.items():
            (folder / f"{index}-{name}").write_text(text.replace("name: ", f"name: {index}"))
    serial = json.loads(run_python(LOAD, str(tmp_path), "1000000"))
    parallel = json.loads(run_python(LOAD, str(tmp_path), "2"))
    assert (serial.pop("forks"), parallel.pop("forks")) == (False, True)
    assert parallel == serial
    assert len(serial["prod"]["specs"]) == 12  # a, b (two), e; three copies
    assert len(serial["dev"]["specs"]) == 9
    assert any("renamed_from" in problem for problem in serial["prod"]["problems"])
    assert any("TELEGRAM" in problem for problem in serial["prod"]["problems"])
    assert any("vars.missing" in problem for problem in serial["dev"]["problems"])


def test_no_second_process_while_another_thread_runs() -> None:
    import threading

    from omni_sync.load import parallel

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        release.set()
        other.join()


def test_the_split_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as the first test, in pytest's process (for its coverage): the child does
    nothing but arithmetic and JSON, so pytest's idle threads cannot hold anything it needs."""
    import os

    from omni_sync.load import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    parent = os.getpid()
    out = parallel.map_files(
        list(range(10)), lambda n: [n * n, os.getpid() == parent], lambda r: r, lambda v: v
    )
    assert out == [[n * n, n < int(10 * parallel.PARENT_SHARE)] for n in range(10)]


def test_in_this_process_a_dead_child_or_an_error_here_leaves_nothing_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from omni_sync.load import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    parent = os.getpid()

    def dies_in_child(n: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return n + 1

    assert parallel.map_files(list(range(8)), dies_in_child, int, int) == list(range(1, 9))

    def fails_here(n: int) -> int:
        if n == 1 and os.getpid() == parent:
            raise ValueError("stop")
        return n

    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forked.append(real_fork())
        return forked[-1]

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(ValueError, match="stop"):
        parallel.map_files(list(range(8)), fails_here, int, int)
    assert forked
    assert forked[0] > 0
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # the child was killed and reaped
