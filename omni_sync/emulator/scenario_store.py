"""Scenarios per account, with the default rules: one default per account, promoting a
scenario clears the flag on the one before, and the current default cannot be demoted."""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass

from omni_sync.emulator.database import Database
from omni_sync.model.scenario import RemoteScenario, Step


class DemoteDefault(Exception):
    """``default: false`` sent for the account's current default scenario."""


@dataclass(frozen=True)
class ScenarioInput:
    """A validated create/update body. ``None`` means "not sent"."""

    flow: tuple[Step, ...]
    name: str | None = None
    default: bool | None = None


_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def new_key() -> str:
    return secrets.token_hex(16).upper()


def _row_to_scenario(row: sqlite3.Row) -> RemoteScenario:
    flow = tuple(Step.model_validate(step) for step in json.loads(row["flow"]))
    return RemoteScenario(
        key=row["key"], name=row["name"], flow=flow, default=bool(row["is_default"])
    )


def _flow_json(flow: tuple[Step, ...]) -> str:
    return json.dumps([step.to_api() for step in flow])


class ScenarioStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _rows(
        self, account: str, is_default: bool | None, offset: int, limit: int
    ) -> list[sqlite3.Row]:
        sql = "SELECT * FROM scenarios WHERE account = ?"
        params: tuple[object, ...] = (account,)
        if is_default is not None:
            sql += " AND is_default = ?"
            params += (int(is_default),)
        return self._db.query(sql + " ORDER BY seq LIMIT ? OFFSET ?", (*params, limit, offset))

    def select(
        self, account: str, *, is_default: bool | None = None, offset: int = 0, limit: int = -1
    ) -> list[RemoteScenario]:
        """Scenarios in creation order; ``limit=-1`` means all."""
        return [_row_to_scenario(row) for row in self._rows(account, is_default, offset, limit)]

    def page_json(self, account: str, *, is_default: bool | None, offset: int, limit: int) -> str:
        """Like ``select``, straight to the API's JSON list (the hot path of every listing):
        the flow is stored as JSON already, so it is spliced in, not decoded and encoded."""
        dumps = _JSON_TEXT
        return "[" + ",".join(
            f'{{"key":{dumps(row["key"])},"name":{dumps(row["name"])},"flow":{row["flow"]},'
            f'"default":{"true" if row["is_default"] else "false"}}}'
            for row in self._rows(account, is_default, offset, limit)
        ) + "]"  # fmt: skip

    def get(self, account: str, key: str) -> RemoteScenario | None:
        rows = self._db.query(
            "SELECT * FROM scenarios WHERE account = ? AND key = ?", (account, key)
        )
        return _row_to_scenario(rows[0]) if rows else None

    def default(self, account: str) -> RemoteScenario | None:
        found = self.select(account, is_default=True, limit=1)
        return found[0] if found else None

    def create(self, account: str, data: ScenarioInput) -> RemoteScenario:
        key = new_key()
        with self._db.transaction() as conn:
            if data.default:
                conn.execute("UPDATE scenarios SET is_default = 0 WHERE account = ?", (account,))
            conn.execute(
                "INSERT INTO scenarios (key, account, name, flow, is_default)"
                " VALUES (?, ?, ?, ?, ?)",
                (key, account, data.name or "", _flow_json(data.flow), int(bool(data.default))),
            )
        return RemoteScenario(
            key=key, name=data.name or "", flow=data.flow, default=bool(data.default)
        )

    def update(self, account: str, key: str, data: ScenarioInput) -> RemoteScenario | None:
        """The updated scenario, or None when the account has no such key."""
        with self._db.transaction() as conn:
            rows = conn.execute(
                "SELECT * FROM scenarios WHERE account = ? AND key = ?", (account, key)
            ).fetchall()
            if not rows:
                return None
            current = _row_to_scenario(rows[0])
            if current.default and data.default is False:
                raise DemoteDefault(key)
            default = current.default if data.default is None else data.default
            name = current.name if data.name is None else data.name
            if default and not current.default:
                conn.execute("UPDATE scenarios SET is_default = 0 WHERE account = ?", (account,))
            conn.execute(
                "UPDATE scenarios SET name = ?, flow = ?, is_default = ? WHERE key = ?",
                (name, _flow_json(data.flow), int(default), key),
            )
        return RemoteScenario(key=key, name=name, flow=data.flow, default=default)

    def clear(self) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM scenarios")
