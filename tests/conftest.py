"""Shared fixtures: every test runs with its own HOME, no RECOVERYLOG_* from the
outside, a pinned clock, no prompts and a fixed terminal width."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

# Saturday 21 November 2026, 10:00 in a fixed UTC offset (tests that need another moment
# pass RECOVERYLOG_NOW themselves).
DEFAULT_NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for key in list(os.environ):
        if key.startswith("RECOVERYLOG_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("RECOVERYLOG_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("RECOVERYLOG_NOW", DEFAULT_NOW)
    monkeypatch.setenv("RECOVERYLOG_NO_PROMPT", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    # Never the machine's real OS keyring (encryption's --remember): tests that need one set their own.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "recoverylog.db"


class Cli:
    """Runs recoverylog commands in-process, as a person would type them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.runner = CliRunner()
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, input: str | None = None, now: str | None = None, ok: bool | None = None):
        from recoverylog.cli.app import app

        if now:
            self.monkeypatch.setenv("RECOVERYLOG_NOW", now)
        result = self.runner.invoke(app, [str(a) for a in args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if ok is True:
            assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result

    def json(self, *args: str, **kwargs):
        result = self(*args, ok=True, **kwargs)
        return json.loads(result.stdout)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(monkeypatch)


@pytest.fixture
def empty_journal(db_path: Path) -> Path:
    """A journal that exists and holds nothing (read commands on a missing file exit 3)."""
    from recoverylog.clock import clock_from_env
    from recoverylog.storage.db import open_store

    open_store(db_path, clock_from_env()).close()
    return db_path
