"""Rows of self-assessments, medications and doses (docs/definitions.md §9). The only SQL for them."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from datetime import date
from typing import Any

from recoverylog.records import record
from recoverylog.storage.db import Store, inserted_id

# -- assessments -------------------------------------------------------------------

@record
class AssessmentRow:
    id: int
    instrument: str
    date: dt.date
    answers: tuple[int, ...]
    total: int
    band: str | None
    item9_positive: bool
    recorded_at: str
    recorded_on: dt.date


def _assessment(row) -> AssessmentRow:
    return AssessmentRow(id=row["id"], instrument=row["instrument"], date=date.fromisoformat(row["date"]),
                         answers=tuple(json.loads(row["answers"])), total=row["total"], band=row["band"],
                         item9_positive=bool(row["item9_positive"]), recorded_at=row["recorded_at"],
                         recorded_on=date.fromisoformat(row["recorded_on"]))


def insert_assessment(conn: sqlite3.Connection, *, instrument: str, day: date, answers: tuple[int, ...],
                      total: int, band: str | None, item9_positive: bool, stamp: str, today: str) -> int:
    cur = conn.execute(
        "INSERT INTO assessments (instrument, date, answers, total, band, item9_positive, recorded_at, recorded_on) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (instrument, day.isoformat(), json.dumps(list(answers)), total, band, int(item9_positive), stamp, today))
    return inserted_id(cur)


def get_assessment(store: Store, assessment_id: int) -> AssessmentRow | None:
    row = store.query_one("SELECT * FROM assessments WHERE id = ?", (assessment_id,))
    return _assessment(row) if row else None


def raw_assessment(conn: sqlite3.Connection, assessment_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
    return dict(row) if row else None


def delete_assessment(conn: sqlite3.Connection, assessment_id: int) -> None:
    conn.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))


def list_assessments(store: Store, instrument: str | None = None, start: date | None = None,
                     end: date | None = None) -> list[AssessmentRow]:
    """Oldest first (date, then the order they were recorded)."""
    sql, params = "SELECT * FROM assessments WHERE 1 = 1", []
    if instrument:
        sql += " AND instrument = ?"
        params.append(instrument)
    if start:
        sql += " AND date >= ?"
        params.append(start.isoformat())
    if end:
        sql += " AND date <= ?"
        params.append(end.isoformat())
    return [_assessment(r) for r in store.query(sql + " ORDER BY date, id", params)]


def revisions_of_assessment(store: Store, assessment_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(
        "SELECT action, data, changed_at FROM revisions WHERE entity = 'assessment' AND entity_key = ? "
        "ORDER BY id", (str(assessment_id),))]


# -- medications ----------------------------------------------------------------------

MED_COLUMNS = ("id", "name", "dose", "schedule", "kind", "added_on", "created_at", "archived_on")


@record
class Medication:
    id: int
    name: str
    dose: str | None
    schedule: str          # daily | twice-daily | weekly | as-needed
    kind: str              # moud | psychiatric | other
    added_on: date
    archived_on: date | None = None

    @property
    def active(self) -> bool:
        return self.archived_on is None

    @property
    def doses_per_day(self) -> int:
        return 2 if self.schedule == "twice-daily" else 1


def _medication(row) -> Medication:
    return Medication(id=row["id"], name=row["name"], dose=row["dose"], schedule=row["schedule"], kind=row["kind"],
                      added_on=date.fromisoformat(row["added_on"]),
                      archived_on=date.fromisoformat(row["archived_on"]) if row["archived_on"] else None)


def list_medications(store: Store) -> list[Medication]:
    return [_medication(r) for r in store.query("SELECT * FROM medications ORDER BY archived_on IS NOT NULL, name")]


def get_medication(store: Store, name: str) -> Medication | None:
    row = store.query_one("SELECT * FROM medications WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),))
    return _medication(row) if row else None


def raw_medication(conn: sqlite3.Connection, medication_id: int) -> dict[str, Any]:
    return dict(conn.execute("SELECT * FROM medications WHERE id = ?", (medication_id,)).fetchone())


def medication_name_taken(conn: sqlite3.Connection, name: str, except_id: int | None = None) -> bool:
    row = conn.execute("SELECT id FROM medications WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    return row is not None and row["id"] != except_id


def insert_medication(conn: sqlite3.Connection, *, name: str, dose: str | None, schedule: str, kind: str,
                      added_on: str, created_at: str) -> int:
    cur = conn.execute("INSERT INTO medications (name, dose, schedule, kind, added_on, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (name, dose, schedule, kind, added_on, created_at))
    return inserted_id(cur)


def update_medication(conn: sqlite3.Connection, medication_id: int, values: dict[str, Any]) -> None:
    names = [k for k in values if k in MED_COLUMNS and k != "id"]
    conn.execute(f"UPDATE medications SET {', '.join(f'{k} = ?' for k in names)} WHERE id = ?",
                 [values[k] for k in names] + [medication_id])


# -- doses ------------------------------------------------------------------------------

@record
class DoseRow:
    medication_id: int
    date: date
    dose_number: int
    taken: bool


def doses_in(store: Store, start: date, end: date, medication_id: int | None = None) -> list[DoseRow]:
    sql = "SELECT medication_id, date, dose_number, taken FROM medication_doses WHERE date BETWEEN ? AND ?"
    params: list[Any] = [start.isoformat(), end.isoformat()]
    if medication_id is not None:
        sql += " AND medication_id = ?"
        params.append(medication_id)
    return [DoseRow(r["medication_id"], date.fromisoformat(r["date"]), r["dose_number"], bool(r["taken"]))
            for r in store.query(sql + " ORDER BY date, dose_number", params)]


def doses_on(conn: sqlite3.Connection, medication_id: int, day: date) -> dict[int, dict[str, Any]]:
    rows = conn.execute("SELECT * FROM medication_doses WHERE medication_id = ? AND date = ?",
                        (medication_id, day.isoformat())).fetchall()
    return {r["dose_number"]: dict(r) for r in rows}


def upsert_dose(conn: sqlite3.Connection, *, medication_id: int, day: date, dose_number: int, taken: bool,
                stamp: str, today: str) -> None:
    conn.execute(
        "INSERT INTO medication_doses (medication_id, date, dose_number, taken, recorded_at, recorded_on, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (medication_id, date, dose_number) "
        "DO UPDATE SET taken = excluded.taken, updated_at = excluded.updated_at",
        (medication_id, day.isoformat(), dose_number, int(taken), stamp, today, stamp))
