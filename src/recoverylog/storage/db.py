"""Opening the database safely, transactions, backups and migrations.

Opening checks identity from the file header only (magic bytes,
`PRAGMA application_id`, `PRAGMA user_version`): constant time whatever the
size of the file. A file that is not ours, is corrupt, or was written by a
newer recoverylog is refused and left byte-for-byte unchanged.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from recoverylog.clock import Clock, local_date, utc_timestamp
from recoverylog.errors import StorageError
from recoverylog.settings import Settings
from recoverylog.storage.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def _storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
    detail = str(exc).rstrip(".")
    text = detail.lower()
    if "readonly" in text or "read-only" in text:
        return StorageError(f"The database {path} is read-only: nothing was changed. "
                            "Check the file's permissions or the disk.")
    if "locked" in text or "busy" in text:
        return StorageError(f"The database {path} is busy (another recoverylog is writing); "
                            "nothing was changed. Try again in a moment.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError(f"{path} is damaged or is not a recoverylog database; it was left unchanged. "
                            "Restore a backup (recoverylog db backup) or use --db to pick another file.")
    if "disk" in text or "full" in text or "unable to open" in text:
        return StorageError(f"Cannot write to {path}: {detail}. Nothing was changed.")
    return StorageError(f"Database error in {path}: {detail}. Nothing was changed.")


class Store:
    """An open recoverylog database: a sqlite3 connection in autocommit mode whose
    writes go through `write()`, one BEGIN IMMEDIATE transaction each."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock):
        self.path = path
        self.conn = conn
        self.clock = clock
        self._settings: Settings | None = None

    # -- reading -----------------------------------------------------------
    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc

    def scalar(self, sql: str, params: tuple | list | dict = ()) -> Any:
        """The first column of the first row (a count, a version); None when there is no row."""
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        try:
            return self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc

    # -- writing -----------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction. BEGIN IMMEDIATE takes the write lock up front, so a second
        writer waits (busy timeout) instead of failing half-way. Never hold it across a prompt."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        try:
            yield self.conn
        except sqlite3.Error as exc:
            # e.g. a read-only file: BEGIN IMMEDIATE succeeds, the first INSERT does not.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _storage_error(self.path, exc) from exc
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _storage_error(self.path, exc) from exc

    def now(self) -> datetime:
        return self.clock.now()

    def stamp(self) -> tuple[str, str]:
        """(UTC timestamp, local date it counts for) for a write happening now."""
        moment = self.clock.now()
        return utc_timestamp(moment), local_date(moment, self.settings.day_start_hour).isoformat()

    def today(self):
        return local_date(self.clock.now(), self.settings.day_start_hour)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from recoverylog.storage.settings_store import load_settings

            self._settings = load_settings(self)
        return self._settings

    def invalidate_settings(self) -> None:
        self._settings = None

    def add_revision(self, conn: sqlite3.Connection, entity: str, key: str, action: str,
                     data: dict[str, Any]) -> None:
        changed_at, changed_on = self.stamp()
        conn.execute(
            "INSERT INTO revisions (entity, entity_key, action, data, changed_at, changed_on) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entity, key, action, json.dumps(data, ensure_ascii=False, sort_keys=True), changed_at, changed_on),
        )

    def is_empty(self) -> bool:
        """True when no person-entered data is stored (settings do not count)."""
        for table in ("checkins", "uses", "substances", "meetings", "goals", "contacts",
                      "plan_versions", "steps", "requirements", "outreach", "assessments", "medications"):
            if self.query_one(f"SELECT 1 FROM {table} LIMIT 1") is not None:
                return False
        return True

    def close(self) -> None:
        self.conn.close()


# -- opening ---------------------------------------------------------------

