"""Meetings and attendance requirements (docs/definitions.md §6): validate, fill in the usual details, write.

Everything is checked before `store.write()` opens its transaction, so bad input stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import field, replace
from datetime import date, datetime, timedelta
from typing import Any

from recoverylog.errors import InputError, NotFoundError, UsageError
from recoverylog.records import record
from recoverylog.storage import meetings as meeting_rows
from recoverylog.storage import requirements as requirement_rows
from recoverylog.storage.db import Store

FELLOWSHIPS = ("AA", "NA", "CA", "CMA", "MA", "HA", "SMART", "LifeRing", "WFS", "RecoveryDharma", "Refuge",
               "CelebrateRecovery", "AllRecovery", "DRA", "other")
FELLOWSHIP_NAMES = {"AA": "Alcoholics Anonymous", "NA": "Narcotics Anonymous", "CA": "Cocaine Anonymous",
                    "CMA": "Crystal Meth Anonymous", "MA": "Marijuana Anonymous", "HA": "Heroin Anonymous",
                    "SMART": "SMART Recovery", "LifeRing": "LifeRing Secular Recovery",
                    "WFS": "Women for Sobriety", "RecoveryDharma": "Recovery Dharma",
                    "Refuge": "Refuge Recovery", "CelebrateRecovery": "Celebrate Recovery",
                    "AllRecovery": "All Recovery", "DRA": "Dual Recovery Anonymous"}
FORMATS = ("in-person", "online", "phone", "hybrid")
ROLES = ("attended", "shared", "chaired", "service")
VERIFICATIONS = ("none", "signature", "initials", "email", "pathcheck", "certificate")
PERS = ("week", "month")
WEEK_STARTS = ("monday", "sunday")

# Details that belong to the meeting itself (the same every week), filled in from the
# last time a meeting of the same name was logged. Verification never is: each is its own fact.
USUAL_DETAILS = ("fellowship", "format", "location", "online_id", "group_number", "time", "minutes", "home_group")
TEXT_LIMITS = {"name": 100, "location": 200, "online_id": 100, "group_number": 40, "ref": 60, "note": 2000,
               "label": 60}
MAX_MINUTES = 24 * 60
MAX_VERIFIER_CHARS = 20
MAX_REQUIRED = 100

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_LETTER = r"[^\W\d_]"
_INITIALS = re.compile(rf"^(?:{_LETTER}\.? ?){{1,3}}$")
_FIRST_NAME = rf"{_LETTER}+(?:['’\-]{_LETTER}+)*"
_FIRST_WITH_INITIAL = re.compile(rf"^{_FIRST_NAME}(?: {_LETTER}\.?)?$")
_NAME_WORDS = re.compile(rf"^{_FIRST_NAME}(?: {_FIRST_NAME}\.?)+$")


@record
class MeetingInput:
    """What a person typed; None means "not given" (so it may be filled in or left as is)."""

    name: str | None = None
    date: date | None = None
    time: str | None = None
    minutes: int | None = None
    fellowship: str | None = None
    format: str | None = None
    location: str | None = None
    online_id: str | None = None
    group_number: str | None = None
    role: str | None = None
    home_group: bool | None = None
    verification: str | None = None
    verified_by: str | None = None
    ref: str | None = None
    note: str | None = None

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@record
class MeetingSaved:
    meeting: dict[str, Any]
    filled_from: date | None = None          # the earlier meeting the usual details came from
    filled_fields: tuple[str, ...] = ()
    changed_fields: tuple[str, ...] = ()


# -- single values -----------------------------------------------------------

def _choice(flag: str, value: str, options: tuple[str, ...]) -> str:
    word = value.strip().lower()
    for option in options:
        if word == option.lower():
            return option
    raise InputError(f"Unknown {flag} {value!r}: use {', '.join(options)}.")


def canonical_fellowship(text: str) -> str:
    """AA, na, 'Recovery Dharma', 'women for sobriety' … → the canonical spelling."""
    key = re.sub(r"[\s\-_.]", "", text).lower()
    for short in FELLOWSHIPS:
        if key == short.lower() or key == re.sub(r"\s", "", FELLOWSHIP_NAMES.get(short, short)).lower():
            return short
    raise InputError(f"Unknown fellowship {text.strip()!r}: use one of {', '.join(FELLOWSHIPS)} "
                     "(any spelling case; 'other' for any other group).")


def parse_time(text: str) -> str:
    """A 24-hour start time HH:MM (9:30 is read as 09:30)."""
    match = _TIME.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"--time {text.strip()!r} is not a 24-hour time: use HH:MM from 00:00 to 23:59 "
                         "(e.g. 19:30).")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def check_minutes(minutes: int) -> int:
    if not 0 < minutes <= MAX_MINUTES:
        raise InputError(f"--minutes {minutes} is out of range: a meeting lasts from 1 to {MAX_MINUTES} minutes.")
    return minutes


def clean_line(what: str, text: str, *, empty_ok: bool = False) -> str | None:
    """One line of text: whitespace collapsed, control characters refused, length capped."""
    from recoverylog.textcheck import check_text

    check_text(text.replace("\r", " "), what)  # docs/definitions.md §12
    value = " ".join(text.split())
    limit = TEXT_LIMITS.get(what.replace(" ", "_"), 200)
    if len(value) > limit:
        raise InputError(f"The {what} is {len(value)} characters; the limit is {limit}. Nothing was saved.")
    if not value and not empty_ok:
        raise InputError(f"The {what} is empty.")
    return value or None


def check_verifier(text: str) -> str:
    """A first name, optionally with a last initial (John R.), or initials (J.R., J. R.).

    A full last name is refused: members' anonymity is a tradition of the fellowships."""
    value = " ".join(text.split())
    if not value:
        raise InputError("--verified-by is empty: give a first name or initials (e.g. 'John R.' or 'J.R.').")
    if len(value) > MAX_VERIFIER_CHARS:
        raise InputError(f"--verified-by {value!r} is longer than {MAX_VERIFIER_CHARS} characters: "
                         "give a first name or initials (e.g. 'John R.').")
    if _INITIALS.match(value) or _FIRST_WITH_INITIAL.match(value):
        return value
    if _NAME_WORDS.match(value):
        first, *rest = value.split(" ")
        raise InputError(f"--verified-by {value!r} looks like a full name. To protect members' anonymity, "
                         f"record a first name and at most a last initial (e.g. '{first} {rest[-1][0]}.') "
                         "or initials.")
    raise InputError(f"--verified-by {value!r} is not a first name or initials: use e.g. 'John', 'John R.', "
                     "'J.R.' (letters only; no email addresses or phone numbers, for members' anonymity).")


