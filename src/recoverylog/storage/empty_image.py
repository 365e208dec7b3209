"""An empty journal of the current schema, as SQLite's own image of the database (serialized,
zlib-compressed, shipped as data/empty_journal.sqlite.zlib), for the in-memory stand-in of a
journal that does not exist yet (storage/db._memory_store, docs/definitions.md §12).

Loading the image costs a fraction of a millisecond; running the migrations to build the same
empty journal costs several (dozens of tables, indexes, triggers, the full-text index), which a
first check-in and every import into a new file would otherwise pay for a database nobody writes
to (the file gets its schema from the migrations, as always). The image is used only when it is
of this schema (`PRAGMA user_version`, and every migration recorded by name); otherwise the
stand-in is built by the migrations. A test keeps the image equal to what the migrations make;
regenerate it with `python -c "from recoverylog.storage import empty_image; empty_image.write()"`."""

from __future__ import annotations

import os
import sqlite3

IMAGE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "empty_journal.sqlite.zlib")


def connect() -> sqlite3.Connection | None:
    """A new in-memory connection holding the image (autocommit, as storage/db connects); None
    when there is no usable image (missing, damaged, or of another schema): the caller then runs
    the migrations."""
    import datetime
    import zlib

    from recoverylog.storage.migrations import APPLICATION_ID, MIGRATION_SET, MIGRATIONS, SCHEMA_VERSION

    try:
        with open(IMAGE, "rb") as handle:
            image = zlib.decompress(handle.read())
    except (OSError, zlib.error):
        return None
    if image[:16] != b"SQLite format 3\x00" or int.from_bytes(image[60:64], "big") != SCHEMA_VERSION \
            or int.from_bytes(image[68:72], "big") != APPLICATION_ID:
        return None
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(image)
        names = [name for (name,) in conn.execute(
            'SELECT name FROM "_sqlite_migrations" WHERE migration_set = ? ORDER BY id', (MIGRATION_SET,))]
        if names != [fn.__name__ for fn in MIGRATIONS]:
            raise sqlite3.DatabaseError("not this schema's image")
        # What the migrations record as they run: when they ran (now).
        conn.execute('UPDATE "_sqlite_migrations" SET applied_at = ?', (str(datetime.datetime.now(datetime.UTC)),))
    except (sqlite3.Error, AttributeError):   # AttributeError: a Python without Connection.deserialize
        conn.close()
        return None
    return conn


def build() -> bytes:
    """The empty journal the migrations make in memory (what _memory_store made without an image),
    serialized."""
    from recoverylog.storage.migrations import SCHEMA_VERSION, apply_migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    apply_migrations(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    return conn.serialize()


def write() -> None:
    """Write the image for the current schema beside the other package data (a developer's step)."""
    import zlib

    with open(IMAGE, "wb") as out:
        out.write(zlib.compress(build(), 9))
