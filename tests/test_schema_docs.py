"""The database explains itself: comments kept in the stored schema of new migrations (split with
sqlite3.complete_statement), m001's stored schema unchanged, the `daily` view, and
`db datasette-metadata`."""

from __future__ import annotations

import json
import sqlite3

import pytest

from recoverylog.storage.migrations import split_statements
from recoverylog.storage.schema_docs import TABLES, comments_in

M001_TABLES = ("settings", "revisions", "checkins", "substances", "uses", "meetings", "requirements", "goals",
               "contacts", "outreach", "plan_versions", "steps", "exports")


def test_split_statements_respects_strings_comments_and_trigger_bodies():
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (a TEXT DEFAULT ';', -- the a; column
                    b INTEGER);
    CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
        INSERT INTO t (a) VALUES ('x;y');
        DELETE FROM t WHERE a = ';';
    END;
    SELECT 1"""
    statements = split_statements(script)
    assert len(statements) == 3
    assert "-- the a; column" in statements[0] and statements[1].rstrip().endswith("END;")
    conn = sqlite3.connect(":memory:")
    for s in statements:
        conn.execute(s)
    stored = conn.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()[0]
    assert "-- the a; column" in stored
    with pytest.raises(ValueError):
        split_statements("CREATE TABLE x (a TEXT DEFAULT 'unterminated")


def test_new_migrations_keep_comments_and_m001_is_as_released(cli, db_path):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    conn = sqlite3.connect(db_path)
    sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall())
    conn.close()
    assert "-- the words searched" in sql["search_text"]
    assert "-- 1–10, 10 = best" in sql["daily"]
    # m001 was released without comments in its stored schema; new and old databases stay identical.
    assert all("--" not in sql[t] for t in M001_TABLES)


def test_daily_view(cli, db_path):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "nicotine", "--unit", "count", ok=True)
    cli("checkin", "--date", "2026-11-19", "--mood", "6", "--craving", "3", "--halt", "tired", "--sober", ok=True)
    cli("use", "nicotine", "--amount", "4", "--date", "2026-11-19", ok=True)
    cli("meeting", "add", "Noon", "--date", "2026-11-19", ok=True)
    cli("meeting", "add", "Evening", "--date", "2026-11-19", ok=True)
    cli("meeting", "add", "Noon", "--date", "2026-11-20", ok=True)
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM daily")]
    conn.close()
    assert [r["date"] for r in rows] == ["2026-11-19", "2026-11-20"]      # one row per date
    first, second = rows
    assert (first["mood"], first["craving"], json.loads(first["halt"]), first["checked_in"], first["meetings"]) == (
        6, 3, ["tired"], 1, 2)
    assert json.loads(first["uses"]) == {"alcohol": {"used": 0, "amount": None}, "nicotine": {"used": 1, "amount": 4.0}}
    assert second["checked_in"] == 0 and second["mood"] is None and second["meetings"] == 1
    assert json.loads(second["uses"]) == {}                               # nothing recorded: unrecorded


def test_datasette_metadata(cli, db_path):
    cli("checkin", "--mood", "5", "--craving", "1", ok=True)
    doc = cli.json("db", "datasette-metadata")
    tables = doc["databases"]["recoverylog"]["tables"]
    assert tables["contacts"]["label_column"] == "alias"
    assert set(M001_TABLES) | {"search_text", "daily"} <= set(tables)
    assert not any(name.startswith(("search_text_fts", "_sqlite")) for name in tables)
    conn = sqlite3.connect(db_path)
    for table in M001_TABLES:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        described = tables[table]["columns"]
        missing = [c for c in columns if c not in described and c != "id"]
        assert not missing, (table, missing)
        assert tables[table]["description"]
    conn.close()
    assert tables["search_text"]["columns"]["text"] == "the words searched"   # read from the stored schema


def test_datasette_metadata_needs_a_database(cli, db_path):
    result = cli("db", "datasette-metadata")
    assert result.exit_code == 3 and "No journal at" in result.stderr and not db_path.exists()


def test_comments_in_views_and_tables():
    assert comments_in("  c.mood AS mood,   -- 1–10\n  name TEXT NOT NULL, -- the name\n -- alone\n") == {
        "mood": "1–10", "name": "the name"}
    assert set(TABLES) >= set(M001_TABLES)
