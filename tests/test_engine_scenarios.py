"""The day-state engine through the CLI: every edge case found when a new user tried eight weeks
of realistic data, and the rules written in docs/definitions.md §2–§7, with answers counted by
hand. "Today" is Saturday 21 November 2026 unless a test says otherwise."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DEFAULT_NOW

ABSTINENCE_WORDS = ("sober", "days abstinent", "sobriety date", "days without use", "abstinent")


def checkin(cli, day, *extra, now=None):
    return cli("checkin", "--date", day, "--mood", "6", "--craving", "2", *extra, ok=True, now=now)


def flat(result) -> str:
    return " ".join(result.stdout.split())


def sponsor_json(cli, *extra):
    return json.loads(cli("export", "-f", "json", *extra, ok=True).stdout)


def substance(doc, name):
    return next(s for s in doc["substances"] if s["name"] == name)


# -- gaps are not periods -------------------------------------------------------------------

@pytest.fixture
def cigarettes(cli):
    """Cigarettes (reduce, at most 10 a day) used every day 1–21 Nov except 10 and 11 Nov, which
    were never checked in. Tracking began 1 Nov (the first record)."""
    cli("substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "10", ok=True)
    for day in range(1, 22):
        if day not in (10, 11):
            checkin(cli, f"2026-11-{day:02d}", "--used", "cigarettes:6")
    return cli


def test_unrecorded_days_between_uses_are_a_gap_not_a_period(cigarettes):
    cli = cigarettes
    item = substance(cli.json("status", "--json"), "cigarettes")
    # The only stretch between uses is 10–11 Nov: 2 days, none recorded. Not a period.
    assert item["longest_days"] == 0 and item["average_recent_periods"] is None
    (gap,) = item["periods"]
    assert (gap["start"], gap["end"], gap["days"]) == ("2026-11-10", "2026-11-11", 2)
    assert (gap["recorded_days"], gap["unrecorded_days"], gap["gap"]) == (0, 2, True)
    text = flat(cli("sobriety", "cigarettes", ok=True))
    assert "2026-11-10 2026-11-11 2 days not recorded use on 2026-11-12" in text
    md = cli("export", "--since", "2026-11-01", ok=True).stdout
    assert "2 days without use" not in md and "without use" not in md.split("## Day by day")[0]
    assert substance(sponsor_json(cli)["data"], "cigarettes")["longest_days"] == 0


def test_a_period_keeps_its_length_and_says_how_much_of_it_was_recorded(cli):
    # Alcohol: used 2 Nov and 10 Nov; between them 3–9 Nov (7 days), of which 4, 5 and 8 Nov recorded.
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    checkin(cli, "2026-11-02", "--used", "alcohol:2")
    for day in ("2026-11-04", "2026-11-05", "2026-11-08"):
        checkin(cli, day, "--sober")
    checkin(cli, "2026-11-10", "--used", "alcohol:1")
    for day in range(11, 22):
        checkin(cli, f"2026-11-{day:02d}", "--sober")
    item = substance(cli.json("status", "--json"), "alcohol")
    first, second = item["periods"]
    assert (first["start"], first["end"], first["days"], first["recorded_days"], first["unrecorded_days"],
            first["gap"]) == ("2026-11-03", "2026-11-09", 7, 3, 4, False)
    assert (second["days"], second["recorded_days"], second["unrecorded_days"]) == (11, 11, 0)
    assert item["longest_days"] == 11
    assert "3 of 7" in flat(cli("sobriety", "alcohol", ok=True))


# -- milestones need a record --------------------------------------------------------------------

@pytest.fixture
def opioids(cli):
    """Opioids added 1 Nov; no use recorded 1–17 Nov; a use on 18 Nov; nothing since (19–21 Nov)."""
    cli("substance", "add", "opioids", now="2026-11-01T10:00:00+00:00", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", DEFAULT_NOW)
    for day in range(1, 18):
        checkin(cli, f"2026-11-{day:02d}", "--sober")
    checkin(cli, "2026-11-18", "--used", "opioids")
    return cli


def test_no_milestone_without_a_record_after_a_use(opioids, tmp_path):
    cli = opioids
    item = substance(cli.json("status", "--json"), "opioids")
    assert item["days"] == 3 and item["last_use"] == "2026-11-18"
    assert item["milestones_reached"] == []
    assert item["milestones_pending"] == [{"label": "24 hours", "date": "2026-11-19"}]
    assert item["recorded_since_last_use"] == 0
    status = flat(cli("status", ok=True))
    assert "3 days since the last recorded use (none recorded since)" in status
    assert "3 days without opioids" not in status and "Reached 24 hours" not in status
    # The sponsor summary announces no milestone and says the days were not recorded.
    doc = sponsor_json(cli, "--week")
    assert doc["data"]["milestones"] == []
    assert substance(doc["data"], "opioids")["recorded_since_last_use"] == 0
    md = cli("export", "--week", ok=True).stdout
    assert "Milestones reached" not in md
    assert "3 days since the last recorded use (none recorded since)" in md
    # The sponsor's review: one file in detail, two in the overview; neither counts unrecorded days.
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        cli("export", "--week", "-f", "json", "-o", str(path), ok=True)
    detail = flat(cli("review", str(paths[0]), ok=True))
    assert "3 days since the last recorded use (none recorded since)" in detail
    overview = flat(cli("review", *map(str, paths), ok=True))
    assert "days without use: opioids 3 (none recorded)" in overview
    assert "Milestones reached" not in overview + detail


def test_a_later_record_confirms_the_milestone_with_its_own_date(opioids):
    cli = opioids
    checkin(cli, "2026-11-20", "--sober")  # filled in later
    item = substance(cli.json("status", "--json"), "opioids")
    assert item["milestones_reached"] == [{"label": "24 hours", "date": "2026-11-19"}]
    assert item["milestones_pending"] == [] and item["recorded_since_last_use"] == 1
    assert "Reached 24 hours on Thu 19 Nov" in flat(cli("status", ok=True))


def test_declared_days_before_tracking_count_toward_milestones(cli):
    # Sober since 1 Oct (last use 30 Sep), added today 21 Nov with no record yet: 30 days (30 Oct)
    # fell on declared days and counts; nothing since tracking began (today) needs confirming yet.
    cli("substance", "add", "alcohol", "--sober-since", "2026-10-01", ok=True)
    item = substance(cli.json("status", "--json"), "alcohol")
    assert [m["label"] for m in item["milestones_reached"]] == ["24 hours", "30 days"]
    assert item["milestones_pending"] == [] and item["days"] == 52


# -- reduce goals: one rule on every screen --------------------------------------------------------

@pytest.fixture
def drinks(cli):
    """Alcohol, reduce: at most 3 drinks a day and 3 use days a week. Week of Mon 16 Nov: no use on
    16, 17, 19, 20, 21 Nov; a use on Wed 18 Nov with no amount given."""
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "3",
        "--max-days", "3", "--per", "week", now="2026-11-16T10:00:00+00:00", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", DEFAULT_NOW)
    for day in (16, 17, 19, 20, 21):
        checkin(cli, f"2026-11-{day}", "--sober")
    checkin(cli, "2026-11-18", "--used", "alcohol")
    return cli


def test_a_use_with_no_amount_is_neither_within_nor_over_on_every_screen(drinks):
    cli = drinks
    reduce = substance(cli.json("status", "--json"), "alcohol")["reduce"]
    # Hand count: 1 use day (of 3 allowed), 0 within the daily limit, 1 amount unknown, none over.
    assert (reduce["use_days"], reduce["days_within_limit"], reduce["days_amount_unknown"],
            reduce["days_over_daily_limit"], reduce["verdict"]) == (1, 0, 1, 0, "within")
    assert (reduce["periods_within_goal"], reduce["periods_over_goal"]) == (1, 0)
    report = substance(cli.json("report", "--week", "-f", "json"), "alcohol")
    assert report["within_goal_periods"] == {"per": "week", "within": 1, "over": 0, "incomplete": 0}
    assert (report["reduce"]["periods_within_goal"], report["reduce"]["periods_over_goal"],
            report["reduce"]["days_amount_unknown"]) == (1, 0, 1)
    export = substance(sponsor_json(cli, "--week")["data"], "alcohol")["reduce"]
    assert (export["periods_within_goal"], export["periods_over_goal"], export["days_amount_unknown"]) == (1, 0, 1)
    assert "within goal so far" in flat(cli("status", ok=True))
    assert "1 week within goal, 0 over" in flat(cli("report", "--week", ok=True))
    # The day reads "used, amount not recorded" in the summary, never "within goal" nor "over".
    md = cli("export", "--week", ok=True).stdout
    assert "alcohol used, amount not recorded" in md


def test_a_reduce_summary_matches_the_shipped_schema(drinks):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads(resources.files("recoverylog").joinpath("data/summary.schema.json").read_text())
    doc = sponsor_json(drinks, "--week")
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert substance(doc["data"], "alcohol")["reduce"]["periods"][0]["verdict"] == "within"


def test_the_reduce_object_has_every_figure(drinks):
    cli = drinks
    keys = {"per", "use_days", "days_within_limit", "days_amount_unknown", "periods_within_goal",
            "periods_over_goal", "amount_this_period", "average_amount_previous_4", "streak_days"}
    assert keys <= set(substance(cli.json("status", "--json"), "alcohol")["reduce"])
    assert keys <= set(substance(cli.json("report", "-f", "json"), "alcohol")["reduce"])
    assert keys <= set(substance(sponsor_json(cli)["data"], "alcohol")["reduce"])
    assert keys <= set(cli.json("sobriety", "alcohol", "--json")["substances"][0]["reduce"])
    # Streak: 21, 20, 19 Nov within goal; 18 Nov's amount is unknown, so the run stops there.
    assert substance(cli.json("status", "--json"), "alcohol")["reduce"]["streak_days"] == 3


def test_reduce_and_monitor_goals_are_never_described_in_abstinence_words(cli, tmp_path):
    cli("substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "5",
        now="2026-10-01T10:00:00+00:00", ok=True)
    cli("substance", "add", "cannabis", "--goal", "monitor", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", DEFAULT_NOW)
    for day in range(1, 22):
        checkin(cli, f"2026-11-{day:02d}", "--used", f"cigarettes:{1 if day % 2 else 14}",
                *(("--used", "cannabis") if day % 5 == 0 else ()))
    # A backfilled use before the current week is judged against its own week (3 Nov had 1).
    out = flat(cli("use", "cigarettes", "--date", "2026-11-03", "--amount", "3", ok=True))
    assert "Tue 3 Nov: 4 cigarettes, within your limit of 5; that week: 7 use days, over the goal." in out
    assert "plan tomorrow" not in out and "0 of" not in out
    path = tmp_path / "s.json"
    cli("export", "--month", "-f", "json", "-o", str(path), ok=True)
    screens = [cli("status", ok=True).stdout, cli("sobriety", ok=True).stdout,
               cli("report", "--month", ok=True).stdout, cli("report", "--month", "-f", "markdown", ok=True).stdout,
               cli("export", "--month", ok=True).stdout, cli("export", "--month", "-f", "html", ok=True).stdout,
               cli("export", "--month", "-f", "csv", ok=True).stdout.splitlines()[0],
               cli("review", str(path), ok=True).stdout]
    for screen in screens:
        text = " ".join(screen.lower().split())
        text = text.replace("never as sober", "").replace("never counted as sober", "")
        for word in ABSTINENCE_WORDS:
            assert word not in text, (word, screen[:400])


def test_a_past_use_is_judged_against_its_own_week(cli):
    # At most 5 cigarettes a day and 3 use days a week. Week of Mon 2 Nov: uses on 2 and 4 Nov.
    # Recording 3 Nov afterwards: within the daily limit, and that week now holds 3 of 3 use days.
    cli("substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "5",
        "--max-days", "3", "--per", "week", now="2026-11-01T10:00:00+00:00", ok=True)
    cli.monkeypatch.setenv("RECOVERYLOG_NOW", DEFAULT_NOW)
    for day in range(1, 9):
        checkin(cli, f"2026-11-{day:02d}", *(("--used", "cigarettes:2") if day in (2, 4) else ("--sober",)))
    out = flat(cli("use", "cigarettes", "--date", "2026-11-03", "--amount", "2", ok=True))
    assert "Tue 3 Nov: 2 cigarettes, within your limit of 5; that week: 3 of 3 use days, within goal." in out
    out = flat(cli("use", "cigarettes", "--date", "2026-11-06", "--amount", "1", ok=True))
    assert "Fri 6 Nov: 1 cigarette, within your limit of 5; that week: 4 of 3 use days, over the goal." in out


# -- trends need enough days ------------------------------------------------------------------------

def test_no_trend_through_two_check_ins(cli):
    cli("checkin", "--date", "2026-11-20", "--mood", "3", "--craving", "2", ok=True)
    cli("checkin", "--date", "2026-11-21", "--mood", "9", "--craving", "9", ok=True)
    data = cli.json("report", "-f", "json")
    assert data["craving"]["trend_per_week"] is None
    assert data["craving"]["trend_reason"] == "too few days for a trend: 2 with a value, 7 needed"
    assert "/wk" not in cli("report", ok=True).stdout
    doc = sponsor_json(cli)
    assert doc["data"]["measures"]["craving"]["trend_per_week"] is None
    assert "too few days for a trend" in cli("export", ok=True).stdout


@pytest.mark.parametrize("days, has_trend", [(6, False), (7, True)])
def test_trend_boundary_is_seven_days(cli, days, has_trend):
    # Craving 1, 2, … on consecutive days ending today: one more each day = +7 a week.
    for i in range(days):
        cli("checkin", "--date", f"2026-11-{21 - days + 1 + i}", "--mood", "5", "--craving", str(1 + i), ok=True)
    data = cli.json("report", "-f", "json", "--since", "2026-11-10")
    assert (data["craving"]["trend_per_week"] == 7.0) is has_trend
    assert (data["craving"]["trend_reason"] is None) is has_trend


@pytest.mark.parametrize("craving, high", [(6, 0), (7, 1), (10, 1)])
def test_high_craving_threshold_is_seven_inclusive(cli, craving, high):
    cli("checkin", "--mood", "5", "--craving", str(craving), ok=True)
    assert cli.json("report", "-f", "json")["craving"]["high_days"] == high
    assert sponsor_json(cli)["data"]["high_craving_days"] == high


# -- one count per week -------------------------------------------------------------------------------

def test_a_week_cut_by_a_month_report_names_its_days_and_the_requirement_what_it_counts(cli):
    now = "2026-04-30T10:00:00+00:00"
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-03-02",
        "--verified-only", "--fellowship", "AA", now=now, ok=True)
    for day in ("2026-03-30", "2026-04-01", "2026-04-02", "2026-04-04"):
        cli("meeting", "add", "Noon AA", "--date", day, "--fellowship", "AA", "--verification", "signature",
            "--verified-by", "JD", ok=True)
    text = flat(cli("report", "--month", ok=True))
    # The window (1–30 Apr) holds 3 of that week's meetings; the requirement counts its whole week: 4.
    assert "week of 30 Mar, from 1 Apr: 3" in text
    assert "court 30 Mar–5 Apr (verified AA meetings only): 4 of 3 (met)" in text
    data = cli.json("report", "--month", "-f", "json")
    assert data["meetings"]["per_week"][0] == {"week_start": "2026-03-30", "count": 3, "from": "2026-04-01",
                                               "to": "2026-04-05"}
    # The calendar's first column is the week of Monday 30 March: "Apr" never stands over it, but
    # over the first column whose Monday is in April (6 April).
    lines = cli("report", "--month", ok=True).stdout.splitlines()
    i = next(n for n, line in enumerate(lines) if re.match(r"^\s+30\s+6\s+13", line))
    months, mondays = lines[i - 1], lines[i]
    assert not months[mondays.index("30"):].startswith("Apr")
    assert months[mondays.index(" 6 "):].startswith("Apr")
    page = cli("export", "--month", "-f", "html", ok=True).stdout
    assert "week of 30 Mar, from 1 Apr: 3" in page and "from 1 Apr</text>" in page


# -- months that end in December, and as-of dates ------------------------------------------------------

def test_a_monthly_reduce_goal_across_december_and_january(cli):
    # At most 2 use days a month. December: uses on 30 and 31 Dec (2: within); January: 1 Jan.
    cli("substance", "add", "cannabis", "--goal", "reduce", "--max-days", "2", "--per", "month",
        now="2026-12-01T10:00:00+00:00", ok=True)
    for day in range(1, 32):
        checkin(cli, f"2026-12-{day:02d}", *(("--used", "cannabis") if day >= 30 else ("--sober",)),
                now="2027-01-01T10:00:00+00:00")
    checkin(cli, "2027-01-01", "--used", "cannabis")
    dec = substance(cli.json("status", "--json", "--as-of", "2026-12-31"), "cannabis")["reduce"]
    assert (dec["window_start"], dec["window_end"], dec["use_days"], dec["verdict"]) == (
        "2026-12-01", "2026-12-31", 2, "within")
    jan = substance(cli.json("status", "--json"), "cannabis")["reduce"]
    assert (jan["window_start"], jan["window_end"], jan["use_days"], jan["verdict"]) == (
        "2027-01-01", "2027-01-31", 1, "within")
    assert (jan["periods_within_goal"], jan["periods_over_goal"]) == (2, 0)
    report = substance(cli.json("report", "--since", "2026-12-28", "-f", "json"), "cannabis")["reduce"]
    assert [(p["start"], p["end"], p["verdict"]) for p in report["periods"]] == [
        ("2026-12-01", "2026-12-31", "within"), ("2027-01-01", "2027-01-31", "within")]
    assert cli.json("report", "--month", "-f", "json", "--as-of", "2026-12-31")["period"] == {
        "start": "2026-12-01", "end": "2026-12-31", "days": 31}


def test_status_as_of_a_day_before_the_substance_was_added(cli):
    cli("substance", "add", "alcohol", ok=True)  # added today, 21 Nov, no declared last use
    doc = cli.json("status", "--json", "--as-of", "2026-11-10")
    assert doc["substances"] == []
    assert "No substance was tracked yet on that day." in cli("status", "--as-of", "2026-11-10", ok=True).stdout
    # With a declared last use before that day, it counts from the declaration.
    cli("substance", "add", "cannabis", "--last-use", "2026-11-01", ok=True)
    (item,) = cli.json("status", "--json", "--as-of", "2026-11-10")["substances"]
    assert (item["name"], item["days"], item["unrecorded_days"]) == ("cannabis", 9, 0)


# -- the house: one computation per command, confirmations after COMMIT -------------------------------

def test_an_export_reads_the_substance_histories_once(cli, monkeypatch):
    from recoverylog.storage import uses as use_rows

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "5", ok=True)
    checkin(cli, "2026-11-20", "--sober")
    calls = []
    real = use_rows.columns_until
    monkeypatch.setattr(use_rows, "columns_until", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    for fmt in ("html", "markdown", "json", "csv"):
        calls.clear()
        cli("export", "--week", "-f", fmt, ok=True)
        assert len(calls) == 1, (fmt, calls)
    calls.clear()
    cli("report", "--week", "-f", "markdown", ok=True)
    assert len(calls) == 1


def test_status_reads_the_substance_histories_once_with_money_not_spent(cli, monkeypatch):
    from recoverylog.storage import uses as use_rows

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "5", ok=True)
    cli("substance", "edit", "alcohol", "--cost", "20", "--cost-per", "day", ok=True)
    checkin(cli, "2026-11-19", "--used", "cigarettes:3")
    checkin(cli, "2026-11-20", "--sober")
    calls = []
    real = use_rows.columns_until
    monkeypatch.setattr(use_rows, "columns_until", lambda *a, **k: calls.append(list(a[2])) or real(*a, **k))
    doc = cli.json("status", "--json")
    assert len(calls) == 1, calls
    (money,) = doc["money"]
    assert (money["substance"], money["per_day"], money["amount"]) == ("alcohol", 20.0, money["days"] * 20.0)
    # the report's money part: the same figures, from the histories the report read
    for fmt in ("markdown", "table"):
        calls.clear()
        cli("report", "--week", "-f", fmt, ok=True)
        assert len(calls) == 1, (fmt, calls)
    calls.clear()
    assert cli.json("report", "--week", "-f", "json")["money"] == doc["money"]
    assert len(calls) == 1, calls


def test_confirmation_reports_are_built_after_commit(cli, monkeypatch):
    from recoverylog.reports import sobriety

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    seen = []
    real = sobriety.load_tracked

    def spy(store, *args, **kwargs):
        seen.append(store.conn.in_transaction)
        return real(store, *args, **kwargs)

    monkeypatch.setattr(sobriety, "load_tracked", spy)
    checkin(cli, "2026-11-21", "--used", "alcohol:2")
    cli("use", "alcohol", "--date", "2026-11-20", "--amount", "1", ok=True)
    checkin(cli, "2026-11-19", "--sober")
    assert seen and not any(seen)


def test_check_in_confirmation_words_every_typed_outcome(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    out = flat(checkin(cli, "2026-11-21", "--sober", "--meeting", "Noon AA", "--reached-out", "Sam:call"))
    assert "No use of alcohol today" in out
    assert "Meeting logged: Noon AA" in out
    assert "Reached out to Sam (sponsor) by call. Reaching out is recovery work." in out
    again = flat(checkin(cli, "2026-11-21", "--meeting", "Noon AA", "--reached-out", "Sam:call"))
    assert "Meeting Noon AA was already logged for 2026-11-21" in again
    assert "Reached out to Sam by call: already recorded for 2026-11-21." in again
    data = cli.json("checkin", "--meeting", "Noon AA", "--json", "--sober")
    assert data["recorded"]["uses"]["alcohol"]["status"] == "unchanged"
    assert data["recorded"]["meetings"][0]["created"] is False


def test_the_care_summary_carries_the_reduce_object_and_trend_reason(drinks):
    doc = json.loads(drinks("export", "--profile", "care", "-f", "json", "--week", ok=True).stdout)
    (alcohol,) = doc["data"]["substances"]
    assert (alcohol["reduce"]["days_amount_unknown"], alcohol["reduce"]["periods_within_goal"]) == (1, 1)
    assert doc["data"]["measures"]["craving"]["trend_reason"].startswith("too few days")
