"""Connection settings and the schema version, for the commands that need them (demo)."""

from __future__ import annotations

from recoverylog.storage.db import Store


def set_durable(store: Store, durable: bool) -> None:
    """`synchronous = FULL` (the default) or `OFF` for a throw-away file written in bulk."""
    store.conn.execute("PRAGMA synchronous = FULL" if durable else "PRAGMA synchronous = OFF")


def user_version(store: Store) -> int:
    row = store.query_one("PRAGMA user_version")
    return int(row[0]) if row else 0
