"""A small process that starts each measured command and reports its rusage.

Why: on Linux a child's ``ru_maxrss`` starts at the resident size of the process that
spawned it (the memory map it leaves behind at ``exec`` counts), so children spawned by the
harness itself, which holds generated data, would all look as big as the harness. Run with
``python -S`` and only the standard library, this spawner stays a few MB, below any Python
child it measures.

Protocol, one JSON object a line: in ``{"argv", "cwd", "env", "out"}``; out first
``{"pid"}``, then ``{"wall", "cpu", "maxrss_kb", "status"}``."""

import json
import os
import sys
import time


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ]
        os.chdir(job["cwd"])
        start = time.perf_counter()
        pid = os.posix_spawnp(job["argv"][0], job["argv"], job["env"], file_actions=actions)
        print(json.dumps({"pid": pid}), flush=True)
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        report = {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss_kb": usage.ru_maxrss,
            "status": os.waitstatus_to_exitcode(status),
        }
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    serve()
