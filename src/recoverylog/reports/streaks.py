"""Check-in streaks (DOMAIN.md §5): pure functions over dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta


def current_streak(dates: Iterable[date], as_of: date) -> int:
    """Consecutive dates with a check-in ending at `as_of`, or at as_of − 1 while
    as_of has none yet."""
    present = set(dates)
    day = as_of if as_of in present else as_of - timedelta(days=1)
    count = 0
    while day in present:
        count += 1
        day -= timedelta(days=1)
    return count


def longest_streak(dates: Iterable[date]) -> int:
    """The longest run of consecutive dates."""
    ordered: Sequence[date] = sorted(set(dates))
    best = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    return best
