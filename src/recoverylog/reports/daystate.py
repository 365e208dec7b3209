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
- `RecordedDates`: which dates hold a record (coverage), answered by bisection;
- `DayRecords`: a history read from the store, as columns (dates, day numbers, used, amounts):
  the passes over all of history (periods without use, the period verdicts) run on the columns
  with C-level maps and bisection, never one Python step or object per day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from itertools import compress, islice, repeat
from operator import add, and_, eq, lt, ne, not_, or_, sub

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
        self._numbers: list[int] | None = None

    @classmethod
    def from_sorted(cls, dates: list[date], numbers: list[int] | None = None) -> RecordedDates:
        """From dates already ascending and each once (not copied, not checked), and optionally
        their day numbers."""
        index = cls.__new__(cls)
        index.dates = dates
        index._numbers = numbers
        return index

    def numbers(self) -> list[int]:
        """The dates as day numbers (date.toordinal()), ascending."""
        if self._numbers is None:
            self._numbers = [d.toordinal() for d in self.dates]
        return self._numbers

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

_NO_USE = UseDay(False)


class DayRecords(Mapping[date, UseDay]):
    """date → UseDay over parallel columns (ascending dates, each once): what a history read
    from the store holds, without a dict entry or a UseDay per day. A UseDay is made when a day
    is looked up; `columns` hands the lists themselves to the passes over all of history."""

    __slots__ = ("days", "ordinals", "used", "amounts", "notes", "_index", "_lookups")

    def __init__(self, days: list[date], ordinals: list[int], used: Sequence[int],
                 amounts: Sequence[float | None], notes: Mapping[date, str | None]):
        self.days = days
        self.ordinals = ordinals
        self.used = used
        self.amounts = amounts
        self.notes = notes               # the uses with a note
        self._index: dict[date, int] | None = None
        self._lookups = 0

    def _position(self, day: object) -> int:
        index = self._index
        if index is None:
            self._lookups += 1
            if self._lookups > 64 + len(self.days) // 16:   # many (a long streak walked back): one dict
                index = self._index = dict(zip(self.days, range(len(self.days)), strict=True))
            else:
                days = self.days
                i = bisect_left(days, day) if isinstance(day, date) else len(days)
                return i if i < len(days) and days[i] == day else -1
        return index.get(day, -1)  # type: ignore[call-overload]

    def _record(self, i: int) -> UseDay:
        used, amount = self.used[i], self.amounts[i]
        if not used:
            return _NO_USE if amount is None else UseDay(False, amount)
        return UseDay(True, amount, self.notes.get(self.days[i]))

    def __getitem__(self, day: date) -> UseDay:
        i = self._position(day)
        if i < 0:
            raise KeyError(day)
        return self._record(i)

    def get(self, day: date, default: UseDay | None = None) -> UseDay | None:  # type: ignore[override]
        """Mapping.get without its KeyError round trip (a day with no record is the common miss)."""
        i = self._position(day)
        return default if i < 0 else self._record(i)

    def __contains__(self, day: object) -> bool:
        return self._position(day) >= 0

    def __iter__(self) -> Iterator[date]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)

    def values(self):
        return [self._record(i) for i in range(len(self.days))]

    def items(self):
        return list(zip(self.days, self.values(), strict=True))


