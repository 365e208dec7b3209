"""Bench-only data: journals of 10 and 50 years written through the real services, and K sponsor
summaries for `review`. Used by bench/bench.py; also runnable on its own:

    .venv/bin/python bench/build.py DIR          # builds into DIR (reuses what is already there)

The journals are the demo's history (services/demo.py: check-ins, use records for two substances,
meetings with a weekly requirement, outreach, goals), with its 10-year limit raised here, for the
bench only. Everything is seeded and the clock is pinned, so two builds hold the same rows.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, datetime
from pathlib import Path

NOW = "2026-11-21T10:00:00+00:00"
TODAY = date(2026, 11, 21)
JOURNALS = {"empty": 0, "10y": 3652, "50y": 18262}   # days of history ending today
SUMMARY_COUNTS = (1000, 5000)


def _clock():
    from recoverylog.clock import FixedClock

    return FixedClock(datetime.fromisoformat(NOW))


def build_journal(path: Path, days: int) -> None:
    from recoverylog.services import demo
    from recoverylog.storage.db import open_store

    store = open_store(path, _clock())
    try:
        if days:
            limit = demo.MAX_DAYS
            demo.MAX_DAYS = max(limit, days)   # the demo stops at ten years; the bench needs fifty
            try:
                demo.write_demo(store, days, seed=7)
            finally:
                demo.MAX_DAYS = limit
    finally:
        store.close()


def build_backup(journal: Path, target: Path) -> None:
    """The full export of a journal, as `export --profile full -o FILE` writes it."""
    from recoverylog.exports import ExportRequest, build
    from recoverylog.storage.db import open_store

    store = open_store(journal, _clock())
    try:
        doc = build(store, ExportRequest(profile="full", format="json", today=TODAY, as_of=TODAY))
    finally:
        store.close()
    target.write_text(doc.content, encoding="utf-8")


def build_summaries(journal: Path, folder: Path, count: int) -> list[Path]:
    """`count` sponsor summaries of one week, each a different person: the real exporter's file,
    with the name and some days' values changed and the digest recomputed (one in fifty is left
    with a stale digest, as an edited file would be)."""
    from recoverylog.exports import ExportRequest, build
    from recoverylog.exports.envelope import compute_digest, dumps
    from recoverylog.storage.db import open_store

    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.json"))
    if len(existing) >= count:
        return existing[:count]
    store = open_store(journal, _clock())
    try:
        doc = build(store, ExportRequest(profile="sponsor", format="json", today=TODAY, as_of=TODAY,
                                         week=True, name="Alex", message="Ask me about the weekend"))
    finally:
        store.close()
    base = json.loads(doc.content)
    paths = []
    for k in range(count):
        person = json.loads(json.dumps(base))
        person["person"]["name"] = f"Person {k:04d}"
        for i, day in enumerate(person["data"].get("days", [])):
            if day.get("craving") is not None:
                day["craving"] = (day["craving"] + k + i) % 11
            if day.get("mood") is not None:
                day["mood"] = 1 + (day["mood"] + k * 3 + i) % 10
        person["digest"] = compute_digest(person)
        if k % 50 == 49:
            person["person"]["name"] += " (edited)"
        path = folder / f"{k:04d}.json"
        path.write_text(dumps(person), encoding="utf-8")
        paths.append(path)
    return paths


def build_all(folder: Path, *, years: tuple[str, ...] = ("empty", "10y", "50y"),
              summaries: tuple[int, ...] = SUMMARY_COUNTS, log=print) -> dict[str, Path]:
    """Build what is missing in `folder`; returns the paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name in years:
        path = folder / f"{name}.db"
        if not path.exists():
            t0 = time.perf_counter()
            build_journal(path, JOURNALS[name])
            log(f"built {name} journal ({JOURNALS[name]} days) in {time.perf_counter() - t0:.1f} s")
        out[name] = path
    if summaries:
        t0 = time.perf_counter()
        build_summaries(out.get("10y") or folder / "10y.db", folder / "summaries", max(summaries))
        log(f"summaries ready ({max(summaries)}) in {time.perf_counter() - t0:.1f} s")
        out["summaries"] = folder / "summaries"
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench/build.py DIR")
    build_all(Path(sys.argv[1]), log=lambda m: print(m, file=sys.stderr))
