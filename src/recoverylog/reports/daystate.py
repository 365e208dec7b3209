"""The day state: one classification of every date × substance, and what derives from it.

Pure arithmetic (no SQL, no rendering): dates and records in, frozen dataclasses out. Every
figure about use that a screen shows is derived here, so two screens cannot disagree about
a day (docs/definitions.md §2–§5):

- `classify`: one date of one substance is used, no use, not recorded, within the daily
  limit, over it, amount not recorded (or not tracked: before tracking began / archived);
- `period_bounds`: the ISO week (or Sunday-first week) and calendar month containing a date;
- `periods_without_use`: the stretches between uses, each with its recorded and unrecorded
  days; a stretch with no recorded day without use is a gap, not a period;
- `milestone_state`: milestones reached only once a record confirms them;
- `period_verdict` / `reduce_summary`: reduce-goal verdicts per day, week and month;
- `longest_run` / `current_run`: runs and streaks of consecutive dates;
- `RecordedDates`: which dates hold a record (coverage), answered by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta

from recoverylog.records import record
from recoverylog.reports.runs import current_run_days, longest_run_days

# -- the states of one date × substance (docs/definitions.md §2) ----------------------------

USED = "used"                                  # a use, and no daily limit to judge it against
NO_USE = "no_use"                              # recorded: not used
NOT_RECORDED = "not_recorded"                  # tracked, but nothing was recorded: never "no use"
WITHIN_LIMIT = "within_limit"                  # a use with an amount at most the daily limit
OVER_LIMIT = "over_limit"                      # a use with an amount over the daily limit
AMOUNT_NOT_RECORDED = "amount_not_recorded"    # a use under a daily limit, amount not given
NOT_TRACKED = "not_tracked"                    # before tracking began, or archived

USE_STATES = (USED, WITHIN_LIMIT, OVER_LIMIT, AMOUNT_NOT_RECORDED)
RECORDED_STATES = (NO_USE, *USE_STATES)

# The older, coarser names the report's JSON has always carried (a public interface).
LEGACY_NAMES = {NO_USE: "sober", NOT_RECORDED: "unrecorded", NOT_TRACKED: "not_tracked",
                WITHIN_LIMIT: "within_goal", OVER_LIMIT: "used", AMOUNT_NOT_RECORDED: "used"}


@record
class UseDay:
    """What was recorded for one date of one substance."""

    used: bool
    amount: float | None = None
    note: str | None = None


@record
class Limits:
    """A substance's goal and, for `reduce`, its limits."""

    goal: str = "abstain"                 # abstain | reduce | monitor
    max_per_day: float | None = None
    max_days: int | None = None           # use days allowed per `per`
    per: str | None = None                # week | month (None: week)

    @property
    def verdict_per(self) -> str:
        return self.per or "week"

    @property
    def reduce(self) -> bool:
        return self.goal == "reduce"

    @property
    def daily_limit(self) -> float | None:
        return self.max_per_day if self.reduce else None


def classify(record: UseDay | None, limits: Limits, tracked: bool = True) -> str:
    """The state of one date of one substance (docs/definitions.md §2)."""
    if record is None:
        return NOT_RECORDED if tracked else NOT_TRACKED
    if not record.used:
        return NO_USE
    limit = limits.daily_limit
    if limit is None:
        return USED
    if record.amount is None:
        return AMOUNT_NOT_RECORDED
    return WITHIN_LIMIT if record.amount <= limit else OVER_LIMIT


def legacy_name(state: str, limits: Limits) -> str:
    """The report JSON's older state word: sober | used | within_goal | unrecorded | not_tracked.
    A reduce use without a daily limit was always shown as within goal."""
    if state == USED:
        return "within_goal" if limits.reduce else "used"
    return LEGACY_NAMES[state]


# -- dates ------------------------------------------------------------------------------------

