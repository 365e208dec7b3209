"""The period report (docs/definitions.md §4–§6): one computation, every renderer.

`build_report(store, period, as_of)` reads only the window (indexed date ranges) plus
what continuous days need, and returns a frozen `Report` holding every measure and the
daily values (so a chart or a calendar can be drawn without another query)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from datetime import date, timedelta
from typing import Any

from recoverylog.records import record
from recoverylog.reports import daystate as ds
from recoverylog.reports import measures as m
from recoverylog.reports.goals import GoalProgress, goals_on
from recoverylog.reports.period import Period
from recoverylog.reports.sobriety import SubstanceReport, Tracked, load_tracked
from recoverylog.storage import report_queries as q
from recoverylog.storage.db import Store

SCALES = ("mood", "craving", "stress", "sleep")
HALT_WORDS = ("hungry", "angry", "lonely", "tired")
REPORT_VERSION = 1


@record
class SubstanceDay:
    name: str
    state: str               # sober | used | within_goal | unrecorded | not_tracked (the older words)
    amount: float | None = None
    day_state: str = ds.NOT_RECORDED   # the day state (daystate.classify): the finer, current word


@record
class DayValues:
    date: date
    checked_in: bool
    backfilled: bool = False
    mood: int | None = None
    craving: int | None = None
    stress: int | None = None
    sleep: float | None = None
    halt: tuple[str, ...] = ()
    substances: tuple[SubstanceDay, ...] = ()
    meetings: int = 0

    def state_of(self, name: str) -> str | None:
        for s in self.substances:
            if s.name == name:
                return s.state
        return None


@record
class ScaleMeasures:
    name: str
    mean: float | None
    min: float | None
    max: float | None
    days: int
    trend_per_week: float | None
    rolling_mean: tuple[float | None, ...]   # one per day of the period
    high_days: int | None = None              # craving only: days with craving ≥ 7
    trend_reason: str | None = None           # why there is no trend (too few days), else None


@record
class CheckinMeasures:
    days: int
    share: float
    longest_streak: int
    backfilled: int


@record
class SubstanceMeasures:
    name: str
    unit: str
    goal: str
    recorded_days: int
    coverage: float
    use_days: int
    sober_days: int
    pda: float | None
    total_amount: float | None
    amount_per_use_day: float | None
    heavy_days: int | None
    days_at_end: int | None
    last_use: date | None
    incomplete: bool
    unrecorded_days: int
    tracking_began: date | None = None
    max_per_day: float | None = None
    max_days: int | None = None
    max_days_per: str | None = None
    within_goal_days: int | None = None
    goal_periods: m.GoalPeriods | None = None
    reduce: ds.ReduceSummary | None = None    # a reduce substance in its own terms (docs/definitions.md §4)


@record
class RequirementPeriodRow:
    label: str
    start: date
    end: date
    counted: int
    required: int
    deficit: int
    met: bool
    current: bool = False         # contains the report's end: still open
    days_left: int = 0            # days still open in it, the report's end included
    verified_only: bool = False   # what it counts (a requirement always covers its whole period)
    fellowships: tuple[str, ...] = ()


@record
class WeekCount:
    """Meetings in one ISO week, counted over the days of it the report covers [start, end]."""
    week_start: date
    start: date
    end: date
    count: int


@record
class MeetingMeasures:
    count: int
    verified: int
    by_fellowship: dict[str, int]
    by_format: dict[str, int]
    per_week: tuple[tuple[date, int], ...]
    requirements: tuple[RequirementPeriodRow, ...] = ()
    weeks: tuple[WeekCount, ...] = ()     # per_week with the days each count covers


@record
class OutreachMeasures:
    count: int
    by_role: dict[str, int]


@record
class Report:
    period: Period
    as_of: date
    checkins: CheckinMeasures
    scales: tuple[ScaleMeasures, ...]
    halt: dict[str, int]
    substances: tuple[SubstanceMeasures, ...]
    meetings: MeetingMeasures
    outreach: OutreachMeasures
    goals: tuple[GoalProgress, ...]
    days: tuple[DayValues, ...]
    heavy_day_threshold: float = 5.0
    notes: tuple[str, ...] = field(default=())
    # Each substance as of the period's end (continuous days, periods, milestones), computed once
    # here so that no screen built on this report recomputes it.
    substance_reports: tuple[SubstanceReport, ...] = ()   # as of the end; `reduce` None (see build_report)
    # The substance histories read for this report (load_tracked as of the period's end), so that a
    # report of an earlier window built for the same screen reads none again (build_report `histories`).
    tracked: tuple[Tracked, ...] = field(default=(), repr=False, compare=False)

    def scale(self, name: str) -> ScaleMeasures:
        return next(s for s in self.scales if s.name == name)

    @property
    def empty(self) -> bool:
        return (self.checkins.days == 0 and self.meetings.count == 0 and self.outreach.count == 0
                and all(s.recorded_days == 0 for s in self.substances))

    def as_json(self) -> dict[str, Any]:
        """The JSON contract of `report --format json`: its keys never change; new ones are added."""
        out: dict[str, Any] = {
            "version": REPORT_VERSION,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
                       "days": self.period.days},
            "as_of": self.as_of.isoformat(),
            "checkins": {"days": self.checkins.days, "share": round(self.checkins.share, 4),
                         "longest_streak": self.checkins.longest_streak,
                         "backfilled": self.checkins.backfilled,
                         "incomplete": self.checkins.share < m.INCOMPLETE_BELOW},
        }
        for s in self.scales:
            item = {"mean": _r(s.mean, 2), "min": _n(s.min), "max": _n(s.max), "days": s.days,
                    "trend_per_week": _r(s.trend_per_week, 2), "trend_reason": s.trend_reason,
                    "rolling_mean": [_r(v, 2) for v in s.rolling_mean]}
            if s.high_days is not None:
                item["high_days"] = s.high_days
            out[s.name] = item
        out["halt"] = dict(self.halt)
        out["substances"] = [_substance_json(s) for s in self.substances]
        out["meetings"] = {
            "count": self.meetings.count, "verified": self.meetings.verified,
            "by_fellowship": dict(self.meetings.by_fellowship), "by_format": dict(self.meetings.by_format),
            "per_week": [{"week_start": w.week_start.isoformat(), "count": w.count, "from": w.start.isoformat(),
                          "to": w.end.isoformat()} for w in self.meetings.weeks],
            "requirements": [{"label": r.label, "start": r.start.isoformat(), "end": r.end.isoformat(),
                              "counted": r.counted, "required": r.required, "deficit": r.deficit,
                              "met": r.met, "current": r.current, "days_left": r.days_left,
                              "verified_only": r.verified_only, "fellowships": list(r.fellowships)}
                             for r in self.meetings.requirements],
        }
        out["outreach"] = {"count": self.outreach.count, "by_role": dict(self.outreach.by_role)}
        out["goals"] = [g.as_json() for g in self.goals]
        out["heavy_day_threshold"] = _n(self.heavy_day_threshold)
        out["daily"] = [_day_json(d) for d in self.days]
        return out


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _n(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def _substance_json(s: SubstanceMeasures) -> dict[str, Any]:
    out = {"name": s.name, "recorded_days": s.recorded_days, "coverage": round(s.coverage, 4),
           "use_days": s.use_days, "sober_days": s.sober_days, "pda": _r(s.pda, 1),
           "total_amount": _n(s.total_amount), "amount_per_use_day": _r(s.amount_per_use_day, 2),
           "heavy_days": s.heavy_days, "days_at_end": s.days_at_end,
           "unit": s.unit, "goal": s.goal, "incomplete": s.incomplete, "unrecorded_days": s.unrecorded_days,
           "last_use": s.last_use.isoformat() if s.last_use else None,
           "tracking_began": s.tracking_began.isoformat() if s.tracking_began else None}
    if s.goal == "reduce":
        out["within_goal_days"] = s.within_goal_days
        out["limits"] = {"max_per_day": _n(s.max_per_day), "max_days": s.max_days, "per": s.max_days_per}
        gp = s.goal_periods
        out["within_goal_periods"] = (None if gp is None else
                                      {"per": gp.per, "within": gp.within, "over": gp.over,
                                       "incomplete": gp.incomplete})
        if s.reduce is not None:
            out["reduce"] = ds.reduce_json(s.reduce)
    return out


def _day_json(d: DayValues) -> dict[str, Any]:
    return {"date": d.date.isoformat(), "checked_in": d.checked_in, "backfilled": d.backfilled,
            "mood": d.mood, "craving": d.craving, "stress": d.stress, "sleep": _n(d.sleep),
            "halt": list(d.halt), "meetings": d.meetings,
            "substances": {s.name: {"state": s.state, "day_state": s.day_state, "amount": _n(s.amount)}
                           for s in d.substances}}


# -- computation --------------------------------------------------------------

def build_report(store: Store, period: Period, as_of: date, histories: Sequence[Tracked] | None = None) -> Report:
    """The period report. `histories`: substance histories already read (`load_tracked`, e.g. another
    report's `.tracked`) as of this period's end or later. Window figures from them are exact (a
    day's state does not change with a later as-of); continuous days and `substance_reports` are then
    as of the day they were read, so pass them only for window figures (the sponsor summary's
    period before, docs/definitions.md §8)."""
    dates = period.dates()
    n = period.days
    threshold = store.settings.heavy_day_threshold

    # Check-ins (six days before the window feed the first rolling means).
    rows = q.checkins_in(store, period.start - timedelta(days=m.ROLLING_DAYS - 1), period.end)
    by_date = {date.fromisoformat(r["date"]): r for r in rows}
    inside = {d: r for d, r in by_date.items() if d >= period.start}
    checkins = CheckinMeasures(
        days=len(inside), share=m.share(len(inside), n), longest_streak=m.longest_run(inside),
        backfilled=m.backfilled((d, date.fromisoformat(r["recorded_on"])) for d, r in inside.items()))
    scales = []
    for name in SCALES:
        series = {d: r[name] for d, r in by_date.items() if r[name] is not None}
        window_points = [(d, v) for d, v in sorted(series.items()) if d >= period.start]
        stats = m.window_stats(v for _, v in window_points)
        scales.append(ScaleMeasures(
            name=name, mean=stats.mean, min=stats.min, max=stats.max, days=stats.days,
            trend_per_week=m.trend_per_week(window_points), trend_reason=m.trend_reason(window_points),
            rolling_mean=tuple(m.rolling_mean(series, dates)),
            high_days=(sum(1 for _, v in window_points if v >= m.HIGH_CRAVING) if name == "craving" else None)))
    halt = {w: sum(1 for r in inside.values() if w in r["halt"]) for w in HALT_WORDS}

    # Substances: every figure from the day-state engine, one history per substance as of the end.
    # The reports as of the end give continuous days, longest periods and milestones; a reduce
    # goal's figures come from the window (`_substance_measures`), so its progress over all of
    # history is not computed (tests/test_report_reduce_bound.py compares every output with it).
    loaded = list(histories) if histories is not None else load_tracked(store, period.end, reduce_progress=False)
    tracked = [t for t in loaded
               if (t.substance.archived_on is None or t.substance.archived_on > period.start)
               and t.history.tracking_began <= period.end]
    tracked.sort(key=lambda t: t.substance.name.casefold())
    measures = [_substance_measures(t, period, threshold) for t in tracked]
    day_states: dict[date, list[SubstanceDay]] = {d: [] for d in dates}
    for t in tracked:
        for d in dates:
            rec = t.history.records.get(d)
            state = t.history.state(d)
            day_states[d].append(SubstanceDay(t.substance.name, ds.legacy_name(state, t.history.limits),
                                              rec.amount if rec else None, state))

    # Meetings.
    meeting_rows = q.meetings_in(store, period.start, period.end)
    meetings_per_day: dict[date, int] = {}
    for r in meeting_rows:
        day = date.fromisoformat(r["date"])
        meetings_per_day[day] = meetings_per_day.get(day, 0) + 1
    meetings = MeetingMeasures(
        count=len(meeting_rows),
        verified=sum(1 for r in meeting_rows if (r["verification"] or "none") != "none"),
        by_fellowship=_tally(r["fellowship"] or "unspecified" for r in meeting_rows),
        by_format=_tally(r["format"] or "unspecified" for r in meeting_rows),
        per_week=tuple((w.week_start, w.count) for w in _weeks(meetings_per_day, period)),
        requirements=_requirements(store, period),
        weeks=_weeks(meetings_per_day, period),
    )
    by_role = q.outreach_by_role(store, period.start, period.end)
    outreach = OutreachMeasures(count=sum(by_role.values()), by_role=by_role)

    days = tuple(
        DayValues(
            date=d, checked_in=d in inside,
            backfilled=d in inside and inside[d]["recorded_on"] > d.isoformat(),
            mood=inside[d]["mood"] if d in inside else None,
            craving=inside[d]["craving"] if d in inside else None,
            stress=inside[d]["stress"] if d in inside else None,
            sleep=inside[d]["sleep"] if d in inside else None,
            halt=tuple(inside[d]["halt"]) if d in inside else (),
            substances=tuple(day_states[d]), meetings=meetings_per_day.get(d, 0))
        for d in dates)
    return Report(period=period, as_of=as_of, checkins=checkins, scales=tuple(scales), halt=halt,
                  substances=tuple(measures), meetings=meetings, outreach=outreach,
                  goals=goals_on(store, period.end), days=days, heavy_day_threshold=threshold,
                  substance_reports=tuple(t.report for t in tracked), tracked=tuple(loaded))


def _tally(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _weeks(per_day: dict[date, int], period: Period) -> tuple[WeekCount, ...]:
    out = []
    for lo, hi in ds.periods_touching(period.start, period.end, "week"):
        first, last = max(lo, period.start), min(hi, period.end)
        out.append(WeekCount(lo, first, last, sum(per_day.get(d, 0) for d in ds.dates_between(first, last))))
    return tuple(out)


def _substance_measures(t: Tracked, period: Period, threshold: float) -> SubstanceMeasures:
    """One substance over the window, from its day states; continuous days from its report."""
    history, report, s = t.history, t.report, t.substance
    states = {d: history.state(d) for d in period.dates()}
    records = {d: history.records[d] for d in period.dates() if d in history.records}
    recorded = len(records)
    used = [r for r in records.values() if r.used]
    amounts = [r.amount for r in used]
    unit = s.unit or "none"
    has_amount = unit != "none"
    given = [a for a in amounts if a is not None]
    coverage = m.share(recorded, period.days)
    monitor = s.goal == "monitor"
    reduce = s.goal == "reduce"
    within_days = goal_periods = summary = None
    if reduce:
        # Days within goal (the older figure): no use, or a use within the daily limit (any use
        # when there is no daily limit).
        within_days = sum(1 for st in states.values() if st in (ds.NO_USE, ds.WITHIN_LIMIT, ds.USED))
        summary = ds.reduce_summary(history, period.start, period.end)
        goal_periods = m.GoalPeriods(summary.per, summary.periods_within_goal, summary.periods_over_goal,
                                     summary.periods_incomplete)
    return SubstanceMeasures(
        name=s.name, unit=unit, goal=s.goal, recorded_days=recorded, coverage=coverage,
        use_days=len(used), sober_days=recorded - len(used), pda=m.pda(recorded, len(used)),
        total_amount=(sum(given) if given else (0.0 if recorded and not used else None)) if has_amount else None,
        amount_per_use_day=m.amount_per_use_day(amounts) if has_amount else None,
        heavy_days=m.heavy_days(amounts, threshold) if unit == "drinks" and recorded else None,
        days_at_end=None if monitor else report.days,
        last_use=None if monitor else report.last_use,
        incomplete=coverage < m.INCOMPLETE_BELOW,
        unrecorded_days=sum(1 for st in states.values() if st == ds.NOT_RECORDED),
        tracking_began=history.tracking_began,
        max_per_day=s.max_per_day, max_days=s.max_days, max_days_per=s.max_days_per,
        within_goal_days=within_days, goal_periods=goal_periods, reduce=summary)


def _requirements(store: Store, period: Period) -> tuple[RequirementPeriodRow, ...]:
    """Requirement periods overlapping the window (docs/definitions.md §6), as of the window's end."""
    try:
        from recoverylog.reports import meetings as meeting_reports
    except ImportError:
        return ()
    rules = [r for r in meeting_reports.load_rules(store)
             if r.start <= period.end and (r.end is None or r.end >= period.start)]
    if not rules:
        return ()
    # A week or month that overlaps the window may begin up to 31 days before it.
    attendance = meeting_reports.load_attendance(store, period.start - timedelta(days=31), period.end)
    rows = []
    for rule in rules:
        # Only the periods from the one containing the window's start: the same periods the rule's
        # whole history would give from there (docs/definitions.md §6), without walking the rest.
        from_window = replace(rule, start=meeting_reports.current_period_start(rule, period.start))
        for p in meeting_reports.requirement_periods(from_window, attendance, period.end):
            if p.end >= period.start:
                rows.append(RequirementPeriodRow(label=rule.label, start=p.start, end=p.end, counted=p.counted,
                                                 required=p.required, deficit=p.deficit, met=p.met,
                                                 current=p.current, days_left=p.days_left,
                                                 verified_only=rule.verified_only, fellowships=rule.fellowships))
    return tuple(rows)
