"""Emulator throughput: concurrent clients (threads, one keep-alive connection each) share
mixed requests (20% create, 20% update, 30% get, 30% list) against a served emulator. Reports
requests per second, and checks every answer and that no scenario was lost or duplicated.

    python bench/emulator_throughput.py [--clients 100] [--requests 5000] [--accounts 10]
    python bench/emulator_throughput.py --base-url http://127.0.0.1:8090 --api-key KEY [...]

Without --base-url it serves the emulator itself (``omni-sync emulator serve --no-throttle``).
The last line of stdout is a JSON summary; tests/emulator/test_concurrency.py reads it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
FLOW = [{"from": "InfoSMS", "channel": "SMS"}]


class Client:
    def __init__(self, base_url: str, api_key: str) -> None:
        url = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=120)
        self.headers = {"Authorization": f"App {api_key}", "Content-Type": "application/json"}
        self.kinds: Counter[str] = Counter()
        self.errors: list[str] = []
        self.mine: dict[str, str] = {}  # key -> the name this client left on it

    def call(self, kind: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = None if body is None else json.dumps(body)
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        self.kinds[kind] += 1
        return response.status, json.loads(response.read())

    def expect(self, ok: bool, what: str) -> None:
        if not ok:
            self.errors.append(what)


def share(requests: int) -> tuple[int, int, int, int]:
    creates = max(1, requests * 2 // 10)
    updates = requests * 2 // 10
    gets = requests * 3 // 10
    return creates, updates, gets, requests - creates - updates - gets


def run_client(base_url: str, api_key: str, number: int, requests: int) -> Client:
    """Creates scenarios, renames and reads them."""
    client = Client(base_url, api_key)
    creates, updates, gets, lists = share(requests)
    mine = client.mine
    for i in range(creates):
        name = f"c{number}-s{i}"
        body = {"name": name, "flow": FLOW, "default": i == creates - 1}
        status, answer = client.call("create", "POST", "/omni/1/scenarios", body)
        client.expect(status == 201 and "key" in answer, f"create: {status}")
        mine[answer.get("key", f"missing-{i}")] = name
    keys = list(mine)
    for i in range(updates):
        key, name = keys[i % len(keys)], f"c{number}-s{i}-renamed"
        status, answer = client.call(
            "update", "PUT", f"/omni/1/scenarios/{key}", {"name": name, "flow": FLOW}
        )
        client.expect(status == 200 and answer.get("name") == name, f"update: {status}")
        mine[key] = name
    for i in range(gets):
        key = keys[i % len(keys)]
        status, answer = client.call("get", "GET", f"/omni/1/scenarios/{key}")
        client.expect(status == 200 and answer.get("name") == mine[key], f"get: {status}")
    for _ in range(lists):
        status, answer = client.call("list", "GET", "/omni/1/scenarios?limit=1000")
        listed = {s["key"] for s in answer.get("scenarios", [])}
        client.expect(status == 200 and set(keys) <= listed, f"list: {status}")
    client.connection.close()
    return client


def stored(base_url: str, api_key: str) -> list[dict[str, Any]]:
    client, page = Client(base_url, api_key), 0
    found: list[dict[str, Any]] = []
    while True:
        _, answer = client.call("check", "GET", f"/omni/1/scenarios?limit=1000&page={page}")
        found += answer["scenarios"]
        if len(answer["scenarios"]) < 1000:
            return found
        page += 1


def verify(base_url: str, keys: list[str], clients: list[Client]) -> dict[str, int]:
    lost = duplicated = wrong = defaults = 0
    for index, key in enumerate(keys):
        expected: dict[str, str] = {}
        for client in clients[index :: len(keys)]:
            expected.update(client.mine)
        found = stored(base_url, key)
        counts = Counter(s["key"] for s in found)
        lost += len(set(expected) - set(counts))
        duplicated += sum(n - 1 for n in counts.values()) + len(set(counts) - set(expected))
        wrong += sum(1 for s in found if expected.get(s["key"], s["name"]) != s["name"])
        defaults += int(sum(s["default"] for s in found) != 1)
    return {"lost": lost, "duplicated": duplicated, "wrong_names": wrong, "bad_defaults": defaults}


def measure(base_url: str, keys: list[str], clients: int, requests: int) -> dict[str, Any]:
    per_client = requests // clients
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        done = list(
            pool.map(
                lambda n: run_client(base_url, keys[n % len(keys)], n, per_client), range(clients)
            )
        )
    seconds = time.perf_counter() - started
    kinds = sum((c.kinds for c in done), Counter())
    total = sum(kinds.values())
    summary = {"clients": clients, "requests": total, "seconds": round(seconds, 3),
               "requests_per_second": round(total / seconds, 1), "by_kind": dict(kinds),
               "errors": sum(len(c.errors) for c in done)}  # fmt: skip
    summary.update(verify(base_url, keys, done))
    return summary


@contextmanager
def serve(keys: list[str]) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNI_SYNC_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    command = [
        sys.executable,
        "-m",
        "omni_sync",
        "emulator",
        "serve",
        "--port",
        "0",
        "--no-throttle",
        "--quiet",
    ]
    process = subprocess.Popen(
        command + [f"--api-key={k}" for k in keys], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stderr.readline() if process.stderr else ""
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if not found:
            raise SystemExit(f"the emulator did not start: {line}")
        yield found.group(0)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--base-url", help="a running emulator (else one is served)")
    parser.add_argument("--api-key", action="append", help="its accounts' App keys (repeat)")
    args = parser.parse_args()
    if args.base_url:
        if not args.api_key:
            parser.error("--base-url needs --api-key")
        summary = measure(args.base_url, args.api_key, args.clients, args.requests)
    else:
        keys = [f"throughput-key-{n}" for n in range(args.accounts)]
        with serve(keys) as base_url:
            summary = measure(base_url, keys, args.clients, args.requests)
    print(f"{summary['requests']:,} requests from {summary['clients']} clients in "
          f"{summary['seconds']:.2f} s: {summary['requests_per_second']:,.0f} requests/s; "
          f"errors {summary['errors']}, lost {summary['lost']}, duplicated {summary['duplicated']}",
          file=sys.stderr)  # fmt: skip
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
