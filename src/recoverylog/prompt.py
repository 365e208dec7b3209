"""`recoverylog prompt`: a shell-prompt segment, run on every prompt.

It prints a short marker when today's check-in is missing and nothing when it is done, and
nothing at all, silently, on any problem (no journal yet, a locked or damaged file, another
program's database). It must cost at most twice starting Python (bench/bench.py measures it): the
standard library's SQLite module only (no typer, rich, dataclasses, pathlib or datetime), the
database opened read-only through a `mode=ro` URI so that it never creates or changes a file.

Two rules are written here again in a few lines, because importing their home modules costs more
than the whole segment may: where the database is (`storage.paths.resolve_db_path`) and which
date "today" is (`clock.local_date` with the day-start hour, docs/definitions.md §1). Tests assert
that both agree with their home modules.
"""

from __future__ import annotations

import os
import sys
import time

DEFAULT_MARKER = "[check in]"
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


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _wall_seconds(text: str) -> int | None:
    """Seconds since the epoch of the wall-clock time written in an ISO moment
    'YYYY-MM-DDTHH:MM[:SS[.ffffff]][±HH:MM|Z]', in its own offset; None for any other form."""
    try:
        if len(text) < 16 or text[4] != "-" or text[7] != "-" or text[10] not in "T " or text[13] != ":":
            return None
        y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
        h, mi = int(text[11:13]), int(text[14:16])
        has_seconds = len(text) >= 19 and text[16] == ":"
        sec = int(text[17:19]) if has_seconds else 0
    except ValueError:
        return None
    rest = text[19:] if has_seconds else text[16:]
    if rest.startswith("."):
        digits = len(rest) - len(rest[1:].lstrip("0123456789"))
        if digits == 1:
            return None
        rest = rest[digits:]
    if rest not in ("", "Z") and not (len(rest) == 6 and rest[0] in "+-" and rest[3] == ":"
                                      and rest[1:3].isdigit() and rest[4:].isdigit()):
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h <= 23 and mi <= 59 and sec <= 59):
        return None
    days = _days_from_civil(y, mo, d)
    check = time.gmtime(days * 86400)
    if (check.tm_year, check.tm_mon, check.tm_mday) != (y, mo, d):  # 31 February
        return None
    return days * 86400 + h * 3600 + mi * 60 + sec


def today_text(day_start_hour: int) -> str:
    """Today's date (ISO) as clock.local_date gives it: RECOVERYLOG_NOW when set (its wall clock,
    in its own offset), else the local wall clock now; a new day starts at the day-start hour."""
    fixed = os.environ.get("RECOVERYLOG_NOW")
    if fixed:
        seconds = _wall_seconds(fixed)
        if seconds is None:  # another ISO form: let datetime read it
            from datetime import datetime, timedelta

            moment = datetime.fromisoformat(fixed)
            if moment.tzinfo is None:
                moment = moment.astimezone()
            return (moment - timedelta(hours=day_start_hour)).date().isoformat()
    else:
        now = time.time()
        seconds = int(now) + time.localtime(now).tm_gmtoff  # wall clock in the current offset
    day = time.gmtime(seconds - day_start_hour * 3600)
    return f"{day.tm_year:04d}-{day.tm_mon:02d}-{day.tm_mday:02d}"


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
    from recoverylog.storage.prompt_read import missing_today

    try:
        return marker if missing_today(db_path(db), today_text) else ""
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
