"""Check-in streaks (docs/definitions.md §5): the day-state engine's runs, under their check-in names."""

from __future__ import annotations

from recoverylog.reports.daystate import current_run as current_streak
from recoverylog.reports.daystate import longest_run as longest_streak

__all__ = ["current_streak", "longest_streak"]
