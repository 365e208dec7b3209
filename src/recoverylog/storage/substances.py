"""Substance rows (docs/definitions.md §2)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from recoverylog.records import record
from recoverylog.storage.db import Store, inserted_id

COLUMNS = ("id", "name", "unit", "goal", "max_per_day", "max_days", "max_days_per", "declared_last_use",
           "milestones", "added_on", "created_at", "archived_on", "cost", "cost_per")


@record
class Substance:
    id: int
    name: str
    unit: str = "none"                 # drinks | count | none
    goal: str = "abstain"              # abstain | reduce | monitor
    max_per_day: float | None = None
    max_days: int | None = None
    max_days_per: str | None = None    # week | month
    declared_last_use: date | None = None
    milestones: bool | None = None     # None: the default for the goal
    added_on: date = date.min
    archived_on: date | None = None
    cost: float | None = None          # what one unit, or a typical day before, cost (money not spent)
    cost_per: str | None = None        # unit | day

    @property
    def active(self) -> bool:
        return self.archived_on is None

    def active_on(self, day: date) -> bool:
        return self.archived_on is None or self.archived_on > day

    def as_row(self) -> dict[str, Any]:
        """Plain values, as stored (for revisions)."""
        return {
            "id": self.id, "name": self.name, "unit": self.unit, "goal": self.goal,
            "max_per_day": self.max_per_day, "max_days": self.max_days, "max_days_per": self.max_days_per,
            "declared_last_use": self.declared_last_use.isoformat() if self.declared_last_use else None,
            "milestones": None if self.milestones is None else int(self.milestones),
            "added_on": self.added_on.isoformat(),
            "archived_on": self.archived_on.isoformat() if self.archived_on else None,
            "cost": self.cost, "cost_per": self.cost_per,
        }


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def from_row(row: sqlite3.Row | dict) -> Substance:
    return Substance(
        id=row["id"], name=row["name"], unit=row["unit"], goal=row["goal"],
        max_per_day=row["max_per_day"], max_days=row["max_days"], max_days_per=row["max_days_per"],
        declared_last_use=_day(row["declared_last_use"]),
        milestones=None if row["milestones"] is None else bool(row["milestones"]),
        added_on=date.fromisoformat(row["added_on"]), archived_on=_day(row["archived_on"]),
        cost=row["cost"] if "cost" in row.keys() else None,
        cost_per=row["cost_per"] if "cost_per" in row.keys() else None,
    )


def any_exist(store: Store) -> bool:
    """Is any substance (archived ones included) in the journal?"""
    return store.query_one("SELECT 1 FROM substances LIMIT 1") is not None


def list_all(store: Store, *, include_archived: bool = True) -> list[Substance]:
    sql = "SELECT * FROM substances"
    if not include_archived:
        sql += " WHERE archived_on IS NULL"
    return [from_row(r) for r in store.query(sql + " ORDER BY id")]


def get_by_name(store: Store, name: str) -> Substance | None:
    row = store.query_one("SELECT * FROM substances WHERE name = ? COLLATE NOCASE", (name.strip(),))
    return from_row(row) if row else None


def name_taken(conn: sqlite3.Connection, name: str) -> bool:
    """Is a substance of that name (any case) already tracked?"""
    return conn.execute("SELECT 1 FROM substances WHERE name = ? COLLATE NOCASE", (name,)).fetchone() is not None


def insert(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cols = [c for c in COLUMNS if c != "id" and c in values]
    cursor = conn.execute(
        f"INSERT INTO substances ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [values[c] for c in cols],
    )
    return inserted_id(cursor)


def update(conn: sqlite3.Connection, substance_id: int, changes: dict[str, Any]) -> None:
    if not changes:
        return
    sets = ", ".join(f"{c} = ?" for c in changes)
    conn.execute(f"UPDATE substances SET {sets} WHERE id = ?", [*changes.values(), substance_id])
