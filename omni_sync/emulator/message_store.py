"""Sent messages per account, for ``/omni/1/reports`` (each report handed out once, as
Infobip does) and ``/omni/1/logs`` (kept, filterable)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from omni_sync.emulator.database import Database


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    bulk_id: str | None
    destination: str
    sender: str
    text: str
    channel: str
    delivered: bool
    sent_at: str
    done_at: str
    message_count: int


@dataclass(frozen=True)
class LogFilter:
    sender: str | None = None
    destination: str | None = None
    bulk_ids: tuple[str, ...] = ()
    message_ids: tuple[str, ...] = ()
    channel: str | None = None
    delivered: bool | None = None
    sent_since: str | None = None
    sent_until: str | None = None
    limit: int = 50


def timestamp(moment: datetime | None = None) -> str:
    """Infobip's ``yyyy-MM-dd'T'HH:mm:ss.SSS`` in UTC, with a ``+00:00`` offset."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


_COLUMNS = {
    "sender": "sender = ?",
    "destination": "destination = ?",
    "channel": "channel = ?",
    "sent_since": "sent_at >= ?",
    "sent_until": "sent_at <= ?",
}


def _where(account: str, wanted: LogFilter) -> tuple[str, list[object]]:
    clauses: list[str] = ["account = ?"]
    params: list[object] = [account]
    for name, clause in _COLUMNS.items():
        value = getattr(wanted, name)
        if value is not None:
            clauses.append(clause)
            params.append(value)
    for column, values in (("bulk_id", wanted.bulk_ids), ("message_id", wanted.message_ids)):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if wanted.delivered is not None:
        clauses.append("delivered = ?")
        params.append(int(wanted.delivered))
    return " AND ".join(clauses), params


def _message(row: sqlite3.Row) -> SentMessage:
    return SentMessage(
        message_id=row["message_id"],
        bulk_id=row["bulk_id"],
        destination=row["destination"],
        sender=row["sender"],
        text=row["text"],
        channel=row["channel"],
        delivered=bool(row["delivered"]),
        sent_at=row["sent_at"],
        done_at=row["done_at"],
        message_count=row["message_count"],
    )


class MessageStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, account: str, messages: Sequence[SentMessage]) -> None:
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO messages (account, message_id, bulk_id, destination, sender, text,"
                " channel, delivered, sent_at, done_at, message_count)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (account, m.message_id, m.bulk_id, m.destination, m.sender, m.text,
                     m.channel, int(m.delivered), m.sent_at, m.done_at, m.message_count)
                    for m in messages
                ],
            )  # fmt: skip

    def logs(self, account: str, wanted: LogFilter) -> list[SentMessage]:
        where, params = _where(account, wanted)
        rows = self._db.query(
            f"SELECT * FROM messages WHERE {where} ORDER BY seq DESC LIMIT ?",  # noqa: S608
            (*params, wanted.limit),
        )
        return [_message(row) for row in rows]

    def take_reports(self, account: str, wanted: LogFilter) -> list[SentMessage]:
        """Reports not handed out before, oldest first; they are not handed out again."""
        where, params = _where(account, wanted)
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"SELECT * FROM messages WHERE {where} AND reported = 0"  # noqa: S608
                " ORDER BY seq LIMIT ?",
                (*params, wanted.limit),
            ).fetchall()
            conn.executemany(
                "UPDATE messages SET reported = 1 WHERE seq = ?", [(row["seq"],) for row in rows]
            )
        return [_message(row) for row in rows]

    def clear(self) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM messages")
