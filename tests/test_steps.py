"""Step work: statuses, current step, progress without notes, and bad input."""

from __future__ import annotations

import sqlite3

import pytest

from recoverylog.services.steps import current_of, step_states


def steps_json(cli, *extra):
    return cli.json("steps", "--json", *extra)


def test_no_step_work(cli, empty_journal):
    data = steps_json(cli)
    assert data["program"] is None and data["current"] is None and data["done"] == 0
    assert "No step work recorded" in cli("steps", ok=True).stdout


def test_progress_through_steps(cli):
    cli("step", "1", "--status", "in-progress", "--program", "AA", "--date", "2026-10-31", ok=True)
    cli("step", "1", "--status", "done", "--date", "2026-11-01", ok=True)  # program: the one used last
    cli("step", "2", "--status", "in-progress", "--date", "2026-11-01", "--note", "talked with Sam", ok=True)
    data = steps_json(cli)
    assert data["program"] == "AA" and data["current"] == 2 and data["done"] == 1
    first, second, third = data["steps"][:3]
    assert first == {"step": 1, "status": "done", "started": "2026-10-31", "finished": "2026-11-01"}
    assert second == {"step": 2, "status": "in-progress", "started": "2026-11-01", "finished": None}
    assert third["status"] == "not-started"
    assert "note" not in second  # notes only when asked for
    assert steps_json(cli, "--include-notes")["steps"][1]["note"] == "talked with Sam"
    out = cli("steps", ok=True).stdout
    assert "current step 2" in out and "1 of 12 done" in out and "talked with Sam" not in out


def test_program_names_are_matched_case_insensitively(cli):
    cli("step", "1", "--status", "done", "--program", "NA", ok=True)
    cli("step", "2", "--status", "in-progress", "--program", "na", ok=True)
    data = steps_json(cli, "--program", "Na")
    assert data["program"] == "NA" and data["current"] == 2


def test_same_status_twice_is_recorded_once(cli, db_path):
    cli("step", "3", "--status", "in-progress", ok=True)
    result = cli("step", "3", "--status", "in-progress", ok=True)
    assert "already in progress" in result.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM steps").fetchone()[0] == 1


@pytest.mark.parametrize("args, message", [
    (("step", "0", "--status", "done"), "Step 0 is out of range"),
    (("step", "13", "--status", "done"), "Step 13 is out of range"),
    (("step", "four", "--status", "done"), "not a step number"),
    (("step", "4", "--status", "finished"), "Unknown status 'finished'"),
    (("step", "4", "--status", "done", "--date", "2026-11-22"), "in the future"),
])
def test_bad_input_is_refused_and_nothing_is_stored(cli, db_path, args, message):
    cli("step", "1", "--status", "done", ok=True)
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM steps").fetchone()[0] == 1


def _event(step, status, day, i=0):
    return {"step": step, "status": status, "date": day, "note": None, "id": i}


def test_states_follow_the_latest_stretch_of_work():
    events = [_event(4, "in-progress", "2026-01-01"), _event(4, "not-started", "2026-02-01"),
              _event(4, "in-progress", "2026-03-01"), _event(4, "done", "2026-03-31")]
    state = step_states(events)[3]
    assert (state.status, str(state.started), str(state.finished)) == ("done", "2026-03-01", "2026-03-31")
    # Done then reopened: no longer finished.
    reopened = step_states(events + [_event(4, "in-progress", "2026-04-01")])[3]
    assert reopened.status == "in-progress" and reopened.finished is None


def test_current_step_rules():
    none = step_states([])
    assert current_of(none) is None
    after_done = step_states([_event(1, "done", "2026-01-01"), _event(2, "done", "2026-02-01")])
    assert current_of(after_done) == 3
    two_open = step_states([_event(5, "in-progress", "2026-01-01"), _event(3, "in-progress", "2026-02-01")])
    assert current_of(two_open) == 3
    all_done = step_states([_event(n, "done", "2026-01-01") for n in range(1, 13)])
    assert current_of(all_done) is None


def test_step_progress_and_current_step_functions(cli):
    from recoverylog.clock import clock_from_env
    from recoverylog.services.steps import current_step, step_progress
    from recoverylog.storage.db import open_store
    from recoverylog.storage.paths import resolve_db_path

    cli("step", "1", "--status", "in-progress", "--program", "CA", "--note", "private", ok=True)
    store = open_store(resolve_db_path(None), clock_from_env())
    try:
        progress = step_progress(store)
        current = current_step(store)
    finally:
        store.close()
    assert progress.program == "CA" and all(s.note is None for s in progress.steps)
    assert (current.program, current.step, current.status, str(current.since)) == ("CA", 1, "in-progress", "2026-11-21")
