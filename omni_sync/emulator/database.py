"""The SQLite database behind the emulator: one connection, one lock, explicit transactions.

One connection (not one per thread) because ``:memory:`` databases are per connection; the
lock makes it safe for the server's threads and the embedded transport alike.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEMORY = ":memory:"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    flow TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS scenarios_by_account ON scenarios (account, seq);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    message_id TEXT NOT NULL,
    bulk_id TEXT,
    destination TEXT NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    channel TEXT NOT NULL,
    delivered INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    message_count INTEGER NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_by_account ON messages (account, seq);
"""


class Database:
    def __init__(self, path: Path | str = MEMORY) -> None:
        target = str(path)
        if target != MEMORY:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self.path = target
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            target, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._conn.row_factory = sqlite3.Row
        if target != MEMORY:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Exclusive use of the connection inside one write transaction."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
