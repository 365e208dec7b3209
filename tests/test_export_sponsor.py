"""The sponsor summary: what it holds, what it never holds, and its four formats."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from summary_seed import (
    CONTACT,
    GRATITUDE,
    LOCATION,
    MEETING_NOTE,
    PHONE,
    STEP_NOTE,
    TAG,
    VERIFIER,
    copy_db,
    seed_person,
    seeded_once,
)

FORMATS = ("markdown", "html", "json", "csv")
PRIVATE = ("private note", GRATITUDE, TAG, MEETING_NOTE)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return seeded_once(tmp_path_factory.mktemp("sponsor"), "p", used_on=(3,),
                       cravings=[3, 8, 2, 7, 1, 2, 3, 4, 2, 1])


@pytest.fixture
def person(template, tmp_path: Path) -> Path:
    return copy_db(template, tmp_path / "p.db")


def export(cli, db, *args) -> str:
    return cli("--db", str(db), "export", *args, ok=True).stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_notes_gratitude_and_tags_only_with_include_notes(cli, person, fmt):
    without = export(cli, person, "-f", fmt)
    for secret in PRIVATE:
        assert secret not in without, (fmt, secret)
    with_notes = export(cli, person, "-f", fmt, "--include-notes")
    assert "private note" in with_notes and GRATITUDE in with_notes and TAG in with_notes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("notes", [(), ("--include-notes",)])
def test_contacts_places_verifiers_and_step_notes_never_appear(cli, person, fmt, notes):
    text = export(cli, person, "-f", fmt, *notes)
    for never in (PHONE, "0199", CONTACT, LOCATION, VERIFIER, STEP_NOTE):
        assert never not in text, (fmt, never)


def test_json_is_the_envelope_with_the_period_report(cli, person):
    doc = json.loads(export(cli, person, "-f", "json"))
    from recoverylog.exports.envelope import verify

    assert doc["format"] == "recoverylog-summary" and doc["version"] == 1 and doc["profile"] == "sponsor"
    assert doc["period"] == {"start": "2026-11-15", "end": "2026-11-21", "days": 7}
    assert doc["person"] == {"name": None}
    assert verify(doc)
    data = doc["data"]
    assert [d["date"] for d in data["days"]][0] == "2026-11-15" and len(data["days"]) == 7
    assert data["checkins"]["days"] == 7 and data["include_notes"] is False
    assert data["high_craving_days"] == 1  # 7 on 2026-11-15 (index 3 of the seeded 10 days is 11-15)
    alcohol = data["substances"][0]
    assert alcohol["name"] == "alcohol" and alcohol["period"]["use_days"] == 1
    assert alcohol["continuous_days"] == 6  # last use 2026-11-15
    assert data["meetings"]["count"] == 2 and data["meetings"]["items"][0]["verified"] is True
    assert data["meetings"]["requirements"][0]["label"] == "court"
    assert data["outreach"]["count"] == 1 and data["steps"][0]["step"] == 4


def test_name_and_message_are_the_persons_choice(cli, person):
    doc = json.loads(export(cli, person, "-f", "json", "--name", "Alex R.", "--message", "work stress"))
    assert doc["person"]["name"] == "Alex R." and doc["data"]["message"] == "work stress"
    md = export(cli, person, "--name", "Alex R.", "--message", "work stress")
    assert "Alex R." in md and "Things I want to talk about:** work stress" in md


def test_a_long_message_is_refused(cli, person):
    result = cli("--db", str(person), "export", "--message", "x" * 501)
    assert result.exit_code == 1 and "keep it to 500" in result.stderr and result.stdout == ""


def test_periods(cli, person):
    assert json.loads(export(cli, person, "-f", "json", "--week"))["period"]["start"] == "2026-11-16"
    assert json.loads(export(cli, person, "-f", "json", "--month"))["period"] == {
        "start": "2026-11-01", "end": "2026-11-21", "days": 21}
    doc = json.loads(export(cli, person, "-f", "json", "--since", "2026-10-31", "--until", "2026-11-02"))
    assert [d["date"] for d in doc["data"]["days"]] == ["2026-10-31", "2026-11-01", "2026-11-02"]
    result = cli("--db", str(person), "export", "--until", "2026-11-22")
    assert result.exit_code != 0 and "Traceback" not in result.stderr


def test_every_format_carries_the_same_digest(cli, person):
    digest = json.loads(export(cli, person, "-f", "json"))["digest"]
    assert digest in export(cli, person, "-f", "markdown")
    assert digest in export(cli, person, "-f", "html")


def test_csv_has_the_daily_rows(cli, person):
    rows = list(csv.DictReader(io.StringIO(export(cli, person, "-f", "csv"))))
    assert [r["date"] for r in rows] == [f"2026-11-{d}" for d in range(15, 22)]
    assert rows[0]["alcohol_used"] == "yes" and rows[0]["alcohol_amount"] == "3"
    assert rows[1]["alcohol_used"] == "no" and rows[1]["craving"] == "1"
    assert "note" not in rows[0]


def test_csv_cells_cannot_become_formulas():
    from recoverylog.render.summary_csv import cell

    assert cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and cell("@SUM(1)") == "'@SUM(1)"
    assert cell(-3) == "-3" and cell(2.0) == "2" and cell(None) == "" and cell(True) == "yes"


def test_html_is_self_contained_and_escapes_everything(cli, person):
    page = export(cli, person, "-f", "html", "--include-notes", "--name", "<b>Alex</b>",
                  "--message", "talk about <script>x</script> & more")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page
    for load in ("<link", "<img", "<iframe", "@import", "url(", " src=", "<object", "<embed"):
        assert load not in page.lower(), load
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Alex&lt;/b&gt;" in page and "<b>Alex</b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in page
    assert page.count("<svg") == 3  # mood and craving, the calendar, meetings per week
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_calendar_says_unrecorded_never_sober(cli, tmp_path):
    db = tmp_path / "gap.db"
    seed_person(cli, db, skip=(7, 8), meetings=(), requirement=None)
    page = export(cli, db, "-f", "html")
    # The seeded days run from 2026-11-12; indices 7 and 8 are 2026-11-19 and 2026-11-20.
    assert "2026-11-19: not recorded" in page and "2026-11-20: not recorded" in page
    assert "2026-11-18: no use recorded" in page and "2026-11-21: no use recorded" in page


def test_markdown_reads_as_short_sections(cli, person):
    md = export(cli, person)
    for heading in ("# Recovery summary", "## Check-ins", "## Days without use", "## Meetings", "## Day by day"):
        assert heading in md
    assert "| Date | Mood | Craving |" in md
    assert re.search(r"\*\*alcohol\*\*: goal abstain; 6 days without use \(since 2026-11-16\)", md)
    for word in ("addict", "abuser", "dirty", "clean", "failure", "failed", "relapse"):
        assert word not in md.lower()


def test_markdown_escapes_markup_in_names(cli, person):
    md = export(cli, person, "--name", "[click](javascript:x) *bold* <i>")
    assert "\\[click\\](javascript:x) \\*bold\\* \\<i\\>" in md


def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("recoverylog").joinpath("data/summary.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("args", [
    ("-p", "sponsor"), ("-p", "sponsor", "--include-notes", "--name", "Alex", "--message", "hi"),
    ("-p", "sponsor", "--month"), ("-p", "full"), ("-p", "court"), ("-p", "sponsor", "--include-warnings"),
])
def test_the_json_schema_validates_every_profile(cli, person, args):
    doc = json.loads(export(cli, person, "-f", "json", *args))
    errors = [f"{list(e.path)}: {e.message}" for e in _validator().iter_errors(doc)]
    assert errors == []


def test_the_schema_rejects_notes_in_a_summary_without_include_notes(cli, person):
    doc = json.loads(export(cli, person, "-f", "json"))
    doc["data"]["days"][0]["note"] = "sneaked in"
    assert list(_validator().iter_errors(doc))


def test_exports_that_leave_the_terminal_are_logged(cli, person, tmp_path):
    out = tmp_path / "week.html"
    cli("--db", str(person), "export", "-f", "html", "-o", str(out), "--to", "sponsor Sam", ok=True)
    assert out.stat().st_mode & 0o777 == 0o600
    log = cli.json("--db", str(person), "export", "log", "--json")
    entry = log[-1]
    assert (entry["profile"], entry["format"], entry["to"], entry["period_start"], entry["period_end"]) == (
        "sponsor", "html", "sponsor Sam", "2026-11-15", "2026-11-21")
    assert entry["digest"].startswith("sha256:") and entry["digest"] in out.read_text()
    again = cli("--db", str(person), "export", "-f", "html", "-o", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr
    assert len(cli.json("--db", str(person), "export", "log", "--json")) == len(log)
    cli("--db", str(person), "export", "-f", "html", "-o", str(out), "--force", ok=True)


def test_an_empty_log_exports_honestly(cli, tmp_path):
    db = tmp_path / "empty.db"
    from recoverylog.clock import clock_from_env
    from recoverylog.storage.db import open_store

    open_store(db, clock_from_env()).close()
    doc = json.loads(export(cli, db, "-f", "json"))
    assert doc["data"]["checkins"]["days"] == 0 and doc["data"]["substances"] == []
    md = export(cli, db)
    assert "Checked in on 0 of 7 days" in md
    page = export(cli, db, "-f", "html")
    assert "<svg" not in page or "Meetings per week" in page
    assert not list(_validator().iter_errors(doc))


def test_export_log_table_shows_whom_and_which_digest(cli, person, tmp_path, monkeypatch):
    assert "Nothing has been exported yet" in cli("--db", str(person), "export", "log", ok=True).stdout
    cli("--db", str(person), "export", "-f", "json", "-o", str(tmp_path / "s.json"), "--to", "[bold]Sam[/bold]",
        ok=True)
    digest = json.loads((tmp_path / "s.json").read_text())["digest"]
    for width in ("80", "60"):
        monkeypatch.setenv("COLUMNS", width)
        out = cli("--db", str(person), "export", "log", ok=True).stdout
        assert max(len(line) for line in out.splitlines()) <= int(width)
        assert digest[7:15] in out and "2026-11-15…11-21" in out
        assert "[bold]" in out and "Sam" in out and "[/bold]" in out.replace("\n", "").replace(" ", "")


def test_html_calendar_is_per_substance_and_marks_days_within_a_reduce_goal(cli, tmp_path):
    """A reduce goal kept (cigarettes within 5 a day) must not paint the alcohol calendar as 'used'."""
    path = tmp_path / "cal.db"
    cli("--db", str(path), "substance", "add", "alcohol", "--unit", "drinks", "--last-use", "2026-10-01", ok=True)
    cli("--db", str(path), "substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce",
        "--max-per-day", "5", ok=True)
    for day in ("2026-11-19", "2026-11-20", "2026-11-21"):
        cli("--db", str(path), "checkin", "--date", day, "--mood", "6", "--craving", "2",
            "--used", "cigarettes:3", "--sober", ok=True)
    page = cli("--db", str(path), "export", "--format", "html", ok=True).stdout
    assert 'aria-label="alcohol: calendar of days with and without use"' in page
    assert 'aria-label="cigarettes: calendar of days with and without use"' in page
    alcohol, cigarettes = page.split('aria-label="cigarettes: calendar')[0], page.split('aria-label="cigarettes: calendar')[1]
    assert "2026-11-21: no use recorded" in alcohol
    assert "2026-11-21: used, within goal" in cigarettes.split("</svg>")[0]
    assert "2026-11-18: not recorded" in alcohol


def test_a_kept_reduce_goal_is_reported_as_kept_not_as_zero_days(cli, tmp_path):
    """Harm reduction is first class: cigarettes within 5 a day on every recorded day read as
    'within goal on 3 of 3 recorded days', and a use today never says 'since' tomorrow."""
    path = tmp_path / "reduce.db"
    cli("--db", str(path), "substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce",
        "--max-per-day", "5", ok=True)
    for day in ("2026-11-19", "2026-11-20", "2026-11-21"):
        cli("--db", str(path), "checkin", "--date", day, "--mood", "6", "--craving", "2",
            "--used", "cigarettes:3", ok=True)
    md = export(cli, path)
    page = export(cli, path, "-f", "html")
    for text in (md, page):
        assert "within the daily limit on 3 of 3 use days" in text
        assert "sober" not in text.split("Day by day")[0].lower() or "never as sober" in text
        assert "2026-11-22" not in text and "last use 2026-11-21" in text
    assert "days without cigarettes" not in page
    assert "<b>3/3</b><span>days cigarettes within goal</span>" in page
    doc = json.loads(export(cli, path, "-f", "json"))
    assert doc["data"]["substances"][0]["period"]["within_goal_days"] == 3


def test_goal_titles_wrap_on_a_phone(cli, person):
    """Dates never break, but a goal's own words must wrap or the table runs off a phone screen."""
    cli("--db", str(person), "goal", "add", "Call my sponsor every single day before work", "--metric", "outreach",
        "--target", "7", ok=True)
    page = export(cli, person, "-f", "html")
    goals = page.split("<h2>Goals</h2>")[1].split("</section>")[0]
    assert '<table class="goals">' in goals
    assert "table.goals td:first-child{white-space:normal}" in page


