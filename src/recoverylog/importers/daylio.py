"""Daylio's CSV export (docs/definitions.md §11).

Columns, read by name: `full_date` (YYYY-MM-DD), `time` ("6:50 pm" or "18:50"), `mood`,
`activities` (separated by " | "), `note_title` (newer exports) and `note`; `date` and `weekday`
are display copies and ignored. Daylio lists several entries a day, newest first.
"""

from __future__ import annotations

import re
from datetime import date, time

from recoverylog.errors import InputError
from recoverylog.importers import (
    DayEntry,
    ImportPlan,
    check_not_future,
    check_note,
    clean_text,
    decode,
    join_notes,
    parse_iso_day,
    read_csv_rows,
    tag_word,
)

# Daylio's five default moods, worst to best, spread evenly over 1–10 with the ends kept:
# 1 + (level − 1) × 9/4, rounded half up (docs/definitions.md §11).
DEFAULT_MOODS = {"awful": 1, "bad": 3, "meh": 6, "good": 8, "rad": 10}
REQUIRED = ("full_date", "time", "mood")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_mood_map(items: list[str] | None) -> dict[str, int]:
    """`--mood-map NAME=N` (N 1–10), for moods renamed or added in Daylio."""
    out: dict[str, int] = {}
    for item in items or []:
        name, sep, value = item.rpartition("=")
        name = " ".join(name.split()).lower()
        if not sep or not name:
            raise InputError(f"--mood-map {item!r}: write it as NAME=N, e.g. --mood-map 'super good=9'.")
        try:
            number = int(value.strip())
        except ValueError:
            raise InputError(f"--mood-map {item!r}: {value.strip()!r} is not a whole number 1–10.") from None
        if not 1 <= number <= 10:
            raise InputError(f"--mood-map {item!r}: {number} is out of range; mood is 1–10 (10 = best).")
        out[name] = number
    return out


def parse_time(text: str, label: str, where: str) -> time:
    match = _TIME.match((text or "").strip())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2)), (match.group(3) or "").lower()
        if half:
            if 1 <= hour <= 12:
                hour = hour % 12 + (12 if half == "p" else 0)
            else:
                hour = 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise InputError(f"{label}, {where}: {text.strip()[:20]!r} is not a time (like '6:50 pm' or '18:50'). "
                     "Nothing was imported.")


def mean_mood(values: list[int]) -> int:
    """One mood for a day with several entries: their mean, rounded half up."""
    return int(sum(values) / len(values) + 0.5)


def parse(data: bytes, label: str, today: date, mood_map: dict[str, int] | None = None) -> ImportPlan:
    rows = read_csv_rows(decode(data, label), label)
    if not rows:
        raise InputError(f"{label} is empty. Nothing was imported.")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{label} is not a Daylio CSV export: no {', '.join(missing)} column "
                         f"(expected full_date,date,weekday,time,mood,activities,note_title,note). Nothing was imported.")
    col = {name: header.index(name) for name in header}
    moods = DEFAULT_MOODS | (mood_map or {})
    entries: dict[date, list[tuple[time, int, tuple[str, ...], str | None]]] = {}
    unknown: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = f"line {number}"
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))

        def cell(name: str, row: list[str] = row) -> str:
            return row[col[name]] if name in col else ""

        day = parse_iso_day(cell("full_date"), label, where)
        check_not_future(label, where, day, today)
        moment = parse_time(cell("time"), label, where)
        mood_name = " ".join(cell("mood").split()).lower()
        if mood_name not in moods:
            unknown[mood_name] = unknown.get(mood_name, number)
            continue
        tags = tuple(t for t in (tag_word(a) for a in cell("activities").split("|")) if t)
        title, note = clean_text(cell("note_title")), clean_text(cell("note"))
        text = "\n".join(p for p in (title, note) if p) or None
        entries.setdefault(day, []).append((moment, moods[mood_name], tags, text))
    if unknown:
        names = ", ".join(f"{n!r} (line {line})" for n, line in list(unknown.items())[:5])
        raise InputError(f"{label}: unknown mood {names}. Map each to 1–10 with --mood-map NAME=N "
                         f"(the defaults are {', '.join(f'{k}={v}' for k, v in DEFAULT_MOODS.items())}). "
                         "Nothing was imported.")
    days = []
    for day in sorted(entries):
        items = sorted(entries[day], key=lambda e: e[0])
        tags: list[str] = []
        for item in items:
            tags += [t for t in item[2] if t not in tags]
        note = check_note(label, day.isoformat(), join_notes([i[3] for i in items if i[3]]))
        days.append(DayEntry(date=day, mood=mean_mood([i[1] for i in items]), note=note, tags=tuple(tags)))
    return ImportPlan(source="daylio", label=label, days=tuple(days), rows_read=len(rows) - 1)
