"""The scenario endpoints over real HTTP on loopback, rule by rule."""

from __future__ import annotations

import re

import httpx
import pytest

SMS = {"from": "InfoSMS", "channel": "SMS"}
EMAIL = {"from": "info@example.com", "channel": "EMAIL"}


def create(client: httpx.Client, name: str, default: bool = False, **extra: object) -> dict:
    response = client.post(
        "/omni/1/scenarios", json={"name": name, "flow": [SMS, EMAIL], "default": default, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()


def service_exception(response: httpx.Response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["requestError"]["serviceException"]


def test_create_answers_201_with_an_upper_hex_key_and_get_returns_it(client):
    created = create(client, "Orders")
    assert re.fullmatch(r"[0-9A-F]{32}", created["key"])
    assert created == {
        "key": created["key"],
        "name": "Orders",
        "flow": [SMS, EMAIL],
        "default": False,
    }
    assert client.get(f"/omni/1/scenarios/{created['key']}").json() == created


def test_update_replaces_flow_and_keeps_the_key(client, emulator, account):
    key = create(client, "Orders")["key"]
    response = client.put(f"/omni/1/scenarios/{key}", json={"name": "Renamed", "flow": [EMAIL]})
    assert response.status_code == 200
    assert response.json() == {"key": key, "name": "Renamed", "flow": [EMAIL], "default": False}
    [stored] = emulator.scenarios(account)
    assert (stored.key, stored.name, len(stored.flow)) == (key, "Renamed", 1)


def test_update_without_name_or_default_keeps_them(client):
    key = create(client, "Keep", default=True)["key"]
    response = client.put(f"/omni/1/scenarios/{key}", json={"flow": [EMAIL]})
    assert response.json()["name"] == "Keep"
    assert response.json()["default"] is True


def test_unknown_key_is_404_for_get_and_put(client):
    assert client.get("/omni/1/scenarios/" + "A" * 32).status_code == 404
    response = client.put("/omni/1/scenarios/" + "A" * 32, json={"flow": [SMS]})
    assert response.status_code == 404
    assert service_exception(response)["messageId"] == "NOT_FOUND"


def test_promoting_clears_the_old_default(client):
    first = create(client, "First", default=True)["key"]
    second = create(client, "Second")["key"]
    client.put(f"/omni/1/scenarios/{second}", json={"flow": [SMS], "default": True})
    defaults = client.get("/omni/1/scenarios", params={"isDefault": "true"}).json()["scenarios"]
    assert [s["key"] for s in defaults] == [second]
    assert client.get(f"/omni/1/scenarios/{first}").json()["default"] is False


def test_creating_a_default_clears_the_old_default(client):
    create(client, "First", default=True)
    second = create(client, "Second", default=True)["key"]
    defaults = client.get("/omni/1/scenarios?isDefault=true").json()["scenarios"]
    assert [s["key"] for s in defaults] == [second]


def test_demoting_the_current_default_is_400_and_changes_nothing(client):
    key = create(client, "Default", default=True)["key"]
    response = client.put(
        f"/omni/1/scenarios/{key}", json={"name": "Changed", "flow": [SMS], "default": False}
    )
    assert response.status_code == 400
    assert "default" in service_exception(response)["validationErrors"]
    assert client.get(f"/omni/1/scenarios/{key}").json()["name"] == "Default"


def test_default_scenario_spelling_is_accepted(client):
    response = client.post("/omni/1/scenarios", json={"flow": [SMS], "defaultScenario": True})
    assert response.json()["default"] is True
    response = client.post(
        "/omni/1/scenarios", json={"flow": [SMS], "default": True, "defaultScenario": False}
    )
    assert response.status_code == 400
    assert "defaultScenario" in service_exception(response)["validationErrors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x"}, "flow"),
        ({"flow": []}, "flow"),
        ({"flow": "SMS"}, "flow"),
        ({"flow": [{"from": "x"}]}, "flow[0].channel"),
        ({"flow": [{"from": "x", "channel": "TELEGRAM"}]}, "flow[0].channel"),
        ({"flow": [SMS, {"from": "", "channel": "SMS"}]}, "flow[1].from"),
        ({"flow": ["SMS"]}, "flow[0]"),
        ({"flow": [SMS], "name": 5}, "name"),
        ({"flow": [SMS], "default": "yes"}, "default"),
        ([1, 2], "body"),
    ],
)
def test_bad_bodies_are_400_naming_the_field(client, emulator, account, body, field):
    response = client.post("/omni/1/scenarios", json=body)
    assert response.status_code == 400
    details = service_exception(response)
    assert details["messageId"] == "BAD_REQUEST"
    assert field in details["validationErrors"]
    assert emulator.scenarios(account) == []


