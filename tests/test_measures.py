"""Window measures (DOMAIN.md §5) on hand-built fixtures with known answers, and their properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    points = [(D + timedelta(days=i), 2 + i * 0.5) for i in range(6)]
    assert m.trend_per_week(points) == pytest.approx(3.5)
    assert m.trend_per_week([(D, 5)]) is None
    assert m.trend_per_week([]) is None


def test_trend_crosses_leap_day_by_calendar_days():
    # 28 Feb → 1 Mar 2024 is two days, not one.
    assert m.trend_per_week([(date(2024, 2, 28), 0), (date(2024, 3, 1), 2)]) == pytest.approx(7)


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
    assert m.day_state(None, "abstain", None) == m.UNRECORDED
    assert m.day_state(m.UseDay(False), "abstain", None) == m.SOBER
    assert m.day_state(m.UseDay(True, 2), "abstain", None) == m.USED
    assert m.day_state(m.UseDay(True, 2), "reduce", 2) == m.WITHIN_GOAL
    assert m.day_state(m.UseDay(True, 3), "reduce", 2) == m.USED
    assert m.day_state(m.UseDay(True, None), "reduce", 2) == m.USED  # amount unknown: not shown as within


def test_within_goal_weeks():
    # Two ISO weeks: Mon 26 Feb – Sun 3 Mar 2024 (over the leap day) and Mon 4 – Sun 10 Mar.
    days = [D + timedelta(days=i) for i in range(14)]
    records = {d: m.UseDay(False) for d in days}
    records[D] = m.UseDay(True, 2)                       # week 1: two use days within the daily limit
    records[D + timedelta(days=3)] = m.UseDay(True, 1)   # 29 Feb
    records[D + timedelta(days=7)] = m.UseDay(True, 1)   # week 2: three use days: over max_days
    records[D + timedelta(days=8)] = m.UseDay(True, 1)
    records[D + timedelta(days=9)] = m.UseDay(True, 1)
    result = m.within_goal_periods(records, days, "week", max_days=2, max_per_day=2)
    assert (result.within, result.over, result.incomplete) == (1, 1, 0)
    del records[D + timedelta(days=1)]                   # an unrecorded day in week 1
    result = m.within_goal_periods(records, days, "week", max_days=2, max_per_day=2)
    assert (result.within, result.over, result.incomplete) == (0, 1, 1)
    records[D + timedelta(days=2)] = m.UseDay(True, 3)   # a day over the daily limit outranks unrecorded
    result = m.within_goal_periods(records, days, "week", max_days=5, max_per_day=2)
    assert (result.within, result.over, result.incomplete) == (1, 1, 0)


def test_within_goal_months_across_year_end():
    days = [date(2025, 12, 30) + timedelta(days=i) for i in range(4)]
    records = {d: m.UseDay(False) for d in days}
    result = m.within_goal_periods(records, days, "month", max_days=1, max_per_day=None)
    assert (result.per, result.within, result.over) == ("month", 2, 0)


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
    records = {d: m.UseDay(bool(p), 1) for d, p in zip(days, pattern) if p is not None}
    result = m.within_goal_periods(records, days, per, max_days, None)
    periods = {m.period_key(d, per) for d in days}
    assert result.within + result.over + result.incomplete == len(periods)


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=40))
def test_rolling_mean_within_range(vals):
    days = [D + timedelta(days=i) for i in range(len(vals))]
    series = {d: v for d, v in zip(days, vals) if v is not None}
    for value in m.rolling_mean(series, days):
        assert value is None or 0 <= value <= 10