# -- meetings ------------------------------------------------------------------

def normalize(inp: MeetingInput) -> MeetingInput:
    """Check and canonicalise every given value (empty text clears an optional field)."""
    values: dict[str, Any] = {}
    if inp.name is not None:
        values["name"] = clean_line("meeting name", inp.name)
    if inp.time is not None:
        values["time"] = parse_time(inp.time) if inp.time.strip() else ""
    if inp.minutes is not None:
        values["minutes"] = check_minutes(inp.minutes)
    if inp.fellowship is not None:
        values["fellowship"] = canonical_fellowship(inp.fellowship) if inp.fellowship.strip() else ""
    if inp.format is not None:
        values["format"] = _choice("--format", inp.format, FORMATS) if inp.format.strip() else ""
    if inp.role is not None:
        values["role"] = _choice("--role", inp.role, ROLES)
    if inp.verification is not None:
        values["verification"] = _choice("--verification", inp.verification, VERIFICATIONS)
    if inp.verified_by is not None:
        values["verified_by"] = check_verifier(inp.verified_by) if inp.verified_by.strip() else ""
    for name in ("location", "online_id", "group_number", "ref", "note"):
        text = getattr(inp, name)
        if text is not None:
            values[name] = clean_line(name.replace("_", " "), text, empty_ok=True) or ""
    return replace(inp, **values)


def _check_not_future(store: Store, day: date, time: str | None) -> None:
    today = store.today()
    if day > today:
        raise InputError(f"The meeting date {day.isoformat()} is in the future (today is {today.isoformat()}): "
                         "log a meeting once you have been to it.")
    if day == today and time:
        hour, minute = (int(p) for p in time.split(":"))
        calendar_day = day + timedelta(days=1) if hour < store.settings.day_start_hour else day
        starts = datetime.combine(calendar_day, datetime.min.time()).replace(hour=hour, minute=minute)
        now = store.now().replace(tzinfo=None)
        if starts > now:
            raise InputError(f"A meeting starting at {time} today has not started yet (it is {now:%H:%M}): "
                             "log it once you have been to it.")


