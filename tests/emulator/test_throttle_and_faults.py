"""Throttling and injected faults, through a real loopback server."""

from __future__ import annotations

import httpx
import pytest

from omni_sync.emulator.faults import FaultSettings
from omni_sync.emulator.throttle import Throttle, ThrottleSettings

BODY = {"name": "S", "flow": [{"from": "InfoSMS", "channel": "SMS"}]}


def test_documented_limits_are_20_creates_and_40_updates_per_10_minutes():
    settings = ThrottleSettings()
    assert (settings.create_limit, settings.update_limit, settings.window_seconds) == (20, 40, 600)


def test_creates_over_the_limit_are_429_and_not_stored(emulator, client, account):
    emulator.set_throttle(create_limit=3)
    codes = [client.post("/omni/1/scenarios", json=BODY).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    assert len(emulator.scenarios(account)) == 3
    last = client.post("/omni/1/scenarios", json=BODY)
    assert last.json()["requestError"]["serviceException"]["messageId"] == "TOO_MANY_REQUESTS"
    assert client.get("/omni/1/scenarios").status_code == 200


def test_updates_have_their_own_limit_per_account(emulator, client):
    emulator.set_throttle(create_limit=1, update_limit=2)
    key = client.post("/omni/1/scenarios", json=BODY).json()["key"]
    codes = [client.put(f"/omni/1/scenarios/{key}", json=BODY).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = emulator.add_account()
    response = httpx.post(emulator.base_url + "/omni/1/scenarios", json=BODY, headers=other.headers)
    assert response.status_code == 201


def test_the_window_slides():
    now = [0.0]
    throttle = Throttle(ThrottleSettings(create_limit=2, window_seconds=10), clock=lambda: now[0])
    assert [throttle.allow("a", "create") for _ in range(3)] == [True, True, False]
    now[0] = 10.0
    assert throttle.allow("a", "create") is True
    throttle.reset()
    assert [throttle.allow("a", "create") for _ in range(2)] == [True, True]


@pytest.mark.parametrize(
    "fields",
    [{"window_seconds": 0}, {"create_limit": 0}, {"nonsense": 1}],
)
def test_bad_throttle_settings_are_refused(fields):
    with pytest.raises(ValueError):
        ThrottleSettings().changed(**fields)


@pytest.mark.parametrize(
    "fields",
    [{"share_500": 1.5}, {"share_500": 0.6, "share_503": 0.6}, {"latency_ms": -1}, {"bogus": 1}],
)
def test_bad_fault_settings_are_refused(fields):
    with pytest.raises(ValueError):
        FaultSettings().changed(**fields)


def test_a_429_burst_answers_the_next_requests_then_stops(emulator, client):
    emulator.set_faults(burst_429=2)
    codes = [client.get("/omni/1/scenarios").status_code for _ in range(3)]
    assert codes == [429, 429, 200]


@pytest.mark.parametrize(("share", "status"), [("share_500", 500), ("share_503", 503)])
def test_server_errors_in_the_error_shape(emulator, client, account, share, status):
    emulator.set_faults(**{share: 1.0})
    response = client.post("/omni/1/scenarios", json=BODY)
    assert response.status_code == status
    assert "serviceException" in response.json()["requestError"]
    assert emulator.scenarios(account) == []


def test_a_seeded_share_of_errors_is_repeatable(emulator, client):
    def run() -> list[int]:
        emulator.set_faults(share_500=0.3, share_503=0.2, seed=7)
        return [client.get("/omni/1/scenarios").status_code for _ in range(40)]

    first = run()
    assert first == run()
    assert {200, 500, 503} == set(first)


def test_latency_delays_answers(emulator, client):
    settings = emulator.set_faults(latency_ms=30, jitter_ms=10)
    assert 0.03 <= emulator.state.faults.delay_seconds() <= 0.04
    assert settings.latency_ms == 30
    assert client.get("/omni/1/scenarios").status_code == 200


def test_a_dropped_connection_after_a_committed_create(emulator, client, account):
    emulator.set_faults(drop_next=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/omni/1/scenarios", json=BODY)
    assert len(emulator.scenarios(account)) == 1
    assert client.post("/omni/1/scenarios", json=BODY).status_code == 201


def test_a_dropped_connection_after_a_committed_update(emulator, client, account):
    key = client.post("/omni/1/scenarios", json=BODY).json()["key"]
    emulator.set_faults(drop_share=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        client.put(f"/omni/1/scenarios/{key}", json={**BODY, "name": "Changed"})
    assert emulator.scenarios(account)[0].name == "Changed"


def test_failed_writes_never_drop(emulator, client):
    emulator.set_faults(drop_next=1)
    assert client.post("/omni/1/scenarios", json={"flow": []}).status_code == 400
    assert client.get("/omni/1/scenarios").status_code == 200


def test_create_answer_without_key_when_asked(emulator, client, account):
    emulator.set_faults(omit_create_key=True)
    created = client.post("/omni/1/scenarios", json=BODY).json()
    assert "key" not in created
    assert created["name"] == "S"
    assert len(emulator.scenarios(account)) == 1
