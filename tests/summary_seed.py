"""Helpers for the export/review tests: seed a person's log through the CLI, as they would type it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

NOTE = "private note <script>alert(1)</script> about work"
GRATITUDE = "grateful-for-Rexdog"
TAG = "tagzebra"
MEETING_NOTE = "meeting-note-secret"
STEP_NOTE = "step-note-secret"
PHONE = "+1 555 0199"
CONTACT = "Quillon"
LOCATION = "12 Elmwood Street"
VERIFIER = "J.Q."


def seed_person(cli, db: Path, *, end: date = date(2026, 11, 21), days: int = 10, moods=None, cravings=None,
                used_on: tuple[int, ...] = (), skip: tuple[int, ...] = (), goal: str = "abstain",
                amounts: dict[int, float] | None = None, meetings: tuple[int, ...] = (1, 4, 8),
                requirement: int | None = 2) -> None:
    """`days` days ending at `end`; index 0 is the first day. Substance 'alcohol' (drinks)."""
    start = end - timedelta(days=days - 1)
    base = ["--db", str(db)]
    limits = ["--max-per-day", "2"] if goal == "reduce" else []
    cli(*base, "substance", "add", "alcohol", "--unit", "drinks", "--goal", goal, *limits,
        "--last-use", (start - timedelta(days=40)).isoformat(), ok=True)
    cli(*base, "contact", "add", CONTACT, "--role", "sponsor", "--phone", PHONE, ok=True)
    if requirement:
        cli(*base, "meeting", "requirement", "add", "court", "--count", str(requirement), "--per", "week",
            "--start", (start - timedelta(days=14)).isoformat(), ok=True)
    moods = moods or [6] * days
    cravings = cravings or [3] * days
    amounts = amounts or {}
    for i in range(days):
        if i in skip:
            continue
        day = (start + timedelta(days=i)).isoformat()
        use = ["--used", f"alcohol:{amounts.get(i, 3)}"] if i in used_on else ["--sober"]
        cli(*base, "checkin", "--date", day, "--mood", str(moods[i]), "--craving", str(cravings[i]),
            "--sleep", "7", "--halt", "tired", "--note", NOTE, "--gratitude", GRATITUDE, "--tag", TAG, *use, ok=True)
    for i in meetings:
        cli(*base, "meeting", "add", "Thursday Step Group", "--date", (start + timedelta(days=i)).isoformat(),
            "--fellowship", "AA", "--format", "in-person", "--location", LOCATION, "--note", MEETING_NOTE,
            "--verification", "initials", "--verified-by", VERIFIER, ok=True)
    cli(*base, "reached-out", CONTACT, "--date", end.isoformat(), "--how", "call", ok=True)
    cli(*base, "step", "4", "--status", "in-progress", "--program", "AA", "--date", end.isoformat(),
        "--note", STEP_NOTE, ok=True)


def export_json(cli, db: Path, out: Path, *extra: str) -> dict:
    cli("--db", str(db), "export", "-f", "json", "-o", str(out), *extra, ok=True)
    return json.loads(out.read_text(encoding="utf-8"))


class _OnceCli:
    """Runs commands outside the function-scoped fixtures (for module-scoped seeding)."""

    def __call__(self, *args, ok=None):
        from typer.testing import CliRunner

        from recoverylog.cli.app import app

        result = CliRunner().invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, (args, result.stderr)
        return result


def seeded_once(folder: Path, name: str, **kwargs) -> Path:
    """Seed a database once (pinned clock, no prompts); tests copy it so each gets its own file."""
    import os

    keys = ("RECOVERYLOG_NOW", "RECOVERYLOG_NO_PROMPT", "RECOVERYLOG_HOME")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(RECOVERYLOG_NOW="2026-11-21T10:00:00+00:00", RECOVERYLOG_NO_PROMPT="1",
                      RECOVERYLOG_HOME=str(folder / "home"))
    try:
        db = folder / f"{name}.db"
        seed_person(_OnceCli(), db, **kwargs)
        return db
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def copy_db(template: Path, target: Path) -> Path:
    import shutil

    shutil.copyfile(template, target)
    return target
