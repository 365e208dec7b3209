"""import --from daylio|jrnl|loop|tlfb on real-format files: what lands, re-imports that add nothing,
conflicts kept as they were, dry runs that write nothing, and bad files refused before a database exists."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.errors import InputError
from recoverylog.importers import daylio, jrnl, loop, tag_word, tlfb

FIXTURES = Path(__file__).parent / "fixtures"
DAYLIO = FIXTURES / "daylio_export.csv"
JRNL = FIXTURES / "jrnl-4.6-export.json"          # written by jrnl 4.6 itself (`jrnl --export json`)
LOOP_ZIP = FIXTURES / "Loop Habits CSV 2026-11-21.zip"
LOOP_NUMERIC = FIXTURES / "loop-checkmarks-numeric.csv"
TLFB = FIXTURES / "tlfb.csv"
TODAY = date(2026, 11, 21)


def imported(cli, *args):
    return cli.json("import", *args, "--json")["import"]


def checkins(cli) -> dict[str, dict]:
    return {c["date"]: c for c in cli.json("checkins", "--json")}


# -- Daylio ---------------------------------------------------------------------------

def test_daylio_moods_activities_and_notes(cli):
    result = imported(cli, "--from", "daylio", DAYLIO, "--mood-map", "super good=9")
    assert result["checkins_added"] == 5 and result["notes"] == 3 and result["conflicts"] == []
    days = checkins(cli)
    # Two entries on 18 Nov: good (8) at 21:40 and meh (6) at 08:15 → mean 7; notes in time order.
    assert days["2026-11-18"]["mood"] == 7
    assert days["2026-11-18"]["note"] == "Evening\nDinner with my sister, we laughed a lot"
    assert days["2026-11-18"]["tags"] == ["work", "bad-sleep", "family", "walk", "good-meal"]
    assert days["2026-11-17"]["mood"] == 10 and days["2026-11-17"]["tags"] == ["friends", "movies-tv"]
    assert days["2026-11-15"]["mood"] == 1 and days["2026-11-15"]["note"] is None
    assert days["2026-11-14"]["mood"] == 9          # the custom mood, mapped
    assert days["2026-11-16"]["mood"] == 3 and days["2026-11-16"]["craving"] is None


def test_daylio_reimport_adds_nothing_and_keeps_an_edited_value(cli):
    imported(cli, "--from", "daylio", DAYLIO, "--mood-map", "super good=9")
    cli("checkin", "--date", "2026-11-17", "--mood", "4", "--craving", "2", ok=True)
    before = checkins(cli)
    again = imported(cli, "--from", "daylio", DAYLIO, "--mood-map", "super good=9")
    assert again["checkins_added"] == 0 and again["checkins_filled"] == 0 and again["notes"] == 0
    assert [(c["date"], c["what"], c["kept"], c["incoming"]) for c in again["conflicts"]] == [
        ("2026-11-17", "mood", 4, 10)]
    assert checkins(cli) == before                  # nothing overwritten


def test_daylio_unknown_mood_is_refused_before_a_database_exists(cli, db_path):
    result = cli("import", "--from", "daylio", DAYLIO)
    assert result.exit_code == 1
    assert "unknown mood 'super good' (line 7)" in result.stderr and "--mood-map" in result.stderr
    assert not db_path.exists()


def test_daylio_summary_line_and_dry_run(cli, db_path):
    cli("checkin", "--date", "2026-11-16", "--mood", "5", "--craving", "1", "--note", "my own words", ok=True)
    dry = cli("import", "--from", "daylio", DAYLIO, "--mood-map", "super good=9", "--dry-run", ok=True)
    assert "nothing was written" in dry.stderr and "4 check-ins" in dry.stderr
    assert "2026-11-16 mood: kept 5" in dry.stderr and "2 conflicts kept as they were" in dry.stderr
    assert list(checkins(cli)) == ["2026-11-16"]     # the dry run wrote nothing
    real = cli("import", "--from", "daylio", DAYLIO, "--mood-map", "super good=9", ok=True)
    assert "Imported" in real.stderr and "4 check-ins, 1 check-in filled in, 2 notes, 2 conflicts kept as they were." in real.stderr
    assert checkins(cli)["2026-11-16"]["note"] == "my own words"


@pytest.mark.parametrize("text, message", [
    ("date,mood\n2026-01-01,good\n", "not a Daylio CSV export"),
    ("full_date,date,weekday,time,mood,activities,note\n2026-13-01,x,x,9:00 am,good,,\n", "is not a date"),
    ("full_date,date,weekday,time,mood,activities,note\n2026-01-01,x,x,25:00,good,,\n", "is not a time"),
    ("full_date,date,weekday,time,mood,activities,note\n2026-11-22,x,x,9:00 am,good,,\n", "is in the future"),
    ("full_date,date,weekday,time,mood,activities,note\n2026-01-01,x,x,9:00 am,\"good\n", "not a readable CSV"),
])
def test_daylio_bad_files(text, message, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        daylio.parse(path.read_bytes(), "d.csv", TODAY)


def test_daylio_mood_table_is_the_documented_one():
    assert daylio.DEFAULT_MOODS == {"awful": 1, "bad": 3, "meh": 6, "good": 8, "rad": 10}
    for level, name in enumerate(("awful", "bad", "meh", "good", "rad"), start=1):
        assert daylio.DEFAULT_MOODS[name] == int(1 + (level - 1) * 9 / 4 + 0.5)
    with pytest.raises(InputError, match="out of range"):
        daylio.parse_mood_map(["great=11"])
    assert daylio.parse_mood_map(["Super  Good=9"]) == {"super good": 9}


# -- jrnl ------------------------------------------------------------------------------

def test_jrnl_entries_become_notes_joined_in_time_order(cli):
    result = imported(cli, "--from", "jrnl", JRNL)
    assert result["checkins_added"] == 4 and result["notes"] == 4
    days = checkins(cli)
    assert days["2026-11-14"]["note"] == ("Morning pages. Slept badly but went for a walk with @dog. #walk\n\n"
                                          "Evening. Called my sponsor about the wedding next week. #sponsor #wedding")
    assert days["2026-11-14"]["tags"] == ["walk", "dog", "sponsor", "wedding"]
    assert days["2026-11-18"]["note"].split("\n\n")[0].startswith("Craving hit hard")
    assert days["2026-11-18"]["note"].split("\n\n")[2] == "Day done. Tired, proud. #tired"
    assert days["2026-11-14"]["mood"] is None      # jrnl has no mood: none is invented


def test_jrnl_reimport_and_a_note_written_here_first(cli):
    cli("checkin", "--date", "2026-11-15", "--mood", "6", "--craving", "1", "--note", "Quiet day.", ok=True)
    first = imported(cli, "--from", "jrnl", JRNL)
    assert first["checkins_added"] == 3 and first["checkins_filled"] == 1  # the tag joins 15 Nov
    assert [(c["date"], c["what"]) for c in first["conflicts"]] == [("2026-11-15", "note")]
    assert checkins(cli)["2026-11-15"]["note"] == "Quiet day."
    assert checkins(cli)["2026-11-15"]["tags"] == ["gratitude"]
    again = imported(cli, "--from", "jrnl", JRNL)
    assert again["checkins_added"] == again["checkins_filled"] == again["notes"] == 0
    assert len(again["conflicts"]) == 1


def test_jrnl_refuses_what_is_not_its_export(tmp_path, cli, db_path):
    bad = tmp_path / "j.json"
    bad.write_text('{"entries": [{"date": "yesterday", "title": "x"}]}')
    result = cli("import", "--from", "jrnl", bad)
    assert result.exit_code == 1 and "entry 1" in result.stderr and not db_path.exists()
    bad.write_text("not json")
    assert "not valid JSON" in cli("import", "--from", "jrnl", bad).stderr


# -- Loop Habit Tracker -----------------------------------------------------------------

def test_loop_zip_no_drinking_habit_and_meetings(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    result = imported(cli, "--from", "loop", LOOP_ZIP, "--habit", "No drinking=substance:alcohol",
                      "--habit", "meeting=meetings")
    assert result["days_without_use_added"] == 4 and result["meetings_added"] == 2
    records = {u["date"]: u["used"] for u in cli.json("uses", "--json", "--all")}
    # 15, 17, 19, 20 ticked; 16 unknown and 18 not ticked stay unrecorded (never sober, never used).
    assert records == {"2026-11-15": False, "2026-11-17": False, "2026-11-19": False, "2026-11-20": False}
    meetings = cli.json("meeting", "list", "--json")
    assert sorted(m["date"] for m in meetings) == ["2026-11-17", "2026-11-19"]
    assert {m["name"] for m in meetings} == {"Meeting"}
    again = imported(cli, "--from", "loop", LOOP_ZIP, "--habit", "No drinking=substance:alcohol",
                     "--habit", "Meeting=meetings")
    assert again["days_without_use_added"] == again["meetings_added"] == 0 and again["unchanged"] == 6


def test_loop_checked_day_after_a_recorded_use_is_a_conflict(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "2", "--date", "2026-11-19", ok=True)
    result = imported(cli, "--from", "loop", LOOP_NUMERIC, "--habit", "No drinking=substance:alcohol")
    assert [(c["date"], c["what"], c["kept"], c["incoming"]) for c in result["conflicts"]] == [
        ("2026-11-19", "alcohol", "used 2", "no use")]
    assert result["days_without_use_added"] == 3       # 15, 17, 20 (numeric format: 2 = ticked)


def test_loop_needs_a_meaning_for_each_habit_and_known_names(cli, db_path):
    result = cli("import", "--from", "loop", LOOP_ZIP)
    assert result.exit_code == 1 and "'No drinking'" in result.stderr and not db_path.exists()
    result = cli("import", "--from", "loop", LOOP_ZIP, "--habit", "Walking=meetings")
    assert result.exit_code == 1 and "no habit 'Walking'" in result.stderr
    result = cli("import", "--from", "loop", LOOP_ZIP, "--habit", "Meeting=gym")
    assert result.exit_code == 1 and "NAME=meetings or NAME=substance:SUBSTANCE" in result.stderr


def test_loop_unknown_substance_writes_nothing(cli):
    cli("checkin", "--mood", "5", "--craving", "0", ok=True)
    result = cli("import", "--from", "loop", LOOP_ZIP, "--habit", "No drinking=substance:cannabis")
    assert result.exit_code == 3 and "No substance named 'cannabis'" in result.stderr


def test_loop_measurable_habit_is_refused(tmp_path):
    path = tmp_path / "Checkmarks.csv"
    path.write_text("Date,Drinks,\n2026-11-20,3000,\n")
    with pytest.raises(InputError, match="only yes/no habits"):
        loop.parse(path.read_bytes(), "Checkmarks.csv", TODAY, loop.parse_habit_options(["Drinks=substance:alcohol"]))


def test_loop_zip_without_checkmarks(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("001 Meditate/Checkmarks.csv", "Date,Value,Notes\n")
    with pytest.raises(InputError, match="without a top-level Checkmarks.csv"):
        loop.parse(path.read_bytes(), "x.zip", TODAY, loop.parse_habit_options(["Meditate=meetings"]))


# -- TLFB ------------------------------------------------------------------------------

def test_tlfb_amounts_zero_days_and_blank_days(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    result = imported(cli, "--from", "tlfb", TLFB, "--substance", "alcohol", "--id", "P01")
    assert result["uses_added"] == 2 and result["days_without_use_added"] == 2
    assert result["skipped"] == {"left blank": 1}
    uses = {u["date"]: u for u in cli.json("uses", "--json")}
    assert {d: u["amount"] for d, u in uses.items()} == {"2026-11-11": 3, "2026-11-14": 6}
    again = imported(cli, "--from", "tlfb", TLFB, "--substance", "alcohol", "--id", "P01")
    assert again["uses_added"] == again["days_without_use_added"] == 0 and again["unchanged"] == 4


def test_tlfb_conflict_with_a_different_amount(cli, tmp_path):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "1", "--date", "2026-11-11", ok=True)
    result = cli("import", "--from", "tlfb", TLFB, "--substance", "alcohol", "--id", "P01", ok=True)
    assert "2026-11-11 alcohol: kept 'used 1'; the file has 'used 3'" in result.stderr
    assert {u["date"]: u["amount"] for u in cli.json("uses", "--json")}["2026-11-11"] == 1


def test_tlfb_needs_substance_and_a_single_calendar(cli, tmp_path):
    assert cli("import", "--from", "tlfb", TLFB).exit_code == 2
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    result = cli("import", "--from", "tlfb", TLFB, "--substance", "alcohol")
    assert result.exit_code == 1 and "choose one with --id" in result.stderr
    simple = tmp_path / "t.csv"
    simple.write_text("date,amount\n2026-11-10,-1\n")
    result = cli("import", "--from", "tlfb", simple, "--substance", "alcohol")
    assert result.exit_code == 1 and "out of range" in result.stderr


def test_options_that_do_not_apply_are_usage_errors(cli):
    assert cli("import", "--from", "jrnl", JRNL, "--habit", "x=meetings").exit_code == 2
    assert cli("import", "--from", "paper", JRNL).exit_code == 1
    assert cli("import", JRNL, "--dry-run").exit_code == 2   # --dry-run goes with --from


# -- pure helpers, hostile input ---------------------------------------------------------

def test_tag_words():
    assert tag_word("movies / tv") == "movies-tv"
    assert tag_word("#Gratitude") == "gratitude"
    assert tag_word("  ") is None
    assert tag_word("\x1b[31mred\x1b[0m") == "red"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_either_a_plan_or_one_input_error(data):
    for parse in (lambda d: daylio.parse(d, "f", TODAY), lambda d: jrnl.parse(d, "f", TODAY),
                  lambda d: loop.parse(d, "f", TODAY, loop.parse_habit_options(["a=meetings"])),
                  lambda d: tlfb.parse(d, "f", TODAY, "alcohol")):
        try:
            parse(data)
        except InputError:
            pass


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.dates(date(2000, 1, 1), TODAY), st.sampled_from(["0", "1", "2.5", ""])),
                max_size=30, unique_by=lambda t: t[0]))
def test_tlfb_rows_round_trip(rows):
    text = "date,amount\n" + "".join(f"{d.isoformat()},{a}\n" for d, a in rows)
    plan = tlfb.parse(text.encode(), "t.csv", TODAY, "alcohol")
    expected = sorted((d, float(a) > 0) for d, a in rows if a)
    assert [(u.date, u.used) for u in plan.uses] == expected
    assert plan.skipped == {"left blank": sum(1 for _, a in rows if not a)}


def test_fixture_is_what_jrnl_wrote():
    doc = json.loads(JRNL.read_text())
    assert set(doc) == {"tags", "entries"} and len(doc["entries"]) == 7
    assert set(doc["entries"][0]) == {"title", "body", "date", "time", "tags", "starred"}


# -- the progress bar ----------------------------------------------------------------------

class _Stream:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, []

    def isatty(self):
        return self.tty

    def write(self, text):
        self.text.append(text)
        return len(text)

    def flush(self):
        pass


def test_progress_appears_on_a_terminal_only_after_a_second():
    from recoverylog.render.progress import LazyProgress

    now = [0.0]
    stream = _Stream(tty=True)
    progress = LazyProgress("Importing", stream=stream, clock=lambda: now[0])
    now[0] = 0.6
    progress(200, 1000)
    assert progress.bar is None                          # quick imports show nothing
    now[0] = 1.2
    progress(400, 1000)
    assert progress.bar is not None and progress.bar.tasks[0].completed == 400
    progress.close()
    assert progress.bar is None

    piped = LazyProgress("Importing", stream=_Stream(tty=False), clock=lambda: 5.0)
    piped(400, 1000)
    assert piped.bar is None                             # never off a terminal


def test_a_dry_run_creates_no_database(cli, db_path):
    result = imported(cli, "--from", "jrnl", JRNL, "--dry-run")
    assert result["dry_run"] is True and result["checkins_added"] == 4
    assert not db_path.exists()


def test_uses_without_a_database_name_the_substance_to_add(cli, db_path):
    result = cli("import", "--from", "loop", LOOP_ZIP, "--habit", "No drinking=substance:alcohol")
    assert result.exit_code == 3 and "substance add alcohol" in result.stderr and not db_path.exists()
