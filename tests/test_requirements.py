"""Attendance requirements (issue 4): periods across month and year ends (ISO weeks 53 and 1),
Sunday-first weeks, partial periods prorated, verified-only and fellowship counting, bad input."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.reports.meetings import Attendance, Rule, natural_period, prorated, requirement_periods

AFTER_NEW_YEAR = "2027-01-05T10:00:00+00:00"  # Tuesday of ISO week 1 of 2027


def add(cli, name, day, *extra):
    cli("meeting", "add", name, "--date", day, *extra, ok=True)


def status(cli, label=None, *extra):
    args = ["meeting", "requirement", "status"] + ([label] if label else []) + list(extra) + ["--json"]
    return cli.json(*args)


def periods(cli, label, *extra):
    (req,) = status(cli, label, *extra)
    return [(p["start"], p["end"], p["counted"], p["required"], p["deficit"], p["met"]) for p in req["periods"]]


def test_weekly_periods_across_the_year_end_iso_week_53(cli):
    cli("meeting", "requirement", "add", "court", "--count", "2", "--per", "week", "--start", "2026-12-01",
        now=AFTER_NEW_YEAR, ok=True)
    add(cli, "A", "2026-12-27")   # Sunday: the last day of ISO week 52
    add(cli, "B", "2026-12-28")   # Monday of 2026-W53
    add(cli, "C", "2027-01-03")   # Sunday of 2026-W53, across the year end
    add(cli, "D", "2027-01-04")   # Monday of 2027-W01
    (req,) = status(cli, "court")
    assert set(req) >= {"label", "count", "per", "verified_only", "start", "end", "periods"}
    assert (req["label"], req["count"], req["per"], req["verified_only"], req["start"], req["end"]) == (
        "court", 2, "week", False, "2026-12-01", None)
    by_name = {p["name"]: p for p in req["periods"]}
    assert list(by_name) == ["2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    first = by_name["2026-W49"]  # from Tuesday 1 Dec: 6 of 7 days, 2 × 6/7 rounded up = 2
    assert (first["start"], first["end"], first["partial"], first["required"]) == ("2026-12-01", "2026-12-06", True, 2)
    w53 = by_name["2026-W53"]
    assert (w53["start"], w53["end"], w53["counted"], w53["required"], w53["met"]) == (
        "2026-12-28", "2027-01-03", 2, 2, True)
    assert (by_name["2026-W52"]["counted"], by_name["2026-W52"]["deficit"]) == (1, 1)
    w01 = by_name["2027-W01"]
    assert (w01["counted"], w01["current"], w01["days_left"], w01["deficit"]) == (1, True, 6, 1)
    # Every meeting counted toward exactly one period.
    assert sum(p["counted"] for p in req["periods"]) == 4


def test_sunday_first_weeks_across_the_year_end(cli):
    cli("meeting", "requirement", "add", "probation", "--count", "2", "--per", "week", "--week-starts", "Sunday",
        "--start", "2026-12-27", now=AFTER_NEW_YEAR, ok=True)
    for name, day in (("A", "2026-12-27"), ("B", "2027-01-02"), ("C", "2027-01-03"), ("D", "2027-01-04")):
        add(cli, name, day)
    assert periods(cli, "probation") == [
        ("2026-12-27", "2027-01-02", 2, 2, 0, True),   # Sunday 27 Dec to Saturday 2 Jan
        ("2027-01-03", "2027-01-09", 2, 2, 0, True),   # current week, already met
    ]


def test_monthly_periods_across_a_month_end(cli):
    cli("meeting", "requirement", "add", "program", "--count", "4", "--per", "month", "--start", "2026-10-17",
        ok=True)
    for name, day in (("A", "2026-10-31"), ("B", "2026-10-31"), ("C", "2026-11-01"), ("D", "2026-10-16")):
        add(cli, name, day)
    # October from the 17th: 15 of 31 days, 4 × 15/31 = 1.9… → 2; the meeting on the 16th is before the start.
    assert periods(cli, "program") == [("2026-10-17", "2026-10-31", 2, 2, 0, True),
                                       ("2026-11-01", "2026-11-30", 1, 4, 3, False)]
    (req,) = status(cli, "program")
    assert req["periods"][0]["partial"] and req["periods"][1]["days_left"] == 10


def test_monthly_across_the_year_end_and_february(cli):
    cli("meeting", "requirement", "add", "self", "--count", "3", "--per", "month", "--start", "2026-12-31",
        now="2027-03-01T10:00:00+00:00", ok=True)
    add(cli, "A", "2026-12-31")
    add(cli, "B", "2027-02-28")
    assert periods(cli, "self") == [("2026-12-31", "2026-12-31", 1, 1, 0, True),   # 1 day of 31: ⌈3/31⌉ = 1
                                    ("2027-01-01", "2027-01-31", 0, 3, 3, False),
                                    ("2027-02-01", "2027-02-28", 1, 3, 2, False),
                                    ("2027-03-01", "2027-03-31", 0, 3, 3, False)]


def test_partial_last_period_when_it_ends_mid_week_and_end_command(cli, db_path):
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-11-02", ok=True)
    add(cli, "A", "2026-11-17")
    result = cli("meeting", "requirement", "end", "COURT", "--date", "2026-11-18", ok=True)
    assert "ends on 2026-11-18" in result.stderr
    rows = periods(cli, "court")
    assert rows[-1] == ("2026-11-16", "2026-11-18", 1, 2, 1, False)  # 3 × 3/7 → 2
    (req,) = status(cli, "court")
    assert req["end"] == "2026-11-18" and req["active"] is False and req["periods"][-1]["partial"]
    conn = sqlite3.connect(db_path)
    (data,), = conn.execute("SELECT data FROM revisions WHERE entity = 'requirement'").fetchall()
    conn.close()
    assert json.loads(data)["end"] is None
    assert cli.json("status", "--json")["meetings"]["requirements"] == []


def test_verified_only_counts_verified_meetings(cli):
    cli("meeting", "requirement", "add", "court", "--count", "2", "--per", "week", "--start", "2026-11-16",
        "--verified-only", ok=True)
    cli("meeting", "requirement", "add", "self", "--count", "2", "--per", "week", "--start", "2026-11-16", ok=True)
    add(cli, "A", "2026-11-16", "--verification", "signature", "--verified-by", "Ann")
    add(cli, "B", "2026-11-17")
    add(cli, "C", "2026-11-18", "--verification", "pathcheck")
    add(cli, "D", "2026-11-19", "--verification", "none")
    assert periods(cli, "court")[0][2] == 2
    assert periods(cli, "self")[0][2] == 4
    cli("meeting", "edit", "3", "--verification", "none", ok=True)
    assert periods(cli, "court")[0][2:] == (1, 2, 1, False)


def test_fellowship_filter(cli):
    cli("meeting", "requirement", "add", "twelve", "--count", "1", "--per", "week", "--start", "2026-11-16",
        "--fellowship", "aa", "--fellowship", "NA", ok=True)
    add(cli, "A", "2026-11-16", "--fellowship", "SMART")
    add(cli, "B", "2026-11-17")
    assert periods(cli, "twelve")[0][2] == 0
    add(cli, "C", "2026-11-18", "--fellowship", "na")
    assert periods(cli, "twelve")[0][2:] == (1, 1, 0, True)
    (req,) = status(cli, "twelve")
    assert req["fellowships"] == ["AA", "NA"]


def test_as_of_and_list_and_rendering(cli, monkeypatch):
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-11-05", ok=True)
    add(cli, "A", "2026-11-06")
    assert len(periods(cli, "court", "--as-of", "2026-11-10")) == 2
    assert [r["label"] for r in cli.json("meeting", "requirement", "list", "--json")] == ["court"]
    for width in ("60", "80"):
        monkeypatch.setenv("COLUMNS", width)
        out = cli("meeting", "requirement", "status", ok=True).stdout
        assert "2026-W45 (partial)" in out and "short by 1" in out and "1 to go" not in out
        assert "fail" not in out.lower()
        assert max(len(line) for line in out.splitlines()) <= int(width)


def test_requirement_starting_later_is_allowed_and_counts_nothing_yet(cli):
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-12-07", ok=True)
    (req,) = status(cli, "court")
    assert req["periods"] == [] and req["active"] is False
    assert "nothing to count yet" in cli("meeting", "requirement", "status", ok=True).stdout


@pytest.mark.parametrize("args, code, words", [
    (["x", "--count", "0", "--per", "week"], 1, "out of range"),
    (["x", "--count", "3", "--per", "year"], 1, "Unknown --per"),
    (["x", "--count", "3", "--per", "month", "--week-starts", "sunday"], 2, "weekly"),
    (["x", "--count", "3", "--per", "week", "--week-starts", "friday"], 1, "Unknown --week-starts"),
    (["x", "--count", "3", "--per", "week", "--start", "2026-11-10", "--end", "2026-11-01"], 1, "before"),
    (["x", "--count", "3", "--per", "week", "--fellowship", "XA"], 1, "Unknown fellowship"),
    (["court", "--count", "3", "--per", "week"], 1, "already exists"),
    (["  ", "--count", "3", "--per", "week"], 1, "empty"),
])
def test_bad_requirement_input_stores_nothing(cli, args, code, words):
    cli("meeting", "requirement", "add", "court", "--count", "1", "--per", "month", ok=True)
    before = cli.json("meeting", "requirement", "list", "--json")
    result = cli("meeting", "requirement", "add", *args)
    assert result.exit_code == code and words in result.stderr and "Traceback" not in result.stderr
    assert cli.json("meeting", "requirement", "list", "--json") == before


def test_unknown_requirement_is_a_clear_error(cli, db_path):
    cli("meeting", "requirement", "add", "court", "--count", "1", "--per", "month", ok=True)
    for args in (["status", "probation"], ["end", "probation"]):
        result = cli("meeting", "requirement", *args)
        assert result.exit_code == 3 and "no requirement named 'probation'" in result.stderr
        assert "Known: court" in result.stderr
    result = cli("meeting", "requirement", "end", "court", "--date", "2026-10-01")
    assert result.exit_code == 1 and "before the requirement's start" in result.stderr
    assert cli.json("meeting", "requirement", "list", "--json")[0]["end"] is None
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    conn.close()


# -- the arithmetic, directly ------------------------------------------------------------

def test_prorated_rounds_up():
    assert [prorated(3, d, 7) for d in range(1, 8)] == [1, 1, 2, 2, 3, 3, 3]
    assert prorated(8, 15, 31) == 4 and prorated(4, 29, 29) == 4


@settings(max_examples=200)
@given(start=st.dates(date(2024, 1, 1), date(2028, 12, 31)), span=st.integers(0, 120),
       end_after=st.one_of(st.none(), st.integers(0, 150)), count=st.integers(1, 10),
       per=st.sampled_from(["week", "month"]), week_starts=st.sampled_from(["monday", "sunday"]),
       verified_only=st.booleans(),
       offsets=st.lists(st.tuples(st.integers(-40, 200), st.booleans()), max_size=60))
def test_periods_tile_the_requirement_and_count_each_meeting_once(start, span, end_after, count, per, week_starts,
                                                                  verified_only, offsets):
    end = start + timedelta(days=end_after) if end_after is not None else None
    rule = Rule("r", count, per, start, end, verified_only, (), week_starts)
    as_of = start + timedelta(days=span)
    meetings = [Attendance(start + timedelta(days=o), verified=v) for o, v in offsets]
    result = requirement_periods(rule, meetings, as_of)
    last_day = min(as_of, end) if end else as_of
    assert result[0].start == start
    for before, after in zip(result, result[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)        # contiguous, never overlapping
    assert result[-1].start <= last_day <= result[-1].end
    if end is not None:
        assert result[-1].end <= end
    eligible = [m for m in meetings if start <= m.date <= last_day and (m.verified or not verified_only)]
    assert sum(p.counted for p in result) == len(eligible)          # each meeting toward exactly one period
    for p in result:
        natural_start, natural_end = natural_period(p.start, per, week_starts)
        assert natural_start <= p.start <= p.end <= natural_end
        assert p.partial == ((p.start, p.end) != (natural_start, natural_end))
        assert 1 <= p.required <= count and (p.partial or p.required == count)
        assert p.deficit == max(0, p.required - p.counted) and p.met == (p.counted >= p.required)
        assert p.current == (p.start <= as_of <= p.end) and (p.days_left > 0) == p.current
        if per == "week" and week_starts == "monday":
            assert p.start.isocalendar()[:2] == p.end.isocalendar()[:2]


def test_no_periods_before_the_start():
    rule = Rule("r", 3, "week", date(2026, 12, 1))
    assert requirement_periods(rule, [Attendance(date(2026, 11, 30))], date(2026, 11, 30)) == ()
