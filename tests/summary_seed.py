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
