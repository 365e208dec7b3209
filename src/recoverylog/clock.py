"""The one place that knows what time it is.

Services take a Clock; tests and `--as-of` never depend on the wall clock.
`RECOVERYLOG_NOW` (an ISO 8601 moment with offset) fixes the clock for a whole
process, which is how the CLI tests and the benchmark pin "today".
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from recoverylog.records import record

DEFAULT_DAY_START_HOUR = 4


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in local time."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).astimezone()


@record
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


def clock_from_env() -> Clock:
    from recoverylog.errors import UsageError

    fixed = os.environ.get("RECOVERYLOG_NOW")
    if not fixed:
        return SystemClock()
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"RECOVERYLOG_NOW={fixed!r} is not an ISO 8601 moment") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return FixedClock(moment)


def local_date(moment: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The date a moment counts for: a new day starts at the day-start hour.

    A check-in typed at 01:30 with the default hour 4 belongs to the previous date.
    """
    local = moment.astimezone() if moment.tzinfo is None else moment
    return (local - timedelta(hours=day_start_hour)).date()


def utc_timestamp(moment: datetime) -> str:
    """The one timestamp format we store: UTC, ISO 8601, with offset."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
