"""100 concurrent clients, 5,000 mixed requests over loopback: every answer right, no scenario
lost or duplicated, one default per account.

Each client is a thread with its own keep-alive connection (stdlib ``http.client``: it costs
a fifth of an async httpx client per request, which keeps this test to seconds)."""

from __future__ import annotations

import http.client
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from omni_sync.emulator.harness import EmulatorAccount, EmulatorHarness

CLIENTS = 100
ACCOUNTS = 10
CREATES, UPDATES, GETS, LISTS = 10, 10, 15, 15  # 50 requests per client
FLOW = [{"from": "InfoSMS", "channel": "SMS"}]


class Client:
    def __init__(self, emulator: EmulatorHarness, account: EmulatorAccount) -> None:
        self.connection = http.client.HTTPConnection(
            emulator.server.host, emulator.server.port, timeout=120
        )
        self.headers = {**account.headers, "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        payload = None if body is None else json.dumps(body)
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())


def run_client(emulator: EmulatorHarness, account: EmulatorAccount, number: int) -> dict[str, str]:
    """Creates its scenarios, renames and reads them; returns key -> the name it left."""
    client = Client(emulator, account)
    mine: dict[str, str] = {}
    for i in range(CREATES):
        body = {"name": f"c{number}-s{i}", "flow": FLOW, "default": i == CREATES - 1}
        status, answer = client.call("POST", "/omni/1/scenarios", body)
        assert status == 201, answer
        mine[answer["key"]] = body["name"]
    keys = list(mine)
    for i in range(UPDATES):
        key, name = keys[i % len(keys)], f"c{number}-s{i}-renamed"
        status, answer = client.call(
            "PUT", f"/omni/1/scenarios/{key}", {"name": name, "flow": FLOW}
        )
        assert (status, answer["key"], answer["name"]) == (200, key, name)
        mine[key] = name
    for i in range(GETS):
        key = keys[i % len(keys)]
        status, answer = client.call("GET", f"/omni/1/scenarios/{key}")
        assert (status, answer["name"]) == (200, mine[key])
    for _ in range(LISTS):
        status, answer = client.call("GET", "/omni/1/scenarios?limit=1000")
        assert status == 200
        assert set(keys) <= {s["key"] for s in answer["scenarios"]}
    client.connection.close()
    return mine


def test_concurrent_clients_lose_and_duplicate_nothing(emulator: EmulatorHarness):
    accounts = [emulator.add_account() for _ in range(ACCOUNTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(
            pool.map(lambda n: run_client(emulator, accounts[n % ACCOUNTS], n), range(CLIENTS))
        )
    assert sum(len(r) for r in results) == CLIENTS * CREATES
    for index, account in enumerate(accounts):
        expected: dict[str, str] = {}
        for result in results[index::ACCOUNTS]:
            expected.update(result)
        stored = emulator.scenarios(account)
        assert Counter(s.key for s in stored) == Counter(expected.keys())
        assert {s.key: s.name for s in stored} == expected
        assert sum(s.default for s in stored) == 1
