"""Check-in summary as of a date: streak, longest streak, last check-in."""

from __future__ import annotations

from datetime import date

from recoverylog.records import record
from recoverylog.reports.runs import current_run_days, longest_run_days
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage.db import Store


@record
class CheckinSummary:
    streak: int
    longest_streak: int
    last_checkin: date | None
    today_done: bool
    total: int


def checkin_summary(store: Store, as_of: date) -> CheckinSummary:
    days = checkin_rows.day_numbers_until(store, as_of)   # ascending, each once
    today = as_of.toordinal()
    return CheckinSummary(
        streak=current_run_days(days, today),
        longest_streak=longest_run_days(days),
        last_checkin=date.fromordinal(days[-1]) if days else None,
        today_done=bool(days) and days[-1] == today,
        total=len(days),
    )
