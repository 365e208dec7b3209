"""Continuous time, lapse history, milestones and reduce goals for one substance.

Everything here is put together from the day-state engine (reports/daystate.py), which holds
the rules (docs/definitions.md §2–§4); `build_substance_reports` at the end is the only part
that reads the store (one query for every substance's records).

For a substance as of date D:
- last_use(D): the latest use ≤ D; else the declared last use (`--last-use`, or
  `--sober-since S` meaning S − 1); else the day before tracking began;
- sobriety_date = last_use + 1; days = D − last_use;
- periods between uses carry their recorded and unrecorded days; one with no recorded day
  without use is a gap ("N days not recorded"), never counted for the longest or averages;
- a milestone is reached once a day without use is recorded on or after its date;
- sober days: recorded days with no use (cumulative, never reset).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from itertools import compress, repeat
from operator import is_not
from typing import Any, cast

from recoverylog.records import record
from recoverylog.reports import daystate as ds
from recoverylog.reports.daystate import (  # noqa: F401  (public names kept for callers)
    DAY_MILESTONES,
    MONTH_MILESTONES,
    Milestone,
    NextMilestone,
    anchors,
    average_recent,
    last_use,
    longest,
    milestone_schedule,
    month_label,
    start_anchor,
)
from recoverylog.reports.daystate import PeriodWithoutUse as Period  # noqa: F401

RECENT_WINDOW_DAYS = 30
RECENT_PERIODS = 5      # a reduce goal's current week or month and the four before it


# -- values ------------------------------------------------------------------

@record
class DayRecord:
    date: date
    used: bool
    amount: float | None = None
    note: str | None = None


@record
class Window:
    """Window measures (docs/definitions.md §4) over [start, end]."""
    start: date
    end: date
    days: int
    recorded_days: int
    use_days: int
    total_amount: float | None
    coverage: float           # recorded_days / days


@record
class ReduceDay:
    date: date
    amount: float | None
    within: bool | None       # None: amount not recorded, so the daily limit cannot be checked
    state: str = ds.USED      # the day state (daystate.classify)


@record
class ReduceProgress:
    """A reduce goal's current week or month, and the figures around it (docs/definitions.md §4)."""
    per: str                  # the window the headline counts: week | month
    window_start: date
    window_end: date          # the window's last day (may be after as_of)
    as_of: date
    max_per_day: float | None
    max_days: int | None
    use_days: int
    recorded_days: int
    days_so_far: int          # days of the window up to as_of
    days_over_daily_limit: int
    days_amount_unknown: int
    use_days_left: int | None
    within_goal: bool         # the verdict so far is 'within' (every day recorded, none over)
    streak_days: int          # consecutive recorded days within goal, ending at as_of (or the day before)
    use_days_detail: tuple[ReduceDay, ...] = ()
    verdict: str = ds.WITHIN  # within | over | incomplete (some day of the window not recorded)
    days_within_limit: int | None = None
    unrecorded_days: int = 0
    periods_within_goal: int = 0
    periods_over_goal: int = 0
    periods_incomplete: int = 0
    amount_this_period: float | None = None
    average_amount_previous_4: float | None = None
    previous_periods: int = 0
    periods: tuple[ds.PeriodVerdict, ...] = ()   # the current period and the four before it


@record
class SubstanceReport:
    # The JSON contract of `status` and `sobriety`: keep these names and meanings.
    name: str
    unit: str
    goal: str
    last_use: date | None
    sobriety_date: date | None
    days: int | None
    longest_days: int
    sober_days: int
    recorded_days: int
    use_days: int
    unrecorded_days: int
    milestones_reached: tuple[Milestone, ...]
    next_milestone: NextMilestone | None
    periods: tuple[Period, ...]
    # Added for the views.
    as_of: date
    active: bool
    tracking_start: date
    declared_last_use: date | None
    milestones_on: bool
    days_since_last_use: int | None     # the fact, for every goal (monitor included)
    last_use_note: str | None
    last_use_amount: float | None
    last_use_recorded: bool             # False when last_use is a declared date or the tracking anchor
    completed_periods: int
    average_recent_periods: float | None  # mean length of the last three completed periods (gaps left out)
    total_amount: float | None
    last_30_days: Window
    max_per_day: float | None = None
    max_days: int | None = None
    max_days_per: str | None = None
    reduce: ReduceProgress | None = None
    # Milestones need a record (docs/definitions.md §3).
    recorded_since_last_use: int = 0    # recorded days (each without use) after the last use
    confirmed_through: date | None = None   # the latest day of the current period a record vouches for
    milestones_pending: tuple[Milestone, ...] = ()   # due, but no record confirms them yet
    gaps: int = 0                       # stretches between uses with no recorded day without use

    @property
    def current_gap(self) -> bool:
        """Days have passed since the last use, and none of them is recorded (or declared)."""
        return bool(self.periods) and self.periods[-1].end is None and self.periods[-1].gap