def _check_consistent(row: dict[str, Any]) -> None:
    if row.get("verified_by") and row.get("verification", "none") == "none":
        raise UsageError("--verified-by says who verified the meeting: also give --verification "
                         f"({', '.join(VERIFICATIONS[1:])}). Nothing was saved.")


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    """Empty strings mean "cleared": store NULL."""
    return {k: (None if v == "" else v) for k, v in row.items()}


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The JSON contract of a meeting."""
    return {"id": row["id"]} | {k: row.get(k) for k in meeting_rows.FIELDS}


def prepare_new(store: Store, inp: MeetingInput, *, conn=None) -> MeetingSaved:
    """Validate a new meeting and fill in the usual details from the last one of the same name.
    Reads only; raises before anything is written."""
    inp = normalize(inp)
    if not inp.name:
        raise UsageError("A meeting needs a NAME, e.g. recoverylog meeting add \"Tuesday Night Step\".")
    day = inp.date or store.today()
    _check_not_future(store, day, inp.time or None)
    earlier = meeting_rows.last_by_name(conn if conn is not None else store, inp.name)
    row: dict[str, Any] = {k: None for k in meeting_rows.FIELDS} | {
        "role": "attended", "home_group": False, "verification": "none"}
    filled: list[str] = []
    if earlier is not None:
        row["name"] = earlier["name"]  # one spelling per meeting keeps lists and sheets tidy
        for key in USUAL_DETAILS:
            if getattr(inp, key) is None and earlier.get(key) not in (None, False):
                row[key] = earlier[key]
                filled.append(key)
    row |= {k: v for k, v in inp.given().items() if k != "name" or earlier is None}
    row["date"] = day.isoformat()
    if filled and "time" in filled:
        try:
            _check_not_future(store, day, row["time"])
        except InputError:  # the usual start time is still to come today: leave it out
            row["time"] = None
            filled.remove("time")
    _check_consistent(row)
    return MeetingSaved(meeting=_finish(row), filled_from=date.fromisoformat(earlier["date"]) if filled else None,
                        filled_fields=tuple(filled))


def _duplicate_error(existing: dict[str, Any]) -> InputError:
    at = f" at {existing['time']}" if existing.get("time") else ""
    return InputError(f"{existing['name']!r} on {existing['date']}{at} is already logged (#{existing['id']}); "
                      f"nothing was added. Change it with `recoverylog meeting edit {existing['id']}`.")


def add_meeting(store: Store, inp: MeetingInput) -> MeetingSaved:
    prepared = prepare_new(store, inp)
    row = prepared.meeting
    stamp, today = store.stamp()
    with store.write() as conn:
        existing = meeting_rows.same_meeting(conn, row["name"], date.fromisoformat(row["date"]), row["time"])
        if existing is not None:
            raise _duplicate_error(existing)
        row = row | {"recorded_at": stamp, "recorded_on": today, "updated_at": stamp}
        row["id"] = meeting_rows.insert(conn, row)
    return replace(prepared, meeting=row)


def _get_or_raise(store: Store, meeting_id: int, verb: str) -> dict[str, Any]:
    row = meeting_rows.get(store, meeting_id)
    if row is None:
        raise NotFoundError(f"There is no meeting #{meeting_id}; nothing was {verb}. "
                            "`recoverylog meeting list` shows the ids.")
    return row


def edit_meeting(store: Store, meeting_id: int, changes: MeetingInput) -> MeetingSaved:
    existing = _get_or_raise(store, meeting_id, "changed")
    changes = normalize(changes)
    given = changes.given()
    if "date" in given:
        given["date"] = given["date"].isoformat()
    row = dict(existing) | given
    day = date.fromisoformat(row["date"])
    _check_not_future(store, day, row.get("time") or None)
    if given.get("verification") == "none" and "verified_by" not in given and existing.get("verified_by"):
        raise UsageError(f"Meeting #{meeting_id} names {existing['verified_by']} as its verifier: to mark it "
                         "unverified, also clear the verifier with --verified-by ''. Nothing was saved.")
    _check_consistent(_finish(row))
    row = _finish(row)
    changed = tuple(k for k in meeting_rows.FIELDS if row.get(k) != existing.get(k))
    if not changed:
        return MeetingSaved(meeting=existing)
    stamp, _ = store.stamp()
    with store.write() as conn:
        duplicate = meeting_rows.same_meeting(conn, row["name"], day, row["time"], exclude_id=meeting_id)
        if duplicate is not None:
            raise _duplicate_error(duplicate)
        store.add_revision(conn, "meeting", str(meeting_id), "update", existing)
        row["updated_at"] = stamp
        meeting_rows.update(conn, meeting_id, row)
    return MeetingSaved(meeting=row, changed_fields=changed)


def delete_meeting(store: Store, meeting_id: int) -> dict[str, Any]:
    _get_or_raise(store, meeting_id, "deleted")
    with store.write() as conn:
        existing = meeting_rows.get_in(conn, meeting_id)
        if existing is None:
            raise NotFoundError(f"There is no meeting #{meeting_id}; nothing was deleted.")
        store.add_revision(conn, "meeting", str(meeting_id), "delete", existing)
        meeting_rows.delete(conn, meeting_id)
    return existing


@record
class MeetingRecorded:
    """One `checkin --meeting NAME`: the meeting row, and whether it was new (no sentences here)."""
    meeting: dict[str, Any]
    created: bool
    filled_from: date | None = None


@record
class MeetingsRecorded:
    """What the check-in's meeting part wrote, inside its transaction."""
    items: tuple[MeetingRecorded, ...]

    def data(self) -> list[dict[str, Any]]:
        return [public(i.meeting) | {"created": i.created} for i in self.items]


