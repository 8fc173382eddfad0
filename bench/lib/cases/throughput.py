"""Emulator throughput (issue 3): concurrent clients doing mixed requests against the served
emulator, no throttling, no faults. Reported as requests per second; the check is that every
answer was a success and no scenario was lost or duplicated."""

from __future__ import annotations

import json
import sys

from bench.lib.context import Context
from bench.lib.emulator import ServerSettings, served
from bench.lib.measure import run_measured
from bench.lib.results import Check, Row


def run(ctx: Context) -> list[Row]:
    clients, requests = (10, 200) if ctx.quick else (100, 5_000)
    with served(ServerSettings(scenarios=200)) as server:
        settings = {
            "base_url": server.base_url,
            "key": server.keys[0],
            "clients": clients,
            "requests": requests,
        }
        ctx.log(f"throughput: {clients} clients, {requests:,} requests")
        measured = run_measured(
            [sys.executable, "-m", "bench.lib.load", json.dumps(settings)], cwd=ctx.workdir
        )
    result = json.loads(measured.output.strip().splitlines()[-1])
    rate = requests / result["seconds"]
    failures = result["errors"] + abs(result["lost_or_duplicated"])
    return [
        Row(
            "emulator throughput",
            f"{clients} clients x {requests:,} req",
            measured,
            [Check("failures", failures, 1, 0, unit="", floor_text="no failed answer, none lost")],
            note=f"{rate:,.0f} req/s",
        )
    ]
