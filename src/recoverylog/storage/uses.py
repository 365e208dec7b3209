"""Use records: one row per date × substance, used yes/no (+ amount); docs/definitions.md §2.

The primary key (substance_id, date) is a clustered index (WITHOUT ROWID), so the
per-substance date scans below read rows in order without sorting."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

from recoverylog.storage.db import Store

COLUMNS = ("substance_id", "date", "used", "amount", "note", "recorded_at", "recorded_on", "updated_at")


def records_until(store: Store, as_of: date, substance_ids: Iterable[int]
                  ) -> dict[int, list[tuple[str, int, float | None, str | None]]]:
    """Every record (date, used, amount, note of a use) per substance up to as_of, ascending:
    one range read of the (substance_id, date) primary key per substance, so each row arrives
    as the tuple its history is built from (no regrouping, no copy per row)."""
    out: dict[int, list[tuple[str, int, float | None, str | None]]] = {}
    day = as_of.isoformat()
    for sid in dict.fromkeys(substance_ids):
        rows = store.query_tuples(
            "SELECT date, used, amount, CASE WHEN used THEN note END FROM uses "
            "WHERE substance_id = ? AND date <= ? ORDER BY date", [sid, day])
        if rows:
            out[sid] = rows
    return out


def get_in(conn: sqlite3.Connection, substance_id: int, day: date) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM uses WHERE substance_id = ? AND date = ?",
                       (substance_id, day.isoformat())).fetchone()
    return dict(row) if row else None


def get(store: Store, substance_id: int, day: date) -> dict[str, Any] | None:
    return get_in(store.conn, substance_id, day)


def on_date(store: Store, day: date) -> dict[int, dict[str, Any]]:
    """All records of one date, by substance id."""
    # The key is (substance_id, date): naming the substances lets SQLite seek per substance
    # instead of scanning every record of all history for one date.
    return {r["substance_id"]: dict(r) for r in store.query(
        "SELECT * FROM uses WHERE substance_id IN (SELECT id FROM substances) AND date = ?", (day.isoformat(),))}


def upsert(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    placeholders = ", ".join(f":{c}" for c in COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in ("used", "amount", "note", "updated_at"))
    conn.execute(
        f"INSERT INTO uses ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
        f"ON CONFLICT(substance_id, date) DO UPDATE SET {updates}",
        {c: row.get(c) for c in COLUMNS},
    )


def delete(conn: sqlite3.Connection, substance_id: int, day: date) -> None:
    conn.execute("DELETE FROM uses WHERE substance_id = ? AND date = ?", (substance_id, day.isoformat()))


def list_range(store: Store, substance_id: int | None, since: date | None, until: date | None,
               *, used_only: bool = True) -> list[dict[str, Any]]:
    sql = ("SELECT s.name, u.*, (SELECT count(*) FROM revisions r WHERE r.entity = 'use' "
           "AND r.entity_key = u.substance_id || ':' || u.date) AS revisions "
           "FROM uses u JOIN substances s ON s.id = u.substance_id WHERE 1=1")
    params: list[Any] = []
    if substance_id is not None:
        sql += " AND u.substance_id = ?"
        params.append(substance_id)
    if since:
        sql += " AND u.date >= ?"
        params.append(since.isoformat())
    if until:
        sql += " AND u.date <= ?"
        params.append(until.isoformat())
    if used_only:
        sql += " AND u.used = 1"
    return [dict(r) for r in store.query(sql + " ORDER BY u.date, s.name COLLATE NOCASE", params)]


def count_with_amount(store: Store, substance_id: int) -> int:
    return store.scalar("SELECT count(*) FROM uses WHERE substance_id = ? AND amount IS NOT NULL",
                           (substance_id,))


def first_date(store: Store, substance_id: int) -> date | None:
    row = store.query_one("SELECT min(date) FROM uses WHERE substance_id = ?", (substance_id,))
    return date.fromisoformat(row[0]) if row and row[0] else None


def revisions(store: Store, substance_id: int, day: date) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT action, data, changed_at FROM revisions WHERE entity = 'use' AND entity_key = ? ORDER BY id",
        (f"{substance_id}:{day.isoformat()}",))
    return [{"action": r["action"], "changed_at": r["changed_at"], "before": json.loads(r["data"])} for r in rows]
