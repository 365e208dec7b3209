"""Window measures (DOMAIN.md §5) on hand-built fixtures with known answers, and their properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverylog.reports import daystate as ds
from recoverylog.reports import measures as m

D = date(2024, 2, 26)  # a Monday, three days before a leap day


def test_window_stats_known_answer():
    stats = m.window_stats([4, None, 8, 6])
    assert (stats.mean, stats.min, stats.max, stats.days) == (6, 4, 8, 3)


def test_window_stats_empty_is_undefined_not_zero():
    assert m.window_stats([None, None]) == m.WindowStats(None, None, None, 0)


def test_pda_and_coverage():
    assert m.pda(10, 1) == 90
    assert m.pda(0, 0) is None  # no record: undefined, never 0
    assert m.share(5, 7) == pytest.approx(0.714, abs=1e-3)


def test_amount_per_use_day_counts_only_days_with_an_amount():
    assert m.amount_per_use_day([3, None, 5]) == 4
    assert m.amount_per_use_day([None]) is None
    assert m.amount_per_use_day([]) is None


def test_heavy_days_threshold_is_inclusive():
    assert m.heavy_days([4, 5, 6.5, None], 5) == 2
    assert m.heavy_days([4, 5], 4) == 2


def test_trend_per_week_of_a_line():
    points = [(D + timedelta(days=i), 2 + i * 0.5) for i in range(7)]
    assert m.trend_per_week(points) == pytest.approx(3.5)
    assert m.trend_reason(points) is None
    assert m.trend_per_week([(D, 5)]) is None
    assert m.trend_per_week([]) is None


def test_trend_needs_seven_days_with_a_value_spread_over_seven_days():
    six = [(D + timedelta(days=i), float(i)) for i in range(6)]
    assert m.trend_per_week(six) is None and "6 with a value" in m.trend_reason(six)
    seven = six + [(D + timedelta(days=6), 6.0)]
    assert m.trend_per_week(seven) == pytest.approx(7)
    # Seven values on six days: still six days.
    doubled = six + [(D + timedelta(days=5), 5.0)]
    assert m.trend_per_week(doubled) is None
    # Days without a value do not count toward the seven.
    with_gaps = seven[:6] + [(D + timedelta(days=6), None)]
    assert m.trend_per_week(with_gaps) is None
    # Seven days spread over more than seven calendar days are enough.
    spread = [(D + timedelta(days=2 * i), float(i)) for i in range(7)]
    assert m.trend_per_week(spread) == pytest.approx(3.5)


def test_trend_crosses_leap_day_by_calendar_days():
    # 26 Feb → 3 Mar 2024 is seven days (29 Feb included), not six.
    points = [(date(2024, 2, 26) + timedelta(days=i), float(i)) for i in range(7)]
    assert points[-1][0] == date(2024, 3, 3)
    assert m.trend_per_week(points) == pytest.approx(7)


def test_rolling_mean_skips_days_without_value():
    series = {D: 2.0, D + timedelta(days=2): 4.0, D + timedelta(days=9): 10.0}
    days = [D + timedelta(days=i) for i in range(10)]
    out = m.rolling_mean(series, days)
    assert out[0] == 2 and out[2] == 3 and out[6] == 3
    assert out[7] == 4      # D has left the 7-day window
    assert out[8] == 4      # D+2 is still inside the 7 days ending at D+8
    assert out[9] == 10     # D+2 has left; only D+9 remains
    assert m.rolling_mean(series, [D + timedelta(days=30)]) == [None]


def test_longest_run_and_backfilled():
    dates = [D, D + timedelta(days=1), D + timedelta(days=3), D + timedelta(days=4), D + timedelta(days=5)]
    assert m.longest_run(dates) == 3
    assert m.longest_run([]) == 0
    assert m.backfilled([(D, D), (D, D + timedelta(days=1))]) == 1


def test_day_states_for_goals():
    abstain, reduce = ds.Limits("abstain"), ds.Limits("reduce", max_per_day=2)
    assert ds.classify(None, abstain) == ds.NOT_RECORDED
    assert ds.classify(None, abstain, tracked=False) == ds.NOT_TRACKED
    assert ds.classify(ds.UseDay(False), abstain) == ds.NO_USE
    assert ds.classify(ds.UseDay(True, 2), abstain) == ds.USED
    assert ds.classify(ds.UseDay(True, 2), reduce) == ds.WITHIN_LIMIT     # at the limit: within
    assert ds.classify(ds.UseDay(True, 3), reduce) == ds.OVER_LIMIT
    assert ds.classify(ds.UseDay(True, None), reduce) == ds.AMOUNT_NOT_RECORDED
    assert ds.legacy_name(ds.AMOUNT_NOT_RECORDED, reduce) == m.USED      # never shown as within
    assert ds.legacy_name(ds.WITHIN_LIMIT, reduce) == m.WITHIN_GOAL


def _history(records, limits, began=D):
    return ds.History(records, began, limits)


def _weeks(history, days, per="week"):
    return ds.reduce_summary(history, days[0], days[-1])


def test_within_goal_weeks():
    # Two ISO weeks: Mon 26 Feb – Sun 3 Mar 2024 (over the leap day) and Mon 4 – Sun 10 Mar.
    days = [D + timedelta(days=i) for i in range(14)]
    records = {d: ds.UseDay(False) for d in days}
    records[D] = ds.UseDay(True, 2)                       # week 1: two use days within the daily limit
    records[D + timedelta(days=3)] = ds.UseDay(True, 1)   # 29 Feb
    records[D + timedelta(days=7)] = ds.UseDay(True, 1)   # week 2: three use days: over max_days
    records[D + timedelta(days=8)] = ds.UseDay(True, 1)
    records[D + timedelta(days=9)] = ds.UseDay(True, 1)
    limits = ds.Limits("reduce", max_per_day=2, max_days=2, per="week")
    result = _weeks(_history(records, limits), days)
    assert [p.verdict for p in result.periods] == [ds.WITHIN, ds.OVER]
    del records[D + timedelta(days=1)]                   # an unrecorded day in week 1
    result = _weeks(_history(records, limits), days)
    assert [p.verdict for p in result.periods] == [ds.INCOMPLETE, ds.OVER]
    records[D + timedelta(days=2)] = ds.UseDay(True, 3)   # a day over the daily limit outranks unrecorded
    result = _weeks(_history(records, ds.Limits("reduce", max_per_day=2, max_days=5, per="week")), days)
    assert [p.verdict for p in result.periods] == [ds.OVER, ds.WITHIN]


def test_a_use_with_no_amount_is_neither_within_nor_over_its_week():
    days = [D + timedelta(days=i) for i in range(7)]
    records = {d: ds.UseDay(False) for d in days}
    records[D + timedelta(days=2)] = ds.UseDay(True, None)
    result = _weeks(_history(records, ds.Limits("reduce", max_per_day=3, max_days=3, per="week")), days)
    (week,) = result.periods
    assert (week.verdict, week.use_days, week.days_within_limit, week.days_amount_unknown) == (ds.WITHIN, 1, 0, 1)


def test_within_goal_months_across_year_end():
    days = [date(2025, 12, 30) + timedelta(days=i) for i in range(4)]
    records = {d: ds.UseDay(False) for d in days}
    result = _weeks(_history(records, ds.Limits("reduce", max_days=1, per="month"), began=days[0]), days)
    assert [(p.start, p.end, p.verdict) for p in result.periods] == [
        (date(2025, 12, 1), date(2025, 12, 31), ds.WITHIN), (date(2026, 1, 1), date(2026, 1, 31), ds.WITHIN)]


def test_period_bounds_at_month_and_year_ends():
    assert ds.period_bounds(date(2026, 12, 31), "month") == (date(2026, 12, 1), date(2026, 12, 31))
    assert ds.period_bounds(date(2026, 12, 1), "month") == (date(2026, 12, 1), date(2026, 12, 31))
    assert ds.period_bounds(date(2024, 2, 29), "month") == (date(2024, 2, 1), date(2024, 2, 29))
    # The ISO week of Thu 31 Dec 2026 runs Mon 28 Dec – Sun 3 Jan 2027.
    assert ds.period_bounds(date(2026, 12, 31), "week") == (date(2026, 12, 28), date(2027, 1, 3))
    assert ds.period_bounds(date(2026, 12, 31), "week", "sunday") == (date(2026, 12, 27), date(2027, 1, 2))


def test_continuous_days():
    assert m.continuous_days(date(2026, 1, 1), date(2026, 1, 2)) == 1
    assert m.continuous_days(None, date(2026, 1, 2)) is None


# -- properties ----------------------------------------------------------------

values = st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=60)


@given(values)
def test_stats_bounds(vals):
    stats = m.window_stats(vals)
    present = [v for v in vals if v is not None]
    assert stats.days == len(present)
    if present:
        assert stats.min <= stats.mean <= stats.max
    else:
        assert stats.mean is None and stats.min is None


@given(st.integers(0, 400), st.integers(0, 400))
def test_pda_is_a_percentage(recorded, used):
    used = min(used, recorded)
    value = m.pda(recorded, used)
    if recorded == 0:
        assert value is None
    else:
        assert 0 <= value <= 100
        assert (value == 100) == (used == 0)


@given(st.floats(-5, 5, allow_nan=False), st.floats(-10, 10, allow_nan=False),
       st.lists(st.integers(0, 400), min_size=2, max_size=30, unique=True))
def test_trend_recovers_a_line(slope, intercept, offsets):
    points = [(D + timedelta(days=o), intercept + slope * o) for o in offsets]
    if len(offsets) < 7 or max(offsets) - min(offsets) < 6:
        assert m.trend_per_week(points) is None and m.trend_reason(points)
    else:
        assert m.trend_per_week(points) == pytest.approx(slope * 7, abs=1e-6)


@given(st.sets(st.integers(0, 60), max_size=40))
def test_longest_run_bounds(offsets):
    dates = [D + timedelta(days=o) for o in offsets]
    run = m.longest_run(dates)
    assert 0 <= run <= len(offsets)
    assert (run == 0) == (not offsets)
    if run:
        # Some run of `run` consecutive days is present, and none longer.
        assert any(all(o + k in offsets for k in range(run)) for o in offsets)
        assert not any(all(o + k in offsets for k in range(run + 1)) for o in offsets)


@given(st.lists(st.one_of(st.none(), st.booleans()), min_size=1, max_size=70),
       st.integers(0, 7), st.sampled_from(["week", "month"]))
def test_goal_periods_partition_the_periods(pattern, max_days, per):
    start = date(2024, 1, 29)
    days = [start + timedelta(days=i) for i in range(len(pattern))]
    records = {d: ds.UseDay(bool(p), 1) for d, p in zip(days, pattern, strict=True) if p is not None}
    result = ds.reduce_summary(ds.History(records, start, ds.Limits("reduce", max_days=max_days, per=per)),
                               days[0], days[-1])
    periods = {ds.period_start(d, per) for d in days}
    assert result.periods_within_goal + result.periods_over_goal + result.periods_incomplete == len(periods)
    for p in result.periods:
        assert p.use_days + p.no_use_days + p.unrecorded_days == p.tracked_days


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=40))
def test_rolling_mean_within_range(vals):
    days = [D + timedelta(days=i) for i in range(len(vals))]
    series = {d: v for d, v in zip(days, vals, strict=True) if v is not None}
    for value in m.rolling_mean(series, days):
        assert value is None or 0 <= value <= 10
