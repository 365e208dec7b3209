"""`prompt` and `remind`. Nothing here runs crontab, systemctl or notify-send, or writes outside
tmp_path: every system command goes to a recorder, and RECOVERYLOG_NO_SYSTEM makes the real
runner refuse in case one slipped through."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverylog.services import remind as service


class Recorder:
    def __init__(self, crontab: str | None = None):
        self.calls: list[tuple[list[str], str | None]] = []
        self.crontab = crontab  # None: "no crontab for user"

    def __call__(self, argv, input=None):
        argv = list(argv)
        self.calls.append((argv, input))
        if argv[:2] == ["crontab", "-l"]:
            if self.crontab is None:
                return service.Ran(1, "", "no crontab for root")
            return service.Ran(0, self.crontab)
        if argv[:2] == ["crontab", "-"]:
            self.crontab = input
        return service.Ran(0)

    def commands(self):
        return [argv for argv, _ in self.calls]


@pytest.fixture(autouse=True)
def recorder(monkeypatch, tmp_path):
    rec = Recorder()
    monkeypatch.setattr(service, "RUNNER", rec)
    monkeypatch.setenv("RECOVERYLOG_NO_SYSTEM", "1")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    return rec


def test_the_real_runner_refuses_when_told_to(monkeypatch):
    from recoverylog.errors import StorageError

    with pytest.raises(StorageError):
        service.SystemRunner()(["crontab", "-l"])


# -- prompt --------------------------------------------------------------------------------

def test_prompt_marks_a_missing_checkin_and_is_silent_once_done(cli, db_path):
    cli("substance", "add", "alcohol", ok=True)  # creates the journal
    assert cli("prompt", ok=True).stdout == "[check in]"
    assert cli("prompt", "--marker", "✎", ok=True).stdout == "✎"
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    assert cli("prompt", ok=True).stdout == ""


def test_prompt_honours_the_day_start_hour(cli):
    cli("checkin", "--mood", "6", "--craving", "2", now="2026-11-21T10:00:00+00:00", ok=True)
    cli("config", "set", "day-start-hour", "6", ok=True)
    # 05:00 on the 22nd still counts for the 21st: done.
    assert cli("prompt", now="2026-11-22T05:00:00+00:00", ok=True).stdout == ""
    assert cli("prompt", now="2026-11-22T07:00:00+00:00", ok=True).stdout == "[check in]"


def test_prompt_is_silent_without_a_journal_and_creates_nothing(cli, db_path, tmp_path):
    result = cli("prompt")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert not db_path.exists()
    other = tmp_path / "not-ours.db"
    other.write_bytes(b"hello, not a database at all" * 10)
    assert cli("--db", str(other), "prompt", ok=True).stdout == ""
    foreign = tmp_path / "foreign.db"
    import sqlite3

    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE checkins (date TEXT)")
    conn.commit()
    conn.close()
    assert cli("--db", str(foreign), "prompt", ok=True).stdout == ""


def _run_prompt(args, env, timeout=30):
    # argv as the console script sees it, set before recoverylog is imported (its __init__ looks).
    code = f"import sys; sys.argv = ['recoverylog'] + {args!r}; from recoverylog.cli import main; main()\n"
    code += ("print('\\n' + repr(sorted(m for m in ('typer', 'rich', 'click', 'sqlite_utils', 'dataclasses', 'typing', "
             "'datetime', 'signal', 'enum') if m in sys.modules)))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout)


def test_prompt_fast_path_imports_neither_typer_nor_rich(cli, db_path):
    cli("substance", "add", "alcohol", ok=True)
    env = os.environ.copy()
    out = _run_prompt(["prompt"], env)
    shown, modules = out.stdout.rstrip("\n").rsplit("\n", 1)
    assert out.returncode == 0 and shown == "[check in]"
    assert modules == "[]"
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    out = _run_prompt(["--db", str(db_path), "prompt"], env)
    assert out.stdout.rstrip("\n").rsplit("\n", 1) == ["", "[]"]


def test_prompt_is_silent_while_the_journal_is_locked(cli, db_path):
    import sqlite3

    cli("substance", "add", "alcohol", ok=True)
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        out = _run_prompt(["prompt"], os.environ.copy())
        assert out.returncode == 0 and out.stdout.rstrip("\n").rsplit("\n", 1)[0] == ""
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    before = db_path.stat().st_mtime_ns
    _run_prompt(["prompt"], os.environ.copy())
    assert db_path.stat().st_mtime_ns == before  # read-only: never written


def test_prompt_help_goes_to_the_full_cli():
    out = subprocess.run([sys.executable, "-m", "recoverylog", "prompt", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "shell prompt" in out.stdout


def test_prompt_rules_agree_with_their_home_modules(monkeypatch, tmp_path):
    from recoverylog import prompt
    from recoverylog.storage import migrations, paths, prompt_read

    assert prompt_read.APPLICATION_ID == migrations.APPLICATION_ID
    for env in ({}, {"RECOVERYLOG_DB": str(tmp_path / "a.db")}, {"RECOVERYLOG_HOME": str(tmp_path / "h")},
                {"XDG_DATA_HOME": str(tmp_path / "x")}):
        for key in ("RECOVERYLOG_DB", "RECOVERYLOG_HOME", "XDG_DATA_HOME"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        assert prompt.db_path() == str(paths.resolve_db_path())
        assert prompt.db_path("~/x.db") == str(paths.resolve_db_path("~/x.db"))


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
       st.integers(min_value=-12 * 60, max_value=14 * 60), st.integers(min_value=0, max_value=23),
       st.sampled_from(["seconds", "minutes", "microseconds", "naive", "Z"]))
def test_prompt_today_is_clock_local_date(moment, offset, hour, form):
    """The segment's own date arithmetic (no datetime import) agrees with clock.local_date for
    every form of RECOVERYLOG_NOW that clock_from_env accepts."""
    from recoverylog import prompt
    from recoverylog.clock import clock_from_env, local_date

    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    text = {"seconds": aware.isoformat(timespec="seconds"), "minutes": aware.isoformat(timespec="minutes"),
            "microseconds": aware.isoformat(timespec="microseconds"),
            "naive": moment.isoformat(timespec="seconds"),
            "Z": moment.isoformat(timespec="seconds") + "Z"}[form]
    os.environ["RECOVERYLOG_NOW"] = text
    try:
        assert prompt.today_text(hour) == local_date(clock_from_env().now(), hour).isoformat()
    finally:
        del os.environ["RECOVERYLOG_NOW"]


def test_prompt_today_without_a_pinned_clock_is_the_system_clock(monkeypatch):
    from recoverylog import prompt
    from recoverylog.clock import SystemClock, local_date

    monkeypatch.delenv("RECOVERYLOG_NOW")
    for hour in (0, 4, 23):
        before = local_date(SystemClock().now(), hour).isoformat()
        got = prompt.today_text(hour)
        after = local_date(SystemClock().now(), hour).isoformat()
        assert got in (before, after)


@pytest.mark.parametrize("text", ["2026-02-31T10:00:00+00:00", "2026-11-21T25:00:00", "soon", "2026-11-21T10:00:00+0000"])
def test_prompt_odd_pinned_clocks_agree_or_stay_silent(text, monkeypatch):
    from recoverylog import prompt
    from recoverylog.clock import clock_from_env, local_date
    from recoverylog.errors import UsageError

    monkeypatch.setenv("RECOVERYLOG_NOW", text)
    try:
        expected = local_date(clock_from_env().now(), 4).isoformat()
    except UsageError:
        with pytest.raises(ValueError):
            prompt.today_text(4)
    else:
        assert prompt.today_text(4) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=5))
def test_prompt_arguments_never_raise(args):
    from recoverylog import prompt

    parsed = prompt.parse_args(args)
    assert parsed is None or isinstance(parsed[1], str)


# -- remind ----------------------------------------------------------------------------------

def _session(monkeypatch, tmp_path) -> Path:
    """A fake user session: a runtime dir with the manager's socket path, and a systemctl on PATH."""
    runtime = tmp_path / "run"
    (runtime / "systemd").mkdir(parents=True)
    (runtime / "systemd" / "private").write_text("")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "systemctl"
    fake.write_text("#!/bin/sh\nexit 99\n")  # never run: the recorder stands in for it
    fake.chmod(0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return runtime


def test_remind_at_installs_a_systemd_user_timer_under_home(cli, monkeypatch, tmp_path, recorder, db_path):
    _session(monkeypatch, tmp_path)
    home = Path(os.environ["HOME"])
    result = cli("remind", "--at", "20:30", ok=True)
    assert "Installed a daily reminder at 20:30 (a systemd user timer)" in result.stderr
    folder = home / ".config" / "systemd" / "user"
    timer = (folder / "recoverylog-reminder.timer").read_text()
    unit = (folder / "recoverylog-reminder.service").read_text()
    assert "OnCalendar=*-*-* 20:30:00" in timer and "WantedBy=timers.target" in timer
    exec_line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_line == (f"ExecStart={sys.executable} -m recoverylog --db {db_path.resolve()} remind --notify")
    assert recorder.commands() == [["crontab", "-l"], ["systemctl", "--user", "daemon-reload"],
                                   ["systemctl", "--user", "enable", "--now", "recoverylog-reminder.timer"]]
    status = cli("remind", ok=True).stderr
    assert "systemd user timer at 20:30" in status
    off = cli("remind", "--off", ok=True).stderr
    assert "Removed the daily reminder" in off
    assert not (folder / "recoverylog-reminder.timer").exists()
    assert ["systemctl", "--user", "disable", "--now", "recoverylog-reminder.timer"] in recorder.commands()
    assert "No reminder is installed" in cli("remind", ok=True).stderr


def test_xdg_config_home_is_where_the_unit_goes(cli, monkeypatch, tmp_path):
    _session(monkeypatch, tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    cli("remind", "--at", "7:05", ok=True)
    assert "OnCalendar=*-*-* 07:05:00" in (tmp_path / "cfg/systemd/user/recoverylog-reminder.timer").read_text()


def test_remind_without_a_session_writes_a_crontab_line_keeping_other_lines(cli, recorder, db_path):
    recorder.crontab = "# my jobs\n0 3 * * * /usr/bin/backup\n"
    result = cli("remind", "--at", "21:05", ok=True)
    assert "a line in your crontab" in result.stderr
    lines = recorder.crontab.splitlines()
    assert lines[:2] == ["# my jobs", "0 3 * * * /usr/bin/backup"]
    assert lines[2] == (f"5 21 * * * {sys.executable} -m recoverylog --db {db_path.resolve()} remind --notify "
                        "# recoverylog-reminder")
    assert not (Path(os.environ["HOME"]) / ".config").exists()
    # Again at another time: one line, replaced.
    cli("remind", "--at", "06:00", ok=True)
    assert [line for line in recorder.crontab.splitlines() if "recoverylog-reminder" in line][0].startswith("0 6 ")
    assert len(recorder.crontab.splitlines()) == 3
    assert "crontab line at 06:00" in cli("remind", ok=True).stderr
    cli("remind", "--off", ok=True)
    assert recorder.crontab == "# my jobs\n0 3 * * * /usr/bin/backup\n"


def test_a_crontab_percent_and_spaces_are_escaped(tmp_path):
    line = service.cron_line("08:00", ("/opt/my python/bin/python", "-m", "recoverylog", "--db", "/a/50%.db"),
                             {"XDG_RUNTIME_DIR": "/run/user/1000"})
    assert "'/opt/my python/bin/python'" in line and "50\\%.db" in line
    assert "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus" in line
    files = dict(service.systemd_files("08:00", ("/opt/my python/py", "--db", "/a/50%.db"), {"HOME": str(tmp_path)}))
    unit = files[tmp_path / ".config/systemd/user/recoverylog-reminder.service"]
    assert 'ExecStart="/opt/my python/py" --db /a/50%%.db' in unit


def test_remind_print_changes_nothing(cli, recorder, monkeypatch, tmp_path):
    out = cli("remind", "--at", "20:30", "--print", "--via", "cron", ok=True).stdout
    assert "30 20 * * *" in out and "Nothing was changed" in out
    assert recorder.commands() == [["crontab", "-l"]]  # read only
    _session(monkeypatch, tmp_path)
    out = cli("remind", "--at", "20:30", "--print", ok=True).stdout
    assert "OnCalendar=*-*-* 20:30:00" in out and "ExecStart=" in out
    assert not (Path(os.environ["HOME"]) / ".config").exists()
    assert all(argv[0] == "crontab" and argv[1] == "-l" for argv in recorder.commands())


@pytest.mark.parametrize("args,code,words", [
    (["--at", "25:00"], 1, "HH:MM"), (["--at", "noon"], 1, "HH:MM"), (["--off", "--at", "10:00"], 2, "one of"),
    (["--print"], 2, "--at"), (["--at", "10:00", "--via", "launchd"], 1, "--via"),
])
def test_remind_bad_input(cli, recorder, args, code, words):
    result = cli("remind", *args)
    assert result.exit_code == code and words in result.stderr and "Traceback" not in result.stderr
    assert not any(argv[:2] == ["crontab", "-"] for argv in recorder.commands())


def test_notify_only_when_the_checkin_is_missing(cli, recorder, monkeypatch, tmp_path):
    bin_dir = tmp_path / "nbin"
    bin_dir.mkdir()
    (bin_dir / "notify-send").write_text("#!/bin/sh\nexit 99\n")
    (bin_dir / "notify-send").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    cli("substance", "add", "alcohol", ok=True)
    assert "Reminder shown" in cli("remind", "--notify", ok=True).stderr
    assert recorder.commands()[-1][:2] == ["notify-send", "--app-name=recoverylog"]
    cli("checkin", "--mood", "6", "--craving", "2", ok=True)
    recorder.calls.clear()
    assert "done" in cli("remind", "--notify", ok=True).stderr
    assert recorder.commands() == []


def test_notify_without_notify_send_says_so(cli, recorder, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    cli("substance", "add", "alcohol", ok=True)
    result = cli("remind", "--notify", ok=True)
    assert "notify-send is not installed" in result.stderr and recorder.commands() == []


def test_notify_when_notify_send_cannot_reach_a_desktop(cli, recorder, monkeypatch, tmp_path):
    bin_dir = tmp_path / "nbin"
    bin_dir.mkdir()
    (bin_dir / "notify-send").write_text("#!/bin/sh\nexit 99\n")
    (bin_dir / "notify-send").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(service, "RUNNER", lambda argv, input=None: service.Ran(1, "", "cannot open display"))
    cli("substance", "add", "alcohol", ok=True)
    assert "could not show a desktop notification" in cli("remind", "--notify", ok=True).stderr