# -- continuous time -----------------------------------------------------------

def tracking_start(added_on: date, first_record: date | None) -> date:
    """Tracking began on the earlier of the day a substance was added and its first record."""
    return added_on if first_record is None else min(added_on, first_record)


def periods(use_dates: Sequence[date], as_of: date, declared_last_use: date | None, tracking_began: date,
            notes: dict[date, str | None] | None = None,
            recorded: Iterable[date] | ds.RecordedDates = ()) -> list[Period]:
    index = recorded if isinstance(recorded, ds.RecordedDates) else ds.RecordedDates(recorded)
    return ds.periods_without_use(use_dates, as_of, declared_last_use, tracking_began, index, notes)


def milestones(last: date, as_of: date, confirmed: date | None = None
               ) -> tuple[tuple[Milestone, ...], NextMilestone | None]:
    """Milestones reached by as_of (confirmed by a record through `confirmed`, default as_of), and the next."""
    state = ds.milestone_state(last, as_of, as_of if confirmed is None else confirmed)
    return state.reached, state.next


def milestones_enabled(goal: str, per_substance: bool | None, globally: bool) -> bool:
    """Off globally wins; else the substance's own choice; else on for abstain goals only."""
    if not globally:
        return False
    if per_substance is not None:
        return per_substance
    return goal == "abstain"


# -- windows and reduce goals ------------------------------------------------------

def window(uses: Sequence[DayRecord], index: ds.RecordedDates, start: date, end: date) -> Window:
    inside = [r for r in uses if r.used and start <= r.date <= end]
    amounts = [r.amount for r in inside if r.amount is not None]
    days = (end - start).days + 1
    recorded = index.count(start, end)
    return Window(start, end, days, recorded, len(inside), sum(amounts) if amounts else None,
                  round(recorded / days, 3) if days > 0 else 0.0)


def history_of(substance: Any, records: Sequence[DayRecord], as_of: date) -> ds.History:
    limits = ds.Limits(substance.goal, substance.max_per_day, substance.max_days, substance.max_days_per)
    return ds.History.build({r.date: ds.UseDay(r.used, r.amount, r.note) for r in records if r.date <= as_of},
                            substance.added_on, limits, substance.declared_last_use,
                            getattr(substance, "archived_on", None))


def reduce_progress_of(history: ds.History, as_of: date) -> ReduceProgress:
    limits = history.limits
    current_start, _ = ds.period_bounds(as_of, limits.verdict_per)
    summary = ds.reduce_summary(history, max(current_start, history.tracking_began), as_of,
                                periods_from=history.tracking_began, periods_kept=RECENT_PERIODS)
    cur = summary.current
    detail = []
    for d in ds.dates_between(cur.start, cur.counted_until):
        rec = history.records.get(d)
        if rec is not None and rec.used:
            detail.append(ReduceDay(d, rec.amount, ds.day_within_goal(history, d), history.state(d)))
    recent = summary.periods[-RECENT_PERIODS:]
    return ReduceProgress(
        per=cur.per, window_start=cur.start, window_end=cur.end, as_of=as_of,
        max_per_day=limits.max_per_day, max_days=limits.max_days, use_days=cur.use_days,
        recorded_days=cur.use_days + cur.no_use_days, days_so_far=(as_of - cur.start).days + 1,
        days_over_daily_limit=cur.days_over_limit, days_amount_unknown=cur.days_amount_unknown,
        use_days_left=cur.use_days_left, within_goal=cur.verdict == ds.WITHIN,
        streak_days=summary.streak_days, use_days_detail=tuple(detail), verdict=cur.verdict,
        days_within_limit=cur.days_within_limit, unrecorded_days=cur.unrecorded_days,
        periods_within_goal=summary.periods_within_goal, periods_over_goal=summary.periods_over_goal,
        periods_incomplete=summary.periods_incomplete, amount_this_period=summary.amount_this_period,
        average_amount_previous_4=summary.average_amount_previous_4,
        previous_periods=summary.previous_periods, periods=tuple(recent))


def reduce_progress(records: Sequence[DayRecord], as_of: date, max_per_day: float | None,
                    max_days: int | None, per: str | None, added_on: date | None = None) -> ReduceProgress:
    """A reduce goal's progress from every record (pure; for tests and small data)."""
    recs = {r.date: ds.UseDay(r.used, r.amount, r.note) for r in records if r.date <= as_of}
    began = added_on or (min(recs) if recs else as_of)
    history = ds.History.build(recs, began, ds.Limits("reduce", max_per_day, max_days, per))
    return reduce_progress_of(history, as_of)


