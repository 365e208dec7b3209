#!/usr/bin/env python
"""Benchmark of recoverylog commands as fresh processes (a script, not a test).

Builds (bench/build.py) an empty journal, 10- and 50-year journals written through the real
services, and 1,000 / 5,000 sponsor summaries; then runs every command below as a fresh process,
interleaved (command 1, 2, ..., then again), so a busy machine slows every row alike. Each figure
is the median CPU time (user + system, from the child's own rusage) and is printed as a ratio to
the check-in measured in the same run on the same journal; peak memory is the child's max RSS.

    .venv/bin/python bench/bench.py                  # the full run (a few minutes)
    .venv/bin/python bench/bench.py --quick          # fewer runs, a first look
    .venv/bin/python bench/bench.py --compare OTHER_CHECKOUT   # side by side with another tree's src/
    .venv/bin/python bench/bench.py --data DIR       # build into DIR once and reuse it

"Today" is pinned with RECOVERYLOG_NOW so that every run sees the same day.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import NOW, TODAY  # noqa: E402

CHECKIN = ["checkin", "--mood", "7", "--craving", "2", "--date", "{date}"]


@dataclass(frozen=True)
class Row:
    key: str                 # unique name of the row
    label: str               # what is shown
    db: str                  # "none" | "empty" | "10y" | "50y" | "fresh" (a new file per run)
    argv: tuple[str, ...]    # after `recoverylog --db DB`; {date}, {backup10y}, {out}, {summaries1000}, …
    ref: str | None = None   # the row this one is shown as a ratio of
    target: float | None = None      # ≤ this ratio
    mem_mib: float | None = None     # ≤ this peak RSS
    heavy: bool = False      # fewer runs (demo, review 5,000)
    script: str | None = None        # a python script instead of recoverylog


TYPER_APP = '''import sqlite3, sys
import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(mood: int = typer.Option(..., "--mood")) -> None:
    """Insert one row."""
    conn = sqlite3.connect(sys.argv[0] + ".db", isolation_level=None)
    conn.execute("CREATE TABLE IF NOT EXISTS t (mood INTEGER)")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (?)", (mood,))
    conn.execute("COMMIT")


app()
'''

ROWS: list[Row] = [
    Row("typer", "typer app: one command, one row", "none", ("--mood", "7"), script="typer_app.py"),
    # The shell-prompt segment runs on every prompt: at most twice a bare interpreter's start-up.
    Row("pass", "python, an empty script", "none", (), script="empty.py"),
    Row("prompt10", "prompt (shell-prompt segment)", "10y", ("prompt",), ref="pass", target=2.0),
    Row("ci0", "checkin", "empty", tuple(CHECKIN), ref="typer", target=1.25),
    Row("ci10", "checkin", "10y", tuple(CHECKIN), ref="ci0"),
    Row("ci50", "checkin", "50y", tuple(CHECKIN), ref="ci0", target=1.15),
    Row("sober50", "checkin --sober", "50y", tuple(CHECKIN) + ("--sober",), ref="ci50"),
    Row("status50", "status", "50y", ("status",), ref="ci50", target=1.5),
    Row("sobriety50", "sobriety", "50y", ("sobriety",), ref="ci50", target=1.5),
    Row("week50", "report --week", "50y", ("report", "--week"), ref="ci50", target=1.5),
    Row("month50", "report --month", "50y", ("report", "--month"), ref="ci50", target=1.5),
    Row("html50", "export --week -f html", "50y", ("export", "--week", "-f", "html", "-o", "{out}", "--force"),
        ref="ci50", target=1.5),
    Row("list50", "checkins --json", "50y", ("checkins", "--json"), ref="ci50"),
    Row("assess0", "assess phq9 --answers … --date D", "empty",
        ("assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "{date}"), ref="ci0"),
    Row("care10", "export --profile care", "10y", ("export", "--profile", "care", "-o", "{out}", "--force"),
        ref="ci10"),
    Row("full10", "export --profile full", "10y", ("export", "--profile", "full", "-o", "{out}", "--force"),
        ref="ci10", target=2.0),
    Row("full50", "export --profile full", "50y", ("export", "--profile", "full", "-o", "{out}", "--force"),
        ref="ci50", target=5.0, mem_mib=100),
    Row("import10", "import (10-year backup)", "fresh", ("import", "{backup10y}"), ref="ci10", target=2.0),
    Row("import50", "import (50-year backup)", "fresh", ("import", "{backup50y}"), ref="ci50", target=5.0,
        mem_mib=100),
    Row("review1k", "review 1,000 summaries", "none", ("review", "{summaries1000}"), ref="ci0", target=8.0,
        mem_mib=100),
    Row("review5k", "review 5,000 summaries", "none", ("review", "{summaries5000}"), ref="review1k",
        target=5.5, mem_mib=100, heavy=True),
    Row("demo1825", "demo --days 1825", "fresh-demo", ("demo", "--days", "1825"), ref="ci0", heavy=True),
    Row("demo3650", "demo --days 3650", "fresh-demo", ("demo", "--days", "3650"), ref="ci0", target=40.0,
        heavy=True),
    Row("demo-lin", "demo 3650 vs 1825 days", "none", (), ref="demo1825", target=2.2),
]
DERIVED = {"demo-lin": "demo3650"}   # a row whose figure is another row's, shown against its own ref


@dataclass
class Variant:
    name: str
    pythonpath: str | None       # None: this checkout (the installed editable package)


def launcher(folder: Path) -> Path:
    """The console script's body, as a file (the same start-up for every variant)."""
    path = folder / "recoverylog_launcher.py"
    path.write_text("from recoverylog.cli import main\nmain()\n")
    return path


