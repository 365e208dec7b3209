"""The one read of `recoverylog prompt` (see recoverylog/prompt.py): is today's check-in there?

Standard library only, and only what the segment needs: the C SQLite module (the sqlite3 package
adds datetime adapters never used here), the file opened read-only through a `mode=ro` URI so it
is never created or changed, a short busy timeout so a lock means "cannot tell", not a wait."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs a few ms at every prompt
if TYPE_CHECKING:
    from collections.abc import Callable

try:
    import _sqlite3 as sqlite3

    if not hasattr(sqlite3, "connect"):
        raise ImportError("_sqlite3 without connect")
except ImportError:  # pragma: no cover - an interpreter without it
    import sqlite3  # type: ignore[no-redef]

APPLICATION_ID = 0x52434C47  # storage.migrations.APPLICATION_ID (a test keeps them equal)


def _uri(path: str) -> str:
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode=ro"


def missing_today(path: str, today_text: Callable[[int], str]) -> bool | None:
    """True: no check-in for today; False: done; None: cannot tell (no file, locked, not ours…).
    `today_text(day_start_hour)` gives today's ISO date."""
    if not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(_uri(path), uri=True, timeout=0.05)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return None
        hour = 4
        row = conn.execute("SELECT value FROM settings WHERE key = 'day_start_hour'").fetchone()
        if row is not None:
            try:
                value = int(row[0])
                if 0 <= value <= 23:
                    hour = value
            except (TypeError, ValueError):
                pass
        done = conn.execute("SELECT 1 FROM checkins WHERE date = ?", (today_text(hour),)).fetchone()
        return done is None
    except (sqlite3.Error, ValueError, OverflowError):
        return None
    finally:
        conn.close()
