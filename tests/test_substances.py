"""Substances and use records through the CLI, as a person would type them.

The clock is pinned to Saturday 21 November 2026 (tests/conftest.py)."""

from __future__ import annotations

import pytest


def checkin(cli, day, *extra, ok=True):
    return cli("checkin", "--date", day, "--mood", "6", "--craving", "2", *extra, ok=ok)


def flat(text: str) -> str:
    """Output with line wrapping undone."""
    return " ".join(text.split())


def state(cli):
    """Everything stored about substances and uses, to prove a refused command changed nothing."""
    return cli.json("substance", "list", "--json"), cli.json("uses", "--all", "--json")


def sobriety(cli, name, *extra):
    return cli.json("sobriety", name, "--json", *extra)["substances"][0]


# -- substance add / list / edit / archive -------------------------------------------------

def test_add_defaults_and_list(cli):
    cli("substance", "add", "Alcohol", ok=True)
    (item,) = cli.json("substance", "list", "--json")
    assert (item["name"], item["unit"], item["goal"], item["active"]) == ("Alcohol", "none", "abstain", True)
    assert item["added_on"] == "2026-11-21"


@pytest.mark.parametrize("args, code, words", [
    (["substance", "add", "alcohol"], 1, "already tracked"),                     # duplicate, any case
    (["substance", "add", "beer:wine"], 1, "':' or ','"),
    (["substance", "add", "a,b"], 1, "':' or ','"),
    (["substance", "add", "x", "--last-use", "2026-11-22"], 1, "in the future"),
    (["substance", "add", "x", "--unit", "litres"], 1, "--unit"),
    (["substance", "add", "x", "--goal", "reduce"], 2, "needs a limit"),
    (["substance", "add", "x", "--max-per-day", "3", "--unit", "drinks"], 2, "--goal reduce"),
    (["substance", "add", "x", "--goal", "reduce", "--max-per-day", "3"], 1, "--unit drinks"),
    (["substance", "add", "x", "--goal", "reduce", "--max-days", "3"], 2, "go together"),
    (["substance", "add", "x", "--goal", "reduce", "--max-days", "9", "--per", "week"], 1, "1–7"),
    (["substance", "add", "x", "--last-use", "2026-01-01", "--sober-since", "2026-01-02"], 2, "not both"),
    (["substance", "edit", "wine", "--goal", "monitor"], 3, "Known: ALCOHOL"),
    (["substance", "archive", "nothing"], 3, "No substance named"),
])
def test_bad_substance_input_is_one_line_and_changes_nothing(cli, args, code, words):
    cli("substance", "add", "ALCOHOL", "--unit", "drinks", ok=True)
    before = state(cli)
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert state(cli) == before


def test_edit_keeps_a_revision_and_renames(cli, db_path):
    import sqlite3

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    result = cli("substance", "edit", "ALCOHOL", "--goal", "reduce", "--max-per-day", "2", "--name", "Drinks", ok=True)
    assert "goal" in result.stderr and "revision" in result.stderr
    (item,) = cli.json("substance", "list", "--json")
    assert (item["name"], item["goal"], item["max_per_day"]) == ("Drinks", "reduce", 2.0)
    with sqlite3.connect(db_path) as conn:
        (data,) = conn.execute("SELECT data FROM revisions WHERE entity = 'substance'").fetchone()
    assert '"goal": "abstain"' in data and '"name": "alcohol"' in data


def test_unit_cannot_become_none_while_amounts_are_recorded(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "2", ok=True)
    result = cli("substance", "edit", "alcohol", "--unit", "none")
    assert result.exit_code == 1 and "amounts" in result.stderr
    assert cli.json("substance", "list", "--json")[0]["unit"] == "drinks"


def test_archive_stops_asking_but_keeps_history(cli):
    cli("substance", "add", "alcohol", "--last-use", "2026-10-01", ok=True)
    cli("substance", "add", "nicotine", ok=True)
    checkin(cli, "2026-11-19", "--used", "alcohol")
    checkin(cli, "2026-11-20", "--sober")
    result = cli("substance", "archive", "alcohol", ok=True)
    assert "history stays" in result.stderr
    out = flat(checkin(cli, "2026-11-21").stdout)
    assert "unrecorded for nicotine" in out and "alcohol" not in out
    assert [s["name"] for s in cli.json("status", "--json")["substances"]] == ["nicotine"]
    # The history is all still there, and the past shows it as it was.
    kept = sobriety(cli, "alcohol")
    assert kept["active"] is False and kept["use_days"] == 1 and kept["sober_days"] == 1
    assert [p["days"] for p in kept["periods"]][0] == 48
    past = cli.json("status", "--as-of", "2026-11-20", "--json")
    assert [s["name"] for s in past["substances"]] == ["alcohol", "nicotine"]
    cli("substance", "edit", "alcohol", "--unarchive", ok=True)
    assert len(cli.json("status", "--json")["substances"]) == 2


