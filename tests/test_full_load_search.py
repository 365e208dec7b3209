"""Loading a full backup sets a table's search trigger aside when none of its rows holds text to copy
(storage/full._set_trigger_aside), and when rows do put text into search_text, builds the full-text
index once at the end instead of row by row (storage/full._set_index_aside, FTS5 'rebuild'): the
journal comes out as loading with every trigger in place leaves it (every row, search_text with its
ids, the index's documents, rowids, sizes and what a search finds, the schema's statements), on
random rows whose searchable cells are missing, null, '', text or numbers. (The index's b-tree pages
may be laid out differently; FTS5's integrity-check passes on both.)"""

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

MISSING = object()
CELL = st.one_of(st.just(MISSING), st.none(), st.just(""), st.sampled_from(["walk", "a walk home", "Ünïcode walk"]),
                 st.integers(0, 3), st.just(0.5))
QUIET = st.one_of(st.just(MISSING), st.none(), st.just(""))


def _row(base: dict, cells: dict) -> dict:
    row = dict(base)
    for key, value in cells.items():
        if value is not MISSING:
            row[key] = value
    return row


@st.composite
def backups(draw) -> dict:
    """Tables for a new journal; each of uses, checkins and meetings either quiet (no searchable
    text anywhere) or not, so both ways are exercised."""
    stamp = {"recorded_at": "2026-01-01T00:00:00+00:00", "recorded_on": "2026-01-01"}
    days = [f"2026-01-{d:02d}" for d in range(1, draw(st.integers(0, 9)) + 1)]
    cell = {t: (QUIET if draw(st.booleans()) else CELL) for t in ("uses", "checkins", "meetings")}
    uses = [_row({"substance_id": 1, "date": d, "used": 0, **stamp, "updated_at": "t"}, {"note": draw(cell["uses"])})
            for d in days]
    checkins = [_row({"date": d, **stamp, "updated_at": "t"},
                     {"note": draw(cell["checkins"]), "gratitude": draw(cell["checkins"])}) for d in days]
    meetings = [_row({"id": i + 1, "date": d, "name": "Group", **stamp, "updated_at": "t"}, {"note": draw(cell["meetings"])})
                for i, d in enumerate(days)]
    for rows in (uses, checkins, meetings):
        if rows and draw(st.booleans()):
            draw(st.randoms()).shuffle(rows)   # file order need not be key order
    plan = ([{"id": 1, "data": '{"triggers": ["walk past the bar"]}', "change": "first", "created_at": "t",
              "created_on": "2026-01-01"}] if draw(st.booleans()) else [])
    return {"substances": [{"id": 1, "name": "x", "added_on": "2026-01-01", "created_at": "t"}],
            "uses": uses, "checkins": checkins, "meetings": meetings, "plan_versions": plan}


def _load(path: Path, tables: dict) -> str:
    store = open_store(path, FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC)))
    try:
        full.load_tables(store, tables)
    except InputError as exc:
        return exc.message
    finally:
        store.close()
    return "ok"


def _picture(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
        rows = {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT IN ('search_text_fts', 'search_text_fts_data', "
                                            "'search_text_fts_idx', '_sqlite_migrations')")}
        rows["fts"] = conn.execute("SELECT rowid, text FROM search_text_fts ORDER BY rowid").fetchall()
        for word in ("walk", "walking", "home", "ünïcode", "bar", "0", "0.5", "1"):
            rows[f"match {word}"] = conn.execute(
                "SELECT rowid, snippet(search_text_fts, 0, '[', ']', '…', 8) FROM search_text_fts "
                "WHERE search_text_fts MATCH ? ORDER BY rank, rowid", (f'"{word}"',)).fetchall()
        conn.execute("INSERT INTO search_text_fts (search_text_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()
    return {"schema": schema, "rows": rows}


def _both(tmp_path: Path, tables: dict, monkeypatch: pytest.MonkeyPatch, name: str):
    fast, slow = tmp_path / f"{name}-fast.db", tmp_path / f"{name}-slow.db"
    for p in (fast, slow):
        p.unlink(missing_ok=True)
    told_fast = _load(fast, tables)
    with monkeypatch.context() as m:
        m.setattr(full, "_set_trigger_aside", lambda conn, name: None)
        m.setattr(full, "_set_index_aside", lambda conn: [])
        told_slow = _load(slow, tables)
    return told_fast, told_slow, fast, slow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=backups())
def test_setting_triggers_aside_leaves_the_same_journal(tmp_path, monkeypatch, tables):
    told_fast, told_slow, fast, slow = _both(tmp_path, tables, monkeypatch, "j")
    assert told_fast == told_slow == "ok"
    assert _picture(fast) == _picture(slow)


@pytest.mark.parametrize("note", [None, "a walk"])
def test_a_refused_load_keeps_every_trigger(tmp_path, monkeypatch, note):
    use = {"substance_id": 1, "date": "2026-01-01", "used": 0, "note": note, "recorded_at": "t", "recorded_on": "d",
           "updated_at": "t"}
    tables = {"substances": [{"id": 1, "name": "x", "added_on": "2026-01-01", "created_at": "t"}],
              "uses": [use, dict(use)]}
    told_fast, told_slow, fast, slow = _both(tmp_path, tables, monkeypatch, "bad")
    assert told_fast == told_slow and "UNIQUE constraint failed" in told_fast
    conn = sqlite3.connect(fast)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('search_uses_ai', 'search_text_ai', "
                            "'search_text_ad', 'search_text_au')").fetchone()[0] == 4
    finally:
        conn.close()
