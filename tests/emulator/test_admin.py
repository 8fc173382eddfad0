"""The admin endpoints of a served emulator, and what they refuse."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import EMULATOR_ADMIN_TOKEN

ADMIN = {"X-Emulator-Admin": EMULATOR_ADMIN_TOKEN}
BODY = {"name": "S", "flow": [{"from": "InfoSMS", "channel": "SMS"}]}


@pytest.fixture
def admin(emulator) -> httpx.Client:
    with httpx.Client(base_url=emulator.base_url + "/_emulator", headers=ADMIN) as c:
        yield c


@pytest.mark.parametrize("token", [None, "wrong"])
def test_admin_needs_the_token(emulator, token):
    headers = {"X-Emulator-Admin": token} if token else {}
    response = httpx.get(emulator.base_url + "/_emulator/faults", headers=headers)
    assert response.status_code == 401


def test_admin_is_absent_without_a_configured_token(emulator):
    emulator.state.admin_token = None
    try:
        response = httpx.get(emulator.base_url + "/_emulator/faults", headers=ADMIN)
        assert response.status_code == 404
    finally:
        emulator.state.admin_token = EMULATOR_ADMIN_TOKEN


def test_accounts_added_over_admin_can_call_the_api(emulator, admin):
    response = admin.post(
        "/accounts", json={"type": "basic", "credential": "ann:pw", "account": "ann"}
    )
    assert response.json() == {"account": "ann"}
    auth = httpx.BasicAuth("ann", "pw")
    created = httpx.post(emulator.base_url + "/omni/1/scenarios", json=BODY, auth=auth)
    assert created.status_code == 201
    assert [s.name for s in emulator.scenarios("ann")] == ["S"]


@pytest.mark.parametrize(
    "body",
    [{"type": "basic", "credential": "no-colon"}, {"type": "kerberos", "credential": "x"}, {}],
)
def test_bad_accounts_are_400(admin, body):
    assert admin.post("/accounts", json=body).status_code == 400


def test_faults_and_throttle_are_set_and_read_back(emulator, admin):
    account = emulator.add_account()
    assert admin.put("/faults", json={"burst_429": 1}).json()["burst_429"] == 1
    api = emulator.base_url + "/omni/1/scenarios"
    assert httpx.get(api, headers=account.headers).status_code == 429
    assert admin.get("/faults").status_code == 200
    throttle = admin.put("/throttle", json={"enabled": True, "create_limit": 1}).json()
    assert throttle["create_limit"] == 1
    assert httpx.post(api, json=BODY, headers=account.headers).status_code == 201
    assert httpx.post(api, json=BODY, headers=account.headers).status_code == 429
    assert admin.post("/reset").json() == {"reset": True}
    assert httpx.post(api, json=BODY, headers=account.headers).status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [("/faults", {"share_500": 2}), ("/faults", [1]), ("/throttle", {"window_seconds": -1})],
)
def test_bad_settings_are_400(admin, path, body):
    assert admin.put(path, json=body).status_code == 400


def test_reachability_is_set_over_admin(emulator, admin):
    assert admin.put("/reachability", json={"111": ["VIBER"]}).json() == {"111": ["VIBER"]}
    assert emulator.state.reachability.reachable("111", "SMS") is False
    assert admin.put("/reachability", json={"111": "VIBER"}).status_code == 400
    assert admin.put("/reachability", json={"111": ["PIGEON"]}).status_code == 400
    admin.post("/reset")
    assert admin.get("/reachability").json() == {}
