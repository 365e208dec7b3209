"""`recoverylog prompt`: a shell-prompt segment, run on every prompt.

It prints a short marker when today's check-in is missing and nothing when it is done, and
nothing at all, silently, on any problem (no journal yet, a locked or damaged file, another
program's database). It must cost about as much as starting Python: the standard library's
sqlite3 only (no typer, rich, dataclasses or pathlib), the database opened read-only through a
`mode=ro` URI so that it never creates or changes a file.

Two rules are written here again in a few lines, because importing their home modules costs more
than the whole segment may: where the database is (`storage.paths.resolve_db_path`) and which
date "today" is (`clock.local_date` with the day-start hour, docs/definitions.md §1). Tests assert
that both agree with their home modules.
"""

from __future__ import annotations

import os
import sqlite3
import sys

DEFAULT_MARKER = "[check in]"
APPLICATION_ID = 0x52434C47  # storage.migrations.APPLICATION_ID (a test keeps them equal)
USAGE = "Usage: recoverylog [--db PATH] prompt [--marker TEXT]"


def db_path(option: str | None = None) -> str:
    """The same answer as storage.paths.resolve_db_path, as a string."""
    if option:
        return os.path.expanduser(option)
    env = os.environ.get("RECOVERYLOG_DB")
    if env:
        return os.path.expanduser(env)
    home = os.environ.get("RECOVERYLOG_HOME")
    if home:
        return os.path.join(os.path.expanduser(home), "recoverylog.db")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Roaming")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Application Support")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "recoverylog", "recoverylog.db")


def today_text(day_start_hour: int) -> str:
    """Today's date (ISO) as clock.local_date gives it: RECOVERYLOG_NOW when set, and a new day
    starting at the day-start hour."""
    from datetime import datetime, timedelta, timezone

    fixed = os.environ.get("RECOVERYLOG_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            moment = moment.astimezone()
    else:
        moment = datetime.now(timezone.utc).astimezone()
    return (moment - timedelta(hours=day_start_hour)).date().isoformat()


def _uri(path: str) -> str:
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode=ro"


def missing_today(path: str) -> bool | None:
    """True: no check-in for today; False: done; None: cannot tell (no file, locked, not ours…)."""
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


def parse_args(args: list[str]) -> tuple[str | None, str] | None:
    """(db option, marker) for `[--db PATH] prompt [--marker TEXT]`, or None when these are not
    the prompt's arguments (then the full CLI handles them, --help included)."""
    db: str | None = None
    marker = DEFAULT_MARKER
    rest = list(args)
    if len(rest) >= 2 and rest[0] == "--db":
        db = rest[1]
        rest = rest[2:]
    elif rest and rest[0].startswith("--db="):
        db = rest[0][5:]
        rest = rest[1:]
    if not rest or rest[0] != "prompt":
        return None
    rest = rest[1:]
    while rest:
        if rest[0] == "--marker" and len(rest) >= 2:
            marker, rest = rest[1], rest[2:]
        elif rest[0].startswith("--marker="):
            marker, rest = rest[0][9:], rest[1:]
        elif rest[0] == "--db" and len(rest) >= 2:
            db, rest = rest[1], rest[2:]
        else:
            return None
    return db, marker


def segment(db: str | None, marker: str) -> str:
    """What the prompt shows: the marker when today's check-in is missing, else ""."""
    try:
        return marker if missing_today(db_path(db)) else ""
    except Exception:  # a prompt segment never breaks the shell prompt
        return ""


def run(args: list[str]) -> bool:
    """Handle `recoverylog prompt` without the full CLI; False when `args` are not the prompt's."""
    parsed = parse_args(args)
    if parsed is None:
        return False
    text = segment(*parsed)
    if text:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
    return True
