"""An import of a full backup into a new journal makes the journal's schema inside its own write
transaction (storage/db.Store.write(schema_inside=True)) instead of in one of its own first: the
same database as migrating the new file first; a refused import leaves no file; a schema or rows
another process put into the file meanwhile are used as they are (never made again, never
overwritten)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from recoverylog.storage import db as storage_db
from summary_seed import copy_db, seeded_once


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("schemaimport"), "source", used_on=(3,), skip=(5,))


@pytest.fixture
def backup(cli, template, tmp_path: Path) -> Path:
    db = copy_db(template, tmp_path / "source.db")
    cli("--db", str(db), "checkin", "--date", "2026-11-20", "--mood", "9", "--note", "called my sponsor", ok=True)
    out = tmp_path / "backup.json"
    cli("--db", str(db), "export", "--profile", "full", "-o", str(out), ok=True)
    return out


def _dump(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        out: list = [conn.execute("PRAGMA user_version").fetchone(), conn.execute("PRAGMA application_id").fetchone(),
                     conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall(),
                     conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id").fetchall()]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                     "'search_text_fts%' AND name != '_sqlite_migrations' ORDER BY name").fetchall():
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            cells = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
            out.append((table, sorted(conn.execute(f'SELECT {cells} FROM "{table}"').fetchall(), key=repr)))
        out.append(conn.execute("SELECT rowid, * FROM search_text_fts ORDER BY rowid").fetchall())
        out.append(conn.execute("PRAGMA integrity_check").fetchall())
        return out
    finally:
        conn.close()


def test_the_schema_made_inside_the_import_is_the_migrated_one(cli, backup, tmp_path, monkeypatch):
    inside, first = tmp_path / "inside" / "new.db", tmp_path / "first" / "new.db"
    with monkeypatch.context() as patched:
        def no_transaction_of_its_own(store):
            raise AssertionError("the new file was migrated in a transaction of its own")

        patched.setattr(storage_db, "migrate_store", no_transaction_of_its_own)
        cli("--db", str(inside), "import", str(backup), ok=True)
    # The reference: the new file migrated by a command of its own, then the import into it.
    from recoverylog.clock import clock_from_env

    storage_db.open_store(first, clock_from_env()).close()
    cli("--db", str(first), "import", str(backup), ok=True)
    assert _dump(inside) == _dump(first)


def test_a_refused_import_leaves_no_file(cli, backup, tmp_path):
    doc = json.loads(backup.read_text(encoding="utf-8"))
    doc["data"]["tables"]["checkins"][-1]["mood"] = 99      # the table refuses it, inside the transaction
    from recoverylog.exports.envelope import compute_digest

    doc["digest"] = compute_digest(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "new" / "new.db"
    result = cli("--db", str(db), "import", str(bad))
    assert result.exit_code != 0 and "nothing was imported" in result.stderr
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("meanwhile", ["schema", "checkin"])
def test_what_another_process_made_meanwhile_is_used_as_it_is(cli, backup, tmp_path, monkeypatch, meanwhile):
    """Between the file's creation and the import's lock, another recoverylog makes the schema
    (and perhaps records a check-in): the import does not make it again, and refuses a journal
    that holds rows, leaving them."""
    from recoverylog.clock import clock_from_env

    real = storage_db.Store._materialise

    def materialise(self, **kwargs):
        created = real(self, **kwargs)
        other = storage_db.open_store(self.path, clock_from_env())   # another connection: migrates and commits
        if meanwhile == "checkin":
            with other.write() as conn:
                conn.execute("INSERT INTO checkins (date, mood, recorded_at, recorded_on, updated_at) "
                             "VALUES ('2026-11-01', 5, 'x', '2026-11-01', 'x')")
        other.close()
        return created

    monkeypatch.setattr(storage_db.Store, "_materialise", materialise)
    db = tmp_path / "new" / "new.db"
    result = cli("--db", str(db), "import", str(backup))
    conn = sqlite3.connect(db)
    try:
        migrations = conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        checkins = conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
    finally:
        conn.close()
    assert migrations == len(storage_db.MIGRATIONS)   # made once
    if meanwhile == "schema":
        assert result.exit_code == 0, result.stderr
        assert checkins > 1
    else:
        assert result.exit_code != 0 and "already holds data" in result.stderr
        assert checkins == 1
