"""The daily check-in: validate, merge into the date's check-in, keep a revision."""

from __future__ import annotations

import math
from dataclasses import field
from datetime import date
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import checkins as checkin_rows
from recoverylog.storage.db import Store

HALT_WORDS = ("hungry", "angry", "lonely", "tired")
MAX_TEXT_CHARS = 20_000  # a long journal entry fits; a pasted file does not
MAX_TAG_CHARS = 40
FIELDS = ("mood", "craving", "stress", "sleep", "halt", "gratitude", "note", "tags")


@record
class CheckinInput:
    date: date
    mood: int | None = None
    craving: int | None = None
    stress: int | None = None
    sleep: float | None = None
    halt: tuple[str, ...] | None = None
    gratitude: str | None = None
    note: str | None = None
    tags: tuple[str, ...] | None = None

    def given(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS if getattr(self, name) is not None}


@record
class CheckinResult:
    date: date
    checkin: dict[str, Any]
    created: bool
    changed_fields: tuple[str, ...]
    backfilled: bool
    extras: dict[str, Any] = field(default_factory=dict)  # what feature hooks recorded (uses, meetings…)


def _check_int(name: str, value: int | None, low: int, high: int, scale: str) -> None:
    if value is not None and not low <= value <= high:
        raise InputError(f"--{name} {value} is out of range: use {low}–{high} ({scale}).")


def parse_halt(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    words = [w.strip().lower() for w in text.replace(" ", ",").split(",") if w.strip()]
    if text.strip().lower() in ("none", "no", ""):
        return ()
    unknown = [w for w in words if w not in HALT_WORDS]
    if unknown:
        raise InputError(f"Unknown HALT word {unknown[0]!r}: use any of hungry, angry, lonely, tired "
                         "(comma-separated), or 'none'.")
    return tuple(w for w in HALT_WORDS if w in words)


def _require_utf8(name: str, text: str) -> None:
    """Bytes that are not UTF-8 reach us as lone surrogates (argv and stdin use
    surrogateescape); SQLite cannot store them, so refuse them before any write."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"The {name} is not valid UTF-8 text (was it a binary file?); nothing was saved.") from None


def clean_text(name: str, text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    _require_utf8(name, text)
    if "\x00" in text:
        raise InputError(f"The {name} contains a NUL byte; nothing was saved.")
    from recoverylog.textcheck import check_text

    check_text(text, name)  # control characters refused as everywhere (docs/definitions.md §12)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"The {name} is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}. "
                         "Nothing was saved. Shorten it or split it over days.")
    return text or None


def clean_tags(tags: list[str] | tuple[str, ...] | None) -> tuple[str, ...] | None:
    if not tags:
        return None
    out: list[str] = []
    for tag in tags:
        _require_utf8("tag", tag)
        for word in tag.split(","):
            word = word.strip().lstrip("#").lower()
            if not word:
                continue
            if len(word) > MAX_TAG_CHARS or any(c.isspace() for c in word):
                raise InputError(f"Tag {word[:MAX_TAG_CHARS]!r} must be one word of at most {MAX_TAG_CHARS} characters.")
            if word not in out:
                out.append(word)
    return tuple(out)


def validate(entry: CheckinInput) -> None:
    _check_int("mood", entry.mood, 1, 10, "1 = worst, 10 = best")
    _check_int("craving", entry.craving, 0, 10, "0 = none, 10 = strongest")
    _check_int("stress", entry.stress, 0, 10, "0 = none, 10 = most")
    if entry.sleep is not None and (math.isnan(entry.sleep) or not 0 <= entry.sleep <= 24):
        raise InputError(f"--sleep {entry.sleep:g} is out of range: use hours from 0 to 24.")


def missing_required(store: Store, entry: CheckinInput) -> list[str]:
    """Mood and craving are required for a check-in unless the date's check-in already has them."""
    existing = checkin_rows.get(store, entry.date) or {}
    return [name for name in ("mood", "craving")
            if getattr(entry, name) is None and existing.get(name) is None]


def save_checkin(store: Store, entry: CheckinInput, hooks: list | None = None) -> CheckinResult:
    """Merge `entry` into the date's check-in in one transaction.

    Given fields replace, the others stay; the previous values are kept as a revision.
    `hooks` are callables (conn, date) -> (key, value) run in the same transaction, so that
    use records, meetings and outreach logged with a check-in land with it or not at all.
    """
    validate(entry)
    missing = missing_required(store, entry)
    if missing:
        flags = " and ".join(f"--{m}" for m in missing)
        raise UsageError(f"A check-in needs {' and '.join(missing)}: give {flags} "
                         "(mood 1–10, craving 0–10). Nothing was saved.")
    stamp, today = store.stamp()
    extras: dict[str, Any] = {}
    with store.write() as conn:
        existing = checkin_rows.get_in(conn, entry.date)
        given = entry.given()
        if existing is None:
            row = {name: None for name in FIELDS} | {"halt": [], "tags": []}
            row |= {k: (list(v) if isinstance(v, tuple) else v) for k, v in given.items()}
            row |= {"date": entry.date.isoformat(), "recorded_at": stamp, "recorded_on": today,
                    "updated_at": stamp}
            changed = tuple(given)
            checkin_rows.upsert(conn, row)
        else:
            row = dict(existing)
            for key, value in given.items():
                row[key] = list(value) if isinstance(value, tuple) else value
            changed = tuple(k for k in given if row[k] != existing[k])
            if changed:
                store.add_revision(conn, "checkin", entry.date.isoformat(), "update", existing)
                row["updated_at"] = stamp
                checkin_rows.upsert(conn, row)
        for hook in hooks or []:
            key, value = hook(conn, entry.date)
            extras[key] = value
    return CheckinResult(
        date=entry.date,
        checkin=row,
        created=existing is None,
        changed_fields=changed,
        backfilled=row["recorded_on"] > row["date"],
        extras=extras,
    )


def delete_checkin(store: Store, day: date) -> dict[str, Any]:
    with store.write() as conn:
        existing = checkin_rows.get_in(conn, day)
        if existing is None:
            raise NotFoundError(f"There is no check-in for {day.isoformat()}; nothing was deleted.")
        store.add_revision(conn, "checkin", day.isoformat(), "delete", existing)
        checkin_rows.delete(conn, day)
    return existing


def undo_checkin(store: Store, day: date) -> tuple[str, dict[str, Any]]:
    """Undo the last change to a date's check-in: restore a deleted check-in, or the
    values before the last edit. Repeated undos step further back. Nothing is lost:
    the state being undone is itself kept as a revision (action 'undo')."""
    import json

    with store.write() as conn:
        target = None
        skip = 0
        for rev in checkin_rows.revisions_desc(conn, day):
            if rev["action"] == "undo":
                skip += 1
            elif skip:
                skip -= 1
            else:
                target = rev
                break
        if target is None:
            raise NotFoundError(f"Nothing to undo for {day.isoformat()}: its check-in has no earlier version.")
        current = checkin_rows.get_in(conn, day)
        if target["action"] == "delete" and current is not None:
            raise UsageError(f"{day.isoformat()} has a check-in again since it was deleted; "
                             "change it with `recoverylog checkin --date` instead.")
        store.add_revision(conn, "checkin", day.isoformat(), "undo",
                           current if current is not None else {"deleted": True})
        before = json.loads(target["data"])
        checkin_rows.upsert(conn, before)
    return ("restored" if target["action"] == "delete" else "reverted"), checkin_rows.row_to_dict(before)
