"""The check-in's storage shortcuts give the answers of the straightforward reads they replaced
(docs/definitions.md §5 for streaks, §12 for the store). Speed itself is measured in bench/."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage.db import open_store

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
BASE = date(2025, 10, 1)
# Keys no check-in of ours writes, but that a hand-edited or legacy file might hold: a comma (the
# one-string read's separator) hiding two valid dates, a basic-format date that sorts after every
# extended one, an ISO week date, an empty key, plain words, non-ASCII text.
ODD_KEYS = ["2025-10-02,2025-10-03", "20251003", "2025-W40-4", "", "not a date", "2025-10-0ä",
            "2025-10-05 ", "1999-12-31,x"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("streak") / "journal.db", FixedClock(NOW))
    yield store
    store.close()


def _fill(store, keys) -> None:
    with store.write() as conn:
        conn.execute("DELETE FROM checkins")
        conn.executemany("INSERT INTO checkins (date, mood, craving, recorded_at, recorded_on, updated_at) "
                         "VALUES (?, 5, 1, 'r', 'r', 'r')", [(k,) for k in keys])


def _row_read(store, until: date):
    """What the read was before: a row per day, ORDER BY date, each parsed."""
    try:
        return [date.fromisoformat(d).toordinal() for (d,) in store.conn.execute(
            "SELECT date FROM checkins WHERE date <= ? ORDER BY date", (until.isoformat(),)).fetchall()]
    except Exception as exc:   # the same kind of failure is the same answer
        return type(exc)


def _read(store, until: date):
    try:
        return checkin_rows.day_numbers_until(store, until)
    except Exception as exc:
        return type(exc)


@settings(max_examples=250, deadline=None)
@given(offsets=st.sets(st.integers(0, 120), max_size=90),
       odd=st.lists(st.sampled_from(ODD_KEYS), max_size=2, unique=True),
       as_of=st.integers(-3, 125))
@example(offsets=set(), odd=[], as_of=10)
@example(offsets={0, 1, 2, 5}, odd=["2025-10-02,2025-10-03"], as_of=40)
@example(offsets={0, 1, 2, 5}, odd=["20251003"], as_of=40)
def test_the_one_string_day_read_equals_the_row_read(store, offsets, odd, as_of):
    keys = {(BASE + timedelta(days=n)).isoformat() for n in offsets} | set(odd)
    _fill(store, sorted(keys, key=lambda k: hash(k)))   # inserted in any order
    until = BASE + timedelta(days=as_of)
    assert _read(store, until) == _row_read(store, until)


def test_the_day_read_of_a_long_history(store):
    """Fifty years with gaps: the same day numbers, ascending, each once."""
    keys = [(date(1976, 11, 22) + timedelta(days=n)).isoformat() for n in range(18_300) if n % 17 not in (3, 11)]
    _fill(store, keys)
    for until in (date(2026, 11, 21), date(2001, 1, 1), date(1976, 11, 21)):
        days = checkin_rows.day_numbers_until(store, until)
        assert days == _row_read(store, until)
        assert days == sorted(set(days))


def test_a_key_that_is_not_utf8_fails_as_the_row_read_did(store):
    _fill(store, ["2025-10-01"])
    with store.write() as conn:
        conn.execute("INSERT INTO checkins (date, recorded_at, recorded_on, updated_at) "
                     "VALUES (CAST(X'323032352d31302d3032ff' AS TEXT), 'r', 'r', 'r')")
    from recoverylog.errors import StorageError

    with pytest.raises(StorageError):
        checkin_rows.day_numbers_until(store, date(2025, 12, 1))
    assert _row_read(store, date(2025, 12, 1)) is sqlite3.OperationalError


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["already", "kept", "unrecorded"]), st.booleans(),
                                st.one_of(st.none(), st.sampled_from([1.0, 2.5]))), max_size=5),
       past=st.booleans())
def test_records_already_there_are_never_mentioned(lines, past):
    """The confirmation's use part says nothing of an "already" line: with only those it is empty
    without looking further (docs/definitions.md §2), and among others they change nothing."""
    from recoverylog.render.checkin import uses_outcome_lines
    from recoverylog.services.uses import UseLine, UsesOutcome
    from recoverylog.storage.substances import Substance

    today = date(2026, 11, 21)
    day = today - timedelta(days=3) if past else today
    made = tuple(UseLine(Substance(i + 1, f"S{i}", unit="drinks"), action, used, amount)
                 for i, (action, used, amount) in enumerate(lines))
    said = uses_outcome_lines(UsesOutcome(day, today, made, ()))
    without = uses_outcome_lines(UsesOutcome(day, today, tuple(ln for ln in made if ln.action != "already"), ()))
    assert said == without
    if all(ln.action == "already" for ln in made):
        assert said == []


# The only tables a check-in may read whole: a handful of rows whatever the years (settings, the
# substances and people named, the plan's versions, the schema). Every other read goes by a key or an
# index, so its cost does not grow with history (an alias in a plan counts as another table).
SMALL = {"settings", "substances", "contacts", "plan_versions", "sqlite_master", "main.search_text_fts_config"}


@pytest.mark.parametrize("extra", [(), ("--sober",), ("--used", "alcohol:2", "--json")])
def test_every_query_of_a_check_in_uses_a_key_or_an_index(cli, db_path, monkeypatch, extra):
    from recoverylog.storage import db as dbmod

    cli("substance", "add", "alcohol", "--unit", "drinks", now="2026-11-01T10:00:00+00:00", ok=True)
    cli("contact", "add", "Sam", "--role", "sponsor", now="2026-11-01T10:00:00+00:00", ok=True)
    for n in range(1, 20):
        cli("checkin", "--date", f"2026-11-{n:02d}", "--mood", "6", "--craving", "3", "--sober",
            "--meeting", "Grace", "--reached-out", "Sam:call", now="2026-11-20T10:00:00+00:00", ok=True)
    seen: list[str] = []
    real = dbmod._connect

    def connect(path):
        conn = real(path)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(dbmod, "_connect", connect)
    cli("checkin", "--mood", "7", "--craving", "2", "--date", "2026-11-19", *extra,
        now="2026-11-21T10:00:00+00:00", ok=True)
    reads = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert any("FROM checkins" in s for s in reads)
    conn = sqlite3.connect(db_path)
    try:
        for sql in reads:
            for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
                step = row[-1]
                if step.startswith("SCAN "):
                    assert step.split()[1] in SMALL, (sql, step)
    finally:
        conn.close()