# -- use / uses ---------------------------------------------------------------------------

def test_use_adds_to_the_same_day_and_keeps_revisions(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "2", "--note", "after work", ok=True)
    out = cli("use", "Alcohol", "--amount", "1.5", "--note", "at home", ok=True)
    assert "3.5 drinks that day" in out.stdout
    (row,) = cli.json("uses", "alcohol", "--json")
    assert (row["date"], row["used"], row["amount"], row["note"]) == ("2026-11-21", True, 3.5, "after work; at home")
    assert row["revisions"] == 1


@pytest.mark.parametrize("args, code, words", [
    (["use", "wine"], 3, "Known: alcohol, cannabis"),
    (["use", "cannabis", "--amount", "1"], 1, "without an amount"),
    (["use", "alcohol", "--amount", "-1"], 1, "negative"),
    (["use", "alcohol", "--date", "2026-11-22"], 1, "future"),
    (["use", "alcohol", "--date", "03/04/2026"], 1, "ambiguous"),
    (["checkin", "--mood", "5", "--craving", "1", "--used", "alcohol", "--used", "ALCOHOL:2"], 1, "named twice"),
    (["checkin", "--mood", "5", "--craving", "1", "--used", "cannabis:1"], 1, "without an amount"),
    (["checkin", "--mood", "5", "--craving", "1", "--used", "alcohol:-2"], 1, "negative"),
    (["checkin", "--mood", "5", "--craving", "1", "--used", "alcohol:lots"], 1, "not a number"),
    (["checkin", "--mood", "5", "--craving", "1", "--used", "wine"], 3, "No substance named 'wine'"),
    (["uses", "edit", "alcohol", "--date", "2026-11-01", "--amount", "2"], 3, "no record"),
    (["uses", "delete", "alcohol", "--date", "2026-11-01"], 3, "nothing was deleted"),
])
def test_bad_use_input_is_refused_and_nothing_is_stored(cli, args, code, words):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "cannabis", ok=True)
    before = state(cli), cli.json("checkins", "--json")
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert (state(cli), cli.json("checkins", "--json")) == before


def test_uses_edit_and_delete_keep_revisions(cli, db_path):
    import sqlite3

    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--date", "2026-11-20", "--amount", "4", ok=True)
    cli("uses", "edit", "alcohol", "--date", "2026-11-20", "--amount", "3", ok=True)
    assert cli.json("uses", "--json")[0]["amount"] == 3.0
    cli("uses", "edit", "alcohol", "--date", "2026-11-20", "--not-used", ok=True)
    assert cli.json("uses", "--json") == []
    assert cli.json("uses", "--all", "--json")[0]["used"] is False
    out = cli("uses", "delete", "alcohol", "--date", "2026-11-20", "--yes", ok=True)
    assert "unrecorded" in out.stderr and "revision" in out.stderr
    assert cli.json("uses", "--all", "--json") == []
    with sqlite3.connect(db_path) as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM revisions WHERE entity = 'use' ORDER BY id")]
    assert actions == ["update", "update", "delete"]


def test_uses_filters_by_name_and_dates(cli):
    cli("substance", "add", "alcohol", ok=True)
    cli("substance", "add", "nicotine", ok=True)
    for day in ("2026-11-01", "2026-11-10", "2026-11-20"):
        cli("use", "alcohol", "--date", day, ok=True)
    cli("use", "nicotine", "--date", "2026-11-10", ok=True)
    got = cli.json("uses", "alcohol", "--since", "2026-11-05", "--until", "2026-11-15", "--json")
    assert [(r["name"], r["date"]) for r in got] == [("alcohol", "2026-11-10")]
    assert len(cli.json("uses", "--json")) == 4
    bad = cli("uses", "--since", "2026-11-15", "--until", "2026-11-05")
    assert bad.exit_code == 1 and "after" in bad.stderr


# -- check-in recording --------------------------------------------------------------------