@record
class History:
    """Everything recorded for one substance up to some date, and when tracking began.

    `records`: date → UseDay for every recorded date (a dict, or the store's `DayRecords`).
    `tracking_began`: the earlier of the day the substance was added and its first record.
    `archived_on`: days from it are not tracked."""

    records: Mapping[date, UseDay]
    tracking_began: date
    limits: Limits
    declared_last_use: date | None = None
    archived_on: date | None = None

    @classmethod
    def build(cls, records: Mapping[date, UseDay], added_on: date, limits: Limits,
              declared_last_use: date | None = None, archived_on: date | None = None) -> History:
        first = (records.days[0] if isinstance(records, DayRecords) else min(records)) if records else None
        began = added_on if first is None else min(added_on, first)
        return cls(records, began, limits, declared_last_use, archived_on)

    def sorted_days(self) -> tuple[list[date], list[int]]:
        """The recorded dates, ascending, and their day numbers (computed once per history)."""
        days, ordinals, _, _ = self.columns()
        return days, ordinals

    def columns(self) -> tuple[list[date], list[int], Sequence[int], Sequence[float | None]]:
        """The records as parallel columns in date order: dates, day numbers, used (truthy for a use), amounts
        (a store-read history holds them already; a dict of records is sorted once)."""
        found = self.__dict__.get("_columns")
        if found is None:
            records = self.records
            if isinstance(records, DayRecords):
                found = (records.days, records.ordinals, records.used, records.amounts)
            else:
                days = sorted(records)
                rows = [records[d] for d in days]
                found = (days, [d.toordinal() for d in days], [r.used for r in rows], [r.amount for r in rows])
            object.__setattr__(self, "_columns", found)
        return found

    def use_notes(self) -> Mapping[date, str | None]:
        """The notes of the uses, by date (a store-read history holds only those with a note)."""
        records = self.records
        if isinstance(records, DayRecords):
            return records.notes
        return {d: r.note for d, r in records.items() if r.used}

    def tracked(self, day: date) -> bool:
        return day >= self.tracking_began and (self.archived_on is None or day < self.archived_on)

    def state(self, day: date) -> str:
        return classify(self.records.get(day), self.limits, self.tracked(day))

    def use_dates(self, until: date) -> list[date]:
        days, _, used, _ = self.columns()
        j = bisect_right(days, until)
        return list(compress(days[:j], used[:j]))

    def recorded(self, until: date) -> RecordedDates:
        days, ordinals = self.sorted_days()
        j = bisect_right(days, until)
        return RecordedDates.from_sorted(days[:j], ordinals[:j])


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


def _ascending_upto(use_dates: Iterable[date], as_of: date) -> list[date] | None:
    """The uses up to as_of when `use_dates` is a list already strictly ascending (what a history's
    columns give), found by bisection; None otherwise (then the caller sorts a set)."""
    if not isinstance(use_dates, list) or not all(map(lt, use_dates, islice(use_dates, 1, None))):
        return None
    return use_dates[:bisect_right(use_dates, as_of)]


def anchors(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
            tracking_began: date) -> list[date]:
    """Every use up to as_of and the start anchor, ascending: the dates continuous time starts from."""
    start, _ = start_anchor(declared_last_use, tracking_began)
    ordered = _ascending_upto(use_dates, as_of)
    if ordered is not None:
        if start <= as_of:
            i = bisect_left(ordered, start)
            if i == len(ordered) or ordered[i] != start:
                ordered.insert(i, start)
        return ordered
    found = {d for d in use_dates if d <= as_of}
    if start <= as_of:
        found.add(start)
    return sorted(found)


