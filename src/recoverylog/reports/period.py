"""Report periods: `--week`, `--month`, `--since/--until`, `--as-of` (docs/definitions.md §4)."""

from __future__ import annotations

from datetime import date, timedelta

from recoverylog.errors import InputError, UsageError
from recoverylog.reports.daystate import DateSpan, period_bounds

# The one window class: a report's period is a span of consecutive dates.
Period = DateSpan


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
        return Period(period_bounds(as_of, "week")[0], as_of)
    if month:
        return Period(period_bounds(as_of, "month")[0], as_of)
    if since is not None or until is not None:
        end = until or as_of
        start = since or end - timedelta(days=default_days - 1)
        if start > end:
            raise InputError(f"--since {start.isoformat()} is after the end of the period ({end.isoformat()}).")
        return Period(start, end)
    return Period(as_of - timedelta(days=default_days - 1), as_of)
