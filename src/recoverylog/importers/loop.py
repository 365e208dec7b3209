"""Loop Habit Tracker's CSV export: the zip it writes, or the `Checkmarks.csv` inside it
(docs/definitions.md §11).

`Checkmarks.csv` (top level of the zip): a header `Date,<habit>,<habit>,…` and one row per day,
newest first, dates YYYY-MM-DD, one value per habit. Loop 2.x writes names (YES_MANUAL, YES_AUTO,
NO, SKIP, UNKNOWN); earlier versions wrote the numbers (2, 1, 0, 3 or -3, -1). Only YES_MANUAL — the
person ticked the day — is a record. YES_AUTO (not expected that day), NO, SKIP and UNKNOWN say
nothing about use or meetings, so those days stay unrecorded.
"""

from __future__ import annotations

import io
from datetime import date

from recoverylog.errors import InputError
from recoverylog.importers import (
    MAX_IMPORT_BYTES,
    ImportPlan,
    MeetingEntry,
    UseEntry,
    check_not_future,
    clean_text,
    decode,
    parse_iso_day,
    read_csv_rows,
)
from recoverylog.records import record

CHECKED = {"YES_MANUAL", "2"}
NOT_A_RECORD = {"YES_AUTO", "NO", "SKIP", "UNKNOWN", "1", "0", "3", "-3", "-1", ""}


@record
class HabitMeaning:
    habit: str                      # as typed (matched case-insensitively)
    kind: str                       # "meetings" | "substance"
    substance: str | None = None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_habit_options(items: list[str] | None) -> list[HabitMeaning]:
    """`--habit NAME=meetings` or `--habit NAME=substance:SUBSTANCE`."""
    out: list[HabitMeaning] = []
    for item in items or []:
        name, sep, meaning = item.rpartition("=")
        name = " ".join(name.split())
        kind, _, substance = meaning.strip().partition(":")
        kind = kind.strip().lower()
        if not sep or not name or kind not in ("meetings", "substance") or (kind == "substance") != bool(substance.strip()):
            raise InputError(f"--habit {item!r}: write NAME=meetings or NAME=substance:SUBSTANCE, "
                             "e.g. --habit 'No drinking=substance:alcohol' --habit 'Meeting=meetings'.")
        if any(_key(m.habit) == _key(name) for m in out):
            raise InputError(f"--habit {name!r} is given twice; give each habit one meaning.")
        out.append(HabitMeaning(name, kind, " ".join(substance.split()) or None))
    return out


def checkmarks_text(data: bytes, label: str) -> str:
    """The text of Checkmarks.csv, from the zip Loop writes or from the CSV itself."""
    if data[:4] == b"PK\x03\x04":
        import zipfile

        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            member = next((i for i in archive.infolist() if i.filename == "Checkmarks.csv"), None)
            if member is None:
                raise InputError(f"{label} is a zip without a top-level Checkmarks.csv; is it Loop's "
                                 "'Export as CSV' file? Nothing was imported.")
            if member.file_size > MAX_IMPORT_BYTES:
                raise InputError(f"{label}: Checkmarks.csv is too large to be an export. Nothing was imported.")
            return decode(archive.read(member), f"{label}:Checkmarks.csv")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
            raise InputError(f"{label} is a damaged zip file ({exc}). Nothing was imported.") from None
    return decode(data, label)


def parse(data: bytes, label: str, today: date, habits: list[HabitMeaning]) -> ImportPlan:
    rows = read_csv_rows(checkmarks_text(data, label), label)
    if not rows or rows[0][0].strip().lower() != "date" or len(rows[0]) < 2:
        raise InputError(f"{label} is not Loop's Checkmarks.csv (its first column is Date, then one column "
                         "per habit). Nothing was imported.")
    header = [clean_text(h) or "" for h in rows[0]]
    while header and header[-1] == "":          # Loop ends every line with a delimiter
        header.pop()
    names = header[1:]
    found = {_key(n): i for i, n in enumerate(names, start=1)}
    if not habits:
        raise InputError(f"{label}: say what each habit means with --habit, e.g. --habit "
                         f"'{names[0]}=meetings' or --habit '{names[0]}=substance:alcohol'. "
                         f"Habits in the file: {', '.join(repr(n) for n in names)}.")
    missing = [m.habit for m in habits if _key(m.habit) not in found]
    if missing:
        raise InputError(f"{label} has no habit {missing[0]!r}. Habits in the file: "
                         f"{', '.join(repr(n) for n in names)}. Nothing was imported.")
    uses, meetings = [], []
    skipped = 0
    for number, row in enumerate(rows[1:], start=2):
        where = f"line {number}"
        day = parse_iso_day(row[0], label, where)
        for meaning in habits:
            column = found[_key(meaning.habit)]
            value = row[column].strip().upper() if column < len(row) else ""
            if value in CHECKED:
                check_not_future(label, where, day, today)
                if meaning.kind == "meetings":
                    meetings.append(MeetingEntry(date=day, name=names[column - 1]))
                else:
                    uses.append(UseEntry(substance=meaning.substance or "", date=day, used=False))
            elif value in NOT_A_RECORD:
                skipped += 1
            else:
                raise InputError(f"{label}, {where}: {meaning.habit!r} has the value {value[:12]!r}; only yes/no "
                                 "habits can be imported (a measurable habit's numbers are not use records). "
                                 "Nothing was imported.")
    uses.sort(key=lambda u: (u.substance.casefold(), u.date))
    meetings.sort(key=lambda m: (m.date, m.name))
    return ImportPlan(source="loop", label=label, uses=tuple(uses), meetings=tuple(meetings),
                      rows_read=len(rows) - 1, skipped={"not ticked": skipped})
