"""Imports from other apps (docs/definitions.md §11).

Each app has a module here with a pure `parse(...) -> ImportPlan`: it reads the whole file,
checks every row and returns typed records, or raises InputError naming the first bad line.
Nothing here opens the database; `services/imports.py` writes a plan in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import field
from datetime import date
from pathlib import Path

from recoverylog.errors import InputError
from recoverylog.records import record

SOURCES = ("daylio", "jrnl", "loop", "tlfb")
MAX_IMPORT_BYTES = 64 * 1024 * 1024       # ten years of daily entries is a few MB
MAX_NOTE_CHARS = 20_000                  # the check-in note limit (services.checkin.MAX_TEXT_CHARS)
MAX_TAG_CHARS = 40

# Escape sequences first: otherwise the ESC alone is removed and "[31m" is left behind.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_TAG = re.compile(r"[^\w]+", re.UNICODE)


@record
class DayEntry:
    """What a file says about one date's check-in (None: the file says nothing)."""
    date: date
    mood: int | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()


@record
class UseEntry:
    """One date × substance: used yes/no and an amount (None: not given)."""
    substance: str
    date: date
    used: bool
    amount: float | None = None


@record
class MeetingEntry:
    date: date
    name: str


@record
class ImportPlan:
    source: str
    label: str                                  # the file as the person named it
    days: tuple[DayEntry, ...] = ()
    uses: tuple[UseEntry, ...] = ()
    meetings: tuple[MeetingEntry, ...] = ()
    rows_read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)   # reason -> rows not imported (e.g. unchecked days)


def read_bytes(path: Path, label: str) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"{label} is a folder; give the exported file.")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise InputError(f"{label} is {size:,} bytes; an export this large is not one of ours to read "
                             f"(limit {MAX_IMPORT_BYTES:,}). Nothing was imported.")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: no such file.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {label}: {exc.strerror}.") from None


def decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label} is not UTF-8 text (byte {exc.start}); is it the exported file? "
                         "Nothing was imported.") from None


def clean_text(text: str | None) -> str | None:
    """Text from a file: control characters and escape codes removed, ends trimmed."""
    if text is None:
        return None
    if "\x00" in text:
        text = text.replace("\x00", "")
    out = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return out or None


def tag_word(text: str) -> str | None:
    """An activity or tag from another app as one of our tags: lower case, one word,
    runs of spaces and punctuation become '-' ('movies / tv' → 'movies-tv')."""
    word = _NOT_TAG.sub("-", clean_text(text.lstrip("#@")) or "").strip("-_").lower()
    return word[:MAX_TAG_CHARS].rstrip("-") or None


def join_notes(parts: list[str]) -> str | None:
    """Several entries of one day, in time order, separated by a blank line."""
    text = "\n\n".join(p for p in parts if p)
    return text or None


def check_note(label: str, where: str, note: str | None) -> str | None:
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise InputError(f"{label}, {where}: the note is {len(note):,} characters; the limit is "
                         f"{MAX_NOTE_CHARS:,}. Nothing was imported.")
    return note


def check_not_future(label: str, where: str, day: date, today: date) -> None:
    if day > today:
        raise InputError(f"{label}, {where}: {day.isoformat()} is in the future (today is {today.isoformat()}); "
                         "only days that have happened can be imported. Nothing was imported.")


def parse_iso_day(text: str, label: str, where: str) -> date:
    raw = (text or "").strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{label}, {where}: {raw[:40]!r} is not a date (YYYY-MM-DD). Nothing was imported.") from None


def read_csv_rows(text: str, label: str) -> list[list[str]]:
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(f"{label} is not a readable CSV file ({exc}). Nothing was imported.") from None
    return [r for r in rows if any(cell.strip() for cell in r)]


def plan_counts(plan: ImportPlan) -> dict[str, int]:
    return {"days": len(plan.days), "uses": len(plan.uses), "meetings": len(plan.meetings)}
