"""The per-scenario refresh a plan is compared with: ``python -m bench.lib.refresh SETTINGS``.

It reads the account the way Terraform refreshes state, one resource at a time: list the
pages to find the keys, then GET each scenario, ``parallelism`` at once (Terraform's default
is 10). Counts go to BENCH_COUNTS_FILE; it prints ``{"scenarios": N}``."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

PATH = "/omni/1/scenarios"


async def refresh(settings: dict[str, Any], counts: Counter[str]) -> int:
    headers = {"Authorization": f"App {settings['key']}"}
    limit = settings["page_limit"]
    gate = asyncio.Semaphore(settings["parallelism"])
    limits = httpx.Limits(max_connections=settings["parallelism"])
    async with httpx.AsyncClient(
        base_url=settings["base_url"], headers=headers, limits=limits
    ) as http:
        keys: list[str] = []
        page, full = 0, True
        while full:
            answer = await http.get(PATH, params={"page": page, "limit": limit})
            counts["GET"] += 1
            found = answer.raise_for_status().json()["scenarios"]
            keys += [item["key"] for item in found]
            full, page = len(found) == limit, page + 1

        async def read(key: str) -> None:
            async with gate:
                (await http.get(f"{PATH}/{key}")).raise_for_status()
                counts["GET"] += 1

        await asyncio.gather(*(read(key) for key in keys))
    return len(keys)


def main(raw: str) -> None:
    counts: Counter[str] = Counter()
    scenarios = asyncio.run(refresh(json.loads(raw), counts))
    target = os.environ.get("BENCH_COUNTS_FILE")
    if target:
        Path(target).write_text(json.dumps(dict(counts)))
    print(json.dumps({"scenarios": scenarios}))


if __name__ == "__main__":
    main(sys.argv[1])
