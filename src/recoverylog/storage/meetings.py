"""Meeting rows (docs/definitions.md §6). The only code that knows the `meetings` table."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store, inserted_id

# Columns a person fills in, in the order of the JSON contract.
FIELDS = ("date", "time", "minutes", "name", "fellowship", "format", "location", "online_id",
          "group_number", "role", "home_group", "verification", "verified_by", "ref", "note")
COLUMNS = ("id",) + FIELDS + ("recorded_at", "recorded_on", "updated_at")


def row_to_dict(row: sqlite3.Row | dict) -> dict[str, Any]:
    data = dict(row)
    data["home_group"] = bool(data.get("home_group"))
    return data


def get(store: Store, meeting_id: int) -> dict[str, Any] | None:
    row = store.query_one("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
    return row_to_dict(row) if row else None


def get_in(conn: sqlite3.Connection, meeting_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
    return row_to_dict(row) if row else None


def exists_on(conn: sqlite3.Connection, day: date, name: str) -> bool:
    """Is a meeting of that name (any case) already logged for that day?"""
    return conn.execute("SELECT 1 FROM meetings WHERE date = ? AND name = ? COLLATE NOCASE LIMIT 1",
                        (day.isoformat(), name)).fetchone() is not None


def insert(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    names = [c for c in COLUMNS if c != "id"]
    values = {c: data.get(c) for c in names}
    values["home_group"] = 1 if values.get("home_group") else 0
    cursor = conn.execute(
        f"INSERT INTO meetings ({', '.join(names)}) VALUES ({', '.join(':' + c for c in names)})", values)
    return inserted_id(cursor)


def update(conn: sqlite3.Connection, meeting_id: int, data: dict[str, Any]) -> None:
    names = [c for c in FIELDS] + ["updated_at"]
    values = {c: data.get(c) for c in names}
    values["home_group"] = 1 if values.get("home_group") else 0
    values["id"] = meeting_id
    conn.execute(f"UPDATE meetings SET {', '.join(f'{c} = :{c}' for c in names)} WHERE id = :id", values)


def delete(conn: sqlite3.Connection, meeting_id: int) -> None:
    conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))


def list_range(store: Store, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM meetings WHERE 1=1"
    params: list[str] = []
    if since is not None:
        sql += " AND date >= ?"
        params.append(since.isoformat())
    if until is not None:
        sql += " AND date <= ?"
        params.append(until.isoformat())
    sql += " ORDER BY date, coalesce(time, '99:99'), id"
    return [row_to_dict(r) for r in store.query(sql, params)]


def attendance_between(store: Store, since: date, until: date) -> list[tuple[str, str | None, str | None]]:
    """(date, verification, fellowship) of the meetings from `since` to `until` (by the date index)."""
    return [tuple(r) for r in store.query(
        "SELECT date, verification, fellowship FROM meetings WHERE date BETWEEN ? AND ? ORDER BY date",
        (since.isoformat(), until.isoformat()))]


def last_by_name(store_or_conn, name: str, on_or_before: date | None = None) -> dict[str, Any] | None:
    """The latest meeting with this name (case-insensitive), on or before a date if given."""
    sql = "SELECT * FROM meetings WHERE name = ? COLLATE NOCASE"
    params: list[str] = [name]
    if on_or_before is not None:
        sql += " AND date <= ?"
        params.append(on_or_before.isoformat())
    sql += " ORDER BY date DESC, id DESC LIMIT 1"
    row = _one(store_or_conn, sql, params)
    return row_to_dict(row) if row else None


def same_meeting(conn: sqlite3.Connection, name: str, day: date, time: str | None,
                 exclude_id: int | None = None) -> dict[str, Any] | None:
    """A meeting already logged with this name, date and start time (no time matches no time)."""
    row = conn.execute(
        "SELECT * FROM meetings WHERE name = ? COLLATE NOCASE AND date = ? AND time IS ? AND id IS NOT ? "
        "ORDER BY id LIMIT 1", (name, day.isoformat(), time, exclude_id)).fetchone()
    return row_to_dict(row) if row else None


def recent_names(store: Store, limit: int = 9) -> list[dict[str, Any]]:
    """Distinct meeting names, most recently attended first, each with its latest row."""
    rows = store.query(
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY lower(name) ORDER BY date DESC, id DESC) AS nth "
        "FROM meetings) WHERE nth = 1 ORDER BY date DESC, id DESC LIMIT ?", (limit,))
    return [{k: v for k, v in row_to_dict(r).items() if k != "nth"} for r in rows]


def first_date(store: Store) -> date | None:
    row = store.query_one("SELECT min(date) FROM meetings")
    return date.fromisoformat(row[0]) if row and row[0] else None


def last_date(store: Store, until: date) -> date | None:
    row = store.query_one("SELECT max(date) FROM meetings WHERE date <= ?", (until.isoformat(),))
    return date.fromisoformat(row[0]) if row and row[0] else None


def revisions(store: Store, meeting_id: int) -> list[dict[str, Any]]:
    import json

    rows = store.query("SELECT action, data, changed_at FROM revisions WHERE entity = 'meeting' "
                       "AND entity_key = ? ORDER BY id", (str(meeting_id),))
    return [{"action": r["action"], "changed_at": r["changed_at"], "before": json.loads(r["data"])} for r in rows]


def _one(store_or_conn, sql: str, params) -> Any:
    if isinstance(store_or_conn, Store):
        return store_or_conn.query_one(sql, params)
    return store_or_conn.execute(sql, params).fetchone()