def test_step_progress_is_in_the_summary_even_without_step_events_in_the_period(cli, tmp_path):
    """Working step 4 since October: a weekly summary in November still says where the person is."""
    path = tmp_path / "steps.db"
    for step, status, day in (("1", "done", "2026-09-01"), ("2", "done", "2026-09-15"), ("3", "done", "2026-10-01"),
                              ("4", "in-progress", "2026-10-02")):
        cli("--db", str(path), "step", step, "--status", status, "--program", "AA", "--date", day,
            "--note", STEP_NOTE_LOCAL, ok=True)
    doc = json.loads(export(cli, path, "-f", "json"))
    assert doc["data"]["steps"] == []                      # no step event this week
    assert doc["data"]["step_progress"] == {"program": "AA", "current": 4, "current_status": "in-progress",
                                            "current_since": "2026-10-02", "done": 3, "of": 12}
    assert not list(_validator().iter_errors(doc))
    for fmt in ("markdown", "html"):
        text = export(cli, path, "-f", fmt, "--include-notes")
        assert "AA: working on step 4 (since 2026-10-02); 3 of 12 steps done" in text, fmt
        assert STEP_NOTE_LOCAL not in text
    out = tmp_path / "steps.json"
    out.write_text(export(cli, path, "-f", "json"), encoding="utf-8")
    shown = " ".join(cli("review", str(out), ok=True).stdout.split())
    assert "Step work: AA: working on step 4 (since 2026-10-02); 3 of 12 steps done" in shown


