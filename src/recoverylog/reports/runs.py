"""Runs of consecutive days over day numbers (`date.toordinal()`, ascending, each once): the one
statement of the check-in streak rules (docs/definitions.md §5). The engine's `longest_run` and
`current_run` (reports/daystate.py, over dates) call these; a check-in that reads a long history
calls them directly, without importing the engine. A leaf: the standard library only."""

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
