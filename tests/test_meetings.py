"""Meetings through the CLI (issue 4): logging, usual details by name, verification, bad input,
edits and deletes kept as revisions, check-in --meeting, 90 in 90, and the status part."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverylog.errors import InputError
from recoverylog.reports.meetings import ninety_in_ninety
from recoverylog.services.meetings import canonical_fellowship, check_verifier, parse_time

CONTRACT_KEYS = {"id", "date", "time", "minutes", "name", "fellowship", "format", "location", "online_id",
                 "group_number", "role", "home_group", "verification", "verified_by", "ref", "note"}


def meetings(cli):
    return cli.json("meeting", "list", "--json")


def revisions(db_path, entity="meeting"):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT entity_key, action, data FROM revisions WHERE entity = ? ORDER BY id",
                            (entity,)).fetchall()
    finally:
        conn.close()


def test_add_and_list_json_contract(cli):
    out = cli.json("meeting", "add", "Grace Group", "--date", "2026-11-20", "--time", "19:00", "--minutes", "60",
                   "--fellowship", "aa", "--format", "In-Person", "--location", "Grace Church",
                   "--group-number", "12345", "--role", "chaired", "--home-group", "--verification", "signature",
                   "--verified-by", "John R.", "--ref", "C-77", "--note", "good share", "--json")
    assert out["id"] == 1 and out["filled_fields"] == []
    rows = meetings(cli)
    assert len(rows) == 1 and set(rows[0]) == CONTRACT_KEYS
    assert rows[0] | {} == {"id": 1, "date": "2026-11-20", "time": "19:00", "minutes": 60, "name": "Grace Group",
                           "fellowship": "AA", "format": "in-person", "location": "Grace Church",
                           "online_id": None, "group_number": "12345", "role": "chaired", "home_group": True,
                           "verification": "signature", "verified_by": "John R.", "ref": "C-77",
                           "note": "good share"}


def test_usual_details_filled_from_the_last_meeting_of_the_same_name(cli):
    cli("meeting", "add", "Grace Group", "--date", "2026-11-13", "--time", "07:00", "--minutes", "60",
        "--fellowship", "NA", "--format", "hybrid", "--location", "Old Hall", ok=True)
    cli("meeting", "add", "Grace Group", "--date", "2026-11-14", "--time", "08:30", "--minutes", "90",
        "--fellowship", "AA", "--format", "in-person", "--location", "Grace Church", "--group-number", "12",
        "--home-group", "--verification", "signature", "--verified-by", "Ann", ok=True)
    # Another spelling of the name, a different location given: the rest comes from 14 Nov.
    out = cli.json("meeting", "add", "GRACE group", "--location", "Park Annex", "--json")
    assert out["name"] == "Grace Group"  # the earlier spelling
    assert (out["fellowship"], out["format"], out["location"], out["group_number"], out["time"], out["minutes"],
            out["home_group"]) == ("AA", "in-person", "Park Annex", "12", "08:30", 90, True)
    assert out["filled_from"] == "2026-11-14"
    assert "location" not in out["filled_fields"] and "fellowship" in out["filled_fields"]
    # Verification is its own fact: never copied.
    assert out["verification"] == "none" and out["verified_by"] is None
    text = cli("meeting", "add", "Grace Group", "--date", "2026-11-19", ok=True).stdout
    assert "Filled in from" in text and "Park Annex" in text


def test_usual_start_time_still_to_come_today_is_left_out(cli):
    cli("meeting", "add", "Evening Step", "--date", "2026-11-19", "--time", "19:30", "--fellowship", "AA", ok=True)
    out = cli.json("meeting", "add", "Evening Step", "--json")  # today, and it is 10:00
    assert out["time"] is None and out["fellowship"] == "AA"


def test_checkin_meeting_uses_the_same_defaults_and_lands_with_the_checkin(cli):
    cli("meeting", "add", "Noon Group", "--date", "2026-11-18", "--fellowship", "smart", "--format", "online",
        "--online-id", "815-000", "--minutes", "60", ok=True)
    out = cli.json("checkin", "--mood", "7", "--craving", "2", "--meeting", "noon group", "--meeting", "New Place",
                   "--json")
    logged = out["recorded"]["meetings"]
    assert [(m["name"], m["fellowship"], m["online_id"], m["date"]) for m in logged] == [
        ("Noon Group", "SMART", "815-000", "2026-11-21"), ("New Place", None, None, "2026-11-21")]
    # Checking in again with the same meeting does not log it twice.
    again = cli.json("checkin", "--mood", "8", "--meeting", "Noon Group", "--json")
    assert again["recorded"]["meetings"][0]["created"] is False
    assert len(meetings(cli)) == 3
    result = cli("checkin", "--mood", "8", "--meeting", "Noon Group", ok=True)
    assert "already logged" in result.stdout


def test_checkin_with_a_bad_meeting_stores_nothing(cli, db_path):
    result = cli("checkin", "--mood", "7", "--craving", "2", "--meeting", "   ")
    assert result.exit_code != 0 and "Error:" in result.stderr and "Traceback" not in result.stderr
    assert not db_path.exists()  # refused before anything was created


@pytest.mark.parametrize("args, words, code", [
    (["--fellowship", "Alcoholics Unanimous"], "Unknown fellowship", 1),
    (["--minutes", "0"], "out of range", 1),
    (["--minutes", "-15"], "out of range", 1),
    (["--minutes", "1441"], "out of range", 1),
    (["--time", "25:00"], "not a 24-hour time", 1),
    (["--time", "24:00"], "not a 24-hour time", 1),
    (["--time", "12:60"], "not a 24-hour time", 1),
    (["--time", "7pm"], "not a 24-hour time", 1),
    (["--date", "2026-11-22"], "in the future", 1),
    (["--date", "tomorrow"], "is in the future", 1),
    (["--time", "18:00"], "has not started yet", 1),         # today, and it is 10:00
    (["--format", "zoom"], "Unknown --format", 1),
    (["--role", "speaker"], "Unknown --role", 1),
    (["--verification", "selfie"], "Unknown --verification", 1),
    (["--verification", "signature", "--verified-by", "John Robertson"], "anonymity", 1),
    (["--verified-by", "Ann"], "also give --verification", 2),
    (["--date", "03/04/2026"], "ambiguous", 1),
])
def test_bad_input_is_a_clear_error_and_stores_nothing(cli, db_path, args, words, code):
    cli("meeting", "add", "Before", "--date", "2026-11-01", ok=True)
    before = meetings(cli)
    result = cli("meeting", "add", "Grace Group", *args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr and result.stderr.startswith("Error:")
    assert len(result.stderr.strip().splitlines()) <= 2 and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert meetings(cli) == before


def test_a_name_is_required_without_a_terminal(cli, db_path):
    result = cli("meeting", "add")
    assert result.exit_code == 2 and "NAME" in result.stderr
    assert not db_path.exists()


def test_duplicate_meeting_is_refused(cli):
    cli("meeting", "add", "Grace Group", "--date", "2026-11-20", "--time", "19:00", ok=True)
    result = cli("meeting", "add", "grace group", "--date", "2026-11-20", "--time", "19:00")
    assert result.exit_code == 1 and "already logged (#1)" in result.stderr
    # Same name at another time the same day is another meeting.
    cli("meeting", "add", "Grace Group", "--date", "2026-11-20", "--time", "07:00", ok=True)
    assert len(meetings(cli)) == 2


@pytest.mark.parametrize("text", ["John", "John R.", "John R", "J.R.", "J. R.", "JR", "J.", "Mary-Jane",
                                  "Siobhán", "José M.", "O'Neil"])
def test_verifier_first_name_or_initials_accepted(text):
    assert check_verifier(text) == " ".join(text.split())


@pytest.mark.parametrize("text, reason", [
    ("John Robertson", "anonymity"),
    ("Mary Jane Watson", "anonymity"),
    ("John Robertson-Smith", "anonymity"),
    ("Bartholomew-Alexandria", "longer than 20"),
    ("john@example.com", "not a first name"),
    ("555-0100", "not a first name"),
    ("J.R.R.T.", "not a first name"),
    ("", "empty"),
])
def test_verifier_full_names_and_other_text_refused(text, reason):
    with pytest.raises(InputError, match=reason):
        check_verifier(text)


def test_verifier_rule_through_the_cli(cli, db_path):
    result = cli("meeting", "add", "Grace Group", "--date", "2026-11-20", "--verification", "signature",
                 "--verified-by", "John Robertson")
    assert result.exit_code == 1
    assert "members' anonymity" in result.stderr and "John R." in result.stderr
    assert not db_path.exists()
    out = cli.json("meeting", "add", "Grace Group", "--date", "2026-11-20", "--verification", "initials",
                   "--verified-by", "J. R.", "--json")
    assert out["verified_by"] == "J. R."


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_accepts_every_24h_time(hour, minute):
    assert parse_time(f"{hour}:{minute:02d}") == f"{hour:02d}:{minute:02d}"


@given(st.integers(24, 99), st.integers(0, 59))
def test_parse_time_refuses_hours_past_23(hour, minute):
    with pytest.raises(InputError):
        parse_time(f"{hour}:{minute:02d}")


@pytest.mark.parametrize("text, canonical", [("aa", "AA"), ("smart", "SMART"), ("lifering", "LifeRing"),
                                             ("Recovery Dharma", "RecoveryDharma"), ("wfs", "WFS"),
                                             ("women for sobriety", "WFS"), ("celebrate-recovery", "CelebrateRecovery"),
                                             ("OTHER", "other"), ("dra", "DRA")])
def test_fellowships_match_case_insensitively(text, canonical):
    assert canonical_fellowship(text) == canonical


def test_edit_keeps_the_earlier_version(cli, db_path):
    cli("meeting", "add", "Grace Group", "--date", "2026-11-20", "--fellowship", "AA", "--location", "Hall", ok=True)
    out = cli.json("meeting", "edit", "1", "--fellowship", "NA", "--location", "", "--time", "9:15", "--json")
    assert (out["fellowship"], out["location"], out["time"]) == ("NA", None, "09:15")
    assert set(out["changed"]) == {"fellowship", "location", "time"}
    revs = revisions(db_path)
    assert [(k, a) for k, a, _ in revs] == [("1", "update")]
    assert json.loads(revs[0][2])["fellowship"] == "AA"
    for bad in (["--date", "2026-11-30"], ["--minutes", "0"], ["--time", "25:00"], ["--fellowship", "XA"]):
        result = cli("meeting", "edit", "1", *bad)
        assert result.exit_code == 1 and "Error:" in result.stderr
    assert meetings(cli)[0]["fellowship"] == "NA" and len(revisions(db_path)) == 1
    assert cli("meeting", "edit", "99", "--minutes", "60").exit_code == 3


def test_delete_needs_confirmation_and_keeps_a_revision(cli, db_path):
    cli("meeting", "add", "Grace Group", "--date", "2026-11-20", ok=True)
    result = cli("meeting", "delete", "1")
    assert result.exit_code == 2 and "--yes" in result.stderr and len(meetings(cli)) == 1
    result = cli("meeting", "delete", "1", "--yes", ok=True)
    assert "kept" in result.stderr
    assert meetings(cli) == []
    (key, action, data), = revisions(db_path)
    assert (key, action, json.loads(data)["name"]) == ("1", "delete", "Grace Group")
    assert cli("meeting", "delete", "1", "--yes").exit_code == 3


def test_list_range_and_rendering_at_narrow_widths(cli, monkeypatch):
    cli("meeting", "add", "[bold]Not markup[/bold]", "--date", "2026-11-01", ok=True)
    cli("meeting", "add", "Grace Group", "--date", "2026-11-20", "--fellowship", "AA", "--minutes", "60",
        "--verification", "signature", "--verified-by", "John R.", ok=True)
    assert [m["name"] for m in cli.json("meeting", "list", "--since", "2026-11-10", "--json")] == ["Grace Group"]
    for width in ("60", "80", "120"):
        monkeypatch.setenv("COLUMNS", width)
        out = cli("meeting", "list", ok=True).stdout
        assert "[bold]Not markup[/bold]" in out.replace("\n", "").replace(" ", "") or "[bold]Not" in out
        assert "2 meetings on 2 days, 1 verified." in out
        assert max(len(line) for line in out.splitlines()) <= int(width)
    assert cli("meeting", "list", "--until", "2026-12-01").exit_code == 1


# -- 90 in 90 --------------------------------------------------------------------------

def test_ninety_on_pace(cli):
    for offset in range(10):  # one a day from 1 Nov, two on 5 Nov
        cli("meeting", "add", f"Daily {offset}", "--date", (date(2026, 11, 1) + timedelta(days=offset)).isoformat(),
            ok=True)
    cli("meeting", "add", "Extra", "--date", "2026-11-05", ok=True)
    out = cli.json("meeting", "ninety", "--start", "2026-11-01", "--as-of", "2026-11-10", "--json")
    assert (out["day"], out["meetings"], out["meeting_days"], out["expected"], out["on_pace"], out["behind_by"],
            out["days_left"], out["to_go"], out["end"]) == (10, 11, 10, 9, True, 0, 81, 79, "2027-01-29")
    assert "On pace" in cli("meeting", "ninety", "--start", "2026-11-01", "--as-of", "2026-11-10", ok=True).stdout


def test_ninety_behind_says_what_still_counts(cli):
    for day, time in (("2026-11-01", "07:00"), ("2026-11-02", "07:00"), ("2026-11-02", "19:00"),
                      ("2026-11-06", "12:00")):
        cli("meeting", "add", "Morning Group", "--date", day, "--time", time, ok=True)
    out = cli.json("meeting", "ninety", "--start", "2026-11-01", "--as-of", "2026-11-10", "--json")
    assert (out["day"], out["meetings"], out["meeting_days"], out["expected"], out["on_pace"], out["behind_by"],
            out["to_go"], out["days_left"]) == (10, 4, 3, 9, False, 5, 86, 81)
    text = cli("meeting", "ninety", "--start", "2026-11-01", "--as-of", "2026-11-10", ok=True).stdout
    assert "Behind pace" in text and "fail" not in text.lower()
    # Default start: the first meeting in the last 90 days.
    assert cli.json("meeting", "ninety", "--json")["start"] == "2026-11-01"
    assert cli("meeting", "ninety", "--start", "2026-11-22").exit_code == 1


def test_status_json_has_the_meetings_part(cli):
    cli("meeting", "add", "A", "--date", "2026-11-16", "--verification", "certificate", ok=True)  # Monday
    cli("meeting", "add", "B", "--date", "2026-11-15", ok=True)  # Sunday: last week
    cli("meeting", "add", "C", "--date", "2026-10-23", ok=True)  # 30th day back counts
    cli("meeting", "add", "D", "--date", "2026-10-22", ok=True)  # 31st does not
    cli("meeting", "requirement", "add", "court", "--count", "3", "--per", "week", "--start", "2026-11-01",
        "--verified-only", ok=True)
    part = cli.json("status", "--json")["meetings"]
    assert (part["this_week"], part["last_30_days"]) == (1, 3)
    assert part["requirements"] == [{"label": "court", "period_start": "2026-11-16", "period_end": "2026-11-22",
                                     "counted": 1, "required": 3, "deficit": 2, "days_left": 2, "met": False,
                                     "partial": False}]
    text = cli("status", ok=True).stdout
    assert "Meetings: 1 this week, 3 in the last 30 days" in text and "court: 1 of 3" in text


def test_ninety_over_and_short_is_exact_and_grammatical(cli, empty_journal):
    text = cli("meeting", "ninety", "--start", "2026-06-01", ok=True).stdout
    assert "The 90 days are over: no meetings were logged in them." in text
    assert "Every one of those" not in text                 # there were none to count
    cli("meeting", "add", "Noon Group", "--date", "2026-06-10", ok=True)
    text = cli("meeting", "ninety", "--start", "2026-06-01", ok=True).stdout
    assert "The 90 days are over: 1 meeting, 89 short of 90. That meeting still counts." in text


def test_ninety_complete_and_pure_properties():
    start = date(2026, 1, 1)
    done = ninety_in_ninety([start + timedelta(days=i) for i in range(90)], start, date(2026, 6, 1))
    assert done.complete and done.on_pace and done.to_go == 0 and done.days_left == 0
    short = ninety_in_ninety([start], start, date(2026, 6, 1))
    assert short.complete and not short.on_pace and short.behind_by == 89


@given(st.lists(st.integers(-20, 120), max_size=200), st.integers(0, 130))
def test_ninety_counts_only_the_window(offsets, as_of_offset):
    start = date(2026, 12, 1)
    dates = [start + timedelta(days=o) for o in offsets]
    as_of = start + timedelta(days=as_of_offset)
    n = ninety_in_ninety(dates, start, as_of)
    inside = [d for d in dates if start <= d <= min(as_of, start + timedelta(days=89))]
    assert n.meetings == len(inside) and n.meeting_days == len(set(inside))
    assert n.on_pace == (n.behind_by == 0) and n.to_go == max(0, 90 - n.meetings)
    assert n.days_left + min(n.day, 90) == 91 or n.complete


def test_add_without_a_name_on_a_terminal_offers_recent_meetings(cli, monkeypatch):
    cli("meeting", "add", "Grace Group", "--date", "2026-11-14", "--fellowship", "AA", ok=True)
    cli("meeting", "add", "Noon Group", "--date", "2026-11-18", "--fellowship", "NA", ok=True)
    monkeypatch.setattr("recoverylog.cli.meeting.interactive", lambda: True)
    result = cli("meeting", "add", "--date", "2026-11-20", input="9\n2\n", ok=True)
    assert "1. Noon Group" in result.stderr and "2. Grace Group" in result.stderr
    assert "Please type a number" in result.stderr          # 9 is not on the list: asked again
    assert meetings(cli)[-1]["name"] == "Grace Group" and meetings(cli)[-1]["fellowship"] == "AA"
    cli("meeting", "add", "--date", "2026-11-20", input="Brand New\n", ok=True)
    assert meetings(cli)[-1]["name"] == "Brand New"


def test_add_confirmation_wraps_under_its_indent_at_60_columns(cli, monkeypatch):
    cli("meeting", "add", "Tuesday Night Step", "--date", "2026-11-17", "--time", "19:00", "--minutes", "60",
        "--fellowship", "AA", "--format", "in-person", "--location", "Grace Church", "--group-number", "12345",
        ok=True)
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("meeting", "add", "Tuesday Night Step", "--date", "2026-11-10", "--verification", "signature",
              "--verified-by", "Mary-Jane K.", ok=True).stdout
    lines = out.splitlines()
    assert lines[0].startswith("✓ Meeting logged: Tuesday Night Step")
    assert all(line.startswith("  ") for line in lines[1:]), out      # detail lines hang under the indent
    assert all(line == line.rstrip() and len(line) <= 60 for line in lines), out
    assert "fellowship, format, location, group number, time, minutes." in " ".join(" ".join(lines).split())


def test_edit_to_unverified_names_the_verifier_to_clear(cli):
    cli("meeting", "add", "Noon Group", "--date", "2026-11-17", "--verification", "signature",
        "--verified-by", "John R.", ok=True)
    before = meetings(cli)
    result = cli("meeting", "edit", "1", "--verification", "none")
    assert result.exit_code == 2 and result.stdout == ""
    # The person asked for --verification none: say what else to change, not to add a verification.
    assert "John R." in result.stderr and "--verified-by ''" in result.stderr
    assert "also give --verification" not in result.stderr
    assert meetings(cli) == before
    cli("meeting", "edit", "1", "--verification", "none", "--verified-by", "", ok=True)
    assert (meetings(cli)[0]["verification"], meetings(cli)[0]["verified_by"]) == ("none", None)
