"""A new journal made by `apply_migrations` without sqlite-utils (storage/migrations._LightDatabase)
is the journal sqlite-utils' Migrations makes step by step: the same statements in `sqlite_master`
(in the same order), the same rows in every table (the full-text index's shadow tables included;
`_sqlite_migrations.applied_at` is the moment each ran), the same header pragmas; and the two
behave alike afterwards (rows written through the search triggers, found by the same search)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from recoverylog.storage import migrations
from recoverylog.storage.migrations import MIGRATIONS, SCHEMA_VERSION, apply_migrations, build_migrations


def _step_by_step(path: Path) -> sqlite3.Connection:
    from sqlite_utils import Database

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    build_migrations().apply(Database(conn, execute_plugins=False))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    return conn


def _light(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    apply_migrations(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    return conn


def _picture(conn: sqlite3.Connection) -> dict:
    pragmas = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
               for name in ("user_version", "application_id", "page_size", "auto_vacuum", "encoding",
                            "journal_mode", "schema_version", "freelist_count", "page_count")}
    schema = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY rowid").fetchall()
    rows = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        if name == "search_text_fts":
            continue   # the virtual table reads search_text (compared below)
        found = conn.execute(f'SELECT * FROM "{name}"').fetchall()
        if name == "_sqlite_migrations":
            found = [row[:3] for row in found]   # applied_at: the moment it ran
        rows[name] = sorted(found, key=repr)
    return {"pragmas": pragmas, "schema": schema, "rows": rows}


def test_the_light_path_covers_every_migration():
    # A migration added later must be checked here before it joins LIGHT_MIGRATIONS.
    assert tuple(fn.__name__ for fn in MIGRATIONS) == migrations.LIGHT_MIGRATIONS


def test_a_new_journal_is_the_same_both_ways(tmp_path: Path):
    reference = _step_by_step(tmp_path / "steps.db")
    light = _light(tmp_path / "light.db")
    assert _picture(light) == _picture(reference)
    stamps = [row[0] for row in light.execute("SELECT applied_at FROM _sqlite_migrations ORDER BY id")]
    assert len(stamps) == len(MIGRATIONS) and all(s[:4].isdigit() and s.endswith("+00:00") for s in stamps)


def test_both_journals_behave_alike(tmp_path: Path):
    pictures, found = [], []
    for conn in (_step_by_step(tmp_path / "steps.db"), _light(tmp_path / "light.db")):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO substances (id, name, added_on, created_at) VALUES (1, 'x', '2026-01-01', 't')")
        for day in range(1, 9):
            date = f"2026-01-0{day}"
            conn.execute("INSERT INTO checkins (date, note, gratitude, recorded_at, recorded_on, updated_at) "
                         "VALUES (?, ?, ?, 't', ?, 't')", (date, f"walked {day}", "sun" if day % 2 else None, date))
            conn.execute("INSERT INTO uses (substance_id, date, used, note, recorded_at, recorded_on, updated_at) "
                         "VALUES (1, ?, 0, ?, 't', ?, 't')", (date, "walked past" if day % 3 else None, date))
        conn.execute("INSERT INTO plan_versions (id, data, change, created_at, created_on) "
                     "VALUES (1, '{\"triggers\": [\"a walk\"]}', 'first', 't', '2026-01-01')")
        conn.execute("UPDATE checkins SET note = 'ran' WHERE date = '2026-01-02'")
        conn.execute("DELETE FROM checkins WHERE date = '2026-01-03'")
        conn.execute("COMMIT")
        found.append(conn.execute("SELECT rowid, text FROM search_text_fts WHERE search_text_fts MATCH 'walk' "
                                  "ORDER BY rowid").fetchall())
        conn.execute("INSERT INTO search_text_fts (search_text_fts, rank) VALUES ('integrity-check', 1)")
        pictures.append(_picture(conn))
    assert found[0] and found[0] == found[1]
    assert pictures[0] == pictures[1]


def test_a_database_with_tables_goes_through_sqlite_utils(tmp_path: Path, monkeypatch):
    conn = sqlite3.connect(tmp_path / "odd.db", isolation_level=None)
    conn.execute("CREATE TABLE stray (x)")
    called = []
    monkeypatch.setattr(migrations, "build_migrations", lambda: called.append(1) or build_migrations())
    conn.execute("BEGIN")
    apply_migrations(conn)
    conn.execute("COMMIT")
    assert called and conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(MIGRATIONS)
