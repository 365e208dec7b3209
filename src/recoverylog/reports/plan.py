"""Plan status for `status` and `plan`: last review, review reminder, high-risk dates soon.

Also re-exports `outreach_counts` (reports.outreach) for callers that look for it here."""

from __future__ import annotations

from datetime import date, timedelta

from recoverylog.records import record
from recoverylog.reports.outreach import OutreachSummary, outreach_counts  # noqa: F401  (re-export)
from recoverylog.storage.db import Store

REVIEW_AFTER_DAYS = 90
RISK_WINDOW_DAYS = 14


@record
class RiskDate:
    date: date  # the next occurrence on or after as_of
    label: str
    yearly: bool
    days_until: int  # 0 = today


@record
class PlanStatus:
    as_of: date
    has_plan: bool
    last_reviewed: date | None  # the day of the latest plan version on or before as_of
    days_since_review: int | None
    review_due: bool  # True when REVIEW_AFTER_DAYS or more have passed since the last review
    upcoming: tuple[RiskDate, ...]  # high-risk dates within RISK_WINDOW_DAYS, soonest first
    coping: tuple[str, ...]  # the first coping steps, shown beside upcoming dates
    review_after_days: int = REVIEW_AFTER_DAYS
    window_days: int = RISK_WINDOW_DAYS


def next_occurrence(item_date: date, yearly: bool, as_of: date) -> date | None:
    """The next day on or after `as_of` a risk date falls on; None for a one-off date that has passed.
    A yearly 29 February falls on 28 February in common years."""
    if not yearly:
        return item_date if item_date >= as_of else None
    for year in (as_of.year, as_of.year + 1):
        try:
            candidate = date(year, item_date.month, item_date.day)
        except ValueError:  # 29 February in a common year
            candidate = date(year, 2, 28)
        if candidate >= as_of:
            return candidate
    return None  # unreachable: next year's date is always after as_of


def upcoming_risk_dates(items: list[dict], as_of: date, days: int = RISK_WINDOW_DAYS) -> tuple[RiskDate, ...]:
    """Pure: risk dates whose next occurrence is within [as_of, as_of + days], soonest first."""
    end = as_of + timedelta(days=days)
    found = []
    for item in items:
        try:
            when = date.fromisoformat(item["date"])
        except (KeyError, TypeError, ValueError):
            continue
        nxt = next_occurrence(when, bool(item.get("yearly")), as_of)
        if nxt is not None and nxt <= end:
            found.append(RiskDate(nxt, str(item.get("label", "")), bool(item.get("yearly")), (nxt - as_of).days))
    return tuple(sorted(found, key=lambda r: (r.date, r.label)))


def plan_status(store: Store, as_of: date, *, coping_shown: int = 3) -> PlanStatus:
    """Last review, whether a review is suggested (after 90 days), and high-risk dates in the
    next 14 days beside the first coping steps. No contact details."""
    from recoverylog.services.plan import load_plan

    plan = load_plan(store, as_of)
    if plan.version is None or plan.created_on is None:
        return PlanStatus(as_of=as_of, has_plan=False, last_reviewed=None, days_since_review=None,
                          review_due=False, upcoming=(), coping=())
    days_since = (as_of - plan.created_on).days
    return PlanStatus(
        as_of=as_of, has_plan=True, last_reviewed=plan.created_on, days_since_review=days_since,
        review_due=days_since >= REVIEW_AFTER_DAYS,
        upcoming=upcoming_risk_dates(plan.sections["risk-dates"], as_of),
        coping=tuple(plan.sections["coping"][:coping_shown]),
    )


def plan_status_part(store: Store, as_of: date) -> PlanStatus | None:
    """The `status` part: None when no plan is written yet (the dashboard leaves it out)."""
    status = plan_status(store, as_of)
    return status if status.has_plan else None
