"""Goal rows."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store, inserted_id

COLUMNS = ("title", "metric", "substance_id", "target", "every_day", "per", "start", "due", "done_on",
           "archived_on", "created_at")

_SELECT = ("SELECT g.*, s.name AS substance FROM goals g LEFT JOIN substances s ON s.id = g.substance_id")


def insert(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    cur = conn.execute(
        f"INSERT INTO goals ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
        [data.get(c) for c in COLUMNS])
    return inserted_id(cur)


def get(store: Store, goal_id: int) -> dict[str, Any] | None:
    row = store.query_one(_SELECT + " WHERE g.id = ?", (goal_id,))
    return dict(row) if row else None


def get_in(conn: sqlite3.Connection, goal_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM goals WHERE id = ?", (goal_id,)).fetchone()
    return dict(row) if row else None


def find_by_title(store: Store, title: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(_SELECT + " WHERE g.title = ? COLLATE NOCASE ORDER BY g.id", (title,))]


def active_on(store: Store, day: date) -> list[dict[str, Any]]:
    """Goals started by `day` and not archived on or before it, oldest first."""
    iso = day.isoformat()
    return [dict(r) for r in store.query(
        _SELECT + " WHERE g.start <= ? AND (g.archived_on IS NULL OR g.archived_on > ?) ORDER BY g.id",
        (iso, iso))]


def set_field(conn: sqlite3.Connection, goal_id: int, column: str, value: Any) -> None:
    if column not in ("done_on", "archived_on"):
        raise ValueError(column)
    conn.execute(f"UPDATE goals SET {column} = ? WHERE id = ?", (value, goal_id))


def substance_by_name(store: Store, name: str) -> dict[str, Any] | None:
    row = store.query_one("SELECT id, name FROM substances WHERE name = ? COLLATE NOCASE", (name,))
    return dict(row) if row else None


def substance_names(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT name FROM substances ORDER BY name COLLATE NOCASE")]
