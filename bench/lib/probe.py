"""Run the omni-sync CLI in this process, counting every HTTP request it sends.

``python -m bench.lib.probe ARGS`` behaves as ``omni-sync ARGS``; on exit it writes
``{"GET": n, "PUT": n, ..., "429": n, "5xx": n, "write_span_ms": t}`` to the file named by
BENCH_COUNTS_FILE. Counting at httpx's ``AsyncClient.send`` sees every attempt (retries
included), for the served emulator and the embedded one alike. ``write_span_ms`` is the time
from the first write (POST/PUT) sent to the last one answered: the apply phase, free of
start-up and planning."""

from __future__ import annotations

import atexit
import json
import os
import runpy
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

counts: Counter[str] = Counter()
writes: list[float] = []
WRITES = ("POST", "PUT")


def record(method: str, status: int | None) -> None:
    counts[method] += 1
    if status == 429:
        counts["429"] += 1
    elif status is not None and status >= 500:
        counts["5xx"] += 1
    elif status is None:
        counts["failed"] += 1


def install() -> None:
    original = httpx.AsyncClient.send

    async def counted_send(self: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> Any:
        if request.method in WRITES and not writes:
            writes.append(time.monotonic())
        try:
            response = await original(self, request, **kw)
        except httpx.HTTPError:
            record(request.method, None)
            raise
        record(request.method, response.status_code)
        if request.method in WRITES:
            writes[1:] = [time.monotonic()]
        return response

    httpx.AsyncClient.send = counted_send  # type: ignore[method-assign]


def write_counts() -> None:
    target = os.environ.get("BENCH_COUNTS_FILE")
    if target:
        report = dict(counts)
        if len(writes) == 2:
            report["write_span_ms"] = round((writes[1] - writes[0]) * 1000)
        Path(target).write_text(json.dumps(report))


def main() -> None:
    install()
    atexit.register(write_counts)
    sys.argv = ["omni-sync", *sys.argv[1:]]
    runpy.run_module("omni_sync", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
