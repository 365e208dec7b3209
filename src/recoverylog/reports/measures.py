"""Window measures (docs/definitions.md §4–§5): pure functions over dates and values, no storage.

A window W = [d0, d1] has N days. Undefined values are None, never 0: a rate over
nothing is not a rate of zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from recoverylog.records import record

HIGH_CRAVING = 7        # craving ≥ 7: a display threshold, not a validated cut-off (docs/definitions.md §5)
INCOMPLETE_BELOW = 0.8  # rates over less than 80 % of the days are based on incomplete records
ROLLING_DAYS = 7


def __getattr__(name: str):
    """`UseDay` and `longest_run` are the engine's (one rule, named here too), imported on first
    use: the check-in's early warnings read `window_stats` and never load the engine."""
    if name in ("UseDay", "longest_run"):
        from recoverylog.reports import daystate

        return getattr(daystate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@record
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


TREND_MIN_DAYS = 7      # a trend needs at least 7 days with a value, spread over at least 7 days


def trend_reason(points: Iterable[tuple[date, float | None]]) -> str | None:
    """Why no trend is shown (None when one can be): too few days with a value, or too close together."""
    days = sorted({d for d, v in points if v is not None})
    if len(days) < TREND_MIN_DAYS:
        return f"too few days for a trend: {len(days)} with a value, {TREND_MIN_DAYS} needed"
    if (days[-1] - days[0]).days + 1 < TREND_MIN_DAYS:
        return f"too few days for a trend: the days with a value span less than {TREND_MIN_DAYS} days"
    return None


def trend_per_week(points: Iterable[tuple[date, float | None]]) -> float | None:
    """Least-squares slope of value against date, per week (7 × the slope per day).
    None unless at least 7 days have a value and they span at least 7 days
    (docs/definitions.md §5): a line through two check-ins is not a trend."""
    pts = [(d.toordinal(), v) for d, v in points if v is not None]
    if trend_reason((date.fromordinal(x), v) for x, v in pts) is not None:
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


def backfilled(pairs: Iterable[tuple[date, date]]) -> int:
    """Days filled in later: (date, recorded_on) pairs whose first write came after the date."""
    return sum(1 for day, recorded_on in pairs if recorded_on > day)


# -- substances: the states and verdicts live in the day-state engine ---------------------------

SOBER = "sober"
USED = "used"
WITHIN_GOAL = "within_goal"
UNRECORDED = "unrecorded"
NOT_TRACKED = "not_tracked"   # before tracking began or after the substance was archived


@record
class GoalPeriods:
    per: str            # 'week' | 'month'
    within: int         # every day recorded, use days ≤ the limit, no day over the daily limit
    over: int           # more use days than the limit, or a day over the daily limit
    incomplete: int     # not over, but some day unrecorded: cannot be called within goal


def continuous_days(last_use: date | None, as_of: date) -> int | None:
    """days(D) = D − last_use(D) (docs/definitions.md §3); None when there is no last use to count from."""
    if last_use is None:
        return None
    return (as_of - last_use).days
