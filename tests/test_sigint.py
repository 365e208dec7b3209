"""Ctrl-C on a real process, at moments spread from start-up to the end of the command: the exit
is 130 (or 0 when the command had finished), never a traceback, and what it says is true —
"Stopped after saving" exactly when the use row was committed, "Nothing was saved" exactly when
it was not (docs/definitions.md §12)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

RUNS = 16


def _uses(db: Path) -> float:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT coalesce(sum(amount), 0) FROM uses").fetchone()[0]
    finally:
        conn.close()


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_DB=str(tmp_path / "j.db"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1", HOME=str(tmp_path), NO_COLOR="1")
    return env


def _run(args, env, delay: float | None):
    # The entry point exactly as installed (`recoverylog = recoverylog.cli:main`): the console
    # script next to this interpreter, or the same import and call when there is none.
    script = Path(sys.executable).with_name("recoverylog")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "recoverylog"]
    proc = subprocess.Popen([*command, *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if delay is not None:
        time.sleep(delay)
        try:
            proc.send_signal(signal.SIGINT)
        except ProcessLookupError:
            pass
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def test_sigint_at_any_moment_says_the_truth(tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "j.db"
    code, _, err = _run(["substance", "add", "alcohol", "--unit", "drinks"], env, None)
    assert code == 0, err
    started = time.monotonic()
    code, _, err = _run(["use", "alcohol", "--amount", "2"], env, None)
    took = time.monotonic() - started
    assert code == 0, err
    seen = {"saved": 0, "not saved": 0, "finished": 0}
    for run in range(RUNS):
        before = _uses(db)
        delay = took * 1.2 * run / RUNS
        code, out, err = _run(["use", "alcohol", "--amount", "2"], env, delay)
        after = _uses(db)
        assert after in (before, before + 2), (before, after)
        if code == -signal.SIGINT:
            # Python's own start-up, before the first line of recoverylog runs (the console script
            # is still importing us): no code of ours can catch this, and nothing can be saved.
            frames = [line for line in err.splitlines() if line.strip().startswith("File ")]
            assert not any("recoverylog/" in f and "/bin/" not in f for f in frames), err
            assert after == before
            seen["python start-up"] = seen.get("python start-up", 0) + 1
            continue
        assert "Traceback" not in err + out, (delay, err)
        if code == 0:
            assert after == before + 2
            seen["finished"] += 1
            continue
        assert code == 130, (code, err)
        if after == before + 2:
            assert "Stopped after saving: the use is recorded." in err, (delay, err)
            seen["saved"] += 1
        else:
            assert "Stopped. Nothing was saved." in err, (delay, err)
            seen["not saved"] += 1
    assert seen["not saved"] > 0, seen  # the sweep really interrupted commands before they committed
    print(seen)
