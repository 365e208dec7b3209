"""The export log: every export that left the terminal."""

from __future__ import annotations

from typing import Any

from recoverylog.storage.db import Store


def log_export(store: Store, *, profile: str, fmt: str, period_start, period_end, digest: str | None,
               to_label: str | None, destination: str) -> None:
    stamp, _ = store.stamp()
    with store.write() as conn:
        conn.execute(
            "INSERT INTO exports (created_at, profile, period_start, period_end, format, digest, to_label, destination) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (stamp, profile, period_start.isoformat() if period_start else None,
             period_end.isoformat() if period_end else None, fmt, digest, to_label, destination),
        )


def list_exports(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query("SELECT * FROM exports ORDER BY id")]