def last_use(use_dates: Iterable[date], as_of: date, declared_last_use: date | None,
             tracking_began: date) -> date | None:
    """The latest of `anchors` (without sorting them all): the last use up to as_of, else the start."""
    start, _ = start_anchor(declared_last_use, tracking_began)
    ordered = _ascending_upto(use_dates, as_of)
    if ordered is not None:
        latest = ordered[-1] if ordered else None
    else:
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
                        notes: Mapping[date, str | None] | None = None,
                        use_numbers: Sequence[int] | None = None) -> list[PeriodWithoutUse]:
    """Completed periods (zero-length ones left out), then the current one if it has a day.
    Gaps are listed too (`gap` is True); they count for neither the longest nor averages.
    `use_numbers`: the day numbers of `use_dates` when those are ascending, each once (a history's
    columns give both), so that the anchors are found without sorting, checking or converting them."""
    notes = {} if notes is None else notes
    start, declared = start_anchor(declared_last_use, tracking_began)
    if use_numbers is None:
        points = anchors(use_dates, as_of, declared_last_use, tracking_began)
        numbers = list(map(date.toordinal, points))
    else:
        upto = bisect_right(use_numbers, as_of.toordinal())
        points, numbers = list(use_dates[:upto]), list(use_numbers[:upto])
        if start <= as_of:      # the start anchor, as `anchors` adds it
            first = start.toordinal()
            i = bisect_left(numbers, first)
            if i == len(numbers) or numbers[i] != first:
                points.insert(i, start)
                numbers.insert(i, first)
    out: list[PeriodWithoutUse] = []
    # Consecutive anchors more than a day apart, found on day numbers by C-level maps.
    apart = compress(range(len(numbers) - 1), map(lt, repeat(1), map(sub, islice(numbers, 1, None), numbers)))
    # `_period` for each of them, on day numbers (the same arithmetic, by C-level maps).
    starts = list(apart)
    firsts = list(map(add, map(numbers.__getitem__, starts), repeat(1)))
    lasts = list(map(sub, map(numbers.__getitem__, map(add, starts, repeat(1))), repeat(1)))
    recorded_numbers = recorded.numbers()
    counts = list(map(sub, map(bisect_right, repeat(recorded_numbers), lasts),
                      map(bisect_left, repeat(recorded_numbers), firsts)))
    began = tracking_began.toordinal()
    tracked = map(add, map(max, repeat(-1), map(sub, lasts, map(max, firsts, repeat(began)))), repeat(1))
    unrecorded = map(sub, tracked, counts)
    ends = list(map(points.__getitem__, map(add, starts, repeat(1))))
    # Only the period that begins at a declared start anchor counts declared days.
    from_start = [False] * len(starts)
    declared_days = [0] * len(starts)
    at = bisect_left(points, start)
    k = bisect_left(starts, at)
    if declared and at < len(points) and points[at] == start and k < len(starts) and starts[k] == at:
        from_start[k] = True
        declared_days[k] = max(0, min(lasts[k], began - 1) - firsts[k] + 1)
    gaps = map(and_, map(eq, counts, repeat(0)), map(eq, declared_days, repeat(0)))
    fromord = date.fromordinal
    out.extend(map(PeriodWithoutUse, map(fromord, firsts), map(fromord, lasts),
                   map(add, map(sub, lasts, firsts), repeat(1)), ends, map(notes.get, ends),
                   from_start, counts, unrecorded, declared_days, gaps))
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


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` calendar months later, or that month's last day when
    it is shorter (31 Jan + 1 month = the end of February): dateutil's `day + relativedelta(months=n)`
    for n ≥ 0 (a test compares the two), without importing dateutil and its calendar module.
    ValueError past the year 9999."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    last = _MONTH_DAYS[month0]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month, min(day.day, last))


def milestone_schedule(last: date) -> Iterator[Milestone]:
    """Every milestone of a period that began after `last`, in date order, without end.
    Day milestones fall on last_use + N days; month milestones on sobriety_date + N calendar
    months (31 Jan + 1 month = the end of February)."""
    for n, label in DAY_MILESTONES:
        yield Milestone(label, last + timedelta(days=n))
    sobriety = last + timedelta(days=1)
    for n, label in MONTH_MILESTONES:
        yield Milestone(label, add_months(sobriety, n))
    years = 2
    while True:
        try:
            when = add_months(sobriety, 12 * years)
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
    _, ordinals, used_col, amount_col = history.columns()
    i = bisect_left(ordinals, lo_n)
    j = bisect_right(ordinals, end_n)
    numbers = ordinals[i:j]
    used_flags = used_col[i:j]
    # Per period, counts of sorted day numbers by bisection at the period starts (the periods
    # are consecutive, the last one cut at `end`): no loop over the records themselves.
    record_cuts = _cuts(numbers, starts)
    recorded = _counts(record_cuts)
    t0 = bisect_left(numbers, track_lo)
    t1 = len(numbers) if archived is None else bisect_left(numbers, archived)
    recorded_tracked = recorded if (t0, t1) == (0, len(numbers)) else _counts(_cuts(numbers[t0:max(t0, t1)], starts))
    use_numbers = list(compress(numbers, used_flags))
    uses = _counts(_cuts(use_numbers, starts))
    no_use = list(map(sub, recorded, uses))
    zeros = [0] * n
    within, over, unknown = zeros, zeros, zeros
    if daily is not None:
        # The state of each use (`classify`, the one rule), decided once per distinct amount.
        use_amounts = list(compress(amount_col[i:j], used_flags))
        state_of = {a: classify(UseDay(True, a), limits) for a in set(use_amounts)}
        states = list(map(state_of.__getitem__, use_amounts))
        present = sorted(set(states), key=states.count)      # the most frequent last
        by_state = {}
        rest = uses
        for state in present[:-1]:
            by_state[state] = _counts(_cuts(list(compress(use_numbers, map(eq, states, repeat(state)))), starts))
            rest = list(map(sub, rest, by_state[state]))
        if present:
            by_state[present[-1]] = rest          # every use has one state: the uses left
        within = by_state.get(WITHIN_LIMIT, zeros)
        over = by_state.get(OVER_LIMIT, zeros)
        unknown = by_state.get(AMOUNT_NOT_RECORDED, zeros)
    # Each period's verdict (over: a day over the daily limit or more use days than allowed;
    # else incomplete: a tracked day not recorded; else within), over all periods by C-level maps.
    max_days = limits.max_days
    untils = stops[:]
    untils[-1] = min(untils[-1], end_n)
    his = untils if archived is None else list(map(min, untils, repeat(archived - 1)))
    spans = map(sub, his, map(max, starts, repeat(track_lo)))          # tracked days − 1 (or less)
    tracked = map(add, map(max, repeat(-1), spans), repeat(1))
    unrecorded_days = list(map(sub, tracked, recorded_tracked))
    over_flags = list(map(lt, repeat(0), over))
    if max_days is not None:
        over_flags = list(map(or_, over_flags, map(lt, repeat(max_days), uses)))
    tally[OVER] = sum(over_flags)
    tally[INCOMPLETE] = sum(map(and_, map(not_, over_flags), map(ne, unrecorded_days, repeat(0))))
    tally[WITHIN] = n - tally[OVER] - tally[INCOMPLETE]
    out: list[PeriodVerdict] = []
    fromord = date.fromordinal
    build_from = 0 if last is None else max(0, n - last)
    for k in range(build_from, n):
        start, stop, until = starts[k], stops[k], untils[k]
        unrecorded = unrecorded_days[k]
        use_days = uses[k]
        verdict = OVER if over_flags[k] else (INCOMPLETE if unrecorded else WITHIN)
        total: float = 0        # the amounts recorded for its uses, added in date order
        with_amount = 0
        for x in range(i + record_cuts[k], i + record_cuts[k + 1]):
            amount = amount_col[x]
            if used_col[x] and amount is not None:
                total += amount
                with_amount += 1
        out.append(PeriodVerdict(
            per=per, start=fromord(start), end=fromord(stop), counted_until=fromord(until), use_days=use_days,
            days_within_limit=within[k] if daily is not None else None,
            days_over_limit=over[k], days_amount_unknown=unknown[k],
            no_use_days=no_use[k], unrecorded_days=unrecorded, tracked_days=recorded[k] + unrecorded,
            amount=total if with_amount else (0.0 if use_days == 0 else None),
            max_days=max_days, verdict=verdict))
    return tally, tuple(out)


def _cuts(numbers: list[int], starts: list[int]) -> list[int]:
    """Where each period begins in `numbers` (ascending), and its length at the end."""
    cuts = list(map(bisect_left, repeat(numbers), starts))
    cuts.append(len(numbers))
    return cuts


def _counts(cuts: list[int]) -> list[int]:
    """How many numbers fall in each period, from `_cuts`."""
    return list(map(sub, islice(cuts, 1, None), cuts))


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
