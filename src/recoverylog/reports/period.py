"""Report periods: `--week`, `--month`, `--since/--until`, `--as-of` (DOMAIN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from recoverylog.errors import InputError, UsageError


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def resolve_period(as_of: date, *, week: bool = False, month: bool = False, since: date | None = None,
                   until: date | None = None, default_days: int = 7) -> Period:
    """The window a report covers.

    Default: the last `default_days` days ending at as_of. `week`: the ISO week (Monday first)
    containing as_of, up to as_of. `month`: the calendar month containing as_of, up to as_of.
    `since`/`until`: explicit bounds (`until` defaults to as_of). Dates are already parsed (and
    future dates refused) by the caller."""
    chosen = sum(bool(x) for x in (week, month, since is not None or until is not None))
    if chosen > 1:
        raise UsageError("Choose one of --week, --month or --since/--until.")
    if week:
        return Period(as_of - timedelta(days=as_of.weekday()), as_of)
    if month:
        return Period(as_of.replace(day=1), as_of)
    if since is not None or until is not None:
        end = until or as_of
        start = since or end - timedelta(days=default_days - 1)
        if start > end:
            raise InputError(f"--since {start.isoformat()} is after the end of the period ({end.isoformat()}).")
        return Period(start, end)
    return Period(as_of - timedelta(days=default_days - 1), as_of)
