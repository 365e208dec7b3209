"""Check-in rows."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from recoverylog.storage.db import Store

COLUMNS = ("date", "mood", "craving", "stress", "sleep", "halt", "gratitude", "note", "tags",
           "recorded_at", "recorded_on", "updated_at")


def row_to_dict(row: sqlite3.Row | dict) -> dict[str, Any]:
    data = dict(row)
    data["halt"] = json.loads(data.get("halt") or "[]")
    data["tags"] = json.loads(data.get("tags") or "[]")
    return data


def get(store: Store, day: date) -> dict[str, Any] | None:
    row = store.query_one("SELECT * FROM checkins WHERE date = ?", (day.isoformat(),))
    return row_to_dict(row) if row else None


def get_in(conn: sqlite3.Connection, day: date) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM checkins WHERE date = ?", (day.isoformat(),)).fetchone()
    return row_to_dict(row) if row else None


def upsert(conn: sqlite3.Connection, data: dict[str, Any]) -> None:
    values = dict(data)
    values["halt"] = json.dumps(list(values.get("halt") or []), allow_nan=False)
    values["tags"] = json.dumps(list(values.get("tags") or []), ensure_ascii=False, allow_nan=False)
    placeholders = ", ".join(f":{c}" for c in COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("date", "recorded_at", "recorded_on"))
    conn.execute(
        f"INSERT INTO checkins ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
        f"ON CONFLICT(date) DO UPDATE SET {updates}",
        {c: values.get(c) for c in COLUMNS},
    )


def delete(conn: sqlite3.Connection, day: date) -> None:
    conn.execute("DELETE FROM checkins WHERE date = ?", (day.isoformat(),))


def list_range(store: Store, since: date | None, until: date | None) -> list[dict[str, Any]]:
    sql = "SELECT c.*, (SELECT count(*) FROM revisions r WHERE r.entity = 'checkin' AND r.entity_key = c.date) AS revisions FROM checkins c WHERE 1=1"
    params: list[str] = []
    if since:
        sql += " AND c.date >= ?"
        params.append(since.isoformat())
    if until:
        sql += " AND c.date <= ?"
        params.append(until.isoformat())
    lists: dict[str, list] = {}   # halt and tags hold a few distinct values: parse each once

    def parsed(text: str | None) -> list:
        text = text or "[]"
        if text not in lists:
            lists[text] = json.loads(text)
        return list(lists[text])

    out = []
    for r in store.query(sql + " ORDER BY c.date", params):
        data = dict(r)
        data["halt"] = parsed(data.get("halt"))
        data["tags"] = parsed(data.get("tags"))
        out.append(data)
    return out


def first_date(store: Store) -> date | None:
    row = store.query_one("SELECT min(date) FROM checkins")
    return date.fromisoformat(row[0]) if row and row[0] else None


def declined_dates(store: Store) -> set[date]:
    """Unrecorded days the person chose to leave as they are when the check-in offered them."""
    return {date.fromisoformat(r[0]) for r in store.query("SELECT date FROM backfill_declined")}


def decline(conn: sqlite3.Connection, day: date, stamp: str) -> None:
    conn.execute("INSERT OR IGNORE INTO backfill_declined (date, declined_at) VALUES (?, ?)",
                 (day.isoformat(), stamp))


def dates_until(store: Store, until: date) -> list[date]:
    """All check-in dates on or before `until`, ascending (an index-only scan)."""
    return [date.fromisoformat(r[0]) for r in store.query(
        "SELECT date FROM checkins WHERE date <= ? ORDER BY date", (until.isoformat(),))]


def day_numbers_until(store: Store, until: date) -> list[int]:
    """`dates_until` as day numbers (date.toordinal()), for arithmetic over all of history.

    The dates arrive as one text (group_concat over the primary key) and are parsed by C-level
    maps: no row tuple and no Python loop per check-in. Sorted again (a no-op on key order)."""
    parse = date.fromisoformat
    try:
        cursor = store.conn.cursor()
        cursor.row_factory = None
        cursor.execute("SELECT group_concat(date) FROM checkins WHERE date <= ?", (until.isoformat(),))
        (text,) = cursor.fetchone()
    except sqlite3.Error as exc:
        from recoverylog.storage.db import _storage_error

        raise _storage_error(store.path, exc) from exc
    if not text:
        return []
    days = text.split(",")
    days.sort()
    return list(map(date.toordinal, map(parse, days)))


def revisions_desc(conn: sqlite3.Connection, day: date) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM revisions WHERE entity = 'checkin' AND entity_key = ? ORDER BY id DESC",
        (day.isoformat(),),
    ).fetchall()


def revisions(store: Store, day: date) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT action, data, changed_at FROM revisions WHERE entity = 'checkin' AND entity_key = ? ORDER BY id",
        (day.isoformat(),),
    )
    return [{"action": r["action"], "changed_at": r["changed_at"], "before": json.loads(r["data"])} for r in rows]