def run_once(cmd: list[str], env: dict[str, str], stdin=subprocess.DEVNULL) -> tuple[float, float, float, int, str]:
    """(wall ms, CPU ms, peak RSS MiB, exit code, last stderr line) of one fresh process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - start) * 1000
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode(errors="replace").strip().splitlines()
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode, lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=None, help="timed runs per row (default 9; --quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 1 warm-up, heavy rows once")
    parser.add_argument("--data", type=Path, default=None,
                        help="build the journals and summaries here once and reuse them (default: a temp folder)")
    parser.add_argument("--compare", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="also run another checkout's src/ (e.g. a worktree of main), interleaved")
    parser.add_argument("--only", default=None, help="comma-separated row keys (and their references)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 9)
    warmup = 1 if args.quick else 2
    heavy_runs = 1 if args.quick else max(3, runs // 3)

    folder = Path(tempfile.mkdtemp(prefix="recoverylog-bench-"))
    data = args.data or folder / "data"
    try:
        t0 = time.perf_counter()
        # Built in a child process: a child forked from a large parent would report the parent's
        # memory as its own peak RSS, so this process stays small (recoverylog is never imported here).
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "build.py"), str(data)], check=True)
        paths = {name: data / f"{name}.db" for name in ("empty", "10y", "50y")} | {"summaries": data / "summaries"}
        built = time.perf_counter() - t0
        work = folder / "work"
        work.mkdir()
        (work / "typer_app.py").write_text(TYPER_APP)
        (work / "empty.py").write_text("")
        script = launcher(folder)
        summary_files = sorted(paths["summaries"].glob("*.json"))

        variants = [Variant("this", None)] + [Variant(p.name or str(p), str(p.resolve() / "src"))
                                              for p in args.compare]
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
        base_env.update(RECOVERYLOG_NOW=NOW, RECOVERYLOG_NO_PROMPT="1", RECOVERYLOG_HOME=str(folder / "home"),
                        NO_COLOR="1", COLUMNS="80")
        base_env.pop("PYTHONDONTWRITEBYTECODE", None)
        base_env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")   # an installed package has .pyc files

        def env_for(v: Variant) -> dict[str, str]:
            env = dict(base_env)
            env.pop("PYTHONPATH", None)
            if v.pythonpath:
                env["PYTHONPATH"] = v.pythonpath
            return env

        rows = ROWS
        if args.only:
            wanted = set(args.only.split(","))
            for r in ROWS:
                if r.key in wanted and r.ref:
                    wanted.add(r.ref)
                if r.key in wanted and r.key in DERIVED:
                    wanted.add(DERIVED[r.key])
            rows = [r for r in ROWS if r.key in wanted]

        # Each variant's own databases (a check-in writes) and its own full backups.
        vdbs: dict[str, dict[str, Path]] = {}
        for v in variants:
            vdir = folder / f"db-{v.name}"
            vdir.mkdir()
            vdbs[v.name] = {}
            for name in ("empty", "10y", "50y"):
                target = vdir / f"{name}.db"
                shutil.copyfile(paths[name], target)
                vdbs[v.name][name] = target
            for name in ("10y", "50y"):
                backup = vdir / f"backup-{name}.json"
                _, _, _, code, err = run_once([sys.executable, str(script), "--db", str(vdbs[v.name][name]),
                                               "export", "--profile", "full", "-o", str(backup)], env_for(v))
                if code:
                    print(f"({v.name}: could not write the {name} backup: {err})", file=sys.stderr)
                vdbs[v.name][f"backup{name}"] = backup
        counter = [0]

        def command(v: Variant, row: Row, n: int) -> list[str] | None:
            if row.key in DERIVED or (not row.argv and not row.script):
                return None
            if row.script:
                return [sys.executable, str(work / row.script), *row.argv]
            counter[0] += 1
            subs = {"{date}": (TODAY - timedelta(days=1 + n % 3000)).isoformat(),
                    "{out}": str(folder / f"out-{v.name}-{row.key}"),
                    "{backup10y}": str(vdbs[v.name]["backup10y"]), "{backup50y}": str(vdbs[v.name]["backup50y"])}
            argv: list[str] = []
            for part in row.argv:
                if part.startswith("{summaries"):
                    count = int(part[len("{summaries"):-1])
                    argv += [str(p) for p in summary_files[:count]]
                else:
                    argv.append(subs.get(part, part))
            cmd = [sys.executable, str(script)]
            if row.db in ("fresh", "fresh-demo"):
                fresh = folder / "fresh" / f"{v.name}-{counter[0]}.db"
                fresh.parent.mkdir(exist_ok=True)
                fresh.unlink(missing_ok=True)
                cmd += ["--db", str(fresh)] if row.db == "fresh" else []
                if row.db == "fresh-demo":
                    argv += ["--db", str(fresh)]
            elif row.db != "none":
                cmd += ["--db", str(vdbs[v.name][row.db])]
            return cmd + argv

        cells = [(v, r) for r in rows for v in variants]
        cpu: dict[tuple[str, str], list[float]] = {(v.name, r.key): [] for v, r in cells}
        rss: dict[tuple[str, str], list[float]] = {(v.name, r.key): [] for v, r in cells}
        failures: dict[tuple[str, str], str] = {}

        def one_round(n: int, timed: bool, heavy_too: bool) -> None:
            for v, r in cells:
                if r.heavy and not heavy_too:
                    continue
                cmd = command(v, r, n)
                if cmd is None:
                    continue
                _, used, peak, code, err = run_once(cmd, env_for(v))
                shutil.rmtree(folder / "fresh", ignore_errors=True)
                if code:
                    failures.setdefault((v.name, r.key), err or f"exit {code}")
                if timed:
                    cpu[(v.name, r.key)].append(used)
                    rss[(v.name, r.key)].append(peak)

        t1 = time.perf_counter()
        for n in range(warmup):
            one_round(1000 + n, timed=False, heavy_too=n == 0)
        every = max(1, runs // heavy_runs)
        for n in range(runs):
            one_round(n, timed=True, heavy_too=n % every == 0 and n // every < heavy_runs)
        elapsed = time.perf_counter() - t1

        def med(vname: str, key: str) -> float | None:
            key = DERIVED.get(key, key)
            values = cpu.get((vname, key)) or []
            return statistics.median(values) if values else None

        print(f"recoverylog benchmark · python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
              f"load {os.getloadavg()[0]:.1f} · {runs} runs each, heavy rows {heavy_runs} (+{warmup} warm-up) "
              f"· data built in {built:.0f} s, timed in {elapsed:.0f} s")
        sizes = ", ".join(f"{n} {paths[n].stat().st_size / 1024 / 1024:.1f} MiB" for n in ("10y", "50y"))
        print(f"journals: {sizes} (demo history: 2 substances, meetings, outreach, goals); "
              f"summaries: one-week sponsor exports")
        print("CPU = median of the child's user+system time; ratio = CPU / CPU of `ref` in the same run and "
              "code; RSS = peak resident memory")
        print()
        head = f"{'command':<34} {'journal':<7}"
        for v in variants:
            head += f" | {v.name[:10]:>10} {'ratio':>6} {'RSS':>5}"
        print(head + " | target")
        for r in rows:
            line = f"{r.label:<34} {r.db.replace('fresh-demo', 'new').replace('fresh', 'new'):<7}"
            verdicts = []
            for v in variants:
                value = med(v.name, r.key)
                ratio = ""
                if value is not None and r.ref:
                    ref = med(v.name, r.ref)
                    if ref:
                        ratio = f"{value / ref:.2f}x"
                        if r.target is not None and v is variants[0]:
                            verdicts.append("ok" if value / ref <= r.target else "OVER")
                peak = rss.get((v.name, DERIVED.get(r.key, r.key))) or []
                peak_text = f"{max(peak):.0f}M" if peak else ""
                if r.mem_mib is not None and peak and v is variants[0] and max(peak) > r.mem_mib:
                    verdicts.append("RSS OVER")
                shown = "" if r.key in DERIVED or value is None else f"{value:.0f}ms"
                note = "  FAILED" if (v.name, r.key) in failures else ""
                line += f" | {shown:>10} {ratio:>6} {peak_text:>5}{note}"
            goal = ""
            if r.target is not None:
                goal = f"≤{r.target:g}x {r.ref}"
            if r.mem_mib is not None:
                goal += f", ≤{r.mem_mib:g} MiB"
            print(line + f" | {goal} {' '.join(verdicts)}".rstrip())
        print("\nrefs: " + ", ".join(f"{r.key} = {r.label} ({r.db})" for r in rows if any(x.ref == r.key for x in rows)))
        for (vname, key), message in failures.items():
            print(f"FAILED {vname} {key}: {message}", file=sys.stderr)
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"\nkept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
