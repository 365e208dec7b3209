"""Check-in summary as of a date: streak, longest streak, last check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recoverylog.reports.streaks import current_streak, longest_streak
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage.db import Store


@dataclass(frozen=True)
class CheckinSummary:
    streak: int
    longest_streak: int
    last_checkin: date | None
    today_done: bool
    total: int


def checkin_summary(store: Store, as_of: date) -> CheckinSummary:
    dates = checkin_rows.dates_until(store, as_of)
    return CheckinSummary(
        streak=current_streak(dates, as_of),
        longest_streak=longest_streak(dates),
        last_checkin=dates[-1] if dates else None,
        today_done=bool(dates) and dates[-1] == as_of,
        total=len(dates),
    )
