"""Reading a large repository's files on two CPUs.

Reading, rendering and parsing each file costs tens of microseconds, which adds up to a second
over 10,000 files. When there are many, and a second CPU, and the process can fork safely (Linux,
no other thread running), a forked child reads the second half while this process reads the
first. The child sends its results back as JSON (which holds YAML's data exactly) and exits
without running any of the parent's clean-up. Anything unexpected on the child's side, and this
process reads those files itself: the results are the same either way, only slower.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

PARALLEL_FROM = 2_000
"""Files from which a second process pays for itself (a fork and the JSON cost ~20 ms)."""

PARENT_SHARE = 0.5
"""The files this process reads itself. Though it then validates every file, a smaller share here
made a plan of 10,000 files slower (a quarter: load 1.4 s against 1.0 s for half, same machine,
alternating runs): the child pays for copy-on-write faults on every object it touches."""

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_files(
    items: Sequence[Item],
    work: Callable[[Item], Result],
    encode: Callable[[Result], Any],
    decode: Callable[[Any], Result],
) -> list[Result]:
    """``[work(item) for item in items]``, the second half in a child process when worth it.
    ``decode(encode(result))`` must equal ``result`` through JSON."""
    if len(items) < PARALLEL_FROM or not can_fork():
        return [work(item) for item in items]
    mine_up_to = int(len(items) * PARENT_SHARE)
    theirs = _in_child(items[mine_up_to:], work, encode)
    if theirs is None:
        return [work(item) for item in items]
    try:
        mine = [work(item) for item in items[:mine_up_to]]
        answer = theirs.collect()
    finally:
        theirs.stop()
    rest = [decode(value) for value in answer] if answer is not None else None
    if rest is None or len(rest) != len(items) - mine_up_to:
        rest = [work(item) for item in items[mine_up_to:]]
    return mine + rest


def can_fork() -> bool:
    """Linux, two CPUs for this process, and no other thread that a fork would leave halfway."""
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


class _Child:
    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe = pipe

    def collect(self) -> list[Any] | None:
        """The child's results, or None when it failed."""
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = -1
            raw = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if status != 0 or not raw:
            return None
        answer = json.loads(raw)
        return answer if isinstance(answer, list) else None

    def stop(self) -> None:
        """Whatever happened here (an error, Ctrl-C), leave no child and no open pipe behind."""
        if self._pipe >= 0:
            os.close(self._pipe)
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)


def _in_child(
    items: Sequence[Item], work: Callable[[Item], Result], encode: Callable[[Result], Any]
) -> _Child | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child; its results are compared with a serial read
        status = 1
        try:
            os.close(read_end)
            payload = json.dumps([encode(work(item)) for item in items]).encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return _Child(pid, read_end)
