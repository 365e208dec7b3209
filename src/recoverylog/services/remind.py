"""A daily reminder to check in: a systemd user timer where a user session exists, else a
crontab line. Both run `recoverylog remind --notify`, which sends a desktop notification only
when today's check-in is missing.

Everything that touches the system goes through two seams, so that `--print` and the tests
touch nothing:
- files are written under the HOME (or XDG_CONFIG_HOME) given in `env`;
- every command (systemctl --user …, crontab -l / crontab -, notify-send) goes through
  `RUNNER`, which tests replace with a recorder. With RECOVERYLOG_NO_SYSTEM set, the default
  runner refuses to run anything.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from recoverylog.errors import InputError, StorageError, UsageError
from recoverylog.records import record

UNIT = "recoverylog-reminder"
CRON_TAG = "# recoverylog-reminder"
VIAS = ("auto", "systemd", "cron")


@record
class Ran:
    returncode: int
    stdout: str = ""
    stderr: str = ""


class SystemRunner:
    """Runs a command for real (no shell), unless RECOVERYLOG_NO_SYSTEM is set."""

    def __call__(self, argv: Sequence[str], input: str | None = None) -> Ran:
        if os.environ.get("RECOVERYLOG_NO_SYSTEM"):
            raise StorageError(f"Not running {argv[0]}: RECOVERYLOG_NO_SYSTEM is set. Nothing was changed.")
        try:
            done = subprocess.run(list(argv), input=input, capture_output=True, text=True, timeout=30)
        except FileNotFoundError:
            return Ran(127, "", f"{argv[0]}: not found")
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Ran(1, "", str(exc))
        return Ran(done.returncode, done.stdout, done.stderr)


RUNNER: Callable[..., Ran] = SystemRunner()


def which(name: str, env: Mapping[str, str]) -> str | None:
    return shutil.which(name, path=env.get("PATH"))


# -- what would be installed ---------------------------------------------------------

@record
class Reminder:
    via: str                                # systemd | cron
    at: str                                 # HH:MM
    command: tuple[str, ...]                # what runs each day
    files: tuple[tuple[Path, str], ...] = ()  # (path, content) written for systemd
    crontab: str | None = None              # the whole new crontab, for cron
    steps: tuple[tuple[str, ...], ...] = ()  # commands run after writing the files


def parse_at(text: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"--at {text!r} is not a time of day: use HH:MM, 24-hour (e.g. 20:30).")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def config_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "systemd" / "user"


def user_session(env: Mapping[str, str]) -> bool:
    """A systemd user manager to talk to: systemctl is installed and XDG_RUNTIME_DIR holds the
    user manager's socket (what `systemctl --user` connects to)."""
    runtime = env.get("XDG_RUNTIME_DIR")
    if not runtime or which("systemctl", env) is None:
        return False
    return os.path.exists(os.path.join(runtime, "systemd", "private")) or os.path.exists(os.path.join(runtime, "bus"))


def choose_via(via: str, env: Mapping[str, str]) -> str:
    word = via.strip().lower()
    if word not in VIAS:
        raise InputError(f"--via {via!r}: use auto, systemd or cron.")
    if word == "auto":
        return "systemd" if user_session(env) else "cron"
    return word


def notify_command(db: Path) -> tuple[str, ...]:
    """The command the timer runs: this Python and this database, whatever PATH the timer has."""
    return (sys.executable, "-m", "recoverylog", "--db", str(db.expanduser().resolve()), "remind", "--notify")


