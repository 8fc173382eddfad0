#!/usr/bin/env python3
"""Reading listing pages: 10 pages of 1,000 scenarios parsed into RemoteScenario, with the model
as it is (keys read as text or as the spec's integers, the default flag as ``default`` or
``defaultScenario``) and with a plain copy of it that reads text keys and ``default`` only:
the cost of reading what the spec allows. Same data, same process, interleaved; median of the
runs. Reports, never asserts.

    python bench/parse_listing.py [--pages 10] [--page-size 1000] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from omni_sync.model.scenario import RemoteScenario, Step


class PlainScenario(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    flow: tuple[Step, ...]
    default: bool = False


class PlainPage(BaseModel):
    scenarios: list[PlainScenario]


class Page(BaseModel):
    scenarios: list[RemoteScenario]


def pages(count: int, size: int) -> list[bytes]:
    flow = [{"from": "Shop", "channel": "SMS"}, {"from": "3045", "channel": "VIBER"}]
    return [
        json.dumps(
            {
                "scenarios": [
                    {"key": f"{p * size + i:032X}", "name": f"s{p}-{i}", "flow": flow}
                    for i in range(size)
                ]
            }
        ).encode()
        for p in range(count)
    ]


def seconds(model: type[BaseModel], data: list[bytes]) -> float:
    started = time.perf_counter()
    for page in data:
        model.model_validate_json(page)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    data = pages(args.pages, args.page_size)
    plain: list[float] = []
    spec: list[float] = []
    for _ in range(args.runs):
        plain.append(seconds(PlainPage, data))
        spec.append(seconds(Page, data))
    count = args.pages * args.page_size
    print(f"{count:,} scenarios in {args.pages} pages, median of {args.runs} runs:")
    print(f"  text keys, `default` only:          {statistics.median(plain) * 1000:7.1f} ms")
    print(f"  text or integer keys, both flags:   {statistics.median(spec) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
