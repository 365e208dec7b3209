"""Use records: one row per date × substance, used yes/no (+ amount); docs/definitions.md §2.

The primary key (substance_id, date) is a clustered index (WITHOUT ROWID), so the
per-substance date scans below read rows in order without sorting."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from recoverylog.records import record
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


# An amount as exact text: a whole number as itself (float() of that text gives back exactly the
# stored value: an integral double is an integer SQLite's CAST gives exactly, and the nearest double
# to it is itself); another multiple of 1/1024 (halves, quarters…) as 'k' and that multiple, which
# k / 1024 gives back exactly; NULL as ''; anything else '?' (read as a value). A text or blob is
# never equal to an integer nor below a number in SQLite's order, so it goes to '?' too. Whole
# numbers are tested before the multiples of 1/1024: they are most amounts, and their test is cheaper.
_AMOUNT_TOKEN = ("CASE WHEN amount IS NULL THEN '' "
                 "WHEN amount = CAST(amount AS INTEGER) THEN CAST(amount AS INTEGER) "
                 "WHEN amount < 1e12 AND amount * 1024 = CAST(amount * 1024 AS INTEGER) "
                 "THEN 'k' || CAST(amount * 1024 AS INTEGER) ELSE '?' END")

_FLAGS = bytes.maketrans(b"01", b"\x00\x01")   # the used flags' text as bytes 0 and 1


@record
class UseColumns:
    """One substance's records up to a date as parallel columns, ascending by date, each date once:
    what `records_until` gives row by row (a note only on a use)."""

    days: list[date]
    ordinals: list[int]                 # date.toordinal() of each day
    used: Sequence[int]                 # 1 for a use, 0 for none (bytes from the store)
    amounts: list[float | None]
    notes: dict[date, str]              # the uses that have a note


def columns_until(store: Store, as_of: date, substance_ids: Iterable[int]) -> dict[int, UseColumns]:
    """`records_until` in columns: per substance one aggregate read of the (substance_id, date)
    key that returns the dates, the used flags and the amounts each as one text, parsed by C-level
    maps (no row tuple, no Python loop per record). An amount that is not an exact multiple of
    1/1024 and the notes are read as values by a second query, only when there are any; a
    substance whose text does not split cleanly is read row by row (`records_until`)."""
    out: dict[int, UseColumns] = {}
    day = as_of.isoformat()
    for sid in dict.fromkeys(substance_ids):
        # One flag per row ('1' or '0', never NULL): their text's length is the number of rows.
        (days_text, used_text, amount_text, notes) = store.query_tuples(
            "SELECT group_concat(date), group_concat(CASE WHEN used THEN '1' ELSE '0' END, ''), "
            f"group_concat({_AMOUNT_TOKEN}), count(CASE WHEN used THEN note END) "
            "FROM uses WHERE substance_id = ? AND date <= ?", [sid, day])[0]
        if not used_text:
            continue
        count = len(used_text)
        found = _columns(store, sid, day, count, days_text, used_text, amount_text, notes)
        out[sid] = found if found is not None else _columns_from_rows(records_until(store, as_of, [sid]).get(sid, []))
    return out


def _columns(store: Store, sid: int, day: str, count: int, days_text: str, used_text: str,
             amount_text: str, notes: int) -> UseColumns | None:
    texts = days_text.split(",")
    tokens = amount_text.split(",")
    if not (len(texts) == len(tokens) == len(used_text) == count) or texts != sorted(texts):
        return None
    days = list(map(date.fromisoformat, texts))
    distinct = set(tokens)
    values: dict[str, float | None] = {t: _amount_of(t) for t in distinct if t != "?"}
    amounts: list[float | None]
    if distinct == {""}:
        amounts = [None] * count
    elif "?" in distinct:
        odd = [a for (a,) in store.query_tuples(
            f"SELECT amount FROM uses WHERE substance_id = ? AND date <= ? AND {_AMOUNT_TOKEN} = '?' "
            "ORDER BY date", [sid, day])]
        if len(odd) != tokens.count("?"):       # written to in between: read it row by row
            return None
        exact = iter(odd)
        amounts = [next(exact) if t == "?" else values[t] for t in tokens]
    else:
        amounts = list(map(values.__getitem__, tokens))
    noted: dict[date, str] = {}
    if notes:
        noted = {date.fromisoformat(d): n for d, n in store.query_tuples(
            "SELECT date, note FROM uses WHERE substance_id = ? AND date <= ? AND used AND note IS NOT NULL",
            [sid, day])}
    return UseColumns(days, list(map(date.toordinal, days)), used_text.encode("ascii").translate(_FLAGS), amounts, noted)


def _amount_of(token: str) -> float | None:
    """The value of an exact amount token (`_AMOUNT_TOKEN`)."""
    if token == "":
        return None
    if token[0] == "k":
        return int(token[1:]) / 1024
    return float(token)


def _columns_from_rows(rows: list[tuple[str, int, float | None, str | None]]) -> UseColumns:
    days = [date.fromisoformat(d) for d, _, _, _ in rows]
    return UseColumns(days, [d.toordinal() for d in days], [bool(u) for _, u, _, _ in rows],
                      [a for _, _, a, _ in rows],
                      {d: n for d, (_, u, _, n) in zip(days, rows, strict=True) if u and n is not None})


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
