"""Pure arithmetic of continuous time, periods, milestones and reduce goals (reports/sobriety.py)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.reports import daystate as ds
from recoverylog.reports import sobriety as s
from recoverylog.reports.sobriety import DayRecord


@dataclass(frozen=True)
class Sub:
    name: str = "alcohol"
    unit: str = "drinks"
    goal: str = "abstain"
    max_per_day: float | None = None
    max_days: int | None = None
    max_days_per: str | None = None
    declared_last_use: date | None = None
    milestones: bool | None = None
    added_on: date = date(2026, 1, 1)
    archived_on: date | None = None

    def active_on(self, day):
        return self.archived_on is None or self.archived_on > day


D = date.fromisoformat


# -- examples -----------------------------------------------------------------------

def test_days_and_sobriety_date_follow_the_definition():
    # Last use 1 Jan -> on 2 Jan, 1 day; sobriety date 2 Jan.
    rep = s.substance_report(Sub(added_on=D("2026-01-01")), [DayRecord(D("2026-01-01"), True, 2.0)], D("2026-01-02"))
    assert (rep.last_use, rep.sobriety_date, rep.days) == (D("2026-01-01"), D("2026-01-02"), 1)


def test_sober_since_is_declared_last_use_minus_one_and_declared_days_are_neither_sober_nor_unrecorded():
    sub = Sub(added_on=D("2026-11-01"), declared_last_use=D("2026-10-01"))
    records = [DayRecord(D("2026-11-01") + timedelta(days=i), False) for i in range(0, 10, 2)]  # 5 of 10 days
    rep = s.substance_report(sub, records, D("2026-11-10"))
    assert rep.days == 40
    assert rep.sober_days == 5 and rep.recorded_days == 5
    assert rep.unrecorded_days == 5  # 1..10 Nov minus the 5 recorded; October's declared days not counted
    assert rep.periods == (s.Period(D("2026-10-02"), None, 40, declared=True, recorded_days=5, unrecorded_days=5,
                                    declared_days=30),)


def test_lapse_in_the_middle_keeps_the_earned_period_and_longest():
    sub = Sub(added_on=D("2026-01-01"))
    records = [DayRecord(D("2026-01-01") + timedelta(days=i), False) for i in range(60)]
    records[45] = DayRecord(records[45].date, True, 4.0, "a wedding")  # 15 Feb
    rep = s.substance_report(sub, records, D("2026-03-01"))
    assert rep.use_days == 1 and rep.sober_days == 59 and rep.recorded_days == 60
    first, current = rep.periods
    assert (first.start, first.end, first.days, first.note) == (D("2026-01-01"), D("2026-02-14"), 45, "a wedding")
    assert (current.start, current.end, current.days) == (D("2026-02-16"), None, 14)
    assert rep.longest_days == 45 and rep.days == 14
    assert rep.next_milestone == s.NextMilestone("30 days", D("2026-03-17"), 16)
    assert [m.label for m in rep.milestones_reached] == ["24 hours"]


def test_two_uses_on_consecutive_days_make_no_zero_length_period():
    sub = Sub(added_on=D("2026-03-01"))
    uses = [DayRecord(D("2026-03-10"), True), DayRecord(D("2026-03-11"), True)]
    rep = s.substance_report(sub, uses, D("2026-03-13"))
    assert [(p.start, p.end, p.days) for p in rep.periods] == [
        (D("2026-03-01"), D("2026-03-09"), 9), (D("2026-03-12"), None, 2)]
    assert rep.last_use == D("2026-03-11") and rep.days == 2


def test_used_today_lists_no_current_period_but_keeps_history():
    sub = Sub(added_on=D("2026-03-01"))
    rep = s.substance_report(sub, [DayRecord(D("2026-03-02"), False), DayRecord(D("2026-03-10"), True)],
                             D("2026-03-10"))
    assert rep.days == 0 and [p.days for p in rep.periods] == [9] and rep.longest_days == 9


def test_a_stretch_with_no_recorded_day_is_a_gap_not_a_period():
    # 1–9 Mar: nothing recorded; use on 10 Mar. The 9 days are a gap: no longest, no average.
    sub = Sub(added_on=D("2026-03-01"))
    rep = s.substance_report(sub, [DayRecord(D("2026-03-10"), True)], D("2026-03-10"))
    (gap,) = rep.periods
    assert (gap.days, gap.gap, gap.recorded_days, gap.unrecorded_days) == (9, True, 0, 9)
    assert rep.longest_days == 0 and rep.average_recent_periods is None and rep.gaps == 1


def test_records_after_as_of_are_ignored():
    sub = Sub(added_on=D("2026-01-01"))
    records = [DayRecord(D("2026-01-05"), False), DayRecord(D("2026-02-01"), True)]
    rep = s.substance_report(sub, records, D("2026-01-20"))
    assert rep.use_days == 0 and rep.recorded_days == 1 and rep.days == 20


def test_month_milestones_use_calendar_months_from_the_sobriety_date():
    # Sobriety date 31 Aug 2027 -> 6 months = 29 Feb 2028 (leap year), 1 year = 31 Aug 2028.
    last = D("2027-08-30")
    schedule = {m.label: m.date for m in s.milestone_schedule(last) if m.date.year < 2031}
    assert schedule["24 hours"] == D("2027-08-31")
    assert schedule["90 days"] == D("2027-11-28")
    assert schedule["6 months"] == D("2028-02-29")
    assert schedule["9 months"] == D("2028-05-31")
    assert schedule["1 year"] == D("2028-08-31")
    assert schedule["18 months"] == D("2029-02-28")
    assert schedule["2 years"] == D("2029-08-31")


def test_leap_day_sobriety_date_one_year_is_28_february():
    schedule = {m.label: m.date for m in s.milestone_schedule(D("2028-02-28")) if m.date.year < 2031}
    assert schedule["1 year"] == D("2029-02-28")
    assert schedule["6 months"] == D("2028-08-29")


def test_milestones_reached_and_next_on_the_day():
    reached, nxt = s.milestones(D("2026-01-01"), D("2026-01-31"))
    assert [m.label for m in reached] == ["24 hours", "30 days"]
    assert nxt == s.NextMilestone("60 days", D("2026-03-02"), 30)


def test_year_labels():
    labels = [m.label for m in s.milestone_schedule(D("2020-01-01"))][:11]
    assert labels == ["24 hours", "30 days", "60 days", "90 days", "6 months", "9 months", "1 year",
                      "18 months", "2 years", "3 years", "4 years"]


def test_milestones_switches():
    assert s.milestones_enabled("abstain", None, True)
    assert not s.milestones_enabled("reduce", None, True)
    assert s.milestones_enabled("reduce", True, True)
    assert not s.milestones_enabled("abstain", True, False)
    assert not s.milestones_enabled("abstain", False, True)


def test_monitor_has_no_days_or_milestones():
    rep = s.substance_report(Sub(goal="monitor"), [DayRecord(D("2026-01-03"), True, 2.0)], D("2026-01-10"))
    assert rep.days is None and rep.sobriety_date is None and rep.next_milestone is None
    assert rep.milestones_reached == () and rep.use_days == 1 and rep.days_since_last_use == 7


def test_average_of_the_last_three_completed_periods():
    sub = Sub(added_on=D("2026-01-01"))
    uses = [DayRecord(D(x), True) for x in ("2026-01-11", "2026-01-22", "2026-02-03", "2026-02-20")]
    # One recorded day without use in each period: none of them is a gap.
    sober = [DayRecord(D(x), False) for x in ("2026-01-05", "2026-01-15", "2026-01-30", "2026-02-10", "2026-02-25")]
    rep = s.substance_report(sub, sorted(uses + sober, key=lambda r: r.date), D("2026-03-01"))
    assert [p.days for p in rep.periods] == [10, 10, 11, 16, 9]
    assert rep.average_recent_periods == round((10 + 11 + 16) / 3, 1)


# -- reduce goals ----------------------------------------------------------------------

def week(start: str, amounts: list[float | None]) -> list[DayRecord]:
    first = D(start)
    return [DayRecord(first + timedelta(days=i), a is not None, a) for i, a in enumerate(amounts)]


def test_reduce_week_within_its_limits():
    # Mon 16 – Sat 21 Nov 2026: 2 use days, each at most 3 drinks.
    records = week("2026-11-16", [None, 2, None, None, 3, None])
    p = s.reduce_progress(records, D("2026-11-21"), 3, 3, "week")
    assert (p.use_days, p.use_days_left, p.within_goal, p.days_over_daily_limit) == (2, 1, True, 0)
    assert p.streak_days == 6 and p.window_start == D("2026-11-16") and p.window_end == D("2026-11-22")


def test_reduce_week_over_its_limits():
    records = week("2026-11-16", [1, 2, None, 5, 1, None])
    p = s.reduce_progress(records, D("2026-11-21"), 3, 3, "week")
    assert p.use_days == 4 and not p.within_goal and p.days_over_daily_limit == 1 and p.use_days_left == 0
    verdicts = [d.within for d in p.use_days_detail]
    assert verdicts == [True, True, False, False]  # 5 drinks over the daily limit; the 4th use day over the week's
    assert p.streak_days == 1  # only Saturday (no use) since


def test_reduce_month_counts_use_days_from_the_first():
    records = week("2026-01-29", [1, 1, 1, 1])  # 29, 30, 31 Jan and 1 Feb
    p = s.reduce_progress(records, D("2026-02-01"), None, 3, "month")
    assert p.window_start == D("2026-02-01") and p.window_end == D("2026-02-28")
    assert p.use_days == 1 and p.within_goal and p.streak_days == 4


def test_reduce_unknown_amount_is_neither_within_nor_over():
    p = s.reduce_progress(week("2026-11-16", [None, None]) + [DayRecord(D("2026-11-18"), True, None)],
                          D("2026-11-18"), 3, None, "week")
    assert p.days_amount_unknown == 1 and p.days_over_daily_limit == 0 and p.streak_days == 0


# -- properties ----------------------------------------------------------------------------

BASE = date(2024, 1, 1)
offsets = st.integers(min_value=0, max_value=800)


@st.composite
def histories(draw):
    added = BASE + timedelta(days=draw(st.integers(0, 300)))
    declared = draw(st.one_of(st.none(), st.integers(1, 400).map(lambda n: added - timedelta(days=n))))
    days = sorted(set(draw(st.lists(offsets, max_size=60))))
    records = [DayRecord(BASE + timedelta(days=o), draw(st.booleans()), None) for o in days]
    as_of = BASE + timedelta(days=draw(st.integers(0, 900)))
    return Sub(added_on=added, declared_last_use=declared), records, as_of


@settings(max_examples=300, deadline=None)
@given(histories())
def test_period_arithmetic_accounts_for_every_day(history):
    sub, records, as_of = history
    rep = s.substance_report(sub, records, as_of)
    seen = [r for r in records if r.date <= as_of]
    assert rep.sober_days + rep.use_days == rep.recorded_days == len(seen)
    began = s.tracking_start(sub.added_on, seen[0].date if seen else None)
    points = s.anchors([r.date for r in seen if r.used], as_of, sub.declared_last_use, began)
    if not points:
        assert rep.last_use is None and rep.days is None and rep.periods == ()
        return
    # Every day in (first anchor, as_of] is in exactly one period or is a use.
    assert sum(p.days for p in rep.periods) + len(points) - 1 == (as_of - points[0]).days
    assert rep.days == (as_of - rep.last_use).days >= 0
    assert rep.longest_days == max([p.days for p in rep.periods if not p.gap] + [0])
    if rep.periods and rep.periods[-1].end is None and not rep.periods[-1].gap:
        assert rep.longest_days >= rep.days
    for p in rep.periods:  # every day of a period is recorded, unrecorded or declared
        assert p.recorded_days + p.unrecorded_days + p.declared_days == p.days
        assert p.gap == (p.recorded_days == 0 and p.declared_days == 0)
    uses = {r.date for r in seen if r.used}
    previous_end = None
    for p in rep.periods:
        assert p.days > 0
        end = p.end or as_of
        assert (end - p.start).days + 1 == p.days
        assert previous_end is None or p.start > previous_end
        assert not any(p.start <= u <= end for u in uses)
        previous_end = end
    # Unrecorded + recorded days after the last use = the tracked days after it.
    first = max(rep.last_use + timedelta(days=1), began)
    tracked = max(0, (as_of - first).days + 1)
    assert rep.unrecorded_days + sum(1 for r in seen if r.date >= first) == tracked


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3000).map(lambda n: date(2020, 1, 1) + timedelta(days=n)), st.integers(0, 4000))
def test_milestones_are_ordered_and_month_ones_land_on_the_clamped_day(last, ahead):
    as_of = last + timedelta(days=ahead)
    reached, nxt = s.milestones(last, as_of)
    assert all(m.date <= as_of for m in reached)
    assert nxt is not None and nxt.date > as_of and nxt.days_to_go == (nxt.date - as_of).days
    dates = [m.date for m in reached] + [nxt.date]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    sobriety = last + timedelta(days=1)
    for m in reached:
        if "month" in m.label or "year" in m.label:
            last_day = calendar.monthrange(m.date.year, m.date.month)[1]
            assert m.date.day == min(sobriety.day, last_day)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 8).map(float)), min_size=1, max_size=70),
       st.integers(1, 7), st.sampled_from(["week", "month"]))
def test_reduce_progress_is_consistent(amounts, max_days, per):
    records = week("2026-02-23", amounts)
    as_of = records[-1].date
    p = s.reduce_progress(records, as_of, 4.0, max_days, per)
    start, _ = ds.period_bounds(as_of, per)
    in_window = [r for r in records if r.date >= start]
    assert p.use_days == sum(r.used for r in in_window)
    over = p.use_days > max_days or any(r.used and r.amount is not None and r.amount > 4 for r in in_window)
    assert p.within_goal == (not over)  # every day of `week` is recorded: within unless over
    assert p.days_amount_unknown == sum(1 for r in in_window if r.used and r.amount is None)
    assert 0 <= p.streak_days <= len(records)
    if p.within_goal and not p.days_amount_unknown:  # every day of the window is within goal
        assert p.streak_days >= len(in_window)


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(0, 60), max_size=50), st.sets(st.integers(0, 60), max_size=8), st.integers(0, 62))
def test_within_goal_streak_matches_walking_back_day_by_day(recorded, bad, as_of_offset):
    recorded_dates = {BASE + timedelta(days=o) for o in recorded}
    bad_dates = sorted(BASE + timedelta(days=o) for o in bad if o in recorded)
    as_of = BASE + timedelta(days=as_of_offset)
    records = {d: ds.UseDay(d in bad_dates, 9.0 if d in bad_dates else None) for d in recorded_dates}
    history = ds.History(records, BASE, ds.Limits("reduce", 3.0))
    got = ds.within_goal_streak(history, as_of)
    day = as_of if as_of in recorded_dates else as_of - timedelta(days=1)
    expected = 0
    while day in recorded_dates and day not in bad_dates:
        expected += 1
        day -= timedelta(days=1)
    assert got == expected


def test_sql_facts_give_the_same_report_as_the_pure_functions(tmp_path):
    """The store path (use days + indexed counts) equals the pure path over every record."""
    import random
    from datetime import datetime

    from recoverylog.clock import FixedClock
    from recoverylog.reports.sobriety import build_substance_reports
    from recoverylog.services.substances import SubstanceSpec, add_substance
    from recoverylog.storage.db import open_store
    from recoverylog.storage.substances import list_all

    rng = random.Random(7)
    store = open_store(tmp_path / "t.db", FixedClock(datetime.fromisoformat("2026-11-21T10:00:00+00:00")))
    add_substance(store, SubstanceSpec("alcohol", unit="drinks", last_use=date(2025, 12, 1)))
    add_substance(store, SubstanceSpec("nicotine", unit="count", goal="reduce", max_per_day=3, max_days=3, per="week"))
    records: dict[int, list[DayRecord]] = {1: [], 2: []}
    day = date(2026, 1, 1)
    with store.write() as conn:
        while day <= date(2026, 11, 21):
            for sid in (1, 2):
                if rng.random() < 0.8:
                    used = rng.random() < 0.2
                    amount = float(rng.randint(1, 5)) if used else None
                    records[sid].append(DayRecord(day, used, amount, None))
                    conn.execute("INSERT INTO uses VALUES (?, ?, ?, ?, NULL, 'x', ?, 'x')",
                                 (sid, day.isoformat(), int(used), amount, day.isoformat()))
            day += timedelta(days=1)
    subs = list_all(store)
    for as_of in (date(2026, 3, 31), date(2026, 11, 20), date(2026, 11, 21)):
        from_store = build_substance_reports(store, as_of, subs)
        pure = [s.substance_report(sub, records[sub.id], as_of) for sub in subs]
        assert from_store == pure
    store.close()
