"""Sending through scenarios over loopback: failover across steps, reports and logs."""

from __future__ import annotations

import httpx
import pytest

PHONE = "41793026727"
MAIL = "jane@example.com"
FLOW = [
    {"from": "InfoSMS", "channel": "SMS"},
    {"from": "3045", "channel": "VIBER"},
    {"from": "info@example.com", "channel": "EMAIL"},
]
CONTENT = {"sms": {"text": "Hi by SMS"}, "viber": {"text": "Hi on Viber"},
           "email": {"text": "Hi by mail", "subject": "Hello"}}  # fmt: skip


@pytest.fixture
def key(client: httpx.Client) -> str:
    body = {"name": "Orders", "flow": FLOW, "default": True}
    return client.post("/omni/1/scenarios", json=body).json()["key"]


def send(client: httpx.Client, **body: object) -> httpx.Response:
    destinations = body.pop("destinations", [{"to": {"phoneNumber": PHONE, "emailAddress": MAIL}}])
    return client.post("/omni/1/advanced", json={"destinations": destinations, **CONTENT, **body})


def reports(client: httpx.Client, **params: str) -> list[dict]:
    return client.get("/omni/1/reports", params=params).json()["results"]


def test_step_one_delivers_when_reachable(client, key):
    answer = send(client, scenarioKey=key).json()
    [message] = answer["messages"]
    assert message["status"]["groupName"] == "PENDING"
    assert "bulkId" not in answer
    [report] = reports(client)
    assert (report["channel"], report["status"]["groupName"], report["to"]) == (
        "SMS",
        "DELIVERED",
        PHONE,
    )
    assert report["messageId"] == message["messageId"]


def test_step_two_takes_over_when_step_one_cannot_reach(emulator, client, key):
    emulator.set_reachable(PHONE, "VIBER")
    send(client, scenarioKey=key)
    [report] = reports(client)
    assert (report["channel"], report["status"]["groupName"]) == ("VIBER", "DELIVERED")
    [log] = client.get("/omni/1/logs").json()["results"]
    assert (log["from"], log["text"], log["channel"]) == ("3045", "Hi on Viber", "VIBER")


def test_email_is_reached_on_the_mail_address(emulator, client, key):
    emulator.set_reachable(PHONE)
    send(client)
    [report] = reports(client)
    assert (report["channel"], report["to"]) == ("EMAIL", MAIL)


def test_undeliverable_on_every_step_reports_the_last_step_tried(emulator, client, key):
    emulator.set_reachable(PHONE)
    emulator.set_reachable(MAIL)
    send(client)
    [report] = reports(client)
    assert (report["channel"], report["status"]["groupName"]) == ("EMAIL", "UNDELIVERABLE")
    assert report["error"]["name"] == "EC_ABSENT_SUBSCRIBER"


def test_steps_without_content_are_skipped(client, key):
    send(client, sms=None, viber={"text": "Only Viber"})
    [report] = reports(client)
    assert report["channel"] == "VIBER"


def test_reports_are_handed_out_once_but_logs_stay(client, key):
    send(client)
    assert len(reports(client)) == 1
    assert reports(client) == []
    assert len(client.get("/omni/1/logs").json()["results"]) == 1


def test_bulk_ids_and_message_ids_and_filters(client, key):
    destinations = [
        {"messageId": "m-1", "to": {"phoneNumber": "111"}},
        {"messageId": "m-2", "to": {"phoneNumber": "222"}},
    ]
    answer = send(client, destinations=destinations, bulkId="bulk-1").json()
    assert answer["bulkId"] == "bulk-1"
    assert [m["messageId"] for m in answer["messages"]] == ["m-1", "m-2"]
    logs = lambda **p: client.get("/omni/1/logs", params=p).json()["results"]  # noqa: E731
    assert [log["messageId"] for log in logs(to="222")] == ["m-2"]
    assert len(logs(bulkId="bulk-1,other")) == 2
    assert len(logs(messageId="m-1")) == 1
    assert len(logs(generalStatus="DELIVERED", channel="SMS")) == 2
    assert logs(generalStatus="PENDING") == []
    assert logs(**{"from": "nobody"}) == []
    assert (
        len(logs(sentSince="2020-01-01T00:00:00.000+01:00", sentUntil="2999-01-01T00:00:00Z")) == 2
    )
    assert logs(sentUntil="2020-01-01T00:00:00") == []
    assert [r["messageId"] for r in reports(client, messageId="m-2", limit="5")] == ["m-2"]
    assert reports(client, channel="VIBER") == []
    two = send(client, destinations=destinations[:1] * 2).json()
    assert two["bulkId"]


def test_long_sms_counts_its_parts(client, key):
    send(client, sms={"text": "x" * 161})
    [report] = reports(client)
    assert report["messageCount"] == 2


def test_without_scenario_key_the_default_is_used(client):
    response = send(client)
    assert response.status_code == 400
    assert "scenarioKey" in response.json()["requestError"]["serviceException"]["validationErrors"]
    body = {"name": "Mail", "flow": FLOW[2:], "default": True}
    client.post("/omni/1/scenarios", json=body)
    send(client)
    assert reports(client)[0]["channel"] == "EMAIL"


def test_text_endpoint_sends_one_text_on_every_channel(emulator, client, key):
    emulator.set_reachable(PHONE, "EMAIL")
    body = {"destinations": [{"to": {"phoneNumber": PHONE, "emailAddress": MAIL}}],
            "text": "Same everywhere", "mailSubject": "Subject"}  # fmt: skip
    assert client.post("/omni/1/text", json=body).status_code == 200
    [log] = client.get("/omni/1/logs").json()["results"]
    assert (log["channel"], log["text"]) == ("EMAIL", "Same everywhere")
    assert client.post("/omni/1/text", json={**body, "text": ""}).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"destinations": []}, "destinations"),
        ({"destinations": [{"to": {}}]}, "destinations[0].to"),
        (
            {"destinations": [{"to": {"phoneNumber": "1"}, "messageId": 5}]},
            "destinations[0].messageId",
        ),
        ({"scenarioKey": "NOPE"}, "scenarioKey"),
        ({"sms": "text"}, "sms"),
        ({"sms": {"text": 5}}, "sms.text"),
        ({"sms": None, "viber": None, "email": None}, "sms"),
    ],
)
def test_bad_sends_are_400_naming_the_field(client, key, body, field):
    response = send(client, **body)
    assert response.status_code == 400
    assert field in response.json()["requestError"]["serviceException"]["validationErrors"]


@pytest.mark.parametrize(
    "query",
    ["generalStatus=LOST", "channel=PIGEON", "limit=1001", "sentSince=yesterday"],
)
def test_bad_log_queries_are_400(client, query):
    assert client.get(f"/omni/1/logs?{query}").status_code == 400


def test_sending_needs_credentials(emulator):
    assert httpx.post(emulator.base_url + "/omni/1/advanced", json={}).status_code == 401
    assert httpx.get(emulator.base_url + "/omni/1/logs").status_code == 401


def test_a_body_that_is_not_an_object_is_400(client):
    assert client.post("/omni/1/advanced", json=[1]).status_code == 400
