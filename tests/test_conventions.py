"""The conventions every command shares: examples at the end of --help, plain usage lines,
--json wherever --format json is, --limit on lists, a pager on a terminal only, shell completion,
the dates people type, and confirmations alike."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoverylog.cli import completion_wanted
from recoverylog.cli.conventions import EXAMPLES, OTHER_PROGRAMS, PAGED
from recoverylog.dates import parse_date
from recoverylog.errors import InputError
from test_startup import PATHS

# -- --help: examples and usage lines ---------------------------------------------------

@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "(root)" for p in PATHS])
def test_every_help_ends_with_one_to_three_examples(cli, path):
    text = cli(*path, "--help", ok=True).stdout
    head, _, tail = text.rpartition("Examples:")
    assert head, f"no examples in `{' '.join(path)} --help`"
    lines = [line.strip() for line in tail.strip().splitlines()]
    assert 1 <= len(lines) <= 3 and all(line.startswith(("recoverylog ",) + OTHER_PROGRAMS) for line in lines)
    usage = text.splitlines()[0]
    assert "{" not in usage and "<" not in usage, usage   # plain metavars: ID, [NAME], not {ID}
    assert " ".join(path) in EXAMPLES or path == [], "add the command's examples to cli/conventions.py"


def _examples():
    for _path, lines in EXAMPLES.items():
        for line in lines:
            if not line.startswith(OTHER_PROGRAMS):
                yield pytest.param(line, id=line[:60])


@pytest.mark.parametrize("line", list(_examples()))
def test_every_example_names_real_commands_and_options(cli, line, db_path):
    # --help is eager: options are still parsed (an unknown option or a missing value fails),
    # and nothing runs, so no database is touched.
    args = [a for a in shlex.split(line) if a != ">"]
    if "metadata.json" in args:
        args = args[: args.index("metadata.json")]
    result = cli(*args, "--help")
    assert result.exit_code == 0, f"{line!r}: {result.stderr}"
    assert not db_path.exists()


def test_examples_table_has_no_stale_commands():
    known = {" ".join(p) for p in PATHS}
    assert set(EXAMPLES) - {""} <= known
    assert PAGED <= known


# -- --json wherever --format json is -----------------------------------------------------

def test_json_is_format_json(cli):
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    assert cli.json("report", "--week", "--json") == cli.json("report", "--week", "--format", "json")
    doc = cli.json("export", "--week", "--json")
    assert doc["profile"] == "sponsor" and doc["digest"].startswith("sha256:")
    both = cli("report", "--week", "--json", "--format", "markdown")
    assert both.exit_code == 2 and "two formats" in both.stderr


# -- --limit --------------------------------------------------------------------------

def _checkins(cli, days: int):
    for n in range(days):
        day = (date(2026, 11, 21) - timedelta(days=n)).isoformat()
        cli("checkin", "--date", day, "--mood", "5", "--craving", "2", "--note", f"day {n}", ok=True)


def test_limit_keeps_the_most_recent(cli):
    _checkins(cli, 6)
    assert [c["date"] for c in cli.json("checkins", "--limit", "2", "--json")] == ["2026-11-20", "2026-11-21"]
    assert len(cli.json("checkins", "--json")) == 6
    text = cli("checkins", "--limit", "3", ok=True).stdout
    assert "2026-11-21" in text and "2026-11-16" not in text
    cli("meeting", "add", "A", "--date", "2026-11-19", ok=True)
    cli("meeting", "add", "B", "--date", "2026-11-20", ok=True)
    assert [m["name"] for m in cli.json("meeting", "list", "--limit", "1", "--json")] == ["B"]
    assert cli("checkins", "--limit", "0").exit_code == 2


@pytest.mark.parametrize("path", [["checkins"], ["uses"], ["substance", "list"], ["meeting", "list"],
                                  ["meeting", "requirement", "list"], ["goal", "list"], ["contact", "list"],
                                  ["export", "log"], ["plan", "history"], ["search", "x"], ["assess", "list"],
                                  ["med", "list"]])
def test_every_list_command_takes_limit(cli, path, empty_journal):
    result = cli(*path, "--limit", "1", "--json")
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)


# -- the pager ----------------------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch, tmp_path):
    """A pretend terminal five lines high whose pager writes to a file."""
    from recoverylog.render import pager

    monkeypatch.setattr(pager, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(pager, "screen_lines", lambda: 5)
    target = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {shlex.quote(str(target))}")
    return target


def test_no_pager_when_piped(cli, tmp_path, monkeypatch):
    target = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {shlex.quote(str(target))}")
    _checkins(cli, 8)
    out = cli("checkins", ok=True).stdout
    assert "2026-11-14" in out and not target.exists()       # CliRunner's stdout is not a terminal


def test_long_output_goes_through_the_pager_on_a_terminal(cli, terminal):
    _checkins(cli, 8)
    result = cli("checkins", ok=True)
    assert result.stdout == ""
    assert "2026-11-14" in terminal.read_text() and "2026-11-21" in terminal.read_text()


def test_short_output_and_pager_off_are_printed(cli, terminal):
    _checkins(cli, 8)
    assert "2026-11-21" in cli("checkins", "--limit", "1", ok=True).stdout and not terminal.exists()
    cli("config", "set", "pager", "off", ok=True)
    assert "2026-11-14" in cli("checkins", ok=True).stdout and not terminal.exists()


# -- shell completion ---------------------------------------------------------------------

def test_completion_options_only_for_root_level_calls():
    assert completion_wanted([]) and completion_wanted(["--show-completion", "bash"])
    assert completion_wanted(["--install-completion"]) and completion_wanted(["--help"])
    assert not completion_wanted(["checkin", "--mood", "5"])        # commands keep their start-up
    assert not completion_wanted(["--db", "x.db", "status"])
    assert completion_wanted(["--db", "checkin"])                   # a database named 'checkin'
    assert completion_wanted(["checkin"], environ={"_RECOVERYLOG_COMPLETE": "complete_bash"})


def _run(*args, **env):
    return subprocess.run([sys.executable, "-m", "recoverylog", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_show_completion_prints_a_script():
    out = _run("--show-completion", "bash")
    assert out.returncode == 0 and "_recoverylog_completion" in out.stdout and "complete " in out.stdout
    assert "--install-completion" in _run("--help").stdout


def test_the_shell_gets_commands_and_options():
    out = _run(_RECOVERYLOG_COMPLETE="complete_bash", COMP_WORDS="recoverylog mee", COMP_CWORD="1")
    assert out.returncode == 0 and out.stdout.split() == ["meeting"]
    out = _run(_RECOVERYLOG_COMPLETE="complete_bash", COMP_WORDS="recoverylog import --dr", COMP_CWORD="2")
    assert out.stdout.split() == ["--dry-run"]


# -- dates -----------------------------------------------------------------------------------

SATURDAY = date(2026, 11, 21)


@pytest.mark.parametrize("text, expected", [
    ("last friday", date(2026, 11, 20)), ("last saturday", date(2026, 11, 14)), ("Last  Sun", date(2026, 11, 15)),
    ("2 weeks ago", date(2026, 11, 7)), ("a week ago", date(2026, 11, 14)), ("1 week ago", date(2026, 11, 14)),
    ("a day ago", date(2026, 11, 20)), ("2026/11/19", date(2026, 11, 19)), ("20261119", date(2026, 11, 19)),
    ("2024/2/29", date(2024, 2, 29)),
])
def test_dates_people_type(text, expected):
    assert parse_date(text, SATURDAY) == expected


@pytest.mark.parametrize("text, message", [
    ("tomorrow", "is in the future"), ("2026/11/22", "is in the future"), ("20261122", "is in the future"),
    ("2026/02/30", "not a real calendar date"), ("20261301", "not a real calendar date"),
    ("11/29/2026", "ambiguous"), ("last week", "not a date I can read"),
])
def test_dates_refused_with_a_reason(text, message):
    with pytest.raises(InputError, match=message):
        parse_date(text, SATURDAY)


def test_tomorrow_through_the_cli(cli):
    result = cli("checkin", "--date", "tomorrow", "--mood", "5", "--craving", "1")
    assert result.exit_code == 1 and "is in the future" in result.stderr


# -- confirmations alike ----------------------------------------------------------------------

def test_uses_delete_needs_yes_off_a_terminal(cli):
    cli("substance", "add", "alcohol", "--unit", "drinks", ok=True)
    cli("use", "alcohol", "--amount", "1", "--date", "2026-11-20", ok=True)
    result = cli("uses", "delete", "alcohol", "--date", "2026-11-20")
    assert result.exit_code == 2 and "add --yes" in result.stderr
    assert len(cli.json("uses", "--json")) == 1                   # nothing deleted
    cli("uses", "delete", "alcohol", "--date", "2026-11-20", "--yes", ok=True)
    assert cli.json("uses", "--json") == []


# -- one CSV style for every export --------------------------------------------------------------

def test_every_csv_export_has_the_same_style(cli, tmp_path):
    cli("substance", "add", "nicotine gum", "--unit", "count", ok=True)
    cli("checkin", "--date", "2026-11-20", "--mood", "6", "--craving", "2", "--sober", ok=True)
    cli("meeting", "add", "=Group", "--date", "2026-11-20", "--minutes", "60", ok=True)
    # Files, not CliRunner's stdout (which turns CRLF into LF).
    cli("export", "--week", "-f", "csv", "-o", tmp_path / "sponsor.csv", ok=True)
    cli("export", "--profile", "court", "-f", "csv", "-o", tmp_path / "court.csv", ok=True)
    sponsor = (tmp_path / "sponsor.csv").read_bytes().decode()
    court = (tmp_path / "court.csv").read_bytes().decode()
    for text in (sponsor, court):
        assert text.endswith("\r\n") and text.count("\r\n") == text.count("\n")   # RFC 4180 line ends
        header = text.split("\r\n")[0].split(",")
        assert all(h == h.lower() and " " not in h for h in header), header     # one header style
    assert "nicotine_gum_used" in sponsor.split("\r\n")[0]
    assert ",'=Group," in court                                                 # one formula guard



@given(st.integers(0, 2000), st.dates(date(1990, 1, 1), date(2100, 1, 1)))
def test_weeks_ago_and_compact_dates_agree_with_the_calendar(n, today):
    from hypothesis import assume

    assume(today - date(1970, 1, 1) > timedelta(weeks=n))
    assert parse_date(f"{n} weeks ago", today) == today - timedelta(weeks=n)
    assert parse_date(today.strftime("%Y%m%d"), today) == today == parse_date(today.strftime("%Y/%m/%d"), today)
    last = parse_date("last " + today.strftime("%A"), today)
    assert last == today - timedelta(days=7)


def test_every_format_option_that_takes_json_has_json_too():
    import typer.main

    from recoverylog.cli.app import app

    command = typer.main.get_command(app)
    for path in PATHS:
        node = command
        for name in path:
            node = node.get_command(None, name)
        opts = {o: p for p in node.params for o in getattr(p, "opts", [])}
        if "--format" in opts and "json" in (opts["--format"].help or ""):
            assert "--json" in opts, " ".join(path)
