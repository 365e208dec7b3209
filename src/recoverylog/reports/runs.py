"""Runs of consecutive days over day numbers (`date.toordinal()`, ascending, each once): the one
statement of the check-in streak rules (docs/definitions.md §5). The engine's `longest_run` and
`current_run` (reports/daystate.py, over dates) call these; a check-in that reads a long history
calls them directly, without importing the engine. A leaf: the standard library only."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count, islice, repeat
from operator import ne, sub


def longest_run_days(days: Sequence[int]) -> int:
    """The longest run of consecutive day numbers (`days` ascending, each once): the longest
    stretch between two places where the next number is not the one after, found by C-level
    maps over the differences (a Python step per break, not per day)."""
    if not days:
        return 0
    breaks = list(compress(count(1), map(ne, map(sub, islice(days, 1, None), days), repeat(1))))
    edges = [0, *breaks, len(days)]
    return max(map(sub, islice(edges, 1, None), edges))


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