def test_sober_never_overwrites_a_recorded_use(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "nicotine", ok=True)
    cli("use", "alcohol", "--amount", "2", ok=True)
    out = flat(checkin(cli, "2026-11-21", "--sober").stdout)
    assert "is kept" in out and "uses edit alcohol --date 2026-11-21 --not-used" in out
    rows = {r["name"]: (r["used"], r["amount"]) for r in cli.json("uses", "--all", "--json")}
    assert rows == {"alcohol": (True, 2.0), "nicotine": (False, None)}


def test_checkin_without_answers_leaves_use_unrecorded_and_says_so(cli):
    cli("substance", "add", "alcohol", ok=True)
    out = flat(checkin(cli, "2026-11-21").stdout)
    assert "stays unrecorded for alcohol" in out and "never counted as sober" in out
    assert cli.json("uses", "--all", "--json") == []
    data = cli.json("checkin", "--date", "2026-11-21", "--json")["recorded"]["uses"]
    assert data == {"alcohol": {"used": None, "amount": None, "status": "unrecorded"}}


def test_checkin_used_and_sober_together(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "nicotine", "--unit", "count", ok=True)
    got = cli.json("checkin", "--mood", "4", "--craving", "6", "--used", "Nicotine:7", "--sober", "--json")
    assert got["recorded"]["uses"]["nicotine"] == {"used": True, "amount": 7.0, "status": "recorded"}
    assert got["recorded"]["uses"]["alcohol"]["used"] is False


def test_used_or_sober_without_substances_is_a_usage_error(cli, db_path):
    result = cli("checkin", "--mood", "5", "--craving", "1", "--sober")
    assert result.exit_code == 2 and "substance add" in result.stderr
    assert not db_path.exists()


def test_terminal_asks_each_active_substance(cli, monkeypatch):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("substance", "add", "cannabis", ok=True)
    cli("config", "set", "checkin-questions", "quick", ok=True)  # the substance questions only
    monkeypatch.setattr("recoverylog.cli.checkin.interactive", lambda: True)
    out = cli("checkin", "--mood", "5", "--craving", "4", input="y\n3\nn\n", ok=True)
    assert "Any alcohol today?" in out.stderr and "How many drinks?" in out.stderr
    assert "Any cannabis today?" in out.stderr
    rows = {r["name"]: (r["used"], r["amount"]) for r in cli.json("uses", "--all", "--json")}
    assert rows == {"alcohol": (True, 3.0), "cannabis": (False, None)}


# -- the words after a lapse ---------------------------------------------------------------

BANNED = ("failed", "failure", "reset to 0", "relapse", "dirty", "clean", "addict", "abuser")


def test_words_after_a_lapse_say_what_still_counts(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2026-08-31", ok=True)
    for i in range(1, 21):
        checkin(cli, f"2026-11-{i:02d}", "--sober")
    out = cli("use", "alcohol", "--amount", "3", "--note", "hard day", ok=True).stdout
    flat = " ".join(out.split())
    assert "Recorded: used alcohol on Sat 21 Nov (3 drinks)." in flat
    assert "What still counts: 20 of 21 recorded days without alcohol." in flat
    assert "Your 81 days (Tue 1 Sep – Fri 20 Nov) stay in your history; longest period 81 days." in flat
    assert flat.count("Next step") == 1 and "24 hours without alcohol is on Sun 22 Nov" in flat
    assert not any(word in out.lower() for word in BANNED)
    # The same words in the check-in confirmation.
    out2 = checkin(cli, "2026-11-21", "--used", "alcohol:3").stdout
    assert "20 of 21 recorded days" in " ".join(out2.split())
    assert not any(word in out2.lower() for word in BANNED)


def test_reduce_use_within_goal_is_not_a_lapse(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--goal", "reduce", "--max-per-day", "2",
        "--max-days", "3", "--per", "week", ok=True)
    flat = " ".join(cli("use", "alcohol", "--amount", "2", ok=True).stdout.split())
    assert ("Sat 21 Nov: 2 drinks, within your limit of 2 drinks; this week: 1 of 3 use days, "
            "within goal so far.") in flat
    assert "still counts" not in flat
    flat = " ".join(cli("use", "alcohol", "--date", "2026-11-20", "--amount", "5", ok=True).stdout.split())
    assert "Fri 20 Nov: 5 drinks, over your limit of 2 drinks; this week: 2 of 3 use days, over the goal." in flat
    assert "sober" not in flat and "without use" not in flat and not any(word in flat.lower() for word in BANNED)


def test_checkin_used_without_an_amount_keeps_the_amount_already_recorded(cli):
    # A use logged during the day with its amount, then the evening check-in names it again
    # without one: the amount stays (given fields replace, the others stay).
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "4", "--note", "after work", ok=True)
    got = cli.json("checkin", "--mood", "5", "--craving", "4", "--used", "alcohol", "--json")
    assert got["recorded"]["uses"]["alcohol"]["amount"] == 4.0
    (row,) = cli.json("uses", "alcohol", "--json")
    assert (row["used"], row["amount"], row["note"]) == (True, 4.0, "after work")
    # A new amount given with --used is the day's total and replaces it.
    cli("checkin", "--mood", "5", "--craving", "4", "--used", "alcohol:2", ok=True)
    assert cli.json("uses", "alcohol", "--json")[0]["amount"] == 2.0


