"""Goals: every metric, on track and behind, manual goals, bad input (nothing stored)."""

from __future__ import annotations

import sqlite3

import pytest

NOW = "2026-11-21T10:00:00+00:00"  # Saturday 21 November 2026


def add_rows(db_path, sql, rows):
    """Meetings and outreach rows written directly (their own commands are tested in their issues)."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(sql, rows)
    conn.close()


def goals_by_title(cli, *args):
    return {g["title"]: g for g in cli.json("goal", "list", "--json", *args)}


def test_checkins_every_day_this_month_on_track_then_behind(cli):
    for day in range(1, 21):  # 1–20 November, today (21st) not yet
        cli("checkin", "--date", f"2026-11-{day:02d}", "--mood", "6", "--craving", "2", ok=True)
    cli("goal", "add", "check in every day this month", "--metric", "checkins", "--every-day",
        "--per", "month", "--start", "2026-11-01", ok=True)
    g = goals_by_title(cli)["check in every day this month"]
    assert (g["target"], g["per"], g["value"], g["met"]) == (30, "month", 20, False)
    assert g["progress"] == pytest.approx(66.7, abs=0.1)
    assert g["on_track"] is True and g["state"] == "on track"  # today is not over yet
    assert g["period"] == {"start": "2026-11-01", "end": "2026-11-30"}
    cli("checkin", "--date", "2026-11-05", "--mood", "6", "--craving", "2", ok=True)  # merge: no new day
    cli("checkin", "delete", "2026-11-10", "--yes", ok=True)
    g = goals_by_title(cli)["check in every day this month"]
    assert g["value"] == 19 and g["on_track"] is False and g["state"] == "behind"
    text = cli("goal", "list", ok=True).stdout
    assert "behind" in text and "19 of 30" in text


def test_every_day_goal_with_a_missed_day_stays_reachable_while_it_can_be_filled_in(cli):
    # 1–4 and 6–21 November checked in (today included), 5 November not yet: it can still be
    # filled in, so every day of November is still possible.
    for day in [*range(1, 5), *range(6, 22)]:
        cli("checkin", "--date", f"2026-11-{day:02d}", "--mood", "6", "--craving", "2", ok=True)
    cli("goal", "add", "check in every day this month", "--metric", "checkins", "--every-day",
        "--per", "month", "--start", "2026-11-01", ok=True)
    g = goals_by_title(cli)["check in every day this month"]
    assert (g["value"], g["target"], g["met"]) == (20, 30, False)
    assert g["reachable"] is True and g["at_most"] == 30 and g["open_past_days"] == 1
    # The same goal before the missed day was reachable and on track.
    earlier = goals_by_title(cli, "--as-of", "2026-11-04")["check in every day this month"]
    assert earlier["on_track"] is True and earlier["reachable"] is True


def test_at_most_counts_unrecorded_past_days_and_says_how_many(cli):
    # "27 sober days" in November (30 days). Used 1–3 Nov (settled: they cannot count); 4–19 sober;
    # 20 Nov not recorded yet; today 21 Nov sober. Hand count: 16 sober before today, 1 past day that
    # can still be filled in, 10 days from today to 30 Nov: at most 16 + 1 + 10 = 27.
    cli("substance", "add", "Alcohol", "--unit", "drinks", ok=True)
    for day in [*range(1, 20), 21]:
        flag = ["--used", "Alcohol:2"] if day <= 3 else ["--sober"]
        cli("checkin", "--date", f"2026-11-{day:02d}", "--mood", "6", "--craving", "2", *flag, ok=True)
    cli("goal", "add", "28 sober days", "--metric", "sober-days", "--substance", "Alcohol", "--target", "28",
        "--per", "month", "--start", "2026-11-01", ok=True)
    cli("goal", "add", "27 sober days", "--metric", "sober-days", "--substance", "Alcohol", "--target", "27",
        "--per", "month", "--start", "2026-11-01", ok=True)
    goals = goals_by_title(cli)
    g = goals["28 sober days"]
    assert (g["value"], g["at_most"], g["open_past_days"], g["reachable"]) == (17, 27, 1, False)
    assert goals["27 sober days"]["reachable"] is True
    text = " ".join(cli("goal", "list", ok=True).stdout.split())
    assert ("behind: at most 27 of 28 can still be reached this month, counting 1 past day not recorded yet; "
            "the 17 so far still count") in text
    # Filling in 20 Nov as sober keeps the 27 reachable and it is then counted.
    cli("checkin", "--date", "2026-11-20", "--mood", "6", "--craving", "2", "--sober", ok=True)
    g = goals_by_title(cli)["27 sober days"]
    assert (g["value"], g["reachable"], g["open_past_days"]) == (18, True, 0)


def test_sober_days_goal_reachable_until_too_few_days_remain(cli):
    cli("substance", "add", "Alcohol", "--unit", "drinks", ok=True)
    for day in range(1, 22):  # used on 1–3 November, sober since
        flag = ["--used", "Alcohol:2"] if day <= 3 else ["--sober"]
        cli("checkin", "--date", f"2026-11-{day:02d}", "--mood", "6", "--craving", "2", *flag, ok=True)
    cli("goal", "add", "27 sober days", "--metric", "sober-days", "--substance", "Alcohol", "--target", "27",
        "--per", "month", "--start", "2026-11-01", ok=True)
    cli("goal", "add", "28 sober days", "--metric", "sober-days", "--substance", "Alcohol", "--target", "28",
        "--per", "month", "--start", "2026-11-01", ok=True)
    goals = goals_by_title(cli)
    assert goals["27 sober days"]["reachable"] is True and goals["27 sober days"]["value"] == 18
    assert goals["28 sober days"]["reachable"] is False and goals["28 sober days"]["on_track"] is False


def test_meetings_per_week_met_and_last_week(cli, db_path):
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", "--start", "2026-11-01", ok=True)
    rows = [(d, "Step group", "t", "d") for d in ("2026-11-16", "2026-11-18", "2026-11-21", "2026-11-13")]
    add_rows(db_path, "INSERT INTO meetings (date, name, recorded_at, recorded_on, updated_at) "
             "VALUES (?, ?, ?, ?, ?)", [(d, n, "x", d, "x") for d, n, *_ in rows])
    g = goals_by_title(cli)["3 meetings a week"]
    assert (g["per"], g["value"], g["target"], g["met"], g["progress"]) == ("week", 3, 3, True, 100.0)
    assert g["period"] == {"start": "2026-11-16", "end": "2026-11-22"}
    assert "goal met" in cli("goal", "list", ok=True).stdout
    last = goals_by_title(cli, "--as-of", "2026-11-15")["3 meetings a week"]
    assert last["value"] == 1 and last["met"] is False and last["on_track"] is False


def test_ninety_in_ninety_total_goal(cli, db_path):
    cli("goal", "add", "90 meetings in 90 days", "--metric", "meetings", "--target", "90",
        "--start", "2026-10-01", "--due", "2026-12-29", ok=True)
    add_rows(db_path, "INSERT INTO meetings (date, name, recorded_at, recorded_on, updated_at) VALUES (?, 'M', 'x', ?, 'x')",
             [(f"2026-10-{d:02d}", f"2026-10-{d:02d}") for d in range(1, 32)]
             + [(f"2026-11-{d:02d}", f"2026-11-{d:02d}") for d in range(1, 22)])
    g = goals_by_title(cli)["90 meetings in 90 days"]
    assert (g["per"], g["value"], g["target"]) == ("total", 52, 90)
    assert g["elapsed_share"] == pytest.approx(52 / 90, abs=1e-3)
    assert g["on_track"] is True  # 52 by day 52 of 90


def test_sober_days_goal_counts_recorded_days_only(cli):
    cli("substance", "add", "Alcohol", "--unit", "drinks", ok=True)
    cli("checkin", "--date", "2026-11-02", "--mood", "6", "--craving", "2", "--sober", ok=True)
    cli("checkin", "--date", "2026-11-03", "--mood", "6", "--craving", "2", "--used", "Alcohol:3", ok=True)
    cli("checkin", "--date", "2026-11-05", "--mood", "6", "--craving", "2", "--sober", ok=True)
    cli("goal", "add", "30 sober days this month", "--metric", "sober-days", "--substance", "alcohol",
        "--target", "30", "--per", "month", "--start", "2026-11-01", ok=True)
    g = goals_by_title(cli)["30 sober days this month"]
    assert g["value"] == 2 and g["substance"] == "Alcohol" and g["on_track"] is False


def test_outreach_goal(cli, db_path):
    cli("goal", "add", "reach out twice a week", "--metric", "outreach", "--target", "2", ok=True)
    add_rows(db_path, "INSERT INTO contacts (id, alias, role, created_at) VALUES (?, ?, ?, 'x')",
             [(1, "Sam", "sponsor")])
    add_rows(db_path, "INSERT INTO outreach (contact_id, date, recorded_at) VALUES (1, ?, 'x')",
             [("2026-11-20",), ("2026-11-21",), ("2026-11-14",)])
    g = goals_by_title(cli)["reach out twice a week"]
    # Started today: its first week runs from today, so only today's outreach counts.
    assert g["period"]["start"] == "2026-11-21" and g["value"] == 1
    report = cli.json("report", "--format", "json")
    assert report["outreach"] == {"count": 2, "by_role": {"sponsor": 2}}


def test_manual_goal_done_and_archive(cli):
    cli("goal", "add", "finish step 4 by March", "--start", "2026-11-01", "--due", "2027-03-01", ok=True)
    g = goals_by_title(cli)["finish step 4 by March"]
    assert (g["metric"], g["per"], g["value"], g["target"], g["met"], g["progress"]) == ("manual", "total", 0, 1, False, 0.0)
    result = cli("goal", "done", "FINISH STEP 4 BY MARCH", ok=True)
    assert "Well done" in result.stderr
    g = goals_by_title(cli)["finish step 4 by March"]
    assert g["met"] is True and g["progress"] == 100.0 and g["done_on"] == "2026-11-21"
    assert goals_by_title(cli, "--as-of", "2026-11-20")["finish step 4 by March"]["met"] is False
    assert "already" in cli("goal", "done", str(g["id"]), ok=True).stderr
    cli("goal", "archive", str(g["id"]), ok=True)
    assert cli.json("goal", "list", "--json") == []
    revisions = sqlite3.connect(cli_db(cli)).execute("SELECT count(*) FROM revisions WHERE entity='goal'").fetchone()[0]
    assert revisions == 2


def cli_db(cli):
    import os

    return os.path.join(os.environ["RECOVERYLOG_HOME"], "recoverylog.db")


@pytest.mark.parametrize("args, code, words", [
    (["x", "--metric", "steps"], 1, "Unknown metric"),
    (["x", "--metric", "meetings"], 2, "--target N or --every-day"),
    (["x", "--metric", "meetings", "--target", "3", "--every-day"], 2, "not both"),
    (["x", "--metric", "meetings", "--target", "0"], 1, "greater than 0"),
    (["x", "--metric", "checkins", "--target", "8", "--per", "week"], 1, "cannot fit"),
    (["x", "--metric", "sober-days", "--target", "3"], 2, "--substance"),
    (["x", "--metric", "sober-days", "--substance", "tea", "--target", "3"], 3, "Unknown substance"),
    (["x", "--metric", "checkins", "--every-day", "--per", "total"], 2, "--due"),
    (["x", "--target", "3"], 2, "manual goal has no target"),
    (["x", "--per", "year"], 1, "week, month or total"),
    (["x", "--start", "2026-11-10", "--due", "2026-11-01"], 1, "before the start"),
    (["   "], 1, "needs a title"),
])
def test_bad_goals_are_refused_and_nothing_stored(cli, args, code, words, db_path):
    result = cli("goal", "add", *args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and result.stdout == ""
    assert not db_path.exists()  # a refused command creates no journal


def test_done_on_a_metric_goal_and_unknown_goal(cli):
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", ok=True)
    result = cli("goal", "done", "3 meetings a week")
    assert result.exit_code == 2 and "only manual goals" in result.stderr
    result = cli("goal", "done", "nothing like this")
    assert result.exit_code == 3 and "no goal titled" in result.stderr


def test_goal_list_text_and_empty(cli, monkeypatch, empty_journal):
    assert "No active goals" in cli("goal", "list", ok=True).stdout
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", ok=True)
    for columns in ("60", "80", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        text = cli("goal", "list", ok=True).stdout
        assert "0 of 3 meetings" in text.replace("\n", " ")
        assert max(len(line) for line in text.splitlines()) <= int(columns)


def test_status_has_a_goals_part(cli, empty_journal):
    assert "goals" not in cli.json("status", "--json")  # no goals: the part is left out
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", ok=True)
    part = cli.json("status", "--json")["goals"]
    assert [(g["title"], g["value"], g["target"], g["state"]) for g in part] == [("3 meetings a week", 0, 3, "on track")]
    text = cli("status", ok=True).stdout
    assert "Goals" in text and "0 of 3 meetings" in text
