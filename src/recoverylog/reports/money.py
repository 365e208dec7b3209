"""Money not spent (docs/definitions.md §10), from what the person said a unit, or a typical day
of use before, cost (`substance edit NAME --cost AMOUNT --cost-per unit|day`).

Only recorded days without use count: a day with no record is never counted as a day without
use, so it saves nothing here either. The day counts come from the substance reports
(reports/sobriety.py); this module only multiplies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence


@dataclass(frozen=True)
class MoneyNotSpent:
    name: str
    goal: str                      # abstain | reduce
    amount: float | None           # None: cannot be counted (see `missing`)
    currency: str
    days: int                      # recorded days without use counted
    since: date | None             # abstain: the day after the last use; reduce: tracking began
    per_day: float | None          # what a typical day of use cost
    basis: str                     # unit | day
    unrecorded_days: int = 0       # days in the span with no record, not counted
    missing: str = ""              # why no amount can be given ("" when it can)


def daily_cost(cost: float, basis: str, amount_per_use_day: float | None) -> float | None:
    """A typical day of use, in money: the cost itself (per day) or the unit price times the
    person's recorded amount per use day (per unit; None when no amount was ever recorded)."""
    if basis == "day":
        return cost
    if amount_per_use_day is None:
        return None
    return cost * amount_per_use_day


def money_for(report, cost: float, basis: str, currency: str, amount_per_use_day: float | None) -> MoneyNotSpent | None:
    """Abstain: recorded days without use since the last use × a typical day. Reduce: recorded
    days without use since tracking began × a typical day before (the baseline). Monitor: none."""
    if report.goal not in ("abstain", "reduce"):
        return None
    per_day = daily_cost(cost, basis, amount_per_use_day)
    if report.goal == "abstain":
        if report.days is None:
            return None
        days = max(0, report.days - report.unrecorded_days - _declared_days(report))
        since = report.sobriety_date
        unrecorded = report.unrecorded_days
    else:
        if basis != "day":
            return MoneyNotSpent(report.name, report.goal, None, currency, 0, report.tracking_start, None, basis,
                                 missing="a reduce goal is counted against a typical day before: give "
                                         "--cost-per day (what a typical day of use cost)")
        days = report.sober_days
        since = report.tracking_start
        unrecorded = 0
    if per_day is None:
        return MoneyNotSpent(report.name, report.goal, None, currency, days, since, None, basis, unrecorded,
                             missing="no use day has an amount yet, so a typical day cannot be priced: give "
                                     "--cost-per day")
    return MoneyNotSpent(report.name, report.goal, round(days * per_day, 2), currency, days, since,
                         round(per_day, 2), basis, unrecorded)


def _declared_days(report) -> int:
    """Days between a declared last use and the start of tracking: they count toward continuous
    time but are neither recorded days without use nor unrecorded days."""
    if report.last_use_recorded or report.last_use is None or report.last_use >= report.tracking_start:
        return 0
    return (report.tracking_start - report.last_use).days - 1


def money_not_spent(store, as_of: date, reports: Sequence | None = None) -> tuple[MoneyNotSpent, ...]:
    """`reports`: the substance reports as of `as_of` when the caller already has them (status)."""
    from recoverylog.reports.measures import amount_per_use_day
    from recoverylog.reports.sobriety import build_substance_reports
    from recoverylog.storage import substances as substance_rows
    from recoverylog.storage import uses as use_rows

    priced = [s for s in substance_rows.list_all(store) if s.cost and s.cost_per]
    if not priced:
        return ()
    if reports is None:
        reports = build_substance_reports(store, as_of, priced)
    by_name = {r.name: r for r in reports}
    amounts = use_rows.use_days_until(store, as_of, [s.id for s in priced if s.cost_per == "unit"])
    currency = store.settings.currency
    out = []
    for s in priced:
        report = by_name.get(s.name)
        if report is None:
            continue
        typical = amount_per_use_day(a for _, a, _ in amounts.get(s.id, [])) if s.cost_per == "unit" else None
        item = money_for(report, s.cost, s.cost_per, currency, typical)
        if item is not None:
            out.append(item)
    return tuple(out)


def money_json(items: Sequence[MoneyNotSpent]) -> list[dict]:
    return [{"substance": m.name, "goal": m.goal, "amount": m.amount, "currency": m.currency, "days": m.days,
             "since": m.since.isoformat() if m.since else None, "per_day": m.per_day, "basis": m.basis,
             "unrecorded_days": m.unrecorded_days, "missing": m.missing or None} for m in items]