def test_words_after_a_lapse_that_ended_a_one_day_period(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--date", "2026-11-19", ok=True)
    checkin(cli, "2026-11-20", "--sober")
    out = " ".join(cli("use", "alcohol", "--amount", "2", ok=True).stdout.split())
    assert "Your 1 day (Fri 20 Nov) stays in your history" in out
    assert "Fri 20 – Fri 20" not in out


def test_a_backfilled_day_without_use_says_what_it_adds_and_counts_as_of_today(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2026-08-01", ok=True)
    cli("substance", "add", "nicotine", "--unit", "count", "--goal", "reduce", "--max-per-day", "5", ok=True)
    out = " ".join(checkin(cli, "2026-11-15", "--sober").stdout.split())
    # Counts are as of today (21 Nov), and say so for a day filled in later.
    assert "No use of alcohol on Sun 15 Nov 2026; as of today, 112 days without it (1 of 1 recorded day" in out
    # Today and yesterday are not recorded, so there is no run to count yet: never "0 days in a row".
    assert "No use of nicotine on Sun 15 Nov 2026: a day within your goal; that week: 0 use days." in out
    assert "0 days in a row" not in out
    out = " ".join(checkin(cli, "2026-11-21", "--sober").stdout.split())
    assert "No use of alcohol today: 112 days without it (2 of 2 recorded days without use)." in out
    assert ("No use of nicotine today: a day within your goal; this week: 0 use days; "
            "within goal 1 day in a row as of today.") in out


def test_reduce_use_within_a_monthly_goal_points_to_the_month(cli):
    cli("substance", "add", "cannabis", "--goal", "reduce", "--max-days", "3", "--per", "month", ok=True)
    flat = " ".join(cli("use", "cannabis", "--date", "2026-11-02", ok=True).stdout.split())
    # Judged against its own month, which is not fully recorded (tracking began on 2 Nov).
    assert ("Mon 2 Nov: used cannabis; this month: 1 of 3 use days, none over the goal so far, "
            "19 days not recorded.") in flat
    assert "shows the month" in flat and "week" not in flat


@pytest.mark.parametrize("args", [
    ["substance", "add", "alcohol", "--last-use", "2026-12-01"],
    ["substance", "edit", "alcohol", "--sober-since", "2026-02-30"],
    ["use", "alcohol", "--date", "03/04/2026"],
    ["uses", "edit", "alcohol", "--date", "someday", "--amount", "1"],
    ["uses", "delete", "alcohol", "--date", "2026-11-22"],
    ["uses", "--since", "2026-02-30"],
    ["sobriety", "--as-of", "2026-11-22"],
    ["status", "--as-of", "03/04/2026"],
    ["checkins", "--until", "2026-11-22"],
])
def test_a_bad_date_on_first_use_creates_no_database(cli, db_path, args):
    result = cli(*args)
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert not db_path.exists()


def test_command_hints_quote_names_with_spaces(cli):
    """A hint a person can paste must work: a name with a space is shell-quoted."""
    added = cli("substance", "add", "nicotine gum", "--unit", "count", ok=True)
    assert "`--used 'nicotine gum:N'`" in " ".join(added.stderr.split())
    refused = cli("use", "nicotine gum", "--amount", "-1")
    assert refused.exit_code == 1
    archived = cli("substance", "archive", "nicotine gum", ok=True)
    text = " ".join((archived.stdout + archived.stderr).split())
    assert "recoverylog substance edit 'nicotine gum' --unarchive" in text
