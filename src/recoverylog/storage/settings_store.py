"""Settings values in the database."""

from __future__ import annotations

from recoverylog.settings import DEFINITIONS, Settings
from recoverylog.storage.db import Store


def load_settings(store: Store) -> Settings:
    rows = store.query("SELECT key, value FROM settings")
    return Settings.from_stored({r["key"]: r["value"] for r in rows})


def stored_keys(store: Store) -> set[str]:
    return {r["key"] for r in store.query("SELECT key FROM settings")}


def save_setting(store: Store, key: str, text_value: str) -> None:
    definition = DEFINITIONS[key]
    value = definition.parse(text_value)
    stamp, _ = store.stamp()
    with store.write() as conn:
        conn.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, definition.show(value) if not isinstance(value, str) else value, stamp),
        )
    store.invalidate_settings()
