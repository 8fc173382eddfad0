"""Sending through a scenario: ``POST /omni/1/advanced`` and ``/omni/1/text`` (older docs),
then ``GET /omni/1/reports`` and ``/omni/1/logs`` say which step delivered each message."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from omni_sync.emulator.errors import bad_request
from omni_sync.emulator.failover import TO_FIELDS, Delivery, content_for, deliver
from omni_sync.emulator.message_store import SentMessage, timestamp
from omni_sync.emulator.query import log_filter, report_filter
from omni_sync.emulator.scenario_routes import json_body
from omni_sync.emulator.state import EmulatorState, state_of
from omni_sync.model.scenario import Channel, RemoteScenario

PENDING = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 7,
    "name": "PENDING_ENROUTE",
    "description": "Message sent to next instance",
}
DELIVERED = {
    "groupId": 3,
    "groupName": "DELIVERED",
    "id": 5,
    "name": "DELIVERED_TO_HANDSET",
    "description": "Message delivered to handset",
}
UNDELIVERABLE = {
    "groupId": 2,
    "groupName": "UNDELIVERABLE",
    "id": 9,
    "name": "UNDELIVERABLE_NOT_DELIVERED",
    "description": "Message sent not delivered",
}
NO_ERROR = {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR",
            "description": "No Error", "permanent": False}  # fmt: skip
ABSENT = {"groupId": 1, "groupName": "HANDSET_ERRORS", "id": 27, "name": "EC_ABSENT_SUBSCRIBER",
          "description": "Absent Subscriber", "permanent": False}  # fmt: skip
PRICE = {"pricePerMessage": 0, "currency": "EUR"}


def _object(body: object) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("body", "must be a JSON object")
    return body


def _scenario(state: EmulatorState, account: str, key: object) -> RemoteScenario:
    if key is None:
        found = state.scenarios.default(account)
        if found is None:
            raise bad_request("scenarioKey", "the account has no default scenario; send one")
        return found
    found = state.scenarios.get(account, key) if isinstance(key, str) else None
    if found is None:
        raise bad_request("scenarioKey", "no scenario with this key")
    return found


def _destinations(raw: object) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise bad_request("destinations", "must be a non-empty array")
    for index, item in enumerate(raw):
        to = item.get("to") if isinstance(item, dict) else None
        if not isinstance(to, dict) or not any(isinstance(to.get(f), str) for f in TO_FIELDS):
            where = f"destinations[{index}].to"
            raise bad_request(
                where, "must carry " + ", ".join(TO_FIELDS[:-1]) + " or " + TO_FIELDS[-1]
            )
        message_id = item.get("messageId")
        if message_id is not None and not isinstance(message_id, str):
            raise bad_request(f"destinations[{index}].messageId", "must be a string")
    return raw


def _check_contents(request: Mapping[str, Any], scenario: RemoteScenario) -> None:
    for key in (channel.body_key for channel in Channel):
        content = request.get(key)
        if content is not None and not isinstance(content, dict):
            raise bad_request(key, "must be an object")
        if isinstance(content, dict) and not isinstance(content.get("text", ""), str):
            raise bad_request(f"{key}.text", "must be a string")
    if not any(content_for(request, step.channel) for step in scenario.flow):
        wanted = ", ".join(step.channel.body_key for step in scenario.flow)
        raise bad_request(scenario.flow[0].channel.body_key, f"give content for one of {wanted}")


def _record(delivery: Delivery, message_id: str, bulk_id: str | None) -> SentMessage:
    now = timestamp()
    return SentMessage(message_id, bulk_id, delivery.address, delivery.sender, delivery.text,
                       delivery.channel.value, delivery.delivered, now, now,
                       delivery.message_count)  # fmt: skip


async def _send(request: Request, body: dict[str, Any]) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    destinations = _destinations(body.get("destinations"))
    scenario = _scenario(state, account, body.get("scenarioKey"))
    _check_contents(body, scenario)
    bulk_id = body.get("bulkId")
    if not isinstance(bulk_id, str):
        bulk_id = str(uuid.uuid4()) if len(destinations) > 1 else None
    answers, records = [], []
    for destination in destinations:
        message_id = destination.get("messageId") or str(uuid.uuid4())
        delivery = deliver(scenario.flow, destination["to"], body, state.reachability)
        if delivery is not None:
            records.append(_record(delivery, message_id, bulk_id))
        answers.append({"to": destination["to"], "status": PENDING, "messageId": message_id})
    state.messages.add(account, records)
    answer: dict[str, Any] = {"messages": answers}
    if bulk_id is not None:
        answer["bulkId"] = bulk_id
    return JSONResponse(answer)


async def send_advanced(request: Request) -> JSONResponse:
    state_of(request).account_for(request)
    return await _send(request, _object(await json_body(request)))


async def send_text(request: Request) -> JSONResponse:
    state_of(request).account_for(request)
    body = _object(await json_body(request))
    text = body.get("text")
    if not isinstance(text, str) or not text:
        raise bad_request("text", "must not be blank")
    subject = body.get("mailSubject")
    contents: dict[str, Any] = {channel.body_key: {"text": text} for channel in Channel}
    if isinstance(subject, str):
        contents[Channel.EMAIL.body_key]["subject"] = subject
    return await _send(request, {**body, **contents})


def _report(message: SentMessage) -> dict[str, Any]:
    entry = _log(message)
    entry["error"] = NO_ERROR if message.delivered else ABSENT
    del entry["from"], entry["text"]
    return entry


def _log(message: SentMessage) -> dict[str, Any]:
    entry: dict[str, Any] = {"bulkId": message.bulk_id} if message.bulk_id else {}
    entry["messageId"] = message.message_id
    entry["to"] = message.destination
    entry["from"] = message.sender
    entry["text"] = message.text
    entry["sentAt"] = message.sent_at
    entry["doneAt"] = message.done_at
    entry["messageCount"] = message.message_count
    entry["price"] = PRICE
    entry["status"] = DELIVERED if message.delivered else UNDELIVERABLE
    entry["channel"] = message.channel
    return entry


async def reports(request: Request) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    found = state.messages.take_reports(account, report_filter(request.query_params))
    return JSONResponse({"results": [_report(message) for message in found]})


async def logs(request: Request) -> JSONResponse:
    state = state_of(request)
    account = state.account_for(request)
    found = state.messages.logs(account, log_filter(request.query_params))
    return JSONResponse({"results": [_log(message) for message in found]})


ROUTES = [
    Route("/omni/1/advanced", send_advanced, methods=["POST"]),
    Route("/omni/1/text", send_text, methods=["POST"]),
    Route("/omni/1/reports", reports, methods=["GET"]),
    Route("/omni/1/logs", logs, methods=["GET"]),
]
