"""The stand-in for a journal that does not exist yet is loaded from the shipped image of an empty
journal (storage/empty_image.py) and holds what running the migrations in memory gives: the same
schema statements, pragmas, columns and rows (the migrations recorded by name, as of now). A stale,
damaged or missing image is not used: the migrations build the stand-in, as before."""

from __future__ import annotations

import sqlite3
import zlib
from datetime import UTC, datetime

import pytest

from recoverylog.clock import FixedClock
from recoverylog.storage import db, empty_image
from recoverylog.storage.migrations import SCHEMA_VERSION, apply_migrations

CLOCK = FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC))


def _migrated() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    apply_migrations(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    return conn


def _picture(conn: sqlite3.Connection) -> dict:
    conn.row_factory = None   # plain tuples (a store's connection gives sqlite3.Row)
    tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {
        "schema": conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall(),
        "pragmas": [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in
                    ("user_version", "application_id", "encoding", "page_size", "auto_vacuum")],
        "columns": {t: conn.execute(f'PRAGMA table_info("{t}")').fetchall() for t in tables},
        "rows": {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables
                 if t not in ("_sqlite_migrations",) and not t.startswith("search_text_fts")},
        "migrations": conn.execute('SELECT id, migration_set, name FROM "_sqlite_migrations" ORDER BY id').fetchall(),
        "fts": conn.execute("SELECT count(*) FROM search_text_fts WHERE search_text_fts MATCH 'walk'").fetchone(),
    }


def test_the_shipped_image_is_what_the_migrations_make():
    before = datetime.now(UTC).replace(microsecond=0)
    loaded = empty_image.connect()
    assert loaded is not None
    assert _picture(loaded) == _picture(_migrated())
    assert loaded.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    stamps = [a for (a,) in loaded.execute('SELECT applied_at FROM "_sqlite_migrations"')]
    # Recorded as the migrations record them: when the stand-in was made, not when the image was.
    assert stamps and all(before <= datetime.fromisoformat(a) <= datetime.now(UTC) for a in stamps)


def test_a_new_journal_stands_in_from_the_image(tmp_path):
    store = db.open_store(tmp_path / "new.db", CLOCK, defer_create=True)
    try:
        assert store.pending and not (tmp_path / "new.db").exists()
        assert _picture(store.conn) == _picture(_migrated())
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "other version", "other migrations"])
def test_an_unusable_image_is_not_used(tmp_path, monkeypatch, damage):
    with open(empty_image.IMAGE, "rb") as handle:
        good = zlib.decompress(handle.read())
    path = tmp_path / "image.zlib"
    if damage == "garbage":
        path.write_bytes(b"not zlib at all")
    elif damage == "truncated":
        path.write_bytes(zlib.compress(good[:5000]))
    elif damage == "other version":
        path.write_bytes(zlib.compress(good[:60] + (SCHEMA_VERSION + 1).to_bytes(4, "big") + good[64:]))
    elif damage == "other migrations":
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.deserialize(good)
        conn.execute('DELETE FROM "_sqlite_migrations" WHERE id = (SELECT max(id) FROM "_sqlite_migrations")')
        path.write_bytes(zlib.compress(conn.serialize()))
    monkeypatch.setattr(empty_image, "IMAGE", str(path))
    assert empty_image.connect() is None
    store = db.open_store(tmp_path / "new.db", CLOCK, defer_create=True)
    try:
        assert _picture(store.conn) == _picture(_migrated())   # built by the migrations instead
    finally:
        store.close()
