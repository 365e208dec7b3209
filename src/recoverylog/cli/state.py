"""Per-invocation state: where the database is, the clock, and a lazily opened store."""

from __future__ import annotations

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
        from recoverylog.limits import check_path
        from recoverylog.storage.paths import resolve_db_path

        return check_path(resolve_db_path(self.db_option), "database path")

    @property
    def clock(self) -> "Clock":
        if self._clock is None:
            from recoverylog.clock import clock_from_env

            self._clock = clock_from_env()
        return self._clock

    def store(self, *, create: bool = True, key=None) -> "Store":
        """The open journal. `create=False` for commands that only read: a missing file is
        "No journal at PATH yet" (exit 3). Commands that record something keep the default; for
        them a missing file is created only by the first write, after their input was checked,
        so a refused command never leaves a database behind (docs/definitions.md §12). `key`: an
        encryption key already found (storage.encryption.unlock), for commands that must not ask
        for a passphrase (docs/definitions.md §13)."""
        if self._store is None:
            from recoverylog.storage.db import open_store

            self._store = open_store(self.db_path, self.clock, create=create, defer_create=create,
                                     key=key)
        elif not create and self._store.pending:
            from recoverylog.storage.db import no_journal_error

            raise no_journal_error(self.db_path)
        return self._store

    @property
    def saved(self) -> bool:
        """Did this command COMMIT a write? (Decides what an interruption or error says.)"""
        return self._store is not None and self._store.saved

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
    """May we ask questions? (recoverylog.terminal.may_prompt: a terminal on stdin and stderr,
    RECOVERYLOG_NO_PROMPT unset.)"""
    from recoverylog.terminal import may_prompt

    return may_prompt()


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
