"""Outreach counts for goals, the report and the sponsor summary: counts by role only,
never aliases' phone numbers or notes."""

from __future__ import annotations

from dataclasses import field
from datetime import date

from recoverylog.records import record
from recoverylog.storage.db import Store


@record
class OutreachSummary:
    count: int
    by_role: dict[str, int] = field(default_factory=dict)  # role -> times, roles with none left out
    by_how: dict[str, int] = field(default_factory=dict)  # call/text/in-person/video/"unspecified"
    days: int = 0  # distinct dates with at least one outreach


def outreach_counts(store: Store, start: date | None, end: date | None) -> OutreachSummary:
    """Times the person reached out in [start, end] (either bound may be None: open).
    JSON shape for the report: {"count": int, "by_role": {str: int}} (extra keys are additive)."""
    from recoverylog.storage import contacts as rows

    items = rows.outreach_between(store, start, end)
    by_role: dict[str, int] = {}
    by_how: dict[str, int] = {}
    for item in items:
        by_role[item["role"]] = by_role.get(item["role"], 0) + 1
        how = item["how"] or "unspecified"
        by_how[how] = by_how.get(how, 0) + 1
    return OutreachSummary(count=len(items), by_role=dict(sorted(by_role.items())),
                           by_how=dict(sorted(by_how.items())),
                           days=len({item["date"] for item in items}))


def outreach_per_day(store: Store, start: date, end: date) -> dict[date, int]:
    """Times reached out per date in [start, end] (dates with none are absent): for goal periods."""
    from recoverylog.storage import contacts as rows

    out: dict[date, int] = {}
    for item in rows.outreach_between(store, start, end):
        day = date.fromisoformat(item["date"])
        out[day] = out.get(day, 0) + 1
    return out
