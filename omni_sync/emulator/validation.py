"""Request checks that name the offending field, in the spec's ``validationErrors`` form."""

from __future__ import annotations

from typing import Any

from omni_sync.emulator.errors import BAD_REQUEST, ApiProblem, bad_request
from omni_sync.emulator.scenario_store import ScenarioInput
from omni_sync.model.scenario import Channel, Step

INT32_MAX = 2**31 - 1
CHANNELS = ", ".join(channel.value for channel in Channel)


class Problems:
    """Collects every field problem of one request, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ApiProblem(400, BAD_REQUEST, validation_errors=self.errors)


def _step(index: int, raw: object, problems: Problems) -> Step | None:
    where = f"flow[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "must be an object with channel and from")
        return None
    channel = raw.get("channel")
    sender = raw.get("from")
    if channel is None:
        problems.add(f"{where}.channel", "must not be null")
    elif channel not in Channel.__members__.values():
        problems.add(f"{where}.channel", f"must be one of {CHANNELS}")
    if not isinstance(sender, str) or not sender.strip():
        problems.add(f"{where}.from", "must not be blank")
    if f"{where}.channel" in problems.errors or f"{where}.from" in problems.errors:
        return None
    return Step(channel=Channel(str(channel)), sender=str(sender))


def _flow(raw: object, problems: Problems) -> tuple[Step, ...]:
    if raw is None:
        problems.add("flow", "must not be null")
        return ()
    if not isinstance(raw, list):
        problems.add("flow", "must be an array of steps")
        return ()
    if not raw:
        problems.add("flow", "must contain at least one step")
    steps = [_step(index, item, problems) for index, item in enumerate(raw)]
    return tuple(step for step in steps if step is not None)


def _default_flag(body: dict[str, Any], problems: Problems) -> bool | None:
    values = {name: body[name] for name in ("default", "defaultScenario") if name in body}
    for name, value in values.items():
        if not isinstance(value, bool):
            problems.add(name, "must be true or false")
    if len(set(map(repr, values.values()))) > 1:
        problems.add("defaultScenario", "disagrees with default; send only default")
    flags = [value for value in values.values() if isinstance(value, bool)]
    return flags[0] if flags else None


def scenario_input(body: object) -> ScenarioInput:
    """A create/update body checked field by field; all problems are answered at once."""
    if not isinstance(body, dict):
        raise bad_request("body", "must be a JSON object")
    problems = Problems()
    name = body.get("name")
    if "name" in body and not isinstance(name, str):
        problems.add("name", "must be a string")
    flow = _flow(body.get("flow"), problems)
    default = _default_flag(body, problems)
    problems.raise_any()
    return ScenarioInput(flow=flow, name=name, default=default)


def int_param(
    params: dict[str, str], name: str, default: int, maximum: int, *, minimum: int | None = 0
) -> int:
    """A whole-number parameter within the spec's bounds (``minimum`` None: it sets none)."""
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(name, "must be a whole number") from None
    if minimum is not None and value < minimum:
        raise bad_request(name, f"must be greater than or equal to {minimum}")
    if value > maximum:
        raise bad_request(name, f"must be less than or equal to {maximum}")
    return value


def bool_param(params: dict[str, str], name: str) -> bool | None:
    raw = params.get(name)
    if raw is None:
        return None
    lowered = raw.lower()
    if lowered not in {"true", "false"}:
        raise bad_request(name, "must be true or false")
    return lowered == "true"


def channel_param(params: dict[str, str], name: str = "channel") -> Channel | None:
    raw = params.get(name)
    if raw is None:
        return None
    if raw not in Channel.__members__.values():
        raise bad_request(name, f"must be one of {CHANNELS}")
    return Channel(raw)
