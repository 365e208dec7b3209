"""Opening the database safely, transactions, backups and migrations.

Opening checks identity from the file header only (magic bytes,
`PRAGMA application_id`, `PRAGMA user_version`): constant time whatever the
size of the file. A file that is not ours, is corrupt, or was written by a
newer recoverylog is refused and left byte-for-byte unchanged.

Soundness (docs/definitions.md §12): `PRAGMA quick_check` runs before the first write of each
local day (the day is remembered in the `integrity_checks` table, one row), and always before
`db backup`, `db migrate`, `db restore` and a full export. A damaged file is refused for writes
and left unchanged; the messages point to `recoverylog db restore BACKUP`. A passed check is
remembered by the open Store, so a command checks its journal at most once (a full export checks
before it reads, and its logging write does not check again).

Honest outcomes: `Store.saved` says whether a COMMIT happened in this process, so an error or a
Ctrl-C afterwards can say the write was saved instead of claiming nothing changed.
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
from recoverylog.errors import NotFoundError, StorageError
from recoverylog.settings import Settings
from recoverylog.storage.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


RESTORE_HINT = "Restore a backup with `recoverylog db restore BACKUP`, or use --db to pick another file."


def damaged_error(path: Path, detail: str | None = None, *, saved: bool = False) -> StorageError:
    found = f" (SQLite's check: {detail[:120]})" if detail else ""
    if saved:
        return StorageError(f"{path} is damaged{found}. What you entered was saved before this was found; "
                            f"the file was not changed after that. {RESTORE_HINT}")
    return StorageError(f"{path} is damaged{found}; nothing was written and it was left unchanged. {RESTORE_HINT}")


def _finite(value: Any) -> Any:
    """A revision keeps the old row as strict JSON: a non-finite number a legacy row held is null."""
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _storage_error(path: Path, exc: sqlite3.Error, *, saved: bool = False) -> StorageError:
    detail = str(exc).rstrip(".")
    text = detail.lower()
    if saved:
        # A COMMIT already happened in this command: never claim that nothing changed.
        if "malformed" in text or "corrupt" in text or "not a database" in text:
            return damaged_error(path, detail, saved=True)
        return StorageError(f"What you entered was saved in {path}, but then: {detail}. "
                            "Check it with the matching list or show command.")
    if "readonly" in text or "read-only" in text:
        return StorageError(f"The database {path} is read-only: nothing was changed. "
                            "Check the file's permissions or the disk.")
    if "locked" in text or "busy" in text:
        return StorageError(f"The database {path} is busy (another recoverylog is writing); "
                            "nothing was changed. Try again in a moment.")
    if "malformed" in text or "corrupt" in text:
        return damaged_error(path, detail)
    if "not a database" in text:
        return StorageError(f"{path} is damaged or is not a recoverylog database; it was left unchanged. "
                            + RESTORE_HINT)
    if "disk" in text or "full" in text or "unable to open" in text:
        return StorageError(f"Cannot write to {path}: {detail}. Nothing was changed.")
    return StorageError(f"Database error in {path}: {detail}. Nothing was changed.")


class Store:
    """An open recoverylog database: a sqlite3 connection in autocommit mode whose
    writes go through `write()`, one BEGIN IMMEDIATE transaction each."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock, *, pending: bool = False):
        self.path = path
        self.conn = conn
        self.clock = clock
        self._settings: Settings | None = None
        # True while the file does not exist yet: reads see an empty in-memory journal and the
        # first write() creates the file (so a refused command never creates a database).
        self.pending = pending
        self.saved = False          # a COMMIT happened through this store
        self._committing = False    # COMMIT issued, not yet known to have returned
        self._checked_today = False
        self._found_sound = False   # PRAGMA quick_check passed on this connection (check_integrity)

    def _error(self, exc: sqlite3.Error) -> StorageError:
        return _storage_error(self.path, exc, saved=self.saved)

    # -- reading -----------------------------------------------------------
    def query(self, sql: str, params: tuple | list | dict = ()) -> list[sqlite3.Row]:
        from recoverylog.limits import params_fit

        if not params_fit(params):
            return []  # an integer beyond SQLite's range names no row (docs/definitions.md §12)
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def query_tuples(self, sql: str, params: tuple | list | dict = ()) -> list[tuple]:
        """`query`, with plain tuples for rows (no sqlite3.Row per row: for reads of many rows)."""
        from recoverylog.limits import params_fit

        if not params_fit(params):
            return []
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def scalar(self, sql: str, params: tuple | list | dict = ()) -> Any:
        """The first column of the first row (a count, a version); None when there is no row."""
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    def query_one(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Row | None:
        from recoverylog.limits import params_fit

        if not params_fit(params):
            return None
        try:
            return self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    # -- soundness -----------------------------------------------------------
    def check_integrity(self) -> None:
        """PRAGMA quick_check; StorageError (the file left unchanged) when it finds damage.
        A passed check is remembered: later calls through this Store return at once (a command
        checks a file once, however many steps ask; a found damage is never remembered)."""
        if self.pending or self._found_sound:
            return
        try:
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.Error as exc:
            raise damaged_error(self.path, str(exc), saved=self.saved) from None
        if not rows or rows[0][0] != "ok":
            raise damaged_error(self.path, rows[0][0] if rows else None, saved=self.saved)
        self._found_sound = True

    def _check_once_a_day(self) -> str | None:
        """Run the check when today's has not run yet. Returns the day to remember (or None)."""
        if self._checked_today:
            return None
        today = self.today().isoformat()
        if not self._has_integrity_table():
            self.check_integrity()  # a schema from before the day was remembered: check every time
            self._checked_today = True
            return None
        try:
            row = self.conn.execute("SELECT checked_on FROM integrity_checks WHERE id = 1").fetchone()
        except sqlite3.Error as exc:
            raise damaged_error(self.path, str(exc), saved=self.saved) from None
        if row is not None and row[0] == today:
            self._checked_today = True
            return None
        self.check_integrity()
        return today

    def _has_integrity_table(self) -> bool:
        try:
            return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                     "AND name = 'integrity_checks'").fetchone() is not None
        except sqlite3.Error as exc:
            raise damaged_error(self.path, str(exc), saved=self.saved) from None

    def _materialise(self, *, schema_inside: bool = False) -> bool:
        """Create the database file now (the first write of a command on a new journal).
        Returns True when this call created the file. `schema_inside`: a file without a schema
        yet is left so, for the write's own transaction to make it (`write(schema_inside=True)`)."""
        memory = self.conn
        created = not self.path.exists()
        self._made_folder = not self.path.parent.exists()
        real = open_store(self.path, self.clock, create=True, migrate=not schema_inside)
        if schema_inside and 0 < int(real.scalar("PRAGMA user_version")) < SCHEMA_VERSION:
            migrate_store(real)   # a journal of an older version appeared meanwhile: migrated as any other
        self.conn, self.pending = real.conn, False
        self._settings = None
        self._found_sound = False   # another connection, another file: nothing checked on it yet
        memory.close()
        return created

    def _unmaterialise(self) -> None:
        """The first write into a file created a moment ago was refused (e.g. an import whose
        rows do not fit): remove the file again, so a refused command leaves no database."""
        try:
            fresh = self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None
            if not fresh and (self.conn.execute("SELECT count(*) FROM revisions").fetchone()[0]
                              or not self.is_empty()):
                return  # another process wrote into it meanwhile: keep it
        except (sqlite3.Error, StorageError):
            return
        self.conn.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass
        if getattr(self, "_made_folder", False):
            try:
                self.path.parent.rmdir()  # only if still empty
            except OSError:
                pass
        replacement = _memory_store(self.path, self.clock)
        self.conn, self.pending = replacement.conn, True
        self._found_sound = False

    # -- writing -----------------------------------------------------------
    @contextmanager
    def write(self, *, schema_inside: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction. BEGIN IMMEDIATE takes the write lock up front, so a second
        writer waits (busy timeout) instead of failing half-way. Never hold it across a prompt.
        The first write of the day runs PRAGMA quick_check first; a damaged file is refused.
        `schema_inside` (an import into a new journal): when this write creates the file, its
        schema is made inside this same transaction, after the lock is taken, instead of in a
        transaction of its own first; a file another process made meanwhile is used as it is."""
        created = False
        inside = False
        if self.pending:
            # The empty journal's settings are a new file's: its day is read before it has a schema.
            empty_today = self.today().isoformat() if schema_inside else None
            created = self._materialise(schema_inside=schema_inside)
            self._checked_today = True  # a file created a moment ago
            inside = schema_inside and not self._has_integrity_table()
            if inside:
                checked_on = empty_today
            else:
                checked_on = self.today().isoformat() if self._has_integrity_table() else None
        else:
            checked_on = self._check_once_a_day()
        try:
            with self._transaction() as conn:
                if inside and conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                    # Read inside the lock: another process may have made the schema meanwhile.
                    from recoverylog.storage.migrations import apply_migrations

                    apply_migrations(conn)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                if checked_on is not None:
                    conn.execute("INSERT INTO integrity_checks (id, checked_on, checked_at) VALUES (1, ?, ?) "
                                 "ON CONFLICT(id) DO UPDATE SET checked_on = excluded.checked_on, "
                                 "checked_at = excluded.checked_at", (checked_on, utc_timestamp(self.clock.now())))
                    self._checked_today = True
                yield conn
        except BaseException:
            if created and not self.saved:
                self._unmaterialise()
            raise

    @contextmanager
    def _transaction(self, *, records: bool = True) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT. `records=False` for schema work (a migration of a new file
        is not something the person entered, so it does not count as "saved")."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        try:
            yield self.conn
        except sqlite3.Error as exc:
            # e.g. a read-only file: BEGIN IMMEDIATE succeeds, the first INSERT does not.
            self._rollback()
            raise self._error(exc) from exc
        except BaseException:
            self._rollback()
            raise
        self._committing = records
        try:
            self.conn.execute("COMMIT")
            if records:
                self._mark_saved()
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc) from exc
        finally:
            if self._committing and not self.conn.in_transaction:
                self._mark_saved()  # a Ctrl-C right after COMMIT returned: it is saved
            self._committing = False

    def _mark_saved(self) -> None:
        from recoverylog import outcome

        self.saved = True
        if not self.pending:
            outcome.mark_saved()

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # closing the connection rolls back too

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
            (entity, key, action, json.dumps(_finite(data), ensure_ascii=False, sort_keys=True, allow_nan=False), changed_at, changed_on),
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

def _connect(path: Path | str) -> sqlite3.Connection:
    """The one place a connection to a database file is opened (keys or other per-connection
    set-up belong here)."""
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
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror}.") from None
    if stat.S_ISDIR(mode):
        raise StorageError(f"{path} is a folder, not a database file.")
    if not stat.S_ISREG(mode):
        # A FIFO or a device is never opened: reading one could block or consume someone's data.
        raise StorageError(f"{path} is not a regular file, so not a database; it was left alone. "
                           "Use --db to choose another file.")
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


def no_journal_error(path: Path) -> NotFoundError:
    return NotFoundError(f"No journal at {path} yet — `recoverylog checkin` starts one "
                         "(or check --db / RECOVERYLOG_DB).")


def open_store(path: Path, clock: Clock, *, create: bool = True, migrate: bool = True,
               defer_create: bool = False, key=None) -> Store:
    """Open (and on first use create) the database at `path`.

    Refuses, without writing a byte: a file that is not SQLite, another app's SQLite,
    a damaged file, and a database written by a newer recoverylog.
    With `defer_create`, a missing file is created only by the first `write()`. An encrypted
    journal is unlocked first (`key`, else the unlock order of docs/definitions.md §13).
    """
    from recoverylog.limits import check_path

    check_path(path, "database path")
    if not path.exists():
        if path.is_symlink():
            raise StorageError(f"{path} is a link to a file that does not exist; nothing was created.")
        if not create:
            raise no_journal_error(path)
        if defer_create:
            return _memory_store(path, clock)
        _create_file(path)
    kind = _header_kind(path)
    if kind == "foreign":
        from recoverylog.storage import encryption  # only for files without an SQLite header

        if not encryption.is_encrypted(path):
            raise StorageError(f"{path} is not a recoverylog database (not an SQLite file); "
                               "it was left unchanged. Use --db to choose another file.")
    try:
        conn = encryption.open_encrypted(path, key)[0] if kind == "foreign" else _connect(path)
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
    if version < 0:
        conn.close()
        raise StorageError(f"{path} has an unknown schema number ({version}); it was left unchanged. "
                           "It was not written by recoverylog, or it was altered. " + RESTORE_HINT)
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


def _memory_store(path: Path, clock: Clock) -> Store:
    """An empty, current journal in memory standing in for a file that does not exist yet."""
    from recoverylog.storage.empty_image import connect

    image = connect()   # the shipped image of an empty journal, else the migrations make one
    conn = image or sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    store = Store(path, conn, clock, pending=True)
    if image is None:
        from recoverylog.storage.migrations import apply_migrations

        with store._transaction(records=False):
            apply_migrations(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("PRAGMA foreign_keys = ON")
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
        store.check_integrity()  # never migrate (or back up) a damaged file
        stamp = store.now().strftime("%Y%m%dT%H%M%S")
        backup_path = store.path.with_name(f"{store.path.name}.before-schema-{SCHEMA_VERSION}-{stamp}.bak")
        backup(store, backup_path, force=False)
    from recoverylog.storage.migrations import apply_migrations

    with store._transaction(records=version > 0) as conn:
        # Re-read inside the lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current < SCHEMA_VERSION:
            try:
                apply_migrations(conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except sqlite3.Error as exc:
                raise _storage_error(store.path, exc) from exc
    return backup_path


def backup(store: Store, target: Path, *, force: bool = False) -> Path:
    """A consistent copy by VACUUM INTO (never a file copy), mode 0600, written through the one
    atomic writer (recoverylog.outfile): after quick_check, into a temp file, then renamed."""
    from recoverylog.outfile import atomic_output, check_target

    target = check_target(target, force=force, what="backup file")
    try:
        same = target.exists() and os.path.samefile(target, store.path)
    except OSError:
        same = False
    if same or target.resolve() == store.path.resolve():
        raise StorageError("The backup cannot replace the database itself.")
    store.check_integrity()
    try:
        with atomic_output(target) as temp:
            store.conn.execute("VACUUM INTO ?", (str(temp),))
    except sqlite3.Error as exc:
        raise _storage_error(target, exc) from exc
    return target


def check_backup_file(path: Path, clock: Clock) -> int:
    """Is `path` a sound recoverylog database this version can open? Returns its schema
    number; StorageError (one line) when not. Opens read-only: the file is never changed."""
    return _check_backup(path)[0]


def _open_backup(path: Path, key=None) -> tuple[sqlite3.Connection, Any]:
    """A read-only connection to a backup, and its encryption key (None for a plain one): an
    encrypted backup is unlocked like a journal (docs/definitions.md §13)."""
    if _header_kind(path) == "foreign":
        from recoverylog.storage import encryption

        if encryption.is_encrypted(path):
            return encryption.open_readonly(path, key)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None), None


def _check_backup(path: Path) -> tuple[int, Any]:
    from recoverylog.limits import check_path

    check_path(path, "backup file")
    if not path.exists():
        raise NotFoundError(f"{path}: no such backup file.")
    if not path.is_file():
        raise StorageError(f"{path} is not a regular file, so not a backup; nothing was restored.")
    kind = _header_kind(path)
    if kind != "sqlite":
        from recoverylog.storage.encryption import is_encrypted

        if kind != "foreign" or not is_encrypted(path):
            raise StorageError(f"{path} is not a recoverylog backup (not an SQLite file); nothing was restored.")
    try:
        conn, key = _open_backup(path)
    except sqlite3.Error as exc:
        raise StorageError(f"{path} cannot be opened ({exc}); nothing was restored.") from None
    try:
        app_id, version = inspect(conn, path)
        if app_id != APPLICATION_ID:
            raise StorageError(f"{path} is not a recoverylog backup (another program's database); "
                               "nothing was restored.")
        if version < 1 or version > SCHEMA_VERSION:
            raise StorageError(f"{path} has schema {version}; this recoverylog reads 1 to {SCHEMA_VERSION}. "
                               "Nothing was restored.")
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.Error as exc:
            rows = [(str(exc),)]
        if not rows or rows[0][0] != "ok":
            raise StorageError(f"{path} is damaged itself (SQLite's check: {str(rows[0][0] if rows else '?')[:120]}); "
                               "nothing was restored. Try an older backup.")
    finally:
        conn.close()
    return version, key


def restore(db_path: Path, backup_file: Path, clock: Clock) -> Path | None:
    """Replace the database with a sound backup, atomically. The current file (damaged or not)
    is first copied byte for byte next to it; returns that copy's path (None when there was no
    current file). A stale rollback journal of the old file is moved aside with it, so SQLite
    never replays it into the restored one. (The current file is copied as it is, without
    opening it: opening could replay that journal into it first.)"""
    import shutil

    from recoverylog.outfile import atomic_output, remove_stale_partials

    _, key = _check_backup(backup_file)
    try:
        if db_path.exists() and os.path.samefile(db_path, backup_file):
            raise StorageError("The backup is the database file itself; nothing to restore.")
    except OSError:
        pass
    if not db_path.parent.is_dir():
        _create_file(db_path)  # makes the folder (0700); the file is replaced below
    remove_stale_partials(db_path.parent, db_path.name)
    saved_copy = None
    if db_path.exists() and db_path.stat().st_size > 0:
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        saved_copy = db_path.with_name(f"{db_path.name}.before-restore-{stamp}.bak")
        n = 1
        while saved_copy.exists():
            n += 1
            saved_copy = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{n}.bak")
    try:
        if saved_copy is not None:
            with atomic_output(saved_copy) as temp:
                shutil.copyfile(db_path, temp)
            for suffix in ("-journal", "-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, saved_copy.with_name(saved_copy.name + suffix))
        with atomic_output(db_path) as temp:
            source, _ = _open_backup(backup_file, key)  # an encrypted backup's copy keeps its key
            try:
                source.execute("VACUUM INTO ?", (str(temp),))
            finally:
                source.close()
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot restore from {backup_file}: {exc}. The database was left as it was.") from None
    except OSError as exc:
        raise StorageError(f"Cannot restore into {db_path}: {exc.strerror}. The database was left as it was.") from None
    return saved_copy