def test_body_that_is_not_json_is_400(client):
    response = client.post("/omni/1/scenarios", content=b"{not json")
    assert response.status_code == 400
    assert service_exception(response)["validationErrors"] == {"body": ["must be valid JSON"]}


def test_pages_are_zero_based_in_creation_order(client):
    keys = [create(client, f"S{i}")["key"] for i in range(5)]

    def page(n):
        return [
            s["key"] for s in client.get(f"/omni/1/scenarios?page={n}&limit=2").json()["scenarios"]
        ]

    assert [page(0), page(1), page(2), page(3)] == [keys[:2], keys[2:4], keys[4:], []]
    assert len(client.get("/omni/1/scenarios").json()["scenarios"]) == 5


def test_listing_gives_back_names_and_senders_exactly_as_created(client):
    """The listing splices stored JSON into its body: awkward text must survive it."""
    name = 'Quotes " and \\ backslash, é, 日本, tab\t and a newline\n'
    flow = [{"from": 'Café "Ü" <a@example.com>', "channel": "EMAIL"}, SMS]
    created = create(client, name, default=True, flow=flow)
    response = client.get("/omni/1/scenarios")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"scenarios": [created]}
    assert (created["name"], created["flow"], created["default"]) == (name, flow, True)


def test_limit_defaults_to_100(client, emulator, account):
    from omni_sync.emulator.scenario_store import ScenarioInput
    from omni_sync.model.scenario import Step

    for i in range(105):
        emulator.state.scenarios.create(
            account.account_id, ScenarioInput(flow=(Step.model_validate(SMS),), name=f"S{i}")
        )
    assert len(client.get("/omni/1/scenarios").json()["scenarios"]) == 100
    assert len(client.get("/omni/1/scenarios?page=1").json()["scenarios"]) == 5


@pytest.mark.parametrize(
    "query", ["limit=abc", "limit=-1", "limit=1001", "page=-2", "isDefault=maybe", "page=x"]
)
def test_bad_query_parameters_are_400(client, query):
    response = client.get(f"/omni/1/scenarios?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in service_exception(response)["validationErrors"]


def test_is_default_false_lists_the_others(client):
    create(client, "D", default=True)
    other = create(client, "O")["key"]
    listed = client.get("/omni/1/scenarios?isDefault=false").json()["scenarios"]
    assert [s["key"] for s in listed] == [other]


@pytest.mark.parametrize(
    "authorization",
    [None, "App wrong-key", "Basic !!!", "Basic " + "bm9jb2xvbg==", "Token abc", "App", ""],
)
def test_missing_or_wrong_credentials_are_401(emulator, account, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = httpx.get(emulator.base_url + "/omni/1/scenarios", headers=headers)
    assert response.status_code == 401
    assert service_exception(response)["messageId"] == "UNAUTHORIZED"


@pytest.mark.parametrize("kind", ["app", "basic", "ibsso", "bearer"])
def test_every_credential_kind_is_its_own_account(emulator, kind):
    one, two = emulator.add_account(kind), emulator.add_account(kind)
    assert one.secret != two.secret
    assert (":" in one.secret) == (kind == "basic")
    url = emulator.base_url + "/omni/1/scenarios"
    body = {"name": "Mine", "flow": [SMS]}
    assert httpx.post(url, json=body, headers=one.headers).status_code == 201
    assert len(httpx.get(url, headers=one.headers).json()["scenarios"]) == 1
    assert httpx.get(url, headers=two.headers).json()["scenarios"] == []
    assert len(emulator.scenarios(one)) == 1


def test_a_key_of_another_account_is_404(emulator, client):
    key = create(client, "Mine")["key"]
    other = emulator.add_account()
    response = httpx.get(f"{emulator.base_url}/omni/1/scenarios/{key}", headers=other.headers)
    assert response.status_code == 404


def test_unknown_paths_and_methods_answer_in_the_error_shape(client):
    assert service_exception(client.get("/omni/1/nothing"))["messageId"] == "NOT_FOUND"
    response = client.delete("/omni/1/scenarios/" + "A" * 32)
    assert response.status_code == 405
    assert service_exception(response)["messageId"] == "METHOD_NOT_ALLOWED"
