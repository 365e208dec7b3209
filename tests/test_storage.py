"""The database: where it lives, permissions, refusing files that are not ours (unchanged, byte
for byte), migrations and the backup before one, backups, concurrent writers, read-only files,
and settings (`config list|get|set`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from recoverylog.clock import FixedClock
from recoverylog.settings import Settings
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage import db as dbmod
from recoverylog.storage import migrations
from recoverylog.storage.db import open_store

CLOCK = FixedClock(datetime(2026, 11, 21, 10, 0, tzinfo=UTC))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def assert_refused(result, code: int, mentions: str | None = None) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if mentions:
        assert mentions in errors[0], errors[0]
    return errors[0]


def make_db(path: Path, days: int = 3, start: date = date(2026, 11, 1)) -> Path:
    """A current recoverylog database holding `days` daily check-ins, written through storage."""
    store = open_store(path, CLOCK)
    with store.write() as conn:
        for i in range(days):
            day = (start + timedelta(days=i)).isoformat()
            checkin_rows.upsert(conn, {"date": day, "mood": 6, "craving": 2, "halt": [], "tags": [],
                                       "note": "a note long enough to take some room " * 3,
                                       "recorded_at": "2026-11-21T10:00:00+00:00", "recorded_on": day,
                                       "updated_at": "2026-11-21T10:00:00+00:00"})
    store.close()
    return path


def header(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


# -- location and permissions ------------------------------------------------------------

def test_db_path_precedence(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("RECOVERYLOG_HOME")
    xdg = tmp_path / "home" / ".local" / "share"
    assert cli("db", "path", ok=True).stdout.strip() == str(xdg / "recoverylog" / "recoverylog.db")
    monkeypatch.setenv("RECOVERYLOG_HOME", str(tmp_path / "rlhome"))
    assert cli("db", "path", ok=True).stdout.strip() == str(tmp_path / "rlhome" / "recoverylog.db")
    monkeypatch.setenv("RECOVERYLOG_DB", str(tmp_path / "env.db"))
    assert cli("db", "path", ok=True).stdout.strip() == str(tmp_path / "env.db")
    assert cli("--db", str(tmp_path / "opt.db"), "db", "path", ok=True).stdout.strip() == str(tmp_path / "opt.db")
    assert cli("--db", "~/x.db", "db", "path", ok=True).stdout.strip() == str(tmp_path / "home" / "x.db")
    # Asking where it is creates nothing.
    assert not (tmp_path / "rlhome").exists() and not (tmp_path / "env.db").exists() and not xdg.exists()


def test_first_use_creates_0600_file_in_0700_folder(cli, db_path):
    old = os.umask(0)  # permissions must not depend on a permissive umask
    try:
        cli("checkin", "--mood", "6", "--craving", "1", ok=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700
    assert header(db_path) == (migrations.APPLICATION_ID, migrations.SCHEMA_VERSION)


def test_an_empty_file_given_with_db_becomes_a_0600_journal(cli, tmp_path):
    # `touch journal.db` then `--db journal.db`: the journal written into it is private too.
    target = tmp_path / "journal.db"
    target.touch(mode=0o644)
    os.chmod(target, 0o644)
    cli("--db", str(target), "checkin", "--mood", "6", "--craving", "1", ok=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert header(target) == (migrations.APPLICATION_ID, migrations.SCHEMA_VERSION)


def test_a_path_that_is_a_folder_is_refused(cli, tmp_path):
    (tmp_path / "folder.db").mkdir()
    assert_refused(cli("--db", str(tmp_path / "folder.db"), "checkin", "-m", "5", "-c", "1"), 4, "is a folder")


# -- files that are not ours, or are damaged, or are newer: refused and unchanged -------------

def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _truncated_half(path: Path) -> None:
    make_db(path, days=1500)
    data = path.read_bytes()
    assert len(data) > 200_000
    path.write_bytes(data[: len(data) // 2 // 4096 * 4096])


def _truncated_header(path: Path) -> None:
    make_db(path)
    path.write_bytes(path.read_bytes()[:100])


def _other_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('beach')")
    conn.commit()
    conn.close()


def _other_app_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 252006673")  # Fossil's, and no tables at all
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    make_db(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


FILES = {
    "random bytes": (_random_bytes, "not an SQLite file"),
    "truncated SQLite (half)": (_truncated_half, "damaged"),
    "truncated SQLite (header only)": (_truncated_header, "damaged"),
    "another app's SQLite": (_other_app, "another program"),
    "another app's application_id": (_other_app_id, "another program"),
    "newer recoverylog": (_newer, "newer recoverylog"),
}

COMMANDS = [
    ["checkin", "--mood", "6", "--craving", "2"],
    ["checkins", "--json"],
    ["config", "set", "day-start-hour", "5"],
    ["db", "migrate"],
    ["db", "migrate", "--list"],
]


@pytest.mark.parametrize("kind", list(FILES))
def test_foreign_damaged_or_newer_file_is_refused_and_left_unchanged(cli, tmp_path, kind):
    make, mentions = FILES[kind]
    path = tmp_path / "some.db"
    make(path)
    before = sha(path)
    for args in COMMANDS:
        assert_refused(cli("--db", str(path), *args), 4, mentions)
        assert sha(path) == before, args
        assert side_files(path) == []
    target = tmp_path / "copy.db"
    assert_refused(cli("--db", str(path), "db", "backup", str(target)), 4, mentions)
    assert not target.exists()
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "some.db"]


def test_opening_reads_only_the_header(tmp_path, monkeypatch):
    """Recognising a file costs header pragmas (plus one page of sqlite_master for an unmarked
    file), never a scan: no integrity_check, no table reads."""
    current = make_db(tmp_path / "ours.db", days=400)
    foreign = tmp_path / "foreign.db"
    _other_app(foreign)
    statements: list[str] = []
    real_connect = dbmod._connect

    def traced(path):
        conn = real_connect(path)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(dbmod, "_connect", traced)
    open_store(current, CLOCK).close()
    assert statements and all(s.strip().upper().startswith("PRAGMA") for s in statements), statements
    assert not any("check" in s.lower() for s in statements)

    statements.clear()
    with pytest.raises(dbmod.StorageError):
        open_store(foreign, CLOCK)
    non_pragma = [s for s in statements if not s.strip().upper().startswith("PRAGMA")]
    assert non_pragma == ["SELECT 1 FROM sqlite_master LIMIT 1"]


# -- migrations ------------------------------------------------------------------------------

def test_migrations_from_an_empty_database(tmp_path):
    for path in (tmp_path / "new.db", tmp_path / "zero-bytes.db"):
        if path.name.startswith("zero"):
            path.touch()
        store = open_store(path, CLOCK)
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"checkins", "revisions", "settings", "substances", "uses", "meetings", "_sqlite_migrations"} <= tables
        assert [name for name, _ in dbmod.applied_migrations(store)] == [f.__name__ for f in migrations.MIGRATIONS]
        assert dbmod.pending_migrations(store) == []
        store.close()
        assert header(path) == (migrations.APPLICATION_ID, migrations.SCHEMA_VERSION)
        assert list(tmp_path.glob(f"{path.name}.before-schema-*")) == []  # nothing to back up


def test_db_migrate_list_on_a_current_database(cli, db_path):
    cli("checkin", "-m", "5", "-c", "1", ok=True)
    out = cli("db", "migrate", "--list", ok=True).stdout.splitlines()
    assert [line.split()[:2] for line in out] == [["applied", f.__name__] for f in migrations.MIGRATIONS]
    assert "up to date" in cli("db", "migrate", ok=True).stderr


def test_db_migrate_list_without_a_database_creates_nothing(cli, db_path):
    assert_refused(cli("db", "migrate", "--list"), 3, "No journal at")
    assert not db_path.exists()


@pytest.fixture
def pending_migration(monkeypatch):
    """A test-only migration appended after the real ones, as a future release would add."""
    applied: list[str] = []

    def m999_add_test_table(db):
        db.execute("CREATE TABLE test_extra (id INTEGER PRIMARY KEY, x TEXT)")
        db.execute("INSERT INTO test_extra (x) SELECT date FROM checkins")
        applied.append("yes")

    new = migrations.MIGRATIONS + [m999_add_test_table]
    for module in (migrations, dbmod):
        monkeypatch.setattr(module, "MIGRATIONS", new)
        monkeypatch.setattr(module, "SCHEMA_VERSION", len(new))
    return applied


def test_pending_migration_on_non_empty_database_backs_up_first(cli, db_path, pending_migration):
    old_version = len(migrations.MIGRATIONS) - 1
    with monkeypatch_context() as mp:  # write the data with the released schema
        mp.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:-1])
        mp.setattr(dbmod, "SCHEMA_VERSION", old_version)
        make_db(db_path, days=5)
    assert header(db_path)[1] == old_version
    before = sha(db_path)

    listed = cli("db", "migrate", "--list", ok=True).stdout
    assert "pending  m999_add_test_table" in listed
    assert sha(db_path) == before  # --list changes nothing

    result = cli("db", "migrate", ok=True)
    backups = list(db_path.parent.glob("recoverylog.db.before-schema-*.bak"))
    assert len(backups) == 1
    assert backups[0].name == f"recoverylog.db.before-schema-{old_version + 1}-20261121T100000.bak"
    assert str(backups[0]) in result.stderr and "m999_add_test_table" in result.stderr
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    # The backup is the database as it was: old schema version, all five check-ins.
    assert header(backups[0]) == (migrations.APPLICATION_ID, old_version)
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 5
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'test_extra'").fetchone()[0] == 0
    conn.close()
    # The database itself is migrated, data kept.
    assert header(db_path)[1] == old_version + 1
    assert len(cli.json("checkins", "--json")) == 5
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM test_extra").fetchone()[0] == 5
    conn.close()
    assert pending_migration == ["yes"]


def test_any_command_migrates_with_a_backup(cli, db_path, pending_migration):
    released = migrations.MIGRATIONS[:-1]
    with monkeypatch_context() as mp:
        mp.setattr(migrations, "MIGRATIONS", released)
        mp.setattr(dbmod, "SCHEMA_VERSION", len(released))
        make_db(db_path, days=2)
    cli("checkin", "-m", "5", "-c", "1", ok=True)
    assert len(list(db_path.parent.glob("*.bak"))) == 1
    assert header(db_path)[1] == len(migrations.MIGRATIONS)


def test_a_failing_migration_changes_nothing(cli, db_path, monkeypatch):
    make_db(db_path, days=2)

    def m999_broken(db):
        db.execute("CREATE TABLE half_done (x)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    new = migrations.MIGRATIONS + [m999_broken]
    for module in (migrations, dbmod):
        monkeypatch.setattr(module, "MIGRATIONS", new)
        monkeypatch.setattr(module, "SCHEMA_VERSION", len(new))
    assert_refused(cli("db", "migrate"), 4)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(new) - 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations WHERE name = 'm999_broken'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 2
    conn.close()


class monkeypatch_context:
    """A short-lived MonkeyPatch (the fixture one would stay active for the whole test)."""

    def __enter__(self):
        self.mp = pytest.MonkeyPatch()
        return self.mp

    def __exit__(self, *exc):
        self.mp.undo()


# -- backups ---------------------------------------------------------------------------------

def test_backup_is_a_consistent_0600_copy_and_refuses_to_overwrite(cli, db_path, tmp_path):
    cli("checkin", "-m", "5", "-c", "1", ok=True)
    target = tmp_path / "backup.db"
    cli("db", "backup", str(target), ok=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert header(target) == (migrations.APPLICATION_ID, migrations.SCHEMA_VERSION)
    assert len(cli.json("--db", str(target), "checkins", "--json")) == 1

    cli("checkin", "-m", "6", "-c", "1", "--date", "yesterday", ok=True)
    before = sha(target)
    assert_refused(cli("db", "backup", str(target)), 1, "--force")
    assert sha(target) == before
    cli("db", "backup", str(target), "--force", ok=True)
    assert len(cli.json("--db", str(target), "checkins", "--json")) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left

    assert_refused(cli("db", "backup", str(db_path), "--force"), 4, "cannot replace the database")
    assert_refused(cli("db", "backup", str(tmp_path / "nowhere" / "b.db")), 1, "does not exist")


def test_backup_without_a_database_creates_nothing(cli, db_path, tmp_path):
    assert_refused(cli("db", "backup", str(tmp_path / "b.db")), 3, "No journal at")
    assert not db_path.exists() and not (tmp_path / "b.db").exists()


# -- two processes writing at once -------------------------------------------------------------

def _run_many(db: Path, argv_list: list[list[str]]) -> list[subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items()}
    procs = [subprocess.Popen([sys.executable, "-m", "recoverylog", "--db", str(db), *argv],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for argv in argv_list]
    results = []
    for argv, proc in zip(argv_list, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(argv, proc.returncode, out, err))
    return results


def test_concurrent_processes_all_land(tmp_path):
    db = tmp_path / "shared.db"  # does not exist yet: creation and migration race too
    dates = [(date(2026, 10, 1) + timedelta(days=i)).isoformat() for i in range(10)]
    results = _run_many(db, [["checkin", "--mood", "6", "--craving", "2", "--date", d] for d in dates])
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "locked" not in r.stderr.lower() and "busy" not in r.stderr.lower()
    # Same date from many terminals: every answer lands as a merge, each earlier value kept.
    same = _run_many(db, [["checkin", "--mood", "6", "--craving", "2", "--stress", str(s), "--date", "2026-11-20"]
                          for s in range(5)])
    assert all(r.returncode == 0 for r in same), [r.stderr for r in same]
    listed = subprocess.run([sys.executable, "-m", "recoverylog", "--db", str(db), "checkins", "--json"],
                            capture_output=True, text=True, check=True)
    rows = {r["date"]: r for r in json.loads(listed.stdout)}
    assert sorted(rows) == dates + ["2026-11-20"]
    assert rows["2026-11-20"]["revisions"] == 4
    assert header(db) == (migrations.APPLICATION_ID, migrations.SCHEMA_VERSION)


def test_a_writer_waits_for_another_writers_transaction(tmp_path):
    """BEGIN IMMEDIATE + busy timeout: a second writer waits instead of failing."""
    import threading

    path = make_db(tmp_path / "w.db", days=1)
    first = open_store(path, CLOCK)
    inside = threading.Event()
    done = []

    def other_writer():
        second = open_store(path, CLOCK)  # its own connection, as another process would have
        inside.wait()
        with second.write() as conn:
            conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('milestones', 'off', 'x')")
        second.close()
        done.append(True)

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.write() as conn:
        inside.set()
        conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('day_start_hour', '5', 'x')")
        thread.join(0.3)
        assert not done  # still waiting for our lock
    thread.join(10)
    assert done == [True]
    assert {r["key"] for r in first.query("SELECT key FROM settings")} == {"milestones", "day_start_hour"}
    first.close()


# -- a read-only database file -----------------------------------------------------------------

# As root, chmod 0400 does not stop writes. There the command runs in its own mount namespace with
# the database file bind-mounted read-only onto itself: the file cannot be written (EROFS) while
# its folder stays writable, as with a 0400 file owned by someone else.
_RO_WRAPPER = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


def test_read_only_database_is_refused_and_unchanged(tmp_path):
    db = make_db(tmp_path / "ro.db", days=3)
    os.chmod(db, 0o400)
    prefix: list[str] = []
    if os.geteuid() == 0:
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.skip("running as root and `unshare` is missing: cannot make a file read-only for root")
        prefix = [unshare, "--mount", "--propagation", "private", "sh", "-c", _RO_WRAPPER, str(db)]
        probe = subprocess.run(prefix + ["sh", "-c", 'echo x >> "$1"', "sh", str(db)],
                               capture_output=True, text=True)
        if probe.returncode == 0 or "Read-only" not in probe.stderr:
            pytest.skip(f"running as root without mount namespaces: {probe.stderr.strip()[:200]}")
    else:
        with pytest.raises(PermissionError):
            open(db, "r+b").close()
    before = sha(db)

    def run(*argv):
        return subprocess.run(prefix + [sys.executable, "-m", "recoverylog", "--db", str(db), *argv],
                              capture_output=True, text=True, timeout=60)

    for argv in (["checkin", "--mood", "6", "--craving", "2"], ["config", "set", "milestones", "off"],
                 ["checkin", "delete", "2026-11-01", "--yes"], ["checkin", "undo", "2026-11-01"]):
        result = run(*argv)
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, (argv, result.stderr)
        if argv[:2] == ["checkin", "undo"]:
            assert result.returncode == 3  # nothing to undo: found out without writing
            continue
        assert result.returncode == 4, (argv, result.stderr)
        assert "read-only" in errors[0], result.stderr
        assert sha(db) == before
        assert side_files(db) == []
    # Reading a read-only database still works.
    listed = run("checkins", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3
    assert sha(db) == before


# -- settings --------------------------------------------------------------------------------

def test_config_list_get_set(cli, db_path, empty_journal):
    data = cli.json("config", "list", "--json")
    assert data["version"] == 1
    # Every setting with its default (settings are added over time: keys are only ever added).
    assert data["settings"].items() >= {"day_start_hour": 4, "milestones": True, "heavy_day_threshold": 5.0,
                                        "grams_per_drink": 14.0, "crisis_locale": "",
                                        "assessment_reminders": True, "pager": True,
                                        "checkin_questions": "full", "warnings": True, "currency": ""}.items()
    listing = cli("config", "list", ok=True).stdout
    assert "day-start-hour = 4  (default)" in listing
    cli("config", "set", "day-start-hour", "0", ok=True)
    cli("config", "set", "milestones", "OFF", ok=True)
    cli("config", "set", "heavy_day_threshold", "4", ok=True)
    cli("config", "set", "grams-per-drink", "8", ok=True)
    cli("config", "set", "crisis-locale", "gb", ok=True)
    assert cli("config", "get", "day-start-hour", ok=True).stdout == "0\n"
    assert cli("config", "get", "milestones", ok=True).stdout == "off\n"
    assert cli("config", "get", "crisis-locale", ok=True).stdout == "GB\n"
    assert cli.json("config", "list", "--json")["settings"].items() >= {
        "day_start_hour": 0, "milestones": False, "heavy_day_threshold": 4.0, "grams_per_drink": 8.0,
        "crisis_locale": "GB", "pager": True}.items()
    assert "day-start-hour = 0\n" in cli("config", "list", ok=True).stdout
    cli("config", "set", "crisis-locale", "auto", ok=True)
    assert cli("config", "get", "crisis-locale", ok=True).stdout == "auto\n"


BAD_SETTINGS = [
    (["set", "day-start-hour", "24"], 1, "day-start-hour"),
    (["set", "day-start-hour", "x"], 1, "whole number"),
    (["set", "milestones", "maybe"], 1, "on or off"),
    (["set", "heavy-day-threshold", "-1"], 1, "greater than 0"),
    (["set", "heavy-day-threshold", "nan"], 1, "greater than 0"),
    (["set", "grams-per-drink", "0"], 1, "greater than 0"),
    (["set", "crisis-locale", "usa"], 1, "two-letter"),
    (["set", "colour", "blue"], 3, "Unknown setting"),
    (["get", "colour"], 3, "Unknown setting"),
]


@pytest.mark.parametrize("args,code,mentions", BAD_SETTINGS, ids=[" ".join(b[0]) for b in BAD_SETTINGS])
def test_bad_settings_change_nothing(cli, db_path, args, code, mentions):
    cli("config", "set", "day-start-hour", "5", ok=True)
    before = sha(db_path)
    assert_refused(cli("config", *args), code, mentions)
    assert sha(db_path) == before
    assert cli("config", "get", "day-start-hour", ok=True).stdout == "5\n"


def test_stored_value_that_no_longer_parses_falls_back_to_default():
    assert Settings.from_stored({"day_start_hour": "99", "milestones": "off"}) == Settings(milestones=False)