STEP_NOTE_LOCAL = "step-four-private-inventory"


def test_a_preview_on_a_terminal_is_not_logged_but_a_pipe_is(cli, person):
    """Run as a person would, in a real process: stdout a terminal (pty), then a pipe."""
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "recoverylog", "--db", str(person), "export", "--to", "Sam"]
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.DEVNULL,
                            env=os.environ.copy())
    os.close(secondary)
    shown = b""
    try:
        while chunk := os.read(primary, 65536):   # drain the terminal so a long preview never blocks
            shown += chunk
    except OSError:
        pass  # EIO: the process closed its end
    finally:
        os.close(primary)
    assert proc.wait(timeout=60) == 0 and b"Recovery summary" in shown
    assert cli.json("--db", str(person), "export", "log", "--json") == []
    piped = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=os.environ.copy(), timeout=60)
    assert piped.returncode == 0 and "Recovery summary" in piped.stdout.decode()
    log = cli.json("--db", str(person), "export", "log", "--json")
    assert [(e["destination"], e["to"], e["format"]) for e in log] == [("pipe", "Sam", "markdown")]


def test_output_to_a_folder_says_it_is_a_folder(cli, person, tmp_path):
    result = cli("--db", str(person), "export", "-o", str(tmp_path))
    assert result.exit_code == 1 and "is a folder" in result.stderr and "--force" not in result.stderr
    assert cli.json("--db", str(person), "export", "log", "--json") == []


