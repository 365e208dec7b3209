"""Money not spent (docs/definitions.md §10), from what the person said a unit, or a typical day
of use before, cost (`substance edit NAME --cost AMOUNT --cost-per unit|day`).

Only recorded days without use count: a day with no record is never counted as a day without
use, so it saves nothing here either. The day counts come from the substance reports
(reports/sobriety.py); this module only multiplies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from recoverylog.records import record


@record
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
        days = report.recorded_since_last_use   # recorded days without use after the last use
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


def money_not_spent(store, as_of: date, tracked: Sequence | None = None) -> tuple[MoneyNotSpent, ...]:
    """Every substance with a cost, from its report and day-state history (one query).
    `tracked`: every substance's `load_tracked(store, as_of)` already read by the caller."""
    from recoverylog.reports.measures import amount_per_use_day
    from recoverylog.reports.sobriety import load_tracked
    from recoverylog.storage import substances as substance_rows

    priced = [s for s in substance_rows.list_all(store) if s.cost and s.cost_per]
    if not priced:
        return ()
    currency = store.settings.currency
    out = []
    if tracked is None:
        tracked = load_tracked(store, as_of, priced)
    else:
        ids = {s.id for s in priced}
        tracked = [t for t in tracked if t.substance.id in ids]
    for t in tracked:
        s = t.substance
        if not s.active_on(as_of):
            continue
        typical = (amount_per_use_day(r.amount for r in t.history.records.values() if r.used)
                   if s.cost_per == "unit" else None)
        item = money_for(t.report, s.cost, s.cost_per, currency, typical)
        if item is not None:
            out.append(item)
    return tuple(out)


def money_json(items: Sequence[MoneyNotSpent]) -> list[dict]:
    return [{"substance": m.name, "goal": m.goal, "amount": m.amount, "currency": m.currency, "days": m.days,
             "since": m.since.isoformat() if m.since else None, "per_day": m.per_day, "basis": m.basis,
             "unrecorded_days": m.unrecorded_days, "missing": m.missing or None} for m in items]
