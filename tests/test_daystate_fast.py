"""The engine's one-pass paths equal the straightforward day-by-day computation they replace
(docs/definitions.md §4): the same verdict for every week or month, on random histories."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.reports import daystate as ds

BASE = date(2026, 1, 1)


@st.composite
def histories(draw) -> tuple[ds.History, date, date]:
    length = draw(st.integers(1, 120))
    records: dict[date, ds.UseDay] = {}
    for i in range(length):
        kind = draw(st.sampled_from(["none", "no_use", "use"]))
        if kind == "no_use":
            records[BASE + timedelta(days=i)] = ds.UseDay(False, draw(st.one_of(st.none(), st.just(1.0))))
        elif kind == "use":
            amount = draw(st.one_of(st.none(), st.integers(0, 9).map(float), st.floats(0.1, 9.9)))
            records[BASE + timedelta(days=i)] = ds.UseDay(True, amount, draw(st.one_of(st.none(), st.just("n"))))
    limits = ds.Limits(draw(st.sampled_from(["reduce", "abstain", "monitor"])),
                       draw(st.one_of(st.none(), st.sampled_from([1.0, 3.0, 5.0]))),
                       draw(st.one_of(st.none(), st.integers(0, 6))),
                       draw(st.sampled_from([None, "week", "month"])))
    added = BASE + timedelta(days=draw(st.integers(-20, length + 10)))
    archived = draw(st.one_of(st.none(), st.integers(-10, length + 20).map(lambda n: BASE + timedelta(days=n))))
    history = ds.History.build(records, added, limits, archived_on=archived)
    first = BASE + timedelta(days=draw(st.integers(-30, length + 10)))
    end = first + timedelta(days=draw(st.integers(0, 150)))
    return history, first, end


@settings(max_examples=400, deadline=None)
@given(histories())
def test_period_verdicts_equal_one_verdict_per_period(case):
    history, first, end = case
    slow = tuple(ds.period_verdict(history, lo, end)
                 for lo, _ in ds.periods_touching(first, end, history.limits.verdict_per))
    assert ds.period_verdicts(history, first, end) == slow


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(0, 8))
def test_a_summary_that_keeps_the_latest_periods_counts_the_same_as_the_whole(case, kept):
    """`periods_kept` only leaves periods unbuilt: every count, and the periods kept, are the
    full summary's (the counts still come from every period since tracking began)."""
    from dataclasses import replace

    history, first, end = case
    start = max(first, history.tracking_began)
    full = ds.reduce_summary(history, start, end, periods_from=history.tracking_began)
    bounded = ds.reduce_summary(history, start, end, periods_from=history.tracking_began, periods_kept=kept)
    assert bounded.periods == (full.periods[-kept:] if kept else ())
    assert replace(bounded, periods=full.periods) == full
    assert (full.periods_within_goal, full.periods_over_goal, full.periods_incomplete) == (
        sum(p.verdict == ds.WITHIN for p in full.periods), sum(p.verdict == ds.OVER for p in full.periods),
        sum(p.verdict == ds.INCOMPLETE for p in full.periods))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-40, 40), max_size=30), st.integers(-40, 40), st.none() | st.integers(-60, 40),
       st.integers(-40, 40))
def test_last_use_is_the_latest_anchor(uses, as_of, declared, began):
    day = BASE.__add__
    use_dates = [day(timedelta(days=n)) for n in uses]
    declared_day = None if declared is None else day(timedelta(days=declared))
    found = ds.anchors(use_dates, day(timedelta(days=as_of)), declared_day, day(timedelta(days=began)))
    assert ds.last_use(use_dates, day(timedelta(days=as_of)), declared_day, day(timedelta(days=began))) == (
        found[-1] if found else None)
