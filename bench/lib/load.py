"""A load generator for the emulator: ``python -m bench.lib.load SETTINGS_JSON``.

``clients`` concurrent clients (one connection each) share ``requests`` mixed requests:
half list a page, a quarter get one scenario, the rest create or update one. Counts by
method and status go to BENCH_COUNTS_FILE; it prints ``{"seconds", "errors", "final"}``
where ``final`` is how many scenarios the account holds at the end (seeded + created)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

PATH = "/omni/1/scenarios"
KINDS = ("list", "get", "create", "update")
WEIGHTS = (50, 25, 15, 10)


class Load:
    def __init__(self, base_url: str, key: str, requests: int, seed: int) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"App {key}"}
        self.tickets = iter(range(requests))
        self.counts: Counter[str] = Counter()
        self.created = 0
        self.keys: list[str] = []
        self.plan = random.Random(seed).choices(KINDS, WEIGHTS, k=requests)

    async def client(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, headers=self.headers) as http:
            for ticket in self.tickets:
                response = await self.send(http, self.plan[ticket], ticket)
                self.counts[response.request.method] += 1
                if response.status_code >= 400:
                    self.counts["errors"] += 1
                elif response.request.method == "POST":
                    self.created += 1

    async def send(self, http: httpx.AsyncClient, kind: str, ticket: int) -> httpx.Response:
        body = {"name": f"Load {ticket}", "flow": [{"from": "LoadTest", "channel": "SMS"}]}
        key = self.keys[ticket % len(self.keys)]
        if kind == "list":
            return await http.get(PATH, params={"page": ticket % 3, "limit": 100})
        if kind == "get":
            return await http.get(f"{PATH}/{key}")
        if kind == "create":
            return await http.post(PATH, json=body)
        return await http.put(f"{PATH}/{key}", json=body)

    async def total(self) -> int:
        """How many scenarios the account holds (and, the first time, some keys to use)."""
        total, page, full = 0, 0, True
        async with httpx.AsyncClient(base_url=self.base_url, headers=self.headers) as http:
            while full:
                found = (await http.get(PATH, params={"page": page, "limit": 1000})).json()
                if not self.keys:
                    self.keys = [item["key"] for item in found["scenarios"]]
                total += len(found["scenarios"])
                full, page = len(found["scenarios"]) == 1000, page + 1
        return total


async def run(settings: dict[str, Any]) -> dict[str, Any]:
    load = Load(settings["base_url"], settings["key"], settings["requests"], seed=8)
    before = await load.total()
    started = time.perf_counter()
    await asyncio.gather(*(load.client() for _ in range(settings["clients"])))
    seconds = time.perf_counter() - started
    after = await load.total()
    target = os.environ.get("BENCH_COUNTS_FILE")
    if target:
        Path(target).write_text(json.dumps({k: v for k, v in load.counts.items() if k != "errors"}))
    lost = before + load.created - after
    return {"seconds": seconds, "errors": load.counts["errors"], "lost_or_duplicated": lost}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))))
