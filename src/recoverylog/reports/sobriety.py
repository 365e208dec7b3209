"""Continuous time, lapse history, milestones and reduce goals (DOMAIN.md §3–§5).

The top of this module is pure arithmetic over dates (property-tested); `substance_report`
puts it together for one substance from its records, and `build_substance_reports` at the
end is the only part that reads the store (one query for every substance's records).

Definitions, for a substance as of date D:
- last_use(D): the latest use ≤ D; else the declared last use (`--last-use`, or
  `--sober-since S` meaning S − 1); else the day before tracking began. The declared date
  and the day before tracking are "anchors": they start continuous time like a use does,
  but are not use days.
- sobriety_date = last_use + 1; days = D − last_use.
- A completed period lies between two consecutive anchors a < b: length (b − a) − 1; zero
  lengths are not listed. History is never deleted: longest = max(completed, current).
- Tracking began on the earlier of the day the substance was added and its first record.
- unrecorded days: dates in (last_use, D], on or after tracking began, with no record.
- sober days: recorded days with no use (cumulative, never reset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from bisect import bisect_left, bisect_right
from typing import Iterable, Iterator, Protocol, Sequence

DAY_MILESTONES = ((1, "24 hours"), (30, "30 days"), (60, "60 days"), (90, "90 days"))
MONTH_MILESTONES = ((6, "6 months"), (9, "9 months"), (12, "1 year"), (18, "18 months"))
RECENT_WINDOW_DAYS = 30


# -- values ------------------------------------------------------------------

@dataclass(frozen=True)
class DayRecord:
    date: date
    used: bool
    amount: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None          # None: the current period, still running
    days: int
    ended_by: date | None = None   # the use that ended it
    note: str | None = None        # that use's note
    declared: bool = False         # began at a declared last-use date (before records)


@dataclass(frozen=True)
class Milestone:
    label: str
    date: date


@dataclass(frozen=True)
class NextMilestone:
    label: str
    date: date
    days_to_go: int


@dataclass(frozen=True)
class Window:
    """Window measures (DOMAIN.md §5) over [start, end]."""
    start: date
    end: date
    days: int
    recorded_days: int
    use_days: int
    total_amount: float | None
    coverage: float           # recorded_days / days


@dataclass(frozen=True)
class ReduceDay:
    date: date
    amount: float | None
    within: bool | None       # None: amount not recorded, so the daily limit cannot be checked


@dataclass(frozen=True)
class ReduceProgress:
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
    within_goal: bool         # so far in this window
    streak_days: int          # consecutive recorded days within goal, ending at as_of (or the day before)
    use_days_detail: tuple[ReduceDay, ...] = ()


@dataclass(frozen=True)
class SubstanceReport:
    # The contract (issue 3): keep these names and meanings.
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
    average_recent_periods: float | None  # mean length of the last three completed periods
    total_amount: float | None
    last_30_days: Window
    max_per_day: float | None = None
    max_days: int | None = None
    max_days_per: str | None = None
    reduce: ReduceProgress | None = None


# -- continuous time -----------------------------------------------------------

def tracking_start(added_on: date, first_record: date | None) -> date:
    """Tracking began on the earlier of the day a substance was added and its first record."""
    return added_on if first_record is None else min(added_on, first_record)


def start_anchor(declared_last_use: date | None, tracking_began: date) -> tuple[date, bool]:
    """Where continuous time starts before any use: (date, declared?)."""
    if declared_last_use is not None:
        return declared_last_use, True
    return tracking_began - timedelta(days=1), False


def anchors(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
            tracking_began: date) -> list[date]:
    """The dates that start continuous time, up to as_of, ascending: every use, and the
    start anchor (declared last use, else the day before tracking began)."""
    start, _ = start_anchor(declared_last_use, tracking_began)
    found = {d for d in use_dates if d <= as_of}
    if start <= as_of:
        found.add(start)
    return sorted(found)


def last_use(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
             tracking_began: date) -> date | None:
    found = anchors(use_dates, as_of, declared_last_use, tracking_began)
    return found[-1] if found else None


def periods(use_dates: Sequence[date], as_of: date, declared_last_use: date | None, tracking_began: date,
            notes: dict[date, str | None] | None = None) -> list[Period]:
    """Completed periods (zero-length ones left out), then the current one if it has a day."""
    notes = notes or {}
    start, declared = start_anchor(declared_last_use, tracking_began)
    points = anchors(use_dates, as_of, declared_last_use, tracking_began)
    out: list[Period] = []
    for a, b in zip(points, points[1:]):
        length = (b - a).days - 1
        if length > 0:
            out.append(Period(a + timedelta(days=1), b - timedelta(days=1), length, ended_by=b,
                              note=notes.get(b), declared=declared and a == start))
    if points and (as_of - points[-1]).days > 0:
        out.append(Period(points[-1] + timedelta(days=1), None, (as_of - points[-1]).days,
                          declared=declared and points[-1] == start))
    return out


def longest(period_list: Iterable[Period]) -> int:
    return max((p.days for p in period_list), default=0)


def average_recent(period_list: Sequence[Period], count: int = 3) -> float | None:
    """Mean length of the last `count` completed periods (None when there are none)."""
    done = [p.days for p in period_list if p.end is not None][-count:]
    return round(sum(done) / len(done), 1) if done else None


def unrecorded_days(index: "RecordIndex", last: date | None, as_of: date, tracking_began: date) -> int:
    """Dates in (last_use, as_of], on or after tracking began, with no record."""
    first = tracking_began if last is None else max(last + timedelta(days=1), tracking_began)
    if first > as_of:
        return 0
    return (as_of - first).days + 1 - index.count(first, as_of)


# -- which dates have a record -------------------------------------------------------

class RecordIndex(Protocol):
    """Which dates have a record (used or not), asked without reading every row.
    storage.uses.RecordIndex answers from SQL; ListIndex from a list (tests, small data)."""

    def first(self) -> date | None: ...
    def count(self, start: date, end: date) -> int: ...


class ListIndex:
    def __init__(self, dates: Iterable[date]):
        self.dates = sorted(set(dates))

    def first(self) -> date | None:
        return self.dates[0] if self.dates else None

    def count(self, start: date, end: date) -> int:
        return max(0, bisect_right(self.dates, end) - bisect_left(self.dates, start))


# -- milestones ----------------------------------------------------------------

def month_label(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "1 year" if years == 1 else f"{years} years"
    return f"{months} months"


def milestone_schedule(last: date) -> Iterator[Milestone]:
    """Every milestone for a run that began after `last`, in date order, without end.

    Day milestones fall on last_use + N days; month milestones on sobriety_date + N
    calendar months (relativedelta: 31 Jan + 1 month = the end of February)."""
    from dateutil.relativedelta import relativedelta

    for n, label in DAY_MILESTONES:
        yield Milestone(label, last + timedelta(days=n))
    sobriety = last + timedelta(days=1)
    for n, label in MONTH_MILESTONES:
        yield Milestone(label, sobriety + relativedelta(months=n))
    years = 2
    while True:
        try:
            when = sobriety + relativedelta(months=12 * years)
        except (OverflowError, ValueError):
            return
        yield Milestone(month_label(12 * years), when)
        years += 1


def milestones(last: date, as_of: date) -> tuple[tuple[Milestone, ...], NextMilestone | None]:
    """Milestones reached by as_of, and the next one."""
    reached: list[Milestone] = []
    for item in milestone_schedule(last):
        if item.date <= as_of:
            reached.append(item)
        else:
            return tuple(reached), NextMilestone(item.label, item.date, (item.date - as_of).days)
    return tuple(reached), None


def milestones_enabled(goal: str, per_substance: bool | None, globally: bool) -> bool:
    """Off globally wins; else the substance's own choice; else on for abstain goals only."""
    if not globally:
        return False
    if per_substance is not None:
        return per_substance
    return goal == "abstain"


