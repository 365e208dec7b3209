"""The moment after a lapse: what the person's own plan says to do, and who they can reach.

Shown after a use on an abstain goal, or a use over a reduce goal's limit. Figures (last use,
the day's verdict) are read from the substance reports (reports/sobriety.py), never recomputed
here. docs/definitions.md §10."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from recoverylog.records import record


@record
class LapseMoment:
    day: date                               # the day of the use
    today: date
    substances: tuple[str, ...]             # the substances whose use raised it
    over_limit: tuple[str, ...]             # of those, the reduce goals over their limit
    if_i_use: tuple[str, ...]               # the plan's "If I use" items, in the plan's order
    people: tuple[tuple[str, str, str], ...]  # (alias, role, phone): sponsor first, then every contact

    @property
    def first_alias(self) -> str | None:
        return self.people[0][0] if self.people else None


def raises_lapse(c) -> bool:
    """A use just recorded (`c`: services.uses.UseConfirmation, judged by the day-state engine for
    its own date) is a lapse for this screen: any use on an abstain goal, or on a reduce goal a
    day over the daily limit or a week/month over the goal (the same verdict the use
    confirmation words as "over your goal"). Never for a monitor goal."""
    from recoverylog.reports import daystate as ds

    if c.line.action != "use" or not c.line.used:
        return False
    goal = c.report.goal
    if goal == "abstain":
        return True
    if goal != "reduce":
        return False
    return c.day_state == ds.OVER_LIMIT or (c.period is not None and c.period.verdict == "over")


def lapse_moment(store, day: date, confirmations: Sequence) -> LapseMoment | None:
    """`confirmations`: the UseConfirmations of what was just recorded (built after COMMIT)."""
    raised = [c for c in confirmations if raises_lapse(c)]
    if not raised:
        return None
    from recoverylog.services.plan import help_contacts, load_plan

    plan = load_plan(store)
    items = tuple(str(item) for item in plan.sections.get("if-i-use", []))
    return LapseMoment(day=day, today=store.today(), substances=tuple(c.report.name for c in raised),
                       over_limit=tuple(c.report.name for c in raised if c.report.goal == "reduce"),
                       if_i_use=items, people=help_contacts(store, plan))


def lapse_after_checkin(store, uses_outcome) -> LapseMoment | None:
    """The same moment after a check-in that recorded a use (its typed UsesOutcome, or None)."""
    if uses_outcome is None:
        return None
    return lapse_moment(store, uses_outcome.day, uses_outcome.confirmations)
