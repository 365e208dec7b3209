"""`report`: measures on a hand-built history with known answers, the JSON contract, and
golden files of the table and markdown views (COLUMNS=80, NO_COLOR=1).

Regenerate the golden files after an intended change of the views:
    RECOVERYLOG_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_report.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
REGEN = bool(os.environ.get("RECOVERYLOG_REGEN_GOLDEN"))

CONTRACT = {
    "period": {"start", "end", "days"},
    "checkins": {"days", "share", "longest_streak", "backfilled"},
    "mood": {"mean", "min", "max", "days", "trend_per_week"},
    "craving": {"mean", "min", "max", "days", "trend_per_week", "high_days"},
    "stress": {"mean", "min", "max", "days", "trend_per_week"},
    "sleep": {"mean", "min", "max", "days", "trend_per_week"},
    "halt": {"hungry", "angry", "lonely", "tired"},
    "meetings": {"count", "verified", "by_fellowship", "by_format", "per_week"},
    "outreach": {"count", "by_role"},
}
SUBSTANCE_KEYS = {"name", "recorded_days", "coverage", "use_days", "sober_days", "pda", "total_amount",
                  "amount_per_use_day", "heavy_days", "days_at_end"}
GOAL_KEYS = {"title", "metric", "target", "per", "value", "progress", "met"}


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGEN or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not REGEN:
            pytest.fail(f"golden file {name} was missing and has been written; run again")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (RECOVERYLOG_REGEN_GOLDEN=1 to accept)"


@pytest.fixture
def history(cli):
    """Week of Mon 16 – Sat 21 Nov 2026 (today): a reduce goal for alcohol and an abstain goal for
    cannabis, a lapse on the 18th, the 19th and 21st unrecorded, everything filled in on the 21st."""
    cli("substance", "add", "Alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2",
        "--max-days", "2", "--per", "week", ok=True)
    cli("substance", "add", "Cannabis", "--last-use", "2026-10-01", ok=True)
    cli("checkin", "--date", "2026-11-16", "--mood", "5", "--craving", "2", "--sleep", "7", "--sober", ok=True)
    cli("checkin", "--date", "2026-11-17", "--mood", "6", "--craving", "3", "--stress", "4",
        "--used", "Alcohol:2", "--sober", ok=True)
    cli("checkin", "--date", "2026-11-18", "--mood", "7", "--craving", "8", "--stress", "6",
        "--used", "Alcohol:6", "--used", "Cannabis", "--halt", "lonely,tired", ok=True)
    cli("checkin", "--date", "2026-11-20", "--mood", "8", "--craving", "1", "--sleep", "8.5", "--sober", ok=True)
    cli("goal", "add", "3 meetings a week", "--metric", "meetings", "--target", "3", "--per", "week",
        "--start", "2026-11-01", ok=True)
    cli("goal", "add", "Check in every day this month", "--metric", "checkins", "--every-day",
        "--per", "month", "--start", "2026-11-01", ok=True)
    return cli


def test_week_measures_known_answers(history):
    data = history.json("report", "--week", "--format", "json")
    assert data["period"] == {"start": "2026-11-16", "end": "2026-11-21", "days": 6}
    assert data["checkins"] == {"days": 4, "share": 0.6667, "longest_streak": 3, "backfilled": 4,
                                "incomplete": True}
    mood = data["mood"]
    assert (mood["mean"], mood["min"], mood["max"], mood["days"]) == (6.5, 5, 8, 4)
    # Four days with a value: too few for a trend (7 needed, spread over 7 days).
    assert mood["trend_per_week"] is None and mood["trend_reason"].startswith("too few days")
    assert data["craving"]["high_days"] == 1 and data["craving"]["max"] == 8
    assert data["sleep"]["mean"] == 7.75 and data["sleep"]["days"] == 2
    assert data["stress"]["trend_per_week"] is None  # two days: too few for a trend
    assert data["stress"]["trend_reason"] == "too few days for a trend: 2 with a value, 7 needed"
    assert data["halt"] == {"hungry": 0, "angry": 0, "lonely": 1, "tired": 1}
    alcohol, cannabis = data["substances"]
    assert alcohol["name"] == "Alcohol"
    assert {k: alcohol[k] for k in SUBSTANCE_KEYS} == {
        "name": "Alcohol", "recorded_days": 4, "coverage": 0.6667, "use_days": 2, "sober_days": 2,
        "pda": 50.0, "total_amount": 8, "amount_per_use_day": 4.0, "heavy_days": 1, "days_at_end": 3}
    assert alcohol["incomplete"] is True  # coverage under 80 %
    assert alcohol["within_goal_days"] == 3
    assert alcohol["within_goal_periods"] == {"per": "week", "within": 0, "over": 1, "incomplete": 0}
    assert {k: cannabis[k] for k in SUBSTANCE_KEYS} == {
        "name": "Cannabis", "recorded_days": 4, "coverage": 0.6667, "use_days": 1, "sober_days": 3,
        "pda": 75.0, "total_amount": None, "amount_per_use_day": None, "heavy_days": None, "days_at_end": 3}
    states = {d["date"]: d["substances"]["Alcohol"]["state"] for d in data["daily"]}
    assert states == {"2026-11-16": "sober", "2026-11-17": "within_goal", "2026-11-18": "used",
                      "2026-11-19": "unrecorded", "2026-11-20": "sober", "2026-11-21": "unrecorded"}


def test_json_has_every_contract_key(history):
    data = history.json("report", "--format", "json")
    for key, keys in CONTRACT.items():
        assert keys <= set(data[key]), key
    assert all(SUBSTANCE_KEYS <= set(s) for s in data["substances"])
    assert data["goals"] and all(GOAL_KEYS <= set(g) for g in data["goals"])
    assert all({"week_start", "count", "from", "to"} <= set(w) for w in data["meetings"]["per_week"])
    assert 0 <= data["checkins"]["share"] <= 1


def test_before_the_lapse_the_days_count_on(history):
    data = history.json("report", "--since", "2026-11-16", "--until", "2026-11-17", "--format", "json")
    alcohol, cannabis = data["substances"]
    assert alcohol["days_at_end"] == 0          # used on the 17th (within goal)
    assert cannabis["days_at_end"] == 47        # declared last use 1 Oct → 17 Nov
    assert cannabis["coverage"] == 1.0 and cannabis["incomplete"] is False and cannabis["pda"] == 100.0
    assert data["checkins"]["days"] == 2 and data["mood"]["mean"] == 5.5


def test_a_period_with_no_data_is_undefined_not_zero(history):
    data = history.json("report", "--since", "2026-11-01", "--until", "2026-11-07", "--format", "json")
    assert data["checkins"]["days"] == 0 and data["checkins"]["longest_streak"] == 0
    assert data["mood"] == data["mood"] | {"mean": None, "min": None, "max": None, "days": 0,
                                           "trend_per_week": None}
    assert data["substances"] == []  # neither substance was tracked yet: nothing to report on
    table = history("report", "--since", "2026-11-01", "--until", "2026-11-07", ok=True).stdout
    assert "Nothing was recorded in this period yet" in table


def test_a_tracked_substance_with_no_records_in_the_period_has_undefined_rates(cli):
    cli("substance", "add", "Alcohol", "--unit", "drinks", ok=True)
    cli("checkin", "--date", "2026-11-01", "--mood", "5", "--craving", "2", "--sober", ok=True)
    cli("checkin", "--date", "2026-11-18", "--mood", "5", "--craving", "2", "--sober", ok=True)
    data = cli.json("report", "--since", "2026-11-09", "--until", "2026-11-15", "--format", "json")
    (alcohol,) = data["substances"]
    assert (alcohol["recorded_days"], alcohol["coverage"], alcohol["unrecorded_days"]) == (0, 0.0, 7)
    # Nothing recorded: no day is known to be heavy or not, so the count is undefined, not 0.
    assert alcohol["pda"] is None and alcohol["total_amount"] is None
    assert alcohol["amount_per_use_day"] is None and alcohol["heavy_days"] is None


def test_goals_report_the_period_containing_the_end(history):
    history("meeting", "add", "Tuesday Night", "--date", "2026-11-17", "--fellowship", "AA")
    data = history.json("report", "--week", "--format", "json")
    goals = {g["title"]: g for g in data["goals"]}
    every_day = goals["Check in every day this month"]
    assert every_day["target"] == 30 and every_day["per"] == "month" and every_day["value"] == 4
    assert every_day["progress"] == pytest.approx(13.3, abs=0.1) and every_day["met"] is False
    last_month = history.json("report", "--since", "2026-10-01", "--until", "2026-10-31", "--format", "json")
    assert last_month["goals"] == []  # the goals started on 1 November


def test_future_as_of_and_until_are_refused(history):
    for args in (["--as-of", "2026-11-22"], ["--until", "2026-12-01"]):
        result = history("report", *args)
        assert result.exit_code == 1
        assert "future" in result.stderr and result.stdout == ""


def test_bad_format_and_mixed_periods(history):
    result = history("report", "--format", "pdf")
    assert result.exit_code == 1 and "table, json or markdown" in result.stderr
    result = history("report", "--week", "--month")
    assert result.exit_code == 2 and "Choose one" in result.stderr


def test_table_view_golden(history):
    text = history("report", "--week", ok=True).stdout
    assert "✕" in text and "Legend" in text and "\x1b[" not in text
    check_golden("report_week.txt", text)


def test_markdown_view_golden(history):
    text = history("report", "--month", "--format", "markdown", ok=True).stdout
    assert text.startswith("# Report · 1 Nov – 21 Nov 2026 (21 days)")
    check_golden("report_month.md", text)


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_table_fits_the_terminal(history, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    text = history("report", "--since", "2026-06-01", ok=True).stdout
    assert max(len(line) for line in text.splitlines()) <= int(columns)


def test_words_are_person_first(history):
    text = history("report", "--week", ok=True).stdout + history("report", "--format", "markdown", ok=True).stdout
    for word in ("addict", "abuser", "dirty", "clean", "failure", "failed", "relapse"):
        assert word not in text.lower()


def test_user_text_is_inert(cli):
    cli("substance", "add", "[bold]X", ok=True)
    cli("checkin", "--mood", "5", "--craving", "1", "--sober", ok=True)
    text = cli("report", ok=True).stdout
    assert "[bold]X" in text
    md = cli("report", "--format", "markdown", ok=True).stdout
    assert "\\[bold\\]X" in md


def test_requirement_periods_in_the_report_say_short_by_once_closed(cli):
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-11-09", ok=True)
    cli("meeting", "add", "Tuesday Night", "--date", "2026-11-10", "--fellowship", "AA", ok=True)
    cli("meeting", "add", "Tuesday Night", "--date", "2026-11-17", ok=True)
    data = cli.json("report", "--since", "2026-11-09", "--format", "json")
    closed, current = data["meetings"]["requirements"]
    assert (closed["counted"], closed["deficit"], closed["current"]) == (1, 2, False)
    assert (current["counted"], current["deficit"], current["current"], current["days_left"]) == (1, 2, True, 2)
    text = cli("report", "--since", "2026-11-09", ok=True).stdout
    # A week that is over cannot still be "to go"; the open week can.
    assert "court 9 Nov–15 Nov (all meetings): 1 of 3 (short by 2)" in text
    assert "court 16 Nov–22 Nov (all meetings): 1 of 3 (2 to go, 2 days left)" in text
    md = cli("report", "--since", "2026-11-09", "--format", "markdown", ok=True).stdout
    assert "short by 2" in md and "1 of 3 (2 to go)" in md


def test_a_week_cut_by_the_window_is_judged_on_all_its_days(cli):
    # At most 2 use days a week. Week of Mon 9 Nov: used on Mon 9, Tue 10 (before the window) and
    # Fri 13 (inside a window from Thu 12): 3 use days, so that week is over the limit even though
    # the window sees only one of them.
    cli("substance", "add", "Alcohol", "--unit", "drinks", "--goal", "reduce", "--max-days", "2", "--per", "week",
        ok=True)
    for day in range(9, 22):
        flag = ["--used", "Alcohol:1"] if day in (9, 10, 13) else ["--sober"]
        cli("checkin", "--date", f"2026-11-{day:02d}", "--mood", "6", "--craving", "2", *flag, ok=True)
    data = cli.json("report", "--since", "2026-11-12", "--until", "2026-11-21", "--format", "json")
    (alcohol,) = data["substances"]
    assert alcohol["use_days"] == 1 and alcohol["recorded_days"] == 10   # window measures stay in the window
    assert alcohol["within_goal_periods"] == {"per": "week", "within": 1, "over": 1, "incomplete": 0}