def test_markdown_day_rows_say_within_goal_for_a_reduce_goal_kept(cli, tmp_path):
    path = tmp_path / "md.db"
    cli("--db", str(path), "substance", "add", "cigarettes", "--unit", "count", "--goal", "reduce",
        "--max-per-day", "5", ok=True)
    cli("--db", str(path), "checkin", "--date", "2026-11-20", "--mood", "6", "--craving", "2",
        "--used", "cigarettes:3", ok=True)
    cli("--db", str(path), "checkin", "--mood", "6", "--craving", "2", "--used", "cigarettes:7", ok=True)
    text = cli("--db", str(path), "export", "--format", "markdown", ok=True).stdout
    assert "cigarettes used (3), within goal" in text
    assert "cigarettes used (7) |" in text
    assert "at most 5 a day" in text


@pytest.mark.parametrize("name, starts", [("week.json", "{"), ("week.html", "<!DOCTYPE html>"),
                                           ("week.md", "# "), ("week.csv", "date,")])
def test_without_format_the_output_files_extension_chooses_it(cli, person, tmp_path, name, starts):
    target = tmp_path / name
    cli("--db", str(person), "export", "-o", str(target), ok=True)
    assert target.read_text(encoding="utf-8").lstrip().startswith(starts)
    if name.endswith(".json"):
        assert json.loads(target.read_text(encoding="utf-8"))["profile"] == "sponsor"


def test_an_explicit_format_wins_over_the_extension(cli, person, tmp_path):
    target = tmp_path / "week.json"
    cli("--db", str(person), "export", "-f", "markdown", "-o", str(target), ok=True)
    assert target.read_text(encoding="utf-8").startswith("# ")