def reduce_json(report: SubstanceReport) -> dict[str, Any] | None:
    """The `reduce` object of a reduce substance's JSON (docs/definitions.md §4)."""
    r = report.reduce
    if r is None:
        return None
    return {"per": r.per, "use_days": r.use_days, "days_within_limit": r.days_within_limit,
            "days_amount_unknown": r.days_amount_unknown, "periods_within_goal": r.periods_within_goal,
            "periods_over_goal": r.periods_over_goal, "amount_this_period": ds._num(r.amount_this_period),
            "average_amount_previous_4": ds._num(r.average_amount_previous_4), "streak_days": r.streak_days}


# -- one substance -----------------------------------------------------------------

def substance_report(substance: Any, records: Sequence[DayRecord], as_of: date, *,
                     milestones_setting: bool = True, history: ds.History | None = None,
                     reduce_progress: bool = True) -> SubstanceReport:
    """Everything the views show for one substance as of `as_of` (records after it are ignored).

    `substance` is a storage.substances.Substance (or anything with the same attributes);
    `records`: every record of it (used or not). With `history` given (built from the same
    records), the uses are read from its columns and `records` is not read. `reduce_progress`
    False: `reduce` is left None (a reduce goal's progress over every week or month of history,
    which a period report and a summary never show: they have the window's own)."""
    if history is None:
        history = history_of(substance, records, as_of)
    began = history.tracking_began
    index = history.recorded(as_of)
    days, ordinals, used_col, amount_col = history.columns()
    upto = bisect_right(days, as_of)
    use_dates = list(compress(days[:upto], used_col[:upto]))
    use_amounts = list(compress(amount_col[:upto], used_col[:upto]))
    notes = history.use_notes()
    declared = substance.declared_last_use
    history_periods = ds.periods_without_use(use_dates, as_of, declared, began, index, notes,
                                             use_numbers=list(compress(ordinals[:upto], used_col[:upto])))
    # The uses are ascending and up to as_of: the latest of them is the last, so `last_use` is
    # given only it (the same answer, without checking the order of all of them).
    last = ds.last_use(use_dates[-1:], as_of, declared, began)
    recorded_days = index.count(date.min, as_of)
    on = milestones_enabled(substance.goal, substance.milestones, milestones_setting)
    monitor = substance.goal == "monitor"
    reached: tuple[Milestone, ...] = ()
    pending: tuple[Milestone, ...] = ()
    upcoming: NextMilestone | None = None
    confirmed: date | None = None
    since_last = 0
    if last is not None:
        current = history_periods[-1] if history_periods and history_periods[-1].end is None else None
        confirmed = ds.confirmed_through(index, last, as_of, began, bool(current and current.declared))
        since_last = index.count(last + timedelta(days=1), as_of)
        if on and not monitor:
            state = ds.milestone_state(last, as_of, confirmed)
            reached, pending, upcoming = state.reached, state.pending, state.next
    last_recorded = bool(use_dates) and use_dates[-1] == last
    amounts = cast("list[float]", list(compress(use_amounts, map(is_not, use_amounts, repeat(None)))))
    recent_from = as_of - timedelta(days=RECENT_WINDOW_DAYS - 1)
    first_recent = bisect_left(use_dates, recent_from)
    recent = [DayRecord(d, True, a, notes.get(d))
              for d, a in zip(use_dates[first_recent:], use_amounts[first_recent:], strict=True)]
    return SubstanceReport(
        name=substance.name, unit=substance.unit, goal=substance.goal,
        last_use=last,
        sobriety_date=None if monitor or last is None else last + timedelta(days=1),
        days=None if monitor or last is None else (as_of - last).days,
        longest_days=ds.longest(history_periods),
        sober_days=recorded_days - len(use_dates),
        recorded_days=recorded_days,
        use_days=len(use_dates),
        unrecorded_days=ds.unrecorded_since(index, last, as_of, began),
        milestones_reached=reached,
        next_milestone=upcoming,
        periods=tuple(history_periods),
        as_of=as_of,
        active=substance.active_on(as_of),
        tracking_start=began,
        declared_last_use=declared,
        milestones_on=on and not monitor,
        days_since_last_use=None if last is None else (as_of - last).days,
        last_use_note=notes.get(use_dates[-1]) if last_recorded else None,
        last_use_amount=use_amounts[-1] if last_recorded else None,
        last_use_recorded=last_recorded,
        completed_periods=sum(1 for p in history_periods if p.end is not None and not p.gap),
        average_recent_periods=ds.average_recent(history_periods),
        total_amount=sum(amounts) if amounts else None,
        last_30_days=window(recent, index, recent_from, as_of),
        max_per_day=substance.max_per_day, max_days=substance.max_days, max_days_per=substance.max_days_per,
        reduce=reduce_progress_of(history, as_of) if substance.goal == "reduce" and reduce_progress else None,
        recorded_since_last_use=since_last, confirmed_through=confirmed, milestones_pending=pending,
        gaps=sum(1 for p in history_periods if p.gap and p.end is not None),
    )