def _systemd_quote(arg: str) -> str:
    arg = arg.replace("%", "%%")  # % starts a specifier in unit files
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_files(at: str, command: Sequence[str], env: Mapping[str, str]) -> tuple[tuple[Path, str], ...]:
    folder = config_dir(env)
    service = (
        "[Unit]\n"
        "Description=recoverylog: a reminder to check in (only when today's check-in is missing)\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in command)}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=recoverylog: daily check-in reminder at {at}\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {at}:00\n"
        "Persistent=false\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return ((folder / f"{UNIT}.service", service), (folder / f"{UNIT}.timer", timer))


def cron_line(at: str, command: Sequence[str], env: Mapping[str, str]) -> str:
    hour, minute = at.split(":")
    # cron turns an unescaped % into a newline; the session bus lets notify-send reach the desktop.
    text = " ".join(shlex.quote(a) for a in command).replace("%", "\\%")
    bus = ""
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        bus = "DBUS_SESSION_BUS_ADDRESS=" + shlex.quote(f"unix:path={runtime}/bus").replace("%", "\\%") + " "
    return f"{int(minute)} {int(hour)} * * * {bus}{text} {CRON_TAG}"


def without_ours(crontab: str) -> list[str]:
    return [line for line in crontab.splitlines() if not line.rstrip().endswith(CRON_TAG)]


def current_crontab() -> str:
    ran = RUNNER(["crontab", "-l"])
    if ran.returncode == 127:
        raise StorageError("crontab is not installed, so no reminder can be set up this way; "
                           "nothing was changed. Use a systemd user session, or run "
                           "`recoverylog remind --notify` from your own scheduler.")
    return ran.stdout if ran.returncode == 0 else ""  # exit 1: "no crontab for user"


def plan(at_text: str, db: Path, env: Mapping[str, str], via: str = "auto", *, read_crontab: bool = True) -> Reminder:
    """What `remind --at` installs. Reads the current crontab (cron) but changes nothing."""
    at = parse_at(at_text)
    chosen = choose_via(via, env)
    command = notify_command(db)
    if chosen == "systemd":
        return Reminder(via="systemd", at=at, command=command, files=systemd_files(at, command, env),
                        steps=(("systemctl", "--user", "daemon-reload"),
                               ("systemctl", "--user", "enable", "--now", f"{UNIT}.timer")))
    existing = current_crontab() if read_crontab else ""
    lines = without_ours(existing) + [cron_line(at, command, env)]
    return Reminder(via="cron", at=at, command=command, crontab="\n".join(lines) + "\n",
                    steps=(("crontab", "-"),))


def _check(ran: Ran, what: str) -> None:
    if ran.returncode != 0:
        detail = (ran.stderr or ran.stdout).strip().splitlines()[-1:] or [f"exit {ran.returncode}"]
        raise StorageError(f"{what} did not work: {detail[0]}")


def install(reminder: Reminder, env: Mapping[str, str]) -> None:
    """Write the files and run the steps; a reminder of the other kind is removed first, so
    there is only ever one."""
    if reminder.via == "systemd":
        if _cron_installed():
            _remove_cron()
        from recoverylog.outfile import write_text

        for path, content in reminder.files:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot create {path.parent}: {exc.strerror}. The reminder was not set up.") from None
            write_text(path, content)  # atomic: systemd never reads half a unit
        for step in reminder.steps:
            _check(RUNNER(list(step)), " ".join(step))
        return
    if any(path.exists() for path, _ in systemd_files("00:00", (), env)):
        _remove_systemd(env)
    _check(RUNNER(["crontab", "-"], input=reminder.crontab), "crontab -")


# -- what is installed, and removing it --------------------------------------------------

@record
class Installed:
    via: str | None                 # systemd | cron | None
    at: str | None = None
    where: str = ""                 # the timer file, or "your crontab"


def _cron_installed() -> str | None:
    try:
        text = current_crontab()
    except StorageError:
        return None
    return next((line for line in text.splitlines() if line.rstrip().endswith(CRON_TAG)), None)


def installed(env: Mapping[str, str]) -> Installed:
    timer = config_dir(env) / f"{UNIT}.timer"
    if timer.is_file():
        match = re.search(r"^OnCalendar=\*-\*-\* (\d\d:\d\d)", timer.read_text(encoding="utf-8", errors="replace"),
                          re.MULTILINE)
        return Installed("systemd", match.group(1) if match else None, str(timer))
    line = _cron_installed()
    if line:
        minute, hour = line.split()[:2]
        at = f"{int(hour):02d}:{int(minute):02d}" if minute.isdigit() and hour.isdigit() else None
        return Installed("cron", at, "your crontab")
    return Installed(None)


def _remove_systemd(env: Mapping[str, str]) -> None:
    if which("systemctl", env) is not None and user_session(env):
        RUNNER(["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"])  # already gone: fine
    for path, _ in systemd_files("00:00", (), env):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot remove {path}: {exc.strerror}.") from None
    if which("systemctl", env) is not None and user_session(env):
        RUNNER(["systemctl", "--user", "daemon-reload"])


def _remove_cron() -> None:
    text = current_crontab()
    kept = without_ours(text)
    _check(RUNNER(["crontab", "-"], input="\n".join(kept) + "\n" if kept else ""), "crontab -")


def remove(env: Mapping[str, str]) -> Installed:
    """Remove the reminder; returns what was there."""
    found = installed(env)
    if found.via == "systemd":
        _remove_systemd(env)
        if _cron_installed():
            _remove_cron()
    elif found.via == "cron":
        _remove_cron()
    return found


# -- the daily run -------------------------------------------------------------------

NOTIFY_TITLE = "recoverylog: time to check in"
NOTIFY_BODY = "Today's check-in is not recorded yet. A minute is enough: recoverylog checkin"


def notify_if_missing(db: Path, env: Mapping[str, str]) -> str:
    """'done' | 'sent' | 'no-notifier' | 'not-shown' (notify-send could not reach a desktop) |
    'unknown' (no journal, or it could not be read)."""
    from recoverylog.prompt import today_text
    from recoverylog.storage.prompt_read import missing_today

    missing = missing_today(str(db), today_text)
    if missing is None:
        return "unknown"
    if not missing:
        return "done"
    if which("notify-send", env) is None:
        return "no-notifier"
    ran = RUNNER(["notify-send", "--app-name=recoverylog", NOTIFY_TITLE, NOTIFY_BODY])
    return "sent" if ran.returncode == 0 else "not-shown"


def check_options(at: str | None, off: bool, notify: bool, show: bool) -> None:
    if sum(bool(x) for x in (at is not None, off, notify)) > 1:
        raise UsageError("Use one of --at HH:MM, --off or --notify.")
    if show and at is None:
        raise UsageError("--print shows what `--at HH:MM` would install: give --at too.")
