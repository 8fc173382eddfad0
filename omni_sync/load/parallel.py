"""A large repository's files read on two CPUs, by the one reader.

Reading, rendering and parsing a file costs tens of microseconds, a second or so over 10,000
files. With that many, a second CPU, and no other thread a fork could leave halfway (Linux), a
forked child reads the later files (``CHILD_SHARE``) while this process reads the first, and
sends its results back pickled. The child runs no collector (so it copies no page only to mark
an object) and leaves with ``os._exit``, running none of this process's clean-up. If the child
fails in any way this process reads its files too: the results are the same, only slower.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

PARALLEL_FROM = 2_000
"""Files from which a second process pays for its fork and the pickling (about 20 ms)."""

CHILD_SHARE = 0.6
"""The files the child reads: more than half, as this process then builds every file's
scenarios."""

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_files(items: Sequence[Item], work: Callable[[Item], Result]) -> list[Result]:
    """``[work(item) for item in items]``, the later part in a child process when worth it."""
    half = len(items) - int(len(items) * CHILD_SHARE)
    child = _fork_for(items[half:], work) if len(items) >= PARALLEL_FROM and _can_fork() else None
    if child is None:
        return [work(item) for item in items]
    import pickle  # only here: a plan of a few files need not load it

    pid, pipe = child
    try:
        mine = [work(item) for item in items[:half]]
        reading, pipe = os.fdopen(pipe, "rb"), -1  # closed by the file from here on
        with reading:
            raw = reading.read()
        status = os.waitpid(pid, 0)[1]
        pid = 0
        # S301: the bytes come from this process's own fork, through a pipe only it holds
        theirs: list[Result] = pickle.loads(raw) if status == 0 and raw else []  # noqa: S301
    finally:  # an error or Ctrl-C here leaves no child and no open pipe behind
        if pipe >= 0:
            os.close(pipe)
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if len(theirs) != len(items) - half:
        theirs = [work(item) for item in items[half:]]
    return mine + theirs


def _can_fork() -> bool:
    if sys.platform != "linux" or threading.active_count() != 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _fork_for(items: Sequence[Item], work: Callable[[Item], Result]) -> tuple[int, int] | None:
    """The child's pid and the pipe its results come through, or None if it cannot start."""
    parent = os.getpid()
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
    if pid == 0:  # pragma: no cover - the child; a test compares its results with a serial read
        status = 1
        try:
            import pickle

            gc.disable()
            os.close(read_end)
            done = [_unless_orphaned(parent, work, item) for item in items]
            payload = pickle.dumps(done, pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _unless_orphaned(parent: int, work: Callable[[Item], Result], item: Item) -> Result:
    """``work(item)``, unless this process (the child) has lost its parent (killed by a signal
    it could not catch: SIGKILL, or an OOM kill): then it ends at once, not after its share."""
    if os.getppid() != parent:  # pragma: no cover - the child
        os._exit(1)
    return work(item)
