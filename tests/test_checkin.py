"""The daily check-in through the CLI, as a person would type it (issue 2)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

NOW = "2026-11-21T10:00:00+00:00"  # conftest's pinned moment: today is 2026-11-21


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(result, code: int | None = None, mentions: str | None = None) -> str:
    """A refusal: non-zero exit, exactly one `Error:` line on stderr, no traceback, nothing on stdout."""
    assert result.exit_code != 0, result.stdout
    if code is not None:
        assert result.exit_code == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    if mentions:
        assert mentions in errors[0], errors[0]
    return errors[0]


@pytest.fixture
def existing(cli, db_path):
    """A database holding one check-in, so that 'nothing changed' can be checked byte for byte."""
    cli("checkin", "--mood", "6", "--craving", "3", "--date", "2026-11-20", "--note", "steady", ok=True)
    return db_path


# -- recording ---------------------------------------------------------------------

def test_checkin_with_flags_is_stored_and_listed(cli, db_path):
    result = cli("checkin", "--mood", "7", "--craving", "2", "--stress", "4", "--sleep", "7.5",
                 "--halt", "hungry,Tired", "--gratitude", "my sister", "--note", "walked", "--tag", "work",
                 "-t", "#Gym,work", ok=True)
    assert "Check-in saved for Saturday 21 November 2026" in result.stdout
    assert "Check-in streak: 1 day" in result.stdout
    rows = cli.json("checkins", "--json")
    assert rows == [{
        "date": "2026-11-21", "mood": 7, "craving": 2, "stress": 4, "sleep": 7.5,
        "halt": ["hungry", "tired"], "tags": ["work", "gym"], "gratitude": "my sister", "note": "walked",
        "recorded_at": "2026-11-21T10:00:00+00:00", "revisions": 0,
    }]
    assert db_path.exists()


def test_checkin_json_output(cli):
    out = cli.json("checkin", "--mood", "5", "--craving", "0", "--json")
    assert out["version"] == 1 and out["created"] is True and out["date"] == "2026-11-21"
    assert out["checkin"]["mood"] == 5 and out["checkin"]["craving"] == 0
    assert out["streak"] == 1 and out["longest_streak"] == 1


def test_same_date_merges_and_keeps_a_revision(cli):
    cli("checkin", "-m", "5", "-c", "2", "--stress", "3", "--note", "first", "--tag", "a",
        "--date", "2026-11-20", ok=True, now="2026-11-20T21:00:00+00:00")
    result = cli("checkin", "-m", "7", "--sleep", "6", "--date", "2026-11-20", ok=True, now=NOW)
    assert "Check-in updated" in result.stdout
    assert "Changed: mood, sleep" in result.stdout
    shown = cli.json("checkin", "show", "2026-11-20", "--json")
    assert (shown["mood"], shown["craving"], shown["stress"], shown["sleep"]) == (7, 2, 3, 6.0)
    assert shown["note"] == "first" and shown["tags"] == ["a"]
    assert shown["recorded_at"] == "2026-11-20T21:00:00+00:00"  # first written, not the edit
    assert len(shown["revisions"]) == 1
    revision = shown["revisions"][0]
    assert revision["action"] == "update" and revision["changed_at"] == "2026-11-21T10:00:00+00:00"
    assert revision["before"]["mood"] == 5 and revision["before"]["sleep"] is None

    # The same answers again change nothing and add no revision.
    again = cli("checkin", "-m", "7", "--date", "2026-11-20", ok=True)
    assert "Nothing new to change" in again.stdout
    rows = cli.json("checkins", "--json")
    assert [(r["date"], r["revisions"]) for r in rows] == [("2026-11-20", 1)]

    # A second real change: a second revision; craving may be left out because it is already known.
    cli("checkin", "-c", "4", "--date", "2026-11-20", ok=True)
    assert len(cli.json("checkin", "show", "2026-11-20", "--json")["revisions"]) == 2
    text = cli("checkin", "show", "2026-11-20", ok=True).stdout
    assert "Friday 20 November 2026" in text and "2 earlier versions" in text


def test_backfilled_checkin_is_marked(cli):
    result = cli("checkin", "-m", "4", "-c", "6", "--date", "3 days ago", ok=True)
    assert "Filled in on 2026-11-21, after the day itself." in result.stdout
    text = cli("checkin", "show", "2026-11-18", ok=True).stdout
    assert "(filled in later)" in text


def test_streak_across_month_end(cli):
    for day in ("2026-10-30", "2026-10-31", "2026-11-01"):
        cli("checkin", "-m", "6", "-c", "1", "--date", day, ok=True, now="2026-11-01T12:00:00+00:00")
    out = cli.json("checkin", "-m", "6", "-c", "1", "--json", now="2026-11-02T12:00:00+00:00")
    assert out["streak"] == 4


def test_missing_mood_or_craving_without_a_terminal_names_the_flags(cli, existing):
    before = sha(existing)
    line = assert_refused(cli("checkin", "--craving", "2"), code=2, mentions="--mood")
    assert "craving" not in line.split("give")[1].replace("craving 0–10", "")
    assert_refused(cli("checkin", "--stress", "2"), code=2, mentions="--mood and --craving")
    assert sha(existing) == before
    # The 20th already has mood and craving: a stress-only update is fine.
    cli("checkin", "--stress", "2", "--date", "2026-11-20", ok=True)


def test_high_craving_shows_what_to_do_now_calmly(cli):
    result = cli("checkin", "--mood", "2", "--craving", "9", ok=True)
    assert "Right now" in result.stdout
    low = result.stdout.lower()
    for word in ("addict", "abuser", "dirty", "failure", "failed", "relapse"):
        assert word not in low
    calm = cli("checkin", "--mood", "6", "--craving", "3", "--date", "yesterday", ok=True)
    assert "Right now" not in calm.stdout


# -- the day-start hour --------------------------------------------------------------

def test_half_past_one_counts_for_the_previous_date_until_the_setting_changes(cli):
    late = "2026-03-08T01:30:00+00:00"
    out = cli.json("checkin", "-m", "6", "-c", "2", "--json", now=late)
    assert out["date"] == "2026-03-07"
    # "Today" is still the 7th, so the 8th is in the future.
    assert_refused(cli("checkin", "-m", "6", "-c", "2", "--date", "2026-03-08"), code=1, mentions="in the future")
    cli("config", "set", "day-start-hour", "0", ok=True)
    out = cli.json("checkin", "-m", "7", "-c", "1", "--json")
    assert out["date"] == "2026-03-08"
    # The setting changes which day is "today", never how stored rows are read.
    assert [r["date"] for r in cli.json("checkins", "--json")] == ["2026-03-07", "2026-03-08"]


# -- delete and undo -------------------------------------------------------------------

def test_delete_needs_confirmation_then_undo_restores(cli, existing):
    before = sha(existing)
    assert_refused(cli("checkin", "delete", "2026-11-20"), code=2, mentions="--yes")
    assert sha(existing) == before

    deleted = cli("checkin", "delete", "2026-11-20", "--yes", ok=True)
    assert "checkin undo 2026-11-20" in deleted.stderr
    assert cli.json("checkins", "--json") == []
    assert_refused(cli("checkin", "show", "2026-11-20"), code=3, mentions="checkin undo")
    assert_refused(cli("checkin", "delete", "2026-11-20", "--yes"), code=3)

    cli("checkin", "undo", "2026-11-20", ok=True)
    rows = cli.json("checkins", "--json")
    assert [(r["date"], r["mood"], r["craving"], r["note"]) for r in rows] == [("2026-11-20", 6, 3, "steady")]
    actions = [r["action"] for r in cli.json("checkin", "show", "2026-11-20", "--json")["revisions"]]
    assert actions == ["delete", "undo"]


def test_undo_reverts_an_edit_and_refuses_when_there_is_nothing(cli, existing):
    assert_refused(cli("checkin", "undo", "2026-11-20"), code=3, mentions="Nothing to undo")
    cli("checkin", "-m", "9", "--date", "2026-11-20", ok=True)
    cli("checkin", "undo", "2026-11-20", ok=True)
    assert cli.json("checkin", "show", "2026-11-20", "--json")["mood"] == 6


# -- bad input: one line on stderr, non-zero exit, no traceback, the file unchanged -----------

BAD = [
    (["--mood", "0"], 1, "--mood 0"),
    (["--mood", "11"], 1, "--mood 11"),
    (["--mood", "abc"], 2, "--mood"),
    (["--craving", "-1"], 1, "--craving -1"),
    (["--stress", "11"], 1, "--stress 11"),
    (["--sleep", "25"], 1, "--sleep 25"),
    (["--sleep", "nan"], 1, "--sleep"),
    (["--halt", "hungry,sleepy"], 1, "'sleepy'"),
    (["--date", "2026-02-30"], 1, "not a real calendar date"),
    (["--date", "2026-11-22"], 1, "in the future"),
    (["--date", "03/04/2026"], 1, "ambiguous"),
    (["--date", "someday"], 1, "YYYY-MM-DD"),
    (["--tag", "two words"], 1, "one word"),
    (["--gratitude", "x" * 20_001], 1, "20,001 characters"),
]


@pytest.mark.parametrize("extra,code,mentions", BAD, ids=[" ".join(b[0])[:30] for b in BAD])
def test_bad_input_changes_nothing(cli, existing, extra, code, mentions):
    args = ["checkin", "--mood", "5", "--craving", "2"] + extra
    before = sha(existing)
    assert_refused(cli(*args), code=code, mentions=mentions)
    assert sha(existing) == before


@pytest.mark.parametrize("extra", [["--mood", "0"], ["--halt", "bored"], ["--sleep", "-1"],
                                   ["--date", "2026-02-30"], ["--date", "2026-11-22"], ["--date", "03/04/2026"]])
def test_bad_value_creates_no_database(cli, db_path, extra):
    assert_refused(cli("checkin", "--mood", "5", "--craving", "2", *extra), code=1)
    assert not db_path.exists() and not db_path.parent.exists()


def test_checkins_until_a_future_date_is_refused(cli, existing):
    before = sha(existing)
    assert_refused(cli("checkins", "--until", "2026-11-22"), code=1, mentions="--until date 2026-11-22 is in the future")
    assert_refused(cli("checkins", "--since", "03/04/2026"), code=1, mentions="ambiguous")
    assert sha(existing) == before
    assert [r["date"] for r in cli.json("checkins", "--until", "today", "--json")] == ["2026-11-20"]


def test_a_one_megabyte_note_on_stdin_is_refused_and_the_database_stays_sound(cli, existing):
    before = sha(existing)
    line = assert_refused(cli("checkin", "--mood", "5", "--craving", "2", "--note", "-", input="a" * 1_000_000),
                          code=1)
    assert "limit is 20,000" in line and "Nothing was saved" in line
    assert sha(existing) == before
    assert len(cli.json("checkins", "--json")) == 1


def test_a_long_note_within_the_limit_is_read_from_stdin_whole(cli):
    note = ("line of a long entry\n" * 900).strip()  # ~18,900 characters
    cli("checkin", "--mood", "5", "--craving", "2", "--note", "-", input=note + "\n", ok=True)
    assert cli.json("checkin", "show", "today", "--json")["note"] == note
    listed = cli("checkins", ok=True).stdout.splitlines()
    row = next(line for line in listed if line.startswith("2026-11-21"))
    assert "line of a long" in row and row.rstrip().endswith("…")  # one shortened line in the table
    assert len(listed) == 3


def test_a_binary_note_is_refused(cli, existing):
    before = sha(existing)
    assert_refused(cli("checkin", "-m", "5", "-c", "2", "--note", "caf\udce9"), code=1, mentions="not valid UTF-8")
    assert_refused(cli("checkin", "-m", "5", "-c", "2", "--note", "a\x00b"), code=1, mentions="NUL")
    assert sha(existing) == before


def test_user_text_is_shown_as_typed_not_as_markup(cli):
    result = cli("checkin", "-m", "5", "-c", "2", "--tag", "[bold]x[/bold]", ok=True)
    assert "[bold]x[/bold]" in result.stdout
    shown = cli("checkin", "show", "today", ok=True).stdout
    assert "[bold]x[/bold]" in shown
    assert not re.search(r"\x1b\[", result.stdout + shown)


def test_checkins_table_fits_60_and_80_columns(cli, monkeypatch):
    cli("checkin", "-m", "5", "-c", "2", "--halt", "hungry,lonely", "--tag", "work", "--note", "a long note " * 5, ok=True)
    for width in ("60", "80"):
        monkeypatch.setenv("COLUMNS", width)
        out = cli("checkins", ok=True).stdout
        assert max(len(line) for line in out.splitlines()) <= int(width), out
        assert "2026-11-21" in out
    data = json.loads(cli("checkins", "--json", ok=True).stdout)
    assert data[0]["halt"] == ["hungry", "lonely"]


@pytest.mark.parametrize("command", [["checkins"], ["meeting", "list"], ["uses"], ["report"]])
def test_since_after_until_is_refused_in_every_listing(cli, command, empty_journal):
    result = cli(*command, "--since", "2026-11-20", "--until", "2026-11-10")
    assert result.exit_code == 1
    assert "--since 2026-11-20 is after --until 2026-11-10" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("args, words", [
    (["checkin", "--mood", "abc", "--craving", "1"], "'abc' is not a valid int"),
    (["checkin", "--bogus"], "No such option: --bogus"),
    (["goal", "add"], "Missing argument 'TITLE'"),
    (["nope"], "No such command 'nope'"),
])
def test_typer_usage_errors_are_one_line_too(cli, db_path, args, words):
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0]
    assert "--help" in lines[0] and not db_path.exists()
