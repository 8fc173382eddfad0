"""A smoke send: a message body posted to ``/omni/1/advanced``, then ``/omni/1/reports``
polled (bounded) until the message has a final status, and the flow step that delivered it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from omni_sync.client.answers import json_of
from omni_sync.client.omni import Ambiguous, OmniClient
from omni_sync.errors import ApiError, ConfigError, OmniSyncError
from omni_sync.model.scenario import RemoteScenario, Step

MAYBE_SENT = "may or may not have been sent: check the account's OMNI logs before sending again"

FINAL_GROUPS = frozenset({"DELIVERED", "UNDELIVERABLE", "EXPIRED", "REJECTED"})


class NoFinalReport(OmniSyncError):
    """The account gave no final delivery report within the time allowed."""


@dataclass(frozen=True)
class Report:
    """A final delivery report: its status and the channel that carried the message."""

    group: str
    status: str
    channel: str | None

    @property
    def delivered(self) -> bool:
        return self.group == "DELIVERED"


def resolve_scenario(
    scenarios: Sequence[RemoteScenario], name: str, environment: str
) -> RemoteScenario:
    """The account's scenario of that name; its key is what an application sends."""
    found = [scenario for scenario in scenarios if scenario.name == name]
    if not found:
        raise ConfigError(
            f'scenario "{name}" is not in environment "{environment}" yet; '
            f"run omni-sync apply --env {environment} first"
        )
    if len(found) > 1:
        keys = ", ".join(scenario.key for scenario in found)
        raise ConfigError(
            f'environment "{environment}" has {len(found)} scenarios named "{name}" ({keys}); '
            "rename all but one in the account"
        )
    return found[0]


def delivering_step(flow: Sequence[Step], channel: str | None) -> tuple[int, Step] | None:
    """The 1-based number and step of the flow whose channel carried the message."""
    for number, step in enumerate(flow, start=1):
        if step.channel.value == channel:
            return number, step
    return None


def _final(results: Any, message_id: str) -> Report | None:
    for result in results.get("results", []) if isinstance(results, dict) else []:
        status = result.get("status") or {}
        if result.get("messageId") == message_id and status.get("groupName") in FINAL_GROUPS:
            return Report(status["groupName"], status.get("name", ""), result.get("channel"))
    return None


async def send_message(client: OmniClient, body: dict[str, Any], scenario: str) -> None:
    """POST the body once: a send is never retried blind, it could reach the person twice."""
    doing = "POST /omni/1/advanced"
    try:
        response = await client.request("POST", "/omni/1/advanced", json=body, scenario=scenario)
    except Ambiguous as exc:
        raise ApiError(
            f"{exc.error}; the message {MAYBE_SENT}",
            environment=client.environment,
            scenario=scenario,
        ) from exc
    json_of(response, client.environment, scenario, doing)  # the answer must be the API's JSON


async def wait_for_report(
    client: OmniClient, message_id: str, *, timeout: float, interval: float
) -> Report:
    """Poll the reports until this message's is final; at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    params = {"messageId": message_id, "limit": 100}
    while True:
        response = await client.request("GET", "/omni/1/reports", params=params)
        report = _final(
            json_of(response, client.environment, None, "GET /omni/1/reports"), message_id
        )
        if report is not None:
            return report
        if time.monotonic() + interval > deadline:
            raise NoFinalReport(
                f"no final delivery report for message {message_id} within {timeout:g}s; "
                "it may still arrive: look in the account's OMNI logs"
            )
        await asyncio.sleep(interval)
