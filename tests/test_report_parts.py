"""`report` computes the self-assessment and medication section only when the journal holds an
assessment or a medication (storage/presence.py): every format is the one computed with it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from loaded_modules import loaded_modules
from test_status_parts import ACTIONS, _journal

FORMATS = [["--format", "json"], ["--format", "markdown"], []]
PERIODS = [["--week"], ["--month"], [], ["--since", "2026-10-01", "--until", "2026-11-20"]]


def _report(db: Path, argv: list[str]) -> str:
    from recoverylog.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(db), "report", *argv])
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, max_size=5), days=st.lists(st.integers(-3, 60), min_size=5, max_size=5),
       fmt=st.sampled_from(FORMATS), period=st.sampled_from(PERIODS))
def test_leaving_out_an_empty_health_section_changes_no_report(actions, days, fmt, period, monkeypatch):
    from recoverylog.storage import presence

    with tempfile.TemporaryDirectory() as folder:
        db = _journal(Path(folder), actions, days)
        quick = _report(db, [*period, *fmt])
        with monkeypatch.context() as m:
            m.setattr(presence, "parts_with_rows", lambda store: frozenset(presence.PARTS))
            full = _report(db, [*period, *fmt])
    event("health rows" if any(a[0] in ("med", "assess") for a in actions) else "no health rows")
    assert quick == full


def _imports(db: Path, folder: Path) -> list[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERYLOG_", "COLUMNS"))}
    env.update(RECOVERYLOG_HOME=str(folder / "home"), RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00",
               RECOVERYLOG_NO_PROMPT="1", NO_COLOR="1")
    return loaded_modules(env, ["--db", str(db), "report", "--week"],
                          ("recoverylog.reports.health", "recoverylog.render.health"))


@pytest.mark.parametrize("action", [("med", "add", "naltrexone"),
                                    ("assess", "phq9", "--answers", "1,1,1,1,0,0,0,0,0", "--date", "{day}")])
def test_the_report_loads_the_health_section_only_for_a_journal_with_one(tmp_path, action):
    plain = _journal(tmp_path, [], [])
    assert _imports(plain, tmp_path) == []
    (tmp_path / "h").mkdir()
    held = _journal(tmp_path / "h", [action], [1])
    assert _imports(held, tmp_path) == ["recoverylog.render.health", "recoverylog.reports.health"]