# -- windows and reduce goals ------------------------------------------------------

def window(uses: Sequence[DayRecord], index: RecordIndex, start: date, end: date) -> Window:
    inside = [r for r in uses if r.used and start <= r.date <= end]
    amounts = [r.amount for r in inside if r.amount is not None]
    days = (end - start).days + 1
    recorded = index.count(start, end)
    return Window(start, end, days, recorded, len(inside), sum(amounts) if amounts else None,
                  round(recorded / days, 3) if days > 0 else 0.0)


def window_bounds(day: date, per: str) -> tuple[date, date]:
    """The ISO week (Monday first) or calendar month containing `day`."""
    if per == "month":
        start = day.replace(day=1)
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, nxt - timedelta(days=1)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def day_verdicts(records: Sequence[DayRecord], max_per_day: float | None, max_days: int | None,
                 per: str) -> list[bool | None]:
    """For each record (ascending), is that day within the goal?

    A day without use is within. A use day is within when its amount is at most the daily
    limit (None when a limit exists but no amount was recorded) and it is not beyond the
    allowed number of use days in its week/month."""
    out: list[bool | None] = []
    key = None
    count = 0
    for r in records:
        if not r.used:
            out.append(True)
            continue
        if max_days is not None:
            k = window_bounds(r.date, per)[0]
            if k != key:
                key, count = k, 0
            count += 1
        if max_days is not None and count > max_days:
            out.append(False)
        elif max_per_day is None:
            out.append(True)
        elif r.amount is None:
            out.append(None)
        else:
            out.append(r.amount <= max_per_day)
    return out