def dates_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def next_month(day: date) -> date:
    """The first day of the month after `day`'s (December → January of the next year)."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def period_bounds(day: date, per: str, week_starts: str = "monday") -> tuple[date, date]:
    """The week (ISO, Monday first; or Sunday first) or calendar month containing `day`."""
    if per == "month":
        start = day.replace(day=1)
        return start, next_month(start) - timedelta(days=1)
    if per != "week":
        raise ValueError(per)
    offset = day.weekday() if week_starts == "monday" else (day.weekday() + 1) % 7
    start = day - timedelta(days=offset)
    return start, start + timedelta(days=6)


def period_start(day: date, per: str) -> date:
    return period_bounds(day, per)[0]


def periods_touching(start: date, end: date, per: str) -> list[tuple[date, date]]:
    """The natural weeks or months that overlap [start, end], in order."""
    out = []
    cursor = start
    while cursor <= end:
        lo, hi = period_bounds(cursor, per)
        out.append((lo, hi))
        cursor = hi + timedelta(days=1)
    return out


@record
class DateSpan:
    """A window of consecutive dates [start, end] (a report's period)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return dates_between(self.start, self.end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


# -- runs and streaks ---------------------------------------------------------------------------

def longest_run(dates: Iterable[date]) -> int:
    """The longest run of consecutive dates (the rule over day numbers lives in reports/runs.py)."""
    return longest_run_days(sorted({day.toordinal() for day in dates}))


def current_run(dates: Iterable[date], as_of: date) -> int:
    """Consecutive dates ending at `as_of`, or at as_of − 1 while as_of is not among them."""
    end = as_of.toordinal()
    return current_run_days(sorted({n for n in (day.toordinal() for day in dates) if n <= end}), end)


# -- which dates hold a record ---------------------------------------------------------------

class RecordedDates:
    """The dates with a record (used or not) of one substance, sorted; counts by bisection."""

    def __init__(self, dates: Iterable[date]):
        self.dates = sorted(set(dates))

    @classmethod
    def from_sorted(cls, dates: list[date]) -> RecordedDates:
        """From dates already ascending and each once (not copied, not checked)."""
        index = cls.__new__(cls)
        index.dates = dates
        return index

    def first(self) -> date | None:
        return self.dates[0] if self.dates else None

    def count(self, start: date, end: date) -> int:
        if start > end:
            return 0
        return max(0, bisect_right(self.dates, end) - bisect_left(self.dates, start))

    def has(self, day: date) -> bool:
        return self.count(day, day) == 1

    def last_in(self, start: date, end: date) -> date | None:
        """The latest recorded date in [start, end]."""
        i = bisect_right(self.dates, end)
        if i and self.dates[i - 1] >= start:
            return self.dates[i - 1]
        return None

    def run_start(self, lower: date, day: date) -> date:
        """The earliest X ≥ lower such that every date in [X, day] has a record (day has one)."""
        i = bisect_right(self.dates, day) - 1
        # Walk back over consecutive dates: dates[i] - dates[j] == i - j means no hole between.
        lo, hi = 0, i
        target = self.dates[i].toordinal()
        while lo < hi:
            mid = (lo + hi) // 2
            if target - self.dates[mid].toordinal() == i - mid:
                hi = mid
            else:
                lo = mid + 1
        return max(self.dates[hi], lower)


# -- a substance's history ------------------------------------------------------------------

@record
class History:
    """Everything recorded for one substance up to some date, and when tracking began.

    `records`: date → UseDay for every recorded date. `tracking_began`: the earlier of the day
    the substance was added and its first record. `archived_on`: days from it are not tracked."""

    records: Mapping[date, UseDay]
    tracking_began: date
    limits: Limits
    declared_last_use: date | None = None
    archived_on: date | None = None

    @classmethod
    def build(cls, records: Mapping[date, UseDay], added_on: date, limits: Limits,
              declared_last_use: date | None = None, archived_on: date | None = None) -> History:
        first = min(records) if records else None
        began = added_on if first is None else min(added_on, first)
        return cls(records, began, limits, declared_last_use, archived_on)

    def sorted_days(self) -> tuple[list[date], list[int]]:
        """The recorded dates, ascending, and their day numbers (computed once per history)."""
        found = self.__dict__.get("_sorted_days")
        if found is None:
            days = sorted(self.records)
            found = (days, [d.toordinal() for d in days])
            object.__setattr__(self, "_sorted_days", found)
        return found

    def tracked(self, day: date) -> bool:
        return day >= self.tracking_began and (self.archived_on is None or day < self.archived_on)

    def state(self, day: date) -> str:
        return classify(self.records.get(day), self.limits, self.tracked(day))

    def use_dates(self, until: date) -> list[date]:
        days, _ = self.sorted_days()
        records = self.records
        return [d for d in days[:bisect_right(days, until)] if records[d].used]

    def recorded(self, until: date) -> RecordedDates:
        days, _ = self.sorted_days()
        return RecordedDates.from_sorted(days[:bisect_right(days, until)])


# -- periods without use, and gaps (docs/definitions.md §3) ------------------------------------

@record
class PeriodWithoutUse:
    start: date
    end: date | None               # None: the current period, still running
    days: int
    ended_by: date | None = None   # the use that ended it
    note: str | None = None        # that use's note
    declared: bool = False         # began at a declared last-use date (before records)
    recorded_days: int = 0         # days in it with a record (each one a day without use)
    unrecorded_days: int = 0       # tracked days in it with no record
    declared_days: int = 0         # declared days before tracking began: neither of the above
    gap: bool = False              # no recorded (or declared) day without use: not a period


def start_anchor(declared_last_use: date | None, tracking_began: date) -> tuple[date, bool]:
    """Where continuous time starts before any use: (date, declared?)."""
    if declared_last_use is not None:
        return declared_last_use, True
    return tracking_began - timedelta(days=1), False


def anchors(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
            tracking_began: date) -> list[date]:
    """Every use up to as_of and the start anchor, ascending: the dates continuous time starts from."""
    start, _ = start_anchor(declared_last_use, tracking_began)
    found = {d for d in use_dates if d <= as_of}
    if start <= as_of:
        found.add(start)
    return sorted(found)


def last_use(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
             tracking_began: date) -> date | None:
    """The latest of `anchors` (without sorting them all): the last use up to as_of, else the start."""
    start, _ = start_anchor(declared_last_use, tracking_began)
    latest = max((d for d in use_dates if d <= as_of), default=None)
    if start <= as_of and (latest is None or start > latest):
        return start
    return latest


def _period(a: date, b: date | None, as_of: date, recorded: RecordedDates, tracking_began: date,
            declared: bool, ended_note: str | None) -> PeriodWithoutUse:
    first = a + timedelta(days=1)
    last = b - timedelta(days=1) if b is not None else as_of
    length = (last - first).days + 1
    declared_days = max(0, (min(last, tracking_began - timedelta(days=1)) - first).days + 1) if declared else 0
    rec = recorded.count(first, last)
    tracked_from = max(first, tracking_began)
    tracked_days = max(0, (last - tracked_from).days + 1)
    return PeriodWithoutUse(first, None if b is None else last, length, ended_by=b, note=ended_note,
                            declared=declared, recorded_days=rec, unrecorded_days=tracked_days - rec,
                            declared_days=declared_days, gap=rec == 0 and declared_days == 0)


def periods_without_use(use_dates: Sequence[date], as_of: date, declared_last_use: date | None,
                        tracking_began: date, recorded: RecordedDates,
                        notes: Mapping[date, str | None] | None = None) -> list[PeriodWithoutUse]:
    """Completed periods (zero-length ones left out), then the current one if it has a day.
    Gaps are listed too (`gap` is True); they count for neither the longest nor averages."""
    notes = notes or {}
    start, declared = start_anchor(declared_last_use, tracking_began)
    points = anchors(use_dates, as_of, declared_last_use, tracking_began)
    out: list[PeriodWithoutUse] = []
    for a, b in zip(points, points[1:], strict=False):  # consecutive pairs
        if (b - a).days > 1:
            out.append(_period(a, b, as_of, recorded, tracking_began, declared and a == start, notes.get(b)))
    if points and (as_of - points[-1]).days > 0:
        out.append(_period(points[-1], None, as_of, recorded, tracking_began,
                           declared and points[-1] == start, None))
    return out


def longest(periods: Iterable[PeriodWithoutUse]) -> int:
    """The longest period without use, gaps left out."""
    return max((p.days for p in periods if not p.gap), default=0)


def average_recent(periods: Sequence[PeriodWithoutUse], count: int = 3) -> float | None:
    """Mean length of the last `count` completed periods (gaps left out); None when there are none."""
    done = [p.days for p in periods if p.end is not None and not p.gap][-count:]
    return round(sum(done) / len(done), 1) if done else None


def unrecorded_since(recorded: RecordedDates, last: date | None, as_of: date, tracking_began: date) -> int:
    """Dates in (last_use, as_of], on or after tracking began, with no record."""
    first = tracking_began if last is None else max(last + timedelta(days=1), tracking_began)
    if first > as_of:
        return 0
    return (as_of - first).days + 1 - recorded.count(first, as_of)


# -- milestones (docs/definitions.md §3) -----------------------------------------------------

DAY_MILESTONES = ((1, "24 hours"), (30, "30 days"), (60, "60 days"), (90, "90 days"))
MONTH_MILESTONES = ((6, "6 months"), (9, "9 months"), (12, "1 year"), (18, "18 months"))


@record
class Milestone:
    label: str
    date: date


@record
class NextMilestone:
    label: str
    date: date
    days_to_go: int


def month_label(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "1 year" if years == 1 else f"{years} years"
    return f"{months} months"


def milestone_schedule(last: date) -> Iterator[Milestone]:
    """Every milestone of a period that began after `last`, in date order, without end.
    Day milestones fall on last_use + N days; month milestones on sobriety_date + N calendar
    months (31 Jan + 1 month = the end of February)."""
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


@record
class MilestoneState:
    reached: tuple[Milestone, ...]        # confirmed by a record on or after their date
    pending: tuple[Milestone, ...]        # their date has come, no record confirms them yet
    next: NextMilestone | None


def confirmed_through(recorded: RecordedDates, last: date, as_of: date, tracking_began: date,
                      declared: bool) -> date | None:
    """The latest day of the current period a record (or a declared day) vouches for."""
    found = recorded.last_in(last + timedelta(days=1), as_of)
    if declared and last < tracking_began - timedelta(days=1):
        before = min(as_of, tracking_began - timedelta(days=1))
        found = before if found is None else max(found, before)
    return found


def milestone_state(last: date, as_of: date, confirmed: date | None) -> MilestoneState:
    """Milestones whose date is on or before as_of are reached when `confirmed` (the latest
    recorded day without use in the period) is on or after their date; else pending."""
    reached: list[Milestone] = []
    pending: list[Milestone] = []
    for item in milestone_schedule(last):
        if item.date > as_of:
            return MilestoneState(tuple(reached), tuple(pending),
                                  NextMilestone(item.label, item.date, (item.date - as_of).days))
        (reached if confirmed is not None and item.date <= confirmed else pending).append(item)
    return MilestoneState(tuple(reached), tuple(pending), None)


# -- reduce goals: verdicts per day, week and month (docs/definitions.md §4) --------------------

WITHIN = "within"          # use days within the allowed number, no day over the daily limit, every day recorded
OVER = "over"              # more use days than allowed, or a day over the daily limit
INCOMPLETE = "incomplete"  # not over, but some tracked day is not recorded: cannot be called within


@record
class PeriodVerdict:
    """One week or month of a reduce goal, judged on its tracked days up to `counted_until`."""

    per: str
    start: date                 # the natural week's or month's first day
    end: date                   # its last day (may be after counted_until)
    counted_until: date
    use_days: int
    days_within_limit: int | None    # use days with an amount at most the daily limit (None: no daily limit)
    days_over_limit: int
    days_amount_unknown: int         # use days with no amount under a daily limit: neither within nor over
    no_use_days: int
    unrecorded_days: int
    tracked_days: int
    amount: float | None             # total amount recorded (None when no use day has an amount)
    max_days: int | None
    verdict: str                     # within | over | incomplete

    @property
    def complete(self) -> bool:
        """The period is over (as of counted_until)."""
        return self.counted_until >= self.end

    @property
    def use_days_left(self) -> int | None:
        return None if self.max_days is None else max(0, self.max_days - self.use_days)


def period_verdict(history: History, day: date, as_of: date) -> PeriodVerdict:
    """The verdict of the goal's week or month containing `day`, counted up to as_of."""
    limits = history.limits
    per = limits.verdict_per
    start, end = period_bounds(day, per)
    until = min(end, as_of)
    counts = {s: 0 for s in (USED, NO_USE, NOT_RECORDED, WITHIN_LIMIT, OVER_LIMIT, AMOUNT_NOT_RECORDED, NOT_TRACKED)}
    amounts: list[float] = []
    for d in dates_between(start, until):
        state = history.state(d)
        counts[state] += 1
        rec = history.records.get(d)
        if rec is not None and rec.used and rec.amount is not None:
            amounts.append(rec.amount)
    use_days = sum(counts[s] for s in USE_STATES)
    over = counts[OVER_LIMIT] > 0 or (limits.max_days is not None and use_days > limits.max_days)
    verdict = OVER if over else (INCOMPLETE if counts[NOT_RECORDED] else WITHIN)
    return PeriodVerdict(
        per=per, start=start, end=end, counted_until=until, use_days=use_days,
        days_within_limit=counts[WITHIN_LIMIT] if limits.daily_limit is not None else None,
        days_over_limit=counts[OVER_LIMIT], days_amount_unknown=counts[AMOUNT_NOT_RECORDED],
        no_use_days=counts[NO_USE], unrecorded_days=counts[NOT_RECORDED],
        tracked_days=sum(counts[s] for s in (*RECORDED_STATES, NOT_RECORDED)),
        amount=sum(amounts) if amounts else (0.0 if use_days == 0 else None),
        max_days=limits.max_days, verdict=verdict)


def period_verdicts(history: History, first: date, end: date) -> tuple[PeriodVerdict, ...]:
    """Every week or month touching [first, end], each judged up to `end`: the same verdicts as
    `period_verdict(history, lo, end)` for each period's first day `lo`, computed in one pass over
    the records in date order on day numbers (a tracked day with no record is counted, not
    visited). The property test in tests/test_daystate_fast.py holds the two equal."""
    return _period_pass(history, first, end, None)[1]


def _period_pass(history: History, first: date, end: date, last: int | None
                 ) -> tuple[dict[str, int], tuple[PeriodVerdict, ...]]:
    """`period_verdicts`' one pass: how many periods got each verdict, and the verdicts of the
    last `last` periods (None: all of them), so a screen that shows a count over fifty years
    and the latest few periods does not build the rest."""
    limits = history.limits
    per = limits.verdict_per
    tally = {WITHIN: 0, OVER: 0, INCOMPLETE: 0}
    if first > end:
        return tally, ()
    # The periods as day numbers: starts[k] .. stops[k] (inclusive).
    if per == "week":
        s0 = first.toordinal() - first.weekday()
        starts = list(range(s0, end.toordinal() + 1, 7))
        stops = [s + 6 for s in starts]
    elif per == "month":
        starts, stops = [], []
        y, m = first.year, first.month
        final = end.toordinal()
        while True:
            lo = date(y, m, 1).toordinal()
            if lo > final:
                break
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            starts.append(lo)
            stops.append(date(y, m, 1).toordinal() - 1 if y <= 9999 else date.max.toordinal())
            if y > 9999:
                break
    else:
        raise ValueError(per)
    n = len(starts)
    end_n = end.toordinal()
    lo_n = starts[0]
    track_lo = history.tracking_began.toordinal()
    archived = history.archived_on.toordinal() if history.archived_on is not None else None
    daily = limits.daily_limit
    plain = [0] * n       # USED: a use with no daily limit to judge it by
    within = [0] * n
    over = [0] * n
    unknown = [0] * n
    no_use = [0] * n
    recorded = [0] * n
    recorded_tracked = [0] * n
    totals: list = [0] * n            # sum of the amounts recorded for uses, in date order
    with_amount = [0] * n
    base_month = first.year * 12 + first.month - 1
    records = history.records
    days, ordinals = history.sorted_days()
    i = bisect_left(ordinals, lo_n)
    j = bisect_right(ordinals, end_n)
    weekly = per == "week"
    for d, o in zip(days[i:j], ordinals[i:j], strict=True):
        k = (o - lo_n) // 7 if weekly else d.year * 12 + d.month - 1 - base_month
        rec = records[d]
        recorded[k] += 1
        if o >= track_lo and (archived is None or o < archived):
            recorded_tracked[k] += 1
        if not rec.used:
            no_use[k] += 1
            continue
        amount = rec.amount
        if amount is not None:
            totals[k] += amount
            with_amount[k] += 1
        if daily is None:
            plain[k] += 1
        elif amount is None:
            unknown[k] += 1
        elif amount <= daily:
            within[k] += 1
        else:
            over[k] += 1
    out: list[PeriodVerdict] = []
    fromord = date.fromordinal
    max_days = limits.max_days
    build_from = 0 if last is None else max(0, n - last)
    for k in range(n):
        start, stop = starts[k], stops[k]
        until = min(stop, end_n)
        lo = max(start, track_lo)
        if archived is not None and archived <= lo:
            tracked = 0
        else:
            hi = until if archived is None else min(until, archived - 1)
            tracked = max(0, hi - lo + 1)
        unrecorded = tracked - recorded_tracked[k]
        use_days = plain[k] + within[k] + over[k] + unknown[k]
        is_over = over[k] > 0 or (max_days is not None and use_days > max_days)
        verdict = OVER if is_over else (INCOMPLETE if unrecorded else WITHIN)
        tally[verdict] += 1
        if k < build_from:
            continue
        out.append(PeriodVerdict(
            per=per, start=fromord(start), end=fromord(stop), counted_until=fromord(until), use_days=use_days,
            days_within_limit=within[k] if daily is not None else None,
            days_over_limit=over[k], days_amount_unknown=unknown[k],
            no_use_days=no_use[k], unrecorded_days=unrecorded, tracked_days=recorded[k] + unrecorded,
            amount=totals[k] if with_amount[k] else (0.0 if use_days == 0 else None),
            max_days=max_days, verdict=verdict))
    return tally, tuple(out)


def day_within_goal(history: History, day: date) -> bool | None:
    """Is one recorded day within the goal? True for no use and for a use within the daily limit
    that is not beyond the allowed number of use days so far in its week/month; False when over;
    None when not recorded or the amount is unknown."""
    state = history.state(day)
    if state == NO_USE:
        return True
    if state in (NOT_RECORDED, NOT_TRACKED, AMOUNT_NOT_RECORDED):
        return None
    if state == OVER_LIMIT:
        return False
    limits = history.limits
    if limits.max_days is not None:
        start, _ = period_bounds(day, limits.verdict_per)
        so_far = sum(1 for d in dates_between(start, day) if history.state(d) in USE_STATES)
        if so_far > limits.max_days:
            return False
    return True


def within_goal_streak(history: History, as_of: date) -> int:
    """Consecutive recorded days within goal ending at as_of, or at as_of − 1 while as_of has no
    record yet. A day not recorded, a use with no amount, or a day over the goal ends it."""
    day = as_of if as_of in history.records else as_of - timedelta(days=1)
    count = 0
    while day >= history.tracking_began and day_within_goal(history, day) is True:
        count += 1
        day -= timedelta(days=1)
    return count


@record
class ReduceSummary:
    """A reduce substance in its own terms, for a window [start, end] (docs/definitions.md §4)."""

    per: str
    start: date
    end: date
    use_days: int
    days_within_limit: int | None
    days_over_limit: int
    days_amount_unknown: int
    unrecorded_days: int
    periods: tuple[PeriodVerdict, ...]        # every week/month touching the window, judged whole up to end
                                              # (the latest `periods_kept` of them when that was given)
    periods_within_goal: int
    periods_over_goal: int
    periods_incomplete: int
    current: PeriodVerdict                    # the week/month containing `end`
    amount_this_period: float | None
    average_amount_previous_4: float | None   # mean amount of up to four tracked periods before it
    previous_periods: int                     # how many periods that mean is over
    streak_days: int


def reduce_summary(history: History, start: date, end: date, periods_from: date | None = None,
                   periods_kept: int | None = None) -> ReduceSummary:
    """Reduce-goal figures over the window [start, end]: its days, and every week or month that
    touches [periods_from (default start), end], each judged on all its tracked days up to `end`
    (a week cut by the window is judged whole). The counts of periods within, over and
    incomplete are over all of them; with `periods_kept`, `periods` holds only the latest that
    many (what a screen shows), the others are counted without being built."""
    per = history.limits.verdict_per
    states = [history.state(d) for d in dates_between(start, end)]
    first = max(periods_from or start, history.tracking_began)
    tally, periods = _period_pass(history, first, end, periods_kept)
    current = period_verdict(history, end, end)
    previous: list[PeriodVerdict] = []
    cursor = current.start - timedelta(days=1)
    while len(previous) < 4 and cursor >= history.tracking_began:
        p = period_verdict(history, cursor, end)
        previous.append(p)
        cursor = p.start - timedelta(days=1)
    amounts = [p.amount for p in previous if p.amount is not None]
    return ReduceSummary(
        per=per, start=start, end=end,
        use_days=sum(1 for s in states if s in USE_STATES),
        days_within_limit=(sum(1 for s in states if s == WITHIN_LIMIT)
                           if history.limits.daily_limit is not None else None),
        days_over_limit=sum(1 for s in states if s == OVER_LIMIT),
        days_amount_unknown=sum(1 for s in states if s == AMOUNT_NOT_RECORDED),
        unrecorded_days=sum(1 for s in states if s == NOT_RECORDED),
        periods=periods,
        periods_within_goal=tally[WITHIN], periods_over_goal=tally[OVER], periods_incomplete=tally[INCOMPLETE],
        current=current, amount_this_period=current.amount,
        average_amount_previous_4=round(sum(amounts) / len(amounts), 2) if amounts else None,
        previous_periods=len(amounts),
        streak_days=within_goal_streak(history, end))


def verdict_json(p: PeriodVerdict) -> dict:
    return {"start": p.start.isoformat(), "end": p.end.isoformat(), "counted_until": p.counted_until.isoformat(),
            "verdict": p.verdict, "complete": p.complete, "use_days": p.use_days,
            "days_within_limit": p.days_within_limit, "days_over_limit": p.days_over_limit,
            "days_amount_unknown": p.days_amount_unknown, "unrecorded_days": p.unrecorded_days,
            "amount": _num(p.amount)}


def reduce_json(r: ReduceSummary, periods: Sequence[PeriodVerdict] | None = None) -> dict:
    """The `reduce` object every JSON output carries for a reduce substance."""
    return {"per": r.per, "use_days": r.use_days, "days_within_limit": r.days_within_limit,
            "days_over_limit": r.days_over_limit, "days_amount_unknown": r.days_amount_unknown,
            "unrecorded_days": r.unrecorded_days,
            "periods_within_goal": r.periods_within_goal, "periods_over_goal": r.periods_over_goal,
            "periods_incomplete": r.periods_incomplete,
            "amount_this_period": _num(r.amount_this_period),
            "average_amount_previous_4": _num(r.average_amount_previous_4),
            "previous_periods": r.previous_periods, "streak_days": r.streak_days,
            "current": verdict_json(r.current),
            "periods": [verdict_json(p) for p in (r.periods if periods is None else periods)]}


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)
