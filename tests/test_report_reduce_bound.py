"""A period report (and the summaries built from it) reads each substance's report as of the
period's end without a reduce goal's progress over all of history, which none of them shows (a
reduce goal's figures there are the window's own): every format is the one computed with it."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from test_cross_screen import _build, histories

COMMANDS = [["report", "--format", "json"], ["report", "--format", "markdown"], ["report"],
            ["report", "--month", "--format", "json"],
            ["export", "--format", "json"], ["export", "--format", "html"], ["export", "--format", "markdown"],
            ["export", "--format", "csv"], ["export", "--profile", "care", "--format", "json"]]


def _run(db: Path, argv: list[str]) -> str:
    from recoverylog.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(db), *argv])
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(history=histories(), command=st.sampled_from(COMMANDS))
def test_no_output_needs_the_history_wide_reduce_progress(history, command, monkeypatch):
    from recoverylog.reports import report, sobriety

    start, end, *_ = history
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "h.db"
        _build(db, *history)
        monkeypatch.setenv("RECOVERYLOG_NOW", datetime(end.year, end.month, end.day, 20, tzinfo=UTC).isoformat())
        bounded = _run(db, command)
        with monkeypatch.context() as m:
            m.setattr(report, "load_tracked",
                      lambda store, as_of, substances=None, **_: sobriety.load_tracked(store, as_of, substances))
            full = _run(db, command)
    assert bounded == full


def test_the_reports_inside_a_period_report_leave_the_reduce_progress_out(tmp_path):
    from recoverylog.clock import FixedClock
    from recoverylog.reports.period import Period
    from recoverylog.reports.report import build_report
    from recoverylog.services.demo import write_demo
    from recoverylog.storage.db import open_store

    store = open_store(tmp_path / "d.db", FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC)))
    write_demo(store, 60, seed=3)
    from datetime import date

    result = build_report(store, Period(date(2026, 11, 16), date(2026, 11, 21)), date(2026, 11, 21))
    goals = {r.goal: r for r in result.substance_reports}
    assert "reduce" in goals and goals["reduce"].reduce is None
    assert any(s.goal == "reduce" and s.reduce is not None for s in result.substances)   # the window's own
    store.close()
