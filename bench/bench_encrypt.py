#!/usr/bin/env python
"""Check-in on an encrypted journal (key remembered in a keyring) against the same on a plain one.

A script, not a test (needs the encrypt extra). Builds the ten-year journal of bench/bench.py
(bench/build.py),
copies it, encrypts the copy with `db encrypt --remember`, then times, as fresh processes and
interleaved, `checkin` on each. The keyring is a file under the temp folder
(tests/_keyring_file.py, chosen with PYTHON_KEYRING_BACKEND), so the figure counts importing
keyring and sqlcipher3 and one keyring read, but not the discovery of the OS keyring's backend
(which keyring does on a desktop when PYTHON_KEYRING_BACKEND is unset): that one is printed apart.

    .venv/bin/python bench/bench_encrypt.py            # 25 runs of each
    .venv/bin/python bench/bench_encrypt.py --runs 60
    .venv/bin/python bench/bench_encrypt.py --compare DIR   # also DIR/src (git archive main src | tar -x -C DIR)

The row "remembered key, recorded backend" runs with PYTHON_KEYRING_BACKEND unset and keyring's
config folder empty (a desktop's shape): the key is found through the backend recorded at
`--remember` time, without keyring's look through every backend. With --compare, every process
runs as `python -m recoverylog` (this tree's and DIR's alike) and DIR gets the rows that name the
backend (an older tree has no recorded backend).
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
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build import JOURNALS, NOW, TODAY, build_journal  # noqa: E402


def recoverylog_command() -> list[str]:
    script = Path(sys.executable).parent / "recoverylog"
    return [str(script)] if script.exists() else [sys.executable, "-m", "recoverylog"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another tree holding src/ (timed alongside)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="recoverylog-bench-encrypt-"))
    try:
        plain = folder / "10y.db"
        build_journal(plain, JOURNALS["10y"])   # the demo's ten years, as bench/bench.py builds it
        encrypted = folder / "encrypted.db"
        shutil.copyfile(plain, encrypted)
        secret = folder / "pass.txt"
        secret.write_text("a passphrase for the benchmark\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
        env.update(RECOVERYLOG_NOW=NOW, RECOVERYLOG_NO_PROMPT="1", RECOVERYLOG_HOME=str(folder / "home"),
                   NO_COLOR="1", COLUMNS="80", PYTHONPYCACHEPREFIX=str(folder / "pycache"),
                   PYTHON_KEYRING_BACKEND="_keyring_file.FileKeyring",
                   RECOVERYLOG_TEST_KEYRING=str(folder / "keyring.json"),
                   PYTHONPATH=os.pathsep.join([str(HERE.parent / "tests"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        setup = dict(env, RECOVERYLOG_PASSPHRASE_COMMAND=f"cat {secret}")
        subprocess.run(recoverylog_command() + ["--db", str(encrypted), "db", "encrypt", "--remember"],
                       env=setup, check=True, stderr=subprocess.DEVNULL)
        for side in encrypted.parent.glob("encrypted.db.before-*"):
            side.unlink()

        import json

        raw = next(iter(json.loads((folder / "keyring.json").read_text()).values()))
        raw_file = folder / "raw.txt"
        raw_file.write_text(f"x'{raw}'\n")  # SQLCipher takes x'…' as the key itself
        (folder / "config").mkdir()
        desktop = {"PYTHON_KEYRING_BACKEND": None, "XDG_CONFIG_HOME": str(folder / "config")}
        rows = [("plain", plain, {}), ("encrypted, remembered key", encrypted, {}),
                ("encrypted, raw key by command", encrypted, {"RECOVERYLOG_PASSPHRASE_COMMAND": f"cat {raw_file}"}),
                ("remembered key, recorded backend", encrypted, desktop)]
        base = recoverylog_command()
        if args.compare:
            other = folder / "encrypted-other.db"
            shutil.copyfile(encrypted, other)
            shutil.copyfile(plain, folder / "10y-other.db")
            src = str(args.compare.resolve() / "src")
            mine = str(HERE.parent / "src")
            base = [sys.executable, "-m", "recoverylog"]
            rows = [(label, path, dict(extra, PYTHONPATH=mine + os.pathsep + env["PYTHONPATH"]))
                    for label, path, extra in rows]
            rows += [(f"{label} [{args.compare.name}]", other if path == encrypted else folder / "10y-other.db",
                      dict(extra, PYTHONPATH=src + os.pathsep + env["PYTHONPATH"]))
                     for label, path, extra in rows[:3]]
        wall: dict[str, list[float]] = {label: [] for label, _, _ in rows}
        cpu: dict[str, list[float]] = {label: [] for label, _, _ in rows}

        def run(path: Path, n: int, extra: dict) -> tuple[float, float]:
            day = (TODAY - timedelta(days=1 + n)).isoformat()
            cmd = base + ["--db", str(path), "checkin", "--mood", "7", "--craving", "2", "--date", day]
            child = {k: v for k, v in dict(env, **extra).items() if v is not None}
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=child, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = (time.perf_counter() - start) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return elapsed, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000

        for n in range(args.warmup):
            for _, path, extra in rows:
                run(path, 1000 + n, extra)
        for n in range(args.runs):
            for label, path, extra in rows:
                w, c = run(path, n, extra)
                wall[label].append(w)
                cpu[label].append(c)

        probe = ("import time; t = time.perf_counter(); import keyring; t1 = time.perf_counter(); "
                 "keyring.get_keyring(); t2 = time.perf_counter(); "
                 "print(f'{(t1 - t) * 1000:.0f} {(t2 - t1) * 1000:.0f}')")
        discovery_env = {k: v for k, v in env.items() if k != "PYTHON_KEYRING_BACKEND"}
        discovery_env["XDG_CONFIG_HOME"] = str(folder / "config")
        def probed(code: str) -> list[str]:  # the median of 7 fresh processes, figure by figure
            runs = [subprocess.run([sys.executable, "-c", code], env=discovery_env, capture_output=True,
                                   text=True, check=True).stdout.split() for _ in range(7)]
            return [f"{statistics.median(float(r[i]) for r in runs):.0f}" for i in range(len(runs[0]))]

        imp, disc = probed(probe)
        # the same import as the check-in does it (modules a check-in never uses deferred), and what
        # loading desktop Linux's backend by name costs in imports (its D-Bus check needs a session)
        probe2 = ("import time, importlib; from recoverylog.storage import encryption; t = time.perf_counter(); "
                  "encryption._keyring(); t1 = time.perf_counter(); "
                  "importlib.import_module('keyring.backends.SecretService'); t2 = time.perf_counter(); "
                  "print(f'{(t1 - t) * 1000:.0f} {(t2 - t1) * 1000:.0f}')")
        lazy, secretservice = probed(probe2)

        print(f"check-in, ten-year journal · python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
              f"load {os.getloadavg()[0]:.1f} · {args.runs} runs each (+{args.warmup} warm-up)")
        print(f"{'journal':<40} {'median':>7} {'p90':>7} {'min':>7} {'cpu med':>8}")
        for label, _, _ in rows:
            values = sorted(wall[label])
            print(f"{label:<40} {statistics.median(values):>5.0f}ms {values[int(0.9 * (len(values) - 1))]:>5.0f}ms "
                  f"{values[0]:>5.0f}ms {statistics.median(cpu[label]):>6.0f}ms")
        for label, _, _ in rows[1:]:
            if label.endswith("]"):
                continue
            ratio_wall = statistics.median(wall[label]) / statistics.median(wall["plain"])
            ratio_cpu = statistics.median(cpu[label]) / statistics.median(cpu["plain"])
            print(f"{label} / plain: wall median {ratio_wall:.2f}x, cpu median {ratio_cpu:.2f}x (target <= 1.3x)")
        for label, _, _ in rows[len(rows) - 3 if args.compare else len(rows):][1:]:
            plain_other = f"plain [{args.compare.name}]"
            print(f"{label} / {plain_other}: wall median "
                  f"{statistics.median(wall[label]) / statistics.median(wall[plain_other]):.2f}x, cpu median "
                  f"{statistics.median(cpu[label]) / statistics.median(cpu[plain_other]):.2f}x")
        print(f"importing keyring alone: {imp} ms, as recoverylog imports it: {lazy} ms (counted above); "
              f"finding the OS keyring's backend when PYTHON_KEYRING_BACKEND is unset and nothing is recorded: "
              f"{disc} ms more; importing SecretService's backend by name: {secretservice} ms")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
