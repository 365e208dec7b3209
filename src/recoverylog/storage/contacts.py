"""Support-network contacts and outreach rows."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store, inserted_id

COLUMNS = ("id", "alias", "role", "phone", "note", "created_at", "removed_on")


def _dict(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


def get(store: Store, alias: str, *, include_removed: bool = False) -> dict[str, Any] | None:
    sql = "SELECT * FROM contacts WHERE alias = ? COLLATE NOCASE"
    if not include_removed:
        sql += " AND removed_on IS NULL"
    return _dict(store.query_one(sql, (alias,)))


def get_in(conn: sqlite3.Connection, alias: str) -> dict[str, Any] | None:
    return _dict(conn.execute("SELECT * FROM contacts WHERE alias = ? COLLATE NOCASE", (alias,)).fetchone())


def list_all(store: Store, *, include_removed: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT * FROM contacts"
    if not include_removed:
        sql += " WHERE removed_on IS NULL"
    return [dict(r) for r in store.query(sql + " ORDER BY id")]


def insert(conn: sqlite3.Connection, alias: str, role: str, phone: str | None, note: str | None,
           created_at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO contacts (alias, role, phone, note, created_at) VALUES (?, ?, ?, ?, ?)",
        (alias, role, phone, note, created_at),
    )
    return inserted_id(cursor)


def update(conn: sqlite3.Connection, contact_id: int, values: dict[str, Any]) -> None:
    allowed = {k: v for k, v in values.items() if k in ("alias", "role", "phone", "note", "removed_on")}
    if not allowed:
        return
    assignments = ", ".join(f"{k} = :{k}" for k in allowed)
    conn.execute(f"UPDATE contacts SET {assignments} WHERE id = :id", allowed | {"id": contact_id})


def add_outreach(conn: sqlite3.Connection, contact_id: int, day: date, how: str | None, about: str | None,
                 recorded_at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO outreach (contact_id, date, how, about, recorded_at) VALUES (?, ?, ?, ?, ?)",
        (contact_id, day.isoformat(), how, about, recorded_at),
    )
    return inserted_id(cursor)


def outreach_exists_in(conn: sqlite3.Connection, contact_id: int, day: date, how: str | None) -> bool:
    row = conn.execute(
        "SELECT 1 FROM outreach WHERE contact_id = ? AND date = ? AND how IS ? LIMIT 1",
        (contact_id, day.isoformat(), how),
    ).fetchone()
    return row is not None


def outreach_between(store: Store, start: date | None, end: date | None) -> list[dict[str, Any]]:
    """Outreach rows in [start, end] with the contact's alias and role (never the phone or note)."""
    sql = ("SELECT o.id, o.date, o.how, o.about, o.recorded_at, c.alias, c.role "
           "FROM outreach o JOIN contacts c ON c.id = o.contact_id WHERE 1=1")
    params: list[str] = []
    if start is not None:
        sql += " AND o.date >= ?"
        params.append(start.isoformat())
    if end is not None:
        sql += " AND o.date <= ?"
        params.append(end.isoformat())
    return [dict(r) for r in store.query(sql + " ORDER BY o.date, o.id", params)]


def last_outreach(store: Store) -> dict[str, str]:
    """alias (lower case) -> date of the latest outreach to that contact."""
    rows = store.query("SELECT c.alias, max(o.date) AS last FROM outreach o JOIN contacts c "
                       "ON c.id = o.contact_id GROUP BY c.id")
    return {r["alias"].lower(): r["last"] for r in rows}


def last_outreach_on_or_before(store: Store, day: date) -> date | None:
    row = store.query_one("SELECT max(date) FROM outreach WHERE date <= ?", (day.isoformat(),))
    return date.fromisoformat(row[0]) if row and row[0] else None
