"""Runs of consecutive days, over day numbers (`date.toordinal()`, ascending, each once): the rules
behind check-in streaks (docs/definitions.md §5). A leaf module: all of a long history is thousands
of days, integer steps cost a fraction of date arithmetic, and a check-in computes both runs
without importing the day-state engine (reports/daystate.py gives the same rules over dates)."""

from __future__ import annotations

from collections.abc import Sequence


def longest_run_days(days: Sequence[int]) -> int:
    """The longest run of consecutive day numbers."""
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if day - 1 == previous else 1
        if run > best:
            best = run
        previous = day
    return best


def current_run_days(days: Sequence[int], as_of: int) -> int:
    """Consecutive day numbers ending at `as_of`, or at as_of − 1 while as_of is not among them
    (`days` holds none after as_of)."""
    if not days:
        return 0
    end = as_of if days[-1] == as_of else as_of - 1
    count = 0
    for day in reversed(days):
        if day != end - count:
            break
        count += 1
    return count
