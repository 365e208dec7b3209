"""Goal progress (docs/definitions.md §7): each goal over its period (week, month or total) that contains a date.

Metric goals count from the records: meetings attended, days checked in, recorded sober
days of a substance, times reached out. Manual goals are done or not. On track means the
value is at least the target × the share of the period elapsed."""

from __future__ import annotations

from datetime import date, timedelta

from recoverylog.records import record
from recoverylog.reports.daystate import period_bounds
from recoverylog.services.goals import ONCE_A_DAY
from recoverylog.storage import goals as goal_rows
from recoverylog.storage import report_queries as q
from recoverylog.storage.db import Store


@record
class GoalProgress:
    id: int
    title: str
    metric: str
    target: float
    per: str
    value: float
    progress: float          # 0–100
    met: bool
    substance: str | None
    every_day: bool
    period_start: date
    period_end: date | None  # None: a total goal without a due date
    counted_until: date
    elapsed_share: float | None
    expected: float | None   # the value that would be on track today
    on_track: bool | None    # None when it cannot be judged (no end to the period)
    due: date | None
    done_on: date | None
    state: str = "open"      # met | on track | behind | open
    reachable: bool | None = None   # once-a-day metrics: can the target still be met in this period?
    at_most: float | None = None    # the most the period can still reach (once-a-day metrics)
    open_past_days: int | None = None   # past days of the period not recorded yet: they can still count

    def as_json(self) -> dict:
        return {"title": self.title, "metric": self.metric, "target": _num(self.target), "per": self.per,
                "value": _num(self.value), "progress": round(self.progress, 1), "met": self.met,
                "id": self.id, "substance": self.substance, "every_day": self.every_day,
                "period": {"start": self.period_start.isoformat(),
                           "end": self.period_end.isoformat() if self.period_end else None},
                "elapsed_share": None if self.elapsed_share is None else round(self.elapsed_share, 4),
                "expected": None if self.expected is None else round(self.expected, 2),
                "on_track": self.on_track, "state": self.state, "reachable": self.reachable,
                "at_most": None if self.at_most is None else _num(self.at_most),
                "open_past_days": self.open_past_days,
                "due": self.due.isoformat() if self.due else None,
                "done_on": self.done_on.isoformat() if self.done_on else None}


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def goal_period(goal: dict, day: date) -> tuple[date, date | None, date]:
    """(first day, last day or None, last day counted) of the goal's period containing `day`,
    clipped to the goal's start and due dates. After the due date, the period containing it."""
    start = date.fromisoformat(goal["start"])
    due = date.fromisoformat(goal["due"]) if goal["due"] else None
    when = min(day, due) if due else day
    hi: date | None
    if goal["per"] in ("week", "month"):
        lo, hi = period_bounds(when, goal["per"])
    else:
        lo, hi = start, due
    lo = max(lo, start)
    if due is not None and hi is not None:
        hi = min(hi, due)
    return lo, hi, when


def _value(store: Store, goal: dict, lo: date, until: date) -> float:
    metric = goal["metric"]
    if until < lo:
        return 0
    if metric == "meetings":
        return q.meeting_count(store, lo, until)
    if metric == "checkins":
        return q.checkin_count(store, lo, until)
    if metric == "sober-days":
        return q.sober_day_count(store, goal["substance_id"], lo, until)
    if metric == "outreach":
        return q.outreach_count(store, lo, until)
    done = goal["done_on"]
    return 1 if done is not None and done <= until.isoformat() else 0


def _open_past_days(store: Store, goal: dict, lo: date, last: date, counted: int | float) -> int:
    """Past days in [lo, last] with no record yet (a check-in, or a use record of the substance)."""
    if last < lo:
        return 0
    days = (last - lo).days + 1
    if goal["metric"] == "checkins":
        return max(0, days - int(counted))
    return max(0, days - q.use_record_count(store, goal["substance_id"], lo, last))


def goal_progress(store: Store, goal: dict, day: date) -> GoalProgress:
    lo, hi, until = goal_period(goal, day)
    value = _value(store, goal, lo, until)
    if goal["every_day"]:
        target = float((hi - lo).days + 1) if hi else 1.0
    else:
        target = float(goal["target"] or 1)
    met = value >= target
    elapsed = expected = at_most = None
    open_past_days: int | None = None
    reachable: bool | None = None
    on_track: bool | None = None
    if hi is not None:
        elapsed = min(1.0, max(0.0, ((until - lo).days + 1) / ((hi - lo).days + 1)))
        if goal["metric"] == "manual":
            on_track = True if met else (False if until >= hi else None)
        else:
            # The counted day is not over yet: on track means keeping pace over the days before it.
            days_total = (hi - lo).days + 1
            expected = target * ((until - lo).days) / days_total
            on_track = met or value + 1e-9 >= expected
            if goal["metric"] in ONCE_A_DAY:
                # Counted at most once a day. A past day that has a record is settled; one with no
                # record can still be filled in, so it stays possible (docs/definitions.md §7): the
                # most the period can reach is what the past days hold, plus its unrecorded past
                # days, plus every day from the counted one to the end.
                before = _value(store, goal, lo, until - timedelta(days=1))
                open_past = _open_past_days(store, goal, lo, until - timedelta(days=1), before)
                possible = before + open_past + (hi - until).days + 1
                at_most = min(target, possible)
                open_past_days = open_past
                reachable = met or possible >= target
                on_track = on_track and reachable
    state = "met" if met else ("open" if on_track is None else ("on track" if on_track else "behind"))
    return GoalProgress(
        state=state, id=goal["id"], title=goal["title"], metric=goal["metric"], target=target, per=goal["per"],
        value=value, progress=min(100.0, value / target * 100) if target else 0.0, met=met,
        substance=goal.get("substance"), every_day=bool(goal["every_day"]), period_start=lo,
        period_end=hi, counted_until=until, elapsed_share=elapsed, expected=expected, on_track=on_track,
        due=date.fromisoformat(goal["due"]) if goal["due"] else None,
        done_on=date.fromisoformat(goal["done_on"]) if goal["done_on"] else None,
        reachable=reachable, at_most=at_most, open_past_days=open_past_days)


def goals_on(store: Store, day: date) -> tuple[GoalProgress, ...]:
    """Every goal active on `day` (started, not archived), over its period containing `day`."""
    return tuple(goal_progress(store, g, day) for g in goal_rows.active_on(store, day))


def goals_status(store: Store, as_of: date) -> tuple[GoalProgress, ...]:
    """The goals part of the `status` dashboard."""
    return goals_on(store, as_of)
