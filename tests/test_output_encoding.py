"""Output that cannot hold a character (a legacy encoding such as PYTHONIOENCODING=ascii): one
clear line naming the encoding and the fix, exit 1, whether anything was saved; never the message
for a bug, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest


def _run(tmp_path, encoding: str, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "PYTHONIOENCODING"))}
    env.update(RECOVERYLOG_DB=str(tmp_path / "j.db"), RECOVERYLOG_HOME=str(tmp_path / "home"),
               RECOVERYLOG_NO_PROMPT="1", RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               PYTHONIOENCODING=encoding, COLUMNS="80")
    return subprocess.run([sys.executable, "-m", "recoverylog", *argv], env=env, capture_output=True, timeout=120)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_screen_the_output_cannot_hold_says_so(tmp_path, encoding):
    assert _run(tmp_path, "utf-8", "demo", "--days", "30", "--db", str(tmp_path / "j.db")).returncode == 0
    done = _run(tmp_path, encoding, "report", "--week")
    assert done.returncode == 1
    err = done.stderr.decode("ascii")    # the message itself is ASCII, so it always gets through
    assert f"text encoding ({encoding})" in err and "PYTHONIOENCODING=utf-8" in err
    assert "Nothing was saved." in err and "internal problem" not in err and "Traceback" not in err


def test_a_checkin_saved_before_its_confirmation_failed_says_it_was_saved(tmp_path):
    done = _run(tmp_path, "ascii", "checkin", "--mood", "7", "--craving", "2")
    err = done.stderr.decode("ascii")
    assert done.returncode == 1, err
    assert "What you entered was saved." in err and "Traceback" not in err
    with sqlite3.connect(tmp_path / "j.db") as conn:
        assert conn.execute("SELECT mood, craving FROM checkins").fetchall() == [(7, 2)]
