"""`status` and `sobriety`: the JSON contract, counts as of a date, views at 60/80/120 columns, speed."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

CONTRACT_KEYS = {"name", "unit", "goal", "last_use", "sobriety_date", "days", "longest_days", "sober_days",
                 "recorded_days", "use_days", "unrecorded_days", "milestones_reached", "next_milestone",
                 "periods"}


def checkin(cli, day, *extra):
    return cli("checkin", "--date", day, "--mood", "6", "--craving", "2", *extra, ok=True)


def one(cli, *extra):
    doc = cli.json("status", "--json", *extra)
    (item,) = doc["substances"]
    return doc, item


def test_status_json_contract(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--sober-since", "2026-11-01", ok=True)
    checkin(cli, "2026-11-20", "--sober")
    doc, item = one(cli)
    assert {"as_of", "checkins", "substances"} <= set(doc) and doc["as_of"] == "2026-11-21"
    assert doc["checkins"] == {"streak": 1, "longest_streak": 1, "last_checkin": "2026-11-20",
                               "today_done": False, "total": 1}
    assert CONTRACT_KEYS <= set(item)
    assert (item["last_use"], item["sobriety_date"], item["days"]) == ("2026-10-31", "2026-11-01", 21)
    assert item["next_milestone"] == {"label": "30 days", "date": "2026-11-30", "days_to_go": 9}
    assert item["milestones_reached"] == [{"label": "24 hours", "date": "2026-11-01"}]
    assert {"start", "end", "days"} <= set(item["periods"][0])
    # `sobriety --json` returns the same substance objects.
    assert cli.json("sobriety", "--json")["substances"] == [item]


def test_declared_last_use_with_backfilled_checkins_counts_skipped_days_as_unrecorded(cli):
    cli("substance", "add", "alcohol", "--last-use", "2026-09-30", ok=True)
    for day in ("2026-11-15", "2026-11-16", "2026-11-18", "2026-11-21"):  # 17, 19, 20 skipped
        checkin(cli, day, "--sober")
    _, item = one(cli)
    assert item["days"] == 52 and item["sobriety_date"] == "2026-10-01"
    # Tracking began when the substance was added (today) or at the first record (15 Nov):
    assert item["tracking_start"] == "2026-11-15"
    assert (item["sober_days"], item["recorded_days"], item["unrecorded_days"]) == (4, 4, 3)
    assert item["longest_days"] == 52


def test_a_lapse_in_the_middle_of_a_run(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2026-08-31", ok=True)
    for i in range(1, 22):
        day = f"2026-11-{i:02d}"
        checkin(cli, day, *(("--used", "alcohol:4") if i == 10 else ("--sober",)))
    cli("uses", "edit", "alcohol", "--date", "2026-11-10", "--note", "a wedding", ok=True)
    _, item = one(cli)
    assert (item["days"], item["longest_days"], item["sober_days"], item["recorded_days"], item["use_days"]) == \
        (11, 70, 20, 21, 1)
    assert [(p["start"], p["end"], p["days"]) for p in item["periods"]] == [
        ("2026-09-01", "2026-11-09", 70), ("2026-11-11", None, 11)]
    assert item["periods"][0]["note"] == "a wedding"
    assert item["next_milestone"] == {"label": "30 days", "date": "2026-12-10", "days_to_go": 19}


def test_two_uses_on_consecutive_days(cli):
    cli("substance", "add", "nicotine", ok=True)
    for day, flag in (("2026-11-17", "--sober"), ("2026-11-18", "--used"), ("2026-11-19", "--used"),
                      ("2026-11-20", "--sober"), ("2026-11-21", "--sober")):
        checkin(cli, day, *((flag, "nicotine") if flag == "--used" else (flag,)))
    _, item = one(cli)
    assert item["last_use"] == "2026-11-19" and item["days"] == 2 and item["use_days"] == 2
    # Tracking began on 17 Nov (the first record): one day before the first use, none between the two.
    assert [p["days"] for p in item["periods"]] == [1, 2]
    assert item["sober_days"] == 3 and item["unrecorded_days"] == 0


@pytest.mark.parametrize("sober_since, now, reached, nxt", [
    ("2027-08-31", "2028-02-29T12:00:00+00:00", ("6 months", "2028-02-29"), ("9 months", "2028-05-31")),  # leap day
    ("2027-08-31", "2028-02-28T12:00:00+00:00", ("90 days", "2027-11-28"), ("6 months", "2028-02-29")),
    ("2026-01-31", "2027-01-31T12:00:00+00:00", ("1 year", "2027-01-31"), ("18 months", "2027-07-31")),
    ("2025-12-31", "2026-06-30T12:00:00+00:00", ("6 months", "2026-06-30"), ("9 months", "2026-09-30")),
    ("2027-02-28", "2029-02-28T12:00:00+00:00", ("2 years", "2029-02-28"), ("3 years", "2030-02-28")),
])
def test_month_milestones_across_month_ends_and_leap_years(cli, sober_since, now, reached, nxt):
    cli("substance", "add", "alcohol", "--sober-since", sober_since, now=now, ok=True)
    # Declared days before tracking count; the day tracking began needs its own record.
    cli("checkin", "--mood", "6", "--craving", "2", "--sober", now=now, ok=True)
    _, item = one(cli)
    last = item["milestones_reached"][-1]
    assert (last["label"], last["date"]) == reached
    assert (item["next_milestone"]["label"], item["next_milestone"]["date"]) == nxt


def test_as_of_in_the_past_ignores_later_records(cli):
    cli("substance", "add", "alcohol", "--last-use", "2026-10-31", ok=True)
    for i in range(1, 22):
        checkin(cli, f"2026-11-{i:02d}", *(("--used", "alcohol") if i == 15 else ("--sober",)))
    doc, item = one(cli, "--as-of", "2026-11-10")
    assert doc["as_of"] == "2026-11-10"
    assert (item["days"], item["use_days"], item["recorded_days"], item["sober_days"]) == (10, 0, 10, 10)
    assert doc["checkins"]["last_checkin"] == "2026-11-10" and doc["checkins"]["today_done"] is True
    assert [p["end"] for p in item["periods"]] == [None]
    future = cli("status", "--as-of", "2026-11-22")
    assert future.exit_code == 1 and "future" in future.stderr


def test_reduce_goal_week_within_then_over_its_limit(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "3",
        "--max-days", "2", "--per", "week", ok=True)
    checkin(cli, "2026-11-16", "--used", "alcohol:2")   # Monday
    checkin(cli, "2026-11-17", "--sober")
    checkin(cli, "2026-11-18", "--used", "alcohol:3")
    _, item = one(cli, "--as-of", "2026-11-18")
    reduce = item["reduce"]
    assert (reduce["use_days"], reduce["max_days"], reduce["within_goal"], reduce["streak_days"]) == (2, 2, True, 3)
    assert item["milestones_reached"] == [] and item["next_milestone"] is None  # off by default for reduce
    assert item["days"] == 0  # days since last use is still a fact
    checkin(cli, "2026-11-19", "--sober")
    checkin(cli, "2026-11-20", "--used", "alcohol:1")   # a third use day: over the week's limit
    _, item = one(cli, "--as-of", "2026-11-20")
    reduce = item["reduce"]
    assert (reduce["use_days"], reduce["within_goal"], reduce["use_days_left"], reduce["streak_days"]) == \
        (3, False, 0, 0)
    text = " ".join(cli("status", "--as-of", "2026-11-20", ok=True).stdout.split())
    assert "This week: 3 of 2 use days (over the goal; Mon 16 – Sun 22 Nov)" in text


def test_reduce_goal_shows_days_since_a_declared_last_use_as_a_fact(cli):
    cli("substance", "add", "nicotine", "--goal", "reduce", "--max-days", "3", "--per", "week",
        "--last-use", "2026-10-01", ok=True)
    checkin(cli, "2026-11-21", "--sober")
    text = " ".join(cli("status", ok=True).stdout.split())
    assert "Last use: Thu 1 Oct (declared; 51 days ago)" in text
    assert one(cli)[1]["days"] == 51
    # With no use recorded or declared, the day before tracking began is not shown as a use.
    cli("substance", "add", "cannabis", "--goal", "reduce", "--max-days", "2", "--per", "week", ok=True)
    text = " ".join(cli("status", ok=True).stdout.split())
    assert "Last use: Fri 20 Nov" not in text and "No use recorded since tracking began" in text


def test_monitor_and_milestone_switches(cli):
    cli("substance", "add", "cannabis", "--goal", "monitor", ok=True)
    cli("substance", "add", "alcohol", "--sober-since", "2026-10-01", ok=True)
    cli("use", "cannabis", "--date", "2026-11-19", ok=True)
    items = {s["name"]: s for s in cli.json("status", "--json")["substances"]}
    mon = items["cannabis"]
    assert (mon["days"], mon["sobriety_date"], mon["next_milestone"], mon["use_days"]) == (None, None, None, 1)
    assert items["alcohol"]["next_milestone"]["label"] == "60 days"
    cli("config", "set", "milestones", "off", ok=True)
    alc = {s["name"]: s for s in cli.json("status", "--json")["substances"]}["alcohol"]
    assert alc["milestones_reached"] == [] and alc["next_milestone"] is None and alc["days"] == 52
    cli("config", "set", "milestones", "on", ok=True)
    cli("substance", "edit", "alcohol", "--milestones", "off", ok=True)
    alc = {s["name"]: s for s in cli.json("status", "--json")["substances"]}["alcohol"]
    assert alc["next_milestone"] is None


def test_empty_status(cli, empty_journal):
    doc = cli.json("status", "--json")
    assert doc["substances"] == [] and doc["checkins"]["streak"] == 0 and doc["checkins"]["last_checkin"] is None
    out = cli("status", ok=True).stdout
    assert "substance add" in out and "checkin" in out


# -- the terminal view ---------------------------------------------------------------

def _rich_history(cli):
    cli("substance", "add", "Alcohol [bold]", "--unit", "drinks", "--last-use", "2026-06-30", ok=True)
    cli("substance", "add", "nicotine", "--unit", "count", "--goal", "reduce", "--max-per-day", "5",
        "--max-days", "3", "--per", "week", ok=True)
    cli("substance", "add", "cannabis", "--goal", "monitor", ok=True)
    for i in range(1, 22):
        used = ["--used", "Alcohol [bold]:2"] if i == 12 else []
        used += ["--used", "nicotine:4"] if i % 4 == 0 else []
        checkin(cli, f"2026-11-{i:02d}", *used, "--sober")


@pytest.mark.parametrize("width", [60, 80, 120])
def test_status_renders_cleanly_at_each_width(cli, monkeypatch, width):
    _rich_history(cli)
    monkeypatch.setenv("COLUMNS", str(width))
    out = cli("status", ok=True).stdout
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), [line for line in lines if len(line) > width]
    assert all(line == line.rstrip() for line in lines)
    text = " ".join(out.split())
    assert "Alcohol [bold] (abstain)" in text                      # user text escaped, shown as typed
    assert "9 days without Alcohol [bold]" in text
    assert "Sober days: 20 of 21 recorded days" in text
    assert "Longest period: 134 days" in text
    assert "nicotine (reduce: at most 5 a day, 3 use days a week)" in text
    assert "cannabis (monitoring)" in text and "Check-ins: streak 21 days" in text
    sob = cli("sobriety", "Alcohol [BOLD]", ok=True).stdout
    assert all(len(line) <= width for line in sob.splitlines())
    assert "History (newest first)" in sob and "2026-07-01" in sob


# -- speed ------------------------------------------------------------------------------

def test_ten_years_of_daily_data(cli, db_path):
    """Ten years of daily rows give exact figures. Speed is measured by bench/bench.py, not here:
    a timed assertion fails on a busy machine without anything being wrong."""
    cli("substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2016-01-01", ok=True)
    cli("substance", "add", "nicotine", "--unit", "count", "--goal", "reduce", "--max-per-day", "5", ok=True)
    start = date(2016, 11, 21)
    days = [start + timedelta(days=i) for i in range(3650)]
    stamp = "2026-11-21T10:00:00+00:00"
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO checkins (date, mood, craving, recorded_at, recorded_on, updated_at) VALUES (?, 6, 2, ?, ?, ?)",
            [(d.isoformat(), stamp, d.isoformat(), stamp) for d in days])
        conn.executemany(
            "INSERT INTO uses (substance_id, date, used, amount, note, recorded_at, recorded_on, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(sid, d.isoformat(), int(used), 2.0 if used else None, "note" if used else None, stamp, d.isoformat(), stamp)
             for i, d in enumerate(days) for sid, used in ((1, i % 97 == 0), (2, i % 3 == 0))])
    from datetime import datetime

    from recoverylog.clock import FixedClock
    from recoverylog.reports.status import build_status
    from recoverylog.storage.db import open_store

    store = open_store(db_path, FixedClock(datetime.fromisoformat(stamp)))
    try:
        report = build_status(store, days[-1])
    finally:
        store.close()
    assert report.substances[0].recorded_days == 3650 and report.checkins.streak == 3650
    assert report.substances[0].use_days == len(range(0, 3650, 97))
    cli("checkin", "--mood", "5", "--craving", "1", "--used", "alcohol:1", "--sober", ok=True)
    after = cli.json("status", "--json")
    alcohol = next(s for s in after["substances"] if s["name"] == "alcohol")
    assert alcohol["last_use"] == "2026-11-21" and alcohol["days"] == 0
    assert after["checkins"]["streak"] == 1 and after["checkins"]["longest_streak"] == 3650  # rows end 2026-11-18


def test_sobriety_view_with_many_periods_points_to_the_json_and_keeps_its_indent(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    cli("substance", "add", "alcohol", "--sober-since", "2025-11-01", ok=True)
    for day in ["2025-12-15"] + [f"2026-{month:02d}-15" for month in range(1, 12)]:
        cli("use", "alcohol", "--date", day, ok=True)  # 13 periods: the view shows 12
    lines = cli("sobriety", "alcohol", ok=True).stdout.splitlines()
    assert [line for line in lines if line.strip().startswith("2026-")][0].startswith("  2026-11-16  now")
    tail = " ".join(line.strip() for line in lines[-2:])
    assert "… and 1 earlier period (`recoverylog sobriety alcohol --json` lists them all)." in tail
    assert all(len(line) <= 60 for line in lines) and all(line.startswith("  ") for line in lines[-2:])


def test_unrecorded_days_before_any_use_are_counted_since_tracking_began(cli):
    cli("substance", "add", "alcohol", ok=True)
    checkin(cli, "2026-11-18", "--sober")
    text = " ".join(cli("status", ok=True).stdout.split())
    # No use was ever recorded or declared: the count runs from tracking, not from a "last use".
    assert "Unrecorded since tracking began: 3 days (not counted as sober)" in text
    assert "since the last use" not in text
    cli("use", "alcohol", "--date", "2026-11-19", ok=True)
    text = " ".join(cli("status", ok=True).stdout.split())
    assert "Unrecorded since the last use: 2 days (not counted as sober)" in text


def test_a_past_as_of_is_worded_as_a_past_day(cli):
    cli("checkin", "--date", "2026-11-10", "--mood", "6", "--craving", "2", ok=True)
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    out = " ".join(cli("status", "--as-of", "2026-11-10", ok=True).stdout.split())
    assert "done that day" in out and "today" not in out.split("Check-ins:")[1].split("·")[1]
    assert "No substance was tracked yet on that day." in out
    earlier = " ".join(cli("status", "--as-of", "2026-11-01", ok=True).stdout.split())
    assert "Check-ins: none on or before that day." in earlier
    now = " ".join(cli("status", ok=True).stdout.split())
    assert "done for today" in now
