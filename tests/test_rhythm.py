"""The daily rhythm: insights, early warnings, the moment after a lapse, the support panel's
words, money not spent, and the fuller interactive check-in with its backfill offer."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.reports import insights as ins
from recoverylog.reports import warnings as warn

TODAY = date(2026, 11, 21)  # conftest's pinned "now"
BANNED = ("failed", "failure", "dirty", "clean", "addict", "abuser", "relapse")


def at(cli, moment: str, *args: str):
    """Run one command at another moment, then return to the pinned "now"."""
    try:
        return cli(*args, now=moment, ok=True)
    finally:
        cli.monkeypatch.setenv("RECOVERYLOG_NOW", "2026-11-21T10:00:00+00:00")


def checkin(cli, day: str, *extra: str, mood: int = 6, craving: int = 2):
    return cli("checkin", "--date", day, "--mood", str(mood), "--craving", str(craving), *extra, ok=True)


# -- insights: pure, on a hand-built history ---------------------------------------------

def _history() -> list[ins.DayFacts]:
    """Ten days 1–10 Nov 2026. Meetings on 5 of them; sleep known on 9; 'tired' on 5."""
    d = lambda n: date(2026, 11, n)  # noqa: E731
    return [
        # meeting days: mood 8 7 9 6 8 (mean 7.6), craving 1 2 0 3 1 (mean 1.4)
        ins.DayFacts(d(1), mood=8, craving=1, meetings=1, sleep=7, halt=()),
        ins.DayFacts(d(2), mood=7, craving=2, meetings=2, sleep=8, halt=()),
        ins.DayFacts(d(3), mood=9, craving=0, meetings=1, sleep=7.5, halt=("tired",)),
        ins.DayFacts(d(4), mood=6, craving=3, meetings=1, sleep=5, halt=()),
        ins.DayFacts(d(5), mood=8, craving=1, meetings=1, sleep=None, halt=()),
        # days without: mood 4 5 3 6 4 (mean 4.4), craving 5 4 6 3 5 (mean 4.6)
        ins.DayFacts(d(6), mood=4, craving=5, sleep=4, halt=("tired",), outreach=1),
        ins.DayFacts(d(7), mood=5, craving=4, sleep=5.5, halt=("tired",)),
        ins.DayFacts(d(8), mood=3, craving=6, sleep=3, halt=("tired", "lonely")),
        ins.DayFacts(d(9), mood=6, craving=3, sleep=6, halt=("tired",)),
        ins.DayFacts(d(10), mood=4, craving=5, sleep=5, halt=()),
    ]


def test_meeting_comparison_matches_hand_computed_means():
    found = {(c.factor, c.measure): c for c in ins.comparisons(_history())}
    mood = found[("meeting", "mood")]
    assert (mood.with_mean, mood.without_mean, mood.with_days, mood.without_days) == (7.6, 4.4, 5, 5)
    assert mood.difference == pytest.approx(3.2)
    craving = found[("meeting", "craving")]
    assert (craving.with_mean, craving.without_mean) == (pytest.approx(1.4), pytest.approx(4.6))
    assert craving.difference == pytest.approx(-3.2)


def test_tired_and_sleep_comparisons_and_the_five_day_rule():
    found = {(c.factor, c.measure): c for c in ins.comparisons(_history())}
    # tired on 3, 6, 7, 8, 9: mood 9 4 5 3 6 = 27/5 = 5.4; others 8 7 6 8 4 = 33/5 = 6.6
    tired = found[("tired", "mood")]
    assert (tired.with_mean, tired.without_mean, tired.with_days, tired.without_days) == (5.4, 6.6, 5, 5)
    # sleep < 6 on 4, 6, 7, 8, 10 (5 days): mood 6 4 5 3 4 = 22/5 = 4.4;
    # ≥ 6 on 1, 2, 3, 9 (4 days): too few, so no comparison; day 5 (no sleep) is in neither group.
    assert ("short_sleep", "mood") not in found
    # outreach on 1 day, lonely on 1 day: too few.
    assert ("outreach", "mood") not in found and ("lonely", "craving") not in found
    extra = _history() + [ins.DayFacts(date(2026, 11, 11), mood=9, craving=0, sleep=8)]
    again = {(c.factor, c.measure): c for c in ins.comparisons(extra)}
    short = again[("short_sleep", "mood")]
    assert (short.with_mean, short.without_mean, short.with_days, short.without_days) == (4.4, 7.8, 5, 5)


def test_weekday_comparison_against_the_other_days():
    mondays = [ins.DayFacts(date(2026, 11, 2) + timedelta(weeks=i), mood=3, craving=7) for i in range(5)]
    others = [ins.DayFacts(date(2026, 11, 3) + timedelta(days=i), mood=7, craving=1) for i in range(5)]
    found = {(c.factor, c.measure): c for c in ins.weekday_comparisons(mondays + others)}
    monday = found[("Monday", "mood")]
    assert (monday.with_mean, monday.without_mean, monday.with_days, monday.without_days) == (3, 7, 5, 5)
    assert found[("Monday", "craving")].difference == 6
    assert ("Tuesday", "mood") not in found  # one Tuesday


def test_largest_picks_the_two_biggest_differences_by_size():
    items = ins.comparisons(_history())
    top = ins.largest(items)
    assert [(c.factor, c.measure) for c in top] == [("meeting", "mood"), ("meeting", "craving")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10), st.integers(0, 10), st.booleans()), max_size=40))
def test_comparisons_only_with_five_days_each_side(rows):
    days = [ins.DayFacts(date(2026, 1, 1) + timedelta(days=i), mood=m, craving=c, meetings=int(met))
            for i, (m, c, met) in enumerate(rows)]
    for c in ins.comparisons(days):
        assert c.with_days >= 5 and c.without_days >= 5
        assert 0 <= c.with_mean <= 10 and 0 <= c.without_mean <= 10


def test_insights_cli_json_on_a_recorded_history(cli):
    for n, (mood, craving, met) in enumerate([(8, 1, 1), (7, 2, 1), (9, 0, 1), (6, 3, 1), (8, 1, 1),
                                              (4, 5, 0), (5, 4, 0), (3, 6, 0), (6, 3, 0), (4, 5, 0)], 1):
        extra = ("--meeting", "Tuesday Night AA") if met else ()
        checkin(cli, f"2026-11-{n:02d}", *extra, mood=mood, craving=craving)
    data = cli.json("insights", "--json")
    assert set(data) >= {"comparisons", "weekdays"}
    assert data["start"] == "2026-08-24" and data["end"] == "2026-11-21"  # 90 days
    mood = next(c for c in data["comparisons"] if c["factor"] == "meeting" and c["measure"] == "mood")
    assert mood == {"factor": "meeting", "measure": "mood", "with_mean": 7.6, "without_mean": 4.4,
                    "with_days": 5, "without_days": 5, "difference": 3.2}
    assert data["weekdays"] == []
    narrow = cli.json("insights", "--since", "2026-11-03", "--json")
    assert narrow["comparisons"] == []  # 3 meeting days left
    text = " ".join(cli("insights", ok=True).stdout.split())
    assert "Mood averaged 7.6 on days with a meeting (5 days) and 4.4 on days without (5 days): 3.2 higher." in text
    assert "not what caused" in text


def test_insights_bad_range_and_empty(cli):
    assert cli("insights", "--since", "2026-11-10", "--until", "2026-11-01").exit_code == 1
    assert cli("insights", "--until", "tomorrow").exit_code == 1
    out = cli("insights", ok=True).stdout
    assert "Not enough days" in out


def test_report_shows_the_two_largest_differences(cli):
    for n, (mood, craving, met) in enumerate([(8, 1, 1), (7, 2, 1), (9, 0, 1), (6, 3, 1), (8, 1, 1),
                                              (4, 5, 0), (5, 4, 0), (3, 6, 0), (6, 3, 0), (4, 5, 0)], 1):
        extra = ("--meeting", "Tuesday Night AA") if met else ()
        checkin(cli, f"2026-11-{n:02d}", *extra, mood=mood, craving=craving)
    text = " ".join(cli("report", "--month", ok=True).stdout.split())
    assert "What went together" in text
    assert "Mood averaged 7.6 on days with a meeting" in text and "Craving averaged 1.4" in text
    data = cli.json("report", "--month", "--format", "json")
    assert [c["factor"] for c in data["insights"]["largest"]] == ["meeting", "meeting"]


# -- early warnings ------------------------------------------------------------------------

def test_meetings_signal_trigger_and_not():
    assert warn.meetings_signal(1, 12) is not None       # average 3 per 14 days; 1 < 1.5
    assert warn.meetings_signal(2, 12) is None           # 2 ≥ 1.5
    assert warn.meetings_signal(0, 0) is None            # no baseline
    assert "averaged 3 per 14 days (12 in all)" in warn.meetings_signal(1, 12)


def test_craving_signal_trigger_and_not():
    assert warn.craving_signal([6, 6, 6], [6, 6, 6] + [3] * 7) is not None   # 6 vs 3.9: +2.1
    assert warn.craving_signal([5, 5, 5], [5, 5, 5] + [3] * 7) is None       # 5 vs 3.6: +1.4
    assert warn.craving_signal([5, 5, 5], [5, 5, 5] + [2] * 7) is not None   # 5 vs 2.9: +2.1
    assert warn.craving_signal([9], [9] + [1] * 20) is None                  # one day of three
    assert warn.craving_signal([9, 9], [9, 9] + [1] * 4) is None             # 6 days of thirty


def test_outreach_signal_trigger_and_not():
    old = TODAY - timedelta(days=20)
    assert warn.outreach_signal(2, 0, None, old, TODAY) is not None
    assert warn.outreach_signal(2, 1, TODAY, old, TODAY) is None
    assert warn.outreach_signal(0, 0, None, old, TODAY) is None
    assert warn.outreach_signal(2, 0, None, TODAY - timedelta(days=3), TODAY) is None  # contacts are new


def test_unrecorded_signal_trigger_and_not():
    days = [TODAY - timedelta(days=i) for i in (5, 3, 1)]
    assert "3 of the last 7 days" in warn.unrecorded_signal(days)
    assert warn.unrecorded_signal(days[:2]) is None


def test_next_steps_come_from_the_plan_or_a_default():
    people = [("Sam", "sponsor", "555")]
    assert warn.next_step("craving", ["walk round the block"], [], people) == (
        "From your coping steps: walk round the block", "plan:coping")
    assert warn.next_step("craving", [], ["skipping meals"], [])[1] == "plan:warning-signs"
    assert warn.next_step("craving", [], [], [])[1] == "default"
    assert warn.next_step("outreach", [], [], people) == ("Reach out to Sam (sponsor) today.", "people")
    assert warn.next_step("meetings", ["go to the Tuesday meeting"], [], people)[1] == "plan:coping"
    assert warn.next_step("meetings", ["breathe"], [], people)[1] == "people"
    step, source = warn.next_step("unrecorded", [], [], [], TODAY - timedelta(days=3))
    assert "checkin --date 2026-11-18" in step and source == "default"


def test_status_json_warnings_each_signal(cli):
    # Contacts known for weeks, and no outreach since.
    at(cli, "2026-10-01T10:00:00+00:00", "contact", "add", "Sam", "--role", "sponsor")
    # 8 meetings in the 8 weeks before the last 14 days (average 2 per 14 days), none since.
    for day in ("2026-09-26", "2026-09-30", "2026-10-03", "2026-10-10", "2026-10-17", "2026-10-24",
                "2026-10-31", "2026-11-06"):
        cli("meeting", "add", "Tuesday Night AA", "--date", day, ok=True)
    # Craving 2 for a month, then 7 and 8 on the last two days; 3 of the last 7 days unrecorded.
    for n in range(22, 32):
        checkin(cli, f"2026-10-{n:02d}", craving=2)
    for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18):
        checkin(cli, f"2026-11-{n:02d}", craving=2)
    checkin(cli, "2026-11-20", craving=7)
    checkin(cli, "2026-11-21", craving=8)
    cli("plan", "add", "coping", "walk round the block", ok=True)
    data = cli.json("status", "--json")
    by_signal = {w["signal"]: w for w in data["warnings"]}
    assert set(by_signal) == {"meetings", "craving", "outreach", "unrecorded"}
    for w in data["warnings"]:
        assert set(w) >= {"signal", "detail", "next_step"} and w["detail"] and w["next_step"]
    assert by_signal["craving"]["next_step"] == "From your coping steps: walk round the block"
    assert by_signal["outreach"]["next_step"] == "Reach out to Sam (sponsor) today."
    assert "3 of the last 7 days" in by_signal["unrecorded"]["detail"]
    text = " ".join(cli("status", ok=True).stdout.split())
    assert "Worth noticing" in text and "Reach out to Sam (sponsor) today." in text
    assert not any(word in text.lower() for word in BANNED)
    # After a check-in too.
    shown = " ".join(checkin(cli, "2026-11-19", craving=2).stdout.split())
    assert "Worth noticing" in shown and "Craving averaged" in shown
    # Switched off.
    cli("config", "set", "warnings", "off", ok=True)
    off = cli.json("status", "--json")
    assert off["warnings"] == [] and off["warnings_on"] is False
    assert "Worth noticing" not in cli("status", ok=True).stdout
    assert "Worth noticing" not in checkin(cli, "2026-11-17").stdout


def test_no_warnings_for_a_steady_record(cli):
    at(cli, "2026-10-01T10:00:00+00:00", "contact", "add", "Sam", "--role", "sponsor")
    for n in range(1, 22):
        checkin(cli, f"2026-11-{n:02d}", craving=3)
        if n % 4 == 0:
            cli("reached-out", "Sam", "--date", f"2026-11-{n:02d}", ok=True)
    assert cli.json("status", "--json")["warnings"] == []


def test_sponsor_summary_carries_warnings_only_when_asked(cli, tmp_path):
    for n in (10, 12, 14):
        checkin(cli, f"2026-11-{n:02d}")
    plain = cli.json("export", "--format", "json")
    assert "warnings" not in plain["data"]
    asked = cli.json("export", "--format", "json", "--include-warnings")
    assert [w["signal"] for w in asked["data"]["warnings"]] == ["unrecorded"]
    assert "next_step" in asked["data"]["warnings"][0]
    md = cli("export", "--include-warnings", ok=True).stdout
    assert "Early warnings" in md and "of the last 7 days have no check-in" in md
    assert "Early warnings" not in cli("export", ok=True).stdout
    html = cli("export", "--include-warnings", "-f", "html", ok=True).stdout
    assert "<h2>Early warnings</h2>" in html
    review = tmp_path / "s.json"
    review.write_text(json.dumps(asked), encoding="utf-8")
    assert cli("review", str(review)).exit_code == 0


# -- the moment after a lapse ------------------------------------------------------------------

def _people_and_plan(cli):
    cli("contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100", ok=True)
    cli("contact", "add", "Jo", "--role", "counselor", ok=True)
    cli("contact", "add", "Pat", "--role", "peer", ok=True)
    cli("plan", "add", "help", "Pat", ok=True)
    cli("plan", "add", "if-i-use", "tell Sam within 24 hours", ok=True)


def test_use_on_an_abstain_goal_shows_the_plan_and_every_person(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2026-10-01", ok=True)
    _people_and_plan(cli)
    out = " ".join(cli("use", "alcohol", "--amount", "6", ok=True).stdout.split())
    assert "1. tell Sam within 24 hours" in out
    assert "Sam (sponsor): 555 0100" in out and "Jo (counselor)" in out and "Pat (peer)" in out
    assert out.index("Sam (sponsor)") < out.index("Pat (peer)") < out.index("Jo (counselor)")
    assert "`recoverylog reached-out Sam`" in out
    assert not any(word in out.lower() for word in BANNED)
    data = cli.json("use", "alcohol", "--amount", "1", "--json")
    assert data["lapse"]["if_i_use"] == ["tell Sam within 24 hours"]
    assert [p["alias"] for p in data["lapse"]["people"]] == ["Sam", "Pat", "Jo"]


def test_check_in_with_a_use_shows_it_too(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    _people_and_plan(cli)
    out = " ".join(checkin(cli, "2026-11-21", "--used", "alcohol:3").stdout.split())
    assert "tell Sam within 24 hours" in out and "Jo (counselor)" in out
    quiet = " ".join(checkin(cli, "2026-11-20", "--sober").stdout.split())
    assert "tell Sam" not in quiet


def test_reduce_goal_shows_it_only_over_the_limit(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2", ok=True)
    _people_and_plan(cli)
    within = cli("use", "alcohol", "--amount", "2", "--date", "2026-11-20", ok=True).stdout
    assert "tell Sam" not in within and cli.json("use", "alcohol", "--amount", "1", "--date", "2026-11-19",
                                                 "--json")["lapse"] is None
    over = " ".join(cli("use", "alcohol", "--amount", "5", ok=True).stdout.split())
    assert "tell Sam within 24 hours" in over and "Pat (peer)" in over


def test_monitor_goal_never_shows_it(cli):
    cli("substance", "add", "coffee", "--unit", "count", "--goal", "monitor", ok=True)
    _people_and_plan(cli)
    assert "tell Sam" not in cli("use", "coffee", "--amount", "4", ok=True).stdout


def test_a_lapse_without_a_plan_or_people_says_what_would_help(cli):
    cli("substance", "add", "alcohol", ok=True)
    out = " ".join(cli("use", "alcohol", ok=True).stdout.split())
    assert "plan add if-i-use" in out and "contact add" in out


# -- the check-in panel and help-now ---------------------------------------------------------

def test_panel_words_match_what_raised_it_and_name_a_backfilled_day(cli):
    _people_and_plan(cli)
    low = " ".join(checkin(cli, "2026-11-21", mood=1, craving=2).stdout.split())
    assert "You noted mood 1/10 today." in low and "craving rises" not in low.lower()
    high = " ".join(checkin(cli, "2026-11-20", mood=6, craving=9).stdout.split())
    assert "craving 9/10 on Fri 20 Nov 2026" in high and "today" not in high.split("Right now")[1].split(".")[0]
    assert "A craving rises, peaks and passes" in high
    old = " ".join(checkin(cli, "2026-09-26", mood=6, craving=8).stdout.split())
    assert "You noted craving 8/10 on Sat 26 Sep 2026." in old and "8/10 today" not in old
    both = " ".join(checkin(cli, "2026-11-19", mood=2, craving=9).stdout.split())
    assert "mood 2/10" in both and "craving 9/10" in both


def test_panel_and_help_now_show_plan_people_and_every_contact(cli):
    _people_and_plan(cli)
    cli("plan", "add", "help", "Sam", ok=True)
    panel = " ".join(checkin(cli, "2026-11-21", craving=9).stdout.split())
    assert all(name in panel for name in ("Sam (sponsor)", "Pat (peer)", "Jo (counselor)"))
    people = [c["alias"] for c in cli.json("help-now", "--json")["contacts"]]
    assert people == ["Sam", "Pat", "Jo"]


# -- money not spent ----------------------------------------------------------------------

def test_money_not_spent_abstain_per_day(cli):
    at(cli, "2026-11-01T10:00:00+00:00", "substance", "add", "alcohol", "--unit", "drinks")
    for n in range(1, 11):
        checkin(cli, f"2026-11-{n:02d}", "--sober", mood=6, craving=2)
    cli("substance", "edit", "alcohol", "--cost", "20", "--cost-per", "day", ok=True)
    cli("config", "set", "currency", "€", ok=True)
    money = cli.json("status", "--json")["money"]
    # 21 days since tracking began; 11 of them (11–21 Nov) not recorded, so 10 days × €20.
    assert money == [{"substance": "alcohol", "goal": "abstain", "amount": 200.0, "currency": "€", "days": 10,
                      "since": "2026-11-01", "per_day": 20.0, "basis": "day", "unrecorded_days": 11,
                      "missing": None}]
    text = " ".join(cli("status", ok=True).stdout.split())
    assert "Money not spent on alcohol since Sun 1 Nov: €200.00 (10 days recorded without use × €20.00 a day; " \
           "11 days not recorded are not counted)." in text
    report = cli.json("report", "--month", "--format", "json")
    assert report["money"][0]["amount"] == 200.0
    assert "€200.00" in " ".join(cli("report", "--month", ok=True).stdout.split())


def test_money_not_spent_abstain_per_unit_uses_the_recorded_day(cli):
    at(cli, "2026-11-01T10:00:00+00:00", "substance", "add", "alcohol", "--unit", "drinks")
    cli("use", "alcohol", "--amount", "4", "--date", "2026-11-02", ok=True)
    cli("use", "alcohol", "--amount", "6", "--date", "2026-11-04", ok=True)
    for n in range(5, 11):
        checkin(cli, f"2026-11-{n:02d}", "--sober")
    cli("substance", "edit", "alcohol", "--cost", "5", ok=True)  # per unit by default for drinks
    money = cli.json("status", "--json")["money"][0]
    # typical use day 5 drinks × 5 = 25 a day; 6 recorded days without use since 4 Nov.
    assert (money["amount"], money["days"], money["per_day"], money["basis"]) == (150.0, 6, 25.0, "unit")


def test_money_not_spent_reduce_against_a_typical_day(cli):
    at(cli, "2026-11-15T10:00:00+00:00", "substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce", "--max-per-day", "5")
    for n in (15, 16, 17):
        checkin(cli, f"2026-11-{n:02d}", "--sober")
    checkin(cli, "2026-11-18", "--used", "cigarettes:4")
    cli("substance", "edit", "cigarettes", "--cost", "12.5", "--cost-per", "day", ok=True)
    money = cli.json("status", "--json")["money"][0]
    assert (money["amount"], money["days"], money["goal"]) == (37.5, 3, "reduce")
    cli("substance", "edit", "cigarettes", "--cost-per", "unit", ok=True)
    money = cli.json("status", "--json")["money"][0]
    assert money["amount"] is None and "--cost-per day" in money["missing"]


@pytest.mark.parametrize("args,code", [
    (["--cost", "-3"], 1), (["--cost", "nan"], 1), (["--cost-per", "week", "--cost", "3"], 1),
    (["--cost-per", "day"], 2),
])
def test_cost_bad_input_changes_nothing(cli, args, code):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    result = cli("substance", "edit", "alcohol", *args)
    assert result.exit_code == code and result.stderr.startswith("Error:")
    assert cli.json("substance", "list", "--json")[0]["cost"] is None


def test_cost_per_unit_needs_a_unit(cli):
    cli("substance", "add", "cannabis", ok=True)
    result = cli("substance", "edit", "cannabis", "--cost", "10", "--cost-per", "unit")
    assert result.exit_code == 1 and "--cost-per day" in result.stderr
    cli("substance", "edit", "cannabis", "--cost", "10", ok=True)  # defaults to per day
    assert cli.json("substance", "list", "--json")[0]["cost_per"] == "day"
    cli("substance", "edit", "cannabis", "--cost", "0", ok=True)
    assert cli.json("substance", "list", "--json")[0]["cost"] is None


def test_currency_setting(cli):
    assert cli("config", "set", "currency", "12").exit_code == 1
    assert cli("config", "set", "currency", "a b").exit_code == 1
    cli("config", "set", "currency", "GBP", ok=True)
    assert cli("config", "get", "currency", ok=True).stdout == "GBP\n"
    cli("config", "set", "currency", "none", ok=True)
    assert cli("config", "get", "currency", ok=True).stdout == "none\n"


# -- the fuller interactive check-in ------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("recoverylog.cli.checkin.interactive", lambda: True)


def test_full_questions_are_asked_and_stored(cli, terminal):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    answers = "11\n4\n5.5\nl t\nTuesday Night AA\nSam:call\nlong day\n"
    out = cli("checkin", "--mood", "6", "--craving", "3", input=answers, ok=True)
    assert "Stress today" in out.stderr and "Please enter a number from 0 to 10" in out.stderr
    row = cli.json("checkin", "show", "today", "--json")
    assert (row["stress"], row["sleep"], row["halt"], row["note"]) == (4, 5.5, ["lonely", "tired"], "long day")
    assert [m["name"] for m in cli.json("meeting", "list", "--json")] == ["Tuesday Night AA"]
    assert "Reached out to Sam" in out.stdout


def test_every_full_question_skips_with_enter(cli, terminal):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    out = cli("checkin", "--mood", "6", "--craving", "3", input="\n" * 6, ok=True)
    assert "Hours slept" in out.stderr and "A note" in out.stderr
    row = cli.json("checkin", "show", "today", "--json")
    assert (row["stress"], row["sleep"], row["halt"], row["note"]) == (None, None, [], None)
    assert cli.json("meeting", "list", "--json") == []


def test_flags_given_are_not_asked_and_quick_asks_none(cli, terminal):
    out = cli("checkin", "--mood", "6", "--craving", "3", "--stress", "2", "--sleep", "7", "--halt", "none",
              "--note", "x", input="\n", ok=True)
    assert "Stress" not in out.stderr and "Hours slept" not in out.stderr and "A note" not in out.stderr
    assert "Meetings today?" in out.stderr
    cli("config", "set", "checkin-questions", "quick", ok=True)
    out = cli("checkin", "--mood", "6", "--craving", "3", "--date", "yesterday", input="", ok=True)
    assert "Stress" not in out.stderr and "Meetings" not in out.stderr
    assert cli("config", "set", "checkin-questions", "long").exit_code == 1


def test_backfill_offer_fills_skips_and_remembers_declining(cli, terminal):
    at(cli, "2026-11-10T10:00:00+00:00", "substance", "add", "alcohol", "--unit", "drinks")
    cli("config", "set", "checkin-questions", "quick", ok=True)
    checkin(cli, "2026-11-15", "--sober")   # first check-in: days before it are never offered
    # Today's substance question, then one line for each of 16–20 Nov.
    answers = "n\n" + "6 2\n" + "\n" + "n\n" + "9 9 9\n7 1 sober\n" + "\n"
    out = cli("checkin", "--mood", "6", "--craving", "3", input=answers, ok=True)
    assert "5 of the last 7 days have no check-in" in out.stderr
    assert "Type mood and craving as two numbers" in out.stderr
    dates = [c["date"] for c in cli.json("checkins", "--json")]
    assert dates == ["2026-11-15", "2026-11-16", "2026-11-19", "2026-11-21"]
    uses = {u["date"]: u["used"] for u in cli.json("uses", "--all", "--json")}
    assert uses["2026-11-19"] is False and "2026-11-16" not in uses  # 'sober' only where said
    # Next time: 17 and 20 are offered again, 18 (declined) is not.
    again = cli("checkin", "--mood", "6", "--craving", "3", input="\n\n\n", ok=True)
    assert "2 of the last 7 days have no check-in" in again.stderr
    assert "Tue 17 Nov" in again.stderr and "Fri 20 Nov" in again.stderr and "Wed 18 Nov" not in again.stderr
    assert cli("checkin", "--mood", "6", "--craving", "3").exit_code == 0  # not a terminal: no offer


def test_warning_for_unrecorded_days_survives_the_declined_table(cli, db_path):
    import sqlite3

    checkin(cli, "2026-11-14")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM backfill_declined").fetchone()[0] == 0
    conn.close()


def test_full_checkin_on_a_real_terminal(cli, db_path):
    """Once on a pty, as a person types it: the questions appear and the answers are saved."""
    import os
    import pty
    import subprocess
    import sys
    import time

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    env = {k: v for k, v in os.environ.items() if k != "RECOVERYLOG_NO_PROMPT"}
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "recoverylog", "checkin", "--mood", "7", "--craving", "1"],
                            stdin=secondary, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    shown = b""
    answers = [b"3\n", b"7\n", b"t\n", b"\n", b"on a pty\n", b"n\n"]
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break  # EIO: the process closed its end
            if not chunk:
                break
            shown += chunk
            if answers and shown.rstrip().endswith((b"skip):", b"today?", b"[y/N]:")):
                os.write(primary, answers.pop(0))
    finally:
        os.close(primary)
    assert proc.wait(timeout=60) == 0, shown.decode(errors="replace")
    assert b"Stress today" in shown and b"Any alcohol today?" in shown
    row = cli.json("checkin", "show", "today", "--json")
    assert (row["stress"], row["sleep"], row["halt"], row["note"]) == (3, 7, ["tired"], "on a pty")


def test_sponsor_summary_warnings_name_people_by_role_only(cli):
    at(cli, "2026-10-01T10:00:00+00:00", "contact", "add", "Sam", "--role", "sponsor", "--phone", "555 0100")
    checkin(cli, "2026-11-21")
    doc = cli.json("export", "--format", "json", "--include-warnings")
    outreach = next(w for w in doc["data"]["warnings"] if w["signal"] == "outreach")
    assert outreach["next_step"] == "Reach out to your sponsor today."
    assert "Sam" not in json.dumps(doc) and "555" not in json.dumps(doc)
    assert cli.json("status", "--json")["warnings"][0]["next_step"] == "Reach out to Sam (sponsor) today."


# -- hostile input to the new parsers ------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_backfill_line_parser_accepts_only_two_numbers_in_range(text):
    from recoverylog.errors import InputError
    from recoverylog.services.backfill import parse_line

    try:
        mood, craving, sober = parse_line(text)
    except InputError as exc:
        assert exc.message
    else:
        assert 1 <= mood <= 10 and 0 <= craving <= 10 and isinstance(sober, bool)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_remind_time_parser(text):
    from recoverylog.errors import InputError
    from recoverylog.services.remind import parse_at

    try:
        at = parse_at(text)
    except InputError:
        return
    hour, minute = at.split(":")
    assert len(at) == 5 and 0 <= int(hour) <= 23 and 0 <= int(minute) <= 59


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_halt_answer_parser(text):
    from recoverylog.cli.checkin_ask import _halt
    from recoverylog.errors import InputError

    try:
        words = _halt(text)
    except InputError:
        return
    assert set(words) <= {"hungry", "angry", "lonely", "tired"}


def test_halt_answers_by_letters_and_words():
    from recoverylog.cli.checkin_ask import _halt

    assert _halt("l t") == ("lonely", "tired")
    assert _halt("lt") == ("lonely", "tired")
    assert _halt("Hungry, angry") == ("hungry", "angry")
    assert _halt("none") == ()


def test_checkin_json_carries_the_lapse_and_warnings(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    _people_and_plan(cli)
    data = cli.json("checkin", "--mood", "5", "--craving", "3", "--used", "alcohol:2", "--json")
    assert data["lapse"]["if_i_use"] == ["tell Sam within 24 hours"] and data["warnings"] == []
    quiet = cli.json("checkin", "--date", "yesterday", "--mood", "5", "--craving", "3", "--sober", "--json")
    assert quiet["lapse"] is None


def test_plan_words_with_markup_show_as_typed(cli):
    cli("substance", "add", "alcohol", ok=True)
    cli("plan", "add", "if-i-use", "call [bold]Sam[/bold] \\o/", ok=True)
    out = cli("use", "alcohol", ok=True).stdout
    assert "1. call [bold]Sam[/bold] \\o/" in out


def test_full_questions_then_scheduled_medication(cli, terminal):
    cli("med", "add", "Buprenorphine", "--kind", "moud", ok=True)
    out = cli("checkin", "--mood", "6", "--craving", "1", input="2\n\n\n\n\ny\n", ok=True)
    assert out.stderr.index("Stress today") < out.stderr.index("Did you take Buprenorphine today?")
    assert cli.json("checkin", "show", "today", "--json")["stress"] == 2


def test_checking_in_again_does_not_ask_what_the_day_holds(cli, terminal):
    cli("contact", "add", "Sam", "--role", "sponsor", ok=True)
    cli("checkin", "--mood", "6", "--craving", "3", input="4\n7\nt\nNoon\nSam\nfirst note\n", ok=True)
    again = cli("checkin", "--mood", "7", input="", ok=True)
    for question in ("Stress", "Hours slept", "Hungry", "Meetings", "Reached out", "A note"):
        assert question not in again.stderr
    assert cli.json("checkin", "show", "today", "--json")["mood"] == 7


def test_reduce_use_without_an_amount_is_not_a_lapse(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2", ok=True)
    _people_and_plan(cli)
    assert cli.json("use", "alcohol", "--json")["lapse"] is None  # neither within nor over


def test_reduce_week_over_its_use_days_is_a_lapse(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-days", "1", "--per", "week",
        ok=True)
    _people_and_plan(cli)
    assert cli.json("use", "alcohol", "--amount", "1", "--date", "2026-11-16", "--json")["lapse"] is None
    assert cli.json("use", "alcohol", "--amount", "1", "--json")["lapse"]["over_limit"] == ["alcohol"]
