"""Per-invocation state: where the database is, the clock, and a lazily opened store."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from recoverylog.clock import Clock
    from recoverylog.storage.db import Store


@dataclass
class AppState:
    db_option: str | None = None
    _store: "Store | None" = field(default=None, repr=False)
    _clock: "Clock | None" = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        from recoverylog.storage.paths import resolve_db_path

        return resolve_db_path(self.db_option)

    @property
    def clock(self) -> "Clock":
        if self._clock is None:
            from recoverylog.clock import clock_from_env

            self._clock = clock_from_env()
        return self._clock

    def store(self, *, create: bool = True, key=None) -> "Store":
        """`key`: an encryption key already found (storage.encryption.unlock), for commands that
        must not ask for a passphrase (docs/definitions.md §13)."""
        if self._store is None:
            from recoverylog.storage.db import open_store

            self._store = open_store(self.db_path, self.clock, create=create, key=key)
        return self._store

    def today(self) -> date:
        if self._store is None and not self.db_path.exists():
            # No database yet, so no settings: the default day-start hour. Parsing a date
            # must not create the file (a typo creates nothing).
            from recoverylog.clock import local_date

            return local_date(self.clock.now())
        return self.store().today()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


def interactive() -> bool:
    """May we ask questions? Only with a terminal on stdin and stderr, and not when
    RECOVERYLOG_NO_PROMPT is set (cron, scripts, tests)."""
    if os.environ.get("RECOVERYLOG_NO_PROMPT"):
        return False
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def parse_day(ctx: typer.Context, text: str | None, *, what: str = "date", default_today: bool = True,
              allow_future: bool = False) -> date | None:
    """Parse a date option against the store's "today" (which honours the day-start hour)."""
    from recoverylog.dates import parse_date

    today = state(ctx).today()
    if text is None:
        return today if default_today else None
    return parse_date(text, today, allow_future=allow_future, what=what)


def parse_range(ctx: typer.Context, since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """`--since` / `--until` for a listing: both optional, neither in the future, since ≤ until."""
    from recoverylog.errors import InputError

    start = parse_day(ctx, since, what="--since date", default_today=False)
    end = parse_day(ctx, until, what="--until date", default_today=False)
    if start is not None and end is not None and start > end:
        raise InputError(f"--since {start.isoformat()} is after --until {end.isoformat()}; swap them or widen the range.")
    return start, end
