#!/usr/bin/env python
"""What `PRAGMA quick_check` costs on a ten-year journal (a script, not a test).

The check runs before the first write of each day, so a day's first check-in pays it once. This
builds a ten-year journal with `recoverylog demo --days 3660` in a temporary folder and prints
the file size and the median / min wall time of quick_check over many runs, plus the median
wall time of a check-in that pays the check (first write of a day) and of one that does not.

    .venv/bin/python bench/quick_check.py            # 30 runs
    .venv/bin/python bench/quick_check.py --runs 60
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    script = Path(sys.executable).with_name("recoverylog")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "ten-years.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
        env.update(RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00", RECOVERYLOG_NO_PROMPT="1", HOME=folder)
        subprocess.run([str(script), "demo", "--db", str(db), "--days", "3660"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = []
        for _ in range(args.runs):
            conn = sqlite3.connect(db)
            start = time.perf_counter()
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            times.append((time.perf_counter() - start) * 1000)
            conn.close()
            assert result == "ok", result
        size = db.stat().st_size / 1024 / 1024
        print(f"ten-year journal: {size:.1f} MB")
        print(f"PRAGMA quick_check: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms "
              f"({args.runs} runs, page cache warm)")

        def checkin(day: int, first_of_day: bool) -> float:
            now = f"2027-{1 + day // 28:02d}-{1 + day % 28:02d}T10:00:00+00:00"
            run_env = dict(env, RECOVERYLOG_NOW=now)
            if not first_of_day:  # the day's check already ran: a second write that day
                subprocess.run([str(script), "--db", str(db), "config", "set", "milestones", "on"],
                               env=run_env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            start = time.perf_counter()
            subprocess.run([str(script), "--db", str(db), "checkin", "--mood", "6", "--craving", "2",
                            "--date", now[:10]], env=run_env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return (time.perf_counter() - start) * 1000

        runs = max(5, args.runs // 3)
        paying = [checkin(i, True) for i in range(runs)]
        not_paying = [checkin(100 + i, False) for i in range(runs)]
        print(f"check-in, first write of the day (pays the check): median {statistics.median(paying):.0f} ms")
        print(f"check-in, later write that day (no check):         median {statistics.median(not_paying):.0f} ms")


if __name__ == "__main__":
    main()
