"""Window measures (DOMAIN.md §5): pure functions over dates and values, no storage.

A window W = [d0, d1] has N days. Undefined values are None, never 0: a rate over
nothing is not a rate of zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

HIGH_CRAVING = 7        # a display threshold, not a validated cut-off (DOMAIN.md §5)
INCOMPLETE_BELOW = 0.8  # rates over less than 80 % of the days are based on incomplete records
ROLLING_DAYS = 7


@dataclass(frozen=True)
class WindowStats:
    mean: float | None
    min: float | None
    max: float | None
    days: int


def window_stats(values: Iterable[float | None]) -> WindowStats:
    """Mean, min and max over the days that have a value; `days` counts them."""
    present = [v for v in values if v is not None]
    if not present:
        return WindowStats(None, None, None, 0)
    return WindowStats(sum(present) / len(present), min(present), max(present), len(present))


def rolling_mean(series: Mapping[date, float], dates: Sequence[date],
                 window: int = ROLLING_DAYS) -> list[float | None]:
    """For each date, the mean of the values in the `window` days ending at it (days without
    a value are skipped); None when none of those days has a value."""
    out: list[float | None] = []
    for day in dates:
        inside = [series[d] for d in (day - timedelta(days=k) for k in range(window)) if d in series]
        out.append(sum(inside) / len(inside) if inside else None)
    return out


def trend_per_week(points: Iterable[tuple[date, float]]) -> float | None:
    """Least-squares slope of value against date, per week (7 × the slope per day).
    None with fewer than two distinct dates (no line can be fitted)."""
    pts = [(d.toordinal(), v) for d, v in points if v is not None]
    if len({x for x, _ in pts}) < 2:
        return None
    n = len(pts)
    mean_x = sum(x for x, _ in pts) / n
    mean_y = sum(y for _, y in pts) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in pts)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pts)
    return sxy / sxx * 7


def share(count: int, days: int) -> float:
    """count / days as a fraction 0–1 (0 for an empty window, which cannot happen for a period)."""
    return count / days if days > 0 else 0.0


def pda(recorded_days: int, use_days: int) -> float | None:
    """Percent days abstinent among recorded days, 0–100; None when nothing was recorded."""
    if recorded_days <= 0:
        return None
    return (recorded_days - use_days) / recorded_days * 100


def amount_per_use_day(amounts: Iterable[float | None]) -> float | None:
    """Total amount / use days with an amount (drinks per drinking day); None when no
    use day has an amount."""
    given = [a for a in amounts if a is not None]
    if not given:
        return None
    return sum(given) / len(given)


def heavy_days(amounts: Iterable[float | None], threshold: float) -> int:
    """Use days whose amount is at or over the heavy-day threshold."""
    return sum(1 for a in amounts if a is not None and a >= threshold)


def longest_run(dates: Iterable[date]) -> int:
    """The longest run of consecutive dates (e.g. the longest check-in streak inside a window)."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(dates)):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    return best


def backfilled(pairs: Iterable[tuple[date, date]]) -> int:
    """Days filled in later: (date, recorded_on) pairs whose first write came after the date."""
    return sum(1 for day, recorded_on in pairs if recorded_on > day)


# -- substances -------------------------------------------------------------

SOBER = "sober"
USED = "used"
WITHIN_GOAL = "within_goal"
UNRECORDED = "unrecorded"
NOT_TRACKED = "not_tracked"   # before tracking began or after the substance was archived


@dataclass(frozen=True)
class UseDay:
    """One recorded date of one substance."""

    used: bool
    amount: float | None = None


def day_within_goal(record: UseDay, max_per_day: float | None) -> bool:
    """A reduce-goal day is within goal when its amount is at most the max per day
    (a day without use always is; a use without a daily limit is)."""
    if not record.used:
        return True
    if max_per_day is None:
        return True
    return record.amount is not None and record.amount <= max_per_day


def day_state(record: UseDay | None, goal: str, max_per_day: float | None) -> str:
    if record is None:
        return UNRECORDED
    if not record.used:
        return SOBER
    if goal == "reduce" and day_within_goal(record, max_per_day):
        return WITHIN_GOAL
    return USED


def period_key(day: date, per: str) -> date:
    """The first day of the ISO week (Monday) or calendar month containing `day`."""
    if per == "week":
        return day - timedelta(days=day.weekday())
    if per == "month":
        return day.replace(day=1)
    raise ValueError(per)


@dataclass(frozen=True)
class GoalPeriods:
    per: str            # 'week' | 'month'
    within: int         # every day recorded and within goal, use days ≤ the limit
    over: int           # more use days than the limit, or a day over the daily limit
    incomplete: int     # not over, but some day unrecorded: cannot be called within goal


def within_goal_periods(records: Mapping[date, UseDay], dates: Sequence[date], per: str,
                        max_days: int | None, max_per_day: float | None) -> GoalPeriods:
    """Weeks (ISO, Monday first) or months touching `dates`, each judged on its days in `dates`
    (the report passes each whole period from its first day, up to the window's end):
    within goal when its use days ≤ max_days and every day is within goal."""
    groups: dict[date, list[date]] = {}
    for day in dates:
        groups.setdefault(period_key(day, per), []).append(day)
    within = over = incomplete = 0
    for days in groups.values():
        recs = [records.get(d) for d in days]
        use_days = sum(1 for r in recs if r is not None and r.used)
        day_over = any(r is not None and not day_within_goal(r, max_per_day) for r in recs)
        if day_over or (max_days is not None and use_days > max_days):
            over += 1
        elif any(r is None for r in recs):
            incomplete += 1
        else:
            within += 1
    return GoalPeriods(per, within, over, incomplete)


def continuous_days(last_use: date | None, as_of: date) -> int | None:
    """days(D) = D − last_use(D) (DOMAIN.md §4); None when there is no last use to count from."""
    if last_use is None:
        return None
    return (as_of - last_use).days