def describe(row: dict[str, Any]) -> str:
    """'AA · in-person · Grace Church · 19:00 · 60 min' (plain text)."""
    parts = [row.get("fellowship"), row.get("format"), row.get("location") or row.get("online_id"),
             row.get("time"), f"{row['minutes']} min" if row.get("minutes") else None]
    return " · ".join(p for p in parts if p)


def checkin_hook(store: Store, day: date, *, names: list[str]):
    """`checkin --meeting NAME` (repeatable): validate now, fill in the usual details from the last
    meeting of the same name, and return a callable that writes inside the check-in's transaction."""
    prepared: list[MeetingSaved] = []
    seen: set[str] = set()
    for name in names:
        item = prepare_new(store, MeetingInput(name=name, date=day))
        key = item.meeting["name"].lower()
        if key not in seen:
            seen.add(key)
            prepared.append(item)

    def write(conn, checkin_day: date) -> tuple[str, MeetingsRecorded]:
        stamp, today = store.stamp()
        items: list[MeetingRecorded] = []
        for item in prepared:
            row = dict(item.meeting)
            existing = meeting_rows.last_by_name(conn, row["name"], on_or_before=checkin_day)
            if existing is not None and existing["date"] == checkin_day.isoformat():
                # Checking in twice with the same --meeting must not log it twice.
                items.append(MeetingRecorded(dict(existing), False))
                continue
            row |= {"date": checkin_day.isoformat(), "recorded_at": stamp, "recorded_on": today,
                    "updated_at": stamp}
            row["id"] = meeting_rows.insert(conn, row)
            items.append(MeetingRecorded(row, True, item.filled_from))
        return "meetings", MeetingsRecorded(tuple(items))

    return write


# -- requirements -------------------------------------------------------------------

@record
class RequirementInput:
    label: str
    count: int
    per: str
    start: date
    end: date | None = None
    verified_only: bool = False
    fellowships: tuple[str, ...] = field(default_factory=tuple)
    week_starts: str | None = None


def add_requirement(store: Store, inp: RequirementInput) -> dict[str, Any]:
    label = clean_line("label", inp.label)
    per = _choice("--per", inp.per, PERS)
    if not 0 < inp.count <= MAX_REQUIRED:
        raise InputError(f"--count {inp.count} is out of range: use 1 to {MAX_REQUIRED} meetings per {per}.")
    if inp.week_starts is not None and per != "week":
        raise UsageError("--week-starts applies to weekly requirements (--per week) only.")
    week_starts = _choice("--week-starts", inp.week_starts, WEEK_STARTS) if inp.week_starts else "monday"
    if inp.end is not None and inp.end < inp.start:
        raise InputError(f"--end {inp.end.isoformat()} is before --start {inp.start.isoformat()}.")
    fellowships = []
    for name in inp.fellowships:
        canonical = canonical_fellowship(name)
        if canonical not in fellowships:
            fellowships.append(canonical)
    if requirement_rows.get_by_label(store, label) is not None:
        raise InputError(f"A requirement named {label!r} already exists; nothing was added. "
                         "Pick another label, or end it with `recoverylog meeting requirement end`.")
    stamp, _ = store.stamp()
    row = {"label": label, "count": inp.count, "per": per, "start": inp.start.isoformat(),
           "end": inp.end.isoformat() if inp.end else None, "verified_only": inp.verified_only,
           "fellowships": fellowships, "week_starts": week_starts, "created_at": stamp}
    with store.write() as conn:
        if requirement_rows.get_by_label(conn, label) is not None:
            raise InputError(f"A requirement named {label!r} already exists; nothing was added.")
        row["id"] = requirement_rows.insert(conn, row)
    return row


def get_requirement(store: Store, label: str) -> dict[str, Any]:
    row = requirement_rows.get_by_label(store, label.strip())
    if row is None:
        known = [r["label"] for r in requirement_rows.list_all(store)]
        hint = f" Known: {', '.join(known)}." if known else " Add one with `recoverylog meeting requirement add`."
        raise NotFoundError(f"There is no requirement named {label.strip()!r}.{hint}")
    return row


def end_requirement(store: Store, label: str, end: date) -> dict[str, Any]:
    row = get_requirement(store, label)
    if end < date.fromisoformat(row["start"]):
        raise InputError(f"The end {end.isoformat()} is before the requirement's start {row['start']}; "
                         "nothing was changed.")
    with store.write() as conn:
        store.add_revision(conn, "requirement", str(row["id"]), "update",
                           row | {"fellowships": list(row["fellowships"])})
        requirement_rows.set_end(conn, row["id"], end.isoformat())
    return row | {"end": end.isoformat()}
