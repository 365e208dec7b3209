"""Window queries for the period report: only the window's rows, by indexed date
ranges, plus the one row continuous days need. No per-day queries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from recoverylog.storage.db import Store


def checkins_in(store: Store, start: date, end: date) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT date, mood, craving, stress, sleep, halt, recorded_on FROM checkins "
        "WHERE date BETWEEN ? AND ? ORDER BY date", (start.isoformat(), end.isoformat()))
    out = []
    for r in rows:
        data = dict(r)
        data["halt"] = json.loads(data["halt"] or "[]")
        out.append(data)
    return out


def substances_in(store: Store, start: date, end: date) -> list[dict[str, Any]]:
    """Substances tracked at some point of the window (added by its end, not archived before its start)."""
    rows = store.query(
        "SELECT s.*, (SELECT min(u.date) FROM uses u WHERE u.substance_id = s.id) AS first_record "
        "FROM substances s WHERE (s.archived_on IS NULL OR s.archived_on > ?) ORDER BY s.name COLLATE NOCASE",
        (start.isoformat(),))
    out = []
    for r in rows:
        data = dict(r)
        began = min(x for x in (data["added_on"], data["first_record"]) if x)
        data["tracking_began"] = began
        if began <= end.isoformat():
            out.append(data)
    return out


def uses_in(store: Store, start: date, end: date) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(
        "SELECT substance_id, date, used, amount FROM uses WHERE date BETWEEN ? AND ? ORDER BY date",
        (start.isoformat(), end.isoformat()))]


def last_use_on_or_before(store: Store, substance_id: int, day: date) -> date | None:
    row = store.query_one(
        "SELECT date FROM uses WHERE substance_id = ? AND date <= ? AND used = 1 ORDER BY date DESC LIMIT 1",
        (substance_id, day.isoformat()))
    return date.fromisoformat(row[0]) if row else None


def meetings_in(store: Store, start: date, end: date) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(
        "SELECT id, date, name, fellowship, format, verification FROM meetings "
        "WHERE date BETWEEN ? AND ? ORDER BY date, time", (start.isoformat(), end.isoformat()))]


def meeting_count(store: Store, start: date, end: date) -> int:
    return int(store.scalar("SELECT count(*) FROM meetings WHERE date BETWEEN ? AND ?",
                           (start.isoformat(), end.isoformat())))


def checkin_count(store: Store, start: date, end: date) -> int:
    return int(store.scalar("SELECT count(*) FROM checkins WHERE date BETWEEN ? AND ?",
                           (start.isoformat(), end.isoformat())))


def sober_day_count(store: Store, substance_id: int, start: date, end: date) -> int:
    return int(store.scalar(
        "SELECT count(*) FROM uses WHERE substance_id = ? AND used = 0 AND date BETWEEN ? AND ?",
        (substance_id, start.isoformat(), end.isoformat())))


def use_record_count(store: Store, substance_id: int, start: date, end: date) -> int:
    """Days of one substance with a record (used or not) in [start, end]."""
    return int(store.scalar(
        "SELECT count(*) FROM uses WHERE substance_id = ? AND date BETWEEN ? AND ?",
        (substance_id, start.isoformat(), end.isoformat())))


def outreach_by_role(store: Store, start: date, end: date) -> dict[str, int]:
    rows = store.query(
        "SELECT c.role AS role, count(*) AS n FROM outreach o JOIN contacts c ON c.id = o.contact_id "
        "WHERE o.date BETWEEN ? AND ? GROUP BY c.role ORDER BY c.role", (start.isoformat(), end.isoformat()))
    return {r["role"]: r["n"] for r in rows}


def outreach_count(store: Store, start: date, end: date) -> int:
    return int(store.scalar("SELECT count(*) FROM outreach WHERE date BETWEEN ? AND ?",
                           (start.isoformat(), end.isoformat())))
