"""Attendance requirement rows (docs/definitions.md §6). The only code that knows the `requirements` table."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from recoverylog.storage.db import Store, inserted_id

COLUMNS = ("label", "count", "per", "start", "end", "verified_only", "fellowships", "week_starts", "created_at")


def row_to_dict(row: sqlite3.Row | dict) -> dict[str, Any]:
    data = dict(row)
    data["verified_only"] = bool(data.get("verified_only"))
    data["fellowships"] = json.loads(data.get("fellowships") or "[]")
    return data


def list_all(store: Store) -> list[dict[str, Any]]:
    return [row_to_dict(r) for r in store.query("SELECT * FROM requirements ORDER BY start, id")]


def get_by_label(store_or_conn, label: str) -> dict[str, Any] | None:
    sql = "SELECT * FROM requirements WHERE label = ? COLLATE NOCASE"
    if isinstance(store_or_conn, Store):
        row = store_or_conn.query_one(sql, (label,))
    else:
        row = store_or_conn.execute(sql, (label,)).fetchone()
    return row_to_dict(row) if row else None


def insert(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    values = {c: data.get(c) for c in COLUMNS}
    values["verified_only"] = 1 if values["verified_only"] else 0
    values["fellowships"] = json.dumps(list(values["fellowships"] or []), allow_nan=False)
    cursor = conn.execute(
        f"INSERT INTO requirements ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})", values)
    return inserted_id(cursor)


def set_end(conn: sqlite3.Connection, requirement_id: int, end: str | None) -> None:
    conn.execute("UPDATE requirements SET end = ? WHERE id = ?", (end, requirement_id))
