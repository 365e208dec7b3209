"""Plan versions: the plan is kept whole per version; the newest row is the current plan."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store, inserted_id


def _row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    data = dict(row)
    data["data"] = json.loads(data["data"])
    return data


def current(store: Store, as_of: date | None = None) -> dict[str, Any] | None:
    """The newest version (created on or before `as_of` when given), or None."""
    if as_of is None:
        row = store.query_one("SELECT * FROM plan_versions ORDER BY id DESC LIMIT 1")
    else:
        row = store.query_one("SELECT * FROM plan_versions WHERE created_on <= ? ORDER BY id DESC LIMIT 1",
                              (as_of.isoformat(),))
    return _row(row)


def current_in(conn: sqlite3.Connection) -> dict[str, Any] | None:
    return _row(conn.execute("SELECT * FROM plan_versions ORDER BY id DESC LIMIT 1").fetchone())


def insert_version(conn: sqlite3.Connection, data: dict[str, Any], change: str,
                   created_at: str, created_on: str) -> int:
    cursor = conn.execute(
        "INSERT INTO plan_versions (data, change, created_at, created_on) VALUES (?, ?, ?, ?)",
        (json.dumps(data, ensure_ascii=False, allow_nan=False), change, created_at, created_on),
    )
    return inserted_id(cursor)


def history(store: Store) -> list[dict[str, Any]]:
    """All versions, oldest first."""
    return [row for r in store.query("SELECT * FROM plan_versions ORDER BY id") if (row := _row(r)) is not None]
