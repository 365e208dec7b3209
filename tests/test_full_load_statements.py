"""Loading a full backup puts up to a hundred rows into one INSERT's VALUES list
(storage/full._insert_rows): the journal comes out as inserting row by row leaves it (every row,
in order, with its rowid; the search text its triggers copy), and a row that breaks a constraint
anywhere in a statement, at a boundary or inside one, refuses the whole load with the message the
row-by-row load gives, leaving nothing behind."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.errors import InputError
from recoverylog.storage import full
from recoverylog.storage.db import open_store

STAMP = {"recorded_at": "2026-01-01T00:00:00+00:00", "recorded_on": "2026-01-01", "updated_at": "t"}
# Row counts around the statement sizes (100 rows of a narrow table; 999 // 19 = 52 of meetings).
COUNTS = st.one_of(st.integers(0, 5), st.sampled_from([51, 52, 53, 99, 100, 101, 199, 200, 201, 260]))


def _day(n: int) -> str:
    return f"{2000 + n // 300:04d}-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}"


@st.composite
def loads(draw) -> tuple[dict, str | None]:
    """Tables for a new journal, and what (if anything) is wrong with one of their rows."""
    n_uses, n_checkins, n_meetings = draw(COUNTS), draw(COUNTS), draw(COUNTS)
    uses = [{"substance_id": 1, "date": _day(i), "used": i % 2, "amount": None if i % 3 else 1.5,
             "note": "a walk" if i % 7 == 3 else None, **STAMP} for i in range(n_uses)]
    checkins = [{"date": _day(i), "mood": 1 + i % 10, "craving": i % 11, "note": None if i % 5 else "calm",
                 **STAMP} for i in range(n_checkins)]
    meetings = [{"id": i + 1, "date": _day(i), "name": f"Group {i % 4}", "minutes": 60,
                 "note": "home group" if i % 9 == 0 else None, **STAMP} for i in range(n_meetings)]
    # settings go in by INSERT OR REPLACE: a key written twice keeps its later value, within one
    # statement as across two.
    keys = draw(st.lists(st.sampled_from(["week_start", "warnings", "pager", "locale"]), max_size=150))
    settings_rows = [{"key": k, "value": str(i), "updated_at": "t"} for i, k in enumerate(keys)]
    tables = {"settings": settings_rows,
              "substances": [{"id": 1, "name": "x", "added_on": "2000-01-01", "created_at": "t"}],
              "uses": uses, "checkins": checkins, "meetings": meetings}
    fault = draw(st.sampled_from([None, "duplicate", "range", "orphan"]))
    rows = {"duplicate": checkins, "range": checkins, "orphan": uses}.get(fault or "", [])
    if fault is None or not rows:
        return tables, None
    at = draw(st.integers(0, len(rows) - 1))
    if fault == "duplicate":
        rows.insert(at, dict(rows[draw(st.integers(0, len(rows) - 1))]))
    elif fault == "range":
        rows[at] = dict(rows[at], mood=11)
    else:
        rows[at] = dict(rows[at], substance_id=2)
    return tables, fault


def _load(path: Path, tables: dict) -> str:
    store = open_store(path, FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC)))
    try:
        full.load_tables(store, tables)
    except InputError as exc:
        return exc.message
    finally:
        store.close()
    return "ok"


def _picture(path: Path) -> dict | None:
    if not path.exists():
        return None
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                             "('search_text_fts_data', 'search_text_fts_idx', '_sqlite_migrations')")]
        # Table order, not sorted: the rows must go in in the file's order (rowids show it).
        return {name: conn.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}
    finally:
        conn.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=loads())
def test_rows_by_the_hundred_load_as_rows_one_by_one(tmp_path, monkeypatch, case):
    tables, fault = case
    many, single = tmp_path / "many.db", tmp_path / "single.db"
    for path in (many, single):
        path.unlink(missing_ok=True)
    told_many = _load(many, tables)
    with monkeypatch.context() as m:
        m.setattr(full, "ROWS_PER_STATEMENT", 1)
        told_single = _load(single, tables)
    assert told_many == told_single
    assert (told_many == "ok") == (fault is None)
    assert _picture(many) == _picture(single)


@pytest.mark.parametrize("width", [1, 2, 8, 19, 999, 1000])
@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250])
def test_insert_rows_keeps_every_row_in_order(width, count):
    conn = sqlite3.connect(":memory:", isolation_level=None)
    columns = [f"c{i}" for i in range(width)]
    conn.execute(f"CREATE TABLE t ({', '.join(columns)})")
    rows = [tuple(r * width + c for c in range(width)) for r in range(count)]
    full._insert_rows(conn, f"INSERT INTO t ({', '.join(columns)}) VALUES ", width, iter(rows))
    assert conn.execute("SELECT * FROM t ORDER BY rowid").fetchall() == rows


def test_a_setting_written_twice_in_one_statement_keeps_its_later_value(tmp_path, monkeypatch):
    names = ["week_start", "warnings", "pager", "locale"]
    rows = [{"key": names[i % 4], "value": str(i), "updated_at": "t"} for i in range(250)]
    many, single = tmp_path / "many.db", tmp_path / "single.db"
    assert _load(many, {"settings": rows}) == "ok"
    with monkeypatch.context() as m:
        m.setattr(full, "ROWS_PER_STATEMENT", 1)
        assert _load(single, {"settings": rows}) == "ok"
    assert _picture(many) == _picture(single)
    conn = sqlite3.connect(many)
    try:
        assert dict(conn.execute("SELECT key, value FROM settings").fetchall()) == \
            {"week_start": "248", "warnings": "249", "pager": "246", "locale": "247"}
    finally:
        conn.close()


@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250])
def test_a_row_written_with_null_in_the_statement_is_the_row_bound_with_null(count):
    """`_insert_rows(one=)`: NULL written in the statement for a column stores what binding None
    does (and a column with a default still gets NULL, as when bound)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'x', c REAL)")
    cells = [(r, r * 0.5 if r % 2 else None) for r in range(count)]
    full._insert_rows(conn, "INSERT INTO t (a, b, c) VALUES ", 2, iter(cells), "(?, NULL, ?)")
    conn.execute("CREATE TABLE u (a INTEGER, b TEXT DEFAULT 'x', c REAL)")
    conn.executemany("INSERT INTO u (a, b, c) VALUES (?, ?, ?)", [(a, None, c) for a, c in cells])
    picture = "SELECT a, typeof(b), quote(b), typeof(c), quote(c) FROM {} ORDER BY rowid"
    assert conn.execute(picture.format("t")).fetchall() == conn.execute(picture.format("u")).fetchall()
    assert conn.execute("SELECT count(*) FROM t WHERE b IS NULL").fetchone() == (count,)


def test_nulls_bound_after_a_load_are_still_null(tmp_path):
    """load_tables registers an adapter for None (a builtin answering None): a null bound by any
    statement afterwards is still SQL NULL, and every other value binds as before."""
    assert _load(tmp_path / "a.db", {"substances": [{"id": 1, "name": "x", "added_on": "2000-01-01",
                                                      "created_at": "t"}]}) == "ok"
    assert full._NULL(None) is None
    conn = sqlite3.connect(":memory:")
    values = (None, 0, -1, 2**62, 1.5, "", "text", b"\x00")
    row = conn.execute("SELECT " + ", ".join(["typeof(?)"] * len(values)), values).fetchone()
    assert row == ("null", "integer", "integer", "integer", "real", "text", "text", "blob")

