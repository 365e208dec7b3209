"""Where the database lives: --db, then RECOVERYLOG_DB, then RECOVERYLOG_HOME, then the
platform's user data directory. Nothing here touches the disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

FILENAME = "recoverylog.db"


def user_data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "recoverylog"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "recoverylog"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "recoverylog"


def resolve_db_path(option: str | os.PathLike | None = None) -> Path:
    if option:
        return Path(option).expanduser()
    if env := os.environ.get("RECOVERYLOG_DB"):
        return Path(env).expanduser()
    if home := os.environ.get("RECOVERYLOG_HOME"):
        return Path(home).expanduser() / FILENAME
    return user_data_dir() / FILENAME
