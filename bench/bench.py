#!/usr/bin/env python
"""Wall-clock benchmark of recoverylog commands (a script, not a test).

Builds, in a temporary folder, an empty database and one holding ten years of daily check-ins
(plus one substance with a use record every day), then times each command below as a fresh
process, many times, interleaved so that a busy machine slows every row alike. Prints wall-clock
median, p90 and min, and the median CPU time (user + system) of the process, in milliseconds.

    .venv/bin/python bench/bench.py            # 25 runs of each
    .venv/bin/python bench/bench.py --runs 60 --keep
    .venv/bin/python bench/bench.py --no-bytecode-cache   # as an editable checkout without .pyc files
    .venv/bin/python bench/bench.py --only prompt --runs 60   # one row (and its baseline)

"Today" is pinned with RECOVERYLOG_NOW so that every run sees the same day.
To time another command, add one line to COMMANDS.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

NOW = "2026-11-21T10:00:00+00:00"
TODAY = date(2026, 11, 21)
YEARS = 10

# (label, database: "none" | "empty" | "ten-year", argv). In argv, {recoverylog} is the installed
# console script and {date} a past date that changes with every run (each check-in run writes:
# a new row on the empty database, a merge with a revision on the ten-year one).
COMMANDS: list[tuple[str, str, list[str]]] = [
    ("python -c pass", "none", [sys.executable, "-c", "pass"]),
    ('python -c "import sqlite3"', "none", [sys.executable, "-c", "import sqlite3"]),
    ("recoverylog --help", "none", ["{recoverylog}", "--help"]),
    ("checkin --mood 7 --craving 2 --date D", "empty", ["{recoverylog}", "checkin", "--mood", "7", "--craving", "2", "--date", "{date}"]),
    ("checkin --mood 7 --craving 2 --date D", "ten-year", ["{recoverylog}", "checkin", "--mood", "7", "--craving", "2", "--date", "{date}"]),
    ("checkins --since '30 days ago'", "ten-year", ["{recoverylog}", "checkins", "--since", "30 days ago"]),
    ("status", "ten-year", ["{recoverylog}", "status"]),
    ("report --month", "ten-year", ["{recoverylog}", "report", "--month"]),
    ("assess phq9 --answers … --date D", "empty",
     ["{recoverylog}", "assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "{date}"]),
    ("export --profile care", "ten-year", ["{recoverylog}", "export", "--profile", "care"]),
    ("prompt (shell-prompt segment)", "ten-year", ["{recoverylog}", "prompt"]),
]
# Rows reported as a ratio to another row's median: (row, baseline, target). The prompt segment
# runs on every shell prompt, so it may cost at most twice a bare interpreter.
RATIOS = [("prompt (shell-prompt segment)", "python -c pass", 2.0)]


def recoverylog_command() -> list[str]:
    script = Path(sys.executable).parent / "recoverylog"
    return [str(script)] if script.exists() else [sys.executable, "-m", "recoverylog"]


def build_databases(folder: Path) -> dict[str, Path]:
    """Through the storage layer: open_store creates and migrates; rows go in one transaction."""
    from recoverylog.clock import FixedClock
    from recoverylog.storage import checkins as checkin_rows
    from recoverylog.storage.db import open_store

    clock = FixedClock(datetime.fromisoformat(NOW))
    empty = folder / "empty.db"
    open_store(empty, clock).close()

    big = folder / "ten-year.db"
    store = open_store(big, clock)
    start = TODAY - timedelta(days=365 * YEARS + YEARS // 4)
    days = [start + timedelta(days=i) for i in range((TODAY - start).days)]  # up to yesterday
    stamp = "2026-11-21T10:00:00+00:00"
    with store.write() as conn:
        for i, day in enumerate(days):
            iso = day.isoformat()
            checkin_rows.upsert(conn, {
                "date": iso, "mood": 3 + i % 6, "craving": i % 5, "stress": i % 7, "sleep": 6 + (i % 4) / 2,
                "halt": ["tired"] if i % 3 == 0 else [], "tags": ["work"] if i % 2 else [],
                "gratitude": "a walk" if i % 4 == 0 else None,
                "note": "an ordinary day, written down so the pattern can be seen later" if i % 2 else None,
                "recorded_at": stamp, "recorded_on": iso, "updated_at": stamp})
        # One substance with a use record every day (the schema of m001; for speed, plain SQL).
        cursor = conn.execute(
            "INSERT INTO substances (name, unit, goal, max_per_day, added_on, created_at) "
            "VALUES ('alcohol', 'drinks', 'reduce', 2, ?, ?)", (days[0].isoformat(), stamp))
        substance_id = cursor.lastrowid
        conn.executemany(
            "INSERT INTO uses (substance_id, date, used, amount, recorded_at, recorded_on, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(substance_id, d.isoformat(), int(i % 9 == 0), 3.0 if i % 9 == 0 else None, stamp, d.isoformat(), stamp)
             for i, d in enumerate(days)])
    store.close()
    return {"empty": empty, "ten-year": big}


def available(argv: list[str], env: dict[str, str]) -> bool:
    """A command that does not exist yet (someone else's issue) is skipped, not an error."""
    if argv[0] != "{recoverylog}" or argv[1].startswith("-"):
        return True
    probe = subprocess.run(recoverylog_command() + [argv[1], "--help"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return probe.returncode == 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=25, help="timed runs per command (default 25)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per command first (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="recompile Python sources on every run (PYTHONDONTWRITEBYTECODE=1)")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="time only the rows whose label contains TEXT (repeatable), plus their ratio baselines")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="recoverylog-bench-"))
    try:
        t0 = time.perf_counter()
        dbs = build_databases(folder)
        built = time.perf_counter() - t0
        sizes = {name: path.stat().st_size for name, path in dbs.items()}
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
        env.update(RECOVERYLOG_NOW=NOW, RECOVERYLOG_NO_PROMPT="1", RECOVERYLOG_HOME=str(folder / "home"),
                   NO_COLOR="1", COLUMNS="80")
        # An installed package has its bytecode compiled (pip does it). An editable checkout run with
        # PYTHONDONTWRITEBYTECODE=1 recompiles every module of ours on every start (~40-60 ms here), so
        # by default the children cache bytecode in the temp folder (warm-up fills it), leaving src alone.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPYCACHEPREFIX", None)
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")

        rows = []
        wanted = None
        if args.only:
            wanted = {label for label, _, _ in COMMANDS if any(t in label for t in args.only)}
            wanted |= {base for label, base, _ in RATIOS if label in wanted}
        for label, db, argv in COMMANDS:
            if wanted is not None and label not in wanted:
                continue
            if available(argv, env):
                rows.append((label, db, argv))
            else:
                print(f"(skipped, not a command yet: {label})", file=sys.stderr)
        times: dict[int, list[float]] = {i: [] for i in range(len(rows))}
        cpu: dict[int, list[float]] = {i: [] for i in range(len(rows))}
        failures: dict[int, str] = {}

        def run(index: int, n: int) -> tuple[float, float]:
            """(wall ms, CPU ms of the child: user + system, which a busy machine disturbs less)."""
            label, db, argv = rows[index]
            cmd: list[str] = []
            for part in argv:
                if part == "{recoverylog}":
                    cmd += recoverylog_command()
                else:
                    cmd.append(part.replace("{date}", (TODAY - timedelta(days=1 + n)).isoformat()))
            if db != "none" and cmd[0] != sys.executable:
                cmd[1:1] = ["--db", str(dbs[db])]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
            if done.returncode != 0:
                failures.setdefault(index, done.stderr.decode(errors="replace").strip().splitlines()[-1:][0]
                                    if done.stderr.strip() else f"exit {done.returncode}")
            return elapsed, used

        for n in range(args.warmup):
            for i in range(len(rows)):
                run(i, 1000 + n)
        for n in range(args.runs):  # interleaved: load on the machine hits every row alike
            for i in range(len(rows)):
                wall, used = run(i, n)
                times[i].append(wall)
                cpu[i].append(used)

        print(f"recoverylog benchmark · python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
              f"load {os.getloadavg()[0]:.1f} · {args.runs} runs each (+{args.warmup} warm-up) · "
              f"bytecode cache {'off' if args.no_bytecode_cache else 'on'}")
        print(f"databases: empty {sizes['empty'] / 1024:.0f} KiB; ten-year {sizes['ten-year'] / 1024:.0f} KiB "
              f"({YEARS} years of daily check-ins + daily use records; built in {built:.1f} s)")
        print()
        width = max(len(label) for label, _, _ in rows)
        print(f"{'command':<{width}}  {'database':<8}  {'median':>7}  {'p90':>7}  {'min':>7}  {'cpu med':>7}")
        for i, (label, db, _) in enumerate(rows):
            values = times[i]
            note = f"  FAILED: {failures[i]}" if i in failures else ""
            print(f"{label:<{width}}  {db:<8}  {statistics.median(values):>5.0f}ms  "
                  f"{percentile(values, 0.9):>5.0f}ms  {min(values):>5.0f}ms  "
                  f"{statistics.median(cpu[i]):>5.0f}ms{note}")
        medians = {label: statistics.median(times[i]) for i, (label, _, _) in enumerate(rows)}
        cpus = {label: statistics.median(cpu[i]) for i, (label, _, _) in enumerate(rows)}
        for label, base, target in RATIOS:
            if label in medians and base in medians:
                ratio, cpu_ratio = medians[label] / medians[base], cpus[label] / max(cpus[base], 0.001)
                verdict = "within" if ratio <= target else "OVER"
                print(f"{label} / {base}: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu "
                      f"({verdict} the {target:g}x target)")
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"\nkept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
