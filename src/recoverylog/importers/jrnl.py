"""The JSON that `jrnl --export json` writes (docs/definitions.md §11).

Shape (jrnl 4.x): {"tags": {tag: count}, "entries": [{"title", "body", "date": "YYYY-MM-DD",
"time": "HH:MM", "tags": ["#tag", "@tag"], "starred"}]}. Each entry becomes text of the check-in
note of its date; several on one day are joined in time order; tags lose their # or @.
"""

from __future__ import annotations

import json
import re
from datetime import date

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
    tag_word,
)

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse(data: bytes, label: str, today: date) -> ImportPlan:
    try:
        doc = json.loads(decode(data, label))
    except (json.JSONDecodeError, RecursionError):
        raise InputError(f"{label} is not valid JSON; export it with `jrnl --export json > FILE`. "
                         "Nothing was imported.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise InputError(f"{label} is not a jrnl JSON export (no \"entries\" list). Nothing was imported.")
    by_day: dict[date, list[tuple[str, str | None, list[str]]]] = {}
    for index, entry in enumerate(doc["entries"], start=1):
        where = f"entry {index}"
        if not isinstance(entry, dict):
            raise InputError(f"{label}, {where}: not an object. Nothing was imported.")
        for key in ("title", "body", "date", "time"):
            if not isinstance(entry.get(key, ""), str):
                raise InputError(f"{label}, {where}: {key!r} is not text. Nothing was imported.")
        tags = entry.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InputError(f"{label}, {where}: 'tags' is not a list of words. Nothing was imported.")
        day = parse_iso_day(entry.get("date", ""), label, where)
        check_not_future(label, where, day, today)
        moment = (entry.get("time") or "").strip()
        if moment and not _HHMM.match(moment):
            raise InputError(f"{label}, {where}: {moment[:10]!r} is not a time (HH:MM). Nothing was imported.")
        title, body = clean_text(entry.get("title")), clean_text(entry.get("body"))
        text = " ".join(p for p in (title, body) if p) or None
        by_day.setdefault(day, []).append((moment, text, [t for t in (tag_word(x) for x in tags) if t]))
    days = []
    for day in sorted(by_day):
        items = sorted(by_day[day], key=lambda e: e[0])  # stable: same-minute entries keep file order
        tags: list[str] = []
        for item in items:
            tags += [t for t in item[2] if t not in tags]
        note = check_note(label, day.isoformat(), join_notes([i[1] for i in items if i[1]]))
        days.append(DayEntry(date=day, note=note, tags=tuple(tags)))
    return ImportPlan(source="jrnl", label=label, days=tuple(days), rows_read=len(doc["entries"]))