def within_goal_streak(index: RecordIndex, bad_days: Sequence[date], as_of: date) -> int:
    """Consecutive recorded days within goal ending at as_of, or at as_of − 1 while as_of
    has no record yet. An unrecorded day ends the streak (it is never assumed); so does a
    use day that was not within goal (`bad_days`, ascending)."""
    day = as_of if index.count(as_of, as_of) else as_of - timedelta(days=1)
    i = bisect_right(bad_days, day)
    if i and bad_days[i - 1] == day:
        return 0
    first = index.first()
    if first is None or first > day:
        return 0
    lower = max(first, bad_days[i - 1] + timedelta(days=1)) if i else first
    return (day - run_start(index, lower, day)).days + 1 if index.count(day, day) else 0


def run_start(index: RecordIndex, lower: date, day: date) -> date:
    """The earliest X in [lower, day] such that every date in [X, day] has a record (day has one).

    A binary search over indexed counts: about log2(days) small queries, whatever the history."""
    lo, hi = lower, day  # invariant: [hi, day] is fully recorded
    while lo < hi:
        mid = lo + timedelta(days=(hi - lo).days // 2)
        if index.count(mid, day) == (day - mid).days + 1:
            hi = mid
        else:
            lo = mid + timedelta(days=1)
    return hi


def reduce_progress(records: Sequence[DayRecord], as_of: date, max_per_day: float | None,
                    max_days: int | None, per: str | None, index: RecordIndex | None = None) -> ReduceProgress:
    """`records`: every record, or only the use days when `index` tells which dates are recorded."""
    per = per or "week"
    records = [r for r in records if r.date <= as_of]
    index = index or ListIndex(r.date for r in records)
    uses = [r for r in records if r.used]
    verdicts = day_verdicts(uses, max_per_day, max_days, per)
    start, end = window_bounds(as_of, per)
    detail = [ReduceDay(r.date, r.amount, v) for r, v in zip(uses, verdicts) if start <= r.date]
    use_days = len(detail)
    over = sum(1 for d in detail if max_per_day is not None and d.amount is not None and d.amount > max_per_day)
    unknown = sum(1 for d in detail if d.within is None)
    within = over == 0 and (max_days is None or use_days <= max_days)
    bad = [r.date for r, v in zip(uses, verdicts) if v is not True]
    return ReduceProgress(
        per=per, window_start=start, window_end=end, as_of=as_of, max_per_day=max_per_day,
        max_days=max_days, use_days=use_days, recorded_days=index.count(start, as_of),
        days_so_far=(as_of - start).days + 1, days_over_daily_limit=over, days_amount_unknown=unknown,
        use_days_left=None if max_days is None else max(0, max_days - use_days),
        within_goal=within, streak_days=within_goal_streak(index, bad, as_of),
        use_days_detail=tuple(detail),
    )


# -- one substance -----------------------------------------------------------------

def substance_report(substance, records: Sequence[DayRecord], as_of: date, *,
                     milestones_setting: bool = True, index: RecordIndex | None = None) -> SubstanceReport:
    """Everything the views show for one substance as of `as_of` (records after it are ignored).

    `substance` is a storage.substances.Substance (or anything with the same attributes).
    `records`: every record, or only the use days when `index` tells which dates are recorded
    (that is how ten years of data stay fast: no Python loop over no-use days)."""
    records = [r for r in records if r.date <= as_of]
    index = index or ListIndex(r.date for r in records)
    uses = [r for r in records if r.used]
    first = index.first()
    began = tracking_start(substance.added_on, first if first is not None and first <= as_of else None)
    use_dates = [r.date for r in uses]
    notes = {r.date: r.note for r in uses}
    declared = substance.declared_last_use
    history = periods(use_dates, as_of, declared, began, notes)
    last = last_use(use_dates, as_of, declared, began)
    recorded_days = index.count(date.min, as_of)
    on = milestones_enabled(substance.goal, substance.milestones, milestones_setting)
    reached: tuple[Milestone, ...] = ()
    upcoming: NextMilestone | None = None
    monitor = substance.goal == "monitor"
    if on and last is not None and not monitor:
        reached, upcoming = milestones(last, as_of)
    last_record = uses[-1] if uses and uses[-1].date == last else None
    amounts = [r.amount for r in uses if r.amount is not None]
    return SubstanceReport(
        name=substance.name, unit=substance.unit, goal=substance.goal,
        last_use=last,
        sobriety_date=None if monitor or last is None else last + timedelta(days=1),
        days=None if monitor or last is None else (as_of - last).days,
        longest_days=longest(history),
        sober_days=recorded_days - len(uses),
        recorded_days=recorded_days,
        use_days=len(uses),
        unrecorded_days=unrecorded_days(index, last, as_of, began),
        milestones_reached=reached,
        next_milestone=upcoming,
        periods=tuple(history),
        as_of=as_of,
        active=substance.active_on(as_of),
        tracking_start=began,
        declared_last_use=declared,
        milestones_on=on and not monitor,
        days_since_last_use=None if last is None else (as_of - last).days,
        last_use_note=last_record.note if last_record else None,
        last_use_amount=last_record.amount if last_record else None,
        last_use_recorded=last_record is not None,
        completed_periods=sum(1 for p in history if p.end is not None),
        average_recent_periods=average_recent(history),
        total_amount=sum(amounts) if amounts else None,
        last_30_days=window(uses, index, as_of - timedelta(days=RECENT_WINDOW_DAYS - 1), as_of),
        max_per_day=substance.max_per_day, max_days=substance.max_days, max_days_per=substance.max_days_per,
        reduce=(reduce_progress(uses, as_of, substance.max_per_day, substance.max_days, substance.max_days_per,
                                index) if substance.goal == "reduce" else None),
    )


# -- reading the store ---------------------------------------------------------------

def tracked_on(substance, as_of: date) -> bool:
    """Was the substance part of the person's tracking as of that date?"""
    known = substance.added_on <= as_of or (substance.declared_last_use is not None
                                            and substance.declared_last_use <= as_of)
    return known and substance.active_on(as_of)


def build_substance_reports(store, as_of: date, substances: Sequence | None = None) -> list[SubstanceReport]:
    """Reports for the given substances (default: those active as of `as_of`).

    Compact reads: one query for every substance's use days, one for first record dates, and
    per substance a few indexed counts over (substance_id, date); no-use days are never loaded."""
    from recoverylog.storage import substances as substance_rows
    from recoverylog.storage import uses as use_rows

    chosen = list(substances) if substances is not None else substance_rows.list_all(store)
    ids = [s.id for s in chosen]
    firsts = use_rows.first_dates_until(store, as_of, ids)
    if substances is None:
        chosen = [s for s in chosen if s.active_on(as_of) and (tracked_on(s, as_of) or s.id in firsts)]
    use_days = use_rows.use_days_until(store, as_of, ids)
    milestones_setting = store.settings.milestones
    out = []
    for s in chosen:
        records = [DayRecord(date.fromisoformat(d), True, a, n) for d, a, n in use_days.get(s.id, ())]
        index = use_rows.RecordIndex(store, s.id, firsts.get(s.id))
        out.append(substance_report(s, records, as_of, milestones_setting=milestones_setting, index=index))
    return out
