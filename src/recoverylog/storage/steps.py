"""Step-work events: each `step N --status …` is one row; the latest row per step is its state."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store, inserted_id


def events(store: Store, program: str) -> list[dict[str, Any]]:
    """All rows of one program, in the order they happened (date, then entry)."""
    return [dict(r) for r in store.query(
        "SELECT * FROM steps WHERE program = ? COLLATE NOCASE ORDER BY date, id", (program,))]


def latest_program(store: Store) -> str | None:
    row = store.query_one("SELECT program FROM steps ORDER BY recorded_at DESC, id DESC LIMIT 1")
    return row["program"] if row else None


def programs(store: Store) -> list[str]:
    return [r["program"] for r in store.query(
        "SELECT program, max(id) AS last FROM steps GROUP BY program COLLATE NOCASE ORDER BY last DESC")]


def canonical_program(store: Store, name: str) -> str | None:
    row = store.query_one("SELECT program FROM steps WHERE program = ? COLLATE NOCASE ORDER BY id LIMIT 1",
                          (name,))
    return row["program"] if row else None


def last_event_in(conn: sqlite3.Connection, program: str, step: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM steps WHERE program = ? COLLATE NOCASE AND step = ? "
                       "ORDER BY date DESC, id DESC LIMIT 1", (program, step)).fetchone()
    return dict(row) if row else None


def insert(conn: sqlite3.Connection, program: str, step: int, status: str, day: date, note: str | None,
           recorded_at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO steps (program, step, status, date, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        (program, step, status, day.isoformat(), note, recorded_at),
    )
    return inserted_id(cursor)