def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _create_file(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {parent}: {exc.strerror}.") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass  # another process created it a moment ago: fine
    except OSError as exc:
        raise StorageError(f"Cannot create the database {path}: {exc.strerror}.") from None


def _header_kind(path: Path) -> str:
    """'empty' (0 bytes), 'sqlite', or 'foreign', from the first 16 bytes."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except IsADirectoryError:
        raise StorageError(f"{path} is a folder, not a database file.") from None
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror}.") from None
    if not head:
        return "empty"
    return "sqlite" if head == SQLITE_MAGIC else "foreign"


def inspect(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(application_id, user_version), header reads only."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id == 0:
            # An SQLite file that is not marked: ours only if it holds no tables at all.
            has_tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
            if has_tables:
                app_id = -1
    except sqlite3.Error as exc:
        raise _storage_error(path, exc) from exc
    return app_id, version


def open_store(path: Path, clock: Clock, *, create: bool = True, migrate: bool = True) -> Store:
    """Open (and on first use create) the database at `path`.

    Refuses, without writing a byte: a file that is not SQLite, another app's SQLite,
    a damaged file, and a database written by a newer recoverylog.
    """
    if not path.exists():
        if not create:
            raise StorageError(f"No database at {path} yet. Run a check-in to create it.")
        _create_file(path)
    kind = _header_kind(path)
    if kind == "foreign":
        raise StorageError(f"{path} is not a recoverylog database (not an SQLite file); "
                           "it was left unchanged. Use --db to choose another file.")
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise _storage_error(path, exc) from exc
    if kind == "empty":
        try:  # an empty file we are about to fill (e.g. `touch` then --db): make it private
            os.chmod(path, 0o600)
        except OSError:
            pass
    app_id, version = (0, 0) if kind == "empty" else inspect(conn, path)
    if app_id not in (0, APPLICATION_ID):
        conn.close()
        raise StorageError(f"{path} is an SQLite database of another program, not recoverylog's; "
                           "it was left unchanged. Use --db to choose another file.")
    if version > SCHEMA_VERSION:
        conn.close()
        raise StorageError(f"{path} was written by a newer recoverylog (schema {version}; "
                           f"this one knows up to {SCHEMA_VERSION}). Upgrade recoverylog; "
                           "the file was left unchanged.")
    try:
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _storage_error(path, exc) from exc
    store = Store(path, conn, clock)
    if version < SCHEMA_VERSION and migrate:
        migrate_store(store)
    elif version < SCHEMA_VERSION:
        pass  # `db migrate --list` looks before it leaps
    return store


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just gave its row."""
    if cursor.lastrowid is None:  # pragma: no cover - sqlite3 always sets it after an INSERT
        raise StorageError("The database did not return the new row's id.")
    return cursor.lastrowid


def pending_migrations(store: Store) -> list[str]:
    version = int(store.scalar("PRAGMA user_version"))
    return [fn.__name__ for fn in MIGRATIONS[version:]]


def applied_migrations(store: Store) -> list[tuple[str, str]]:
    exists = store.query_one(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'")
    if not exists:
        return []
    return [(r["name"], r["applied_at"]) for r in store.query(
        "SELECT name, applied_at FROM _sqlite_migrations ORDER BY id")]


def migrate_store(store: Store) -> Path | None:
    """Apply pending migrations in one transaction; back up a non-empty database first.

    Returns the backup's path when one was made."""
    version = int(store.scalar("PRAGMA user_version"))
    if version >= SCHEMA_VERSION:
        return None
    backup_path = None
    if version > 0:
        stamp = store.now().strftime("%Y%m%dT%H%M%S")
        backup_path = store.path.with_name(f"{store.path.name}.before-schema-{SCHEMA_VERSION}-{stamp}.bak")
        backup(store, backup_path, force=False)
    from sqlite_utils import Database

    from recoverylog.storage.migrations import build_migrations

    db = Database(store.conn, execute_plugins=False)
    with store.write() as conn:
        # Re-read inside the lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current < SCHEMA_VERSION:
            try:
                build_migrations().apply(db)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except sqlite3.Error as exc:
                raise _storage_error(store.path, exc) from exc
    return backup_path


def backup(store: Store, target: Path, *, force: bool = False) -> Path:
    """A consistent copy by VACUUM INTO (never a file copy), mode 0600."""
    target = target.expanduser()
    if target.exists() and not force:
        raise StorageError(f"{target} already exists; nothing was written. Use --force to replace it.")
    if target.resolve() == store.path.resolve():
        raise StorageError("The backup cannot replace the database itself.")
    if not target.parent.is_dir():
        raise StorageError(f"The folder {target.parent} does not exist; nothing was written.")
    temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        if temp.exists():
            temp.unlink()
        old_umask = os.umask(0o077)
        try:
            store.conn.execute("VACUUM INTO ?", (str(temp),))
        finally:
            os.umask(old_umask)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except sqlite3.Error as exc:
        temp.unlink(missing_ok=True)
        raise _storage_error(target, exc) from exc
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(f"Cannot write the backup {target}: {exc.strerror}.") from None
    return target
