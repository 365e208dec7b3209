"""The report screens' shortcuts against the rules they replace (docs/definitions.md §3):
month milestones by our own calendar arithmetic (dateutil's relativedelta is the reference),
and the screens that show milestones no longer importing dateutil."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from loaded_modules import loaded_modules
from recoverylog.reports import daystate as ds


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.integers(0, 12 * 10000))
def test_adding_months_is_relativedelta(day, months):
    try:
        expected: date | None = day + relativedelta(months=months)
    except (OverflowError, ValueError):
        expected = None
    try:
        got: date | None = ds.add_months(day, months)
    except (OverflowError, ValueError):
        got = None
    assert got == expected


@given(st.sampled_from([date(2024, 1, 31), date(2023, 1, 31), date(2000, 2, 29), date(1900, 1, 29),
                        date(2026, 8, 31), date(9999, 11, 30)]), st.integers(0, 30))
def test_adding_months_at_month_ends(day, months):
    try:
        expected: date | None = day + relativedelta(months=months)
    except ValueError:
        expected = None
    try:
        got: date | None = ds.add_months(day, months)
    except ValueError:
        got = None
    assert got == expected


def test_the_screens_with_milestones_leave_dateutil_unimported(tmp_path):
    """status, sobriety and report show milestones (months and years included) without dateutil."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_HOME=str(tmp_path / "data"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1", NO_COLOR="1")
    for argv in (["substance", "add", "alcohol", "--sober-since", "2024-01-31"],
                 ["checkin", "--mood", "6", "--craving", "2", "--sober", "--date", "2026-11-20"]):
        subprocess.run([sys.executable, "-m", "recoverylog", *argv], env=env, check=True, capture_output=True)
    for argv in (["status"], ["sobriety"], ["sobriety", "--json"], ["report", "--week"]):
        assert loaded_modules(env, argv, ("dateutil", "calendar", "recoverylog.reports.daystate")) == [
            "recoverylog.reports.daystate"], argv


# -- periods without use from day numbers ---------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 300), max_size=80), st.integers(-20, 320),
       st.one_of(st.none(), st.integers(-40, 320)), st.integers(-30, 320), st.sets(st.integers(0, 320)))
def test_periods_from_day_numbers_are_the_periods(uses, until, declared, began, recorded):
    base = date(2020, 1, 1)
    day = base.fromordinal
    use_dates = sorted(day(base.toordinal() + n) for n in uses)
    as_of = day(base.toordinal() + until)
    declared_last_use = None if declared is None else day(base.toordinal() + declared)
    tracking_began = day(base.toordinal() + began)
    index = ds.RecordedDates(day(base.toordinal() + n) for n in recorded | uses)
    notes = {d: f"n{d.day}" for d in use_dates[::3]}
    reference = ds.periods_without_use(use_dates, as_of, declared_last_use, tracking_began, index, notes)
    fast = ds.periods_without_use(use_dates, as_of, declared_last_use, tracking_began, index, notes,
                                  use_numbers=[d.toordinal() for d in use_dates])
    assert fast == reference


def test_a_report_reads_its_last_use_and_periods_as_the_rules_do():
    """substance_report hands the engine the uses' day numbers and only the latest use: the same
    last use and periods as the rules given every use (random histories of the column tests)."""
    from recoverylog.reports import sobriety
    from test_history_columns import as_of_dates, substance_histories

    @settings(max_examples=80, deadline=None)
    @given(substance_histories(), as_of_dates())
    def check(case, as_of):
        substance, rows = case
        history = ds.History.build({d: ds.UseDay(u, a, n) for d, u, a, n in rows}, substance.added_on,
                                   ds.Limits(substance.goal, substance.max_per_day, substance.max_days,
                                             substance.max_days_per),
                                   substance.declared_last_use, substance.archived_on)
        report = sobriety.substance_report(substance, (), as_of, history=history)
        use_dates = set(history.use_dates(as_of))      # a set: the rules' own sorting and checks
        began = history.tracking_began
        assert report.last_use == ds.last_use(use_dates, as_of, substance.declared_last_use, began)
        assert report.periods == tuple(ds.periods_without_use(
            use_dates, as_of, substance.declared_last_use, began, history.recorded(as_of), history.use_notes()))

    check()


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(0, 200), st.tuples(st.booleans(), st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5])),
                                                      st.one_of(st.none(), st.just("n"))), max_size=60),
       st.lists(st.integers(-5, 205), max_size=150))
def test_day_records_get_is_the_mapping_get(rows, lookups):
    """DayRecords.get answers as Mapping.get over its own records (before and after the lookups
    switch it to a dict index), for days with and without a record."""
    base = date(2020, 1, 1).toordinal()
    days = sorted(rows)
    records = ds.DayRecords([date.fromordinal(base + n) for n in days], [base + n for n in days],
                            [int(rows[n][0]) for n in days], [rows[n][1] for n in days],
                            {date.fromordinal(base + n): rows[n][2] for n in days if rows[n][0] and rows[n][2]})
    reference = dict(records.items())
    for n in lookups * 2:
        day = date.fromordinal(base + n)
        assert records.get(day) == reference.get(day)
        assert records.get(day, "none") == reference.get(day, "none")
    assert records.get("not a date") is None
