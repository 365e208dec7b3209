"""The column read of a substance's history and the engine's passes over it give what the
row-by-row read and the straightforward passes gave (docs/definitions.md §2–§5): the same
records (values and types), the same periods without use, the same reduce-goal verdicts and
tallies, the same reports, on random histories: gaps, unrecorded days, declared last uses,
reduce limits, amounts missing or not multiples of 1/1024, notes with commas, several and
archived substances, as-of dates in the past."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.reports import daystate as ds
from recoverylog.reports import sobriety
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage import uses as use_rows
from recoverylog.storage.db import open_store
from recoverylog.storage.substances import Substance

BASE = date(2020, 1, 1)
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)

AMOUNTS = st.one_of(st.none(), st.integers(0, 40).map(float), st.integers(0, 80).map(lambda n: n / 4),
                    st.floats(0, 1e15, allow_nan=False), st.sampled_from([0.1, 0.3, 1e12, 2.0 ** 60, 5e-324, -0.0, 2.0 ** 63, 2.0 ** 63 - 1024,
                                                     2.0 ** 53 + 2, 1e300, float("inf"), 0.5, 1e12 + 0.5]))
NOTES = st.one_of(st.none(), st.sampled_from(["", "a,b", "one, two,,", "x"]))


@st.composite
def substance_histories(draw, sid: int = 1) -> tuple[Substance, list[tuple[date, bool, float | None, str | None]]]:
    length = draw(st.integers(0, 150))
    rows = []
    for i in range(length):
        kind = draw(st.sampled_from(["none", "none", "no_use", "no_use", "use", "use", "use"]))
        if kind == "none":
            continue
        used = kind == "use"
        rows.append((BASE + timedelta(days=i), used, draw(AMOUNTS) if used or draw(st.booleans()) else None,
                     draw(NOTES)))
    goal = draw(st.sampled_from(["abstain", "reduce", "monitor"]))
    substance = Substance(
        id=sid, name=f"s{sid}", goal=goal,
        max_per_day=draw(st.one_of(st.none(), st.sampled_from([1.0, 2.5, 5.0]))),
        max_days=draw(st.one_of(st.none(), st.integers(0, 6))),
        max_days_per=draw(st.sampled_from([None, "week", "month"])),
        declared_last_use=draw(st.one_of(st.none(), st.integers(-40, length + 5).map(lambda n: BASE + timedelta(days=n)))),
        milestones=draw(st.sampled_from([None, True, False])),
        added_on=BASE + timedelta(days=draw(st.integers(-20, length + 10))),
        archived_on=draw(st.one_of(st.none(), st.integers(-10, length + 20).map(lambda n: BASE + timedelta(days=n)))))
    return substance, rows


def as_of_dates(length: int = 200):
    return st.integers(-10, length).map(lambda n: BASE + timedelta(days=n))


_STORE: list = []


def _store():
    """One journal for the whole module (a fresh temporary folder), emptied per example."""
    if not _STORE:
        folder = Path(tempfile.mkdtemp(prefix="recoverylog-columns-"))
        _STORE.append(open_store(folder / "journal.db", FixedClock(NOW)))
    store = _STORE[0]
    with store.conn:
        store.conn.execute("DELETE FROM uses")
        store.conn.execute("DELETE FROM checkins")
        store.conn.execute("DELETE FROM substances")
    return store


def _write(store, cases) -> None:
    with store.conn:
        for substance, rows in cases:
            store.conn.execute("INSERT INTO substances (id, name, goal, added_on, created_at) VALUES (?, ?, ?, ?, ?)",
                               (substance.id, substance.name, substance.goal, substance.added_on.isoformat(),
                                "2020-01-01T00:00:00Z"))
            store.conn.executemany(
                "INSERT INTO uses (substance_id, date, used, amount, note, recorded_at, recorded_on, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'x', 'x', 'x')",
                [(substance.id, d.isoformat(), int(u), a, n) for d, u, a, n in rows])


def _typed(history: ds.History) -> list[tuple]:
    return [(d, r.used, type(r.amount), r.amount, r.note) for d, r in history.records.items()]


@settings(max_examples=60, deadline=None)
@given(st.lists(substance_histories(), min_size=1, max_size=3), as_of_dates())
def test_the_column_read_gives_the_rows_and_the_reports_of_the_row_read(cases, as_of):
    cases = [(Substance(**{**vars(s), "id": i + 1, "name": f"s{i + 1}"}), rows) for i, (s, rows) in enumerate(cases)]
    store = _store()
    _write(store, cases)
    ids = [s.id for s, _ in cases]
    rows = use_rows.records_until(store, as_of, ids)
    columns = use_rows.columns_until(store, as_of, ids)
    assert sorted(columns) == sorted(rows)
    for substance, _ in cases:
        by_rows = sobriety._history_from_rows(substance, rows.get(substance.id, ()), as_of)
        by_columns = sobriety._history_from_columns(substance, columns.get(substance.id))
        assert _typed(by_columns) == _typed(by_rows)
        assert by_columns.tracking_began == by_rows.tracking_began
        # A looked-up day, and one without a record.
        for d in (as_of, as_of - timedelta(days=3), BASE):
            assert by_columns.records.get(d) == by_rows.records.get(d)
            assert (d in by_columns.records) == (d in by_rows.records)
        report_rows = sobriety.substance_report(substance, (), as_of, history=by_rows)
        report_columns = sobriety.substance_report(substance, (), as_of, history=by_columns)
        assert report_columns == report_rows


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 400), max_size=120), st.integers(-5, 420))
def test_check_in_day_numbers_are_the_check_in_dates(days, until):
    store = _store()
    with store.conn:
        store.conn.executemany(
            "INSERT INTO checkins (date, recorded_at, recorded_on, updated_at) VALUES (?, 'x', 'x', 'x')",
            [((BASE + timedelta(days=n)).isoformat(),) for n in days])
    as_of = BASE + timedelta(days=until)
    assert checkin_rows.day_numbers_until(store, as_of) == [d.toordinal() for d in checkin_rows.dates_until(store, as_of)]


# -- the engine's passes against the straightforward ones they replace ------------------------

def _old_anchors(use_dates, as_of, declared_last_use, tracking_began):
    start, _ = ds.start_anchor(declared_last_use, tracking_began)
    found = {d for d in use_dates if d <= as_of}
    if start <= as_of:
        found.add(start)
    return sorted(found)


def _old_last_use(use_dates, as_of, declared_last_use, tracking_began):
    start, _ = ds.start_anchor(declared_last_use, tracking_began)
    latest = max((d for d in use_dates if d <= as_of), default=None)
    if start <= as_of and (latest is None or start > latest):
        return start
    return latest


def _old_periods(use_dates, as_of, declared_last_use, tracking_began, recorded, notes):
    start, declared = ds.start_anchor(declared_last_use, tracking_began)
    points = _old_anchors(use_dates, as_of, declared_last_use, tracking_began)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        if (b - a).days > 1:
            out.append(ds._period(a, b, as_of, recorded, tracking_began, declared and a == start, notes.get(b)))
    if points and (as_of - points[-1]).days > 0:
        out.append(ds._period(points[-1], None, as_of, recorded, tracking_began, declared and points[-1] == start,
                              None))
    return out


def _history(substance: Substance, rows, as_of: date) -> ds.History:
    return sobriety.history_of(substance, [sobriety.DayRecord(d, u, a, n) for d, u, a, n in rows], as_of)


@settings(max_examples=150, deadline=None)
@given(substance_histories(), as_of_dates(), st.booleans())
def test_periods_without_use_equal_the_pairwise_rule(case, as_of, shuffled):
    substance, rows = case
    history = _history(substance, rows, as_of)
    uses = history.use_dates(as_of)
    given_uses = list(reversed(uses)) if shuffled else uses     # not ascending: the set-and-sort path
    index = history.recorded(as_of)
    notes = history.use_notes()
    began, declared = history.tracking_began, substance.declared_last_use
    assert ds.anchors(given_uses, as_of, declared, began) == _old_anchors(uses, as_of, declared, began)
    assert ds.last_use(given_uses, as_of, declared, began) == _old_last_use(uses, as_of, declared, began)
    assert (ds.periods_without_use(given_uses, as_of, declared, began, index, notes)
            == _old_periods(uses, as_of, declared, began, index, notes))


@settings(max_examples=150, deadline=None)
@given(substance_histories(), as_of_dates(), st.one_of(st.none(), st.integers(0, 6)))
def test_the_period_pass_equals_one_verdict_per_period(case, as_of, kept):
    substance, rows = case
    history = _history(substance, rows, as_of)
    first = history.tracking_began
    tally, periods = ds._period_pass(history, first, as_of, kept)
    every = [ds.period_verdict(history, lo, as_of) for lo, _ in ds.periods_touching(first, as_of, history.limits.verdict_per)] \
        if first <= as_of else []
    expected = {ds.WITHIN: 0, ds.OVER: 0, ds.INCOMPLETE: 0}
    for p in every:
        expected[p.verdict] += 1
    assert tally == expected
    assert list(periods) == (every if kept is None else every[max(0, len(every) - kept):])


@settings(max_examples=100, deadline=None)
@given(substance_histories(), as_of_dates())
def test_a_history_in_columns_reports_what_a_dict_of_records_reports(case, as_of):
    substance, rows = case
    rows = [(d, u, a, n if u else None) for d, u, a, n in rows]     # the store keeps notes of uses only
    by_dict = _history(substance, rows, as_of)
    days = sorted(by_dict.records)
    columns = ds.DayRecords(days, [d.toordinal() for d in days], [by_dict.records[d].used for d in days],
                            [by_dict.records[d].amount for d in days],
                            {d: r.note for d, r in by_dict.records.items() if r.used and r.note is not None})
    by_columns = ds.History.build(columns, substance.added_on, by_dict.limits, substance.declared_last_use,
                                  substance.archived_on)
    assert by_columns.records == by_dict.records
    assert (sobriety.substance_report(substance, (), as_of, history=by_columns)
            == sobriety.substance_report(substance, (), as_of, history=by_dict))


def test_an_amount_the_store_holds_as_text_is_read_as_the_row_read_reads_it():
    substance = Substance(id=1, name="s1", added_on=BASE)
    store = _store()
    _write(store, [(substance, [(BASE, True, 2.5, "a,b"), (BASE + timedelta(days=1), True, None, None),
                                (BASE + timedelta(days=2), False, None, "kept out"), (BASE + timedelta(days=4), True, 0.1, None)])])
    with store.conn:
        store.conn.execute("UPDATE uses SET amount = 'some' WHERE date = ?", ((BASE + timedelta(days=1)).isoformat(),))
    as_of = BASE + timedelta(days=9)
    rows = use_rows.records_until(store, as_of, [1])[1]
    columns = use_rows.columns_until(store, as_of, [1])[1]
    assert columns.amounts == [2.5, "some", None, 0.1]
    assert _typed(sobriety._history_from_columns(substance, columns)) == _typed(
        sobriety._history_from_rows(substance, rows, as_of))


def test_the_row_by_row_fallback_gives_the_same_columns(monkeypatch):
    substance = Substance(id=1, name="s1", added_on=BASE)
    store = _store()
    _write(store, [(substance, [(BASE, True, 2.5, "a,b"), (BASE + timedelta(days=2), False, 1.0, "kept out"),
                                (BASE + timedelta(days=3), True, None, None), (BASE + timedelta(days=5), True, 0.1, "n")])])
    as_of = BASE + timedelta(days=9)
    read = use_rows.columns_until(store, as_of, [1])[1]
    monkeypatch.setattr(use_rows, "_columns", lambda *a, **k: None)     # as if the text did not split cleanly
    fallback = use_rows.columns_until(store, as_of, [1])[1]
    assert (list(read.used), read.days, read.ordinals, read.amounts, read.notes) == (
        list(map(int, fallback.used)), fallback.days, fallback.ordinals, fallback.amounts, fallback.notes)
