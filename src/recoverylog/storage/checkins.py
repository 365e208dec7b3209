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

    The check-in and `status` read every check-in day for the longest streak (docs/definitions.md §5):
    ~18,000 days at fifty years. They come as one string (group_concat) rather than a row per day,
    since a Python row per day costs more than the day numbers themselves. Every date it joins is
    text: the key is never NULL, a number put in this TEXT column is stored as text, and a BLOB
    sorts after every text so `date <= ?` leaves it out. An aggregate's order is not promised, so
    the dates are sorted here as ORDER BY date sorts text (the BINARY collation compares UTF-8
    bytes: the order of code points that Python's sort uses). A date holding the separator makes
    the pieces outnumber the rows: then the row-per-day read answers (or fails) as it always did."""
    until_text = until.isoformat()
    try:
        cursor = store.conn.cursor()
        cursor.row_factory = None
        try:
            count, joined = cursor.execute("SELECT count(*), group_concat(date) FROM checkins WHERE date <= ?",
                                           (until_text,)).fetchone()
        except sqlite3.Error:
            count = joined = None   # e.g. bytes that are not UTF-8: the row-per-day read says so
        if count == 0:
            return []
        if joined is not None:
            days = joined.split(",")
            if len(days) == count:
                days.sort()
                return list(map(date.toordinal, map(date.fromisoformat, days)))
        return _day_numbers_by_row(cursor, until_text)
    except sqlite3.Error as exc:
        from recoverylog.storage.db import _storage_error

        raise _storage_error(store.path, exc) from exc


def _day_numbers_by_row(cursor: sqlite3.Cursor, until_text: str) -> list[int]:
    """The row-per-day read of `day_numbers_until` (the reference its one-string read is tested against)."""
    parse = date.fromisoformat
    cursor.execute("SELECT date FROM checkins WHERE date <= ? ORDER BY date", (until_text,))
    return [parse(day).toordinal() for (day,) in cursor.fetchall()]


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
