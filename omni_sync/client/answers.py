"""The account's answers turned into omni-sync's vocabulary: scenarios, and ApiError messages
that name the environment, the scenario and what the server said (never the credential)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from omni_sync.errors import ApiError, TransportError
from omni_sync.model.environment import Auth
from omni_sync.model.scenario import RemoteScenario

# The default flag's names: ``default``, and ``defaultScenario`` in older SDKs.
DEFAULT_FIELDS = frozenset({"default", "defaultScenario"})


def where(environment: str, scenario: str | None) -> str:
    place = f'environment "{environment}"'
    return f'{place}, scenario "{scenario}"' if scenario else place


def _service_exception(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        return {}
    request_error = body.get("requestError")
    if isinstance(request_error, dict) and isinstance(request_error.get("serviceException"), dict):
        found: dict[str, Any] = request_error["serviceException"]
        return found
    if "errorCode" in body or "description" in body:
        return {"messageId": body.get("errorCode"), "text": body.get("description")}
    return {}


def _validation_errors(raw: Any) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        return {}
    return {
        str(field): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        for field, messages in raw.items()
    }


def api_error(
    response: httpx.Response,
    environment: str,
    scenario: str | None,
    doing: str,
    advice: str | None = None,
) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    details = _service_exception(body)
    message_id = str(details["messageId"]) if details.get("messageId") else None
    text = str(details["text"]) if details.get("text") else None
    errors = _validation_errors(details.get("validationErrors"))
    said = " ".join(part for part in (message_id, text) if part) or response.reason_phrase
    fields = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in sorted(errors.items()))
    suffix = f" ({fields})" if fields else ""
    suffix += f"; {advice}" if advice else ""
    return ApiError(
        f"{where(environment, scenario)}: {doing} answered {response.status_code} {said}{suffix}",
        environment=environment,
        scenario=scenario,
        status=response.status_code,
        message_id=message_id,
        text=text,
        validation_errors=errors,
    )


def noted(error: ApiError, note: str) -> ApiError:
    """``error`` with ``note`` added to its message, of the same kind and fields."""
    return type(error)(
        f"{error}{note}",
        environment=error.environment,
        scenario=error.scenario,
        status=error.status,
        message_id=error.message_id,
        text=error.text,
        validation_errors=error.validation_errors,
        attempts=error.attempts,
    )


def tried(error: ApiError, made: int) -> ApiError:
    """``error`` saying how many times the request was sent."""
    counted = noted(error, "; tried once" if made == 1 else f"; tried {made} times")
    counted.attempts = made
    return counted


def credential_hint(auth: Auth) -> str:
    """Where the credential of ``auth`` comes from, for a 401: "the key in INFOBIP_API_KEY"."""
    names = " and ".join(auth.required_variables())
    return f"{auth.type.credential} in {names}"


def _field(loc: tuple[int | str, ...]) -> str:
    """``("scenarios", 3, "flow", 0, "channel")`` as ``scenarios[3].flow[0].channel``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def unreadable(exc: ValidationError) -> str:
    """The first field an answer got wrong, with its value: one line, for an error."""
    first = exc.errors()[0]
    field = _field(first["loc"])
    if first["type"] == "missing":
        said = f"{field} is missing"
    else:
        shown = repr(first["input"])
        shown = shown if len(shown) <= 80 else f"{shown[:77]}..."
        said = f"{field} is {shown} ({first['msg']})"
    more = exc.error_count() - 1
    return said + (f", and {more} more problem{'s' if more > 1 else ''}" if more else "")


def scenario_from(data: Any, environment: str, scenario: str | None, doing: str) -> RemoteScenario:
    try:
        return RemoteScenario.model_validate(data)
    except ValidationError as exc:
        raise TransportError(
            f"{where(environment, scenario)}: {doing} answered with a scenario omni-sync "
            f"cannot read: {unreadable(exc)}",
            environment=environment,
            scenario=scenario,
        ) from exc


def json_of(response: httpx.Response, environment: str, scenario: str | None, doing: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise TransportError(
            f"{where(environment, scenario)}: {doing} answered {response.status_code} "
            "with a body that is not JSON; is base_url the account's API address?",
            environment=environment,
            scenario=scenario,
            status=response.status_code,
        ) from exc


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)

    scenarios: list[RemoteScenario]


def page_of(response: httpx.Response, environment: str, page: int) -> list[RemoteScenario]:
    """One page of a listing, parsed and checked in one pass (it matters at 10,000)."""
    try:
        return _Page.model_validate_json(response.content).scenarios
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"].startswith("json"):
            json_of(response, environment, None, "listing scenarios")
        if first["loc"] in {(), ("scenarios",)}:
            raise TransportError(
                f"{where(environment, None)}: listing scenarios answered without a scenarios "
                "list; is base_url the account's API address?",
                environment=environment,
            ) from exc
        raise TransportError(
            f"{where(environment, None)}: listing scenarios, page {page} answered with a "
            f"scenario omni-sync cannot read: {unreadable(exc)}",
            environment=environment,
        ) from exc


def _flow_text(flow: Any) -> str:
    steps = flow if isinstance(flow, list) else []
    return ", ".join(f"{step.get('channel')} from {step.get('from')}" for step in steps) or "none"


def contradiction(
    sent: Mapping[str, Any], got: RemoteScenario, data: Any, key: str | None
) -> str | None:
    """What the answer to a write says that contradicts what was sent (``key``: the scenario
    written to, None for a create), or None. A field the answer leaves out contradicts nothing."""
    found: list[str] = []
    if key is not None and got.key != key:
        found.append(f"key {got.key} (sent to {key})")
    if "name" in sent and got.name != sent["name"]:
        found.append(f'name "{got.name}" (sent "{sent["name"]}")')
    answered_flow = [step.to_api() for step in got.flow]
    if "flow" in sent and answered_flow != sent["flow"]:
        found.append(f"flow {_flow_text(answered_flow)} (sent {_flow_text(sent['flow'])})")
    said_default = isinstance(data, dict) and bool(DEFAULT_FIELDS & data.keys())
    if "default" in sent and said_default and got.default != sent["default"]:
        found.append(f"default {str(got.default).lower()} (sent {str(sent['default']).lower()})")
    return "; ".join(found) or None