# -- reading the store ---------------------------------------------------------------

def tracked_on(substance: Any, as_of: date) -> bool:
    """Was the substance part of the person's tracking as of that date?"""
    known = substance.added_on <= as_of or (substance.declared_last_use is not None
                                            and substance.declared_last_use <= as_of)
    return bool(known and substance.active_on(as_of))


@record
class Tracked:
    """One substance as of a date: its row, its day-state history and its report."""
    substance: Any
    history: ds.History
    report: SubstanceReport


def load_tracked(store: Any, as_of: date, substances: Sequence | None = None, *,
                 reduce_progress: bool = True) -> list[Tracked]:
    """Every given substance (default: all) with its history and report as of `as_of`, from one
    read of every record up to as_of per substance, in columns (storage/uses.columns_until).
    `reduce_progress`: as `substance_report`'s (False for a period report)."""
    from recoverylog.storage import substances as substance_rows
    from recoverylog.storage import uses as use_rows

    chosen = list(substances) if substances is not None else substance_rows.list_all(store)
    columns = use_rows.columns_until(store, as_of, [s.id for s in chosen])
    milestones_setting = store.settings.milestones
    out = []
    for s in chosen:
        history = _history_from_columns(s, columns.get(s.id))
        out.append(Tracked(s, history, substance_report(s, (), as_of, milestones_setting=milestones_setting,
                                                        history=history, reduce_progress=reduce_progress)))
    return out


_NO_USE = ds.UseDay(False)


def _history_from_columns(substance: Any, columns: Any) -> ds.History:
    """What `_history_from_rows` builds, over the columns the store read (no UseDay per day)."""
    records: Mapping[date, ds.UseDay] = {}
    if columns is not None:
        records = ds.DayRecords(columns.days, columns.ordinals, columns.used, columns.amounts, columns.notes)
    limits = ds.Limits(substance.goal, substance.max_per_day, substance.max_days, substance.max_days_per)
    return ds.History.build(records, substance.added_on, limits, substance.declared_last_use,
                            getattr(substance, "archived_on", None))


def _history_from_rows(substance: Any, rows: Sequence[tuple[str, int, float | None, str | None]], as_of: date
                       ) -> ds.History:
    """What `history_of` builds from every record, built straight from `records_until`'s rows (all
    ≤ as_of, ascending): a day without use (most of them) is one shared immutable UseDay. The
    row-by-row reference the column read (`_history_from_columns`) is tested against."""
    records: dict[date, ds.UseDay] = {}
    # UseDay is immutable: records with the same values share one (the amount's type is in the key,
    # so 1 and 1.0 stay apart).
    shared: dict[tuple, ds.UseDay] = {(False, type(None), None, None): _NO_USE}
    parse = date.fromisoformat
    for d, used, amount, note in rows:
        if not used and amount is None:     # the query gives no note without a use
            records[parse(d)] = _NO_USE
            continue
        key = (bool(used), type(amount), amount, note)
        record = shared.get(key)
        if record is None:
            record = shared[key] = ds.UseDay(bool(used), amount, note)
        records[parse(d)] = record
    limits = ds.Limits(substance.goal, substance.max_per_day, substance.max_days, substance.max_days_per)
    return ds.History.build(records, substance.added_on, limits, substance.declared_last_use,
                            getattr(substance, "archived_on", None))


def build_substance_reports(store: Any, as_of: date, substances: Sequence | None = None, *,
                            tracked: list[Tracked] | None = None) -> list[SubstanceReport]:
    """Reports for the given substances (default: those active and tracked as of `as_of`).
    `tracked`: what `load_tracked(store, as_of)` gave, for a caller that reads the histories too
    (status hands them to money not spent), so that each history is read once."""
    if tracked is None:
        tracked = load_tracked(store, as_of, substances)
    if substances is None:
        tracked = [t for t in tracked if t.substance.active_on(as_of)
                   and (tracked_on(t.substance, as_of) or t.report.recorded_days)]
    return [t.report for t in tracked]
