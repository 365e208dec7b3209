"""`status` skips the parts whose tables hold no row at all (plan, step work, medication,
assessments; storage/presence.py): the dashboard is the one computed with every part."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from loaded_modules import loaded_modules

TODAY = date(2026, 11, 21)

ACTIONS = st.sampled_from([
    ("plan", "add", "coping", "call Sam"),
    ("plan", "add", "risk-dates", "{day}", "an anniversary"),
    ("plan", "review"),
    ("step", "1", "--status", "in-progress", "--date", "{day}"),
    ("step", "4", "--status", "done", "--date", "{day}"),
    ("med", "add", "naltrexone"),
    ("med", "add", "bup", "--schedule", "twice-daily"),
    ("med", "taken", "naltrexone", "--date", "{day}"),
    ("med", "archive", "naltrexone"),
    ("assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "{day}"),
    ("assess", "gad7", "--answers", "1,1,1,1,0,0,0", "--date", "{day}"),
    ("config", "set", "assessment-reminders", "off"),
    ("checkin", "--mood", "6", "--craving", "2", "--date", "{day}"),
])


def _journal(folder: Path, actions: list, days: list[int]) -> Path:
    from recoverylog.cli.app import app

    db = folder / "j.db"
    runner = CliRunner()
    runner.invoke(app, ["--db", str(db), "checkin", "--mood", "5", "--craving", "3", "--date", "2026-10-01"])
    for action, back in zip(actions, days, strict=False):
        day = (TODAY - timedelta(days=back)).isoformat()
        runner.invoke(app, ["--db", str(db), *[day if part == "{day}" else part for part in action]])
    return db


def _both(db: Path, as_of: date, monkeypatch: pytest.MonkeyPatch):
    from recoverylog.clock import clock_from_env
    from recoverylog.reports import status
    from recoverylog.storage import presence
    from recoverylog.storage.db import open_store

    store = open_store(db, clock_from_env())
    try:
        quick = status.build_status(store, as_of)
        with monkeypatch.context() as m:
            m.setattr(presence, "parts_with_rows", lambda store: frozenset(presence.PARTS))
            full = status.build_status(store, as_of)
    finally:
        store.close()
    return quick, full


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, max_size=6), days=st.lists(st.integers(-3, 60), min_size=6, max_size=6),
       as_of_back=st.one_of(st.just(0), st.integers(-2, 40)))
def test_skipping_empty_parts_changes_no_status(actions, days, as_of_back, monkeypatch):
    from recoverylog.reports.status import status_json

    with tempfile.TemporaryDirectory() as folder:
        db = _journal(Path(folder), actions, days)
        quick, full = _both(db, TODAY - timedelta(days=as_of_back), monkeypatch)
    for part in ("plan", "steps", "health"):
        event(f"{part} shown" if getattr(full, part) is not None else f"{part} left out")
    assert quick == full
    assert status_json(quick) == status_json(full)


def test_the_probe_sees_each_part(tmp_path, monkeypatch):
    """Guards the test above: each part appears in `parts_with_rows` once it has a row."""
    from recoverylog.clock import clock_from_env
    from recoverylog.storage.db import open_store
    from recoverylog.storage.presence import parts_with_rows

    db = _journal(tmp_path, [("plan", "add", "coping", "call Sam"), ("step", "1", "--status", "in-progress"),
                             ("med", "add", "naltrexone"),
                             ("assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "{day}")], [0, 0, 0, 1])
    store = open_store(db, clock_from_env())
    try:
        assert parts_with_rows(store) == {"plan", "steps", "medications", "assessments"}
    finally:
        store.close()
    (tmp_path / "e").mkdir()
    empty = _journal(tmp_path / "e", [], [])
    store = open_store(empty, clock_from_env())
    try:
        assert parts_with_rows(store) == frozenset()
    finally:
        store.close()


LAZY_FOR_STATUS = ("recoverylog.reports.plan", "recoverylog.services.plan", "recoverylog.services.steps",
                   "recoverylog.reports.health", "recoverylog.services.instruments")


def _status_imports(db: Path, folder: Path) -> list[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERYLOG_")}
    env.update(RECOVERYLOG_HOME=str(folder / "home"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1", NO_COLOR="1")
    return loaded_modules(env, ["--db", str(db), "status"], LAZY_FOR_STATUS)


def test_status_loads_no_code_for_parts_without_rows(tmp_path):
    # (early warnings, when one is found, read the plan for a next step: off here)
    quiet = _journal(tmp_path, [("config", "set", "warnings", "off")], [0])
    assert _status_imports(quiet, tmp_path) == []
    (tmp_path / "full").mkdir()
    db = _journal(tmp_path / "full", [("plan", "add", "coping", "call Sam"), ("step", "1", "--status", "in-progress"),
                                      ("med", "add", "naltrexone")], [0, 0, 0])
    assert _status_imports(db, tmp_path) == sorted(LAZY_FOR_STATUS)   # the probe can see them
