"""Query parameters of ``/omni/1/reports`` and ``/omni/1/logs``, checked like the spec says."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from omni_sync.emulator.errors import bad_request
from omni_sync.emulator.message_store import LogFilter, timestamp
from omni_sync.emulator.validation import channel_param, int_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
GENERAL_STATUSES = ("ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED")


def _ids(params: QueryParams, name: str) -> tuple[str, ...]:
    """Repeated (``?bulkId=a&bulkId=b``) or comma-separated (``?bulkId=a,b``), as documented."""
    return tuple(part for value in params.getlist(name) for part in value.split(",") if part)


def _moment(params: QueryParams, name: str) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(
            name, "must be a date-time such as 2026-02-22T17:42:05.390+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timestamp(moment)


def _limit(params: dict[str, str]) -> int:
    """The spec gives ``limit`` on logs and reports a maximum but no minimum: a negative one is
    not refused, and is read as the default, as if it were absent."""
    limit = int_param(params, "limit", DEFAULT_LIMIT, MAX_LIMIT, minimum=None)
    return DEFAULT_LIMIT if limit < 0 else limit


def report_filter(params: QueryParams) -> LogFilter:
    flat = dict(params)
    channel = channel_param(flat)
    return LogFilter(
        bulk_ids=_ids(params, "bulkId"),
        message_ids=_ids(params, "messageId"),
        channel=channel.value if channel else None,
        limit=_limit(flat),
    )


def log_filter(params: QueryParams) -> LogFilter:
    flat = dict(params)
    status = flat.get("generalStatus")
    if status is not None and status not in GENERAL_STATUSES:
        raise bad_request("generalStatus", "must be one of " + ", ".join(GENERAL_STATUSES))
    limit = _limit(flat)
    if status not in {None, "DELIVERED", "UNDELIVERABLE"}:
        limit = 0  # the emulator settles every message at once: nothing is in other states
    base = report_filter(params)
    return LogFilter(
        sender=flat.get("from"),
        destination=flat.get("to"),
        bulk_ids=base.bulk_ids,
        message_ids=base.message_ids,
        channel=base.channel,
        delivered=None if status is None else status == "DELIVERED",
        sent_since=_moment(params, "sentSince"),
        sent_until=_moment(params, "sentUntil"),
        limit=limit,
    )
