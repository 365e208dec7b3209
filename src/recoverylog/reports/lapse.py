"""The moment after a lapse: what the person's own plan says to do, and who they can reach.

Shown after a use on an abstain goal, or a use over a reduce goal's limit. Figures (last use,
the day's verdict) are read from the substance reports (reports/sobriety.py), never recomputed
here. docs/definitions.md §10."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence


@dataclass(frozen=True)
class LapseMoment:
    date: date                              # the day of the use
    today: date
    substances: tuple[str, ...]             # the substances whose use raised it
    over_limit: tuple[str, ...]             # of those, the reduce goals over their limit
    if_i_use: tuple[str, ...]               # the plan's "If I use" items, in the plan's order
    people: tuple[tuple[str, str, str], ...]  # (alias, role, phone): sponsor first, then every contact

    @property
    def first_alias(self) -> str | None:
        return self.people[0][0] if self.people else None


def raises_lapse(report, day: date) -> bool:
    """A use on `day` counts as a lapse for this screen: any use on an abstain goal, or a use
    over a reduce goal's limit (the day's verdict in the report's reduce progress is 'over')."""
    if report.goal == "abstain":
        return True
    if report.goal != "reduce" or report.reduce is None:
        return False
    verdict = next((d.within for d in report.reduce.use_days_detail if d.date == day), None)
    if verdict is not None:
        return verdict is False
    # A day before the report's current week or month: the daily limit alone decides.
    return (report.last_use == day and report.last_use_amount is not None and report.max_per_day is not None
            and report.last_use_amount > report.max_per_day)


def lapse_moment(store, day: date, reports: Sequence) -> LapseMoment | None:
    """`reports`: the SubstanceReports (as of today, after the write) of the substances used on `day`."""
    raised = [r for r in reports if raises_lapse(r, day)]
    if not raised:
        return None
    from recoverylog.services.plan import help_contacts, load_plan

    plan = load_plan(store)
    items = tuple(str(item) for item in plan.sections.get("if-i-use", []))
    return LapseMoment(date=day, today=store.today(), substances=tuple(r.name for r in raised),
                       over_limit=tuple(r.name for r in raised if r.goal == "reduce"),
                       if_i_use=items, people=help_contacts(store, plan))


def lapse_after_checkin(store, day: date, uses_data: dict | None) -> LapseMoment | None:
    """The same moment after a check-in that recorded a use (its "uses" hook data)."""
    names = [name for name, item in (uses_data or {}).items()
             if item.get("used") and item.get("status") == "recorded"]
    if not names:
        return None
    from recoverylog.reports.sobriety import build_substance_reports
    from recoverylog.storage import substances as substance_rows

    wanted = {n.lower() for n in names}
    substances = [s for s in substance_rows.list_all(store) if s.name.lower() in wanted]
    return lapse_moment(store, day, build_substance_reports(store, store.today(), substances))
