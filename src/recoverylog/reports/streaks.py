"""Check-in streaks (DOMAIN.md §5): pure functions over dates.

The rules are written once, over day numbers (`date.toordinal()`, ascending, each once): a long
history is thousands of days, and integer steps cost a fraction of date arithmetic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date


def current_streak(dates: Iterable[date], as_of: date) -> int:
    """Consecutive dates with a check-in ending at `as_of`, or at as_of − 1 while
    as_of has none yet."""
    day = as_of.toordinal()
    return current_run(sorted({d.toordinal() for d in dates if d.toordinal() <= day}), day)


def longest_streak(dates: Iterable[date]) -> int:
    """The longest run of consecutive dates."""
    return longest_run(sorted({d.toordinal() for d in dates}))


def current_run(days: Sequence[int], as_of: int) -> int:
    """`current_streak` over day numbers: `days` ascending, unique, none after `as_of`."""
    if not days:
        return 0
    end = as_of if days[-1] == as_of else as_of - 1
    count = 0
    for day in reversed(days):
        if day != end - count:
            break
        count += 1
    return count


def longest_run(days: Sequence[int]) -> int:
    """`longest_streak` over day numbers: `days` ascending, unique."""
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if day - 1 == previous else 1
        if run > best:
            best = run
        previous = day
    return best
